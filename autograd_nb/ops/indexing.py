"""Indexing: ``x[0]``, ``x[:, 1:3]``, ``x[None]``, ``x[mask]``, ``x[[0, 0, 2]]``.

Basic indices become a chain of simple view ops, one per index, exactly the nodes PyTorch records:
an integer is a ``Select`` (SelectBackward0), a slice is a ``Slice`` (SliceBackward0), ``None`` is an
``Unsqueeze``. Anything else (a bool mask, a list or tensor of integers) is one ``Index`` (IndexBackward0).

Backward of every one of them is the same idea: start from zeros of the input's shape and put the
gradient back where the values came from. With integer arrays the same element can be picked twice;
then both gradients must be *added* there (``np.add.at``), not written over each other.
"""
import numpy as np

from .. import grad_mode
from ..function import Function
from .broadcast import normalize_dim


class Unindex(Function):
    """z = zeros(shape); z[index] += g      (the adjoint of indexing; its own adjoint is indexing)"""

    @staticmethod
    def forward(ctx, g, shape, index):
        ctx.index = index
        out = np.zeros(shape, dtype=g._data.dtype)
        np.add.at(out, index, g._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.index), None, None


class Select(Function):
    """z = x[..., i, ...] at dim ``d``      ∂z/∂x: the gradient placed at index i, zeros elsewhere"""

    node_name = "SelectBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, d, i):
        size = x.shape[d]
        if not -size <= i < size:
            raise IndexError(f"index {i} is out of bounds for dimension {d} with size {size}")
        ctx.shape, ctx.index = x.shape, (slice(None),) * d + (i,)
        return x._data[ctx.index]

    @staticmethod
    def backward(ctx, grad):
        return Unindex.apply(grad, ctx.shape, ctx.index), None, None


class Slice(Function):
    """z = x[..., a:b:s, ...] at dim ``d``      ∂z/∂x: the gradient placed back in the slice"""

    node_name = "SliceBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, d, sl):
        if sl.step is not None and sl.step <= 0:
            raise ValueError("step must be greater than zero")
        ctx.shape, ctx.index = x.shape, (slice(None),) * d + (sl,)
        return x._data[ctx.index]

    @staticmethod
    def backward(ctx, grad):
        return Unindex.apply(grad, ctx.shape, ctx.index), None, None


class Index(Function):
    """z = x[index] (masks, integer arrays)      ∂z/∂x: gradients added back at the indexed places"""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        try:
            return x._data[index]
        except IndexError as e:
            raise IndexError(str(e)) from None

    @staticmethod
    def backward(ctx, grad):
        return Unindex.apply(grad, ctx.shape, ctx.index), None


def _advanced(i):
    from ..tensor import Tensor

    return isinstance(i, (list, np.ndarray, Tensor)) or (isinstance(i, tuple))


def _plain(index):
    """Turn tensors inside an index into numpy arrays (masks stay bool, integers become int64)."""
    from ..tensor import Tensor

    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, list):
        return np.asarray([_plain(i) for i in index])
    return index


def getitem(x, index):
    """``x[index]`` as PyTorch records it: a chain of Select/Slice/Unsqueeze nodes, or one Index node."""
    from .views import Unsqueeze

    parts = index if isinstance(index, tuple) else (index,)
    if any(_advanced(p) for p in parts):
        plain = tuple(_plain(p) for p in parts) if isinstance(index, tuple) else _plain(index)
        return Index.apply(x, plain)
    used = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if used > x.dim():
        raise IndexError(f"too many indices for tensor of dimension {x.dim()}")
    out, d, recorded = x, 0, False
    for p in parts:
        if p is Ellipsis:
            d += x.dim() - used
        elif p is None:
            out, recorded = Unsqueeze.apply(out, d), True
            d += 1
        elif isinstance(p, slice):
            if p != slice(None):
                out, recorded = Slice.apply(out, d, p), True
            d += 1
        elif isinstance(p, (int, np.integer)) or hasattr(p, "__index__"):
            out, recorded = Select.apply(out, d, int(p.__index__())), True
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(p).__name__})"
            )
    if not recorded:  # x[:] or x[...] still makes a new tensor (a view), as in PyTorch
        out = Slice.apply(x, 0, slice(None)) if x.dim() else Unsqueeze.apply(x, 0).squeeze(0)
    return out


class CopySlices(Function):
    """z = x with z[index] = v      ∂z/∂x = 1 outside index, 0 inside; ∂z/∂v = the gradient at index"""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, v, index):
        ctx.index, ctx.v_shape = index, v.shape
        out = x._data.copy()
        out[index] = v._data
        return out

    @staticmethod
    def backward(ctx, grad):
        from ..creation import ones
        from .broadcast import unbroadcast

        keep = ones(grad.shape, dtype=grad.dtype)
        keep._data[ctx.index] = 0
        grad_v = unbroadcast(grad[ctx.index], ctx.v_shape) if ctx.needs_input_grad[1] else None
        return grad * keep, grad_v, None


def setitem(x, index, value):
    """``x[index] = value``: an in-place op; in a graph it records a ``CopySlices`` node, as PyTorch."""
    from ..tensor import _wrap
    from .inplace import inplace

    parts = index if isinstance(index, tuple) else (index,)
    if grad_mode.is_grad_enabled() and x.is_leaf and x.requires_grad and not any(_advanced(p) for p in parts):
        # PyTorch assigns through a view (x[0] is a view of x), so its message speaks of a view
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    plain = tuple(_plain(p) for p in index) if isinstance(index, tuple) else _plain(index)
    inplace(x, CopySlices, _wrap(value, x), plain)
