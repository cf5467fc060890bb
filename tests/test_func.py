"""``autograd_nb.func`` against ``torch.func``: the same functions, arguments, values, structures and errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_nb as nb


def error_of(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def same(ours, theirs, rtol=1e-10, atol=1e-12):
    """Equal pytrees of tensors: structure, shapes, dtypes and values."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs)
        for k in theirs:
            same(ours[k], theirs[k], rtol, atol)
    elif isinstance(theirs, (tuple, list)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            same(a, b, rtol, atol)
    elif hasattr(theirs, "detach"):
        assert isinstance(ours, nb.Tensor), type(ours)
        assert tuple(ours.shape) == tuple(theirs.shape) and repr(ours.dtype) == repr(theirs.dtype)
        assert ours.requires_grad == theirs.requires_grad
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=atol)
    else:
        assert ours == theirs


RNG = np.random.default_rng(11)
A = RNG.standard_normal(3)
B = RNG.standard_normal(3)
M = RNG.standard_normal((2, 3))


def both(build):
    """``build(lib, data)`` called with each library and the same float64 data."""
    def data(lib):
        return {name: lib.tensor(value) for name, value in (("a", A), ("b", B), ("m", M))}
    return build(nb, data(nb)), build(__import__("torch"), data(__import__("torch")))


# ---------------------------------------------------------------------------------------- functions to differentiate
def f_scalar(x):
    return (x.sin() * x ** 2).sum()


def f_two(x, y):
    return (x * y.exp()).sum() + (x ** 3).mean()


def f_vec(x):
    return (x.tanh() * 2, x.sum() * x)


# ---------------------------------------------------------------------------------------- grad, grad_and_value
@pytest.mark.parametrize("call", [
    lambda lib, d: lib.func.grad(f_scalar)(d["a"]),
    lambda lib, d: lib.func.grad(f_two)(d["a"], d["b"]),
    lambda lib, d: lib.func.grad(f_two, argnums=1)(d["a"], d["b"]),
    lambda lib, d: lib.func.grad(f_two, argnums=(0, 1))(d["a"], d["b"]),
    lambda lib, d: lib.func.grad(f_two, argnums=-1)(d["a"], d["b"]),
    lambda lib, d: lib.func.grad(lambda x, y: y.sum())(d["a"], d["b"]),
    lambda lib, d: lib.func.grad(lambda x: lib.tensor(3.0, dtype=lib.float64))(d["a"]),
    lambda lib, d: lib.func.grad(lambda p: (p["w"] * p["v"][0]).sum())({"w": d["a"], "v": [d["b"]]}),
    lambda lib, d: lib.func.grad(lambda x: (f_scalar(x), {"m": x.mean()}), has_aux=True)(d["a"]),
    lambda lib, d: lib.func.grad_and_value(f_scalar)(d["a"]),
    lambda lib, d: lib.func.grad_and_value(lambda x: (f_scalar(x), x * 2), has_aux=True)(d["a"]),
    lambda lib, d: lib.func.grad(lib.func.grad(lambda x: (x ** 3).sum() * 1.0) if False else
                                 (lambda x: lib.func.grad(f_scalar)(x).sum()))(d["a"]),
    lambda lib, d: lib.func.grad(lambda x: lib.func.grad(lambda y: (y ** 4).sum())(x).pow(2).sum())(d["a"]),
    lambda lib, d: lib.func.grad(lambda x, k: (x * k).sum())(d["a"], 3.0),
])
def test_grad_matches_pytorch(call):
    ours, theirs = both(call)
    same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.func.grad(lambda x: 3.0)(x),
    lambda lib, x: lib.func.grad(lambda x: x * 2)(x),
    lambda lib, x: lib.func.grad(lambda x: x.sum(), has_aux=True)(x),
    lambda lib, x: lib.func.grad(lambda x: (x.sum(),), has_aux=True)(x),
    lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=2)(x),
    lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=1.5)(x),
    lambda lib, x: lib.func.grad(lambda x: x.sum(), argnums=())(x),
    lambda lib, x: lib.func.grad(lambda: x.sum())(),
    lambda lib, x: lib.func.grad(lambda x: x * 1.0)(2.0),
    lambda lib, x: lib.func.grad(lambda x: x.sum())(lib.tensor([1, 2])),
])
def test_grad_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb, nb.ones(2))) == error_of(lambda: call(torch, torch.ones(2)))


def test_results_stay_on_the_callers_graph(torch):
    """Detached at the top level; connected when an argument or a weight ``f`` reads requires grad."""
    for lib in (nb, torch):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64)
        assert not lib.func.grad(f_scalar)(x).requires_grad
        xg = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        g = lib.func.grad(f_scalar)(xg)
        assert g.requires_grad
        g.sum().backward()  # second derivative by plain autograd, through the transform
        second = xg.grad.clone()
        w = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        gw = lib.func.grad(lambda x: (w * x ** 2).sum())(x)
        assert gw.requires_grad
        gw.sum().backward()
        with lib.no_grad():
            assert not lib.func.grad(f_scalar)(xg).requires_grad
        if lib is nb:
            ours = (second, w.grad)
        else:
            theirs = (second, w.grad)
    same(ours, theirs)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4))
def test_grad_agrees_with_backward(values):
    x = nb.tensor(values, dtype=nb.float64, requires_grad=True)
    f_scalar(x).backward()
    np.testing.assert_allclose(nb.func.grad(f_scalar)(x.detach()).numpy(), x.grad.numpy(), rtol=1e-12, atol=1e-14)
    h = nb.func.hessian(f_scalar)(x.detach()).numpy()
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, nb.autograd.functional.hessian(f_scalar, x.detach()).numpy(), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------- vjp, jvp
@pytest.mark.parametrize("call", [
    lambda lib, d: lib.func.vjp(f_vec, d["a"])[1]((d["b"], d["b"] * 2)),
    lambda lib, d: lib.func.vjp(lambda x, y: x * y, d["a"], d["b"])[1](d["a"]),
    lambda lib, d: lib.func.vjp(lambda x: x ** 2, d["a"])[0],
    lambda lib, d: lib.func.vjp(lambda x: (x ** 2, x.sum()), d["a"], has_aux=True)[2],
    lambda lib, d: lib.func.vjp(lambda p: p["w"] @ p["v"], {"w": d["m"], "v": d["a"]})[1](d["b"][:2]),
    lambda lib, d: lib.func.jvp(f_vec, (d["a"],), (d["b"],)),
    lambda lib, d: lib.func.jvp(f_two, (d["a"], d["b"]), (d["b"], d["a"])),
    lambda lib, d: lib.func.jvp(lambda x: (x ** 2, x.mean()), (d["a"],), (d["b"],), has_aux=True),
    lambda lib, d: lib.func.jvp(lambda x: x, (d["a"],), (d["b"],)),
    lambda lib, d: lib.func.jvp(lambda x: d["b"] * 1.0, (d["a"],), (d["b"],)),
    lambda lib, d: lib.func.jvp(lib.func.grad(f_scalar), (d["a"],), (d["b"],)),  # Hessian-vector product
])
def test_vjp_and_jvp_match_pytorch(call):
    ours, theirs = both(call)
    same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.func.vjp(lambda x: x ** 2, x)[1](lib.ones(3)),
    lambda lib, x: lib.func.vjp(lambda x: x ** 2, x)[1]((lib.ones(2),)),
    lambda lib, x: lib.func.vjp(lambda x: 3.0, x),
    lambda lib, x: lib.func.vjp(lambda x: x, 3.0),
    lambda lib, x: lib.func.vjp(lambda x: (x, 5), x, has_aux=True),
    lambda lib, x: lib.func.vjp(lambda x: x, x, has_aux=True),
    lambda lib, x: lib.func.jvp(lambda x: x ** 2, x, (x,)),
    lambda lib, x: lib.func.jvp(lambda x: x ** 2, (x,), x),
    lambda lib, x: lib.func.jvp(lambda x: x ** 2, (x,), (x, x)),
    lambda lib, x: lib.func.jvp(lambda x: x ** 2, (x,), (lib.ones(3),)),
    lambda lib, x: lib.func.jvp(lambda x: (x, 1), (x,), (x,), has_aux=True),
    lambda lib, x: lib.func.jvp(lambda: lib.ones(1), (), ()),
    lambda lib, x: lib.func.jvp(lambda x: 3.0, (x,), (x,)),
])
def test_vjp_and_jvp_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb, nb.ones(2))) == error_of(lambda: call(torch, torch.ones(2)))


# ---------------------------------------------------------------------------------------- Jacobians, Hessians
@pytest.mark.parametrize("transform", ["jacrev", "jacfwd"])
@pytest.mark.parametrize("call", [
    lambda lib, j, d: j(lambda x: x.sin() * x)(d["a"]),
    lambda lib, j, d: j(lambda x: x @ x.T)(d["m"]),
    lambda lib, j, d: j(f_vec)(d["a"]),
    lambda lib, j, d: j(lambda x, y: (x * y, x.sum()), argnums=(0, 1))(d["a"], d["b"]),
    lambda lib, j, d: j(lambda x: (x ** 2, x.mean()), has_aux=True)(d["a"]),
    lambda lib, j, d: j(lambda x: x ** 2)(d["a"][0]),
    lambda lib, j, d: j(lambda p: p["a"] * p["b"].sum())({"a": d["a"], "b": d["b"]}),
    lambda lib, j, d: j(lambda x: d["b"] * 2.0)(d["a"]),
])
def test_jacobians_match_pytorch(call, transform):
    ours, theirs = both(lambda lib, d: call(lib, getattr(lib.func, transform), d))
    same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, d: lib.func.hessian(f_scalar)(d["a"]),
    lambda lib, d: lib.func.hessian(f_two, argnums=(0, 1))(d["a"], d["b"]),
    lambda lib, d: lib.func.hessian(lambda m: (m.tanh() ** 2).sum())(d["m"]),
    lambda lib, d: lib.func.jacrev(lib.func.jacrev(f_scalar))(d["a"]),
    lambda lib, d: lib.func.jacfwd(lib.func.jacfwd(f_scalar))(d["a"]),
])
def test_hessians_match_pytorch(call):
    ours, theirs = both(call)
    same(ours, theirs)


def test_jacobian_errors_match_pytorch(torch):
    for call in (lambda lib: lib.func.jacrev(lambda x: 3.0)(lib.ones(2)),
                 lambda lib: lib.func.jacrev(lambda x: x, argnums=3)(lib.ones(2)),
                 lambda lib: lib.func.jacfwd(lambda x: (x, 1), has_aux=True)(lib.ones(2))):
        assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


# ---------------------------------------------------------------------------------------- vmap
@pytest.mark.parametrize("call", [
    lambda lib, d: lib.func.vmap(lambda a: a.sum())(d["m"]),
    lambda lib, d: lib.func.vmap(lambda a, b: a * b, in_dims=(1, None))(d["m"], d["a"][:2]),
    lambda lib, d: lib.func.vmap(lambda a: a * 2, out_dims=1)(d["m"]),
    lambda lib, d: lib.func.vmap(lambda a: (a, a.sum()), out_dims=(0, None) if False else 0)(d["m"]),
    lambda lib, d: lib.func.vmap(lambda a: (a, lib.ones(1, dtype=lib.float64)), out_dims=(0, None))(d["m"]),
    lambda lib, d: lib.func.vmap(lambda p: p["x"] @ p["y"])({"x": d["m"], "y": d["m"] * 2}),
    lambda lib, d: lib.func.vmap(lambda a: a.sum(), in_dims=-1)(d["m"]),
    lambda lib, d: lib.func.vmap(lambda a, b: a + b)(d["m"], b=d["a"]),
    lambda lib, d: lib.func.vmap(lambda a, n: a * n, in_dims=(0, None))(d["m"], 3),
    lambda lib, d: lib.func.vmap(lib.func.vmap(lambda x: x ** 2))(d["m"]),
    lambda lib, d: lib.func.vmap(lib.func.grad(f_scalar))(d["m"]),
    lambda lib, d: lib.func.vmap(lib.func.jacrev(lambda x: x.sin()))(d["m"]),
    lambda lib, d: lib.func.vmap(lambda a: a)(lib.ones(0, 3)),
    lambda lib, d: lib.func.grad(lambda x: lib.func.vmap(lambda r: (r ** 2).sum())(x).sum())(d["m"]),
])
def test_vmap_matches_pytorch(call):
    ours, theirs = both(call)
    same(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.func.vmap(lambda a, b: a * b)(x, lib.ones(3)),
    lambda lib, x: lib.func.vmap(lambda a: a, in_dims=2)(x),
    lambda lib, x: lib.func.vmap(lambda a: 1.0)(x),
    lambda lib, x: lib.func.vmap(lambda a: a, in_dims=None)(x),
    lambda lib, x: lib.func.vmap(lambda a, b: a, in_dims=(0,))(x, x),
    lambda lib, x: lib.func.vmap(lambda a, n: a * n)(x, 3),
    lambda lib, x: lib.func.vmap(lambda a: a, in_dims=(None,))(x),
    lambda lib, x: lib.func.vmap(lambda: x)(),
    lambda lib, x: lib.func.vmap(lambda a: a, out_dims=3)(x),
    lambda lib, x: lib.func.vmap(lambda a: (a, a), out_dims=(0,))(x),
    lambda lib, x: lib.func.vmap(lambda a: a, randomness="x"),
])
def test_vmap_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb, nb.ones(2, 3))) == error_of(lambda: call(torch, torch.ones(2, 3)))


def test_per_sample_gradients_tutorial(torch):
    """The torch.func tutorial: per-sample gradients with vmap(grad(loss)) over functional_call."""
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)).double()
    ours = nb.nn.Sequential(nb.nn.Linear(3, 4), nb.nn.Tanh(), nb.nn.Linear(4, 2)).double()
    ours.load_state_dict(theirs.state_dict())
    x, y = RNG.standard_normal((5, 3)), RNG.integers(0, 2, 5)

    def per_sample(lib, model):
        params = {k: v.detach() for k, v in model.named_parameters()}

        def loss(p, sample, target):
            out = lib.func.functional_call(model, p, (sample.unsqueeze(0),))
            return lib.nn.functional.cross_entropy(out, target.unsqueeze(0))

        return lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))(params, lib.tensor(x), lib.tensor(y))

    same(per_sample(nb, ours), per_sample(torch, theirs))


# ---------------------------------------------------------------------------------------- functional_call
def test_functional_call_matches_pytorch(torch):
    def run(lib):
        model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3))
        with lib.no_grad():
            for p in model.parameters():
                p.copy_(lib.linspace(-1, 1, p.numel()).reshape(p.shape))
        x = lib.tensor([[1.0, 2.0], [0.5, -1.0], [0.0, 3.0]])
        new = {"0.weight": lib.ones(3, 2), "1.running_mean": lib.full((3,), 0.5)}
        out = [lib.func.functional_call(model.eval(), new, (x,)), lib.func.functional_call(model, new, x),
               lib.func.functional_call(model, ({"0.bias": lib.zeros(3)}, {"1.bias": lib.ones(3)}), (x,)),
               lib.func.functional_call(model[0], {"weight": lib.zeros(3, 2)}, (), {"input": x}), model(x)]
        assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
        assert type(model[0].weight) is lib.nn.Parameter and model[1].running_mean.tolist() == [0.0] * 3
        return out

    same(run(nb), run(torch), rtol=1e-5, atol=1e-6)


def test_functional_call_tied_weights_and_errors(torch):
    def tied(lib, tie):
        shared = lib.nn.Linear(2, 2, bias=False)
        model = lib.nn.Sequential(shared, shared)
        return lib.func.functional_call(model, {"0.weight": lib.eye(2) * 2}, (lib.ones(1, 2),), tie_weights=tie)

    same(tied(nb, True), tied(torch, True))
    assert tied(nb, False).shape == (1, 2)

    def cases(lib):
        m = lib.nn.Linear(2, 1)
        x = lib.ones(1, 2)
        return [lambda: lib.func.functional_call(m, {"bias": lib.ones(1)}, x, strict=True),
                lambda: lib.func.functional_call(m, {"bias": lib.ones(1), "weight": lib.ones(1, 2), "foo": x}, x,
                                                 strict=True),
                lambda: lib.func.functional_call(m, ({"bias": lib.ones(1)}, {"bias": lib.ones(1)}), x),
                lambda: lib.func.functional_call(m, 3, x),
                lambda: lib.func.functional_call(lib.nn.Sequential(m), {"1.bias": lib.ones(1)}, x)]

    for ours, theirs in zip(cases(nb), cases(torch)):
        assert error_of(ours) == error_of(theirs)
