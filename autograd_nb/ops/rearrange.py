"""Moving and copying elements without changing them: ``flip``, ``roll``, ``repeat``.

flip and roll permute the elements, so backward permutes the gradient back (flip again; roll the other
way). repeat copies x several times over, so each element's gradient is the sum over its copies.
"""
import numpy as np

from ..function import Function
from .broadcast import normalize_dims


class Flip(Function):
    """z = x reversed along ``dims``      ∂L/∂x = ∂L/∂z reversed along the same dims"""

    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx._saved_dims = dims
        return np.flip(x._data, normalize_dims(dims, x.dim()) if dims else ()).copy()

    @staticmethod
    def backward(ctx, grad):
        return Flip.apply(grad, ctx._saved_dims), None

    @staticmethod
    def jvp(ctx, tx, _dims):
        return Flip.apply(tx, ctx._saved_dims)


def _sizes(args, function, argument):
    """``f(2, 3)`` and ``f((2, 3))`` both mean (2, 3); nothing at all is PyTorch's missing-argument error."""
    if not args:
        raise TypeError(f'{function}() missing 1 required positional arguments: "{argument}"')
    return tuple(int(n) for n in (args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args))


def flip(x, dims):
    """``x.flip(0)``, ``x.flip(0, 1)``, ``x.flip((0, 1))``, ``torch.flip(x, (0, 1))``."""
    dims = _sizes(dims, "flip", "dims")
    normalize_dims(dims, x.dim())  # (PyTorch's messages for a dim out of range or named twice)
    return Flip.apply(x, dims)


class Roll(Function):
    """z = x shifted by ``shifts`` along ``dims``, what falls off one end coming back at the other (no dims: x
    flattened, shifted and shaped back)      ∂L/∂x = ∂L/∂z shifted back"""

    node_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx._saved_shifts, ctx._saved_dims = shifts, dims
        if not dims:
            return np.roll(x._data, shifts[0])
        return np.roll(x._data, shifts, axis=tuple(d % x.dim() for d in dims))  # (each shift with its own dim)

    @staticmethod
    def backward(ctx, grad):
        return Roll.apply(grad, tuple(-s for s in ctx._saved_shifts), ctx._saved_dims), None, None

    @staticmethod
    def jvp(ctx, tx, _shifts, _dims):
        return Roll.apply(tx, ctx._saved_shifts, ctx._saved_dims)


def roll(x, shifts, dims=None):
    """``x.roll(1)``, ``x.roll(1, 0)``, ``x.roll((1, 2), (0, 1))``."""
    shifts = tuple(int(s) for s in shifts) if isinstance(shifts, (tuple, list)) else (int(shifts),)
    dims = () if dims is None else tuple(int(d) for d in dims) if isinstance(dims, (tuple, list)) else (int(dims),)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims) and not (len(shifts) == 1 and not dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if dims and x.dim() == 0:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    for d in dims:
        normalize_dims((d,), x.dim())
    return Roll.apply(x, shifts, dims)


class Repeat(Function):
    """z = x tiled ``repeats[d]`` times along each dim d (leading repeats add dims)      ∂L/∂x = Σ over the copies"""

    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, repeats):
        ctx._saved_repeats, ctx._saved_self_sym_sizes = repeats, tuple(x.shape)
        padded = (1,) * (len(repeats) - x.dim()) + tuple(x.shape)  # x seen with as many dims as repeats
        return np.tile(x._data.reshape(padded), repeats)

    @staticmethod
    def backward(ctx, grad):
        repeats, shape = ctx._saved_repeats, ctx._saved_self_sym_sizes
        padded = (1,) * (len(repeats) - len(shape)) + shape
        split = [n for pair in zip(repeats, padded) for n in pair]  # (r₀, n₀, r₁, n₁, ...): a copy index, a place
        summed = grad.reshape(split).sum(tuple(range(0, len(split), 2))) if split else grad
        return summed.reshape(shape), None

    @staticmethod
    def jvp(ctx, tx, _repeats):
        return Repeat.apply(tx, ctx._saved_repeats)


def repeat(x, repeats):
    """``x.repeat(2, 3)``, ``x.repeat((2, 3))``."""
    repeats = _sizes(repeats, "repeat", "repeats")
    if len(repeats) < x.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    padded = (1,) * (len(repeats) - x.dim()) + tuple(x.shape)
    sizes = [r * n for r, n in zip(repeats, padded)]
    for s in sizes:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {sizes}")
    return Repeat.apply(x, tuple(repeats))
