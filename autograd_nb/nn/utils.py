"""``autograd_nb.nn.utils``: gradient clipping, called between ``backward()`` and ``optimizer.step()``.

* ``clip_grad_norm_``: if the gradients of all the parameters together (one long vector) are longer than
  ``max_norm``, scale them all down by the same factor, so the step keeps its direction but not its size;
* ``clip_grad_value_``: clamp every gradient element to [-clip_value, clip_value].

Both change ``.grad`` in place and record nothing. PyTorch: ``torch.nn.utils.clip_grad_norm_``, ...
"""
import math

from .. import creation
from ..grad_mode import no_grad
from ..ops import stack, vector_norm
from ..tensor import Tensor


def _grads(parameters):
    """The gradients of ``parameters`` (one tensor or an iterable of them) that exist."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale the gradients by min(1, max_norm / (total + 1e-6)), total being the ``norm_type``-norm of the norms of
    each gradient (the norm of all gradients as one vector). Returns that total norm."""
    grads = _grads(parameters)
    if not grads:
        return creation.tensor(0.0)
    norm_type = float(norm_type)
    with no_grad():
        total = vector_norm(stack([vector_norm(g, norm_type) for g in grads]), norm_type)
        if error_if_nonfinite and not math.isfinite(total.item()):
            raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                               "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                               "norm anyway, set `error_if_nonfinite=False`")
        factor = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(factor.to(g.dtype))
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)
