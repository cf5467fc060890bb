"""Every public op of autograd_nb, checked four ways.

1. **PyTorch parity** (hypothesis): the same float64 inputs go through autograd_nb and PyTorch; the
   outputs (values, dtype, shape, ``requires_grad``, the name of ``grad_fn``) and, after
   ``out.backward(v)`` with a random ``v``, the gradient of every input must agree.
2. **Numeric gradients** (hypothesis, no PyTorch needed): vᵀJ from our backward equals vᵀJ from
   central differences, each input element moved by ±1e-6.
3. **Second derivatives** (hypothesis): ``g = autograd.grad(out, inputs, v, create_graph=True)``, then
   the gradients of Σ g·w with respect to the inputs *and* to v, against PyTorch. (The derivative with
   respect to v is J·w, a Jacobian-vector product, so even linear ops are checked.)
4. **dtypes** (a table): float32 by default, integer and bool tensors promote as PyTorch's do.

The ops live in one table, ``OPS``; each entry says how to call the op (``fn(T, F, *leaves, **params)``
with ``T`` the library and ``F`` its ``nn.functional``) and which inputs to draw. Entries that do not take
part in a check carry the reason (``gradcheck=``/``double=``), and the lists below skip them.
"""
import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_nb as nb
import autograd_nb.nn.functional as nbF
from tests import strategies as S
from tests.oracle import assert_same_as_pytorch

# A quarter of the profile's examples per test (15 locally, 25 under CI): the table is long.
EXAMPLES = max(settings.default.max_examples // 4, 10)
FEW = max(settings.default.max_examples // 6, 8)

RTOL, ATOL = 1e-9, 1e-11  # float64 against float64: only summation order may differ


@dataclasses.dataclass(frozen=True)
class Size:
    dims: int
    side: int


BIG = Size(4, 3)  # PyTorch parity
SMALL = Size(3, 3)  # central differences and second derivatives (cost grows with the element count)


@dataclasses.dataclass
class Op:
    name: str
    fn: object  # fn(T, F, *leaves, **params) -> tensor, or (differentiable output, *other outputs)
    inputs: object  # Size -> strategy of (arrays, params); the arrays become leaves that require grad
    gradcheck: object = True  # True, or the reason central differences do not apply
    double: object = True  # True, or the reason second derivatives are not compared
    check_inputs: object = None  # inputs for central differences (away from kinks); default: inputs
    graph: object = True  # True, or the documented reason grad_fn names differ from PyTorch's

    def __repr__(self):
        return self.name


# ---------------------------------------------------------------------------------------------
# Input strategies: Size -> strategy of (arrays, params)
# ---------------------------------------------------------------------------------------------
def _shape(size, min_dims=0, max_dims=None):
    return S.shapes(min_dims, size.dims if max_dims is None else min(max_dims, size.dims), max_side=size.side)


def unary(values=S.arrays, min_dims=0, max_dims=None):
    """One input of any shape, values from ``values(shape)``."""
    return lambda size: _shape(size, min_dims, max_dims).flatmap(values).map(lambda a: ((a,), {}))


def binary(values_x=S.arrays, values_y=S.arrays):
    """Two inputs of shapes that broadcast together."""
    return lambda size: S.broadcastable_shapes(2, max_dims=size.dims, max_side=size.side).flatmap(
        lambda shapes: st.tuples(values_x(shapes[0]), values_y(shapes[1]))
    ).map(lambda arrays: (arrays, {}))


def away(*kinks):
    return lambda shape: S.arrays_away_from(shape, kinks)


def _dim(draw, ndim):
    """A valid dim for a tensor of ``ndim`` dims, negative ones included (0-d tensors take 0 and -1)."""
    n = max(ndim, 1)
    return draw(st.integers(-n, n - 1))


def with_dim(values=S.arrays, min_dims=0, keepdim=False, tuple_dims=False):
    """One input plus ``dim`` (and ``keepdim``): for reductions, softmax, max(dim), ..."""

    @st.composite
    def draw_case(draw, size):
        shape = draw(_shape(size, min_dims))
        params = {}
        if tuple_dims:
            n = max(len(shape), 1)
            dims = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=n, unique_by=lambda d: d % n))
            params["dim"] = tuple(dims)
        else:
            params["dim"] = _dim(draw, len(shape))
        if keepdim:
            params["keepdim"] = draw(st.booleans())
        return (draw(values(shape)),), params

    return lambda size: draw_case(size)


def _prime_factors(n):
    out, p = [], 2
    while n > 1:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out


@st.composite
def _reshape_case(draw, size, transposed=False):
    shape = draw(_shape(size, 2 if transposed else 0))
    n = math.prod(shape)
    factors = draw(st.permutations(_prime_factors(n)))
    cuts = sorted(draw(st.lists(st.integers(0, len(factors)), max_size=3)))
    groups = [factors[a:b] for a, b in zip([0] + cuts, cuts + [len(factors)])]
    target = [math.prod(g) for g in groups if g]
    for _ in range(draw(st.integers(0, 2))):  # sprinkle in sizes of 1
        target.insert(draw(st.integers(0, len(target))), 1)
    if target and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return (draw(S.arrays(shape)),), {"shape": tuple(target)}


def reshape_case(transposed=False):
    return lambda size: _reshape_case(size, transposed)


@st.composite
def _two_dims_case(draw, size):
    shape = draw(_shape(size))
    return (draw(S.arrays(shape)),), {"d0": _dim(draw, len(shape)), "d1": _dim(draw, len(shape))}


@st.composite
def _permute_case(draw, size):
    shape = draw(_shape(size))
    perm = draw(st.permutations(range(len(shape))))
    perm = [d - len(shape) if draw(st.booleans()) else d for d in perm]  # negative dims too
    return (draw(S.arrays(shape)),), {"dims": tuple(perm)}


@st.composite
def _unsqueeze_case(draw, size):
    shape = draw(_shape(size, 0, size.dims - 1))
    n = len(shape) + 1
    return (draw(S.arrays(shape)),), {"dim": draw(st.integers(-n, n - 1))}


@st.composite
def _squeeze_case(draw, size, with_dim):
    shape = list(draw(_shape(size)))
    for _ in range(draw(st.integers(0, 2))):  # make sure there are size-1 dims to remove
        if len(shape) < size.dims:
            shape.insert(draw(st.integers(0, len(shape))), 1)
    params = {"dim": _dim(draw, len(shape))} if with_dim else {}
    return (draw(S.arrays(tuple(shape))),), params


@st.composite
def _expand_case(draw, size):
    shape = draw(_shape(size, 0, size.dims - 1))
    shape = tuple(1 if draw(st.booleans()) else n for n in shape)
    target = [draw(st.integers(1, size.side)) if n == 1 else draw(st.sampled_from([n, -1])) for n in shape]
    lead = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, size.dims - len(shape))))]
    return (draw(S.arrays(shape)),), {"shape": tuple(lead + target)}


def _resolved(target, shape):
    """``target`` with each -1 replaced by the size it stands for (the matching dim of ``shape``)."""
    lead = len(target) - len(shape)
    return tuple(shape[i - lead] if n == -1 else n for i, n in enumerate(target))


@st.composite
def _cat_case(draw, size, stack):
    shape = draw(_shape(size, 0 if stack else 1, size.dims - 1 if stack else None))
    count = draw(st.integers(1, 3))
    if stack:
        n = len(shape) + 1
        dim = draw(st.integers(-n, n - 1))
        arrays = [draw(S.arrays(shape)) for _ in range(count)]
    else:
        dim = _dim(draw, len(shape))
        arrays = []
        for _ in range(count):
            s = list(shape)
            s[dim] = draw(st.integers(1, size.side))
            arrays.append(draw(S.arrays(tuple(s))))
    return tuple(arrays), {"dim": dim}


@st.composite
def _where_case(draw, size, scalar=None):
    cond_shape, x_shape, y_shape = draw(S.broadcastable_shapes(3, max_dims=size.dims, max_side=size.side))
    mask = draw(S.masks(cond_shape))
    if scalar == "x":
        return (draw(S.arrays(y_shape)),), {"mask": mask}
    if scalar == "y":
        return (draw(S.arrays(x_shape)),), {"mask": mask}
    return (draw(S.arrays(x_shape)), draw(S.arrays(y_shape))), {"mask": mask}


def where_case(scalar=None):
    return lambda size: _where_case(size, scalar)


@st.composite
def _matmul_case(draw, size, kinds):
    shape_a, shape_b = draw(S.matmul_shapes(kinds))
    return (draw(S.arrays(shape_a)), draw(S.arrays(shape_b))), {}


def matmul_case(*kinds):
    return lambda size: _matmul_case(size, kinds or ("dot", "mv", "vm", "mm", "batched", "batched_mv", "batched_vm"))


@st.composite
def _linear_case(draw, size, bias, min_lead, max_lead):
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    lead = draw(st.lists(st.integers(1, 3), min_size=min_lead, max_size=max_lead))
    arrays = [draw(S.arrays((*lead, n_in))), draw(S.arrays((n_out, n_in)))]
    if bias:
        arrays.append(draw(S.arrays((n_out,))))
    return tuple(arrays), {}


def linear_case(bias, min_lead=0, max_lead=2):
    """Input (*lead, in) with 0-2 leading dims (1-d to 3-d), weight (out, in), bias (out,)."""
    return lambda size: _linear_case(size, bias, min_lead, max_lead)


REDUCTIONS = ("mean", "sum", "none")


@st.composite
def _pointwise_loss_case(draw, size, values_x, values_y):
    shape = draw(_shape(size))
    return (draw(values_x(shape)), draw(values_y(shape))), {"reduction": draw(st.sampled_from(REDUCTIONS))}


def pointwise_loss_case(values_x=S.arrays, values_y=S.arrays):
    return lambda size: _pointwise_loss_case(size, values_x, values_y)


@st.composite
def _class_loss_case(draw, size, batched):
    n_classes = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    shape = (n, n_classes) if batched else (n_classes,)
    target = draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n))
    if batched and n > 1 and draw(st.booleans()):
        target[draw(st.integers(0, n - 1))] = -100  # ignore_index: left out of loss and mean
    target = np.asarray(target if batched else target[0], dtype=np.int64)
    return (draw(S.arrays(shape)),), {"target": target, "reduction": draw(st.sampled_from(REDUCTIONS))}


def class_loss_case(batched):
    return lambda size: _class_loss_case(size, batched)


# --- indexing --------------------------------------------------------------------------------
class Mask:
    """A bool-mask index; becomes a bool tensor of the library under test."""

    def __init__(self, array):
        self.array = array

    def __repr__(self):
        return f"Mask({self.array.tolist()})"


class IntTensor:
    """A 0-d integer tensor used as an index (``x[t.argmax()]``)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"IntTensor({self.value})"


def library_index(T, index):
    """Turn a drawn index into the library's: masks and integer tensors become its tensors."""
    def convert(p):
        if isinstance(p, Mask):
            return T.tensor(p.array)
        if isinstance(p, IntTensor):
            return T.tensor(p.value)
        return p

    return tuple(convert(p) for p in index) if isinstance(index, tuple) else convert(index)


def _slices(n):
    bound = st.one_of(st.none(), st.integers(-n - 1, n + 1))
    return st.builds(slice, bound, bound, st.sampled_from([None, 1, 2, 3]))


@st.composite
def _index_parts(draw, shape, start, stop, advanced, list_len, exact):
    """Index parts consuming dims ``start`` up to ``stop`` of ``shape`` (all of them when ``exact``)."""
    parts, d = [], start
    while d < stop and (exact or draw(st.booleans())):
        n = shape[d]
        kinds = ["int", "slice", "none"] + (["list"] if advanced == "list" else [])
        if advanced == "mask" and not any(isinstance(p, Mask) for p in parts):
            kinds.append("mask")
        kind = draw(st.sampled_from(kinds))
        if kind == "int":
            parts.append(draw(st.integers(-n, n - 1)))
            d += 1
        elif kind == "slice":
            parts.append(draw(_slices(n)))
            d += 1
        elif kind == "none":
            parts.append(None)
        elif kind == "list":  # repeated entries are likely: their gradients must add up
            parts.append(draw(st.lists(st.integers(-n, n - 1), min_size=list_len, max_size=list_len)))
            d += 1
        else:
            k = draw(st.integers(1, stop - d))
            parts.append(Mask(draw(S.masks(shape[d:d + k]))))
            d += k
    if draw(st.booleans()):
        parts.append(None)
    return parts


@st.composite
def _index_case(draw, size):
    shape = draw(_shape(size, 1))
    array = draw(S.arrays(shape))
    n = shape[0]
    form = draw(st.sampled_from(["int", "slice", "list", "mask", "int_tensor", "tuple", "tuple", "tuple"]))
    if form == "int":
        index = draw(st.integers(-n, n - 1))
    elif form == "slice":
        index = draw(_slices(n))
    elif form == "list":
        index = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5))
    elif form == "mask":
        index = Mask(draw(S.masks(shape[:draw(st.integers(1, len(shape)))])))
    elif form == "int_tensor":
        index = IntTensor(draw(st.integers(-n, n - 1)))
    else:
        advanced = draw(st.sampled_from([None, "list", "mask"]))
        list_len = draw(st.integers(1, 3))
        if draw(st.booleans()):  # an Ellipsis between a prefix and a suffix
            p = draw(st.integers(0, len(shape)))
            q = draw(st.integers(p, len(shape)))
            parts = (draw(_index_parts(shape, 0, p, advanced, list_len, True)) + [Ellipsis]
                     + draw(_index_parts(shape, q, len(shape), advanced, list_len, True)))
            # one mask at most: two masks broadcast only when they select as many elements
            assume(sum(isinstance(part, Mask) for part in parts) <= 1)
        else:
            parts = draw(_index_parts(shape, 0, len(shape), advanced, list_len, False))
        index = tuple(parts)
    return (array,), {"index": index}


# --- norms, spread, products, running sums, masks, gathering, pieces, elementwise extremes ------
NORM_ORDERS = (2, 1, 3, 1.5, 0.5, 0, math.inf, -math.inf)


def _dims_param(draw, ndim, allow_tuple=True):
    """None, one dim, or (with ``allow_tuple``) several distinct dims of a tensor of ``ndim`` dims."""
    n = max(ndim, 1)
    kind = draw(st.sampled_from(["none", "int", "tuple"] if allow_tuple and ndim else ["none", "int"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-n, n - 1))
    return tuple(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=n, unique_by=lambda d: d % n)))


def _no_tiny(shape):
    """Values in [-3, 3] with magnitudes below 1e-3 set to 0: there |x|ᵖ and 1/x under- and overflow, and where
    each library's kernels round differently is not what these tests are about."""
    return S.arrays(shape).map(lambda a: np.where(np.abs(a) < 1e-3, 0.0, a))


def _untied(shape):
    """``_no_tiny`` values made pairwise distinct: the std of equal values is 0 or 1e-16 depending on each
    library's order of summation, and its gradient is masked to 0 only at exactly 0."""
    n = int(np.prod(shape, dtype=np.int64))
    return _no_tiny(shape).map(lambda a: a + np.arange(n).reshape(shape) * 1e-2)


def _positive_distinct(shape):
    """Distinct positive values at least 0.1 from 0: no ties, no kinks (central differences of norms, std)."""
    return S.distinct_arrays(shape).map(lambda a: a - a.min() + 0.1 if a.size else a)


@st.composite
def _norm_case(draw, size, check=False, frobenius=False):
    shape = draw(_shape(size))
    p = "fro" if frobenius else draw(st.sampled_from(NORM_ORDERS))
    params = {"p": p, "dim": _dims_param(draw, len(shape), allow_tuple=not frobenius),
              "keepdim": draw(st.booleans())}
    return (draw(_positive_distinct(shape) if check else _no_tiny(shape)),), params


def norm_case(check=False, frobenius=False):
    return lambda size: _norm_case(size, check, frobenius)


@st.composite
def _spread_case(draw, size, check=False, values=_no_tiny):
    """var/std: dims, and either ``correction`` or ``unbiased`` (with ``check``: more elements than the
    correction, and no ties, so that the derivative exists)."""
    shape = draw(_shape(size, 0, None) if not check else S.shapes(1, size.dims, min_side=2, max_side=size.side))
    params = {"dim": _dims_param(draw, len(shape)), "keepdim": draw(st.booleans())}
    if draw(st.booleans()):
        params["correction"] = draw(st.sampled_from([0, 1] if check else [0, 1, 2]))
    else:
        params["unbiased"] = draw(st.booleans())
    return (draw(_positive_distinct(shape) if check else values(shape)),), params


def spread_case(check=False, values=_no_tiny):
    return lambda size: _spread_case(size, check, values)


def _spread(x, name, dim, keepdim, correction=None, unbiased=None):
    method = getattr(x, name)
    if correction is not None:
        return method(dim, keepdim=keepdim, correction=correction)
    return method(dim, unbiased, keepdim)


@st.composite
def _mask_case(draw, size, value_tensor=False, in_place=False):
    """x, and a bool mask that broadcasts with it (in place: to x's shape); a number or a 0-d value."""
    if in_place:
        shape = draw(_shape(size))
        lead = draw(st.integers(0, len(shape)))
        mask_shape = tuple(1 if draw(st.booleans()) else n for n in shape[lead:])
    else:
        shape, mask_shape = draw(S.broadcastable_shapes(2, max_dims=size.dims, max_side=size.side))
    arrays = (draw(S.arrays(shape)),) + ((draw(S.arrays(())),) if value_tensor else ())
    params = {"mask": draw(S.masks(mask_shape))}
    if not value_tensor:
        params["value"] = draw(st.sampled_from([0.0, -1.5, 2.0, 100.0]))
    return arrays, params


def mask_case(value_tensor=False, in_place=False):
    return lambda size: _mask_case(size, value_tensor, in_place)


@st.composite
def _gather_case(draw, size):
    shape = draw(_shape(size, 1))
    d = _dim(draw, len(shape))
    index_shape = tuple(draw(st.integers(1, size.side + 1)) if k == d % len(shape) else draw(st.integers(1, n))
                        for k, n in enumerate(shape))
    n = shape[d]
    index = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, n - 1)))
    return (draw(S.arrays(shape)),), {"dim": d, "index": index}


@st.composite
def _pieces_case(draw, size, how):
    """split by a size, split by sizes, or chunk: x, the dim, and the argument."""
    shape = draw(_shape(size, 1))
    d = _dim(draw, len(shape))
    n = shape[d]
    if how == "size":
        arg = draw(st.integers(1, n + 1))
    elif how == "sizes":
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
        arg = [b - a for a, b in zip([0] + cuts, cuts + [n])]
    else:
        arg = draw(st.integers(1, n + 1))
    return (draw(S.arrays(shape)),), {"dim": d, "arg": arg}


def pieces_case(how):
    return lambda size: _pieces_case(size, how)


def _weighted_pieces(T, pieces, dim):
    """The pieces glued back with a different weight each, so every piece's gradient differs."""
    return T.cat([p * (i + 1.0) for i, p in enumerate(pieces)], dim)


@st.composite
def _extremum_check(draw, size):
    """x and y of one shape, never closer than 0.1 (no ties: central differences need a side to be on)."""
    shape = draw(_shape(size))
    y = draw(S.arrays(shape))
    gap = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.1, 1.0)))
    sign = draw(hnp.arrays(np.bool_, shape))
    return (y + np.where(sign, gap, -gap), y), {}


# --- rearranging, triangles, sorting (the API tutorials use) -------------------------------------
@st.composite
def _vectors_case(draw, size):
    return (draw(S.arrays((draw(st.integers(1, 4)),))), draw(S.arrays((draw(st.integers(1, 4)),)))), {}


@st.composite
def _diagonal_case(draw, size, min_dims=2, max_dims=None):
    shape = draw(_shape(size, min_dims, max_dims))
    return (draw(S.arrays(shape)),), {"diagonal": draw(st.integers(-3, 3))}


def diagonal_case(min_dims=2, max_dims=None):
    return lambda size: _diagonal_case(size, min_dims, max_dims)


@st.composite
def _repeat_case(draw, size):
    shape = draw(_shape(size, 0, 3))
    repeats = [draw(st.integers(0, 3)) for _ in range(len(shape) + draw(st.integers(0, 1)))]
    return (draw(S.arrays(shape)),), {"repeats": tuple(repeats)}


@st.composite
def _flip_case(draw, size):
    shape = draw(_shape(size, 1))
    n = len(shape)
    dims = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=n, unique_by=lambda d: d % n))
    return (draw(S.arrays(shape)),), {"dims": tuple(dims)}


@st.composite
def _roll_case(draw, size):
    shape = draw(_shape(size, 1))
    n = len(shape)
    if draw(st.booleans()):
        return (draw(S.arrays(shape)),), {"shifts": draw(st.integers(-5, 5)), "dims": None}
    dims = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=n, unique_by=lambda d: d % n))
    return (draw(S.arrays(shape)),), {"shifts": tuple(draw(st.integers(-5, 5)) for _ in dims), "dims": tuple(dims)}


@st.composite
def _index_select_case(draw, size):
    shape = draw(_shape(size, 1))
    d = _dim(draw, len(shape))
    index = draw(st.lists(st.integers(0, shape[d] - 1), min_size=0, max_size=4))
    return (draw(S.arrays(shape)),), {"dim": d, "index": np.asarray(index, dtype=np.int64)}


@st.composite
def _tensor_split_case(draw, size):
    shape = draw(_shape(size, 1))
    d = _dim(draw, len(shape))
    if draw(st.booleans()):
        arg = draw(st.integers(1, shape[d] + 2))
    else:
        arg = draw(st.lists(st.integers(0, shape[d] + 1), max_size=3))
    return (draw(S.arrays(shape)),), {"dim": d, "arg": arg}


@st.composite
def _sort_case(draw, size, k=False):
    shape = draw(_shape(size))
    d = _dim(draw, len(shape))
    params = {"dim": d}
    if k:
        params["k"] = draw(st.integers(0, shape[d] if shape else 1))
        params["largest"] = draw(st.booleans())
    else:
        params["descending"] = draw(st.booleans())
    return (draw(S.distinct_arrays(shape)),), params


def sort_case(k=False):
    return lambda size: _sort_case(size, k)


def _split_weighted(T, pieces, dim):
    """tensor_split's pieces (some may be empty) summed with a weight each, so every piece's gradient differs."""
    return T.cat([p.reshape(-1) * (i + 1.0) for i, p in enumerate(pieces)])


@st.composite
def _pad_case(draw, size):
    shape = draw(_shape(size, 1))
    pad = []
    for n in reversed(shape[-draw(st.integers(1, len(shape))):]):
        lo = draw(st.integers(-n, 2))
        pad += [lo, draw(st.integers(-(n + min(lo, 0)), 2))]  # (never more cropped than there is)
    return (draw(S.arrays(shape)),), {"pad": tuple(pad)}


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------
NONZERO = S.nonzero_arrays
POSITIVE = S.positive_arrays
WHOLE = tuple(range(-3, 4))  # where floor, ceil and trunc jump
HALVES = tuple(n + 0.5 for n in range(-3, 3))  # where round jumps
NOT_FLOAT64 = "a float32 result: central differences in float32 are too coarse for rtol 1e-5"


def same_function_as(name):
    """For another spelling of an op (``torch.exp(x)`` for ``x.exp()``): parity only, the Function is
    checked under its first name."""
    reason = f"the same Function as {name!r}, checked there"
    return {"gradcheck": reason, "double": reason}


def _max_min_check(size):
    return _shape(size).flatmap(S.distinct_arrays).map(lambda a: ((a,), {}))


def _max_min_dim_check(size):
    @st.composite
    def draw_case(draw):
        shape = draw(_shape(size))
        return (draw(S.distinct_arrays(shape)),), {"dim": _dim(draw, len(shape)), "keepdim": draw(st.booleans())}

    return draw_case()


OPS = [
    # --- arithmetic ------------------------------------------------------------------------
    Op("add", lambda T, F, x, y: x + y, binary()),
    Op("sub", lambda T, F, x, y: x - y, binary()),
    Op("mul", lambda T, F, x, y: x * y, binary()),
    Op("div", lambda T, F, x, y: x / y, binary(S.arrays, NONZERO)),
    Op("torch.add", lambda T, F, x, y: T.add(x, y), binary(),
       **same_function_as('add')),
    Op("torch.sub", lambda T, F, x, y: T.sub(x, y), binary(),
       **same_function_as('sub')),
    Op("torch.mul", lambda T, F, x, y: T.mul(x, y), binary(),
       **same_function_as('mul')),
    Op("torch.div", lambda T, F, x, y: T.div(x, y), binary(S.arrays, NONZERO),
       **same_function_as('div')),
    Op("neg", lambda T, F, x: -x, unary()),
    Op("x + 2", lambda T, F, x: x + 2, unary()),
    Op("2 + x", lambda T, F, x: 2 + x, unary()),
    Op("x - 2.5", lambda T, F, x: x - 2.5, unary()),
    Op("2 - x", lambda T, F, x: 2 - x, unary()),
    Op("x * 3", lambda T, F, x: x * 3, unary()),
    Op("1.5 * x", lambda T, F, x: 1.5 * x, unary()),
    Op("x / 4", lambda T, F, x: x / 4, unary()),
    Op("2 / x (reciprocal)", lambda T, F, x: 2 / x, unary(NONZERO)),
    Op("reciprocal", lambda T, F, x: x.reciprocal(), unary(NONZERO)),
    Op("x ** 2", lambda T, F, x: x ** 2, unary()),
    Op("x ** 3", lambda T, F, x: x ** 3, unary()),
    Op("x ** 1", lambda T, F, x: x ** 1, unary()),
    Op("x ** 0", lambda T, F, x: x ** 0, unary()),
    Op("x ** -1", lambda T, F, x: x ** -1, unary(NONZERO)),
    Op("x ** -2.0", lambda T, F, x: x ** -2.0, unary(NONZERO)),
    Op("x ** 0.5", lambda T, F, x: x ** 0.5, unary(POSITIVE)),
    Op("x ** 2.5", lambda T, F, x: x ** 2.5, unary(POSITIVE)),
    Op("torch.pow(x, 3)", lambda T, F, x: T.pow(x, 3), unary(),
       **same_function_as('x ** 3')),
    Op("x ** y", lambda T, F, x, y: x ** y, binary(POSITIVE, S.arrays)),
    Op("2 ** x", lambda T, F, x: 2 ** x, unary()),
    Op("0.5 ** x", lambda T, F, x: 0.5 ** x, unary()),
    Op("2.718 ** x", lambda T, F, x: 2.718 ** x, unary()),
    # --- matrix products ---------------------------------------------------------------------
    Op("a @ b", lambda T, F, a, b: a @ b, matmul_case(),
       graph="autograd_nb records batched products as one BmmBackward0 (test_graph_parity documents it)"),
    Op("torch.matmul", lambda T, F, a, b: T.matmul(a, b), matmul_case("dot", "mv", "vm", "mm"),
       **same_function_as('a @ b')),
    Op("a @ b (batched)", lambda T, F, a, b: a @ b, matmul_case("batched", "batched_mv", "batched_vm"),
       graph="autograd_nb records batched products as one BmmBackward0 (test_graph_parity documents it)"),
    Op("mm", lambda T, F, a, b: a.mm(b), matmul_case("mm")),
    Op("torch.mm", lambda T, F, a, b: T.mm(a, b), matmul_case("mm"),
       **same_function_as('mm')),
    Op("mv", lambda T, F, a, b: a.mv(b), matmul_case("mv")),
    Op("torch.mv", lambda T, F, a, b: T.mv(a, b), matmul_case("mv"),
       **same_function_as('mv')),
    Op("dot", lambda T, F, a, b: a.dot(b), matmul_case("dot")),
    Op("torch.dot", lambda T, F, a, b: T.dot(a, b), matmul_case("dot"),
       **same_function_as('dot')),
    # --- pointwise ---------------------------------------------------------------------------
    Op("exp", lambda T, F, x: x.exp(), unary()),
    Op("torch.exp", lambda T, F, x: T.exp(x), unary(),
       **same_function_as('exp')),
    Op("log", lambda T, F, x: x.log(), unary(POSITIVE)),
    Op("torch.log", lambda T, F, x: T.log(x), unary(POSITIVE),
       **same_function_as('log')),
    Op("sqrt", lambda T, F, x: x.sqrt(), unary(POSITIVE)),
    Op("torch.sqrt", lambda T, F, x: T.sqrt(x), unary(POSITIVE),
       **same_function_as('sqrt')),
    Op("abs", lambda T, F, x: x.abs(), unary(), check_inputs=unary(away(0.0))),
    Op("torch.abs", lambda T, F, x: T.abs(x), unary(), check_inputs=unary(away(0.0)),
       **same_function_as('abs')),
    Op("sin", lambda T, F, x: x.sin(), unary()),
    Op("cos", lambda T, F, x: x.cos(), unary()),
    Op("torch.sin", lambda T, F, x: T.sin(x), unary(),
       **same_function_as('sin')),
    Op("torch.cos", lambda T, F, x: T.cos(x), unary(),
       **same_function_as('cos')),
    Op("tanh", lambda T, F, x: x.tanh(), unary()),
    Op("torch.tanh", lambda T, F, x: T.tanh(x), unary(),
       **same_function_as('tanh')),
    Op("F.tanh", lambda T, F, x: F.tanh(x), unary(),
       **same_function_as('tanh')),
    Op("sigmoid", lambda T, F, x: x.sigmoid(), unary(lambda s: S.arrays(s, -40, 40))),
    Op("torch.sigmoid", lambda T, F, x: T.sigmoid(x), unary(),
       **same_function_as('sigmoid')),
    Op("F.sigmoid", lambda T, F, x: F.sigmoid(x), unary(),
       **same_function_as('sigmoid')),
    Op("relu", lambda T, F, x: x.relu(), unary(), check_inputs=unary(away(0.0))),
    Op("torch.relu", lambda T, F, x: T.relu(x), unary(), check_inputs=unary(away(0.0)),
       **same_function_as('relu')),
    Op("F.relu", lambda T, F, x: F.relu(x), unary(), check_inputs=unary(away(0.0)),
       **same_function_as('relu')),
    Op("log1p", lambda T, F, x: x.log1p(), unary(lambda s: S.arrays(s, -0.9, 3.0))),
    Op("torch.log1p", lambda T, F, x: T.log1p(x), unary(POSITIVE), **same_function_as('log1p')),
    Op("expm1", lambda T, F, x: x.expm1(), unary()),
    Op("torch.expm1", lambda T, F, x: T.expm1(x), unary(), **same_function_as('expm1')),
    Op("erf", lambda T, F, x: x.erf(), unary()),
    Op("torch.erf", lambda T, F, x: T.erf(x), unary(), **same_function_as('erf')),
    Op("atan2", lambda T, F, y, x: y.atan2(x), binary(), check_inputs=binary(NONZERO, S.arrays)),  # (off the cut y = 0)
    Op("torch.atan2", lambda T, F, y, x: T.atan2(y, x), binary(), **same_function_as('atan2')),
    Op("floor", lambda T, F, x: x.floor(), unary(), check_inputs=unary(away(*WHOLE))),
    Op("ceil", lambda T, F, x: x.ceil(), unary(), check_inputs=unary(away(*WHOLE))),
    Op("trunc", lambda T, F, x: x.trunc(), unary(), check_inputs=unary(away(*WHOLE))),
    Op("round", lambda T, F, x: x.round(), unary(), check_inputs=unary(away(*HALVES))),
    Op("round(decimals=1)", lambda T, F, x: x.round(decimals=1), unary(),
       check_inputs=unary(away(*(h / 10 for h in np.arange(-30.5, 31))))),
    Op("round(decimals=-1)", lambda T, F, x: (x * 10).round(decimals=-1), unary(),
       check_inputs=unary(away(*HALVES))),  # (10x jumps at odd multiples of 5)
    Op("torch.floor", lambda T, F, x: T.floor(x), unary(), **same_function_as('floor')),
    Op("torch.ceil", lambda T, F, x: T.ceil(x), unary(), **same_function_as('ceil')),
    Op("torch.trunc", lambda T, F, x: T.trunc(x), unary(), **same_function_as('trunc')),
    Op("torch.round(decimals=2)", lambda T, F, x: T.round(x, decimals=2), unary(),
       **same_function_as('round(decimals=1)')),
    Op("log1p_", lambda T, F, x: (x * 1).log1p_(), unary(POSITIVE)),
    Op("expm1_", lambda T, F, x: (x * 1).expm1_(), unary()),
    Op("erf_", lambda T, F, x: (x * 1).erf_(), unary()),
    Op("atan2_", lambda T, F, y, x: (y * 1).atan2_(x), lambda size: _shape(size).flatmap(
        lambda s: st.tuples(NONZERO(s), S.arrays(s))).map(lambda a: (a, {}))),
    Op("floor_", lambda T, F, x: (x * 1).floor_(), unary(), check_inputs=unary(away(*WHOLE))),
    Op("round_(decimals=1)", lambda T, F, x: (x * 1).round_(decimals=1), unary(),
       **same_function_as('round(decimals=1)')),
    Op("F.softplus", lambda T, F, x: F.softplus(x), unary()),
    Op("F.softplus(beta, threshold)", lambda T, F, x: F.softplus(x, beta=2, threshold=3), unary(),
       check_inputs=unary(away(1.5))),
    Op("nn.Softplus", lambda T, F, x: T.nn.Softplus(0.5, 1.0)(x), unary(), check_inputs=unary(away(2.0)),
       **same_function_as('F.softplus(beta, threshold)')),
    Op("F.leaky_relu", lambda T, F, x: F.leaky_relu(x, 0.2), unary(), check_inputs=unary(away(0.0))),
    Op("nn.LeakyReLU", lambda T, F, x: T.nn.LeakyReLU()(x), unary(), **same_function_as('F.leaky_relu')),
    Op("F.elu", lambda T, F, x: F.elu(x), unary(), check_inputs=unary(away(0.0))),
    Op("nn.ELU(alpha)", lambda T, F, x: T.nn.ELU(alpha=0.5)(x), unary(), check_inputs=unary(away(0.0))),
    Op("F.silu", lambda T, F, x: F.silu(x), unary()),
    Op("nn.SiLU", lambda T, F, x: T.nn.SiLU()(x), unary(), **same_function_as('F.silu')),
    Op("F.gelu", lambda T, F, x: F.gelu(x), unary()),
    Op("F.gelu(approximate='tanh')", lambda T, F, x: F.gelu(x, approximate="tanh"), unary()),
    Op("nn.GELU", lambda T, F, x: T.nn.GELU()(x), unary(), **same_function_as('F.gelu')),
    Op("clamp(min)", lambda T, F, x: x.clamp(min=-0.5), unary(), check_inputs=unary(away(-0.5))),
    Op("clamp(max)", lambda T, F, x: x.clamp(max=0.5), unary(), check_inputs=unary(away(0.5))),
    Op("clamp(min, max)", lambda T, F, x: x.clamp(-0.5, 0.5), unary(), check_inputs=unary(away(-0.5, 0.5))),
    Op("torch.clamp", lambda T, F, x: T.clamp(x, min=-1, max=2), unary(), check_inputs=unary(away(-1.0, 2.0))),
    Op("clip", lambda T, F, x: x.clip(-0.5, 0.5), unary(), check_inputs=unary(away(-0.5, 0.5)),
       **same_function_as('clamp(min, max)')),
    # --- softmax -----------------------------------------------------------------------------
    Op("softmax", lambda T, F, x, dim: x.softmax(dim), with_dim()),
    Op("torch.softmax", lambda T, F, x, dim: T.softmax(x, dim), with_dim(),
       **same_function_as('softmax')),
    Op("F.softmax", lambda T, F, x, dim: F.softmax(x, dim=dim), with_dim(),
       **same_function_as('softmax')),
    Op("log_softmax", lambda T, F, x, dim: x.log_softmax(dim), with_dim()),
    Op("torch.log_softmax", lambda T, F, x, dim: T.log_softmax(x, dim), with_dim(),
       **same_function_as('log_softmax')),
    Op("F.log_softmax", lambda T, F, x, dim: F.log_softmax(x, dim=dim), with_dim(),
       **same_function_as('log_softmax')),
    # --- reductions --------------------------------------------------------------------------
    Op("sum()", lambda T, F, x: x.sum(), unary()),
    Op("torch.sum", lambda T, F, x: T.sum(x), unary(),
       **same_function_as('sum()')),
    Op("sum(dim)", lambda T, F, x, dim, keepdim: x.sum(dim, keepdim=keepdim), with_dim(keepdim=True)),
    Op("sum(dims)", lambda T, F, x, dim, keepdim: x.sum(dim, keepdim=keepdim), with_dim(keepdim=True, tuple_dims=True)),
    Op("torch.sum(dim)", lambda T, F, x, dim: T.sum(x, dim), with_dim(),
       **same_function_as('sum(dim)')),
    Op("mean()", lambda T, F, x: x.mean(), unary()),
    Op("torch.mean", lambda T, F, x: T.mean(x), unary(),
       **same_function_as('mean()')),
    Op("mean(dim)", lambda T, F, x, dim, keepdim: x.mean(dim, keepdim=keepdim), with_dim(keepdim=True)),
    Op("mean(dims)", lambda T, F, x, dim, keepdim: x.mean(dim, keepdim=keepdim),
       with_dim(keepdim=True, tuple_dims=True)),
    Op("max()", lambda T, F, x: x.max(), unary(), check_inputs=_max_min_check),
    Op("min()", lambda T, F, x: x.min(), unary(), check_inputs=_max_min_check),
    Op("torch.max", lambda T, F, x: T.max(x), unary(), check_inputs=_max_min_check,
       **same_function_as('max()')),
    Op("max(dim)", lambda T, F, x, dim, keepdim: tuple(x.max(dim, keepdim=keepdim)), with_dim(keepdim=True),
       check_inputs=_max_min_dim_check),
    Op("min(dim)", lambda T, F, x, dim, keepdim: tuple(x.min(dim, keepdim=keepdim)), with_dim(keepdim=True),
       check_inputs=_max_min_dim_check),
    Op("max(dim).values", lambda T, F, x, dim, keepdim: x.max(dim=dim, keepdim=keepdim).values,
       with_dim(keepdim=True), check_inputs=_max_min_dim_check,
       **same_function_as('max(dim)')),
    Op("torch.min(dim)", lambda T, F, x, dim, keepdim: tuple(T.min(x, dim, keepdim)), with_dim(keepdim=True),
       check_inputs=_max_min_dim_check,
       **same_function_as('min(dim)')),
    # --- shapes ------------------------------------------------------------------------------
    Op("reshape", lambda T, F, x, shape: x.reshape(shape), reshape_case()),
    Op("reshape(*sizes)", lambda T, F, x, shape: x.reshape(*shape) if shape else x.reshape(()), reshape_case(),
       **same_function_as('reshape')),
    Op("torch.reshape", lambda T, F, x, shape: T.reshape(x, shape), reshape_case(),
       **same_function_as('reshape')),
    Op("view", lambda T, F, x, shape: x.view(shape), reshape_case()),
    Op("reshape of a transpose", lambda T, F, x, shape: x.transpose(0, 1).reshape(shape), reshape_case(True),
       graph="autograd_nb records ViewBackward0 where PyTorch copies (UnsafeViewBackward0 <- CloneBackward0)"),
    # (flatten of a 1-d tensor returns the tensor itself in PyTorch: see test_flatten_of_1d_returns_self)
    Op("flatten", lambda T, F, x: x.flatten(), lambda size: unary()(size).filter(lambda case: case[0][0].ndim != 1)),
    Op("view_as", lambda T, F, x: x.view(-1).view_as(x), unary()),
    Op("transpose", lambda T, F, x, d0, d1: x.transpose(d0, d1), lambda size: _two_dims_case(size)),
    Op("torch.transpose", lambda T, F, x, d0, d1: T.transpose(x, d0, d1), lambda size: _two_dims_case(size),
       **same_function_as('transpose')),
    Op("t", lambda T, F, x: x.t(), unary(max_dims=2)),
    Op("torch.t", lambda T, F, x: T.t(x), unary(max_dims=2),
       **same_function_as('t')),
    Op(".T", lambda T, F, x: x.T, unary(min_dims=2, max_dims=2)),
    Op("permute", lambda T, F, x, dims: x.permute(*dims) if dims else x.permute(()), lambda size: _permute_case(size)),
    Op("permute(tuple)", lambda T, F, x, dims: x.permute(dims), lambda size: _permute_case(size),
       **same_function_as('permute')),
    Op("torch.permute", lambda T, F, x, dims: T.permute(x, dims), lambda size: _permute_case(size),
       **same_function_as('permute')),
    Op("squeeze()", lambda T, F, x: x.squeeze(), lambda size: _squeeze_case(size, False)),
    Op("squeeze(dim)", lambda T, F, x, dim: x.squeeze(dim), lambda size: _squeeze_case(size, True)),
    Op("torch.squeeze", lambda T, F, x, dim: T.squeeze(x, dim), lambda size: _squeeze_case(size, True),
       **same_function_as('squeeze(dim)')),
    Op("unsqueeze", lambda T, F, x, dim: x.unsqueeze(dim), lambda size: _unsqueeze_case(size)),
    Op("torch.unsqueeze", lambda T, F, x, dim: T.unsqueeze(x, dim), lambda size: _unsqueeze_case(size),
       **same_function_as('unsqueeze')),
    Op("expand", lambda T, F, x, shape: x.expand(*shape) if shape else x.expand(()), lambda size: _expand_case(size)),
    Op("expand(tuple)", lambda T, F, x, shape: x.expand(shape), lambda size: _expand_case(size),
       **same_function_as('expand')),
    Op("expand_as", lambda T, F, x, shape: x.expand_as(T.zeros(_resolved(shape, x.shape))),
       lambda size: _expand_case(size)),
    # --- indexing ----------------------------------------------------------------------------
    Op("x[index]", lambda T, F, x, index: x[library_index(T, index)], lambda size: _index_case(size)),
    # --- joining and choosing ----------------------------------------------------------------
    Op("cat", lambda T, F, *xs, dim: T.cat(list(xs), dim), lambda size: _cat_case(size, False)),
    Op("cat(dim=)", lambda T, F, *xs, dim: T.cat(xs, dim=dim), lambda size: _cat_case(size, False),
       **same_function_as('cat')),
    Op("stack", lambda T, F, *xs, dim: T.stack(list(xs), dim), lambda size: _cat_case(size, True)),
    Op("where", lambda T, F, x, y, mask: T.where(T.tensor(mask), x, y), where_case()),
    Op("where(cond, x, 0.0)", lambda T, F, x, mask: T.where(T.tensor(mask), x, 0.0), where_case("y")),
    Op("where(cond, 2, y)", lambda T, F, y, mask: T.where(T.tensor(mask), 2.0, y), where_case("x")),
    # --- rearranging, triangles, sorting ------------------------------------------------------
    Op("outer", lambda T, F, a, b: T.outer(a, b), lambda size: _vectors_case(size)),
    Op("Tensor.outer", lambda T, F, a, b: a.outer(b), lambda size: _vectors_case(size), **same_function_as('outer')),
    Op("tril", lambda T, F, x, diagonal: x.tril(diagonal), diagonal_case()),
    Op("triu", lambda T, F, x, diagonal: T.triu(x, diagonal), diagonal_case()),
    Op("diag (vector to matrix)", lambda T, F, x, diagonal: T.diag(x, diagonal), diagonal_case(1, 1)),
    Op("diag (matrix to vector)", lambda T, F, x, diagonal: x.diag(diagonal), diagonal_case(2, 2)),
    Op("repeat", lambda T, F, x, repeats: x.repeat(*repeats) if repeats else x.repeat(()),
       lambda size: _repeat_case(size)),
    Op("flip", lambda T, F, x, dims: x.flip(*dims), lambda size: _flip_case(size)),
    Op("torch.flip", lambda T, F, x, dims: T.flip(x, dims), lambda size: _flip_case(size), **same_function_as('flip')),
    Op("roll", lambda T, F, x, shifts, dims: x.roll(shifts, dims), lambda size: _roll_case(size)),
    Op("index_select", lambda T, F, x, dim, index: x.index_select(dim, T.tensor(index)),
       lambda size: _index_select_case(size)),
    Op("torch.index_select", lambda T, F, x, dim, index: T.index_select(x, dim, T.tensor(index)),
       lambda size: _index_select_case(size), **same_function_as('index_select')),
    Op("Tensor.where", lambda T, F, x, y, mask: x.where(T.tensor(mask), y), where_case()),
    Op("tensor_split", lambda T, F, x, dim, arg: _split_weighted(T, x.tensor_split(arg, dim), dim),
       lambda size: _tensor_split_case(size), graph="the pieces are glued back with reshape and cat"),
    Op("sort", lambda T, F, x, dim, descending: tuple(x.sort(dim, descending)), sort_case()),
    Op("torch.sort(...).values", lambda T, F, x, dim, descending: T.sort(x, dim, descending=descending).values,
       sort_case(), **same_function_as('sort')),
    Op("topk", lambda T, F, x, dim, k, largest: tuple(x.topk(k, dim, largest)), sort_case(k=True)),
    Op("torch.topk(...).values", lambda T, F, x, dim, k, largest: T.topk(x, k, dim, largest=largest).values,
       sort_case(k=True), **same_function_as('topk')),
    Op("clamp_min", lambda T, F, x: x.clamp_min(-0.5), unary(), check_inputs=unary(away(-0.5))),
    Op("F.normalize", lambda T, F, x, dim: F.normalize(x, dim=dim), with_dim(_positive_distinct, min_dims=1)),
    Op("F.normalize(p=1)", lambda T, F, x, dim: F.normalize(x, p=1.0, dim=dim), with_dim(_positive_distinct, min_dims=1)),
    Op("F.pad", lambda T, F, x, pad: F.pad(x, pad), lambda size: _pad_case(size)),
    Op("F.pad(value=)", lambda T, F, x, pad: F.pad(x, pad, value=2.5), lambda size: _pad_case(size),
       **same_function_as('F.pad')),
    # --- copies and dtype --------------------------------------------------------------------
    Op("clone", lambda T, F, x: x.clone(), unary()),
    Op("torch.clone", lambda T, F, x: T.clone(x), unary(),
       **same_function_as('clone')),
    Op("to(float32)", lambda T, F, x: x.to(T.float32), unary(), gradcheck=NOT_FLOAT64),
    Op("float()", lambda T, F, x: x.float(), unary(), **same_function_as('to(float32)')),
    Op("float().double()", lambda T, F, x: x.float().double(), unary(), gradcheck=NOT_FLOAT64),
    Op("to(float64) (returns x)", lambda T, F, x: x.to(T.float64), unary()),
    # --- nn.functional -----------------------------------------------------------------------
    Op("F.linear", lambda T, F, x, w, b: F.linear(x, w, b), linear_case(True)),
    Op("F.linear (no bias)", lambda T, F, x, w: F.linear(x, w), linear_case(False, max_lead=1)),
    Op("F.linear (no bias, 3-d input)", lambda T, F, x, w: F.linear(x, w), linear_case(False, min_lead=2),
       graph="a batched matmul: autograd_nb records one BmmBackward0 (test_graph_parity documents it)"),
    Op("F.mse_loss", lambda T, F, x, y, reduction: F.mse_loss(x, y, reduction=reduction), pointwise_loss_case()),
    Op("F.cross_entropy", lambda T, F, x, target, reduction: F.cross_entropy(x, T.tensor(target), reduction=reduction),
       class_loss_case(True)),
    Op("F.cross_entropy (1-d)", lambda T, F, x, target, reduction: F.cross_entropy(x, T.tensor(target),
                                                                                   reduction=reduction),
       class_loss_case(False),
       **same_function_as('F.cross_entropy')),
    Op("F.nll_loss", lambda T, F, x, target, reduction: F.nll_loss(x, T.tensor(target), reduction=reduction),
       class_loss_case(True)),
    Op("F.nll_loss (1-d)", lambda T, F, x, target, reduction: F.nll_loss(x, T.tensor(target), reduction=reduction),
       class_loss_case(False),
       **same_function_as('F.nll_loss')),
    Op("F.binary_cross_entropy", lambda T, F, p, y, reduction: F.binary_cross_entropy(p, y, reduction=reduction),
       pointwise_loss_case(S.probabilities, lambda s: S.arrays(s, 0.0, 1.0))),
    Op("F.binary_cross_entropy_with_logits",
       lambda T, F, x, y, reduction: F.binary_cross_entropy_with_logits(x, y, reduction=reduction),
       pointwise_loss_case(S.arrays, lambda s: S.arrays(s, 0.0, 1.0))),
    # --- norms, spread, products, running sums ----------------------------------------------------
    Op("norm(p, dim)", lambda T, F, x, p, dim, keepdim: x.norm(p, dim, keepdim), norm_case(),
       check_inputs=norm_case(check=True)),
    Op("norm('fro')", lambda T, F, x, p, dim, keepdim: x.norm(p, dim, keepdim), norm_case(frobenius=True),
       check_inputs=norm_case(check=True, frobenius=True)),
    Op("norm()", lambda T, F, x: x.norm(), unary(_no_tiny), check_inputs=unary(_positive_distinct)),
    Op("torch.norm", lambda T, F, x, p, dim, keepdim: T.norm(x, p, dim, keepdim), norm_case(),
       **same_function_as('norm(p, dim)')),
    Op("linalg.vector_norm", lambda T, F, x, p, dim, keepdim: T.linalg.vector_norm(x, p, dim, keepdim), norm_case(),
       **same_function_as('norm(p, dim)')),
    Op("var", lambda T, F, x, **kw: _spread(x, "var", **kw), spread_case(), check_inputs=spread_case(check=True)),
    Op("std", lambda T, F, x, **kw: _spread(x, "std", **kw), spread_case(values=_untied),
       check_inputs=spread_case(check=True)),
    Op("std()", lambda T, F, x: x.std(), unary(_untied, min_dims=1),
       check_inputs=lambda size: S.shapes(1, size.dims, min_side=2, max_side=size.side).flatmap(_positive_distinct).map(
           lambda a: ((a,), {}))),
    Op("torch.var", lambda T, F, x, **kw: T.var(x, kw["dim"], keepdim=kw["keepdim"]), spread_case(),
       **same_function_as('var')),
    Op("prod()", lambda T, F, x: x.prod(), unary(_no_tiny)),
    Op("prod(dim)", lambda T, F, x, dim, keepdim: x.prod(dim, keepdim), with_dim(_no_tiny, keepdim=True)),
    Op("torch.prod", lambda T, F, x, dim: T.prod(x, dim), with_dim(_no_tiny), **same_function_as('prod(dim)')),
    Op("prod() with zeros", lambda T, F, x: (x * (x.abs() > 1)).prod(), unary(_no_tiny),
       check_inputs=unary(away(-1.0, 1.0))),
    Op("cumsum", lambda T, F, x, dim: x.cumsum(dim), with_dim()),
    Op("torch.cumsum", lambda T, F, x, dim: T.cumsum(x, dim=dim), with_dim(), **same_function_as('cumsum')),
    Op("cumprod", lambda T, F, x, dim: x.cumprod(dim), with_dim(_no_tiny)),
    Op("cumprod (zeros)", lambda T, F, x, dim: (x * (x.abs() > 1)).cumprod(dim), with_dim(_no_tiny),
       check_inputs=with_dim(away(-1.0, 1.0))),
    Op("torch.cumprod", lambda T, F, x, dim: T.cumprod(x, dim=dim), with_dim(_no_tiny), **same_function_as('cumprod')),
    Op("logsumexp", lambda T, F, x, dim, keepdim: x.logsumexp(dim, keepdim), with_dim(keepdim=True)),
    Op("logsumexp(dims)", lambda T, F, x, dim, keepdim: x.logsumexp(dim, keepdim=keepdim),
       with_dim(keepdim=True, tuple_dims=True)),
    Op("torch.logsumexp", lambda T, F, x, dim: T.logsumexp(x, dim), with_dim(), **same_function_as('logsumexp')),
    # --- masks, gathering, pieces, elementwise extremes --------------------------------------------
    Op("masked_fill", lambda T, F, x, mask, value: x.masked_fill(T.tensor(mask), value), mask_case()),
    Op("masked_fill(0-d value)", lambda T, F, x, v, mask: x.masked_fill(T.tensor(mask), v), mask_case(True)),
    Op("masked_fill_", lambda T, F, x, mask, value: (x * 1).masked_fill_(T.tensor(mask), value),
       mask_case(in_place=True)),
    Op("masked_fill_(0-d value)", lambda T, F, x, v, mask: (x * 1).masked_fill_(T.tensor(mask), v),
       mask_case(True, in_place=True)),
    Op("gather", lambda T, F, x, dim, index: x.gather(dim, T.tensor(index)), lambda size: _gather_case(size)),
    Op("torch.gather", lambda T, F, x, dim, index: T.gather(x, dim, T.tensor(index)), lambda size: _gather_case(size),
       **same_function_as('gather')),
    Op("split(size)", lambda T, F, x, dim, arg: _weighted_pieces(T, x.split(arg, dim), dim), pieces_case("size")),
    Op("split(sizes)", lambda T, F, x, dim, arg: _weighted_pieces(T, x.split(arg, dim), dim), pieces_case("sizes")),
    Op("chunk", lambda T, F, x, dim, arg: _weighted_pieces(T, x.chunk(arg, dim), dim), pieces_case("chunk")),
    Op("torch.split", lambda T, F, x, dim, arg: _weighted_pieces(T, T.split(x, arg, dim), dim), pieces_case("size"),
       **same_function_as('split(size)')),
    Op("torch.maximum", lambda T, F, x, y: T.maximum(x, y), binary(),
       check_inputs=lambda size: _extremum_check(size)),
    Op("torch.minimum", lambda T, F, x, y: T.minimum(x, y), binary(),
       check_inputs=lambda size: _extremum_check(size)),
    Op("maximum (ties)", lambda T, F, x, y: x.maximum(y), binary(*[lambda s: S.arrays(s).map(np.round)] * 2),
       **same_function_as('torch.maximum')),
]

OPS_BY_NAME = {op.name: op for op in OPS}
assert len(OPS_BY_NAME) == len(OPS), "op names must be unique"
GRADCHECK_OPS = [op for op in OPS if op.gradcheck is True]
DOUBLE_OPS = [op for op in OPS if op.double is True]


# ---------------------------------------------------------------------------------------------
# Running an op in a library
# ---------------------------------------------------------------------------------------------
def _functional(T):
    return nbF if T is nb else T.nn.functional


def run(T, op, arrays, params, requires_grad=True):
    """Build the leaves from ``arrays`` and call the op: ``(leaves, outputs)``."""
    leaves = [T.tensor(a, requires_grad=requires_grad) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's deprecation notes (e.g. x.T on 0-d) are not ours to test
        out = op.fn(T, _functional(T), *leaves, **params)
    return leaves, (out if isinstance(out, tuple) else (out,))


values = S.to_numpy


def assert_same_tensor(ours, theirs, what, rtol=RTOL, atol=ATOL):
    assert str(ours.dtype) == str(theirs.dtype), f"{what}: dtype {ours.dtype} != PyTorch's {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} != {tuple(theirs.shape)}"
    np.testing.assert_allclose(values(ours), values(theirs), rtol=rtol, atol=atol, err_msg=what)


def assert_same_grads(ours, theirs, what, strict=True, rtol=RTOL, atol=ATOL):
    """Gradients agree; with ``strict=False`` a None on one side may face zeros on the other."""
    for i, (g, h) in enumerate(zip(ours, theirs)):
        if h is None or g is None:
            same = (g is None and h is None) or (not strict and _all_zero(g) and _all_zero(h))
            assert same, f"{what} {i}: {values(g)} but PyTorch has {values(h)}"
            continue
        assert_same_tensor(g, h, f"{what} {i}", rtol=rtol, atol=atol)


def _all_zero(t):
    return t is None or not np.any(values(t))


def _draw_like(data, t, label):
    """A random array of the shape of ``t`` (its dtype stays float64 here)."""
    return data.draw(S.arrays(tuple(t.shape)), label=label)


# ---------------------------------------------------------------------------------------------
# 1. PyTorch parity: values and gradients
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("op", OPS, ids=repr)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_values_and_gradients_match_pytorch(op, torch, data):
    arrays, params = data.draw(op.inputs(BIG), label="inputs")
    leaves, outs = run(nb, op, arrays, params)
    t_leaves, t_outs = run(torch, op, arrays, params)
    assert len(outs) == len(t_outs)
    for i, (o, t) in enumerate(zip(outs, t_outs)):
        assert_same_tensor(o, t, f"output {i}")
    out, t_out = outs[0], t_outs[0]
    assert out.requires_grad == t_out.requires_grad
    if op.graph is True:
        assert (out.grad_fn is None) == (t_out.grad_fn is None)
        if out.grad_fn is not None:
            assert type(out.grad_fn).__name__ == type(t_out.grad_fn).__name__
    for o, t in zip(outs[1:], t_outs[1:]):  # e.g. the indices of max(dim)
        assert not o.requires_grad and o.grad_fn is None and not t.requires_grad

    v = _draw_like(data, t_out, "v")
    out.backward(nb.tensor(v, dtype=out.dtype))
    t_out.backward(torch.tensor(v, dtype=t_out.dtype))
    assert_same_grads([x.grad for x in leaves], [x.grad for x in t_leaves], "grad of input")


# ---------------------------------------------------------------------------------------------
# 2. Central differences (no PyTorch)
# ---------------------------------------------------------------------------------------------
def numeric_vjp(f, arrays, v, eps=1e-6):
    """vᵀ·J for each input, by central differences: each element moved by ±eps in turn."""
    grads = []
    for i, a in enumerate(arrays):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            moved = [x.copy() for x in arrays]
            moved[i][idx] = a[idx] + eps
            up = f(moved)
            moved[i][idx] = a[idx] - eps
            down = f(moved)
            g[idx] = np.sum(v * (up - down)) / (2 * eps)
        grads.append(g)
    return grads


@pytest.mark.parametrize("op", GRADCHECK_OPS, ids=repr)
@settings(max_examples=FEW)
@given(data=st.data())
def test_gradients_match_central_differences(op, data):
    arrays, params = data.draw((op.check_inputs or op.inputs)(SMALL), label="inputs")
    leaves, outs = run(nb, op, arrays, params)
    out = outs[0]
    v = _draw_like(data, out, "v")
    out.backward(nb.tensor(v, dtype=out.dtype))

    def f(moved):
        with nb.no_grad():
            return values(run(nb, op, moved, params, requires_grad=False)[1][0]).astype(np.float64)

    expected = numeric_vjp(f, [np.array(a, dtype=np.float64) for a in arrays], v)
    for i, (x, e) in enumerate(zip(leaves, expected)):
        got = np.zeros_like(e) if x.grad is None else values(x.grad)
        np.testing.assert_allclose(got, e, rtol=1e-5, atol=1e-6,
                                   err_msg=f"{op.name}: backward's vᵀJ for input {i} vs central differences")


# ---------------------------------------------------------------------------------------------
# 3. Second derivatives
# ---------------------------------------------------------------------------------------------
def _second_order(T, op, arrays, params, v, w):
    """First-order grads (kept in the graph) and the grads of Σ g·w w.r.t. the inputs and v."""
    leaves, outs = run(T, op, arrays, params)
    out = outs[0]
    v = T.tensor(v, dtype=out.dtype, requires_grad=True)
    grads = T.autograd.grad(out, leaves, v, create_graph=True, allow_unused=True)
    terms = [(g * T.tensor(wi, dtype=g.dtype)).sum() for g, wi in zip(grads, w) if g is not None]
    if not terms:  # no first derivative at all (the 0-norm): no second one either
        return grads, [None] * (len(leaves) + 1)
    s = terms[0]
    for t in terms[1:]:
        s = s + t
    if not s.requires_grad:  # the first derivative is a constant: every second derivative is 0
        return grads, [None] * (len(leaves) + 1)
    return grads, T.autograd.grad(s, leaves + [v], allow_unused=True)


@pytest.mark.parametrize("op", DOUBLE_OPS, ids=repr)
@settings(max_examples=FEW)
@given(data=st.data())
def test_second_derivatives_match_pytorch(op, torch, data):
    arrays, params = data.draw(op.inputs(SMALL), label="inputs")
    _, t_outs = run(torch, op, arrays, params)
    v = _draw_like(data, t_outs[0], "v")
    w = [data.draw(S.arrays(np.shape(a)), label=f"w{i}") for i, a in enumerate(arrays)]
    grads, second = _second_order(nb, op, arrays, params, v, w)
    t_grads, t_second = _second_order(torch, op, arrays, params, v, w)
    assert_same_grads(grads, t_grads, "first derivative of input")
    # second derivatives: PyTorch's formulas are arranged differently (e.g. binary_cross_entropy's), so a
    # mathematically zero entry may come out as 1e-11 there; None (unused) and zeros are the same here
    assert_same_grads(second, t_second, "second derivative of input (the last one is v)", strict=False,
                      rtol=1e-8, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Indexing with repeated integers: the gradients add up
# ---------------------------------------------------------------------------------------------
def test_repeated_indices_accumulate(torch):
    for T in (nb, torch):
        x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x[[0, 0, 2, 0]]
        (y * T.tensor([1.0, 10.0, 100.0, 1000.0])).sum().backward()
        assert x.grad.tolist() == [1011.0, 0.0, 100.0]
        m = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        m[[1, 1], [0, 0]].sum().backward()
        assert m.grad.tolist() == [[0.0, 0.0], [2.0, 0.0]]


def test_basic_indices_are_applied_before_advanced_ones(torch):
    """PyTorch, unlike numpy, applies x[0, :, [0, 1]] as x[0] then [:, [0, 1]]: shape (3, 2), not (2, 3)."""
    data = np.arange(24.0).reshape(2, 3, 4)
    for T in (nb, torch):
        x = T.tensor(data, requires_grad=True)
        y = x[0, :, [0, 1]]
        assert tuple(y.shape) == (3, 2)
        assert y.tolist() == [[0.0, 1.0], [4.0, 5.0], [8.0, 9.0]]
        assert type(y.grad_fn).__name__ == "IndexBackward0"
        assert type(y.grad_fn.next_functions[0][0]).__name__ == "SelectBackward0"


def test_tensor_power_at_zero(torch):
    """x ** y at x = 0: PyTorch's gradient w.r.t. x is 0 where y = 0 (not 0·0⁻¹ = nan), and w.r.t. y
    uses ln 0 := 0; its second derivatives at x = y = 0 are nan (its double backward multiplies 0 by 0⁻²
    and by 0⁻¹·ln 0), and so are autograd_nb's, which follow the same formulas."""
    results = []
    for T in (nb, torch):
        x = T.tensor([0.0, 0.0, 0.0, 2.0, 0.5], dtype=T.float64, requires_grad=True)
        y = T.tensor([0.0, 1.0, 2.0, 0.0, -1.0], dtype=T.float64, requires_grad=True)
        gx, gy = T.autograd.grad((x ** y).sum(), [x, y], create_graph=True)
        second = T.autograd.grad((gx * T.arange(5.0, dtype=T.float64)).sum(), [x, y], allow_unused=True)
        results.append([values(t) for t in (x ** y, gx, gy, *second)])
    assert np.isnan(results[1][3][0]) and np.isnan(results[1][4][0])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


# ---------------------------------------------------------------------------------------------
# Comparisons: bool results, never in the graph
# ---------------------------------------------------------------------------------------------
COMPARISONS = {
    "==": lambda x, y: x == y, "!=": lambda x, y: x != y, "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y,
    "eq": lambda x, y: x.eq(y), "ne": lambda x, y: x.ne(y), "lt": lambda x, y: x.lt(y),
    "le": lambda x, y: x.le(y), "gt": lambda x, y: x.gt(y), "ge": lambda x, y: x.ge(y),
    "> 0.5": lambda x, y: x > 0.5, "== 1": lambda x, y: x == 1, "&": lambda x, y: (x > 0) & (y > 0),
    "|": lambda x, y: (x > 0) | (y < 0), "~": lambda x, y: ~(x > y),
}


@pytest.mark.parametrize("name", COMPARISONS)
@settings(max_examples=FEW)
@given(shapes=S.broadcastable_shapes(2), data=st.data())
def test_comparisons_match_pytorch_and_record_nothing(name, torch, shapes, data):
    # small integers as floats: ties are common, which is what == and <= are about
    a, b = (data.draw(S.arrays(s).map(np.round)) for s in shapes)
    results = []
    for T in (nb, torch):
        x, y = T.tensor(a, requires_grad=True), T.tensor(b, requires_grad=True)
        r = COMPARISONS[name](x, y)
        assert str(r.dtype) == "torch.bool"
        assert not r.requires_grad and r.grad_fn is None and r.is_leaf
        results.append(values(r))
    np.testing.assert_array_equal(results[0], results[1])


# ---------------------------------------------------------------------------------------------
# 4. dtypes: float32 by default, and PyTorch's type promotion
# ---------------------------------------------------------------------------------------------
def _dtype_leaves(T):
    return {
        "f": T.tensor([[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]], requires_grad=True),  # float32 (default)
        "g": T.tensor([1.5, -2.0, 0.25], requires_grad=True),
        "d": T.tensor([[0.5, 1.0, -2.0], [1.5, -0.25, 3.0]], dtype=T.float64, requires_grad=True),
        "d0": T.tensor(2.0, dtype=T.float64),
        "i": T.tensor([[1, 2, 3], [4, 5, 6]]),  # int64
        "j": T.tensor([2, 1, 3]),
        "i0": T.tensor(3),
        "b": T.tensor([[True, False, True], [False, False, True]]),
    }


DTYPE_CASES = {
    "float32 leaf": lambda T, L: L["f"] * 1,
    "float32 + python float": lambda T, L: L["f"] + 2.5,
    "float32 * python int": lambda T, L: L["f"] * 3,
    "float32 + float64 0-d": lambda T, L: L["f"] + L["d0"],
    "float32 + float64": lambda T, L: L["f"] + L["d"],
    "float32 * int64": lambda T, L: L["f"] * L["i"],
    "float32 / int64 0-d": lambda T, L: L["f"] / L["i0"],
    "float32 + bool": lambda T, L: L["f"] + L["b"],
    "int + python float": lambda T, L: L["i"] + 2.5,
    "python float * int": lambda T, L: 1.5 * L["i"],
    "int * python int": lambda T, L: L["i"] * 2,
    "int / python int": lambda T, L: L["i"] / 2,
    "int / int": lambda T, L: L["i"] / L["j"],
    "python int / int": lambda T, L: 2 / L["j"],
    "int - python int": lambda T, L: L["i"] - 1,
    "python int - int": lambda T, L: 10 - L["i"],
    "int + bool": lambda T, L: L["i"] + L["b"],
    "int ** 2": lambda T, L: L["i"] ** 2,
    "int ** 0.5": lambda T, L: L["i"] ** 0.5,
    "2 ** int": lambda T, L: 2 ** L["j"],
    "2.0 ** int": lambda T, L: 2.0 ** L["j"],
    "float32 ** 2": lambda T, L: L["f"] ** 2,
    "2 ** float32": lambda T, L: 2 ** L["f"],
    "float32 ** float32": lambda T, L: L["g"].abs() ** L["g"],
    "-int": lambda T, L: -L["i"],
    "int.abs()": lambda T, L: L["i"].abs(),
    "int.relu()": lambda T, L: L["i"].relu(),
    "int.clamp(2, 4)": lambda T, L: L["i"].clamp(2, 4),
    "int.exp()": lambda T, L: L["i"].exp(),
    "int.log()": lambda T, L: L["i"].log(),
    "int.sqrt()": lambda T, L: L["i"].sqrt(),
    "int.sin()": lambda T, L: L["i"].sin(),
    "int.sigmoid()": lambda T, L: L["i"].sigmoid(),
    "int.tanh()": lambda T, L: L["i"].tanh(),
    "int.reciprocal()": lambda T, L: L["j"].reciprocal(),
    "int.log1p()": lambda T, L: L["i"].log1p(),
    "bool.expm1()": lambda T, L: L["b"].expm1(),
    "int.erf()": lambda T, L: L["i"].erf(),
    "float32.erf()": lambda T, L: L["f"].erf(),
    "float32.log1p()": lambda T, L: L["f"].log1p(),
    "atan2(int, int)": lambda T, L: T.atan2(L["i"], L["j"]),
    "atan2(float32, float64 0-d)": lambda T, L: T.atan2(L["f"], L["d0"]),
    "atan2(float32, float64)": lambda T, L: L["f"].atan2(L["d"]),
    "atan2(bool, int)": lambda T, L: T.atan2(L["b"], L["i"]),
    "int.floor()": lambda T, L: L["i"].floor(),
    "int.ceil()": lambda T, L: L["i"].ceil(),
    "int.round()": lambda T, L: L["i"].round(),
    "int.trunc()": lambda T, L: L["i"].trunc(),
    "float32.round(decimals=1)": lambda T, L: (L["f"] * 1.234567).round(decimals=1),
    "float32.round(decimals=-1)": lambda T, L: (L["f"] * 123.4567).round(decimals=-1),
    "F.softplus float32": lambda T, L: _functional(T).softplus(L["f"] * 10, beta=0.5, threshold=5),
    "F.leaky_relu float32": lambda T, L: _functional(T).leaky_relu(L["f"]),
    "F.elu float32": lambda T, L: _functional(T).elu(L["f"], 2.0),
    "F.silu float32": lambda T, L: _functional(T).silu(L["f"]),
    "F.gelu float32": lambda T, L: _functional(T).gelu(L["f"]),
    "F.gelu tanh float64": lambda T, L: _functional(T).gelu(L["d"], approximate="tanh"),
    "int.logsumexp(1)": lambda T, L: L["i"].logsumexp(1),
    "bool.logsumexp(0)": lambda T, L: L["b"].logsumexp(0),
    "float32.logsumexp((0, 1))": lambda T, L: L["f"].logsumexp((0, 1)),
    "int.cumprod(1)": lambda T, L: L["i"].cumprod(1),
    "bool.cumprod(0)": lambda T, L: L["b"].cumprod(0),
    "float32.cumprod(1)": lambda T, L: L["f"].cumprod(1),
    "float32.cumprod(0, dtype=float64)": lambda T, L: L["f"].cumprod(0, dtype=T.float64),
    "int.cumprod(0, dtype=float32)": lambda T, L: L["i"].cumprod(0, dtype=T.float32),
    "outer(int, float32)": lambda T, L: T.outer(L["j"], L["g"]),
    "int.tril()": lambda T, L: L["i"].tril(),
    "bool.triu(1)": lambda T, L: L["b"].triu(1),
    "diag(int)": lambda T, L: T.diag(L["j"]),
    "float32.diag()": lambda T, L: L["f"].diag(),
    "int.repeat(2, 1)": lambda T, L: L["i"].repeat(2, 1),
    "bool.flip(0)": lambda T, L: L["b"].flip(0),
    "int.roll(1)": lambda T, L: L["i"].roll(1),
    "float32.index_select": lambda T, L: L["f"].index_select(1, T.tensor([2, 0])),
    "int.where(bool, 2.5)": lambda T, L: L["i"].where(L["b"], 2.5),
    "float32.where(bool, float64)": lambda T, L: L["f"].where(L["b"], L["d"]),
    "int.sort(1).values": lambda T, L: L["i"].sort(1).values,
    "float32.sort(1).indices": lambda T, L: L["f"].sort(1).indices,
    "float32.topk(2).values": lambda T, L: L["f"].topk(2).values,
    "float32.argsort()": lambda T, L: L["f"].argsort(),
    "float32.clamp_min(0.5)": lambda T, L: L["f"].clamp_min(0.5),
    "int.clamp_min(2)": lambda T, L: L["i"].clamp_min(2),
    "int.clamp_min(2.5)": lambda T, L: L["i"].clamp_min(2.5),
    "F.normalize float32": lambda T, L: _functional(T).normalize(L["f"]),
    "F.pad(int, value=2.5)": lambda T, L: _functional(T).pad(L["i"], (1, 1), value=2.5),
    "F.pad(float32)": lambda T, L: _functional(T).pad(L["f"], (1, 0, 0, 1)),
    "int.sum()": lambda T, L: L["i"].sum(),
    "int.sum(0)": lambda T, L: L["i"].sum(0),
    "bool.sum()": lambda T, L: L["b"].sum(),
    "bool.sum(1)": lambda T, L: L["b"].sum(1),
    "bool.sum(1, keepdim)": lambda T, L: L["b"].sum(1, keepdim=True),
    "(x > 0).sum()": lambda T, L: (L["f"] > 0).sum(),
    "int.max()": lambda T, L: L["i"].max(),
    "int.max(0)": lambda T, L: L["i"].max(0).values,
    "int.max(0).indices": lambda T, L: L["i"].max(0).indices,
    "float32.max(1).indices": lambda T, L: L["f"].max(1).indices,
    "int @ int": lambda T, L: L["i"] @ L["j"],
    "int.t()": lambda T, L: L["i"].t(),
    "int.reshape": lambda T, L: L["i"].reshape(3, 2),
    "int[0]": lambda T, L: L["i"][0],
    "int.float()": lambda T, L: L["i"].float(),
    "int.to(float64)": lambda T, L: L["i"].to(T.float64),
    "float32.double()": lambda T, L: L["f"].double(),
    "float64.float()": lambda T, L: L["d"].float(),
    "float32.long()": lambda T, L: L["f"].long(),
    "float32.bool()": lambda T, L: L["f"].bool(),
    "bool.float()": lambda T, L: L["b"].float(),
    "where(bool, int, 1.5)": lambda T, L: T.where(L["b"], L["i"], 1.5),
    "where(bool, float32, 0.0)": lambda T, L: T.where(L["b"], L["f"], 0.0),
    "where(bool, float32, float64)": lambda T, L: T.where(L["b"], L["f"], L["d"]),
    "cat(int, float32)": lambda T, L: T.cat([L["i"], L["f"]]),
    "stack(float32, float64)": lambda T, L: T.stack([L["f"], L["d"]]),
    "float32 @ float32": lambda T, L: L["f"] @ L["f"].t(),
    "float32.mean()": lambda T, L: L["f"].mean(),
    "float32.softmax(1)": lambda T, L: L["f"].softmax(1),
    "float32.log_softmax(0)": lambda T, L: L["f"].log_softmax(0),
    "F.linear float32": lambda T, L: _functional(T).linear(L["f"], L["f"], L["g"][:2]),
    "F.mse_loss float32": lambda T, L: _functional(T).mse_loss(L["f"], L["f"].detach() * 2),
    "F.cross_entropy float32": lambda T, L: _functional(T).cross_entropy(L["f"], T.tensor([2, 0])),
    "F.binary_cross_entropy float32": lambda T, L: _functional(T).binary_cross_entropy(
        L["f"].sigmoid(), T.tensor([[1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])),
    "F.bce_with_logits float32": lambda T, L: _functional(T).binary_cross_entropy_with_logits(
        L["f"], T.tensor([[1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])),
    "arange float": lambda T, L: T.arange(0, 1, 0.25) * L["g"].sum(),
    "zeros + leaf": lambda T, L: T.zeros(3) + L["g"],
    "ones int + leaf": lambda T, L: T.ones(3, dtype=T.int64) * L["g"],
    "int.prod()": lambda T, L: L["i"].prod(),
    "bool.prod(1)": lambda T, L: L["b"].prod(1),
    "float32.prod(dtype=float64)": lambda T, L: L["f"].prod(dtype=T.float64),
    "float32.prod(1, dtype=float64)": lambda T, L: L["f"].prod(1, dtype=T.float64),
    "int.cumsum(1)": lambda T, L: L["i"].cumsum(1),
    "bool.cumsum(0)": lambda T, L: L["b"].cumsum(0),
    "float32.cumsum(1, dtype=float64)": lambda T, L: L["f"].cumsum(1, dtype=T.float64),
    "float32.norm()": lambda T, L: L["f"].norm(),
    "float32.norm(dtype=float64)": lambda T, L: L["f"].norm(dtype=T.float64),
    "float32.std(0)": lambda T, L: L["f"].std(0),
    "float64.var(1, correction=0)": lambda T, L: L["d"].var(1, correction=0),
    "int.masked_fill(bool, 2.5)": lambda T, L: L["i"].masked_fill(L["b"], 2.5),
    "float32.masked_fill(bool, 2)": lambda T, L: L["f"].masked_fill(L["b"], 2),
    "float32.masked_fill(bool, float64 0-d)": lambda T, L: L["f"].masked_fill(L["b"], L["d0"]),
    "int.gather": lambda T, L: L["i"].gather(1, T.tensor([[0, 2], [1, 1]])),
    "float32.gather": lambda T, L: L["f"].gather(0, T.tensor([[1, 0, 1]])),
    "maximum(int, float32)": lambda T, L: T.maximum(L["j"], L["g"]),
    "minimum(float32, float64)": lambda T, L: T.minimum(L["f"], L["d"]),
    "maximum(bool, bool)": lambda T, L: T.maximum(L["b"], ~L["b"]),
    "int.split(1)[1]": lambda T, L: L["i"].split(1)[1],
    "float32.chunk(3, 1)[2]": lambda T, L: L["f"].chunk(3, 1)[2],
    "float32.new_zeros(2)": lambda T, L: L["f"].new_zeros(2),
    "int.new_ones(2, 2)": lambda T, L: L["i"].new_ones(2, 2),
    "float64.new_full((2,), 3)": lambda T, L: L["d"].new_full((2,), 3),
    "int.new_tensor([1.5])": lambda T, L: L["i"].new_tensor([1.5]),
    "float32.new_tensor(int data)": lambda T, L: L["f"].new_tensor([1, 2]),
    "float32.new_empty((2, 1)).shape": lambda T, L: L["f"].new_empty((2, 1)) * 0,
    "float32.to(float64, copy=True)": lambda T, L: L["f"].to(T.float64, copy=True),
    "float32.to('cpu', copy=True)": lambda T, L: L["f"].to("cpu", copy=True),
    "float32.to(int tensor)": lambda T, L: L["f"].to(L["i"]),
    "float32.type(float64)": lambda T, L: L["f"].type(T.float64),
    "float32.type('torch.DoubleTensor')": lambda T, L: L["f"].type("torch.DoubleTensor"),
    "int.type_as(float32)": lambda T, L: L["i"].type_as(L["f"]),
}


@pytest.mark.parametrize("name", DTYPE_CASES)
def test_result_dtypes_match_pytorch(name, torch):
    results = []
    for T in (nb, torch):
        leaves = _dtype_leaves(T)
        r = DTYPE_CASES[name](T, leaves)
        results.append((leaves, r))
    (leaves, r), (t_leaves, t_r) = results
    tol = 1e-6 if "float32" in str(t_r.dtype) else RTOL
    assert_same_tensor(r, t_r, name, rtol=tol, atol=tol)
    assert r.requires_grad == t_r.requires_grad
    if t_r.requires_grad:
        r.sum().backward()
        t_r.sum().backward()
        for key in ("f", "g", "d"):
            g, h = leaves[key].grad, t_leaves[key].grad
            assert (g is None) == (h is None), key
            if h is not None:
                assert_same_tensor(g, h, f"grad of {key}", rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Forward mode (jvp) of the ops above that tests/test_forward_ad.py does not list
# ---------------------------------------------------------------------------------------------
JVP_CASES = [
    "torch.log1p(x)", "torch.expm1(x)", "torch.erf(x)", "torch.atan2(x, x * x - 1)", "torch.atan2(x[0], x)",
    "torch.floor(x)", "torch.ceil(x)", "torch.round(x)", "torch.trunc(x)", "x.round(decimals=1)",
    "F.softplus(x, 2, 3)", "F.leaky_relu(x, 0.3)", "F.elu(x, 0.5)", "F.silu(x)", "F.gelu(x)", "F.gelu(x, approximate='tanh')",
    "torch.autograd.grad(F.softplus(x, 2, 3).sum(), x, create_graph=True)[0]",
    "torch.autograd.grad(F.elu(x).sum(), x, create_graph=True)[0]",
    "torch.outer(x[0], x[1])", "x.tril()", "x.triu(1)", "torch.diag(x[0], 1)", "torch.diag(x, -1)", "x.repeat(2, 1, 2)",
    "x.flip(0, 1)", "x.roll((1, 2), (1, 0))", "x.index_select(1, torch.tensor([2, 0, 2]))", "x.where(x > 0.3, x * x)",
    "x.sort(1).values", "x.sort(0, descending=True).values", "x.topk(2).values",
    "x.logsumexp(1)", "x.logsumexp((0, 1), keepdim=True)", "F.pad(x, (1, -1, 0, 2))", "F.normalize(x)", "x.clamp_min(0.3)", "x.cumprod(1)", "x.cumprod(0)", "(x * (x > 0.3)).cumprod(1)",
    "torch.autograd.grad(F.gelu(x).sum(), x, create_graph=True)[0]",
    "torch.autograd.grad(F.gelu(x, approximate='tanh').sum(), x, create_graph=True)[0]",
]


@pytest.mark.parametrize("expression", JVP_CASES)
def test_forward_mode_matches_pytorch(torch, expression):
    code = ("fw = torch.autograd.forward_ad\nwith fw.dual_level():\n"
            "    x = fw.make_dual(torch.tensor([[0.5, 2.0, -1.5], [0.0, 0.25, 3.0]], dtype=torch.float64), "
            "torch.tensor([[1.0, 3.0, -2.0], [0.5, 1.5, -1.0]], dtype=torch.float64))\n"
            "    x.requires_grad_()\n"
            f"    y = {expression}\n"
            "    r = [None if t is None else t.detach() for t in fw.unpack_dual(y)]")  # (values: PyTorch's primal is an alias)
    assert_same_as_pytorch(nb, torch, code)
