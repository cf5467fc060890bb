"""Forward mode (``autograd.forward_ad``): tangents pushed through every op agree with PyTorch's."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import autograd_nb as nb
from autograd_nb.autograd import forward_ad as nb_fwad

# Each case: (name, number of inputs, function of (lib, *inputs)); inputs are positive float64 (2, 3) arrays
CASES = [
    ("add", 2, lambda L, x, y: x + y),
    ("sub", 2, lambda L, x, y: x - y),
    ("rsub", 1, lambda L, x: 2.0 - x),
    ("mul", 2, lambda L, x, y: x * y),
    ("div", 2, lambda L, x, y: x / y),
    ("rdiv", 1, lambda L, x: 2.0 / x),
    ("neg", 1, lambda L, x: -x),
    ("pow_scalar", 1, lambda L, x: x ** 3),
    ("pow_tensor", 2, lambda L, x, y: x ** y),
    ("rpow", 1, lambda L, x: 2.0 ** x),
    ("exp", 1, lambda L, x: x.exp()),
    ("log", 1, lambda L, x: x.log()),
    ("sqrt", 1, lambda L, x: x.sqrt()),
    ("abs", 1, lambda L, x: (x - 1.0).abs()),
    ("sin", 1, lambda L, x: x.sin()),
    ("cos", 1, lambda L, x: x.cos()),
    ("tanh", 1, lambda L, x: x.tanh()),
    ("sigmoid", 1, lambda L, x: x.sigmoid()),
    ("relu", 1, lambda L, x: (x - 1.0).relu()),
    ("clamp", 1, lambda L, x: x.clamp(0.5, 1.5)),
    ("softmax", 1, lambda L, x: x.softmax(1)),
    ("log_softmax", 1, lambda L, x: x.log_softmax(0)),
    ("sum", 1, lambda L, x: x.sum()),
    ("sum_dim", 1, lambda L, x: x.sum(1, keepdim=True)),
    ("mean", 1, lambda L, x: x.mean()),
    ("mean_dim", 1, lambda L, x: x.mean(0)),
    ("max", 1, lambda L, x: x.max()),
    ("max_dim", 1, lambda L, x: x.max(1).values),
    ("min_dim", 1, lambda L, x: x.min(0, keepdim=True).values),
    ("reshape", 1, lambda L, x: x.reshape(3, 2)),
    ("transpose", 1, lambda L, x: x.transpose(0, 1)),
    ("t", 1, lambda L, x: x.t()),
    ("permute", 1, lambda L, x: x.permute(1, 0)),
    ("unsqueeze_squeeze", 1, lambda L, x: x.unsqueeze(0).squeeze(0)),
    ("expand", 1, lambda L, x: x[:, :1].expand(2, 4)),
    ("index", 1, lambda L, x: x[0, 1:]),
    ("fancy_index", 1, lambda L, x: x[[0, 0, 1]]),
    ("cat", 2, lambda L, x, y: L.cat([x, y], 1)),
    ("stack", 2, lambda L, x, y: L.stack([x, y])),
    ("where", 2, lambda L, x, y: L.where(x > y, x, y)),
    ("mm", 2, lambda L, x, y: x @ y.t()),
    ("mv", 2, lambda L, x, y: x @ y[0]),
    ("dot", 2, lambda L, x, y: x[0] @ y[1]),
    ("bmm", 2, lambda L, x, y: x.unsqueeze(0).expand(2, 2, 3) @ y.t().unsqueeze(0)),
    ("linear", 2, lambda L, x, y: L.nn.functional.linear(x, y, y[0, :2])),
    ("mse", 2, lambda L, x, y: L.nn.functional.mse_loss(x, y)),
    ("bce_logits", 2, lambda L, x, y: L.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid())),
    ("bce", 2, lambda L, x, y: L.nn.functional.binary_cross_entropy(x.sigmoid(), y.sigmoid(), reduction="sum")),
    ("cross_entropy", 1, lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([2, 0]))),
    ("clone_to", 1, lambda L, x: x.clone().float()),
]

values = st.lists(st.floats(0.2, 2.0), min_size=6, max_size=6).map(lambda v: np.array(v).reshape(2, 3))


def _theirs(torch, fn, primals, tangents):
    import torch.autograd.forward_ad as fwad

    with fwad.dual_level():
        duals = [fwad.make_dual(torch.tensor(p), torch.tensor(t)) for p, t in zip(primals, tangents)]
        out = fn(torch, *duals)
        p, t = fwad.unpack_dual(out)
        return p.numpy(), t.numpy()


def _ours(fn, primals, tangents):
    with nb_fwad.dual_level():
        duals = [nb_fwad.make_dual(nb.tensor(p), nb.tensor(t)) for p, t in zip(primals, tangents)]
        out = fn(nb, *duals)
        p, t = nb_fwad.unpack_dual(out)
        return p.numpy(), t.numpy()


@pytest.mark.parametrize("name,n,fn", CASES, ids=[c[0] for c in CASES])
@given(data=st.data())
def test_jvp_matches_pytorch(name, n, fn, data, torch):
    primals = [data.draw(values) for _ in range(n)]
    tangents = [data.draw(values) - 1.0 for _ in range(n)]
    ours = _ours(fn, primals, tangents)
    theirs = _theirs(torch, fn, primals, tangents)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name,n,fn", CASES, ids=[c[0] for c in CASES])
def test_jvp_equals_reverse_mode_column(name, n, fn):
    """J·u from forward mode equals (the u-column of) J built from reverse-mode VJPs."""
    rng = np.random.default_rng(1)
    primals = [rng.uniform(0.2, 2.0, (2, 3)) for _ in range(n)]
    tangents = [rng.normal(size=(2, 3)) for _ in range(n)]
    _, jvp = _ours(fn, primals, tangents)
    xs = [nb.tensor(p, requires_grad=True) for p in primals]
    out = fn(nb, *xs)
    flat = np.zeros(jvp.size)
    for i in range(out.numel()):
        v = np.zeros(out.numel())
        v[i] = 1.0
        grads = nb.autograd.grad(out, xs, nb.tensor(v.reshape(tuple(out.shape))), retain_graph=True, allow_unused=True)
        flat[i] = sum(float((g.numpy() * t).sum()) for g, t in zip(grads, tangents) if g is not None)
    tight = jvp.dtype == np.float64
    np.testing.assert_allclose(jvp.reshape(-1), flat, rtol=1e-9 if tight else 1e-6, atol=1e-12 if tight else 1e-6)


def test_repr_and_unpack_like_pytorch(torch):
    import torch.autograd.forward_ad as fwad

    def show(L, F):
        with F.dual_level():
            d = F.make_dual(L.tensor([1.0, 2.0]), L.ones(2))
            y = (d * d).exp().sum()
            inside = (repr(d), repr(y), repr(F.unpack_dual(y)), repr(d.max(0)), repr(F.unpack_dual(L.ones(1))))
        return inside + (repr(d), repr(F.unpack_dual(d)))

    assert show(nb, nb_fwad) == show(torch, fwad)


def test_errors_like_pytorch(torch):
    import torch.autograd.forward_ad as fwad

    def errors(L, F):
        out = []
        for f in (lambda: F.make_dual(L.ones(2), L.ones(2)),):
            try:
                f()
            except RuntimeError as e:
                out.append(str(e))
        with F.dual_level():
            try:
                F.make_dual(L.ones(2), L.ones(3))
            except RuntimeError as e:
                out.append(str(e))
            try:
                with F.dual_level():
                    pass
            except RuntimeError as e:
                out.append(str(e))
        return out

    ours, theirs = errors(nb, nb_fwad), errors(torch, fwad)
    assert len(ours) == 3 and ours == theirs


def test_custom_function_without_jvp_says_so():
    class Square(nb.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g

    with nb_fwad.dual_level():
        d = nb_fwad.make_dual(nb.ones(2), nb.ones(2))
        with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
            Square.apply(d)


def test_no_tangent_left_after_level():
    with nb_fwad.dual_level():
        d = nb_fwad.make_dual(nb.ones(2), nb.ones(2))
        y = d * 3
        assert nb_fwad.unpack_dual(y).tangent.tolist() == [3.0, 3.0]
    assert d._tangent is None and y._tangent is None
    assert nb_fwad.unpack_dual(y).tangent is None


def test_a_tangent_is_differentiable_where_the_primal_requires_grad():
    """As in PyTorch, jvp formulas are recorded when grad mode is on: sin's tangent t·cos(p) has a graph back
    to p, so its gradient is -t·sin(p) (forward-over-reverse)."""
    import autograd_nb.autograd.forward_ad as fwAD

    p = nb.tensor([0.5, -1.0, 2.0], requires_grad=True)
    t = nb.tensor([1.0, 2.0, 3.0])
    with fwAD.dual_level():
        tangent = fwAD.unpack_dual(fwAD.make_dual(p, t).sin()).tangent
    assert type(tangent.grad_fn).__name__ == "MulBackward0"
    np.testing.assert_allclose(tangent.detach().numpy(), (t * p.detach().cos()).numpy(), rtol=1e-6)
    (g,) = nb.autograd.grad(tangent.sum(), p)
    np.testing.assert_allclose(g.numpy(), (-t * p.detach().sin()).numpy(), rtol=1e-6)
    with fwAD.dual_level(), nb.no_grad():
        assert fwAD.unpack_dual(fwAD.make_dual(p, t).sin()).tangent.grad_fn is None
