"""Creation and random functions called every way PyTorch allows: shapes, dtypes, flags, ranges and errors.

Random numbers are numpy's, so values are not compared with PyTorch's; everything else is.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_nb as nb


def error_of(fn):
    """(type name, message) of the exception ``fn()`` raises."""
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def same_kind(ours, theirs):
    """Same shape, dtype, requires_grad and leafness."""
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert ours.requires_grad == theirs.requires_grad
    assert ours.is_leaf == theirs.is_leaf


# ---------------------------------------------------------------------------------------- sizes
SIZE_CALLS = [
    lambda f, lib: f(2, 3),
    lambda f, lib: f((2, 3)),
    lambda f, lib: f([2, 3]),
    lambda f, lib: f(lib.Size([2, 3])),
    lambda f, lib: f(size=(2, 3)),
    lambda f, lib: f(size=[4]),
    lambda f, lib: f(()),
    lambda f, lib: f(0),
    lambda f, lib: f(0, 3),
    lambda f, lib: f(np.int64(3)),
    lambda f, lib: f(lib.tensor(3)),
    lambda f, lib: f(2, dtype=lib.float64, requires_grad=True),
    lambda f, lib: f(2, dtype=lib.float64, device="cpu"),
]


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("call", SIZE_CALLS)
def test_size_forms_match_pytorch(torch, name, call):
    same_kind(call(getattr(nb, name), nb), call(getattr(torch, name), torch))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("args, kwargs", [
    ((), {}), ((-1,), {}), ((2, -3), {}), ((2.5,), {}), (((2.5,),), {}), ((2, 2.5), {}), ((2, "a"), {}),
    (("a",), {}), ((True,), {}), (((2,), (3,)), {}), ((2, (3,)), {}), ((), {"size": 2}),
    ((2,), {"size": (2,)}), ((2,), {"dtype": "float32"}), ((2,), {"foo": 1}),
])
def test_size_errors_match_pytorch(torch, name, args, kwargs):
    assert error_of(lambda: getattr(nb, name)(*args, **kwargs)) == error_of(
        lambda: getattr(torch, name)(*args, **kwargs))


@given(st.lists(st.integers(0, 4), max_size=4), st.sampled_from(["zeros", "ones", "empty", "rand", "randn"]),
       st.booleans(), st.sampled_from(["float32", "float64"]))
def test_any_shape_any_form(shape, name, as_tuple, dtype):
    """zeros(*s) and zeros(s) and zeros(size=s) are one tensor shape, in any dtype asked for."""
    f = getattr(nb, name)
    dt = getattr(nb, dtype)
    made = [f(tuple(shape) if as_tuple else list(shape), dtype=dt), f(size=tuple(shape), dtype=dt)]
    if shape:
        made.append(f(*shape, dtype=dt))
    for t in made:
        assert t.shape == tuple(shape) and t.dtype is dt and t.is_leaf and t.grad_fn is None
    if name == "rand":
        assert all(((t.numpy() >= 0) & (t.numpy() < 1)).all() for t in made)


def test_requires_grad_needs_a_floating_dtype(torch):
    for make in (lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True),
                 lambda lib: lib.tensor([1, 2], requires_grad=True),
                 lambda lib: lib.randint(3, (2,), requires_grad=True),
                 lambda lib: lib.zeros_like(lib.ones(2, dtype=lib.int64), requires_grad=True)):
        assert error_of(lambda: make(nb)) == error_of(lambda: make(torch))


# ---------------------------------------------------------------------------------------- full, eye, ranges
@pytest.mark.parametrize("call", [
    lambda lib: lib.full((2,), 3),
    lambda lib: lib.full((2, 2), 3.5),
    lambda lib: lib.full([2], True),
    lambda lib: lib.full(size=(2,), fill_value=1.5),
    lambda lib: lib.full((2,), 3, dtype=lib.float64, requires_grad=True),
    lambda lib: lib.full((2,), lib.tensor(3.0)),
    lambda lib: lib.eye(3),
    lambda lib: lib.eye(2, 3, dtype=lib.int64),
    lambda lib: lib.arange(5),
    lambda lib: lib.arange(end=5),
    lambda lib: lib.arange(1, 2, 0.25),
    lambda lib: lib.arange(5, 0, -2),
    lambda lib: lib.arange(3, dtype=lib.float64, requires_grad=True),
    lambda lib: lib.linspace(0, 1, steps=5),
    lambda lib: lib.linspace(0, 10, 5, dtype=lib.int64),
    lambda lib: lib.linspace(-1, 1, 4, requires_grad=True),
])
def test_full_eye_and_ranges_match_pytorch(torch, call):
    ours, theirs = call(nb), call(torch)
    same_kind(ours, theirs)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("call", [
    lambda lib: lib.full(2, 3), lambda lib: lib.full((-2,), 3), lambda lib: lib.full((2,)),
    lambda lib: lib.full((2,), lib.tensor([3.0])), lambda lib: lib.full((2,), "a"),
    lambda lib: lib.eye(-1), lambda lib: lib.eye(2, -1),
    lambda lib: lib.arange(5, 0), lambda lib: lib.arange(0, 5, 0), lambda lib: lib.linspace(0, 1, -1),
])
def test_full_eye_and_ranges_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


# ---------------------------------------------------------------------------------------- randint, randperm
@pytest.mark.parametrize("call", [
    lambda lib: lib.randint(3, (2,)),
    lambda lib: lib.randint(3, [2, 3]),
    lambda lib: lib.randint(1, 3, (4,)),
    lambda lib: lib.randint(3, size=(2,)),
    lambda lib: lib.randint(1, 3, size=(2,)),
    lambda lib: lib.randint(low=1, high=3, size=(2,)),
    lambda lib: lib.randint(high=3, size=(2,)),
    lambda lib: lib.randint(-5, 0, (3,)),
    lambda lib: lib.randint(3, (2,), dtype=lib.float32),
    lambda lib: lib.randint(3, (2,), dtype=lib.float64, requires_grad=True),
    lambda lib: lib.randint(2, (2,), dtype=lib.bool),
    lambda lib: lib.randint(3, (2,), generator=lib.Generator().manual_seed(0)),
    lambda lib: lib.randperm(5),
    lambda lib: lib.randperm(0),
    lambda lib: lib.randperm(4, dtype=lib.float64, requires_grad=True),
    lambda lib: lib.randperm(4, generator=lib.Generator().manual_seed(1)),
])
def test_randint_and_randperm_match_pytorch(torch, call):
    same_kind(call(nb), call(torch))


@pytest.mark.parametrize("call", [
    lambda lib: lib.randint(3), lambda lib: lib.randint(1, 3), lambda lib: lib.randint(3, 5),
    lambda lib: lib.randint(1, 3, 5), lambda lib: lib.randint(3, 1, (2,)), lambda lib: lib.randint(0, (2,)),
    lambda lib: lib.randint(3.5, (2,)), lambda lib: lib.randint(3, (2.5,)), lambda lib: lib.randint(3, (-2,)),
    lambda lib: lib.randint(3, (2,), generator=3),
    lambda lib: lib.randperm(-1), lambda lib: lib.randperm(2.0), lambda lib: lib.randperm(2, dtype=lib.bool),
])
def test_randint_and_randperm_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


@given(st.integers(-20, 20), st.integers(1, 30), st.lists(st.integers(0, 5), max_size=3))
def test_randint_range(low, span, shape):
    t = nb.randint(low, low + span, tuple(shape))
    assert t.dtype is nb.int64 and t.shape == tuple(shape)
    assert ((t.numpy() >= low) & (t.numpy() < low + span)).all()


@given(st.integers(0, 40))
def test_randperm_is_a_permutation(n):
    assert sorted(nb.randperm(n).tolist()) == list(range(n))


def test_randint_covers_its_range():
    values = nb.randint(2, 6, (400,)).numpy()
    assert set(values.tolist()) == {2, 3, 4, 5}


# ---------------------------------------------------------------------------------------- normal
NORMAL_CALLS = [
    lambda lib: lib.normal(0.0, 1.0, (2, 3)),
    lambda lib: lib.normal(0.0, 1.0, size=(4,)),
    lambda lib: lib.normal(2, 3, (2,)),
    lambda lib: lib.normal(2, 3, (2,), dtype=lib.float64, requires_grad=True),
    lambda lib: lib.normal(lib.zeros(3)),
    lambda lib: lib.normal(mean=lib.ones(2), std=2.0),
    lambda lib: lib.normal(lib.zeros(2, 1), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(2, dtype=lib.float64), lib.ones(2)),
    lambda lib: lib.normal(2.0, lib.ones(2, dtype=lib.float64)),
    lambda lib: lib.normal(lib.zeros(3, requires_grad=True), 1.0),
    lambda lib: lib.normal(0.0, lib.ones(2, requires_grad=True)),
    lambda lib: lib.normal(lib.ones(2, requires_grad=True), lib.ones(2, requires_grad=True)),
    lambda lib: lib.normal(0.0, 1.0, (2,), generator=lib.Generator().manual_seed(0)),
]


@pytest.mark.parametrize("call", NORMAL_CALLS)
def test_normal_overloads_match_pytorch(torch, call):
    ours, theirs = call(nb), call(torch)
    same_kind(ours, theirs)
    assert (ours.grad_fn is None) == (theirs.grad_fn is None)
    if theirs.grad_fn is not None:
        assert ours.grad_fn.name() == theirs.grad_fn.name()
        assert repr(ours).split("grad_fn=")[1] == repr(theirs).split("grad_fn=")[1]


def test_normal_gradients_are_zero_as_in_pytorch(torch):
    for lib in (nb, torch):
        mean = lib.ones(2, 1, requires_grad=True)
        std = lib.ones(3, requires_grad=True)
        lib.normal(mean, std).sum().backward()
        assert mean.grad.tolist() == [[0.0], [0.0]] and std.grad.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("call", [
    lambda lib: lib.normal(), lambda lib: lib.normal(1.0), lambda lib: lib.normal(1.0, 2.0),
    lambda lib: lib.normal(0.0, 1.0, 3), lambda lib: lib.normal(lib.ones(2), 1.0, size=(2,)),
    lambda lib: lib.normal(lib.zeros(2), lib.ones(3)), lambda lib: lib.normal(lib.zeros(2), -1.0),
    lambda lib: lib.normal(lib.zeros(2), -lib.ones(2)), lambda lib: lib.normal(0.0, -1.0, (2,)),
    lambda lib: lib.normal(0.0, float("nan"), (2,)), lambda lib: lib.normal(lib.zeros(2, dtype=lib.int64)),
    lambda lib: lib.normal(2, 3, (2,), dtype=lib.int64),
])
def test_normal_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


def test_normal_statistics():
    nb.manual_seed(0)
    x = nb.normal(3.0, 0.5, (20000,)).numpy()
    assert abs(x.mean() - 3.0) < 0.02 and abs(x.std() - 0.5) < 0.02
    y = nb.normal(nb.tensor([[-10.0], [10.0]]), nb.tensor([0.1, 1.0, 2.0])).numpy()
    assert y.shape == (2, 3) and (y[0] < 0).all() and (y[1] > 0).all()


# ---------------------------------------------------------------------------------------- generators
@pytest.mark.parametrize("make", [
    lambda g: nb.rand(3, generator=g), lambda g: nb.randn(2, 2, generator=g), lambda g: nb.randint(9, (5,), generator=g),
    lambda g: nb.randperm(6, generator=g), lambda g: nb.normal(0.0, 1.0, (3,), generator=g),
    lambda g: nb.rand_like(nb.ones(3), generator=g),
])
def test_generators_repeat_their_numbers(make):
    first = make(nb.Generator().manual_seed(5)).tolist()
    assert make(nb.Generator().manual_seed(5)).tolist() == first
    g = nb.Generator().manual_seed(5)
    nb.manual_seed(123)
    assert make(g).tolist() == first  # the default generator's state plays no part
    assert make(g).tolist() != first or len(first) <= 1


def test_generator_seeds_match_pytorch(torch):
    for seed in (0, 7, -1, 2**63, 2**64 - 1, -(2**63)):
        assert nb.Generator().manual_seed(seed).initial_seed() == torch.Generator().manual_seed(seed).initial_seed()
    assert nb.Generator().initial_seed() == torch.Generator().initial_seed()
    g = nb.Generator()
    assert g.manual_seed(3) is g
    for bad in (1.5, "a", 2**64, -(2**63) - 1):
        assert error_of(lambda: nb.Generator().manual_seed(bad)) == error_of(
            lambda: torch.Generator().manual_seed(bad))
    assert error_of(lambda: nb.manual_seed("a")) == error_of(lambda: torch.manual_seed("a"))
    assert nb.manual_seed(1.5).initial_seed() == torch.manual_seed(1.5).initial_seed() == 1
    assert error_of(lambda: nb.rand(2, generator=3)) == error_of(lambda: torch.rand(2, generator=3))


def test_manual_seed_repeats_the_default_generator():
    nb.manual_seed(11)
    a = [nb.rand(3).tolist(), nb.randn(2).tolist(), nb.randint(5, (4,)).tolist()]
    nb.manual_seed(11)
    assert [nb.rand(3).tolist(), nb.randn(2).tolist(), nb.randint(5, (4,)).tolist()] == a


# ---------------------------------------------------------------------------------------- *_like
LIKE_CALLS = [
    lambda lib, x: lib.zeros_like(x),
    lambda lib, x: lib.ones_like(x, dtype=lib.float64),
    lambda lib, x: lib.empty_like(x),
    lambda lib, x: lib.full_like(x, 2.7),
    lambda lib, x: lib.full_like(x, 2, dtype=lib.int64),
    lambda lib, x: lib.rand_like(x, requires_grad=True),
    lambda lib, x: lib.randn_like(x, dtype=lib.float64, device="cpu"),
    lambda lib, x: lib.zeros_like(x, requires_grad=True),
]


@pytest.mark.parametrize("call", LIKE_CALLS)
@pytest.mark.parametrize("source", [
    lambda lib: lib.ones(2, 3), lambda lib: lib.ones(4, dtype=lib.float64, requires_grad=True),
    lambda lib: lib.ones(2, 3, requires_grad=True) * 2, lambda lib: lib.tensor(1.5),
])
def test_like_functions_match_pytorch(torch, call, source):
    ours, theirs = call(nb, source(nb)), call(torch, source(torch))
    same_kind(ours, theirs)
    if not {"rand_like", "randn_like", "empty_like"} & set(call.__code__.co_names):
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros_like([1.0]), lambda lib: lib.rand_like([1.0]),
    lambda lib: lib.rand_like(lib.ones(2, dtype=lib.int64)), lambda lib: lib.randn_like(lib.ones(2, dtype=lib.int64)),
    lambda lib: lib.full_like(lib.ones(2, dtype=lib.int64), 2.7),
])
def test_like_errors_and_integer_inputs_match_pytorch(torch, call):
    try:
        expected = repr(call(torch))
    except Exception:
        assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))
    else:
        assert repr(call(nb)) == expected


# ---------------------------------------------------------------------------------------- tensor, as_tensor, from_numpy
@pytest.mark.parametrize("data", [[1, 2], [1.0, 2], 3.5, [], [[True], [False]], np.arange(3.0),
                                  np.arange(3, dtype=np.float32), np.int64(4)])
@pytest.mark.parametrize("dtype", [None, "float64", "int64"])
def test_tensor_and_as_tensor_match_pytorch(torch, data, dtype):
    for fn in ("tensor", "as_tensor"):
        ours = getattr(nb, fn)(data, dtype=None if dtype is None else getattr(nb, dtype))
        theirs = getattr(torch, fn)(data, dtype=None if dtype is None else getattr(torch, dtype))
        same_kind(ours, theirs)
        assert repr(ours) == repr(theirs)


def test_as_tensor_shares_memory_as_pytorch(torch):
    for lib in (nb, torch):
        a = np.zeros(3)
        lib.as_tensor(a)[0] = 9.0  # same dtype: shared
        lib.as_tensor(a, dtype=lib.float32)[1] = 9.0  # converted: a copy
        assert a.tolist() == [9.0, 0.0, 0.0]
        t = lib.ones(2)
        assert lib.as_tensor(t) is t
        grad_t = lib.ones(2, requires_grad=True)
        converted = lib.as_tensor(grad_t, dtype=lib.float64)
        assert converted.grad_fn.name() == "ToCopyBackward0"


def test_from_numpy_shares_memory_and_errors(torch):
    for lib in (nb, torch):
        a = np.zeros((2, 2))
        t = lib.from_numpy(a)
        a[0, 0] = 5.0
        assert t[0, 0].item() == 5.0 and repr(t.dtype) == "torch.float64"
    for bad in ([1.0], np.array(["a"])):
        assert error_of(lambda: nb.from_numpy(bad)) == error_of(lambda: torch.from_numpy(bad))
    assert error_of(lambda: nb.from_numpy(np.array([1 + 2j]))) == (  # PyTorch has complex tensors
        "TypeError", "can't convert np.ndarray of type numpy.complex128. The only supported types are: float64, "
                     "float32, int64, and bool.")
    # int32 and float16 arrays: PyTorch keeps their dtype; here they become int64 and float32 (a copy)
    assert nb.from_numpy(np.zeros(2, np.int32)).dtype is nb.int64
    assert nb.from_numpy(np.zeros(2, np.float16)).dtype is nb.float32


def test_tensor_errors_match_pytorch(torch):
    for call in (lambda lib: lib.tensor("a"), lambda lib: lib.tensor([1.0], dtype="x")):
        assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))
