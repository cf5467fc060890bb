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
import weakref

from .. import grad_mode

UnpackedDualTensor = collections.namedtuple("UnpackedDualTensor", ["primal", "tangent"])


class _State:
    level = None  # the active dual level (an int), or None outside ``dual_level``
    duals = None  # weak references to every tensor given a tangent at this level (to clear at exit)


_state = _State()


def enter_dual_level():
    """Start a level in which tangents travel with values. Levels do not nest (as in PyTorch)."""
    if _state.level is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _state.level = 0
    _state.duals = []
    return 0


def exit_dual_level(level=None):
    """End the level: every tangent made inside it is dropped."""
    for ref in _state.duals or ():
        t = ref()
        if t is not None:
            t._tangent = None
    _state.level = None
    _state.duals = None


class dual_level:
    """``with dual_level():`` — the region in which dual tensors exist."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False


def _attach(t, tangent):
    t._tangent = tangent
    _state.duals.append(weakref.ref(t))


def make_dual(tensor, tangent, level=None):
    """A tensor with the values of ``tensor`` that carries ``tangent`` as its direction."""
    if _state.level is None:
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
    with grad_mode.no_grad():
        _attach(dual, tangent.to(tensor.dtype).detach())
    return dual


def unpack_dual(tensor, level=None):
    """``(primal, tangent)``: the values, and the direction carried (None if there is none)."""
    from ..tensor import Tensor

    tangent = tensor._tangent if _state.level is not None else None
    primal = Tensor(tensor._data)
    primal.grad_fn, primal._output_nr, primal._requires_grad = tensor.grad_fn, tensor._output_nr, tensor._requires_grad
    primal._version_counter = tensor._version_counter
    return UnpackedDualTensor(primal, tangent)


def propagate(function, ctx, args, outputs):
    """Called by ``Function.apply`` when an input carries a tangent: run ``function.jvp`` on the tangents."""
    from ..creation import zeros_like
    from ..tensor import Tensor

    tangents = tuple(
        (a._tangent if a._tangent is not None else zeros_like(a)) if isinstance(a, Tensor) else None for a in args
    )
    previous, level = grad_mode._state.enabled, _state.level
    grad_mode._state.enabled = False
    _state.level = None  # the jvp formula itself works on plain values: no tangents of tangents
    try:
        result = function.jvp(ctx, *tangents)
    finally:
        grad_mode._state.enabled, _state.level = previous, level
    result = result if isinstance(result, tuple) else (result,)
    for out, t in zip(outputs, result):
        if t is not None and out.dtype.is_floating_point:
            _attach(out, t if t.shape == out.shape else t.expand(out.shape).clone())
