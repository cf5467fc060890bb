"""Forward-mode automatic differentiation: push a tangent *forward* alongside the values.

Reverse mode (``backward``) computes vᵀ·J: one pass per output direction. Forward mode computes J·u:
one pass per input direction u. Each operation's ``jvp`` turns the tangents of its inputs into the
tangent of its output, while forward computes the value, so no graph needs to be kept.

    with forward_ad.dual_level():
        x = forward_ad.make_dual(primal, tangent)   # x carries (value, direction)
        y = f(x)
        value, jvp = forward_ad.unpack_dual(y)      # jvp = J·tangent
"""
import collections

from .. import forward_mode
from ..grad_mode import no_grad
from ..tensor import Tensor

UnpackedDualTensor = collections.namedtuple("UnpackedDualTensor", ["primal", "tangent"])


def enter_dual_level():
    """Start a level in which tangents travel with values. Levels do not nest (as in PyTorch)."""
    return forward_mode.open_level()


def exit_dual_level(level=None):
    """End the level: every tangent made inside it is dropped."""
    forward_mode.close_level()


class dual_level:
    """``with dual_level():`` — the region in which dual tensors exist."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def make_dual(tensor, tangent, level=None):
    """A tensor with the values of ``tensor`` that carries ``tangent`` as its direction."""
    if not forward_mode.is_active():
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the original Tensor, this "
            f"is not supported. Tensor is of size [{', '.join(map(str, tensor.shape))}] while the given forward "
            f"gradient is of size [{', '.join(map(str, tangent.shape))}]."
        )
    if not tensor.dtype.is_floating_point:
        raise ValueError("Expected primal to be floating point or complex, but got: " + repr(tensor.dtype))
    dual = tensor.view(tensor.shape) if tensor.requires_grad else tensor.detach()
    if tangent._base is not None:  # a view of another tensor: PyTorch keeps a copy; any other tangent as it is
        with no_grad():
            tangent = tangent.clone()
    forward_mode.attach(dual, tangent)
    return dual


def unpack_dual(tensor, level=None):
    """``(primal, tangent)``: the values, and the direction carried (None if there is none)."""
    tangent = tensor._tangent if forward_mode.is_active() else None
    primal = Tensor(tensor._data)
    primal._grad_fn, primal._output_nr, primal._requires_grad = tensor.grad_fn, tensor._output_nr, tensor._requires_grad
    primal._version_counter = tensor._version_counter
    return UnpackedDualTensor(primal, tangent)
