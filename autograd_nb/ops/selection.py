"""Choosing and joining: ``where``, ``cat``, ``stack``.

``where(cond, x, y)`` passes each gradient element to whichever input was chosen there; ``cat`` and
``stack`` cut the gradient back into the pieces they were built from.
"""
import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import broadcast_shapes, normalize_dim, promote, unbroadcast
from ..tensor import Tensor, _wrap



def row_major(array):
    """``array`` laid out row by row (copied only if it is not), as PyTorch lays out these results."""
    return array if array.flags.c_contiguous else array.copy(order="C")

class Where(Function):
    """z = x where cond else y      ∂z/∂x = cond, ∂z/∂y = not cond"""

    node_name = "WhereBackward0"
    saved_names = ("condition",)

    @staticmethod
    def forward(ctx, cond, x, y):
        # cond arrives as a plain bool array (see ``where``), so the node has edges to x and y only
        broadcast_shapes(broadcast_shapes(cond.shape, x.shape), y.shape)  # PyTorch's message if not
        ctx.save_for_backward(Tensor(cond))
        ctx.shapes = x.shape, y.shape
        a, b = promote(x, y)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx, grad):
        (cond,) = ctx.saved_tensors
        x_shape, y_shape = ctx.shapes
        grad_x = unbroadcast(where(cond, grad, 0.0), x_shape) if ctx.needs_input_grad[1] else None
        grad_y = unbroadcast(where(cond, 0.0, grad), y_shape) if ctx.needs_input_grad[2] else None
        return None, grad_x, grad_y

    @staticmethod
    def jvp(ctx, _, tx, ty):
        (cond,) = ctx.saved_tensors
        return where(cond, tx, ty)


def where(condition, input, other):
    """Elementwise choice: ``input`` where ``condition`` is True, else ``other`` (numbers allowed)."""
    if condition.dtype.name != "bool":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{condition.dtype.legacy_name[:-len('Tensor')]}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):  # two numbers: their common dtype
        dt = dtypes.result_type(input, other)
        input, other = Tensor(np.asarray(input, dt.numpy_dtype)), Tensor(np.asarray(other, dt.numpy_dtype))
    like = input if isinstance(input, Tensor) else other
    # A bool tensor never gets a gradient, so PyTorch's WhereBackward0 has no edge for the condition:
    # it goes in as a plain array, not as a tensor input of the node.
    return Where.apply(condition._data, _wrap(input, like), _wrap(other, like))


class Cat(Function):
    """z = [x₁; x₂; …] along ``dim``      ∂z/∂xₖ = the k-th block of the gradient"""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, *args):
        *tensors, dim = args
        first = tensors[0]
        d = normalize_dim(dim, first.dim())
        for k, t in enumerate(tensors[1:], start=1):
            if t.dim() != first.dim():
                raise RuntimeError(
                    f"Tensors must have same number of dimensions: got {first.dim()} and {t.dim()}")
            for i, (m, n) in enumerate(zip(first.shape, t.shape)):
                if i != d and m != n:
                    raise RuntimeError(
                        f"Sizes of tensors must match except in dimension {d}. Expected size {m} but got size "
                        f"{n} for tensor number {k} in the list."
                    )
        dt = dtypes.result_type(*tensors).numpy_dtype
        ctx.dim = d
        ctx.bounds = np.cumsum([0] + [t.shape[d] for t in tensors]).tolist()
        return row_major(np.concatenate([t._data.astype(dt, copy=False) for t in tensors], axis=d))
        # (row-major, as PyTorch's result is, whatever the layout of the inputs)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        b = ctx.bounds
        return tuple(grad[lead + (slice(b[k], b[k + 1]),)] for k in range(len(b) - 1)) + (None,)

    @staticmethod
    def jvp(ctx, *tangents):
        return cat(tangents[:-1], ctx.dim)


class Stack(Function):
    """z = [x₁, x₂, …] stacked along a new ``dim``      ∂z/∂xₖ = the k-th slice of the gradient"""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, *args):
        *tensors, dim = args
        first = tensors[0]
        for k, t in enumerate(tensors[1:], start=1):
            if t.shape != first.shape:
                raise RuntimeError(
                    f"stack expects each tensor to be equal size, but got [{', '.join(map(str, first.shape))}] at "
                    f"entry 0 and [{', '.join(map(str, t.shape))}] at entry {k}"
                )
        d = normalize_dim(dim, first.dim() + 1)
        dt = dtypes.result_type(*tensors).numpy_dtype
        ctx.dim = d
        return row_major(np.stack([t._data.astype(dt, copy=False) for t in tensors], axis=d))

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        return tuple(grad[lead + (k,)] for k in range(grad.shape[ctx.dim])) + (None,)

    @staticmethod
    def jvp(ctx, *tangents):
        return stack(tangents[:-1], ctx.dim)


def _tensor_list(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got {type(t).__name__}")
    if len(tensors) == 0:
        if name == "cat":
            raise ValueError("torch.cat(): expected a non-empty list of Tensors")
        raise RuntimeError("stack expects a non-empty TensorList")
    if name == "cat":
        for k, t in enumerate(tensors):
            if t.dim() == 0:
                raise RuntimeError(f"zero-dimensional tensor (at position {k}) cannot be concatenated")
    return tuple(tensors)


def cat(tensors, dim=0):
    """Join tensors along an existing dimension."""
    return Cat.apply(*_tensor_list(tensors, "cat"), dim)


def stack(tensors, dim=0):
    """Join same-shaped tensors along a new dimension."""
    return Stack.apply(*_tensor_list(tensors, "stack"), dim)
