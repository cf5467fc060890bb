"""Views and in-place changes: how autograd keeps a view's history and its base's history in step.

A *view* (``x[0]``, ``x.t()``, ``x.view(...)``) looks into its base's memory: ``view._base`` is the tensor
that owns the memory, and the two share one version counter. When either is changed in place, the
other's values change too, and so must its history. PyTorch handles both directions, and so does this
module:

* **In place on a view** (``a[1:].mul_(3)``): the base's values changed. Its new history is a
  ``CopySlices`` node: the base's old history outside the view's region, and the in-place op's
  backward inside it. The view itself is then a piece of the new base (next point).
* **In place on the base, or on another view of it**: the view's values came from the new ones. The next
  time anyone asks for the view's ``grad_fn``, the view gets a fresh node, ``AsStridedBackward0``, that
  takes its piece out of the base's current history (``refresh``). A view knows it is out of date because
  the shared version counter has moved on since its node was made.

Both nodes need the view's place in its base: for each element of the view, which element of the base
it is (``positions``). That is worked out from the arrays' memory addresses and strides, the way PyTorch's
``as_strided`` describes a view, and only when one of these cases happens.
"""
import numpy as np

from . import ops
from .function import Function
from .grad_mode import enable_grad
from .hooks import move_retained_grad
from .tensor import Tensor


def positions(view):
    """For each element of ``view``, the flat (row-major) index of the element of ``view._base`` that shares
    its memory: an integer array of the view's shape."""
    base_array = view._base._data
    base_bytes = _byte_offsets(base_array, base_array)
    order = np.argsort(base_bytes, axis=None, kind="stable")
    found = np.searchsorted(base_bytes.reshape(-1)[order], _byte_offsets(view._data, base_array))
    return order[found]


def _byte_offsets(array, memory):
    """The byte offset, from the start of ``memory``, of each element of ``array`` (a view into it)."""
    start = array.__array_interface__["data"][0] - memory.__array_interface__["data"][0]
    offsets = np.full(array.shape, start, dtype=np.int64)
    for d, (n, stride) in enumerate(zip(array.shape, array.strides)):
        offsets = offsets + (np.arange(n, dtype=np.int64) * stride).reshape([-1 if i == d else 1
                                                                           for i in range(array.ndim)])
    return offsets


class AsStrided(Function):
    """z = the view's elements, taken from its base      ∂z/∂base: the gradient put back at the view's places"""

    node_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, base, view, places):
        # ``view`` (wrapped, so it gets no edge) is returned as it is: its values already are the base's
        ctx.base_shape, ctx.places = base.shape, places
        return view.tensor

    @staticmethod
    def backward(ctx, grad):
        return _put_back(grad, ctx.places, ctx.base_shape), None, None


class CopySlices(Function):
    """base after an in-place op on its view: z = base outside the view, op(view, ...) inside
    ∂z/∂base = the gradient outside the view, and the op's backward of it inside; ∂z/∂(op's other inputs)"""

    node_name = "CopySlices"
    cpp_name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, base_before, base, op_node, places, *others):
        # the values are written already (into the base's memory): the base comes back as it is
        ctx.op_node, ctx.shape = op_node, base_before.shape
        ctx.save_for_backward(Tensor(places))  # (saved, so that a second backward without retain_graph fails)
        ctx._inner_nodes = (op_node,)  # freed with this node
        return base.tensor

    @staticmethod
    def backward(ctx, grad):
        (places,) = ctx.saved_tensors
        places = places._data
        inside = grad.reshape(-1)[places.reshape(-1)].reshape(places.shape)  # the view's part of the gradient
        op_grads = ctx.op_node.apply((inside,))  # the in-place op's own backward: (for the view, for the others)
        outside = ops.where(_inside_mask(places, ctx.shape), 0.0, grad)  # chosen, not multiplied (inf * 0 is nan)
        for_base = outside if op_grads[0] is None else outside + _put_back(op_grads[0], places, ctx.shape)
        return (for_base, None, None, None) + tuple(op_grads[1:])


def _put_back(grad, places, shape):
    """A gradient for the base: zeros, with ``grad`` added at the view's ``places``."""
    return ops.Unindex.apply(grad.reshape(-1), (int(np.prod(shape)),), (places.reshape(-1),)).reshape(shape)


def _inside_mask(places, shape):
    mask = np.zeros(int(np.prod(shape)), dtype=bool)
    mask[places.reshape(-1)] = True
    return Tensor(mask.reshape(shape))


def _as_the_op_saw_them(op_node, others):
    """Stand-ins for the op's other inputs with the edges its node took, before anything was written (asking
    a view of this base for its grad_fn now would already give it a fresh node)."""
    stand_ins = []
    for t, (node, nr) in zip(others, op_node.next_functions[1:]):
        s = Tensor(t._data)
        s._grad_fn, s._output_nr = node, nr
        if node is None and t.requires_grad:  # a view of a base that began to require grad after it was made:
            s._base, s._version_counter, s._view_version = t, t._version_counter, t._version  # no edge, but
        stand_ins.append(s)  # it requires grad (through its "base"), so that CopySlices is recorded all the same
    return stand_ins


class _Held:
    """A tensor passed to a Function as a plain value: it gets no edge in the graph."""

    def __init__(self, tensor):
        self.tensor = tensor


NO_GRAD_VIEW_ADVICE = (
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving "
    "both the view and the inplace either both inside the no_grad block (if you don't want the inplace to be "
    "tracked) or both outside (if you want the inplace to be tracked).")


def refresh(view):
    """The view's base was changed in place since the view's node was made: give the view a fresh node
    (``AsStridedBackward0``) on the base's current history, as PyTorch does when ``grad_fn`` is read.
    (A base that does not require grad leaves the view as it is, until it does.)"""
    base = view._base
    if not base.requires_grad:
        return
    if view._no_grad_view:
        raise RuntimeError(view._no_grad_view + " and its base or another view of its base has been modified "
                           "inplace with grad mode enabled. " + NO_GRAD_VIEW_ADVICE)
    view._view_version = view._version_counter[0]
    old_node, old_nr = view._grad_fn, view._output_nr
    with enable_grad():
        AsStrided.apply(base, _Held(view), positions(view))
    move_retained_grad(view, view._grad_fn, old_node, old_nr)


def rebase(view, op_node, others):
    """In place on ``view`` recorded ``op_node`` (its first input: the view as it was). The base's history
    becomes ``CopySlices`` around it; the view then takes its piece from that (``refresh``)."""
    base = view._base
    others = _as_the_op_saw_them(op_node, others)
    with enable_grad():
        CopySlices.apply(base._snapshot(), _Held(base), op_node, positions(view), *others)
    view._view_version = -1  # out of date on purpose: the next read of view.grad_fn refreshes it
