"""Padding with a constant: ``F.pad(x, (left, right, top, bottom, ...), value=0)``.

The pads come in pairs from the last dimension backwards; a negative pad crops instead. Backward takes
the gradient of the elements that came from x: the same padding with the pads negated (cropping what was
added, and zero-padding what was cropped).
"""
import numpy as np

from ..function import Function


class ConstantPadNd(Function):
    """z = x with ``pad`` elements of ``value`` added (or, if negative, taken off) at each end of the last dims
    ∂L/∂x = ∂L/∂z with the padding undone"""

    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pad, value):
        ctx._saved_pad = pad
        a = x._data
        out_shape, src, dst = list(a.shape), [slice(None)] * a.ndim, [slice(None)] * a.ndim
        for i in range(len(pad) // 2):
            d = a.ndim - 1 - i
            lo, hi, n = pad[2 * i], pad[2 * i + 1], a.shape[d]
            if n - max(-lo, 0) - max(-hi, 0) < 0 or n + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
            out_shape[d] = n + lo + hi
            src[d] = slice(max(-lo, 0), n - max(-hi, 0))
            dst[d] = slice(max(lo, 0), max(lo, 0) + src[d].stop - src[d].start)
        out = np.full(out_shape, value, dtype=a.dtype)
        out[tuple(dst)] = a[tuple(src)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return ConstantPadNd.apply(grad, tuple(-p for p in ctx._saved_pad), 0), None, None

    @staticmethod
    def jvp(ctx, tx, _pad, _value):
        return ConstantPadNd.apply(tx, ctx._saved_pad, 0)


def pad(x, pad, value=0.0):
    """Constant padding, with PyTorch's checks of ``pad``."""
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > 2 * x.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {x.dim()}")
    return ConstantPadNd.apply(x, tuple(int(p) for p in pad), 0.0 if value is None else value)
