"""Sorting along a dimension: ``x.sort(dim)``, ``x.argsort(dim)``, ``x.topk(k, dim)``.

sort and topk return ``(values, indices)`` like max(dim): the values are x's elements moved to new
places (each one picked once), so backward sends each value's gradient back to the place it came from
(``scatter_add``, with no repeats), and the indices get no gradient. NaN counts as the largest value, as in
PyTorch; equal values keep their order (a stable sort).
"""
import numpy as np

from ..function import Function
from ..tensor import Tensor
from .broadcast import normalize_dim
from .gather import Gather, ScatterAdd
from .reduction import _ReturnType


class SortResult(_ReturnType):
    _name = "sort"


class TopkResult(_ReturnType):
    _name = "topk"


def _order(a, d, descending):
    """The stable order of ``a`` along axis ``d`` (NaN last going up, first going down)."""
    if not descending:
        return np.argsort(a, axis=d, kind="stable")
    n = a.shape[d]  # stable going down: sort the reversed array going up, then read that backwards
    return n - 1 - np.flip(np.argsort(np.flip(a, d), axis=d, kind="stable"), d)


class _Picked(Function):
    """Shared by sort and topk: values = x at ``indices`` along ``dim``      ∂L/∂x = ∂L/∂values put back at the indices"""

    saved_names = ("indices",)

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        (indices,) = ctx.saved_tensors
        return (ScatterAdd.apply(grad, ctx.dim, indices._data, ctx._saved_self_sym_sizes),) + (None,) * ctx.n_params

    @staticmethod
    def jvp(ctx, tx, *_params):
        (indices,) = ctx.saved_tensors
        return Gather.apply(tx, ctx.dim, indices._data), None

    @staticmethod
    def _outputs(ctx, x, d, order):
        """(values, indices) from the order along ``d``, indices saved and marked as not differentiable."""
        ctx.dim, ctx._saved_self_sym_sizes = d, tuple(x.shape)
        if x.dim() == 0:
            values, order = x._data.copy(), np.zeros((), dtype=np.int64)
        else:
            values = np.take_along_axis(x._data, order, axis=d)
        idx = Tensor(order.astype(np.int64))
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return Tensor(values), idx


class Sort(_Picked):
    """(values, indices) = x sorted along ``dim``      ∂L/∂x = ∂L/∂values sent back to the sorted-out places"""

    node_name = "SortBackward0"

    @staticmethod
    def forward(ctx, x, dim, descending):
        d = normalize_dim(dim, x.dim())
        ctx._saved_dim, ctx.n_params = dim, 2
        return Sort._outputs(ctx, x, d, _order(x._data, d, descending) if x.dim() else None)


class Topk(_Picked):
    """(values, indices) = the k largest (or smallest) of x along ``dim``, in order      ∂L/∂x = ∂L/∂values at their
    places, 0 elsewhere"""

    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, x, k, dim, largest):
        d = normalize_dim(dim, x.dim())
        ctx._saved_dim, ctx.n_params = dim, 3
        if not x.dim():
            return Topk._outputs(ctx, x, d, None)
        order = _order(x._data, d, largest)
        return Topk._outputs(ctx, x, d, np.take(order, np.arange(k), axis=d))


def sort(x, dim=-1, descending=False, stable=False):
    """``x.sort(dim, descending)``: ``torch.return_types.sort(values, indices)``. (Always stable here.)"""
    return SortResult(*Sort.apply(x, dim, descending))


def argsort(x, dim=-1, descending=False, stable=False):
    """``x.argsort(dim)``: the indices of ``sort`` alone."""
    d = normalize_dim(dim, x.dim())
    if x.dim() == 0:
        return Tensor(np.zeros((), dtype=np.int64))
    return Tensor(_order(x._data, d, descending).astype(np.int64))


def topk(x, k, dim=-1, largest=True, sorted=True):  # noqa: A002  (PyTorch's name)
    """``x.topk(k)``: ``torch.return_types.topk(values, indices)`` of the k largest along ``dim`` (``largest=False``:
    smallest), always in order."""
    if x.dtype.name == "bool":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = normalize_dim(dim, x.dim())
    if not 0 <= k <= (x.shape[d] if x.dim() else 1):
        raise RuntimeError("selected index k out of range")
    return TopkResult(*Topk.apply(x, int(k), dim, largest))
