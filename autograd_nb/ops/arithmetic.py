"""Arithmetic: + - * / unary minus, reciprocal and the three kinds of power.

Binary ops broadcast their inputs, so their backward sums each gradient back to its input's shape
(``unbroadcast``). Python numbers are turned into 0-d tensors before they get here (see
``Tensor.__add__``), which is why ``(x + 2).grad_fn.next_functions`` has a ``(None, 0)`` entry.
"""
import math

import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import elementwise, unbroadcast
from ..tensor import Tensor
from .pointwise import ByNumber, MulScalar, _floating, zeros_of
from .selection import where


class Add(Function):
    """z = x + α·y  (α = 1 unless given)      ∂z/∂x = 1, ∂z/∂y = α"""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, x, y, alpha=1):
        a, b = elementwise(x, y)
        ctx.shapes, ctx.alpha = (x.shape, y.shape), alpha
        return a + b if alpha == 1 else _plus_alpha_times(a, b, alpha)

    @staticmethod
    def backward(ctx, grad):
        x_shape, y_shape = ctx.shapes
        grad_y = grad if ctx.alpha == 1 else grad * ctx.alpha
        return unbroadcast(grad, x_shape), unbroadcast(grad_y, y_shape), None

    @staticmethod
    def jvp(ctx, tx, ty, _alpha=None):
        return tx + ty if ctx.alpha == 1 else tx + ty * ctx.alpha


class Sub(Function):
    """z = x - α·y  (α = 1 unless given)      ∂z/∂x = 1, ∂z/∂y = -α"""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, x, y, alpha=1):
        _no_bool_subtraction(x, y)
        a, b = elementwise(x, y)
        ctx.shapes, ctx.alpha = (x.shape, y.shape), alpha
        return a - b if alpha == 1 else _plus_alpha_times(a, b, -alpha)

    @staticmethod
    def backward(ctx, grad):
        x_shape, y_shape = ctx.shapes
        grad_y = None
        if ctx.needs_input_grad[1]:
            grad_y = unbroadcast(-grad if ctx.alpha == 1 else grad * -ctx.alpha, y_shape)
        return unbroadcast(grad, x_shape), grad_y, None

    @staticmethod
    def jvp(ctx, tx, ty, _alpha=None):
        return tx - ty if ctx.alpha == 1 else tx - ty * ctx.alpha


def _plus_alpha_times(a, b, alpha):
    """a + α·b in the dtype of a and b (already promoted), with PyTorch's rules for α."""
    if a.dtype.kind in "bi" and isinstance(alpha, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if isinstance(alpha, bool) and a.dtype.kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    return (a + np.asarray(alpha, dtype=a.dtype) * b if a.dtype.kind != "b" else a | (b & bool(alpha)))


def _no_bool_subtraction(x, y):
    """PyTorch refuses ``-`` on bool tensors, with a hint at what was probably meant."""
    if x.dtype.name == "bool" and y.dtype.name == "bool":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if x.dtype.name == "bool" or y.dtype.name == "bool":
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")


class Rsub(Function):
    """z = c - x  (c a Python number)      ∂z/∂x = -1"""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, c, x):
        if x.dtype.name == "bool" or isinstance(c, bool):
            _no_bool_subtraction(x, x if isinstance(c, bool) else Tensor(np.asarray(c)))
        dt = dtypes.result_type(x, c)
        return np.asarray(c, dtype=dt.numpy_dtype) - x._data.astype(dt.numpy_dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return None, -grad

    @staticmethod
    def jvp(ctx, _, tx):
        return -tx


class Mul(Function):
    """z = x · y      ∂z/∂x = y, ∂z/∂y = x"""

    node_name = "MulBackward0"
    saved_names = ("other", "self")  # (in PyTorch's order: saved_tensors_hooks see y packed first, then x)

    @staticmethod
    def forward(ctx, x, y):
        # x's gradient needs y and y's needs x: each is kept only if that gradient will be asked for
        ctx.save_for_backward(y if ctx.differentiates(0) else None, x if ctx.differentiates(1) else None)
        ctx.shapes = (x._data.shape, y._data.shape)
        a, b = elementwise(x, y)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.saved_tensors
        x_shape, y_shape = ctx.shapes
        grad_x = unbroadcast(grad * y, x_shape) if ctx.needs_input_grad[0] else None
        grad_y = unbroadcast(grad * x, y_shape) if ctx.needs_input_grad[1] else None
        return grad_x, grad_y

    @staticmethod
    def jvp(ctx, tx, ty):
        y, x = ctx.saved_tensors
        return tx * y + x * ty


class Div(Function):
    """z = x / y      ∂z/∂x = 1/y, ∂z/∂y = -x/y²"""

    node_name = "DivBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, x, y):
        # both gradients need y; only y's needs x
        ctx.save_for_backward(x if ctx.differentiates(1) else None, y)
        ctx.shapes = (x._data.shape, y._data.shape)
        a, b = elementwise(x, y, floating=True)
        return a / b

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        x_shape, y_shape = ctx.shapes
        grad_x = unbroadcast(grad / y, x_shape) if ctx.needs_input_grad[0] else None
        grad_y = unbroadcast(-grad * (x / y / y), y_shape) if ctx.needs_input_grad[1] else None  # (PyTorch's order)
        return grad_x, grad_y

    @staticmethod
    def jvp(ctx, tx, ty):
        x, y = ctx.saved_tensors
        return tx / y - ty * x / (y * y)


class FloorDivide(Function):
    """z = ⌊x / y⌋      no derivative: PyTorch records a node that refuses to run backward"""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, x, y):
        a, b = elementwise(x, y)
        if a.dtype.kind in "bi" and not np.all(b):
            raise RuntimeError("ZeroDivisionError")
        return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class DivScalar(ByNumber):
    """z = x / c  (c a Python number, inside PyTorch's own formulas)      ∂z/∂x = 1/c"""

    node_name = "DivBackward1"
    numpy_op = np.true_divide


class Neg(Function):
    """z = -x      ∂z/∂x = -1"""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype.name == "bool":
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                               "invert a mask, use the `~` or `logical_not()` operator instead.")
        return -x._data

    @staticmethod
    def backward(ctx, grad):
        return -grad

    @staticmethod
    def jvp(ctx, tx):
        return -tx


class Reciprocal(Function):
    """z = 1/x      ∂z/∂x = -1/x² = -z²"""

    node_name = "ReciprocalBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        data = _floating(x)
        out = Tensor(1.0 / data)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return -grad * (z * z)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return -tx * z * z


class Pow(Function):
    """z = xᵖ  (p a Python number)      ∂z/∂x = p·xᵖ⁻¹"""

    node_name = "PowBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, p):
        ctx.save_for_backward(x)
        ctx._saved_exponent = p  # (PyTorch's name: the node shows it as grad_fn._saved_exponent)
        if not x.dtype.is_floating_point and isinstance(p, float):
            a = _floating(x)
            return np.power(a, np.asarray(p, dtype=a.dtype))
        if not x.dtype.is_floating_point and p < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return np.power(x._data, np.asarray(p, dtype=x._data.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        p = ctx._saved_exponent
        if p == 0:
            return zeros_of(grad), None
        return grad * MulScalar.apply(x ** (p - 1.0), p), None  # (the product with p is MulBackward1 in PyTorch)

    @staticmethod
    def jvp(ctx, tx, _):
        (x,) = ctx.saved_tensors
        p = ctx._saved_exponent
        return zeros_of(tx) if p == 0 else tx * p * x ** (p - 1)


class PowTensor(Function):
    """z = xʸ      ∂z/∂x = y·xʸ⁻¹, ∂z/∂y = xʸ·ln x"""

    node_name = "PowBackward1"
    saved_names = ("self", "exponent", "result")

    @staticmethod
    def forward(ctx, x, y):
        a, b = elementwise(x, y)
        out = Tensor(np.power(a, b) if a.dtype.kind == "f" else _integer_power(a, b))
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, y, z = ctx.saved_tensors
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_x = unbroadcast(_d_base(grad, x, y), x.shape)
        if ctx.needs_input_grad[1]:
            grad_y = unbroadcast(grad * where((x == 0) & (y >= 0), 0.0, z * x.log()), y.shape)
        return grad_x, grad_y

    @staticmethod
    def jvp(ctx, tx, ty):
        x, y, z = ctx.saved_tensors
        return _d_base(tx, x, y) + ty * where((x == 0) & (y >= 0), 0.0, z * x.log())


def _integer_power(a, b):
    """aᵇ for integer arrays, negative exponents included as PyTorch computes them: 1 stays 1, -1 alternates,
    anything else goes to 0 (numpy refuses negative integer powers altogether)."""
    a, b = np.broadcast_arrays(a, b)
    negative = b < 0
    out = np.asarray(np.power(a, np.where(negative, 0, b)))  # (an array even for 0-d inputs)
    out[negative] = np.where(a[negative] == 1, 1, np.where(a[negative] == -1, 1 - 2 * (b[negative] % 2), 0))
    return out


def _d_base(g, x, y):
    """g·(y·xʸ⁻¹), but 0 where y = 0, as in PyTorch: also at x = 0, where it would be 0·∞ = nan."""
    return where(y == 0, 0.0, g * (y * x ** (y - 1)))


class Rpow(Function):
    """z = cˣ  (c a Python number)      ∂z/∂x = cˣ·ln c  (0 where c = 0 and x ≥ 0, as PyTorch)"""

    node_name = "PowBackward2"
    saved_names = ("exponent", "result")

    @staticmethod
    def forward(ctx, c, x):
        data = x._data if x.dtype.is_floating_point or isinstance(c, int) else _floating(x)
        base = np.asarray(c, dtype=data.dtype)
        out = Tensor(np.power(base, data) if data.dtype.kind == "f" else _integer_power(base, data))
        ctx.save_for_backward(x, out)
        ctx.base = c
        return out

    @staticmethod
    def backward(ctx, grad):
        return None, grad * Rpow._d_exponent(ctx)

    @staticmethod
    def jvp(ctx, _, tx):
        return tx * Rpow._d_exponent(ctx)

    @staticmethod
    def _d_exponent(ctx):
        x, z = ctx.saved_tensors
        if ctx.base == 0:  # (0ˣ is 0 or 1 for x ≥ 0: there PyTorch takes the derivative to be 0, not 0·(-∞))
            return where(x >= 0, 0.0, MulScalar.apply(z, -math.inf))
        return MulScalar.apply(z, float(np.log(ctx.base)))
