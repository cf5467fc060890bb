"""The activations of newer networks: softplus, leaky_relu, elu, silu and gelu.

Each is relu reshaped: leaky_relu and elu let a little through below 0, softplus, silu and gelu round off
the kink. As in ``activation.py``, each one's backward is an operation of its own, the ``...Grad`` class
next to it (PyTorch's ``softplus_backward``, ``gelu_backward``, ...), recorded under ``create_graph=True`` as
``SoftplusBackwardBackward0`` and so on. (silu is the exception, as in PyTorch: its backward is made of
recorded products, ``MulBackward0``.)

PyTorch has these for floating point tensors only; each says so with its kernel's name.
"""
import math

import numpy as np

from ..function import Function
from .pointwise import AddScalar, MulScalar, _erf, zeros_of
from .selection import where


def _float_data(x, kernel):
    """x's array, if x is floating point (PyTorch's message names the kernel that is missing)."""
    if not x.dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{x.dtype.legacy_name[:-len("Tensor")]}\'')
    return x._data


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


class CurvedGrad(Function):
    """Shared by the backward ops of softplus, elu and gelu: r = g·f'(x) for the activation f, with
    ∂r/∂g = f'(x) (the same op again) and ∂r/∂x = g·f''(x) (each one's ``_curve``, in tensor operations).
    forward saves (grad, x) and keeps the activation's numbers in ``ctx.params``."""

    @staticmethod
    def backward(ctx, u):
        grad, x = ctx.saved_tensors
        op = type(ctx)._forward_cls
        grad_g = op.apply(u, x, *ctx.params) if ctx.needs_input_grad[0] else None
        grad_x = op._curve(x, *ctx.params) * grad * u if ctx.needs_input_grad[1] else None
        return (grad_g, grad_x) + (None,) * len(ctx.params)

    @staticmethod
    def jvp(ctx, tg, tx, *_params):
        grad, x = ctx.saved_tensors
        op = type(ctx)._forward_cls
        return op.apply(tg, x, *ctx.params) + op._curve(x, *ctx.params) * grad * tx


# ----------------------------------------------------------------------------------- softplus
class Softplus(Function):
    """z = ln(1 + e^(βx))/β (z = x where βx > threshold, for stability)      ∂z/∂x = σ(βx) (1 past the threshold)"""

    node_name = "SoftplusBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx._saved_beta, ctx._saved_threshold = beta, threshold  # (PyTorch's names for them on the node)
        a = _float_data(x, "softplus_cpu")
        bx = a * np.asarray(beta, dtype=a.dtype)
        return np.where(bx > threshold, a, np.log1p(np.exp(bx)) / np.asarray(beta, dtype=a.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return SoftplusGrad.apply(grad, x, ctx._saved_beta, ctx._saved_threshold), None, None

    @staticmethod
    def jvp(ctx, tx, _beta, _threshold):
        (x,) = ctx.saved_tensors
        return SoftplusGrad.apply(tx, x, ctx._saved_beta, ctx._saved_threshold)


class SoftplusGrad(CurvedGrad):
    """r = g·σ(βx) (g past the threshold), Softplus's backward      ∂r/∂g = σ(βx), ∂r/∂x = g·β·σ(βx)(1 - σ(βx))"""

    node_name = "SoftplusBackwardBackward0"
    saved_names = ("grad_output", "self")

    @staticmethod
    def forward(ctx, grad, x, beta, threshold):
        ctx.save_for_backward(grad, x)
        ctx.params = beta, threshold
        a = x._data
        bx = a * np.asarray(beta, dtype=a.dtype)
        return np.where(bx > threshold, grad._data, grad._data * _sigmoid(bx))

    @staticmethod
    def _curve(x, beta, threshold):
        """softplus''(x) = β·σ(βx)(1 - σ(βx)), 0 past the threshold."""
        bx = MulScalar.apply(x, beta)
        s = bx.sigmoid()
        return where(bx > threshold, 0.0, MulScalar.apply(s * (1 - s), beta))


# ----------------------------------------------------------------------------------- leaky_relu
class LeakyRelu(Function):
    """z = x for x > 0, else slope·x      ∂z/∂x = 1 for x > 0, else slope"""

    node_name = "LeakyReluBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.save_for_backward(x)
        ctx._saved_negative_slope = negative_slope
        a = _float_data(x, "leaky_relu_cpu")
        return np.where(a > 0, a, a * np.asarray(negative_slope, dtype=a.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return LeakyReluGrad.apply(grad, x, ctx._saved_negative_slope), None

    @staticmethod
    def jvp(ctx, tx, _slope):
        (x,) = ctx.saved_tensors
        return LeakyReluGrad.apply(tx, x, ctx._saved_negative_slope)


class LeakyReluGrad(Function):
    """r = g for x > 0, else slope·g: LeakyRelu's backward      ∂r/∂g = 1 or slope, ∂r/∂x = 0"""

    node_name = "LeakyReluBackwardBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, grad, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        g = grad._data
        return np.where(x._data > 0, g, g * np.asarray(negative_slope, dtype=g.dtype))

    @staticmethod
    def backward(ctx, u):
        (x,) = ctx.saved_tensors
        grad_g = LeakyReluGrad.apply(u, x, ctx.slope) if ctx.needs_input_grad[0] else None
        grad_x = zeros_of(u) if ctx.needs_input_grad[1] else None  # (the kink moves nothing)
        return grad_g, grad_x, None

    @staticmethod
    def jvp(ctx, tg, _tx, _slope):
        (x,) = ctx.saved_tensors
        return LeakyReluGrad.apply(tg, x, ctx.slope)


class LeakyReluInPlace(LeakyRelu):
    """leaky_relu(x, inplace=True): the same function, its result written into x (PyTorch's node for the
    in-place kernel is LeakyReluBackward1)"""

    node_name = "LeakyReluBackward1"


# ----------------------------------------------------------------------------------- elu
class Elu(Function):
    """z = x for x > 0, else α(eˣ - 1)      ∂z/∂x = 1 for x > 0, else α·eˣ"""

    node_name = "EluBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx._saved_alpha, ctx._saved_scale, ctx._saved_input_scale = alpha, 1, 1  # (PyTorch's, shown on the node)
        a = _float_data(x, "elu_cpu")
        return np.where(a > 0, a, np.expm1(a) * np.asarray(alpha, dtype=a.dtype))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return EluGrad.apply(grad, x, ctx._saved_alpha), None

    @staticmethod
    def jvp(ctx, tx, _alpha):
        (x,) = ctx.saved_tensors
        return EluGrad.apply(tx, x, ctx._saved_alpha)


class EluInPlace(Elu):
    """elu(x, inplace=True): the same function, its result written into x (PyTorch's node: EluBackward1)"""

    node_name = "EluBackward1"


class EluGrad(CurvedGrad):
    """r = g for x > 0, else g·α·eˣ: Elu's backward      ∂r/∂g = 1 or α·eˣ, ∂r/∂x = 0 or g·α·eˣ"""

    node_name = "EluBackwardBackward0"
    saved_names = ("grad_output", "self")

    @staticmethod
    def forward(ctx, grad, x, alpha):
        ctx.save_for_backward(grad, x)
        ctx.params = (alpha,)
        g, a = grad._data, x._data
        return np.where(a > 0, g, g * np.exp(a) * np.asarray(alpha, dtype=a.dtype))

    @staticmethod
    def _curve(x, alpha):
        """elu''(x) = α·eˣ below 0, else 0 (at 0 too, as PyTorch has it)."""
        return where(x < 0, MulScalar.apply(x.exp(), alpha), 0.0)


# ----------------------------------------------------------------------------------- silu
class Silu(Function):
    """z = x·σ(x)      ∂z/∂x = σ(x)(1 + x(1 - σ(x)))"""

    node_name = "SiluBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = _float_data(x, "silu_cpu")
        return a * _sigmoid(a)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()  # (PyTorch's formula, as recorded products: differentiable again as it stands)
        return grad * s * AddScalar.apply(x * (1 - s), 1)

    @staticmethod
    def jvp(ctx, tx):
        return Silu.backward(ctx, tx)  # the Jacobian is diagonal: Jv and vᵀJ agree


# ----------------------------------------------------------------------------------- gelu
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_CUBIC = 0.044715  # the tanh approximation's coefficient


def _gelu_slope(a, approximate):
    """gelu'(x) in numpy: Φ(x) + x·φ(x), or the derivative of the tanh approximation."""
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_OVER_PI * (a + _CUBIC * a ** 3))
        return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * _CUBIC * a * a)
    return 0.5 * (1 + _erf(a / math.sqrt(2))) + a * np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)


class Gelu(Function):
    """z = x·Φ(x) (Φ the normal distribution's cdf; or its tanh approximation)      ∂z/∂x = Φ(x) + x·φ(x)"""

    node_name = "GeluBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x, approximate):
        ctx.save_for_backward(x)
        ctx._saved_approximate = approximate
        a = _float_data(x, "GeluKernelImpl")
        if a.size == 0:
            return a.copy()
        if approximate == "tanh":
            return (0.5 * a * (1 + np.tanh(_SQRT_2_OVER_PI * (a + _CUBIC * a ** 3))))
        return (0.5 * a * (1 + _erf(a / math.sqrt(2)))).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return GeluGrad.apply(grad, x, ctx._saved_approximate), None

    @staticmethod
    def jvp(ctx, tx, _approximate):
        (x,) = ctx.saved_tensors
        return GeluGrad.apply(tx, x, ctx._saved_approximate)


class GeluGrad(CurvedGrad):
    """r = g·gelu'(x), Gelu's backward      ∂r/∂g = gelu'(x), ∂r/∂x = g·gelu''(x)"""

    node_name = "GeluBackwardBackward0"
    saved_names = ("grad_output", "self")

    @staticmethod
    def forward(ctx, grad, x, approximate):
        ctx.save_for_backward(grad, x)
        ctx.params = (approximate,)
        a = x._data
        return grad._data * (_gelu_slope(a, approximate).astype(a.dtype) if a.size else a)

    @staticmethod
    def _curve(x, approximate):
        """gelu''(x), in tensor operations: φ(x)(2 - x²); for the tanh form, with t = tanh(k(x + cx³)) and
        k' = k(1 + 3cx²): (1 - t²)(k' - x·t·k'² + 3kcx²)."""
        if approximate == "tanh":
            x2 = x * x
            k1 = MulScalar.apply(AddScalar.apply(MulScalar.apply(x2, 3 * _CUBIC), 1), _SQRT_2_OVER_PI)
            t = MulScalar.apply(x + MulScalar.apply(x2 * x, _CUBIC), _SQRT_2_OVER_PI).tanh()
            return (1 - t * t) * (k1 - x * t * k1 * k1 + MulScalar.apply(x2, 3 * _SQRT_2_OVER_PI * _CUBIC))
        pdf = MulScalar.apply(MulScalar.apply(x * x, -0.5).exp(), 1 / math.sqrt(2 * math.pi))
        return pdf * (2 - x * x)
