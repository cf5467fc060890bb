"""Saved tensors: what ``ctx.save_for_backward`` keeps, with the version each tensor had then.

Every in-place change bumps a tensor's version counter (``tensor._version``). When backward unpacks a
saved tensor whose version moved on, the values it needs are gone: it raises PyTorch's error instead of
computing a wrong gradient (lesson 6).
"""

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call .backward() "
    "or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time "
    "or if you need to access saved tensors after calling backward."
)


class SavedTensor:
    """A tensor saved for backward, and the version it had then."""

    __slots__ = ("tensor", "version", "output_of")

    def __init__(self, tensor):
        self.tensor = tensor
        self.version = tensor._version_counter[0]
        self.output_of = None  # (node, nr) when the tensor is output nr of the node that saved it

    def unpack(self):
        """The tensor, if it has not been changed in place since it was saved."""
        t = self.tensor
        if t._version_counter[0] != self.version:
            # PyTorch names the node that made the tensor: for a saved output the saving node itself,
            # otherwise whatever grad_fn the tensor has now
            grad_fn, output_nr = self.output_of or (t.grad_fn, t._output_nr)
            raise RuntimeError(modified_message(t, self.version, grad_fn, output_nr))
        return t


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
