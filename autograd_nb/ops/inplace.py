"""In-place operations (``add_``, ``mul_``, ``zero_``, ``copy_``, ``x += 1``, ...) and their rules.

An in-place op overwrites a tensor's memory, so autograd must be careful:

* a *leaf* that requires grad may not be changed in place while grad mode is on (its ``.grad`` would
  describe values it no longer has); inside ``no_grad()`` it may (that is how optimizers update weights);
* every in-place change bumps the tensor's version counter; if backward later needs a saved copy of
  the old values, it sees the version moved on and raises instead of computing a wrong gradient;
* a non-leaf changed in place gets a new ``grad_fn`` (the in-place op's node), whose input is the
  tensor as it was before.
"""
import numpy as np

from .. import grad_mode
from ..function import Function
from .arithmetic import Add, Mul, Sub
from .broadcast import broadcast_shapes, unbroadcast
from .pointwise import Flat
from ..tensor import Tensor


class Zero(Flat):
    """z = 0      ∂z/∂x = 0"""

    node_name = "ZeroBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.zeros_like(x._data)


class Fill(Function):
    """z = c everywhere      ∂z/∂x = 0"""

    node_name = "FillBackward2"  # PyTorch's name for the in-place fill_ with a number

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x._data, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None

    @staticmethod
    def jvp(ctx, tx, _value):
        return tx * 0


class Copy(Function):
    """z = src (broadcast to x's shape, in x's dtype)      ∂z/∂x = 0, ∂z/∂src = 1"""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        ctx.src_shape = src.shape
        return np.broadcast_to(src._data, x.shape).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, unbroadcast(grad, ctx.src_shape)

    @staticmethod
    def jvp(ctx, tx, tsrc):
        return tsrc.expand(tx.shape).to(tx.dtype).clone()


# Optimization: with nothing to record (an optimizer's ``p -= lr * p.grad`` under no_grad), these ops write
# straight into x's memory with numpy's ``out=`` instead of computing a new array and copying it in.
# The SGD update of the MLP benchmark's four parameters: 117 → 74 µs (about 6% of the batch-64 step).
_UFUNCS = {Add: np.add, Sub: np.subtract, Mul: np.multiply}


def _type_name(dtype):
    return {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}[dtype.name]


def apply_in_place(x, function, *args):
    """Run ``function`` on ``x`` and write the result into x's own memory (``x.add_(y)`` and friends)."""
    inputs_need_grad = any(isinstance(a, Tensor) and a.requires_grad for a in args)
    recording = grad_mode.is_grad_enabled() and (x.requires_grad or inputs_need_grad)
    if recording:
        if x.grad_fn is None and x.requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        if x._base is not None:
            if x._base.grad_fn is None and x._base.requires_grad:
                raise RuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place operation.")
            raise RuntimeError(
                "autograd_nb does not record in-place operations on views of tensors that take part in a "
                "graph (PyTorch does, with CopySlices); apply the operation out of place instead."
            )
        before = _snapshot(x)  # the node's input is x as it was: it must not change under its feet
        result = function.apply(before, *args)
    elif function in _UFUNCS and args[1:] in ((), (1,)) and args[0].dtype is x.dtype and _fits(x, args[0]):
        # optimization (see _UFUNCS): nothing to record, numpy writes the result straight into x's memory
        _UFUNCS[function](x._data, args[0]._data, out=x._data)
        x._bump_version()
        return x
    else:
        with grad_mode.no_grad():
            result = function.apply(x, *args)
    if result.shape != x.shape:
        broadcast_shapes(x.shape, result.shape)
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, x.shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, result.shape))}]")
    if result.dtype.category > x.dtype.category:
        raise RuntimeError(
            f"result type {_type_name(result.dtype)} can't be cast to the desired output type {_type_name(x.dtype)}")
    x._data[...] = result._data
    x._bump_version()
    if recording:
        x.grad_fn = result.grad_fn
        x._output_nr = result._output_nr
    return x


def _fits(x, other):
    """Does ``other`` broadcast to x's shape (so the result has x's shape)?"""
    a, b = x._data.shape, other._data.shape
    return len(b) <= len(a) and all(n in (1, m) for m, n in zip(a[::-1], b[::-1]))


def _snapshot(x):
    """A stand-in for ``x`` as it is now: same place in the graph, a private copy of the values."""
    s = Tensor(x._data.copy())
    s.grad_fn, s._output_nr, s._requires_grad = x.grad_fn, x._output_nr, x._requires_grad
    s._grad_accumulator = x._grad_accumulator
    return s

