"""``nn.Parameter``: a tensor that a ``Module`` recognises as one of its learnable weights.

A Parameter is an ordinary leaf tensor with two differences:

* it requires grad unless you say otherwise (``Parameter(t, requires_grad=False)``);
* assigning it to a module attribute (``self.weight = Parameter(...)``) registers it, so it shows up in
  ``module.parameters()`` and from there in the optimizer.

It shares memory with the tensor it wraps, prints as ``Parameter containing:`` followed by the tensor,
and everything computed from it is a plain ``Tensor`` again. PyTorch: ``torch.nn.Parameter``.
"""
import numpy as np

from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and that modules register as a weight."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = Tensor(np.empty(0, dtype=np.float32))
        data = data.detach()  # PyTorch does the same: a non-Tensor fails here with its own message
        super().__init__(data._data)  # no copy: the Parameter shares memory with ``data``
        self._version_counter = data._version_counter
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        """``copy.deepcopy(model)`` copies the values and ``requires_grad``, not ``.grad`` (as PyTorch)."""
        if id(self) not in memo:
            memo[id(self)] = Parameter(Tensor(self._data.copy()), self.requires_grad)
        return memo[id(self)]


def clear_grads(params, set_to_none=True):
    """Forget the gradients of ``params``: ``.grad = None`` (default) or fill them with zeros in place.

    ``Module.zero_grad`` and ``Optimizer.zero_grad`` both come here.
    """
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            if p.grad.grad_fn is not None:
                p.grad.detach_()
            else:
                p.grad.requires_grad_(False)
            p.grad.zero_()
