"""``autograd_nb.func``: derivatives and batching as function transforms, PyTorch's ``torch.func``.

* ``transforms.py``: ``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd``, ``hessian``,
  built on ``autograd.grad`` (so they compose: ``grad(grad(f))``, ``hessian``, ``vmap(grad(f))``)
* ``vmap.py``: ``vmap``, a loop over the batch dimension
* ``functional_call.py``: a module called with other tensors as its weights
* ``pytree.py``: dicts, lists and tuples of tensors as arguments and results
"""
from .functional_call import functional_call
from .transforms import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp
from .vmap import vmap

__all__ = ["functional_call", "grad", "grad_and_value", "hessian", "jacfwd", "jacrev", "jvp", "vjp", "vmap"]
