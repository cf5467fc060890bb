"""In-place operations (``add_``, ``mul_``, ``zero_``, ``copy_``, ``x += 1``, ...) and their rules.

An in-place op overwrites a tensor's memory, so autograd must be careful:

* a *leaf* that requires grad may not be changed in place while grad mode is on (its ``.grad`` would
  describe values it no longer has); inside ``no_grad()`` it may (that is how optimizers update weights);
* every in-place change bumps the tensor's version counter; if backward later needs a saved copy of
  the old values, it sees the version moved on and raises instead of computing a wrong gradient;
* a non-leaf changed in place gets a new ``grad_fn`` (the in-place op's node), whose input is the
  tensor as it was before.
"""
import warnings

import numpy as np

from .. import grad_mode
from ..quiet import quiet
from ..function import Function
from ..hooks import move_retained_grad
from .arithmetic import Add, Mul, Sub
from .broadcast import broadcast_shapes, unbroadcast
from .pointwise import Flat, zeros_of
from ..tensor import Tensor


class Zero(Flat):
    """z = 0      ∂z/∂x = 0"""

    node_name = "ZeroBackward0"
    overlap_rule = "none"  # (filling an expanded tensor is allowed)

    @staticmethod
    def forward(ctx, x):
        return np.zeros_like(x._data)


class Fill(Function):
    """z = c everywhere      ∂z/∂x = 0"""

    node_name = "FillBackward2"  # PyTorch's name for the in-place fill_ with a number
    overlap_rule = "none"

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x._data, value)

    @staticmethod
    def backward(ctx, grad):
        return zeros_of(grad), None

    @staticmethod
    def jvp(ctx, tx, _value):
        return zeros_of(tx)


class Copy(Function):
    """z = src (broadcast to x's shape, in x's dtype)      ∂z/∂x = 0, ∂z/∂src = 1"""

    node_name = "CopyBackwards"
    cpp_name = "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        ctx.src_shape = src.shape
        if src.shape != x.shape:
            shape = broadcast_shapes(x.shape, src.shape)  # (PyTorch's message when they do not broadcast)
            if shape != tuple(x.shape):
                raise RuntimeError(f"output with shape [{', '.join(map(str, x.shape))}] doesn't match the broadcast "
                                   f"shape [{', '.join(map(str, shape))}]")
        return np.broadcast_to(src._data, x.shape).astype(x._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros_of(grad), unbroadcast(grad, ctx.src_shape)

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
    """Run ``function`` on ``x`` and write the result into x's own memory (``x.add_(y)`` and friends).

    When it is recorded (grad mode on, and x or an input requires grad), the op's node takes x *as it was*
    (a snapshot, so that backward sees the old values) and becomes x's ``grad_fn``. If x is a view, its
    base's history is rebuilt around that node instead (``views.rebase``).
    """
    others = [a for a in args if isinstance(a, Tensor)]
    recording = grad_mode.is_grad_enabled() and (x.requires_grad or any(a.requires_grad for a in others))
    if recording:
        _check_recordable(x)
    _check_overlap(x, function, args)
    if recording:
        result = function.apply(x._snapshot(), *args)
    elif function in _UFUNCS and args[1:] in ((), (1,)) and args[0].dtype is x.dtype and _fits(x, args[0]):
        # optimization (see _UFUNCS): nothing to record, numpy writes the result straight into x's memory
        with quiet:
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
    if getattr(function, "overlap_rule", None) == "index" and _expanded(x._data):
        x._data[args[1]] = result._data[args[1]]  # (an expanded x: only the indexed elements, as PyTorch writes)
    else:
        x._data[...] = result._data
    x._bump_version()
    if recording and result.grad_fn is not None:  # (an integer result is not recorded)
        node = result.grad_fn
        _becomes_output(x, result, node)
        if x._base is None:
            move_retained_grad(x, node)
            x._grad_fn, x._output_nr = node, result._output_nr
        else:
            base = x._base
            old_node = base.grad_fn
            views.rebase(x, node, others)
            if base._retains_grad and old_node is not None:
                move_retained_grad(base, base._grad_fn, old_node)
    return x


def _check_recordable(x):
    """The in-place changes autograd refuses to record, with PyTorch's messages."""
    if x._base is None:
        if x.grad_fn is None and x._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        return
    if x._no_grad_view:
        raise RuntimeError(x._no_grad_view + " and is being modified inplace with grad mode enabled. "
                           + views.NO_GRAD_VIEW_ADVICE)
    if x._multi_output_view and x.requires_grad:
        raise RuntimeError(x._multi_output_view + " is a view and is being modified inplace. This view is the output "
                           "of a function that returns multiple views. Such functions do not allow the output views "
                           "to be modified inplace. You should replace the inplace operation by an out-of-place one.")
    if x.requires_grad and x._base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def _check_overlap(x, function, args):
    """PyTorch's checks that an in-place op can write x safely. Most ops (``overlap_rule = "elementwise"``)
    refuse to write where one memory location stands for several elements of x (an expanded tensor) and to
    read an input that overlaps x in part; ``index_put_`` refuses any overlap with its values; a fill with a
    tensor value checks only x itself (``"internal"``), a fill with a number nothing. Where the layout is too
    hard to tell (neither dense nor expanded), PyTorch lets it pass."""
    rule = getattr(function, "overlap_rule", "elementwise")
    data = x._data
    if rule == "none" or data.size == 0:
        return
    if function is Copy and _same_data(args[0]._data, data):
        return  # (PyTorch's copy_ of a tensor onto the very same elements returns at once)
    if rule != "index" and _expanded(data):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")
    if rule == "internal":
        return
    if rule == "index" and _expanded(data):
        warnings.warn("Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before "
                      "performing this operation. This also applies to advanced indexing e.g. tensor[indices] = "
                      "tensor", UserWarning, stacklevel=5)
    if rule == "index" and args[0]._data.size == 1 and single_mask(args[1]):
        if _expanded(data):
            warnings.warn("Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before "
                          "performing this operation. This also applies to advanced indexing e.g. tensor[mask] = "
                          "scalar", UserWarning, stacklevel=5)
        return  # (PyTorch fills through a single mask with a single value as masked_fill_, which checks nothing)
    for a in args:
        if isinstance(a, Tensor):
            overlap = "full" if a is x else _overlap(data, a._data)
            if overlap == "partial" or (overlap == "full" and rule == "index"):
                raise RuntimeError("unsupported operation: some elements of the input tensor and the written-to "
                                   "tensor refer to a single memory location. Please clone() the tensor before "
                                   "performing the operation.")


def _expanded(a):
    """Is one memory location several elements of ``a`` (a dim of size > 1 with stride 0)?"""
    return not _dense(a) and any(n > 1 and s == 0 for n, s in zip(a.shape, a.strides))


def _same_data(a, b):
    return (a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and a.strides == b.strides
            and a.shape == b.shape and a.dtype == b.dtype)


def _dense(a):
    """Does ``a`` cover a block of memory exactly, each element once (in any order of its dims)?"""
    step = a.itemsize
    for stride, n in sorted((abs(s), n) for n, s in zip(a.shape, a.strides) if n != 1):
        if stride != step:
            return False
        step *= n
    return True


def _overlap(a, b):
    """How the memory of arrays ``a`` and ``b`` overlaps, as PyTorch tells it: "full" (the same block, seen
    with the same strides), "partial", "none", or "unknown" when either is not dense."""
    if a.size == 0 or b.size == 0 or not np.may_share_memory(a, b):
        return "none"
    if not (_dense(a) and _dense(b)):
        return "unknown"
    a_start, b_start = a.__array_interface__["data"][0], b.__array_interface__["data"][0]
    a_start, b_start = a_start + min(0, *_low(a)), b_start + min(0, *_low(b))
    if a_start == b_start and a.nbytes == b.nbytes:
        return "full" if _same_strides(a, b) else "partial"
    return "partial" if a_start < b_start + b.nbytes and b_start < a_start + a.nbytes else "none"


def _same_strides(a, b):
    """PyTorch compares the strides of two views of one block. A new dim of size 1 (``x[None]``,
    ``unsqueeze``, ``expand``) has stride 0 in numpy, but in PyTorch the size times stride of the dim after
    it: those are compared as PyTorch has them. (Single elements: numpy's strides, which agree with what
    PyTorch decides for them in every case the tests hold.)"""
    if a.size == 1:
        return a.strides == b.strides
    return a.ndim == b.ndim and _pytorch_strides(a) == _pytorch_strides(b)


def _pytorch_strides(a):
    strides = list(a.strides)
    for d in reversed(range(a.ndim)):
        if a.shape[d] == 1 and strides[d] == 0:
            strides[d] = a.shape[d + 1] * strides[d + 1] if d + 1 < a.ndim else a.itemsize
    return strides


def _low(a):
    return [(n - 1) * s for n, s in zip(a.shape, a.strides) if s < 0] or [0]


def single_mask(index):
    """Is the advanced index one bool mask (PyTorch then puts a single value in as masked_fill_ does)?"""
    arrays = [p for p in index if not (isinstance(p, slice) and p == slice(None))]
    return len(arrays) == 1 and isinstance(arrays[0], np.ndarray) and arrays[0].dtype == np.bool_


def _becomes_output(x, result, node):
    """The op's output is ``x`` now, not ``result``: what the node saved of its output is x (so that a later
    in-place change of x is caught), at x's new version."""
    for saved in node._saved:
        if saved is not None and saved.tensor is result:
            saved.tensor, saved.version = x, x._version


def _fits(x, other):
    """Does ``other`` broadcast to x's shape (so the result has x's shape)?"""
    a, b = x._data.shape, other._data.shape
    return len(b) <= len(a) and all(n in (1, m) for m, n in zip(a[::-1], b[::-1]))


from .. import views  # noqa: E402  (views uses the ops, and in-place ops on views use it)
