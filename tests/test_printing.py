"""autograd_nb.printing must print arrays byte for byte like PyTorch.

PyTorch itself is the oracle: every test builds the same data as a numpy
array and as a torch tensor and compares ``format_tensor`` with ``repr``.
"""

import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_nb.printing import format_size, format_tensor, standard_suffixes


def _import_torch_oracle():
    """Import torch; skip locally when it is missing, but fail under CI."""
    try:
        import torch
    except ImportError:
        if os.environ.get("CI"):
            raise  # in CI the oracle must be installed: a skip would hide it
        pytest.skip("torch is needed as the printing oracle", allow_module_level=True)
    return torch


torch = _import_torch_oracle()
pytestmark = pytest.mark.torch  # every test here uses the oracle: `-m "not torch"` skips them


nan, inf = math.nan, math.inf


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def as_torch(array):
    """A torch tensor with the same values (torch wants a C-contiguous copy)."""
    return torch.from_numpy(np.array(array, order="C", copy=True))


def torch_repr(array, grad=None):
    """PyTorch's text for ``array``.

    grad=None: a plain tensor; "leaf": requires_grad=True;
    "op": the result of an autograd-recorded op (``clone`` keeps the values).
    """
    tensor = as_torch(array)
    if grad == "leaf":
        tensor.requires_grad_()
    elif grad == "op":
        tensor = tensor.requires_grad_().clone()
    return repr(tensor)


def ours(array, grad=None):
    """Our text for ``array``, with the suffixes PyTorch would add."""
    suffixes = standard_suffixes(
        array,
        requires_grad=grad == "leaf",
        grad_fn="CloneBackward0" if grad == "op" else None,
    )
    return format_tensor(array, suffixes)


def assert_same(array, grad=None):
    expected = torch_repr(array, grad)
    actual = ours(array, grad)
    assert actual == expected, f"\nours:\n{actual}\ntorch:\n{expected}"


f32 = np.float32
f64 = np.float64
i64 = np.int64


def arr(values, dtype=f32):
    with np.errstate(over="ignore"):
        return np.array(values, dtype=dtype)


# ---------------------------------------------------------------------------
# Hand-written cases, one group per rule
# ---------------------------------------------------------------------------

CASES = {
    # whole-number floats print with a trailing dot
    "whole": arr([1.0, 2.0]),
    "whole_negative_zero": arr([-0.0, 0.0, 1.0]),
    "whole_mixed_width": arr([1.0, -2.0, 30.0]),
    "whole_float64": arr([1.0, 2.0], f64),
    "only_zeros": arr([0.0, 0.0, 0.0]),
    "only_zeros_2d": np.zeros((3, 3), f32),
    # fixed four decimals
    "fixed": arr([1.0, 2.5]),
    "fixed_rounding": arr([0.1, -0.25, 3.14159, 2.71828]),
    "fixed_rounds_to_zero": arr([0.00004, 0.1, 0.2], f64),
    "fixed_big_and_small": arr([0.5, 499.75]),
    "fixed_float64": arr([1.0, 2.5, -7.125], f64),
    # scientific notation
    "sci_large_ratio": arr([1e5, 1.0]),
    "sci_tiny": arr([1e-5, 1.0]),
    "sci_single_tiny": arr([1e-5]),
    "sci_above_1e8": arr([1e9]),
    "sci_whole_above_1e8": arr([123456789.0, 2.0], f64),
    "not_sci_ratio_exactly_1000": arr([1000.0, 1.0]),
    "sci_ratio_just_over_1000": arr([1000.5, 1.0]),
    "not_sci_1e8": arr([1e8], f64),
    "not_sci_1e-4": arr([1e-4, 2e-4], f64),
    "sci_negative": arr([-1e-7, 3e-7, -2.5e-6]),
    "sci_float64_extremes": arr([1e308, 5e-324, -1e-300], f64),
    "sci_float32_subnormal": arr([1e-45, 1.0]),
    # nan and inf
    "nan_inf": arr([nan, inf, -inf]),
    "whole_with_nan": arr([1.0, nan, 3.0]),
    "whole_with_neg_inf": arr([1.0, -inf]),
    "fixed_with_inf": arr([1.5, inf, -inf, nan]),
    "sci_with_nan": arr([1e10, -inf, nan, 1.0]),
    "zeros_and_nan": arr([0.0, nan, -0.0]),
    "float32_overflow_to_inf": arr([1e39, 1.0]),
    # column widths
    "width_floats": arr([1.0, -100.0]),
    "width_2d": arr([[1.0, 200.0], [-3.0, 4.5]]),
    "width_ints": arr([[1, 200], [-3, 4]], i64),
    # integers
    "int64": np.arange(3),
    "int64_negative": arr([-5, 0, 17], i64),
    "int64_extremes": arr([-(2**63), 2**63 - 1], i64),
    "int64_2d": np.arange(12).reshape(3, 4),
    # bools
    "bool": arr([True, False], np.bool_),
    "bool_all_true": arr([True, True], np.bool_),
    "bool_2d": arr([[True, False, True], [False, False, True]], np.bool_),
    # 0-d
    "scalar_whole": arr(3.0),
    "scalar_fixed": arr(2.5),
    "scalar_sci": arr(1e-10, f64),
    "scalar_nan": arr(nan),
    "scalar_neg_inf": arr(-inf, f64),
    "scalar_neg_zero": arr(-0.0),
    "scalar_int": arr(5, i64),
    "scalar_bool": arr(True, np.bool_),
    # multi-dimensional layouts
    "matrix": np.arange(6, dtype=f32).reshape(2, 3) / 4,
    "column": np.arange(4, dtype=f32).reshape(4, 1),
    "three_d": np.arange(12, dtype=f32).reshape(2, 2, 3),
    "four_d": np.arange(24, dtype=f64).reshape(2, 3, 2, 2) - 11.5,
    "singleton_dims": np.ones((1, 1, 1), f32),
    # rows longer than the line width are wrapped
    "wrap_1d": np.arange(30, dtype=f32),
    "wrap_1d_sci": np.arange(1, 31, dtype=f32) ** 4,
    "wrap_2d": np.linspace(-3, 3, 60, dtype=f32).reshape(3, 20),
    "wrap_3d": np.arange(2 * 2 * 25, dtype=i64).reshape(2, 2, 25) * 1000,
    "wrap_bools": np.arange(40) % 3 == 0,
    # summarisation above 1000 elements
    "summary_1d_int": np.arange(1001),
    "just_below_summary": np.arange(1000),
    "summary_2d": np.arange(2000, dtype=f32).reshape(40, 50),
    "summary_only_columns": np.arange(1200, dtype=f32).reshape(3, 400) / 7,
    "summary_only_rows": np.arange(2002, dtype=f64).reshape(1001, 2),
    "summary_3d": np.arange(1100, dtype=f32).reshape(10, 10, 11) * 0.5,
    "summary_4d": np.arange(7 * 7 * 7 * 7, dtype=i64).reshape(7, 7, 7, 7),
    # the hidden middle does not influence the style or width
    "summary_hidden_values_ignored": np.concatenate(
        [np.ones(3, f32), np.full(1000, 1e9, f32), np.ones(3, f32) * 2]
    ),
    # empty tensors
    "empty_1d": np.zeros(0, f32),
    "empty_2d": np.zeros((0, 3), f32),
    "empty_3d_middle": np.zeros((2, 0, 4), f32),
    "empty_float64": np.zeros((0, 3), f64),
    "empty_int64": np.zeros((0,), i64),
    "empty_int64_2d": np.zeros((3, 0), i64),
    "empty_bool": np.zeros((0, 2), np.bool_),
}

FLOAT_CASES = [name for name, a in CASES.items() if a.dtype.kind == "f"]


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch(name):
    assert_same(CASES[name])


@pytest.mark.parametrize("grad", ["leaf", "op"])
@pytest.mark.parametrize("name", FLOAT_CASES)
def test_matches_torch_with_grad_suffixes(name, grad):
    assert_same(CASES[name], grad)


def test_examples_from_the_docs():
    assert format_tensor(arr([1.0, 2.0]), ["requires_grad=True"]) == (
        "tensor([1., 2.], requires_grad=True)"
    )
    assert format_tensor(arr(3.0)) == "tensor(3.)"
    assert format_tensor(np.zeros((0, 3), f32)) == "tensor([], size=(0, 3))"
    assert format_tensor(arr([True, False], np.bool_)) == "tensor([ True, False])"
    assert format_tensor(np.arange(3)) == "tensor([0, 1, 2])"
    assert format_tensor(arr([1e5, 1.0])) == "tensor([1.0000e+05, 1.0000e+00])"


def test_explicit_suffixes_in_given_order():
    a = arr([1.0, 2.0], f64)
    text = format_tensor(a, ["dtype=torch.float64", "requires_grad=True"])
    assert text == "tensor([1., 2.], dtype=torch.float64, requires_grad=True)"
    assert text == torch_repr(a, "leaf")


def test_size_goes_before_caller_suffixes_for_empty_tensors():
    a = np.zeros((0, 3), f64)
    text = format_tensor(a, ["dtype=torch.float64", "grad_fn=<CloneBackward0>"])
    assert text == "tensor([], size=(0, 3), dtype=torch.float64, grad_fn=<CloneBackward0>)"
    assert text == torch_repr(a, "op")


@pytest.mark.parametrize(
    "array",
    [
        # the numbers end near the right margin, so suffixes wrap
        np.arange(11, dtype=f64) + 0.5,
        np.arange(12, dtype=f64) + 0.5,
        np.arange(13, dtype=f32) * 1e6,
        np.arange(2 * 12, dtype=f64).reshape(2, 12) + 0.25,
        np.arange(16, dtype=f64).reshape(1, 16) * 3,
        np.zeros((0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), f64),
    ],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
@pytest.mark.parametrize("grad", [None, "leaf", "op"])
def test_suffixes_move_to_a_new_line_when_too_long(array, grad):
    assert_same(array, grad)


def test_a_long_suffix_really_wraps():
    a = np.arange(12, dtype=f64) + 0.5
    text = ours(a, "op")
    assert text.endswith(",\n       grad_fn=<CloneBackward0>)")
    assert text == torch_repr(a, "op")


@pytest.mark.parametrize(
    "array",
    [
        np.arange(30, dtype=f32),
        np.arange(6, dtype=f32).reshape(2, 3) + 0.5,
        np.zeros((0, 2), i64),
        arr(7.0),
    ],
    ids=["wrap", "matrix", "empty", "scalar"],
)
def test_custom_prefix_sets_the_indent(array):
    class MyTensor(torch.Tensor):
        pass

    expected = repr(as_torch(array).as_subclass(MyTensor))
    assert format_tensor(array, standard_suffixes(array), prefix="MyTensor(") == expected


@pytest.mark.parametrize("name_length", [33, 34, 35])
def test_suffix_after_a_wrapped_suffix(name_length):
    """After wrapping, the next suffix is measured from the new line.

    With a prefix of 35 characters, ``dtype=torch.float64`` wraps and
    ``grad_fn=<AliasBackward0>`` then exactly fits (35 + 19 + 2 + 24 = 80).
    """
    array = np.arange(5, dtype=f64) + 0.5
    subclass = type("T" * name_length, (torch.Tensor,), {})
    tensor = as_torch(array).as_subclass(subclass).requires_grad_().clone()
    prefix = subclass.__name__ + "("
    grad_fn = type(tensor.grad_fn).__name__  # AliasBackward0 for a subclass
    suffixes = standard_suffixes(array, grad_fn=grad_fn)
    assert format_tensor(array, suffixes, prefix=prefix) == repr(tensor)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=f32).reshape(3, 4).T,  # transposed view
        np.arange(10, dtype=f64)[::-2],  # negative stride
        np.asfortranarray(np.arange(6).reshape(2, 3)),
    ],
    ids=["transposed", "negative_stride", "fortran"],
)
def test_non_contiguous_arrays(array):
    assert_same(array)


def test_str_and_repr_agree_in_torch():
    """Our one function serves both: PyTorch's str(t) is repr(t)."""
    t = as_torch(np.arange(30, dtype=f32).reshape(3, 10) / 3)
    assert str(t) == repr(t)


@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (1, 0, 4), (2, 3, 4, 5)])
def test_format_size(shape):
    assert format_size(shape) == repr(torch.Size(shape))
    assert format_size(np.zeros(shape).shape) == str(torch.zeros(shape).shape)


def test_format_size_accepts_numpy_integers():
    assert format_size((np.int64(2), np.int64(3))) == "torch.Size([2, 3])"


@pytest.mark.parametrize(
    "dtype, empty, expected",
    [
        (f32, False, []),
        (f64, False, ["dtype=torch.float64"]),
        (i64, False, []),
        (np.bool_, False, []),
        (f32, True, []),
        (f64, True, ["dtype=torch.float64"]),
        (i64, True, ["dtype=torch.int64"]),
        (np.bool_, True, ["dtype=torch.bool"]),
    ],
)
def test_standard_suffixes_dtype_rule(dtype, empty, expected):
    a = np.zeros(0 if empty else 2, dtype)
    assert standard_suffixes(a) == expected


def test_standard_suffixes_grad_parts():
    a = np.zeros(2, f64)
    assert standard_suffixes(a, requires_grad=True) == [
        "dtype=torch.float64",
        "requires_grad=True",
    ]
    # a non-leaf shows its grad_fn instead of requires_grad
    assert standard_suffixes(a, requires_grad=True, grad_fn="SumBackward0") == [
        "dtype=torch.float64",
        "grad_fn=<SumBackward0>",
    ]


# ---------------------------------------------------------------------------
# Property tests against torch
# ---------------------------------------------------------------------------

DTYPES = [f32, f64, i64, np.bool_]

interesting_floats = st.one_of(
    st.integers(-1000, 1000).map(float),  # whole numbers
    st.integers(-(10**12), 10**12).map(float),  # large whole numbers
    st.floats(-10, 10),  # ordinary fractions
    st.floats(allow_nan=True, allow_infinity=True),  # anything, huge / tiny
    st.sampled_from(
        [0.0, -0.0, nan, inf, -inf, 1e-4, 9.9e-5, 1e8, 1.00000001e8, 1e-5, 999.99995, 0.5]
    ),
)
interesting_ints = st.one_of(st.integers(-20, 20), st.integers(-(2**63), 2**63 - 1))


def element_strategy(dtype):
    if dtype == np.bool_:
        return st.booleans()
    if dtype == i64:
        return interesting_ints
    if dtype == f32:
        return interesting_floats.map(lambda v: float(arr(v, f32)))
    return interesting_floats


@st.composite
def small_arrays(draw):
    """Arbitrary elements, up to 4 dims of up to 5 entries (may be empty)."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5))
    return draw(hnp.arrays(dtype, shape, elements=element_strategy(dtype)))


@st.composite
def large_arrays(draw):
    """Bigger shapes (often over the summary threshold) filled from a small
    pool of drawn values, so that width and style rules still get stressed."""
    dtype = draw(st.sampled_from(DTYPES))
    side = st.one_of(st.integers(1, 8), st.integers(9, 60))  # small_arrays covers 0
    shape = tuple(draw(st.lists(side, min_size=1, max_size=4)))
    if math.prod(shape) > 30_000:
        shape = shape[:-1] + (1,)
    pool = draw(st.lists(element_strategy(dtype), min_size=1, max_size=6))
    seed = draw(st.integers(0, 2**32 - 1))
    picks = np.random.default_rng(seed).integers(0, len(pool), size=shape)
    return arr(pool, dtype)[picks]


def grads_for(array):
    return st.sampled_from([None, "leaf", "op"] if array.dtype.kind == "f" else [None])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_small_arrays_match_torch(data):
    array = data.draw(small_arrays())
    assert_same(array, data.draw(grads_for(array)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_large_arrays_match_torch(data):
    array = data.draw(large_arrays())
    assert_same(array, data.draw(grads_for(array)))
