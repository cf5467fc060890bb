"""The larger (smaller) of two tensors, element by element: ``torch.maximum``, ``torch.minimum``.

Each output element comes from one of the inputs, so its gradient goes there; where the two are
equal, PyTorch splits it in half between them. A nan wins (it propagates), and both sides get the
gradient there, as PyTorch's formula gives.
"""
import numpy as np

from ..function import Function
from .broadcast import elementwise, unbroadcast
from .selection import where
from ..tensor import Tensor


class _Extremum(Function):
    """Shared by maximum and minimum: forward picks elementwise, backward routes the gradient to the winner."""

    saved_names = ("self", "other")
    pick = None  # np.maximum or np.minimum

    @classmethod
    def forward(cls, ctx, x, y):
        if x.dtype.name == "bool" or y.dtype.name == "bool":
            a, b = elementwise(x, y)
            return (np.logical_or if cls.pick is np.maximum else np.logical_and)(a, b)
        ctx.save_for_backward(x, y)
        a, b = elementwise(x, y)
        return cls.pick(a, b)

    @classmethod
    def backward(cls, ctx, grad):
        x, y = ctx.saved_tensors
        shared = where(x == y, grad / 2, grad)
        x_loses, y_loses = (x < y, x > y) if cls.pick is np.maximum else (x > y, x < y)
        grad_x = unbroadcast(where(x_loses, 0.0, shared), x.shape) if ctx.needs_input_grad[0] else None
        grad_y = unbroadcast(where(y_loses, 0.0, shared), y.shape) if ctx.needs_input_grad[1] else None
        return grad_x, grad_y

    @classmethod
    def jvp(cls, ctx, tx, ty):
        x, y = ctx.saved_tensors
        x_wins = (x > y if cls.pick is np.maximum else x < y) | x.isnan()  # (at a tie, PyTorch takes y's tangent)
        return where(x_wins, tx, ty)


class Maximum(_Extremum):
    """z = max(x, y) elementwise      ∂z/∂x = 1 where x > y, ½ where x = y, else 0 (and likewise for y)"""

    node_name = "MaximumBackward0"
    pick = staticmethod(np.maximum)


class Minimum(_Extremum):
    """z = min(x, y) elementwise      ∂z/∂x = 1 where x < y, ½ where x = y, else 0 (and likewise for y)"""

    node_name = "MinimumBackward0"
    pick = staticmethod(np.minimum)


def _tensors(fn, input, other):
    for position, (name, value) in enumerate((("input", input), ("other", other)), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}")


def maximum(input, other):
    """The larger of ``input`` and ``other`` at each element (they broadcast). PyTorch: ``torch.maximum``."""
    _tensors("maximum", input, other)
    return Maximum.apply(input, other)


def minimum(input, other):
    """The smaller of ``input`` and ``other`` at each element (they broadcast). PyTorch: ``torch.minimum``."""
    _tensors("minimum", input, other)
    return Minimum.apply(input, other)
