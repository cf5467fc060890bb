"""Saved tensors: what ``ctx.save_for_backward`` keeps, with the version each tensor had then.

Every in-place change bumps a tensor's version counter (``tensor._version``). When backward unpacks a
saved tensor whose version moved on, the values it needs are gone: it raises PyTorch's error instead of
computing a wrong gradient (lesson 6).

What unpacking gives back is PyTorch's answer too. A saved input comes back as the very tensor that was
saved. A saved *output* of the node comes back as a new tensor object with the same values and the same
place in the graph (PyTorch keeps only an output's data, so that a node and its output do not hold on to
each other): ``y.grad_fn._saved_result is y`` is False.

``torch.autograd.graph.saved_tensors_hooks(pack, unpack)`` changes what is kept: inside the block, each
tensor a recorded node saves is kept as ``pack(tensor)``, and unpacking gives ``unpack(packed)`` back as a
new tensor with the saved one's place in the graph. What the hooks keep is theirs: nothing is checked for
in-place changes then.
"""
from . import forward_mode
from .grad_mode import no_grad
from .inference import NO_VERSION, SAVED_MESSAGE

hooks = []  # (pack, unpack) of each open saved_tensors_hooks block: the innermost one applies (autograd/graph.py)

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call .backward() "
    "or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time "
    "or if you need to access saved tensors after calling backward."
)


class SavedTensor:
    """A tensor saved for backward, and the version it had then."""

    __slots__ = ("tensor", "version", "output_of", "packed", "unpack_hook", "place")

    def __init__(self, tensor):
        if tensor._version_counter is NO_VERSION:
            raise RuntimeError(SAVED_MESSAGE)
        self.tensor = tensor
        self.version = tensor._version_counter[0]
        self.output_of = None  # (node, nr) when the tensor is output nr of the node that saved it
        self.unpack_hook = None

    def unpack(self):
        """The tensor, if it has not been changed in place since it was saved (a saved output: a new tensor
        object for it)."""
        if self.unpack_hook is not None:
            return self._unpack_with_hook()
        t = self.tensor
        if t._version_counter[0] != self.version:
            # PyTorch names the node that made the tensor: for a saved output the saving node itself,
            # otherwise whatever grad_fn the tensor has now
            grad_fn, output_nr = self.output_of or (t.grad_fn, t._output_nr)
            raise RuntimeError(modified_message(t, self.version, grad_fn, output_nr))
        if self.output_of is None:
            return t
        return _stand_in(t, (*self.output_of, False, None))

    def pack(self, pack_hook, unpack_hook):
        """Keep ``pack_hook(tensor)`` instead of the tensor, and where in the graph the tensor was (called once
        the node is recorded, so that a saved output already has its grad_fn, as in PyTorch)."""
        t = self.tensor
        version = t._version_counter[0]
        with no_grad():  # (PyTorch runs pack hooks with grad mode off)
            self.packed = pack_hook(t)
        if t._version_counter[0] != version:
            raise RuntimeError("A saved tensor pack hook is modifying its input in place. Tensors provided as input "
                               "to pack hook cannot be modified by in-place operations as this can lead to "
                               "unexpected side-effects. Please open an issue if you need to perform in-place "
                               "operations on the input to a pack hook.")
        if self.output_of is not None:
            self.place = (*self.output_of, False, None)
        else:
            self.place = (t.grad_fn, t._output_nr, t._requires_grad, t._accumulator() if t._requires_grad else None)
        self.unpack_hook, self.tensor = unpack_hook, None

    def register_hooks(self, pack_hook, unpack_hook):
        """Hooks for this one saved tensor (``y.grad_fn._raw_saved_self.register_hooks(pack, unpack)``): it is
        packed now, from its values alone, and unpacked when backward asks for it."""
        if self.unpack_hook is not None:
            raise RuntimeError("Calling register_hooks on a saved tensor whose hooks have already been set. Hint: "
                               "only one pair of hooks is allowed at a time.")
        self.pack(lambda t: pack_hook(t.detach()), unpack_hook)

    def _unpack_with_hook(self):
        from .tensor import Tensor  # (the Tensor's module imports this one, through function.py)

        t = self.unpack_hook(self.packed)
        if not isinstance(t, Tensor):
            raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got result of type "
                            f"{type(t).__name__}")
        return _stand_in(t, self.place)


class _Freed:
    """What ``_raw_saved_self`` gives once backward has freed the saved tensors."""

    def register_hooks(self, pack_hook, unpack_hook):
        raise RuntimeError("Calling register_hooks on a saved tensor after it has been freed. Saved intermediate "
                           "values of the graph are freed when you call .backward() or autograd.grad(). Specify "
                           "retain_graph=True if you need to backward through the graph a second time or if you need "
                           "to access saved variables after calling backward.")


FREED_SAVED_TENSOR = _Freed()


def pack_with_hooks(saved):
    """The innermost saved_tensors_hooks block packs each tensor a node just saved."""
    pack_hook, unpack_hook = hooks[-1]
    for s in saved:
        if s is not None:
            s.pack(pack_hook, unpack_hook)


def _stand_in(t, place):
    """A new tensor with t's values (and version counter) at ``place`` in the graph: ``(grad_fn, output_nr,
    requires_grad, accumulator)``, where a leaf's accumulator sends gradients on to the saved leaf."""
    grad_fn, output_nr, requires_grad, accumulator = place
    out = t.detach()  # (the values and the version counter, shared)
    out._grad_fn, out._output_nr = grad_fn, output_nr
    out._requires_grad, out._grad_accumulator = requires_grad, accumulator
    if t._tangent is not None:  # forward mode: the tangent travels with the values
        forward_mode.attach(out, t._tangent)
    return out


def modified_message(t, expected, grad_fn, output_nr):
    """PyTorch's message for a saved tensor that was changed in place."""
    where = ""
    if grad_fn is not None:
        op = grad_fn.name()  # PyTorch's forward name: "ExpBackward0" -> "Exp", "MinBackward1" -> "Min1"
        if not op.startswith("torch::") and "Backward" in op:  # (C++ names, torch::autograd::..., stay whole)
            op = op.replace("Backward0", "") if op.endswith("Backward0") else op.replace("Backward", "")
        where = f", which is output {output_nr} of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{t.dtype.legacy_name} [{', '.join(map(str, t.shape))}]]{where} "
        f"is at version {t._version}; expected version {expected} instead. Hint: enable anomaly "
        "detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )

