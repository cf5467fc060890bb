"""log Σ exp along dimensions: ``x.logsumexp(dim)``, the smooth maximum behind log_softmax and cross entropy.

Computed stably by shifting with the maximum first (log Σ eˣ = m + log Σ e^(x - m)), so that e^1000 never
has to exist. Its gradient is softmax: each element's share e^(x - z) of the total.
"""
import numpy as np

from ..function import Function
from ..tensor import Tensor
from .broadcast import normalize_dims
from .pointwise import _floating
from .reduction import _restore_dims


class Logsumexp(Function):
    """z = log Σ over ``dim`` of eˣ      ∂z/∂x = e^(x - z) (softmax along ``dim``)"""

    node_name = "LogsumexpBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        dims = normalize_dims(dim, x.dim())
        ctx._saved_dim, ctx._saved_keepdim = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,), keepdim
        ctx.dims = dims
        a = _floating(x)
        if a.size == 0:
            m = np.zeros([1 if d in dims else n for d, n in enumerate(a.shape)], dtype=a.dtype)
        else:
            m = a.max(axis=dims, keepdims=True)
            m = np.where(np.isfinite(m), m, 0).astype(a.dtype)  # (an infinite max would shift to nan)
        z = np.log(np.exp(a - m).sum(axis=dims, keepdims=True)) + m
        out = Tensor(z if keepdim else z.reshape([n for d, n in enumerate(z.shape) if d not in dims]))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        return Logsumexp._share(ctx, x, z) * _restore_dims(grad, ctx.dims, ctx._saved_keepdim), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _keepdim):
        x, z = ctx.saved_tensors
        return (Logsumexp._share(ctx, x, z) * tx).sum(ctx.dims, keepdim=ctx._saved_keepdim)

    @staticmethod
    def _share(ctx, x, z):
        """e^(x - z): each element's share of the sum."""
        return (x - _restore_dims(z, ctx.dims, ctx._saved_keepdim)).exp()


def logsumexp(x, dim=None, keepdim=False):
    """``x.logsumexp(dim)``, ``torch.logsumexp(x, dim, keepdim=False)``: ``dim`` is an int or a tuple of them."""
    if dim is None:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    return Logsumexp.apply(x, dim, keepdim)
