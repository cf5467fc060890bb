"""The triangles and the diagonal of a matrix: ``tril``, ``triu``, ``diag``.

tril/triu keep the elements on one side of a diagonal and zero the rest: backward keeps the gradient of
the same elements. ``diag`` goes both ways: a vector becomes a diagonal matrix, a matrix gives its
diagonal as a vector, and each is the other's backward.
"""
import numpy as np

from ..function import Function


class Tril(Function):
    """z = x on and below diagonal k (of the last two dims), else 0      ∂L/∂x = tril(∂L/∂z, k)"""

    node_name = "TrilBackward0"
    numpy_op = staticmethod(np.tril)

    @staticmethod
    def forward(ctx, x, diagonal):
        ctx._saved_diagonal = diagonal
        return type(ctx)._forward_cls.numpy_op(x._data, diagonal)

    @staticmethod
    def backward(ctx, grad):
        return type(ctx)._forward_cls.apply(grad, ctx._saved_diagonal), None

    @staticmethod
    def jvp(ctx, tx, _diagonal):
        return type(ctx)._forward_cls.apply(tx, ctx._saved_diagonal)


class Triu(Tril):
    """z = x on and above diagonal k (of the last two dims), else 0      ∂L/∂x = triu(∂L/∂z, k)"""

    node_name = "TriuBackward0"
    numpy_op = staticmethod(np.triu)


def triangle(function, x, diagonal=0):
    """``x.tril(k)``, ``x.triu(k)``: at least a matrix (PyTorch's message otherwise)."""
    if x.dim() < 2:
        name = "tril" if function is Tril else "triu"
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return function.apply(x, int(diagonal))


class DiagEmbed(Function):
    """Z = the square matrix with vector x on diagonal k, 0 elsewhere      ∂L/∂x = diagonal k of ∂L/∂Z"""

    node_name = "DiagEmbedBackward0"

    @staticmethod
    def forward(ctx, x, offset):
        ctx._saved_offset = offset
        return np.diag(x._data, offset)

    @staticmethod
    def backward(ctx, grad):
        return Diagonal.apply(grad, ctx._saved_offset), None

    @staticmethod
    def jvp(ctx, tx, _offset):
        return DiagEmbed.apply(tx, ctx._saved_offset)


class Diagonal(Function):
    """z = diagonal k of matrix X (a copy)      ∂L/∂X = the matrix with ∂L/∂z on diagonal k, 0 elsewhere"""

    node_name = "DiagonalBackward0_copy"  # (PyTorch's name for the copying diagonal that diag uses)

    @staticmethod
    def forward(ctx, x, offset):
        ctx._saved_offset, ctx._saved_self_sym_sizes = offset, tuple(x.shape)
        return np.diagonal(x._data, offset).copy()

    @staticmethod
    def backward(ctx, grad):
        return DiagonalGrad.apply(grad, ctx._saved_offset, ctx._saved_self_sym_sizes), None

    @staticmethod
    def jvp(ctx, tx, _offset):
        return Diagonal.apply(tx, ctx._saved_offset)


class DiagonalGrad(Function):
    """Z = zeros of ``shape`` with vector g on diagonal k, Diagonal's backward      ∂L/∂g = diagonal k of ∂L/∂Z"""

    node_name = "DiagonalBackwardBackward0"

    @staticmethod
    def forward(ctx, g, offset, shape):
        ctx.offset = offset
        out = np.zeros(shape, dtype=g._data.dtype)
        i = np.arange(g.shape[0])
        out[i + max(-offset, 0), i + max(offset, 0)] = g._data
        return out

    @staticmethod
    def backward(ctx, u):
        return Diagonal.apply(u, ctx.offset), None, None

    @staticmethod
    def jvp(ctx, tg, _offset, shape):
        return DiagonalGrad.apply(tg, ctx.offset, shape)


def diag(x, diagonal=0):
    """``torch.diag(v)``: a diagonal matrix from a vector; ``torch.diag(M)``: the diagonal of a matrix."""
    if x.dim() == 1:
        return DiagEmbed.apply(x, int(diagonal))
    if x.dim() == 2:
        return Diagonal.apply(x, int(diagonal))
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.dim()}D")
