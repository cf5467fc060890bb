"""``autograd_nb.nn`` against ``torch.nn``: Parameter, Module bookkeeping, reprs, state dicts, init, layers.

Architectures are written once as functions of the library (``lib.nn.Linear``...), built in both, and
compared: names, order, shapes, reprs, error messages, and (with weights copied) values.
"""
import copy
import math

import numpy as np
import pytest

import autograd_nb as nb


# ---------------------------------------------------------------------------------------- helpers
def mlp(lib):
    """2 → 8 → 3 with ReLU: the classification model of the lessons."""
    nn = lib.nn
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))


def nested(lib):
    """A custom Module with a Parameter of its own, a nested Sequential, a custom block and a loss."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.act = nn.Tanh()

        def forward(self, x):
            return self.act(self.fc(x))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(lib.ones(1))
            self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), Block(), nn.Sigmoid())
            self.head = nn.Linear(4, 2, bias=False)
            self.loss = nn.MSELoss(reduction="sum")

        def forward(self, x):
            return self.head(self.body(x)) * self.scale

    return Net()


def shared(lib):
    """The same Linear used twice: its parameters must be listed (and updated) once."""
    nn = lib.nn
    layer = nn.Linear(2, 2)
    return nn.Sequential(layer, nn.Tanh(), layer)


ARCHITECTURES = [mlp, nested, shared]


def names_and_shapes(model):
    return [(name, tuple(p.shape)) for name, p in model.named_parameters()]


def error_of(fn):
    """(type name, message) of the exception ``fn()`` raises."""
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def arrays(tensors):
    return [t.detach().numpy() for t in tensors]


# ---------------------------------------------------------------------------------------- Parameter
@pytest.mark.parametrize("values, dtype", [
    ([1.0, 2.0], "float32"),
    ([[0.5, -1.25, 3.0], [2.0, 0.0, -7.5]], "float32"),
    ([1.5, -2.0], "float64"),
    (3.0, "float32"),
])
@pytest.mark.parametrize("requires_grad", [True, False])
def test_parameter_repr_and_flags(torch, values, dtype, requires_grad):
    ours = nb.nn.Parameter(nb.tensor(values, dtype=getattr(nb, dtype)), requires_grad=requires_grad)
    theirs = torch.nn.Parameter(torch.tensor(values, dtype=getattr(torch, dtype)), requires_grad=requires_grad)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    assert ours.is_leaf and theirs.is_leaf
    assert ours.requires_grad is requires_grad
    assert ours.grad_fn is None and ours.grad is None


def test_parameter_empty_and_errors(torch):
    empty = "Parameter containing:\ntensor([], requires_grad=True)"
    assert repr(nb.nn.Parameter()) == repr(torch.nn.Parameter()) == empty
    assert error_of(lambda: nb.nn.Parameter(nb.tensor([1, 2]))) == error_of(
        lambda: torch.nn.Parameter(torch.tensor([1, 2])))
    expected = ("AttributeError", "'list' object has no attribute 'detach'")
    assert error_of(lambda: nb.nn.Parameter([1.0])) == error_of(lambda: torch.nn.Parameter([1.0])) == expected


def test_parameter_shares_memory_and_results_are_plain_tensors():
    data = nb.tensor([1.0, 2.0])
    p = nb.nn.Parameter(data)
    with nb.no_grad():
        data.mul_(10)
    assert p.tolist() == [10.0, 20.0]  # one storage, as in PyTorch
    assert type(p * 2) is nb.Tensor and type(p.detach()) is nb.Tensor and type(p.data) is nb.Tensor
    (p * p).sum().backward()
    assert p.grad.tolist() == [20.0, 40.0]


def test_parameter_deepcopy_copies_values_not_grad(torch):
    for lib in (nb, torch):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
        (p * 3).sum().backward()
        q = copy.deepcopy(p)
        assert type(q) is lib.nn.Parameter and q is not p and q.requires_grad
        assert q.grad is None
        with lib.no_grad():
            q.add_(1)
        assert p.tolist() == [1.0, 2.0]


# ---------------------------------------------------------------------------------------- bookkeeping
@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_parameter_names_order_shapes_match_pytorch(torch, arch):
    ours, theirs = arch(nb), arch(torch)
    assert names_and_shapes(ours) == names_and_shapes(theirs)
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(m).__name__ for m in ours.modules()] == [type(m).__name__ for m in theirs.modules()]
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in theirs.children()]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_names_for_the_nested_model():
    assert names_and_shapes(nested(nb)) == [
        ("scale", (1,)),
        ("body.0.weight", (4, 3)), ("body.0.bias", (4,)),
        ("body.2.fc.weight", (4, 4)), ("body.2.fc.bias", (4,)),
        ("head.weight", (2, 4)),
    ]


def test_shared_layer_is_listed_once():
    model = shared(nb)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_modules()] == ["", "0", "1"]


def test_non_recursive_parameters_and_attribute_access():
    model = nested(nb)
    assert [n for n, _ in model.named_parameters(recurse=False)] == ["scale"]
    assert model.body[2].fc is model._modules["body"]._modules["2"]._modules["fc"]
    assert model.head.bias is None
    assert "head" in dir(model) and "scale" in dir(model)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_module_repr_matches_pytorch(torch, arch):
    assert repr(arch(nb)) == repr(arch(torch))


@pytest.mark.parametrize("build", [
    lambda nn: nn.Linear(5, 1, bias=False),
    lambda nn: nn.ReLU(inplace=True),
    lambda nn: nn.Sequential(),
    lambda nn: nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 3), nn.Tanh()),
                             nn.MSELoss(reduction="sum"), nn.CrossEntropyLoss()),
])
def test_layer_reprs_match_pytorch(torch, build):
    assert repr(build(nb.nn)) == repr(build(torch.nn))


def test_sequential_print_is_the_tree():
    assert repr(mlp(nb)) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=8, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=8, out_features=3, bias=True)\n"
        ")"
    )


def test_sequential_indexing_matches_pytorch(torch):
    ours, theirs = mlp(nb), mlp(torch)
    assert len(ours) == len(theirs) == 3
    assert ours[0] is ours._modules["0"]
    assert ours[-1] is ours._modules["2"]
    assert repr(ours[1:]) == repr(theirs[1:])
    # a slice keeps the original names
    assert names_and_shapes(ours[1:]) == names_and_shapes(theirs[1:]) == [("2.weight", (3, 8)), ("2.bias", (3,))]
    assert [type(m).__name__ for m in ours] == ["Linear", "ReLU", "Linear"]
    assert error_of(lambda: ours[3]) == error_of(lambda: theirs[3])
    ours.append(nb.nn.Tanh())
    theirs.append(torch.nn.Tanh())
    assert repr(ours) == repr(theirs)


def test_setattr_and_getattr_errors_match_pytorch(torch):
    def assign_tensor(lib):
        layer = lib.nn.Linear(2, 2)
        layer.weight = lib.ones(2, 2)

    def assign_tensor_to_child(lib):
        setattr(mlp(lib), "0", lib.ones(1))

    def missing(lib):
        return lib.nn.Linear(2, 2).nonexistent

    def before_init(lib):
        class Broken(lib.nn.Module):
            def __init__(self):
                self.fc = lib.nn.Linear(1, 1)

        Broken()

    def param_before_init(lib):
        class Broken(lib.nn.Module):
            def __init__(self):
                self.w = lib.nn.Parameter(lib.ones(1))

        Broken()

    def no_forward(lib):
        lib.nn.Module()(lib.ones(1))

    for case in (assign_tensor, assign_tensor_to_child, missing, before_init, param_before_init, no_forward):
        assert error_of(lambda: case(nb)) == error_of(lambda: case(torch)), case.__name__


def test_reassigning_and_deleting_attributes():
    layer = nb.nn.Linear(2, 2)
    layer.bias = None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    assert repr(layer) == "Linear(in_features=2, out_features=2, bias=False)"
    layer.bias = nb.nn.Parameter(nb.zeros(2))
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]
    del layer.bias
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    layer.note = "plain attribute"
    assert layer.note == "plain attribute" and "note" not in layer._parameters


# ---------------------------------------------------------------------------------------- zero_grad, train/eval
def _backward_once(lib, model):
    x = lib.ones(4, 2, dtype=lib.float64)
    model(x).sum().backward()


def test_zero_grad_set_to_none_and_zeros(torch):
    for lib in (nb, torch):
        model = mlp(lib).double()
        _backward_once(lib, model)
        grads = [p.grad for p in model.parameters()]
        assert all(g is not None and g.abs().sum().item() > 0 for g in grads)

        model.zero_grad(set_to_none=False)  # zeros, in the same tensors
        assert all(p.grad is g for p, g in zip(model.parameters(), grads))
        assert all(p.grad.abs().sum().item() == 0 for p in model.parameters())
        assert all(not p.grad.requires_grad for p in model.parameters())

        model.zero_grad()  # default since PyTorch 2.0: set_to_none=True
        assert all(p.grad is None for p in model.parameters())


def test_train_and_eval_flags(torch):
    for lib in (nb, torch):
        model = nested(lib)
        assert all(m.training for m in model.modules())
        assert model.eval() is model
        assert not any(m.training for m in model.modules())
        assert model.train() is model
        assert all(m.training for m in model.modules())
        model.body.eval()
        assert [m.training for m in model.modules()] == [True, False, False, False, False, False, False, False,
                                                         True, True]
        assert model.eval().body[2].act.training is False
        # eval() does not stop gradient tracking
        out = model(lib.ones(1, 3))
        assert out.requires_grad
    assert error_of(lambda: nested(nb).train(1)) == error_of(lambda: nested(torch).train(1))


def test_requires_grad_freezes_parameters():
    model = mlp(nb)
    model[0].requires_grad_(False)
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    _backward_once(nb, model.double())
    assert model[0].weight.grad is None and model[2].weight.grad is not None


# ---------------------------------------------------------------------------------------- dtype conversion
def test_double_keeps_parameter_objects():
    model = mlp(nb)
    before = list(model.parameters())
    assert model.double() is model
    assert all(p.dtype is nb.float64 for p in model.parameters())
    assert all(a is b for a, b in zip(before, model.parameters()))
    assert all(isinstance(p, nb.nn.Parameter) and p.requires_grad for p in model.parameters())
    model.to(nb.float32)
    assert all(p.dtype is nb.float32 for p in model.parameters())
    assert model.to("cpu") is model


def test_module_to_integer_dtype_error(torch):
    assert error_of(lambda: mlp(nb).to(nb.int64)) == error_of(lambda: mlp(torch).to(torch.int64))


# ---------------------------------------------------------------------------------------- state_dict
def test_state_dict_is_detached_and_shares_memory(torch):
    for lib in (nb, torch):
        model = mlp(lib)
        state = model.state_dict()
        assert type(state).__name__ == "OrderedDict"
        assert all(not v.requires_grad and v.grad_fn is None for v in state.values())
        assert type(state["0.weight"]) is lib.Tensor
        with lib.no_grad():
            model[0].bias.add_(1.0)
        assert state["0.bias"].tolist() == model[0].bias.tolist()  # the same memory, as in PyTorch
        snapshot = copy.deepcopy(model.state_dict())
        with lib.no_grad():
            model[0].bias.add_(1.0)
        assert snapshot["0.bias"].tolist() != model[0].bias.tolist()


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_load_state_dict_from_pytorch_model(torch, arch):
    torch.manual_seed(0)
    theirs = arch(torch)
    ours = arch(nb)
    result = ours.load_state_dict(theirs.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_array_equal(p.detach().numpy(), tp.detach().numpy())
        assert isinstance(p, nb.nn.Parameter) and p.requires_grad


def test_load_state_dict_converts_dtype(torch):
    theirs = mlp(torch)
    ours = mlp(nb).double()
    ours.load_state_dict(theirs.state_dict())
    assert ours[0].weight.dtype is nb.float64
    np.testing.assert_array_equal(ours[0].weight.detach().numpy(), theirs[0].weight.detach().double().numpy())


def test_load_state_dict_round_trip_between_our_models():
    a, b = mlp(nb), mlp(nb)
    b.load_state_dict(a.state_dict())
    assert all(np.array_equal(p, q) for p, q in zip(arrays(a.parameters()), arrays(b.parameters())))
    assert all(p is not q for p, q in zip(a.parameters(), b.parameters()))


def test_load_state_dict_errors_match_pytorch(torch):
    def bad_dicts(lib):
        good = mlp(lib).state_dict()
        missing = collections_copy(good)
        del missing["2.bias"]
        unexpected = collections_copy(good)
        unexpected["extra.weight"] = lib.ones(1)
        wrong_shape = collections_copy(good)
        wrong_shape["0.weight"] = lib.ones(3, 2)
        not_tensor = collections_copy(good)
        not_tensor["0.bias"] = [0.0] * 8
        both = collections_copy(missing)
        both["extra"] = lib.ones(1)
        return [missing, unexpected, wrong_shape, not_tensor, both]

    for ours_dict, theirs_dict in zip(bad_dicts(nb), bad_dicts(torch)):
        assert error_of(lambda: mlp(nb).load_state_dict(ours_dict)) == error_of(
            lambda: mlp(torch).load_state_dict(theirs_dict))
    # strict=False reports instead of raising
    ours = mlp(nb).load_state_dict(bad_dicts(nb)[4], strict=False)
    theirs = mlp(torch).load_state_dict(bad_dicts(torch)[4], strict=False)
    assert repr(ours) == repr(theirs) == "_IncompatibleKeys(missing_keys=['2.bias'], unexpected_keys=['extra'])"


def collections_copy(state):
    return type(state)(state.items())


# ---------------------------------------------------------------------------------------- layers compute
def test_linear_forward_backward_match_pytorch(torch):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 3))
    theirs = torch.nn.Linear(3, 4).double()
    ours = nb.nn.Linear(3, 4).double()
    ours.load_state_dict(theirs.state_dict())
    y_ours, y_theirs = ours(nb.tensor(x)), theirs(torch.tensor(x))
    assert y_ours.grad_fn.name() == y_theirs.grad_fn.name() == "AddmmBackward0"
    np.testing.assert_allclose(y_ours.detach().numpy(), y_theirs.detach().numpy(), rtol=1e-13, atol=1e-15)
    (y_ours ** 2).sum().backward()
    (y_theirs ** 2).sum().backward()
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_linear_without_bias_and_batched_input(torch):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 3))
    theirs = torch.nn.Linear(3, 4, bias=False).double()
    ours = nb.nn.Linear(3, 4, bias=False).double()
    ours.load_state_dict(theirs.state_dict())
    np.testing.assert_allclose(ours(nb.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_and_activations_match_pytorch(torch, reduction):
    rng = np.random.default_rng(3)
    logits, target = rng.standard_normal((6, 3)), rng.integers(0, 3, size=6)
    pred, goal = rng.standard_normal((6, 1)), rng.standard_normal((6, 1))
    pairs = [
        (nb.nn.CrossEntropyLoss(reduction=reduction)(nb.tensor(logits), nb.tensor(target)),
         torch.nn.CrossEntropyLoss(reduction=reduction)(torch.tensor(logits), torch.tensor(target))),
        (nb.nn.MSELoss(reduction=reduction)(nb.tensor(pred), nb.tensor(goal)),
         torch.nn.MSELoss(reduction=reduction)(torch.tensor(pred), torch.tensor(goal))),
    ]
    for name in ("ReLU", "Tanh", "Sigmoid"):
        layer_ours, layer_theirs = getattr(nb.nn, name)(), getattr(torch.nn, name)()
        pairs.append((layer_ours(nb.tensor(logits)), layer_theirs(torch.tensor(logits))))
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-13, atol=1e-15)


# ---------------------------------------------------------------------------------------- init
@pytest.mark.parametrize("in_features, out_features", [(2, 8), (8, 3), (3, 64), (64, 32), (300, 100)])
def test_linear_default_init_bounds(in_features, out_features):
    nb.manual_seed(in_features * 1000 + out_features)
    layer = nb.nn.Linear(in_features, out_features)
    bound = 1 / math.sqrt(in_features)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert w.dtype == np.float32 and w.shape == (out_features, in_features) and b.shape == (out_features,)
    assert np.all(np.abs(w) <= bound) and np.all(np.abs(b) <= bound)
    assert w.max() - w.min() > bound  # the samples spread over most of [-bound, bound]
    if w.size >= 64:
        assert w.max() > 0.8 * bound and w.min() < -0.8 * bound
    if w.size >= 1000:  # U(-b, b) has mean 0 and standard deviation b/√3
        assert abs(w.mean()) < 0.05 * bound
        assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)


def test_init_is_reproducible_with_manual_seed():
    nb.manual_seed(7)
    a = mlp(nb)
    nb.manual_seed(7)
    b = mlp(nb)
    assert all(np.array_equal(p, q) for p, q in zip(arrays(a.parameters()), arrays(b.parameters())))
    c = mlp(nb)
    assert not np.array_equal(a[0].weight.detach().numpy(), c[0].weight.detach().numpy())


@pytest.mark.parametrize("shape", [(50, 40), (200, 10)])
def test_kaiming_and_xavier_uniform_bounds(shape):
    fan_out, fan_in = shape
    w = nb.nn.Parameter(nb.empty(*shape))
    assert nb.nn.init.kaiming_uniform_(w) is w  # defaults: a=0, leaky_relu gain √2, fan_in
    bound = math.sqrt(2) * math.sqrt(3 / fan_in)
    values = w.detach().numpy()
    assert np.all(np.abs(values) <= bound) and values.max() > 0.95 * bound and values.min() < -0.95 * bound
    nb.nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / fan_out)
    values = w.detach().numpy()
    assert np.all(np.abs(values) <= bound) and values.max() > 0.95 * bound
    nb.nn.init.xavier_uniform_(w, gain=nb.nn.init.calculate_gain("tanh"))
    bound = 5 / 3 * math.sqrt(6 / (fan_in + fan_out))
    values = w.detach().numpy()
    assert np.all(np.abs(values) <= bound) and values.max() > 0.95 * bound and values.min() < -0.95 * bound
    assert w.requires_grad and w.is_leaf and w.grad_fn is None  # filled in place, outside the graph


def test_uniform_normal_zeros_ones():
    w = nb.nn.Parameter(nb.empty(400, 50, dtype=nb.float64))
    version = w._version
    nb.nn.init.uniform_(w, -2.0, 3.0)
    values = w.detach().numpy()
    assert w._version > version  # an in-place change, visible to autograd's version check
    assert values.min() >= -2.0 and values.max() < 3.0 and values.mean() == pytest.approx(0.5, abs=0.05)
    nb.nn.init.normal_(w, mean=1.0, std=0.5)
    values = w.detach().numpy()
    assert values.mean() == pytest.approx(1.0, abs=0.01) and values.std() == pytest.approx(0.5, rel=0.02)
    assert nb.nn.init.zeros_(w) is w and not w.detach().numpy().any()
    assert nb.nn.init.ones_(w) is w and np.all(w.detach().numpy() == 1)
    assert w.dtype is nb.float64 and w.requires_grad


def test_calculate_gain_and_init_errors_match_pytorch(torch):
    for args in [("linear",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",), ("leaky_relu", 0.2),
                 ("leaky_relu", math.sqrt(5)), ("selu",), ("conv2d",)]:
        assert nb.nn.init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)
    cases = [
        lambda lib: lib.nn.init.calculate_gain("softplus"),
        lambda lib: lib.nn.init.calculate_gain("leaky_relu", True),
        lambda lib: lib.nn.init.kaiming_uniform_(lib.ones(3)),
        lambda lib: lib.nn.init.xavier_uniform_(lib.ones(3)),
        lambda lib: lib.nn.init.kaiming_uniform_(lib.ones(3, 3), mode="fan_avg"),
    ]
    for case in cases:
        assert error_of(lambda: case(nb)) == error_of(lambda: case(torch))
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        nb.nn.init.kaiming_uniform_(nb.empty(0, 3))


def test_deepcopy_of_a_model_is_independent(torch):
    for lib in (nb, torch):
        model = nested(lib)
        clone = copy.deepcopy(model)
        assert repr(clone) == repr(model)
        assert names_and_shapes(clone) == names_and_shapes(model)
        pairs = zip(model.parameters(), clone.parameters())
        assert all(p is not q and isinstance(q, lib.nn.Parameter) for p, q in pairs)
        with lib.no_grad():
            clone.scale.mul_(3.0)
        assert model.scale.tolist() == [1.0] and clone.scale.tolist() == [3.0]


def test_sequential_from_ordered_dict_and_linear_dtype(torch):
    import collections

    def build(lib):
        return lib.nn.Sequential(collections.OrderedDict(
            [("hidden", lib.nn.Linear(2, 4, dtype=lib.float64)), ("act", lib.nn.Tanh()),
             ("out", lib.nn.Linear(4, 1, dtype=lib.float64))]))

    ours, theirs = build(nb), build(torch)
    assert repr(ours) == repr(theirs)
    assert names_and_shapes(ours) == names_and_shapes(theirs)
    assert all(p.dtype is nb.float64 for p in ours.parameters())
    assert ours.hidden is ours[0]
