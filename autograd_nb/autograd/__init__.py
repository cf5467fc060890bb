"""``autograd_nb.autograd``: the engine's entry points and the Function base class, as in PyTorch.

* ``backward``, ``grad``: run the engine (``engine.py``)
* ``Function``: define an operation with its own backward (``function.py``)
* ``functional``: Jacobians, Hessians, vjp/jvp/hvp/vhp built from ``grad`` (``autograd/functional.py``)
* ``gradcheck``, ``gradgradcheck``: compare backward with finite differences (``autograd/gradcheck.py``)
* ``forward_ad``: forward-mode AD with dual tensors (``autograd/forward_ad.py``)
* ``trace``: record what one backward pass does, step by step (``autograd/trace.py``)
* ``graph``: hooks on what the graph saves for backward (``saved_tensors_hooks``, ``save_on_cpu``)
* ``profiler``: which operations and nodes ran, and for how long (``autograd/profiler.py``)
"""
from ..engine import backward, grad
from ..function import Function
from ..grad_mode import enable_grad, no_grad, set_grad_enabled
from . import forward_ad, functional, graph, profiler
from .gradcheck import gradcheck, gradgradcheck
from .trace import trace



def Variable(data, requires_grad=False, volatile=False):
    """What old code (PyTorch < 0.4) wrapped tensors in. Tensors track their history themselves now, so
    this just returns the tensor (with ``requires_grad`` set when asked), as PyTorch's does."""
    if requires_grad:
        data.requires_grad_()
    return data


__all__ = ["Variable", "Function", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "forward_ad", "functional",
           "gradcheck", "gradgradcheck", "trace", "graph", "profiler"]
