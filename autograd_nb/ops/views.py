"""Shape operations: reshape/view, transpose, t, permute, squeeze, unsqueeze, expand; also clone and
dtype conversion.

None of these change a value, they only move values around, so each backward moves the gradient back:
reshape it to the old shape, transpose it back, sum it over the expanded dimensions.
"""
import math

import numpy as np

from ..function import Function
from .broadcast import normalize_dim, unbroadcast


def _infer_shape(shape, numel):
    """``shape`` with its one -1 (if any) filled in so that the element count is ``numel``."""
    invalid = RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 not in shape:
        if math.prod(shape) != numel:
            raise invalid
        return tuple(shape)
    known = math.prod(n for n in shape if n != -1)
    if known == 0 or numel % known:
        raise invalid
    return tuple(numel // known if n == -1 else n for n in shape)


class View(Function):
    """z = x with a new shape, in x's own memory      ∂z/∂x: reshape the gradient back"""

    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        new_shape = _infer_shape(shape, x.numel())
        ctx.shape, ctx.new_shape = x.shape, new_shape
        out = _view_or_none(x._data, new_shape)
        if out is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one dimension "
                "spans across two contiguous subspaces). Use .reshape(...) instead."
            )
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None

    @staticmethod
    def jvp(ctx, tx, _shape):
        return tx.reshape(ctx.new_shape)


class ReshapeAlias(View):
    """z = x with a new shape, in x's memory (x not contiguous)      ∂z/∂x: reshape the gradient back"""

    node_name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """z = a fresh copy of x with a new shape (what reshape does when x's memory cannot take the shape)"""

    node_name = "UnsafeViewBackward0"
    is_view = False  # (it reshapes the copy reshape just made: not a view of anything you hold)


def _view_or_none(data, shape):
    """``data`` seen with ``shape`` in the same memory, or None when that would need a copy."""
    try:
        return np.reshape(data, shape, copy=False)
    except ValueError:
        return None


def reshape(x, shape):
    """PyTorch's reshape: a view when x's memory allows it (ViewBackward0 for a contiguous x,
    ReshapeAliasBackward0 for another layout), else a copy (CloneBackward0, then UnsafeViewBackward0)."""
    shape = _infer_shape(shape, x.numel())
    if x._data.flags.c_contiguous:
        return View.apply(x, shape)
    if _view_or_none(x._data, shape) is not None:
        return ReshapeAlias.apply(x, shape)
    return UnsafeView.apply(Clone.apply(x), shape)


def flatten(x, start_dim=0, end_dim=-1):
    """The dims from ``start_dim`` to ``end_dim`` made one (a 0-d tensor becomes 1-d; nothing to join: x)."""
    n = x.dim()
    start, end = normalize_dim(start_dim, n), normalize_dim(end_dim, n)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if n == 0:
        return reshape(x, (1,))
    if start == end:
        return x
    shape = x.shape
    return reshape(x, tuple(shape[:start]) + (math.prod(shape[start:end + 1]),) + tuple(shape[end + 1:]))


class Transpose(Function):
    """z = x with dims ``d0`` and ``d1`` swapped      ∂z/∂x: swap them back"""

    node_name = "TransposeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, d0, d1):
        n = x.dim()
        ctx.dims = normalize_dim(d0, n), normalize_dim(d1, n)
        return np.swapaxes(x._data, *ctx.dims) if n else x._data.view()

    @staticmethod
    def backward(ctx, grad):
        return (grad.transpose(*ctx.dims) if grad.dim() else grad), None, None

    @staticmethod
    def jvp(ctx, tx, _d0, _d1):
        return tx.transpose(*ctx.dims) if tx.dim() else tx.clone()


class T(Function):
    """z = xᵀ (x at most 2-d)      ∂z/∂x = gradᵀ"""

    node_name = "TBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        if x.dim() > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.dim()}D")
        return x._data.T

    @staticmethod
    def backward(ctx, grad):
        return grad.t()

    @staticmethod
    def jvp(ctx, tx):
        return tx.t()


class Permute(Function):
    """z = x with its dims reordered by ``dims``      ∂z/∂x: apply the inverse order"""

    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        n = x.dim()
        if len(dims) != n:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
                f"the desired ordering of dimensions i.e. input.dim() = {n} is not equal to len(dims) = {len(dims)}"
            )
        dims = tuple(normalize_dim(d, n) for d in dims)
        if len(set(dims)) != n:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        ctx.dims, ctx.inverse = dims, tuple(np.argsort(dims).tolist())
        return np.transpose(x._data, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(ctx.inverse), None

    @staticmethod
    def jvp(ctx, tx, _dims):
        return tx.permute(ctx.dims)


class Squeeze(Function):
    """z = x without its size-1 dims      ∂z/∂x: reshape the gradient back"""

    node_name = "SqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return np.squeeze(x._data)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape)

    @staticmethod
    def jvp(ctx, tx):
        return tx.squeeze()


class SqueezeDim(Function):
    """z = x without dim ``d`` if it has size 1      ∂z/∂x: reshape the gradient back"""

    node_name = "SqueezeBackward1"
    is_view = True

    @staticmethod
    def forward(ctx, x, d):
        ctx.shape = x.shape
        if x.dim() == 0:
            normalize_dim(d, 0)
            ctx.new_shape = ()
            return x._data.view()
        d = normalize_dim(d, x.dim())
        out = np.squeeze(x._data, d) if x.shape[d] == 1 else x._data.view()
        ctx.new_shape = out.shape
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None

    @staticmethod
    def jvp(ctx, tx, _d):
        return tx.reshape(ctx.new_shape)


class SqueezeAfterMatmul(SqueezeDim):
    """z = x without dim ``d``: the squeeze ``matmul`` applies in place to the result of (1, n) @ (n, m)"""

    node_name = "SqueezeBackward4"
    is_view = False  # PyTorch squeezes the product in place (squeeze_): the result is not a view of anything


class Unsqueeze(Function):
    """z = x with a new size-1 dim at ``d``      ∂z/∂x: remove it from the gradient"""

    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, d):
        d = normalize_dim(d, x.dim() + 1)
        ctx.dim = d
        return np.expand_dims(x._data, d)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None

    @staticmethod
    def jvp(ctx, tx, _d):
        return tx.unsqueeze(ctx.dim)


class Expand(Function):
    """z = x broadcast to ``shape`` (no copy)      ∂z/∂x: sum the gradient over the copies"""

    node_name = "ExpandBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._data.shape
        if shape == ctx.shape:  # optimization: np.broadcast_to costs 2.3 µs even with nothing to broadcast (per-op sum row)
            ctx.target = shape
            return x._data.view()
        lead = len(shape) - x.dim()
        if lead < 0:
            raise RuntimeError(
                f"expand(torch.{x.dtype.legacy_name}{{[{', '.join(map(str, x.shape))}]}}, size=[{', '.join(map(str, shape))}]): "
                f"the number of sizes provided ({len(shape)}) must be greater or equal to the number of dimensions "
                f"in the tensor ({x.dim()})"
            )
        target = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
        for i, n in reversed(list(enumerate(x.shape))):  # (PyTorch checks from the last dimension)
            if n != 1 and n != target[lead + i]:
                raise RuntimeError(
                    f"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({n}) at "
                    f"non-singleton dimension {lead + i}.  Target sizes: [{', '.join(map(str, shape))}].  "
                    f"Tensor sizes: [{', '.join(map(str, x.shape))}]"
                )
        ctx.target = target
        return _expanded(x._data, target)

    @staticmethod
    def backward(ctx, grad):
        return unbroadcast(grad, ctx.shape), None

    @staticmethod
    def jvp(ctx, tx, _shape):
        return tx.expand(ctx.target)


def _expanded(data, shape):
    """``data`` seen with ``shape``: each broadcast dimension repeats the same memory (stride 0). Writeable, as
    PyTorch's expanded tensors are (in-place ops check for the repeated memory themselves)."""
    lead = len(shape) - data.ndim
    strides = (0,) * lead + tuple(0 if n == 1 and m != 1 else s
                                  for n, m, s in zip(data.shape, shape[lead:], data.strides))
    return np.lib.stride_tricks.as_strided(data, shape=shape, strides=strides, writeable=data.flags.writeable)


class Clone(Function):
    """z = a copy of x      ∂z/∂x = 1"""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad

    @staticmethod
    def jvp(ctx, tx):
        return tx.clone()


class ToCopy(Function):
    """z = x converted to another dtype      ∂z/∂x = 1 (the gradient is converted back)"""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype, ctx.out_dtype = x.dtype, dtype
        return x._data.astype(dtype.numpy_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.dtype), None

    @staticmethod
    def jvp(ctx, tx, dtype):
        return tx.to(ctx.out_dtype)

