"""Running products: ``x.cumprod(dim)``.

zᵢ = x₀·x₁·…·xᵢ, so xₖ feeds every output from position k on, and ∂zᵢ/∂xₖ is zᵢ without its factor xₖ.
Without zeros that is zᵢ/xₖ, and the gradient is a running sum from the other end divided by x (as for
cumsum). A zero cannot be divided by: then each xₖ's products are taken again with xₖ left out.
"""
import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .broadcast import normalize_dim
from .cumsum import Cumsum
from .selection import stack, where


class Cumprod(Function):
    """zᵢ = Π_{k≤i} xₖ along ``dim``      ∂L/∂xₖ = Σ_{i≥k} ∂L/∂zᵢ · zᵢ/xₖ  (zᵢ without its factor xₖ)"""

    node_name = "CumprodBackward0"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dim, dtype=None):
        d = normalize_dim(dim, x.dim())
        ctx._saved_dim = dim
        ctx.dim, ctx.input_dtype = d, x.dtype
        data = x._data if x.dtype.is_floating_point else x._data.astype(np.int64)  # (bools and ints: int64)
        if dtype is not None:
            data = data.astype(dtypes.check_supported(dtype).numpy_dtype)
        out = Tensor(data.copy() if data.ndim == 0 else data.cumprod(axis=d))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, z = ctx.saved_tensors
        if x.dim() == 0 or x.shape[ctx.dim] <= 1:
            return grad.to(ctx.input_dtype), None, None
        if np.all(x._data):  # no zeros: divide
            return Cumsum.apply(grad * z, ctx.dim, None, True).to(ctx.input_dtype) / x, None, None
        d = ctx.dim
        later = _later_or_same(x.shape[d], d, x.dim())  # later[k]: a mask of the positions i ≥ k
        pieces = [(where(later[k], grad * c, 0.0)).sum(d) for k, c in enumerate(_without_each(x, d))]
        return stack(pieces, d).to(ctx.input_dtype), None, None

    @staticmethod
    def jvp(ctx, tx, _dim, _dtype=None):
        x, z = ctx.saved_tensors
        d = ctx.dim
        if x.dim() == 0 or x.shape[d] <= 1:
            return tx.to(z.dtype).clone()
        if np.all(x._data):
            return Cumsum.apply(tx / x, d).to(z.dtype) * z
        later = _later_or_same(x.shape[d], d, x.dim())
        out = None
        for k, c in enumerate(_without_each(x, d)):
            term = where(later[k], c * tx[(slice(None),) * d + (slice(k, k + 1),)], 0.0)
            out = term if out is None else out + term
        return out.to(z.dtype)


def _without_each(x, d):
    """For each position k along ``d``: the running products of x with xₖ replaced by 1."""
    n = x.shape[d]
    for k in range(n):
        one_hot = np.zeros([n if m == d else 1 for m in range(x.dim())], dtype=bool)
        one_hot[(slice(None),) * d + (k,)] = True
        yield where(Tensor(one_hot), 1.0, x).cumprod(d)


def _later_or_same(n, d, ndim):
    """masks[k][i] = (i ≥ k) along dim ``d``, shaped to broadcast against a tensor of ``ndim`` dims."""
    i = np.arange(n).reshape([n if m == d else 1 for m in range(ndim)])
    return [Tensor(i >= k) for k in range(n)]


def cumprod(x, dim=None, dtype=None):
    """The running product along ``dim``: ``x.cumprod(dim)``, ``torch.cumprod(x, dim)``."""
    if dim is None:
        raise TypeError('cumprod() missing 1 required positional arguments: "dim"')
    return Cumprod.apply(x, dim, dtype)
