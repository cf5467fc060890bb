"""Vector norms: ``x.norm(p, dim)``, ``torch.norm``, ``torch.linalg.vector_norm``.

‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p); p = ∞ is the largest |xᵢ|, p = -∞ the smallest, p = 0 counts the non-zeros.
Every spelling records one node, ``LinalgVectorNormBackward0``, as PyTorch's does.
"""
import math

import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import normalize_dims
from .pointwise import zeros_of
from .reduction import _restore_dims
from .selection import where
from ..tensor import Tensor


class VectorNorm(Function):
    """z = (Σᵢ |xᵢ|ᵖ)^(1/p)      ∂z/∂xᵢ = sign(xᵢ)·|xᵢ|ᵖ⁻¹ / zᵖ⁻¹  (p = 2: xᵢ/z; p = ∞: sign(xᵢ) at the largest |xᵢ|)"""

    node_name = "LinalgVectorNormBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, p, dim, keepdim, dtype=None):
        if not x.dtype.is_floating_point:
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                               + x.dtype.legacy_name[:-len("Tensor")])
        dims = normalize_dims(dim, x.dim())
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        a = np.abs(x._data) if dtype is None else np.abs(x._data).astype(dtypes.check_supported(dtype).numpy_dtype)
        if math.isinf(p) and a.size == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p} norm on an empty tensor because the "
                               "operation does not have an identity")
        if p == 2:
            out = np.sqrt((a * a).sum(axis=dims, keepdims=keepdim))
        elif math.isinf(p):
            out = (np.max if p > 0 else np.min)(a, axis=dims, keepdims=keepdim)
        elif p == 0:
            out = (a != 0).sum(axis=dims, keepdims=keepdim).astype(a.dtype)
        else:
            out = (a ** p).sum(axis=dims, keepdims=keepdim) ** (1 / p)
        out = Tensor(np.asarray(out, dtype=a.dtype))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        p = ctx.p
        if x.dim():  # put the reduced dims back (as size 1), so both broadcast against x
            grad, z = _restore_dims(grad, ctx.dims, ctx.keepdim), _restore_dims(z, ctx.dims, ctx.keepdim)
        if p == 0:
            return None, None, None, None, None  # the count of non-zeros does not move: no gradient (as PyTorch)
        grad_x = _norm_derivative(grad, x, z, p, ctx.dims)
        return (grad_x if grad_x.dtype is x.dtype else grad_x.to(x.dtype)), None, None, None, None

    @staticmethod
    def jvp(ctx, tx, _p, _dim, _keepdim, _dtype=None):
        x, z = ctx.saved_tensors
        if ctx.p == 0:
            return zeros_of(z)
        if x.dim():
            z = _restore_dims(z, ctx.dims, ctx.keepdim)
        tz = _norm_derivative(tx, x, z, ctx.p, ctx.dims)  # each element's share of the change, then their sum
        return tz.sum(ctx.dims, keepdim=ctx.keepdim) if ctx.dims else tz


def _norm_derivative(g, x, z, p, dims):
    """g · ∂z/∂x, with PyTorch's choices where the formula divides by zero (a zero norm gives 0)."""
    if p == 1:
        return x.sign() * g
    if p == 2:
        return g * where(z == 0, 0.0, x / z)
    if math.isinf(p):  # the gradient is shared by the elements whose |x| is the max (min), nans included
        winners = (x.abs() == z) | x.isnan()
        return x.sign() * (g / winners.sum(dims, keepdim=True) * winners)
    if p < 1:
        scaled = x.sign() * where(x == 0, 0.0, x.abs() ** (p - 1))
        return scaled * g * z ** (1 - p)
    scaled = x.sign() * x.abs() ** (p - 1) if p < 2 else x * x.abs() ** (p - 2)
    return scaled * where(z == 0, 0.0, g / z ** (p - 1))


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    """‖x‖ of order ``ord`` over ``dim`` (all elements when None). PyTorch: ``torch.linalg.vector_norm``."""
    if isinstance(dim, (list, tuple)) and len(dim) == 0:
        dim = None
    return VectorNorm.apply(x, float(ord), dim, keepdim, dtype)


def norm(x, p="fro", dim=None, keepdim=False, dtype=None):
    """``x.norm()`` and ``torch.norm``: p = "fro" is the 2-norm of the elements; a number p the p-norm."""
    if p == "nuc":
        raise NotImplementedError("autograd_nb has no nuclear norm (it needs a singular value decomposition): "
                                  "compute torch.linalg.svdvals in PyTorch")
    if isinstance(p, str):
        if p != "fro":
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
        p = 2
    return vector_norm(x, p, dim, keepdim, dtype)
