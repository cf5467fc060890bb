"""Gathering along a dimension: ``x.gather(dim, index)``, and scatter-add, its adjoint; likewise
``x.index_select(dim, index)`` (whole slices) and index-add.

``z[i][j] = x[i][index[i][j]]`` for ``dim = 1`` (likewise for any dim): each output picks one element
of x. Backward sends each output's gradient back to the element it picked, *adding* where one element
was picked several times: that is ``scatter_add``. And gathering is in turn scatter-add's backward.
"""
import numpy as np

from ..function import Function
from .broadcast import normalize_dim
from ..tensor import Tensor


def _places(index, d):
    """numpy's index for ``x[i][index[i][j]]``: ``index`` along dim d, the position itself along the others."""
    return tuple(index if k == d else np.arange(n).reshape([-1 if m == k else 1 for m in range(index.ndim)])
                 for k, n in enumerate(index.shape))


class Gather(Function):
    """z[..., j, ...] = x[..., index[..., j, ...], ...] along ``dim``      ∂L/∂x = scatter_add of ∂L/∂z at index"""

    node_name = "GatherBackward0"
    saved_names = ("index",)

    @staticmethod
    def forward(ctx, x, dim, index):
        # the index comes as a plain integer array (see ``gather``): it gets no edge, as in PyTorch
        d = normalize_dim(dim, x.dim())
        ctx.dim, ctx.shape = d, x.shape
        ctx.save_for_backward(Tensor(index))
        if x.dim() == 0:
            return np.broadcast_to(x._data, index.shape).copy()
        return x._data[_places(index, d)]

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        return ScatterAdd.apply(grad, ctx.dim, index._data, ctx.shape), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _index):
        (index,) = ctx.saved_tensors
        return Gather.apply(tx, ctx.dim, index._data)


class ScatterAdd(Function):
    """z = zeros(shape); z[..., index[..., j, ...], ...] += g[..., j, ...] along ``dim``      ∂L/∂g = gather of ∂L/∂z"""

    node_name = "ScatterAddBackward0"

    @staticmethod
    def forward(ctx, g, dim, index, shape):
        ctx.dim, ctx.index = dim, index
        out = np.zeros(shape, dtype=g._data.dtype)
        if out.ndim == 0:
            return out + g._data.sum()
        np.add.at(out, _places(index, dim), g._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return Gather.apply(grad, ctx.dim, ctx.index), None, None, None

    @staticmethod
    def jvp(ctx, tg, _dim, _index, shape):
        return ScatterAdd.apply(tg, ctx.dim, ctx.index, shape)


def _check_index(x, d, index):
    """PyTorch's checks of a gather index, with its messages."""
    if index.dtype.name != "int64":
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if index.dim() != x.dim() and not (x.dim() <= 1 and index.dim() <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(index.dim()):
        if k != d and x.dim() and index.shape[k] > x.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index {list(index.shape)} to be no "
                               f"larger than self {list(x.shape)} apart from dimension {d}")
    size = x.shape[d] if x.dim() else 1
    bad = index._data[(index._data < 0) | (index._data >= size)]
    if bad.size:
        raise RuntimeError(f"index {bad.flat[0]} is out of bounds for dimension {d} with size {size}")


def gather(x, dim, index):
    """``x.gather(dim, index)``, ``torch.gather(x, dim, index)``: pick one element of x along ``dim`` for each
    entry of ``index``."""
    _check_index(x, normalize_dim(dim, x.dim()), index)
    return Gather.apply(x, dim, index._data)


class IndexSelect(Function):
    """z = the slices of x at ``index`` along ``dim`` (x[:, index] for dim 1)      ∂L/∂x = index_add of ∂L/∂z"""

    node_name = "IndexSelectBackward0"
    saved_names = ("index",)

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx._saved_dim, ctx._saved_self_sym_sizes = dim, tuple(x.shape)
        ctx.save_for_backward(Tensor(index))
        if x.dim() == 0:  # (its one element, still 0-d)
            return x._data.copy()
        return np.take(x._data, index, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        (index,) = ctx.saved_tensors
        return IndexAdd.apply(grad, ctx._saved_dim, index._data, ctx._saved_self_sym_sizes), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _index):
        (index,) = ctx.saved_tensors
        return IndexSelect.apply(tx, ctx._saved_dim, index._data)


class IndexAdd(Function):
    """z = zeros(shape); z[index[j]] += g[j] along ``dim``, IndexSelect's backward      ∂L/∂g = index_select of ∂L/∂z"""

    node_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, g, dim, index, shape):
        ctx.dim, ctx.index = dim, index
        out = np.zeros(shape, dtype=g._data.dtype)
        if out.ndim == 0:
            return out + g._data.sum()
        np.add.at(out, (slice(None),) * dim + (index,), g._data)  # (add.at: a repeated index adds up)
        return out

    @staticmethod
    def backward(ctx, u):
        return IndexSelect.apply(u, ctx.dim, ctx.index), None, None, None

    @staticmethod
    def jvp(ctx, tg, _dim, _index, shape):
        return IndexAdd.apply(tg, ctx.dim, ctx.index, shape)


def index_select(x, dim, index, position=2):
    """``x.index_select(dim, index)``: the slices at a 1-d (or 0-d) integer ``index`` along ``dim``."""
    if not isinstance(index, Tensor):
        raise TypeError(f"index_select(): argument 'index' (position {position}) must be Tensor, not {type(index).__name__}")
    d = normalize_dim(dim, x.dim())
    if index.dtype.name != "int64":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if x.dim() == 0 and index.numel() != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)")
    size = x.shape[d] if x.dim() else 1
    bad = index._data[(index._data < 0) | (index._data >= size)]
    if bad.size:
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad.flat[0]} axis_dim={size}")
    return IndexSelect.apply(x, d, index._data.reshape(-1))
