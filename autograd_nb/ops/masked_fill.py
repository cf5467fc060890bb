"""Filling through a mask: ``x.masked_fill(mask, value)`` and its in-place twin ``x.masked_fill_(...)``.

Where ``mask`` is True the result holds ``value``, elsewhere x. So x's gradient is the incoming one with
the masked places set to 0 (those outputs no longer depend on x), and a tensor ``value`` collects the
sum of the gradient over the masked places.
"""
import numpy as np

from ..function import Function
from .broadcast import broadcast_shapes, unbroadcast
from .inplace import apply_in_place
from .linalg import _CPP
from .selection import where
from ..tensor import Tensor


class MaskedFill(Function):
    """z = value where mask else x  (value a number)      ∂z/∂x = not mask"""

    node_name = "MaskedFillBackward0"
    saved_names = ("mask",)

    @staticmethod
    def forward(ctx, x, mask, value):
        # the mask comes as a plain bool array (see ``masked_fill``): it gets no edge, as in PyTorch
        out = np.array(np.broadcast_to(x._data, broadcast_shapes(mask.shape, x._data.shape)))
        out[np.broadcast_to(mask, out.shape)] = value
        ctx.save_for_backward(Tensor(mask))
        ctx.shape = x.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        return unbroadcast(where(mask, 0.0, grad), ctx.shape), None, None

    @staticmethod
    def jvp(ctx, tx, _mask, _value):
        (mask,) = ctx.saved_tensors
        return where(mask, 0.0, tx)


class MaskedFillTensor(Function):
    """z = value where mask else x  (value a 0-d tensor)      ∂z/∂x = not mask, ∂z/∂value = mask"""

    node_name = "MaskedFillBackward1"
    saved_names = ("mask",)

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.value_dtype = value.dtype
        return MaskedFill.forward(ctx, x, mask, value._data)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        grad_x = unbroadcast(where(mask, 0.0, grad), ctx.shape) if ctx.needs_input_grad[0] else None
        grad_value = None
        if ctx.needs_input_grad[2]:
            grad_value = where(mask, grad, 0.0).sum()
            grad_value = grad_value if grad_value.dtype is ctx.value_dtype else grad_value.to(ctx.value_dtype)
        return grad_x, None, grad_value

    @staticmethod
    def jvp(ctx, tx, _mask, tvalue):
        (mask,) = ctx.saved_tensors
        return where(mask, tvalue.to(tx.dtype), tx)


def _checked(mask, value):
    """The mask's bool array and the Function for ``value``, with PyTorch's messages for wrong ones."""
    if mask.dtype.name != "bool":
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {_CPP[mask.dtype.name]}")
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.dim()} dimension(s).")
        return mask._data, MaskedFillTensor
    return mask._data, MaskedFill


def masked_fill(x, mask, value):
    """``x.masked_fill(mask, value)``: a new tensor, ``value`` where ``mask`` (broadcast to x) is True."""
    mask_array, function = _checked(mask, value)
    return function.apply(x, mask_array, value)


def masked_fill_(x, mask, value):
    """``x.masked_fill_(mask, value)``: the same, written into x."""
    mask_array, function = _checked(mask, value)
    return apply_in_place(x, function, mask_array, value)

