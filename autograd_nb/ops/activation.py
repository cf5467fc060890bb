"""Activation functions: sigmoid, tanh, relu, softmax and log_softmax.

Their derivatives are cheapest in terms of the *result*, so that is what forward saves.

Each one's backward is an operation of its own, as in PyTorch: ``SigmoidGrad`` computes Sigmoid's
gradient (PyTorch's ``sigmoid_backward``) in one numpy expression instead of three recorded products.
Under ``create_graph=True`` it is recorded like any op, and its node is named as PyTorch names it,
``SigmoidBackwardBackward0``: the backward of the backward. (The classes end in ``Grad`` so that searching
for ``SigmoidBackward0`` finds ``Sigmoid``, whose node that is.)
"""
import numpy as np

from ..function import Function
from .broadcast import normalize_dim
from .pointwise import AddScalar, MulScalar, _floating, _result, zeros_of


class Sigmoid(Function):
    """z = 1/(1 + e⁻ˣ)      ∂z/∂x = z(1 - z)"""

    node_name = "SigmoidBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        a = _floating(x)
        # the two branches avoid overflow of e^(-x) for very negative x
        e = np.exp(-np.abs(a))
        z = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
        return _result(ctx, z.astype(a.dtype, copy=False))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return SigmoidGrad.apply(grad, z)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return tx * z * (1 - z)


class SigmoidGrad(Function):
    """r = g·z(1 - z), Sigmoid's backward      ∂r/∂g = z(1 - z), ∂r/∂z = g(1 - 2z)"""

    node_name = "SigmoidBackwardBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, z):
        ctx.save_for_backward(grad, z)
        y = z._data
        return grad._data * (y * (1 - y))

    @staticmethod
    def backward(ctx, gg):
        grad, z = ctx.saved_tensors  # (PyTorch's formulas: sigmoid_backward again, and g·u·(1 - 2z))
        grad_g = SigmoidGrad.apply(gg, z) if ctx.needs_input_grad[0] else None
        grad_z = gg * grad * AddScalar.apply(MulScalar.apply(z, -2), 1) if ctx.needs_input_grad[1] else None
        return grad_g, grad_z

    @staticmethod
    def jvp(ctx, tg, tz):
        grad, z = ctx.saved_tensors
        return tg * z * (1 - z) + grad * (1 - 2 * z) * tz


class Tanh(Function):
    """z = tanh x      ∂z/∂x = 1 - z²"""

    node_name = "TanhBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        return _result(ctx, np.tanh(_floating(x)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return TanhGrad.apply(grad, z)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return tx * (1 - z * z)


class TanhGrad(Function):
    """r = g·(1 - z²), Tanh's backward      ∂r/∂g = 1 - z², ∂r/∂z = -2gz"""

    node_name = "TanhBackwardBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, z):
        ctx.save_for_backward(grad, z)
        y = z._data
        return grad._data * (1 - y * y)

    @staticmethod
    def backward(ctx, gg):
        grad, z = ctx.saved_tensors  # (PyTorch's formulas: tanh_backward again, and u·(-2z·g))
        grad_g = TanhGrad.apply(gg, z) if ctx.needs_input_grad[0] else None
        grad_z = gg * (MulScalar.apply(z, -2) * grad) if ctx.needs_input_grad[1] else None
        return grad_g, grad_z

    @staticmethod
    def jvp(ctx, tg, tz):
        grad, z = ctx.saved_tensors
        return tg * (1 - z * z) - grad * z * tz * 2


class Relu(Function):
    """z = max(x, 0)      ∂z/∂x = 1 where z > 0, else 0"""

    node_name = "ReluBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        if x.dtype.name == "bool":
            raise RuntimeError("Boolean inputs not supported for relu")
        return _result(ctx, np.maximum(x._data, np.zeros((), dtype=x._data.dtype)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return ThresholdGrad.apply(grad, z)

    @staticmethod
    def jvp(ctx, tx):
        (z,) = ctx.saved_tensors
        return ThresholdGrad.apply(tx, z)


class ThresholdGrad(Function):
    """r = 0 where z ≤ 0, else g: Relu's backward      ∂r/∂g = 0 where z ≤ 0, else 1; ∂r/∂z = 0

    An operation of its own, as in PyTorch (which names it after ``threshold``, the general form of
    relu): what ``create_graph=True`` records (``ThresholdBackwardBackward0``) when you differentiate again.
    """

    node_name = "ThresholdBackwardBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, grad, z):
        ctx.save_for_backward(z)
        return np.where(z._data <= 0, 0, grad._data)  # chosen, not multiplied: an inf or nan gradient stays out
        # (and where z is nan, the gradient passes, as in PyTorch)

    @staticmethod
    def backward(ctx, gg):
        (z,) = ctx.saved_tensors
        grad_g = ThresholdGrad.apply(gg, z) if ctx.needs_input_grad[0] else None
        grad_z = zeros_of(gg) if ctx.needs_input_grad[1] else None  # the kink moves nothing: zero, not None
        return grad_g, grad_z

    @staticmethod
    def jvp(ctx, tg, _tz):
        (z,) = ctx.saved_tensors
        return ThresholdGrad.apply(tg, z)


def _softmax_dim(x, dim, name):
    """The dim, checked (a 0-d tensor has dims 0 and -1), for a floating x (PyTorch has no integer kernel,
    though an empty tensor never reaches one)."""
    d = normalize_dim(dim, x.dim())
    if not x.dtype.is_floating_point and x.numel():
        kernel = f"{name}_lastdim_kernel_impl" if d == max(x.dim() - 1, 0) else f"{name}_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{x.dtype.legacy_name[:-len("Tensor")]}\'')
    return d


class Softmax(Function):
    """zᵢ = eˣⁱ / Σⱼ eˣʲ      vᵀJ = z ⊙ (v - Σⱼ vⱼzⱼ)"""

    node_name = "SoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x, dim):
        d = ctx.dim = _softmax_dim(x, dim, "softmax")
        a = x._data
        if a.size == 0:
            return _result(ctx, a.copy())
        axis = d if a.ndim else None
        e = np.exp(a - a.max(axis=axis, keepdims=True))  # shifting by the max changes nothing but overflow
        return _result(ctx, e / e.sum(axis=axis, keepdims=True))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return SoftmaxGrad.apply(grad, z, ctx.dim), None

    @staticmethod
    def jvp(ctx, tx, _):
        return Softmax.backward(ctx, tx)[0]  # J = diag(z) - zzᵀ is symmetric: Jv = vᵀJ


class SoftmaxGrad(Function):
    """r = z ⊙ (g - Σ_d g·z), Softmax's backward      ∂L/∂g = z ⊙ (u - Σ_d u·z), ∂L/∂z = u ⊙ (g - Σ_d g·z) - g·Σ_d u·z  (u = ∂L/∂r)

    An operation of its own, as in PyTorch (``_softmax_backward_data``): one numpy expression instead of
    four recorded operations, and what ``create_graph=True`` records (``SoftmaxBackwardDataBackward0``).
    """

    node_name = "SoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, z, dim):
        ctx.save_for_backward(grad, z)
        ctx.dim = dim
        g, y = grad._data, z._data
        return y * (g - (g * y).sum(axis=dim if g.ndim else None, keepdims=True))

    @staticmethod
    def backward(ctx, u):
        grad, z = ctx.saved_tensors
        d = ctx.dim
        grad_g = SoftmaxGrad.apply(u, z, d) if ctx.needs_input_grad[0] else None
        grad_z = None
        if ctx.needs_input_grad[1]:
            grad_z = u * (grad - (grad * z).sum(d, keepdim=True)) - grad * (u * z).sum(d, keepdim=True)
        return grad_g, grad_z, None

    @staticmethod
    def jvp(ctx, tg, tz, _dim):
        grad, z = ctx.saved_tensors
        d = ctx.dim
        return tz * (grad - (grad * z).sum(d, keepdim=True)) + z * (tg - (tg * z + grad * tz).sum(d, keepdim=True))


class LogSoftmax(Function):
    """zᵢ = xᵢ - log Σⱼ eˣʲ      vᵀJ = v - softmax(x)·Σⱼ vⱼ"""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x, dim):
        d = ctx.dim = _softmax_dim(x, dim, "log_softmax")
        a = x._data
        if a.size == 0:
            return _result(ctx, a.copy())
        axis = d if a.ndim else None
        shifted = a - a.max(axis=axis, keepdims=True)
        return _result(ctx, shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return LogSoftmaxGrad.apply(grad, z, ctx.dim), None

    @staticmethod
    def jvp(ctx, tx, _):
        (z,) = ctx.saved_tensors
        return tx - (z.exp() * tx).sum(ctx.dim, keepdim=True)


class LogSoftmaxGrad(Function):
    """r = g - e^z·Σ_d g, LogSoftmax's backward      ∂L/∂g = u - Σ_d u·e^z, ∂L/∂z = -u·e^z·Σ_d g  (u = ∂L/∂r)

    An operation of its own, as in PyTorch (``_log_softmax_backward_data``): one numpy expression instead
    of four recorded operations, and what ``create_graph=True`` records (``LogSoftmaxBackwardDataBackward0``).
    """

    node_name = "LogSoftmaxBackwardDataBackward0"
    saved_names = ("grad_output", "output")

    @staticmethod
    def forward(ctx, grad, z, dim):
        ctx.save_for_backward(grad, z)
        ctx.dim = dim
        g = grad._data
        return g - np.exp(z._data) * g.sum(axis=dim if g.ndim else None, keepdims=True)

    @staticmethod
    def backward(ctx, u):
        grad, z = ctx.saved_tensors
        d = ctx.dim
        ue = u * z.exp()  # (both gradients use it)
        grad_g = u - ue.sum(d, keepdim=True) if ctx.needs_input_grad[0] else None
        grad_z = -ue * grad.sum(d, keepdim=True) if ctx.needs_input_grad[1] else None
        return grad_g, grad_z, None

    @staticmethod
    def jvp(ctx, tg, tz, _dim):
        grad, z = ctx.saved_tensors
        d = ctx.dim
        e = z.exp()
        return tg - e * tg.sum(d, keepdim=True) - e * tz * grad.sum(d, keepdim=True)
