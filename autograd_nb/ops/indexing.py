"""Indexing: ``x[0]``, ``x[:, 1:3]``, ``x[None]``, ``x[mask]``, ``x[[0, 0, 2]]``.

Basic indices become a chain of simple view ops, one per index, exactly the nodes PyTorch records:
an integer is a ``Select`` (SelectBackward0), a slice is a ``Slice`` (SliceBackward0), ``None`` is an
``Unsqueeze``. The rest (bool masks, lists or tensors of integers) are applied last, together, as one
``Index`` (IndexBackward0). An index that changes nothing (``x[...]``) still makes a new tensor: an ``Alias``.

Backward of every one of them is the same idea: start from zeros of the input's shape and put the
gradient back where the values came from. With integer arrays the same element can be picked twice;
then both gradients must be *added* there (``np.add.at``), not written over each other.
"""
import re

import numpy as np

from ..function import Function
from .broadcast import unbroadcast
from ..tensor import Tensor
from .inplace import Copy, apply_in_place, single_mask
from .pointwise import zeros_of
from .selection import row_major, where
from .views import Clone, Unsqueeze


class Unindex(Function):
    """z = zeros(shape); z[index] += g      (the adjoint of indexing; its own adjoint is indexing)"""

    @staticmethod
    def forward(ctx, g, shape, index):
        ctx.shape, ctx.index = shape, index
        out = np.zeros(shape, dtype=g._data.dtype)
        np.add.at(out, index, g._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.index), None, None

    @staticmethod
    def jvp(ctx, tg, _shape, _index):
        return Unindex.apply(tg, ctx.shape, ctx.index)


class _BasicIndexView(Function):
    """Shared by Select and Slice: a view of x along one dim; backward puts the gradient back in place."""

    is_view = True

    @staticmethod
    def backward(ctx, grad):
        return Unindex.apply(grad, ctx.shape, ctx.index), None, None

    @staticmethod
    def jvp(ctx, tx, _d, _i):
        return tx[ctx.index]


class Select(_BasicIndexView):
    """z = x[..., i, ...] at dim ``d``      ∂z/∂x: the gradient placed at index i, zeros elsewhere"""

    node_name = "SelectBackward0"

    @staticmethod
    def forward(ctx, x, d, i):
        size = x.shape[d]
        if not -size <= i < size:
            raise IndexError(f"index {i} is out of bounds for dimension {d} with size {size}")
        ctx.shape, ctx.index = x.shape, (slice(None),) * d + (i,)
        return x._data[ctx.index + (Ellipsis,)]  # (with the Ellipsis numpy gives a view even of one element)


class Slice(_BasicIndexView):
    """z = x[..., a:b:s, ...] at dim ``d``      ∂z/∂x: the gradient placed back in the slice"""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, x, d, sl):
        if sl.step is not None and sl.step <= 0:
            raise ValueError("step must be greater than zero")
        ctx.shape, ctx.index = x.shape, (slice(None),) * d + (sl,)
        return x._data[ctx.index]


def _pytorch_index_message(numpy_message, index):
    """numpy's IndexError message in PyTorch's words ("dimension" for "axis", shapes as [2], [0]). An index
    array out of bounds is numbered as PyTorch numbers it: by its place among the index tensors (``x[:, [7]]``:
    dimension 0), not by the dimension of x it indexes; into a dimension of size 0 PyTorch names neither."""
    if "could not be broadcast together" in numpy_message:
        shapes = re.findall(r"\(([\d, ]*)\)", numpy_message)
        listed = ", ".join("[" + ", ".join(n for n in s.replace(" ", "").split(",") if n) + "]" for s in shapes)
        return f"shape mismatch: indexing tensors could not be broadcast together with shapes {listed}"
    if numpy_message.endswith(" with size 0"):
        return "index is out of bounds for dimension with size 0"
    bad = re.search(r" for axis (\d+) ", numpy_message)
    if bad:
        place = _place_among_index_tensors(index, int(bad.group(1)))
        numpy_message = numpy_message.replace(bad.group(0), f" for axis {place} ") if place is not None else numpy_message
    return numpy_message.replace(" for axis ", " for dimension ")


def _dims_indexed(index):
    """``[(entry, dim)]``: each entry of an advanced index (slices and arrays, as ``_basic_indexing`` makes
    it) with the first dimension of x it indexes."""
    dims, dim = [], 0
    for i in index:
        dims.append((i, dim))
        dim += _dims_used(i)
    return dims


def _place_among_index_tensors(index, axis):
    """How many index arrays come before the integer array that indexes dimension ``axis`` of x (None if none)."""
    before = 0
    for i, dim in _dims_indexed(index):
        if isinstance(i, np.ndarray) and i.dtype != bool and dim == axis:
            return before
        if isinstance(i, np.ndarray):
            before += _dims_used(i)
    return None


def _in_range_if_empty(data, index):
    """PyTorch checks no bounds when the result is empty (``zeros(3, 0)[[0, 5]]`` has shape [2, 0]): for an
    empty x, the index with its arrays clipped into range (the result is empty all the same), or None where
    an index array points into a dimension of size 0 (an error in PyTorch too)."""
    if data.size:
        return None
    clipped = []
    for i, dim in _dims_indexed(index):
        if isinstance(i, np.ndarray) and i.dtype != bool:
            if data.shape[dim] == 0:
                return None
            i = np.clip(i, -data.shape[dim], data.shape[dim] - 1)
        clipped.append(i)
    return tuple(clipped)


class Index(Function):
    """z = x[index] (masks, integer arrays)      ∂z/∂x: gradients added back at the indexed places"""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        # the index arrays are saved tensors, as in PyTorch: after backward they are freed like any other
        ctx.save_for_backward(*[Tensor(p) for p in index if isinstance(p, np.ndarray)])
        try:
            return row_major(x._data[index])  # (numpy may lay the result out otherwise; PyTorch does not)
        except IndexError as e:
            ctx.index = _in_range_if_empty(x._data, index)
            if ctx.index is None:
                raise IndexError(_pytorch_index_message(str(e), index)
                                 if x._data.size or "broadcast" in str(e)
                                 else "index is out of bounds for dimension with size 0") from None
            return x._data[ctx.index].copy()

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # (raises if they were freed: a second backward needs retain_graph=True)
        return Unindex.apply(grad, ctx.shape, ctx.index), None

    @staticmethod
    def jvp(ctx, tx, _index):
        return Index.apply(tx, ctx.index)


class Alias(Clone):
    """z = x, a new tensor sharing x's memory (``x[...]``)      ∂z/∂x = 1 (backward as for clone)"""

    node_name = "AliasBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return x._data.view()


def _advanced(i):
    return isinstance(i, (list, np.ndarray, Tensor)) or (isinstance(i, tuple))


def _plain(index):
    """Turn tensors inside an index into numpy arrays (masks stay bool, integers become int64)."""
    if isinstance(index, Tensor):
        if index.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return index._data
    if isinstance(index, list):
        return np.asarray([_plain(i) for i in index])
    return index


def getitem(x, index):
    """``x[index]`` as PyTorch records it.

    PyTorch applies the basic indices first, left to right: an integer is a ``Select``, a slice a
    ``Slice`` (a slice covering the whole dim records nothing), ``None`` an ``Unsqueeze``. The advanced
    ones (bool masks, lists and tensors of integers) are collected and applied last, in one ``Index``.
    So ``x[0, :, [0, 1]]`` is Select then Index, and has shape (3, 2) for x of shape (2, 3, 4), where
    numpy, which treats the 0 as an advanced index too, gives (2, 3).
    """
    if isinstance(index, slice):  # x[a:b] alone: PyTorch records the slice even when it is x[:]
        if x.dim() == 0:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        return Slice.apply(x, 0, index)
    out, advanced = _basic_indexing(x, index)
    if advanced is not None:
        out = Index.apply(out, advanced)
    if out is x:  # x[...], x[()], x[:, :]: still a new tensor, PyTorch's alias of x
        out = Alias.apply(x)
    return out


def _basic_indexing(x, index):
    """Apply the basic parts of ``index`` to ``x`` (views, or ``x`` itself when they change nothing); return
    that and the advanced parts as one numpy index (or None), to apply after."""
    if x.dim() == 0 and isinstance(index, (int, np.integer)) and not isinstance(index, (bool, np.bool_)):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
                         "C++ to convert a 0-dim tensor to a number")
    parts = index if isinstance(index, tuple) else (index,)
    parts = tuple(p.item() if _integer_scalar(p) else p for p in parts)  # x[t.argmax()] is a Select
    used = sum(_dims_used(p) for p in parts)
    if x.dim() == 0 and parts and isinstance(parts[0], slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if used > x.dim():
        raise IndexError(f"too many indices for tensor of dimension {x.dim()}")
    out, d, advanced = x, 0, []
    for p in parts:
        if p is Ellipsis:
            d += x.dim() - used
        elif p is None:
            out = Unsqueeze.apply(out, d)
            d += 1
        elif isinstance(p, (bool, np.bool_)):  # x[True]: a new dim of size 1 (or 0 for False)
            out = Unsqueeze.apply(out, d)
            advanced.append((d, np.zeros(1 if p else 0, dtype=np.int64)))
            d += 1
        elif isinstance(p, slice):
            if not _whole(p, out.shape[d]):
                out = Slice.apply(out, d, p)
            d += 1
        elif isinstance(p, (int, np.integer)):
            out = Select.apply(out, d, int(p))
        elif _advanced(p):
            array = _plain(p)
            if array.dtype == np.bool_:
                _check_mask(array, out.shape, d)
            advanced.append((d, array))
            d += array.ndim if array.dtype == np.bool_ else 1
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(p).__name__})"
            )
    if not advanced:
        return out, None
    plain, at = [], 0
    for dim, array in advanced:  # slice(None) stands for the dims the advanced indices skip
        plain += [slice(None)] * (dim - at) + [array]
        at = dim + (array.ndim if array.dtype == np.bool_ else 1)
    return out, tuple(plain)


def _integer_scalar(p):
    return isinstance(p, Tensor) and p.dim() == 0 and p.dtype.category == 1


def _dims_used(p):
    """How many dims of the indexed tensor ``p`` consumes (a k-d bool mask consumes k)."""
    if p is None or p is Ellipsis or isinstance(p, (bool, np.bool_)):
        return 0
    if _advanced(p):
        array = _plain(p)
        return array.ndim if array.dtype == np.bool_ else 1
    return 1


def _whole(sl, length):
    """Does ``sl`` cover the whole dim? Then PyTorch skips it (its test, negative bounds included)."""
    return sl.start in (None, 0) and sl.step in (None, 1) and (sl.stop is None or sl.stop >= length)


def _check_mask(mask, shape, d):
    for j, n in enumerate(mask.shape):
        if d + j >= len(shape) or shape[d + j] != n:
            raise IndexError(
                f"The shape of the mask [{', '.join(map(str, mask.shape))}] at index {j} does not match the shape "
                f"of the indexed tensor [{', '.join(map(str, shape))}] at index {d + j}"
            )


class IndexPut(Function):
    """z = x with z[index] = v (advanced index)      ∂z/∂x = the gradient, 0 at index; ∂z/∂v = the gradient at index"""

    node_name = "IndexPutBackward0"
    overlap_rule = "index"  # (see apply_in_place: no overlap at all between x and the values)

    @staticmethod
    def forward(ctx, x, v, index):
        if v.dtype is not x.dtype and not (v.numel() == 1 and single_mask(index)):  # (masked_fill_ converts)
            raise RuntimeError("Index put requires the source and destination dtypes match, got "
                               f"{_type_name(x.dtype)} for the destination and {_type_name(v.dtype)} for the source.")
        ctx.index, ctx.v_shape = index, v.shape
        ctx.save_for_backward(*[Tensor(p) for p in index if isinstance(p, np.ndarray)])  # (as Index does)
        out = x._data.copy()
        try:
            out[index] = v._data.astype(out.dtype, copy=False)
        except (IndexError, ValueError) as e:
            raise IndexError(_pytorch_index_message(str(e), index)) from None
        return out

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # (raises if they were freed)
        keep = np.ones(grad.shape, dtype=bool)
        keep[ctx.index] = False
        grad_v = unbroadcast(Index.apply(grad, ctx.index), ctx.v_shape) if ctx.needs_input_grad[1] else None
        return where(Tensor(keep), grad, 0.0), grad_v, None

    @staticmethod
    def jvp(ctx, tx, tv, _index):
        return IndexPut.apply(tx, tv.expand(Index.apply(tx, ctx.index).shape).clone(), ctx.index)


class FillTensor(Function):
    """z = v everywhere (v a 0-d tensor)      ∂z/∂x = 0, ∂z/∂v = Σ grad"""

    node_name = "FillBackward3"  # PyTorch's name for fill_ with a tensor value (x[...] = value uses it)
    overlap_rule = "internal"  # (see apply_in_place: x may not be expanded; the value may be part of x)

    @staticmethod
    def forward(ctx, x, v):
        return np.full_like(x._data, v._data.astype(x._data.dtype))

    @staticmethod
    def backward(ctx, grad):
        return zeros_of(grad), grad.sum()

    @staticmethod
    def jvp(ctx, tx, tv):
        return tv.expand(tx.shape).to(tx.dtype).clone()


def setitem(x, index, value):
    """``x[index] = value``, as PyTorch does it: the basic indices give a view of x (or x itself), then
    the value goes in with an in-place op on that view: ``index_put_`` for advanced indices
    (IndexPutBackward0), ``fill_`` for a single value (FillBackward3), ``copy_`` otherwise (CopyBackwards).
    On a view the in-place op makes x's history a CopySlices node (views.py)."""
    if not isinstance(value, Tensor):
        value = Tensor(np.asarray(value, dtype=x.dtype.numpy_dtype))  # a Python number: of x's dtype
    if isinstance(index, slice):
        index = (index,)
    target, advanced = _basic_indexing(x, index)
    if advanced is not None:
        stripped = _without_leading_ones(value.shape)
        if stripped != value.shape:
            value = value.view(stripped)
        apply_in_place(target, IndexPut, value, advanced)
    elif target.shape == value.shape:
        apply_in_place(target, Copy, value)
    elif value.dim() == 0:
        apply_in_place(target, FillTensor, value)
    else:
        value = value.view(_without_leading_ones(value.shape))
        apply_in_place(target, Copy, value if value.shape == target.shape else value.expand(target.shape))


def _without_leading_ones(shape):
    """The shape with its leading 1s dropped (PyTorch views a value so before assigning it)."""
    shape = tuple(shape)
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


def _type_name(dtype):
    return {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}[dtype.name]
