"""Rounding to whole numbers: ``floor``, ``ceil``, ``round`` (also to ``decimals`` places), ``trunc``.

Each is a staircase: flat between the steps, so its derivative is 0 wherever it exists, and PyTorch
sends zeros back (not None). An integer tensor is whole already: the result is a copy, in its dtype.
"""
import numpy as np

from ..function import Function
from .pointwise import Flat, zeros_of


class Staircase(Flat):
    """Shared by floor, ceil, trunc and round: ``numpy_op`` of x's array, or a copy of it when x holds
    integers (PyTorch has no bool kernel, whose name each class gives)."""

    @staticmethod
    def forward(ctx, x):
        op = type(ctx)._forward_cls
        if x.dtype.name == "bool":
            raise NotImplementedError(f'"{op.kernel}" not implemented for \'Bool\'')
        if not x.dtype.is_floating_point:
            return x._data.copy()
        return op.numpy_op(x._data)


class Floor(Staircase):
    """z = ⌊x⌋ (the largest whole number ≤ x)      ∂z/∂x = 0"""

    node_name = "FloorBackward0"
    kernel, numpy_op = "floor_vml_cpu", np.floor


class Ceil(Staircase):
    """z = ⌈x⌉ (the smallest whole number ≥ x)      ∂z/∂x = 0"""

    node_name = "CeilBackward0"
    kernel, numpy_op = "ceil_vml_cpu", np.ceil


class Trunc(Staircase):
    """z = x without its fractional part (towards 0)      ∂z/∂x = 0"""

    node_name = "TruncBackward0"
    kernel, numpy_op = "trunc_vml_cpu", np.trunc


class Round(Staircase):
    """z = x rounded to the nearest whole number, halves to the even one (2.5 → 2)      ∂z/∂x = 0"""

    node_name = "RoundBackward0"
    kernel, numpy_op = "round_vml_cpu", np.rint


class RoundDecimals(Function):
    """z = x rounded to ``decimals`` places (negative: to tens, hundreds, ...)      ∂z/∂x = 0"""

    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        if not x.dtype.is_floating_point:  # (PyTorch's kernel for decimals=0 is round's own)
            kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
            raise NotImplementedError(f'"{kernel}" not implemented for \'{x.dtype.legacy_name[:-len("Tensor")]}\'')
        a = x._data
        scale = np.asarray(10.0 ** abs(decimals), dtype=a.dtype)  # (in x's dtype, as PyTorch computes it)
        if decimals < 0:
            return np.rint(a / scale) * scale
        return np.rint(a * scale) / scale

    @staticmethod
    def backward(ctx, grad):
        return zeros_of(grad), None

    @staticmethod
    def jvp(ctx, tx, _decimals):
        return zeros_of(tx)


def round(x, decimals=None):  # noqa: A001  (PyTorch's name)
    """``x.round()``, ``x.round(decimals=2)``: PyTorch records another node (RoundBackward1) whenever decimals is
    given, even as 0, hence the default None."""
    if decimals is None:
        return Round.apply(x)
    return RoundDecimals.apply(x, int(decimals))
