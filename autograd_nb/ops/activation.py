"""Activation functions: sigmoid, tanh, relu, softmax and log_softmax.

Their derivatives are cheapest in terms of the *result*, so that is what forward saves.
"""
import numpy as np

from ..function import Function
from .broadcast import normalize_dim
from .pointwise import _floating, _result


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
        return grad * z * (1 - z)

    @staticmethod
    def jvp(ctx, tx):
        """Forward mode: the tangent of the output, J·(tangents of the inputs)."""
        (z,) = ctx.saved_tensors
        return tx * z * (1 - z)


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
        return grad * (1 - z * z)

    @staticmethod
    def jvp(ctx, tx):
        """Forward mode: the tangent of the output, J·(tangents of the inputs)."""
        (z,) = ctx.saved_tensors
        return tx * (1 - z * z)


class Relu(Function):
    """z = max(x, 0)      ∂z/∂x = 1 where z > 0, else 0"""

    node_name = "ReluBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        return _result(ctx, np.maximum(x._data, np.zeros((), dtype=x._data.dtype)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        return grad * (z > 0)

    @staticmethod
    def jvp(ctx, tx):
        """Forward mode: the tangent of the output, J·(tangents of the inputs)."""
        (z,) = ctx.saved_tensors
        return tx * (z > 0)


class Softmax(Function):
    """zᵢ = eˣⁱ / Σⱼ eˣʲ      vᵀJ = z ⊙ (v - Σⱼ vⱼzⱼ)"""

    node_name = "SoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x, dim):
        a = _floating(x)
        if a.ndim == 0:
            return _result(ctx, np.ones_like(a))
        d = normalize_dim(dim, a.ndim)
        e = np.exp(a - a.max(axis=d, keepdims=True))  # shifting by the max changes nothing but overflow
        ctx.dim = d
        return _result(ctx, e / e.sum(axis=d, keepdims=True))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        if z.dim() == 0:
            return grad * 0, None
        return z * (grad - (grad * z).sum(ctx.dim, keepdim=True)), None

    @staticmethod
    def jvp(ctx, tx, _):
        """Forward mode: the tangent of the output, J·(tangents of the inputs)."""
        return Softmax.backward(ctx, tx)[0]  # J = diag(z) - zzᵀ is symmetric: Jv = vᵀJ


class LogSoftmax(Function):
    """zᵢ = xᵢ - log Σⱼ eˣʲ      vᵀJ = v - softmax(x)·Σⱼ vⱼ"""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x, dim):
        a = _floating(x)
        if a.ndim == 0:
            return _result(ctx, np.zeros_like(a))
        d = normalize_dim(dim, a.ndim)
        shifted = a - a.max(axis=d, keepdims=True)
        ctx.dim = d
        return _result(ctx, shifted - np.log(np.exp(shifted).sum(axis=d, keepdims=True)))

    @staticmethod
    def backward(ctx, grad):
        (z,) = ctx.saved_tensors
        if z.dim() == 0:
            return grad * 0, None
        return grad - z.exp() * grad.sum(ctx.dim, keepdim=True), None

    @staticmethod
    def jvp(ctx, tx, _):
        """Forward mode: the tangent of the output, J·(tangents of the inputs)."""
        (z,) = ctx.saved_tensors
        if z.dim() == 0:
            return tx * 0
        return tx - (z.exp() * tx).sum(ctx.dim, keepdim=True)
