"""``autograd_nb.autograd``: the engine's entry points and the Function base class, as in PyTorch."""
from ..engine import backward, grad
from ..function import Function
from ..grad_mode import enable_grad, no_grad, set_grad_enabled

__all__ = ["Function", "backward", "grad", "no_grad", "enable_grad", "set_grad_enabled"]
