"""Products: ``x.prod()`` over everything, ``x.prod(dim)`` along one dimension.

The derivative of a product with respect to one factor is the product of all the *other* factors.
Dividing the product by that factor gives it, unless the factor is 0: then backward multiplies the
others out instead (as PyTorch does, so a single zero still passes a gradient to itself).
"""
import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import normalize_dim
from .reduction import _restore_dims
from .selection import where
from ..tensor import Tensor


def _factors(ctx, x, dtype):
    """x's array in the dtype of the product: ``dtype`` if given, else int64 for integers and bools (as in
    PyTorch), else x's own."""
    ctx.input_dtype = x.dtype
    if dtype is not None:
        return x._data.astype(dtypes.check_supported(dtype).numpy_dtype)
    return x._data if x.dtype.is_floating_point else x._data.astype(np.int64)


def _in_input_dtype(ctx, grad):
    """A gradient in the dtype of the input (``prod(dtype=...)`` computed in another one)."""
    return grad if grad.dtype is ctx.input_dtype else grad.to(ctx.input_dtype)


class Prod(Function):
    """z = Πᵢ xᵢ      ∂z/∂xᵢ = Π_{j≠i} xⱼ  (= z / xᵢ when xᵢ ≠ 0)"""

    node_name = "ProdBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dtype=None):
        out = Tensor(np.asarray(_factors(ctx, x, dtype).prod()))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        if x.dim() == 0:
            return _in_input_dtype(ctx, grad), None
        flat = x.reshape(-1)
        return _in_input_dtype(ctx, (grad * _others(flat, 0, z)).reshape(x.shape)), None

    @staticmethod
    def jvp(ctx, tx, _dtype=None):
        x, z = ctx.saved_tensors
        if x.dim() == 0:
            return tx.clone()
        return (tx.reshape(-1) * _others(x.reshape(-1), 0, z)).sum()


class ProdDim(Function):
    """z = Π over ``dim`` of x      ∂z/∂xᵢ = Π_{j≠i} xⱼ along ``dim``"""

    node_name = "ProdBackward1"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dim, keepdim, dtype=None):
        d = normalize_dim(dim, x.dim())
        ctx.dim, ctx.keepdim = d, keepdim
        data = _factors(ctx, x, dtype)
        out = data.prod(axis=d, keepdims=keepdim) if data.ndim else data.copy()
        out = Tensor(np.asarray(out))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        if x.dim() == 0:
            return _in_input_dtype(ctx, grad), None, None, None
        grad = _restore_dims(grad, (ctx.dim,), ctx.keepdim)
        z = _restore_dims(z, (ctx.dim,), ctx.keepdim)
        return _in_input_dtype(ctx, grad * _others(x, ctx.dim, z)), None, None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _keepdim, _dtype=None):
        x, z = ctx.saved_tensors
        if x.dim() == 0:
            return tx.clone()
        z = _restore_dims(z, (ctx.dim,), ctx.keepdim)
        return (tx * _others(x, ctx.dim, z)).sum(ctx.dim, keepdim=ctx.keepdim)


def _others(x, d, z):
    """For each element of x, the product of the other elements along dim ``d`` (``z``: the whole product,
    kept along ``d``)."""
    if not np.any(x._data == 0):  # (backward may look at the values to choose a formula)
        return z / x
    # Some factor is 0: multiply the others out. Row i of an n×n table holds x with its i-th factor set to 1.
    n = x.shape[d]
    diagonal = Tensor(np.eye(n, dtype=bool).reshape((n, n) + (1,) * (x.dim() - d - 1)))
    table = where(diagonal, 1.0, x.unsqueeze(d).expand(*x.shape[:d], n, *x.shape[d:]))
    return table.prod(d + 1)


def prod(x, dim=None, keepdim=False, dtype=None):
    """``x.prod()``, ``x.prod(dim, keepdim)``, ``torch.prod``; ``dtype=`` multiplies in that dtype."""
    if dim is None:
        return Prod.apply(x, dtype)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"prod() received an invalid combination of arguments - got ({type(dim).__name__}), but "
                        "expected one of:\n * (*, torch.dtype dtype = None)\n"
                        " * (int dim, bool keepdim = False, *, torch.dtype dtype = None)\n")
    return ProdDim.apply(x, int(dim), keepdim, dtype)
