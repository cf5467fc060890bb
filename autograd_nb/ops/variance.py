"""Spread: ``var`` and ``std``, over everything or along dimensions, with Bessel's correction.

var = Σ (xᵢ - x̄)² / (n - c), where c is the ``correction`` (1 by default: the unbiased estimate;
``unbiased=False`` means c = 0). std is its square root.
"""
import math
import warnings

import numpy as np

from ..function import Function
from .broadcast import normalize_dims
from .reduction import _restore_dims
from .selection import where
from ..tensor import Tensor


def _dof_warning(name):
    warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                  "factor (input numel divided by output numel).", UserWarning, stacklevel=5)


def _variance(ctx, name, x, dim, correction, keepdim):
    """Forward of both: var's array, with what backward needs kept on ctx (the count n, the correction c)."""
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = normalize_dims(dim, x.dim())
    n = math.prod(x.shape[d] for d in dims) if x.dim() else 1
    ctx.dims, ctx.keepdim, ctx.dof = dims, keepdim, n - correction  # (degrees of freedom)
    ctx.whole = dim is None or x.dim() == 0
    if ctx.dof <= 0:
        _dof_warning(name)
    data = x._data
    centred = data - data.mean(axis=dims, keepdims=True) if data.size else data
    return (centred * centred).sum(axis=dims, keepdims=keepdim) / np.asarray(max(0, ctx.dof), dtype=data.dtype)


class Var(Function):
    """z = Σᵢ (xᵢ - x̄)² / (n - c)      ∂z/∂xᵢ = 2(xᵢ - x̄) / (n - c)"""

    node_name = "VarBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, dim, correction, keepdim):
        ctx.save_for_backward(x)
        return _variance(ctx, "var", x, dim, correction, keepdim)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return _var_derivative(ctx, grad, x), None, None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _correction, _keepdim):
        (x,) = ctx.saved_tensors
        return _sum_back(ctx, _var_derivative(ctx, None, x) * tx)


class Std(Function):
    """z = √var(x)      ∂z/∂xᵢ = (xᵢ - x̄) / ((n - c)·z)  (0 where z = 0, as PyTorch)"""

    node_name = "StdBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dim, correction, keepdim):
        out = Tensor(np.sqrt(_variance(ctx, "std", x, dim, correction, keepdim)))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        return _var_derivative(ctx, where(z == 0, 0.0, grad / (2 * z)), x), None, None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _correction, _keepdim):
        x, z = ctx.saved_tensors
        return where(z == 0, 0.0, _sum_back(ctx, _var_derivative(ctx, None, x) * tx) / (2 * z))


def _var_derivative(ctx, grad, x):
    """grad · ∂var/∂x = grad · 2(x - x̄)/(n - c), the gradient put back along the reduced dims (grad None: 1)."""
    grad = 1.0 if grad is None else grad
    if ctx.whole:
        if ctx.dof <= 0:  # no degrees of freedom left: PyTorch answers nan where x is its mean, ∞ elsewhere
            return grad * where(x == x.mean(), math.nan, math.inf)
        return (2.0 / ctx.dof) * grad * (x - x.mean())
    grad = grad if isinstance(grad, float) else _restore_dims(grad, ctx.dims, ctx.keepdim)
    scale = 2.0 / ctx.dof if ctx.dof else math.inf
    return scale * grad * (x - x.mean(ctx.dims, keepdim=True))


def _sum_back(ctx, t):
    """Forward mode: sum the elements' contributions over the reduced dims."""
    return t.sum(ctx.dims, keepdim=ctx.keepdim) if ctx.dims else t


def _correction(fn, unbiased, correction):
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{fn}: Can't pass both correction and unbiased arguments")
    if correction is not None:
        return correction
    return 0 if unbiased is False else 1


def var(x, dim=None, unbiased=None, keepdim=False, correction=None):
    """``x.var(dim, unbiased, keepdim)`` or ``x.var(dim, correction=c, keepdim=...)``; ``x.var(False)`` is
    ``unbiased=False``, as in PyTorch."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return Var.apply(x, dim, _correction("var", unbiased, correction), keepdim)


def std(x, dim=None, unbiased=None, keepdim=False, correction=None):
    """``x.std(...)``: the square root of ``var`` with the same arguments."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return Std.apply(x, dim, _correction("std", unbiased, correction), keepdim)
