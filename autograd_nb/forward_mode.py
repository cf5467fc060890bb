"""The state of forward-mode AD: is a dual level open, and which tensors carry a tangent in it.

Forward mode (``autograd.forward_ad``) pushes a tangent along with each value. A tensor's tangent lives
on the tensor (``t._tangent``); this module only keeps the level and the tensors that got a tangent in
it, so that closing the level can take every tangent away again. ``Function.apply`` asks ``is_active()``
before each operation; when no level is open, forward mode costs nothing more than that question.
"""
import weakref

_level = None  # the open dual level (0), or None: forward mode is off
_duals = []  # weak references to the tensors given a tangent at this level


def is_active():
    """True inside ``forward_ad.dual_level()``."""
    return _level is not None


def open_level():
    global _level, _duals
    if _level is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level, _duals = 0, []
    return 0


def close_level():
    """Drop every tangent given at this level."""
    global _level, _duals
    for ref in _duals:
        t = ref()
        if t is not None:
            t._tangent = None
    _level, _duals = None, []


def attach(t, tangent):
    """Give tensor ``t`` a tangent at the open level."""
    t._tangent = tangent
    _duals.append(weakref.ref(t))


class paused:
    """Inside the block forward mode is off: a formula that computes tangents must not follow itself."""

    def __enter__(self):
        global _level
        self.level, _level = _level, None

    def __exit__(self, *exc):
        global _level
        _level = self.level
        return False
