"""Cutting a tensor into pieces along a dimension: ``x.split(size)``, ``x.split([sizes])``, ``x.chunk(n)``,
``x.unbind(dim)`` (pieces of size 1 with that dimension removed), ``x.tensor_split(n or [cuts])``.

The pieces are views (they share x's memory) and outputs of one node. Backward glues the pieces'
gradients back together with ``cat``; a piece that got no gradient contributes zeros.
"""
import math

import numpy as np

from ..function import Function
from .broadcast import normalize_dim
from .selection import cat, stack


class _Pieces(Function):
    """Shared by the two spellings: forward cuts at the given sizes, backward concatenates."""

    is_view = True

    @staticmethod
    def forward(ctx, x, sizes, d):
        ctx.dim = d
        bounds = np.cumsum([0] + list(sizes)).tolist()
        front = (slice(None),) * d
        return tuple(x._data[front + (slice(a, b),)] for a, b in zip(bounds, bounds[1:]))

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim), None, None

    @staticmethod
    def jvp(ctx, tx, sizes, _d):
        return tuple(t.clone() for t in tx.split(list(sizes), ctx.dim))


class Split(_Pieces):
    """(z₁, z₂, …) = x cut into pieces of ``size`` along ``dim`` (the last may be smaller)      ∂L/∂x = [∂L/∂z₁; ∂L/∂z₂; …]"""

    node_name = "SplitBackward0"


class SplitWithSizes(_Pieces):
    """(z₁, z₂, …) = x cut into pieces of the given sizes along ``dim``      ∂L/∂x = [∂L/∂z₁; ∂L/∂z₂; …]"""

    node_name = "SplitWithSizesBackward0"


def split(x, split_size_or_sections, dim=0):
    """``x.split(2)``: pieces of 2 along ``dim``; ``x.split([1, 3])``: pieces of these sizes. A tuple of views."""
    if x.dim() == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = normalize_dim(dim, x.dim())
    n = x.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                               f"split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={sizes}")
        return SplitWithSizes.apply(x, tuple(sizes), d)
    size = int(split_size_or_sections)
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    count = max(math.ceil(n / size), 1) if size else 1
    return Split.apply(x, tuple(min(size, n - i * size) for i in range(count)), d)


def chunk(x, chunks, dim=0):
    """``x.chunk(n)``: at most n pieces of equal size (the last may be smaller) along ``dim``."""
    if x.dim() == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = x.shape[normalize_dim(dim, x.dim())]
    if n == 0:  # every piece is empty
        return Split.apply(x, (0,) * chunks, normalize_dim(dim, x.dim()))
    return split(x, math.ceil(n / chunks), dim)


class Unbind(Function):
    """(z₀, z₁, …) = (x[0], x[1], …) along ``dim``      ∂L/∂x = stack(∂L/∂z₀, ∂L/∂z₁, …)"""

    is_view = True
    node_name = "UnbindBackward0"

    @staticmethod
    def forward(ctx, x, d):
        ctx.dim = d
        front = (slice(None),) * d
        return tuple(x._data[front + (i, ...)] for i in range(x._data.shape[d]))  # (..., so a 0-d piece is a view too)

    @staticmethod
    def backward(ctx, *grads):
        return stack(grads, ctx.dim), None

    @staticmethod
    def jvp(ctx, tx, _d):
        return tuple(t.clone() for t in tx.unbind(ctx.dim))


def unbind(x, dim=0):
    """``x.unbind(0)``: the tensor's slices along ``dim``, that dimension removed. A tuple of views."""
    if x.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return Unbind.apply(x, normalize_dim(dim, x.dim()))


def tensor_split(x, indices_or_sections, dim=0):
    """``x.tensor_split(3)``: 3 pieces as equal as can be (the first ones one longer); ``x.tensor_split([1, 4])``:
    cut before positions 1 and 4. Each piece is a slice of x, ``x[a:b]`` along ``dim`` (SliceBackward0)."""
    from ..tensor import Tensor
    if x.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = normalize_dim(dim, x.dim())
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections.dtype.name != "int64":
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{indices_or_sections.dtype.legacy_name[:-len('Tensor')]}")
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (list, tuple)):
        cuts = [int(i) for i in indices_or_sections]
    else:
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        size, longer = divmod(x.shape[d], n)
        cuts = np.cumsum([size + 1 if i < longer else size for i in range(n - 1)]).tolist()
    front = (slice(None),) * d
    return tuple(x[front + (slice(a, b),)] for a, b in zip([0] + cuts, cuts + [None]))
