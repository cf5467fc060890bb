"""autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp agree with torch.autograd.functional.

Every case runs the same function on the same float64 numbers in both libraries and compares values,
shapes, dtypes, the tuple structure of the result, and the error messages a learner meets.
"""
import numpy as np
import pytest

import autograd_nb as nb
from autograd_nb.autograd import functional as F

# PyTorch's vmap-based forward mode (the oracle for strategy="forward-mode") warns about torch.jit.script
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")

RNG = np.random.default_rng(7)


def _data(*shapes):
    return [RNG.uniform(0.5, 1.5, size=s) for s in shapes]


# (name, function written once for both libraries, input shapes); the same code runs on either tensor type
VECTOR_CASES = [
    ("exp_reducer", lambda x: x.exp().sum(dim=1), [(2, 3)]),
    ("elementwise", lambda x: x.sin() * x, [(4,)]),
    ("tuple_in", lambda x, y: 2 * x.exp() + 3 * y * x, [(3,), (3,)]),
    ("tuple_out", lambda x: (x.tanh(), x.sum() * 2), [(3,)]),
    ("tuple_in_tuple_out", lambda W, x: (W @ x, (W * W).sum(dim=0) + x), [(2, 3), (3,)]),
    ("scalar_out", lambda x: (x ** 3).sum(), [(2, 2)]),
    ("scalar_in", lambda s: s * s.exp(), [()]),
]
SCALAR_CASES = [
    ("pow_reducer", lambda x: (x ** 3).sum(), [(2, 2)]),
    ("pow_adder", lambda x, y: (2 * x ** 2 + 3 * y ** 2 * x).sum(), [(2,), (2,)]),
    ("matrix", lambda W, x: ((W @ x).tanh() ** 2).sum(), [(2, 3), (3,)]),
    ("scalar_in", lambda s: (s * s.sin()).sum(), [()]),
]


def _inputs(torch, shapes, single_as_tensor=True):
    arrays = _data(*shapes)
    ours = tuple(nb.tensor(a, dtype=nb.float64) for a in arrays)
    theirs = tuple(torch.tensor(a, dtype=torch.float64) for a in arrays)
    if single_as_tensor and len(arrays) == 1:
        return ours[0], theirs[0]
    return ours, theirs


def assert_same(ours, theirs, rtol=1e-7, atol=1e-10, requires_grad=True):
    """Same nesting of tuples, and tensors with the same shape, dtype, requires_grad and values."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple), f"expected a tuple, got {type(ours).__name__}"
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same(o, t, rtol, atol, requires_grad)
        return
    assert isinstance(ours, nb.Tensor), f"expected a Tensor, got {type(ours).__name__}"
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    if requires_grad:
        assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=atol)


def _tuples(result):
    """PyTorch's forward-mode Jacobian comes back as lists (a vmap artifact; its docs promise tuples)."""
    if isinstance(result, (list, tuple)):
        return tuple(_tuples(r) for r in result)
    return result


def _v_like(torch, example):
    """A fixed vector v shaped like ``example`` (a tensor or tuple of tensors), in both libraries."""
    if isinstance(example, tuple):
        pairs = [_v_like(torch, e) for e in example]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    array = RNG.uniform(-1, 1, size=tuple(example.shape))
    return nb.tensor(array, dtype=nb.float64), torch.tensor(array, dtype=torch.float64)


# --------------------------------------------------------------------------- values against PyTorch
@pytest.mark.parametrize("name, fn, shapes", VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES])
def test_jacobian_reverse_mode_matches_torch(torch, name, fn, shapes):
    ours, theirs = _inputs(torch, shapes)
    assert_same(F.jacobian(fn, ours), torch.autograd.functional.jacobian(fn, theirs))


@pytest.mark.parametrize("name, fn, shapes", VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES])
def test_jacobian_forward_mode_matches_torch_and_reverse_mode(torch, name, fn, shapes):
    ours, theirs = _inputs(torch, shapes)
    forward = F.jacobian(fn, ours, strategy="forward-mode")
    # PyTorch's forward mode needs vectorize=True (vmap); ours runs one JVP per column without it
    assert_same(forward, _tuples(torch.autograd.functional.jacobian(fn, theirs, strategy="forward-mode",
                                                                    vectorize=True)))
    assert_same(forward, torch.autograd.functional.jacobian(fn, theirs))  # == reverse mode's matrix
    assert_same(F.jacobian(fn, ours, vectorize=True), torch.autograd.functional.jacobian(fn, theirs))


def test_jacobian_tuple_input_given_as_one_element_tuple_stays_a_tuple(torch):
    ours, theirs = _inputs(torch, [(3,)], single_as_tensor=False)
    result = F.jacobian(lambda a: a * 2, ours)
    expected = torch.autograd.functional.jacobian(lambda a: a * 2, theirs)
    assert isinstance(result, tuple) and len(result) == 1
    assert_same(result, expected)


def test_jacobian_counts_its_backward_passes_per_strategy():
    """Reverse mode runs one backward per output element, forward mode one function call per input element."""
    calls = []

    def f(x):
        calls.append(1)
        return nb.stack([x.sum(), (x * x).sum()])  # 2 outputs, 5 inputs

    x = nb.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=nb.float64)
    reverse = F.jacobian(f, x)
    assert len(calls) == 1  # one forward, then 2 VJPs (rows)
    calls.clear()
    forward = F.jacobian(f, x, strategy="forward-mode")
    assert len(calls) == 5  # one forward per column
    np.testing.assert_allclose(reverse.numpy(), forward.numpy())
    np.testing.assert_allclose(reverse.numpy(), [[1, 1, 1, 1, 1], [2, 4, 6, 8, 10]])


def test_forward_mode_jacobian_has_the_output_dtype_reverse_mode_the_input_dtype(torch):
    x = nb.tensor([1.0, 2.0])  # float32 in, float64 out
    tx = torch.tensor([1.0, 2.0])
    fn = lambda a: a.double() * 3  # noqa: E731
    assert_same(F.jacobian(fn, x), torch.autograd.functional.jacobian(fn, tx))
    assert_same(F.jacobian(fn, x, strategy="forward-mode"),
                _tuples(torch.autograd.functional.jacobian(fn, tx, strategy="forward-mode", vectorize=True)))


def test_jacobian_of_unused_input_is_zeros(torch):
    ours, theirs = _inputs(torch, [(2,), (3,)])
    fn = lambda x, y: x.exp()  # noqa: E731
    assert_same(F.jacobian(fn, ours), torch.autograd.functional.jacobian(fn, theirs))
    assert_same(F.jacobian(fn, ours, strategy="forward-mode"),
                _tuples(torch.autograd.functional.jacobian(fn, theirs, strategy="forward-mode", vectorize=True)))


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
@pytest.mark.parametrize("name, fn, shapes", SCALAR_CASES, ids=[c[0] for c in SCALAR_CASES])
def test_hessian_matches_torch(torch, name, fn, shapes, strategy):
    ours, theirs = _inputs(torch, shapes)
    result = F.hessian(fn, ours, outer_jacobian_strategy=strategy)
    assert_same(result, torch.autograd.functional.hessian(fn, theirs))
    # PyTorch's forward-over-reverse Hessian comes back attached to a graph even without create_graph
    # (its inner inputs get requires_grad_(True) and nothing detaches them); ours is detached, as documented
    assert not result.requires_grad if isinstance(result, nb.Tensor) else True
    assert_same(result, _tuples(torch.autograd.functional.hessian(fn, theirs, outer_jacobian_strategy=strategy,
                                                                  vectorize=strategy == "forward-mode")),
                requires_grad=strategy == "reverse-mode")


@pytest.mark.parametrize("name, fn, shapes", VECTOR_CASES, ids=[c[0] for c in VECTOR_CASES])
def test_vjp_and_jvp_match_torch(torch, name, fn, shapes):
    ours, theirs = _inputs(torch, shapes)
    v_out, tv_out = _v_like(torch, fn(*(ours if isinstance(ours, tuple) else (ours,))))
    v_in, tv_in = _v_like(torch, ours)
    assert_same(F.vjp(fn, ours, v_out), torch.autograd.functional.vjp(fn, theirs, tv_out))
    assert_same(F.jvp(fn, ours, v_in), torch.autograd.functional.jvp(fn, theirs, tv_in))


def test_vjp_and_jvp_without_v_for_single_elements(torch):
    x, tx = nb.tensor(0.7, dtype=nb.float64), torch.tensor(0.7, dtype=torch.float64)
    fn = lambda s: (s * s.exp()).sum()  # noqa: E731
    assert_same(F.vjp(fn, x), torch.autograd.functional.vjp(fn, tx))
    assert_same(F.jvp(fn, x), torch.autograd.functional.jvp(fn, tx))
    assert_same(F.hvp(fn, x), torch.autograd.functional.hvp(fn, tx))
    assert_same(F.vhp(fn, x), torch.autograd.functional.vhp(fn, tx))


@pytest.mark.parametrize("name, fn, shapes", SCALAR_CASES, ids=[c[0] for c in SCALAR_CASES])
def test_hvp_and_vhp_match_torch(torch, name, fn, shapes):
    ours, theirs = _inputs(torch, shapes)
    v, tv = _v_like(torch, ours)
    hvp = F.hvp(fn, ours, v)
    assert_same(hvp, torch.autograd.functional.hvp(fn, theirs, tv))
    assert_same(F.vhp(fn, ours, v), torch.autograd.functional.vhp(fn, theirs, tv))
    assert_same(F.vhp(fn, ours, v), hvp)  # H is symmetric for these smooth functions


def test_vjp_of_jacobian_rows_rebuilds_the_jacobian():
    """vᵀ·J with v = e_k is row k of J; J·e_k is column k."""
    W = nb.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=nb.float64)
    fn = lambda x: W @ x  # noqa: E731
    x = nb.tensor([1.0, -1.0, 2.0], dtype=nb.float64)
    J = F.jacobian(fn, x)
    np.testing.assert_allclose(J.numpy(), W.numpy())
    for k in range(2):
        e = nb.zeros(2, dtype=nb.float64)
        e[k] = 1.0
        np.testing.assert_allclose(F.vjp(fn, x, e)[1].numpy(), W.numpy()[k])
    for k in range(3):
        e = nb.zeros(3, dtype=nb.float64)
        e[k] = 1.0
        np.testing.assert_allclose(F.jvp(fn, x, e)[1].numpy(), W.numpy()[:, k])


# --------------------------------------------------------------------------- create_graph=True
def test_jacobian_create_graph_can_be_differentiated(torch):
    fn = lambda x: x.exp() * x.sin()  # noqa: E731
    x = nb.tensor([0.3, 0.8, 1.2], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([0.3, 0.8, 1.2], dtype=torch.float64, requires_grad=True)
    J = F.jacobian(fn, x, create_graph=True)
    tJ = torch.autograd.functional.jacobian(fn, tx, create_graph=True)
    assert_same(J, tJ)
    assert J.grad_fn.name() == tJ.grad_fn.name() == "ViewBackward0"
    (J * J).sum().backward()
    (tJ * tJ).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10)


def test_jacobian_without_create_graph_is_detached(torch):
    x = nb.tensor([0.3, 0.8], dtype=nb.float64, requires_grad=True)
    J = F.jacobian(lambda a: a ** 2, x)
    assert not J.requires_grad and J.grad_fn is None


@pytest.mark.parametrize("which", ["vjp", "jvp", "hvp", "vhp"])
def test_products_with_create_graph_can_be_differentiated(torch, which):
    fn = lambda x: (x.exp() * x).sum() if which in ("hvp", "vhp") else x.exp() * x  # noqa: E731
    x = nb.tensor([0.3, 0.8, 1.2], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([0.3, 0.8, 1.2], dtype=torch.float64, requires_grad=True)
    v = nb.tensor([1.0, -2.0, 0.5], dtype=nb.float64)
    tv = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    out, res = getattr(F, which)(fn, x, v, create_graph=True)
    tout, tres = getattr(torch.autograd.functional, which)(fn, tx, tv, create_graph=True)
    assert_same((out, res), (tout, tres))
    res.sum().backward()
    tres.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10)


def test_hessian_create_graph(torch):
    fn = lambda x: (x ** 4).sum()  # noqa: E731
    x = nb.tensor([0.5, 2.0], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
    H = F.hessian(fn, x, create_graph=True)
    tH = torch.autograd.functional.hessian(fn, tx, create_graph=True)
    assert_same(H, tH)
    H.sum().backward()
    tH.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())  # 24·x


def test_strategies_reject_create_graph_with_forward_mode(torch):
    x = nb.tensor([1.0, 2.0], dtype=nb.float64)
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64)
    _same_error(torch,
                lambda: F.jacobian(lambda a: a * 2, x, create_graph=True, strategy="forward-mode"),
                lambda: torch.autograd.functional.jacobian(lambda a: a * 2, tx, create_graph=True,
                                                           strategy="forward-mode", vectorize=True))


# --------------------------------------------------------------------------- learners' mistakes
def _same_error(torch, ours, theirs):
    """Both calls raise the same exception type with the same message."""
    with pytest.raises(Exception) as expected:
        theirs()
    with pytest.raises(Exception) as got:
        ours()
    assert type(got.value) is type(expected.value)
    assert str(got.value) == str(expected.value)


def _mistakes(L, F_, x, y, v2):
    """(name, call) pairs written once for both libraries. x: shape (3,), y: shape (2,), v2: shape (2,)."""
    return [
        ("vjp_v_missing", lambda: F_.vjp(lambda a: a * 2, x)),
        ("vjp_v_wrong_size", lambda: F_.vjp(lambda a: a * 2, x, v2)),
        ("vjp_v_tuple_too_short", lambda: F_.vjp(lambda a: (a * 2, a * 3), x, (x,))),
        ("vjp_v_single_for_tuple_outputs", lambda: F_.vjp(lambda a: (a * 2, a * 3), x, x)),
        ("vjp_v_tuple_for_single_output", lambda: F_.vjp(lambda a: a * 2, x, (x, x))),
        ("vjp_v_entry_wrong_size", lambda: F_.vjp(lambda a, b: (a * 2, b * 3), (x, y), (x, x))),
        ("jvp_v_missing", lambda: F_.jvp(lambda a: a * 2, x)),
        ("jvp_v_wrong_size", lambda: F_.jvp(lambda a: a * 2, x, v2)),
        ("jvp_v_entry_wrong_size", lambda: F_.jvp(lambda a, b: a * 2, (x, y), (x, x))),
        ("inputs_as_list", lambda: F_.jacobian(lambda a, b: a * b, [x, x])),
        ("input_not_a_tensor", lambda: F_.jacobian(lambda a: a * 2, 3.0)),
        ("tuple_entry_not_a_tensor", lambda: F_.vjp(lambda a, b: a * b, (x, 2.0), x)),
        ("output_not_a_tensor", lambda: F_.jacobian(lambda a: 2.0, x)),
        ("output_is_a_list", lambda: F_.jacobian(lambda a: [a, a], x)),
        ("v_not_a_tensor", lambda: F_.vjp(lambda a: a * 2, x, [1.0, 2.0, 3.0])),
        ("hessian_vector_output", lambda: F_.hessian(lambda a: a * 2, x)),
        ("hessian_tuple_output", lambda: F_.hessian(lambda a: (a.sum(), a.sum()), x)),
        ("hvp_vector_output", lambda: F_.hvp(lambda a: a * 2, x, x)),
        ("vhp_vector_output", lambda: F_.vhp(lambda a: a * 2, x, x)),
        ("hvp_v_missing", lambda: F_.hvp(lambda a: (a * a).sum(), x)),
        ("vhp_v_wrong_size", lambda: F_.vhp(lambda a: (a * a).sum(), x, v2)),
        ("jacobian_bad_strategy", lambda: F_.jacobian(lambda a: a * 2, x, strategy="reverse")),
        ("hessian_bad_strategy", lambda: F_.hessian(lambda a: (a * a).sum(), x,
                                                    outer_jacobian_strategy="forward")),
        # strict=True: results that do not depend on an input are refused
        ("strict_vjp_unused_input", lambda: F_.vjp(lambda a, b: a * 2, (x, y), x, strict=True)),
        ("strict_jvp_unused_input", lambda: F_.jvp(lambda a, b: a * 2, (x, y), (x, y), strict=True)),
        ("strict_jacobian_unused_input", lambda: F_.jacobian(lambda a, b: a * 2, (x, y), strict=True)),
        ("strict_jacobian_constant_output", lambda: F_.jacobian(lambda a: L.ones(2), x, strict=True)),
        ("strict_hessian_linear", lambda: F_.hessian(lambda a: (a * 2).sum(), x, strict=True)),
        ("strict_vhp_linear", lambda: F_.vhp(lambda a: (a * 2).sum(), x, x, strict=True)),
        ("strict_hvp_linear", lambda: F_.hvp(lambda a: (a * 2).sum(), x, x, strict=True)),
        ("strict_vjp_create_graph_constant_grad",
         lambda: F_.vjp(lambda a: a * 2, x, x, create_graph=True, strict=True)),
        ("strict_jacobian_forward_mode",
         lambda: F_.jacobian(lambda a: a * 2, x, strict=True, strategy="forward-mode", vectorize=True)),
    ]


MISTAKE_NAMES = [name for name, _ in _mistakes(None, None, None, None, None)]


@pytest.mark.parametrize("index", range(len(MISTAKE_NAMES)), ids=MISTAKE_NAMES)
def test_error_messages_match_torch(torch, index):
    def args(L, dtype):
        x = L.tensor([1.0, 2.0, 3.0], dtype=dtype)
        y = L.tensor([4.0, 5.0], dtype=dtype)
        return x, y, L.tensor([1.0, 1.0], dtype=dtype)

    ours = _mistakes(nb, F, *args(nb, nb.float64))[index][1]
    theirs = _mistakes(torch, torch.autograd.functional, *args(torch, torch.float64))[index][1]
    _same_error(torch, ours, theirs)


def test_non_strict_mode_fills_in_zeros(torch):
    x, y = nb.tensor([1.0, 2.0, 3.0], dtype=nb.float64), nb.tensor([4.0, 5.0], dtype=nb.float64)
    tx, ty = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), torch.tensor([4.0, 5.0], dtype=torch.float64)
    fn = lambda a, b: a * 2  # noqa: E731
    assert_same(F.vjp(fn, (x, y), x), torch.autograd.functional.vjp(fn, (tx, ty), tx))
    const = lambda a: a.detach() * 0 + 1  # noqa: E731  (does not depend on a)
    assert_same(F.jacobian(const, x), torch.autograd.functional.jacobian(const, tx))
    assert_same(F.hessian(lambda a: (a * 2).sum(), x),
                torch.autograd.functional.hessian(lambda a: (a * 2).sum(), tx))


def test_callers_tensors_are_left_alone():
    x = nb.tensor([1.0, 2.0], dtype=nb.float64, requires_grad=True)
    F.jacobian(lambda a: a * a, x)
    F.hessian(lambda a: (a ** 3).sum(), x)
    F.vjp(lambda a: a * a, x, nb.ones(2, dtype=nb.float64))
    assert x.grad is None and x.is_leaf
