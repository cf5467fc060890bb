"""Elementwise math functions: exp, log, log1p, expm1, sqrt, abs, sign, sin, cos, erf, atan2, clamp.

Each derivative is elementwise too, so backward is ``grad * f'(x)``: the Jacobian is diagonal and the
vector-Jacobian product is a plain elementwise product.
"""
import math

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .broadcast import elementwise, unbroadcast
from .selection import where


def _floating(x):
    """x's array, in the default float dtype when x holds integers (PyTorch's exp/log/... of an int tensor is
    float32, or float64 after ``set_default_dtype(torch.float64)``)."""
    return x._data if x.dtype.is_floating_point else x._data.astype(dtypes.get_default_dtype().numpy_dtype)


def _result(ctx, array):
    """Wrap ``array`` in a Tensor and save it for backward (for ops whose derivative uses the result)."""
    out = Tensor(array)
    ctx.save_for_backward(out)
    return out


class Exp(Function):
    """z = eˣ      ∂z/∂x = eˣ = z"""

    node_name = "ExpBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        return _result(ctx, np.exp(_floating(x)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * z

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return tx * z


class Log(Function):
    """z = ln x      ∂z/∂x = 1/x"""

    node_name = "LogBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(_floating(x))  # log 0 = -inf, log of a negative = nan (no warning: see Function.apply)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return tx / x


class Log1p(Function):
    """z = ln(1 + x)  (exact for tiny x, where 1 + x would round to 1)      ∂z/∂x = 1/(1 + x)"""

    node_name = "Log1PBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(_floating(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / AddScalar.apply(x, 1)  # (x + 1 with a number: AddBackward1, as in PyTorch)

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return tx / AddScalar.apply(x, 1)


class Expm1(Function):
    """z = eˣ - 1  (exact for tiny x)      ∂z/∂x = eˣ = z + 1"""

    node_name = "Expm1Backward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        return _result(ctx, np.expm1(_floating(x)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * AddScalar.apply(z, 1)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return tx * AddScalar.apply(z, 1)


_erf = np.vectorize(math.erf, otypes=[np.float64])  # (numpy has no erf; Python's, one element at a time)


class Erf(Function):
    """z = erf x = (2/√π)∫₀ˣ e^(-t²) dt      ∂z/∂x = (2/√π)·e^(-x²)"""

    node_name = "ErfBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = _floating(x)
        return _erf(a).astype(a.dtype) if a.size else a.copy()  # (vectorize refuses an empty array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return Erf._slope(x) * grad

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return Erf._slope(x) * tx

    @staticmethod
    def _slope(x):
        return MulScalar.apply((-(x ** 2)).exp(), 2 / math.sqrt(math.pi))


class Atan2(Function):
    """z = atan2(y, x), the angle of the point (x, y)      ∂z/∂y = x/(x² + y²), ∂z/∂x = -y/(x² + y²)

    (PyTorch's argument order: ``torch.atan2(input, other)`` is the angle of (other, input). At the origin
    both derivatives are 0, as PyTorch defines them.)"""

    node_name = "Atan2Backward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        a, b = elementwise(y, x, floating=True)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.saved_tensors
        r2 = y * y + x * x
        inv = r2.reciprocal().masked_fill(r2 == 0, 0)
        grad_y = unbroadcast(grad * x * inv, y.shape) if ctx.needs_input_grad[0] else None
        grad_x = unbroadcast(grad * -y * inv, x.shape) if ctx.needs_input_grad[1] else None
        return grad_y, grad_x

    @staticmethod
    def jvp(ctx, ty, tx):
        y, x = ctx.saved_tensors
        r2 = y * y + x * x
        return (ty * x - tx * y) * r2.reciprocal().masked_fill(r2 == 0, 0)


def tensor_argument(value, function, position):
    """``value``, checked to be a tensor where PyTorch takes no number (``atan2(x, 1.0)``), with its message."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{function}(): argument 'other' (position {position}) must be Tensor, not "
                        f"{type(value).__name__}")
    return value


class ByNumber(Function):
    """z = x ∘ c for a Python number c: how PyTorch's own formulas multiply or divide by a number (a node of
    its own, MulBackward1 or DivBackward1); the gradient goes through the same op: ∂z/∂x = 1 ∘ c"""

    @staticmethod
    def forward(ctx, x, c):
        ctx.c = c
        a = _floating(x)
        return type(ctx)._forward_cls.numpy_op(a, np.asarray(c, dtype=a.dtype))

    @staticmethod
    def backward(ctx, grad):
        return type(ctx)._forward_cls.apply(grad, ctx.c), None

    @staticmethod
    def jvp(ctx, tx, _c):
        return type(ctx)._forward_cls.apply(tx, ctx.c)


class MulScalar(ByNumber):
    """z = c·x  (c a Python number, inside PyTorch's own formulas)      ∂z/∂x = c"""

    node_name = "MulBackward1"
    numpy_op = np.multiply


class AddScalar(Function):
    """z = x + c  (c a Python number, inside PyTorch's own formulas)      ∂z/∂x = 1"""

    node_name = "AddBackward1"

    @staticmethod
    def forward(ctx, x, c):
        a = _floating(x)
        return a + np.asarray(c, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None

    @staticmethod
    def jvp(ctx, tx, _c):
        return tx


class Sqrt(Function):
    """z = √x      ∂z/∂x = 1/(2√x) = 1/(2z)"""

    node_name = "SqrtBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        return _result(ctx, np.sqrt(_floating(x)))  # nan below 0, as in PyTorch

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad / MulScalar.apply(z, 2)  # (2·z, a product with a number: MulBackward1, as in PyTorch)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return tx / MulScalar.apply(z, 2)


class Abs(Function):
    """z = |x|      ∂z/∂x = sign(x)  (0 at x = 0, as PyTorch)"""

    node_name = "AbsBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        if x.dtype.name == "bool":
            raise NotImplementedError('"abs_cpu" not implemented for \'Bool\'')
        ctx.save_for_backward(x)
        return np.abs(x._data)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sgn()

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return tx * x.sgn()


class Flat(Function):
    """Base of the ops whose output does not move when the input does (sign, zero_)      ∂z/∂x = 0"""

    @staticmethod
    def backward(ctx, grad):
        return zeros_of(grad)  # zeros, not None: PyTorch sends a zero gradient along the edge

    @staticmethod
    def jvp(ctx, tx):
        return zeros_of(tx)


def zeros_of(t):
    """Zeros shaped like ``t`` (not ``t * 0``, which is nan where t is inf or nan): a derivative that is 0."""
    return Tensor(np.zeros_like(t._data))


class Sign(Flat):
    """z = sign(x)      ∂z/∂x = 0"""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, x):
        if x.dtype.name == "bool":
            return x._data.copy()
        return np.where(np.isnan(x._data), 0, np.sign(x._data)).astype(x._data.dtype)  # sign(nan) = 0 in PyTorch


class Sgn(Sign):
    """z = sgn x (for real x the same as sign)      ∂z/∂x = 0"""

    node_name = "SgnBackward0"


class Sin(Function):
    """z = sin x      ∂z/∂x = cos x"""

    node_name = "SinBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(_floating(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return tx * x.cos()


class Cos(Function):
    """z = cos x      ∂z/∂x = -sin x"""

    node_name = "CosBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(_floating(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -x.sin()

    @staticmethod
    def jvp(ctx, tx):
        (x,) = ctx.saved_tensors
        return tx * -x.sin()


class Clamp(Function):
    """z = min(max(x, lo), hi)      ∂z/∂x = 1 where lo ≤ x ≤ hi, else 0"""

    node_name = "ClampBackward1"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.bounds = lo, hi
        dt = dtypes.result_type(x, *[b for b in (lo, hi) if b is not None]).numpy_dtype  # ([1, 5].clamp(0.5) is float)
        out = x._data.astype(dt)  # (a copy: the result is a new tensor)
        if lo is not None:  # (x stays unless x < lo: so -0.0 stays -0.0 and nan stays nan, as in PyTorch)
            lo = np.asarray(lo, dtype=dt)
            out = np.where(out < lo, lo, out)
        if hi is not None:
            hi = np.asarray(hi, dtype=dt)
            out = np.where(hi < out, hi, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        # chosen, not multiplied by a mask: an inf or nan gradient outside [lo, hi] stays out (and so does a nan x)
        return (grad if inside is None else where(inside, grad, 0.0)), None, None

    @staticmethod
    def jvp(ctx, tx, _lo, _hi):
        return Clamp.backward(ctx, tx)[0]  # the Jacobian is diagonal: Jv and vᵀJ agree


class ClampMin(Function):
    """z = max(x, lo)      ∂z/∂x = 1 where x ≥ lo, else 0  (``x.clamp_min(lo)``: Clamp with no upper bound, its
    own node in PyTorch)"""

    node_name = "ClampMinBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, lo):
        return Clamp.forward(ctx, x, lo, None)

    @staticmethod
    def backward(ctx, grad):
        return Clamp.backward(ctx, grad)[0], None

    @staticmethod
    def jvp(ctx, tx, _lo):
        return Clamp.backward(ctx, tx)[0]


def clamp(x, min=None, max=None):
    """Limit ``x`` to ``[min, max]``; either bound may be None (not both)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(x, min, max)
