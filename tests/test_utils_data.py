"""``autograd_nb.utils.data``: what PyTorch cannot be compared with, the shuffled order (its generator is not
ours); the rest is compared in tests/test_edge_cases.py's programs."""
import autograd_nb as nb


def test_a_shuffled_loader_repeats_under_manual_seed_and_reshuffles_each_epoch():
    loader = nb.utils.data.DataLoader(nb.arange(8), batch_size=3, shuffle=True)
    nb.manual_seed(0)
    first, second = [[b.tolist() for b in loader] for _ in range(2)]
    nb.manual_seed(0)
    assert [b.tolist() for b in loader] == first != second
    assert sorted(sum(first, [])) == list(range(8))
    own = nb.Generator().manual_seed(3)
    assert [b.tolist() for b in nb.utils.data.DataLoader(nb.arange(8), batch_size=8, shuffle=True, generator=own)] \
        == [nb.randperm(8, generator=nb.Generator().manual_seed(3)).tolist()]
