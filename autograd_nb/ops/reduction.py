"""Reductions: sum, mean, max and min, over everything or along dimensions.

Backward has to undo the reduction's change of shape: the gradient of a sum is copied (expanded) back
to every element that was summed; a mean also divides by the count; max/min send it only to the
element(s) that won.
"""
import collections

import math

import numpy as np

from ..function import Function
from .broadcast import normalize_dims, normalize_dim
from ..tensor import Tensor
from .selection import where


def _restore_dims(grad, dims, keepdim):
    """Put back the reduced dimensions as size 1, so the gradient broadcasts against the input."""
    if keepdim:
        return grad
    for d in dims:  # ascending: each unsqueeze puts a dim back where it was
        grad = grad.unsqueeze(d)
    return grad


class Sum(Function):
    """z = Σᵢ xᵢ      ∂z/∂xᵢ = 1"""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return np.asarray(x._data.sum(dtype=np.int64 if x.dtype.name == "bool" else None))

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape)

    @staticmethod
    def jvp(ctx, tx):
        return tx.sum()


class SumDim(Function):
    """z = Σ over ``dim`` of x      ∂z/∂x = 1, spread back along ``dim``"""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        dims = normalize_dims(dim, x.dim())
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        dtype = np.int64 if x.dtype.name == "bool" else None
        return np.asarray(x._data.sum(axis=dims, keepdims=keepdim, dtype=dtype))

    @staticmethod
    def backward(ctx, grad):
        return _restore_dims(grad, ctx.dims, ctx.keepdim).expand(ctx.shape), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _keepdim):
        return tx.sum(ctx.dims, keepdim=ctx.keepdim) if ctx.dims else tx.clone()


class Mean(Function):
    """z = (1/n) Σᵢ xᵢ      ∂z/∂xᵢ = 1/n"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return np.asarray(_mean(x._data, None, False))

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape) / max(ctx.shape.numel(), 1)

    @staticmethod
    def jvp(ctx, tx):
        return tx.mean()


def _mean(data, axis, keepdims):
    """The mean, nan over nothing (numpy would also warn "Mean of empty slice"; PyTorch does not)."""
    count = data.size if axis is None else math.prod(data.shape[d] for d in axis)
    total = data.sum(axis=axis, keepdims=keepdims, dtype=data.dtype)
    return total / count if count else np.full_like(total, np.nan)


class MeanDim(Function):
    """z = mean over ``dim`` of x      ∂z/∂x = 1/n, spread back along ``dim``"""

    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        dims = normalize_dims(dim, x.dim())
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.count = math.prod(x.shape[d] for d in dims)
        return np.asarray(_mean(x._data, dims, keepdim))

    @staticmethod
    def backward(ctx, grad):
        return _restore_dims(grad, ctx.dims, ctx.keepdim).expand(ctx.shape) / ctx.count, None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _keepdim):
        return tx.mean(ctx.dims, keepdim=ctx.keepdim) if ctx.dims else tx.clone()


class _ReduceAll(Function):
    """Shared by max() and min() over all elements: ties share the gradient equally."""

    reducer = None  # np.max or np.min
    saved_names = ("self", "result")

    @classmethod
    def forward(cls, ctx, x):
        if x.numel() == 0:
            name = cls.reducer.__name__
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        out = Tensor(np.asarray(cls.reducer(x._data)))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        winners = _winners(x, z)
        return where(winners, grad / winners.sum(), 0.0)

    @staticmethod
    def jvp(ctx, tx):
        x, z = ctx.saved_tensors
        winners = _winners(x, z)
        return where(winners, tx, 0.0).sum() / winners.sum()


def _winners(x, z):
    """Where x equals its max (or min) z; when z is nan, the nans are the winners (as in PyTorch)."""
    return (x == z) | (x.isnan() & z.isnan())


class Max(_ReduceAll):
    """z = maxᵢ xᵢ      ∂z/∂xᵢ = 1/k for each of the k elements equal to the max, else 0"""

    node_name = "MaxBackward1"
    reducer = staticmethod(np.max)


class Min(_ReduceAll):
    """z = minᵢ xᵢ      ∂z/∂xᵢ = 1/k for each of the k elements equal to the min, else 0"""

    node_name = "MinBackward1"
    reducer = staticmethod(np.min)


class _ReduceDimWithIndices(Function):
    """Shared by max(dim) and min(dim): values and the index of the (first) winner along ``dim``."""

    arg_function = None  # np.argmax or np.argmin

    @classmethod
    def forward(cls, ctx, x, dim, keepdim):
        data = x._data
        d = normalize_dim(dim, data.ndim)
        if data.ndim and data.shape[d] == 0:
            raise IndexError(f"{cls.arg_function.__name__[3:]}(): Expected reduction dim {d} to have non-zero size.")
        if not data.ndim:
            d = None
            indices = np.zeros((), dtype=np.int64)
            values = data.copy()
        else:
            indices = cls.arg_function(data, axis=d, keepdims=True)
            values = np.take_along_axis(data, indices, axis=d)
            if not keepdim:
                indices, values = indices.squeeze(d), values.squeeze(d)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, d, keepdim
        idx = Tensor(indices.astype(np.int64))
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return Tensor(values), idx

    @staticmethod
    def backward(ctx, grad, _grad_indices):
        (idx,) = ctx.saved_tensors
        if ctx.dim is None:
            return grad, None, None
        d = ctx.dim
        grad = _restore_dims(grad, (d,), ctx.keepdim)
        idx = _restore_dims(idx, (d,), ctx.keepdim)
        positions = Tensor(np.arange(ctx.shape[d]).reshape([-1 if i == d else 1 for i in range(len(ctx.shape))]))
        return where(positions == idx, grad, 0.0), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _keepdim):
        return _pick_along_dim(ctx, tx), None


def _pick_along_dim(ctx, t):
    """``t`` at the winning index along ``ctx.dim``: the tangent of max/min values (forward mode)."""
    (idx,) = ctx.saved_tensors
    if ctx.dim is None:
        return t.clone()
    d = ctx.dim
    positions = Tensor(np.arange(ctx.shape[d]).reshape([-1 if i == d else 1 for i in range(len(ctx.shape))]))
    chosen = positions == _restore_dims(idx, (d,), ctx.keepdim)
    return (t * chosen).sum(d, keepdim=ctx.keepdim)


class MaxDim(_ReduceDimWithIndices):
    """(values, indices) = max of x along ``dim``      ∂value/∂x = 1 at the index, else 0"""

    node_name = "MaxBackward0"
    saved_names = ("indices",)
    arg_function = staticmethod(np.argmax)


class MinDim(_ReduceDimWithIndices):
    """(values, indices) = min of x along ``dim``      ∂value/∂x = 1 at the index, else 0"""

    node_name = "MinBackward0"
    saved_names = ("indices",)
    arg_function = staticmethod(np.argmin)


class _ReturnType(collections.namedtuple("_ReturnType", ["values", "indices"])):
    """The (values, indices) pair of max/min along a dim, printed as ``torch.return_types.max(...)``."""

    def __repr__(self):
        return f"torch.return_types.{self._name}(\nvalues={self.values!r},\nindices={self.indices!r})"


class MaxResult(_ReturnType):
    _name = "max"


class MinResult(_ReturnType):
    _name = "min"


def reduce_with_indices(function, x, dim, keepdim):
    values, indices = function.apply(x, dim, keepdim)
    return (MaxResult if function is MaxDim else MinResult)(values, indices)


def arg_reduce(arg_function, x, dim, keepdim):
    """The numpy array of argmax/argmin (flattened index when ``dim`` is None)."""
    data = x._data
    name = arg_function.__name__
    if x.dtype.name == "bool":
        raise RuntimeError(f"{name}(): does not support bool input")
    if dim is None and data.size == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
    if dim is not None and data.ndim and data.shape[normalize_dim(dim, data.ndim)] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {normalize_dim(dim, data.ndim)} to have non-zero size.")
    if dim is None:
        out = np.asarray(arg_function(data))
        return out.reshape((1,) * data.ndim) if keepdim else out
    return arg_function(data, axis=normalize_dim(dim, data.ndim), keepdims=keepdim)
