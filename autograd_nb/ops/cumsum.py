"""Running sums: ``x.cumsum(dim)``.

Each output is the sum of the inputs up to it, so an input feeds every output from its position on:
its gradient is the sum of those outputs' gradients, a running sum taken from the other end.
"""
import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import normalize_dim


class Cumsum(Function):
    """zᵢ = Σ_{k≤i} xₖ along ``dim``      ∂L/∂xₖ = Σ_{i≥k} ∂L/∂zᵢ (the same sum, run backwards)"""

    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim, dtype=None, reverse=False):
        d = normalize_dim(dim, x.dim())
        ctx.dim, ctx.reverse, ctx.input_dtype = d, reverse, x.dtype
        data = x._data if x.dtype.is_floating_point else x._data.astype(np.int64)  # (bools and ints: int64)
        if dtype is not None:
            data = data.astype(dtypes.check_supported(dtype).numpy_dtype)
        if data.ndim == 0:
            return data.copy()
        if reverse:  # (only backward asks for this one)
            return np.flip(np.flip(data, d).cumsum(axis=d), d).copy()
        return data.cumsum(axis=d)

    @staticmethod
    def backward(ctx, grad):
        back_to = ctx.input_dtype if ctx.input_dtype is not grad.dtype else None
        return Cumsum.apply(grad, ctx.dim, back_to, not ctx.reverse), None, None, None

    @staticmethod
    def jvp(ctx, tx, _dim, dtype=None, _reverse=None):
        return Cumsum.apply(tx, ctx.dim, dtype, ctx.reverse)


def cumsum(x, dim=None, dtype=None):
    """The running sum along ``dim``: ``x.cumsum(dim)``, ``torch.cumsum(x, dim)``."""
    if dim is None:
        raise TypeError('cumsum() missing 1 required positional arguments: "dim"')
    return Cumsum.apply(x, dim, dtype)
