"""Grad mode: the switch that decides whether operations are recorded into the graph.

``no_grad()`` turns recording off (the optimizer's ``w -= lr * w.grad`` must not become part of the
graph); ``enable_grad()`` turns it back on; ``set_grad_enabled(mode)`` sets it either way. Each works as a
context manager and as a function decorator, as in PyTorch. ``Function.apply`` reads the switch with
``is_grad_enabled()``; it and the engine flip it with ``_set_grad_enabled`` (PyTorch:
``torch._C._set_grad_enabled``).
"""
import functools

_enabled = True


def is_grad_enabled():
    """True when new operations are recorded into the autograd graph."""
    return _enabled


def _set_grad_enabled(mode):
    """The switch itself: everything below (and ``Function.apply``, and the engine) goes through here."""
    global _enabled
    _enabled = mode


class set_grad_enabled:
    """Set grad mode on or off: right away, and back to what it was when used as a ``with`` block ends."""

    def __init__(self, mode):
        self.prev = _enabled
        self.mode = bool(mode)
        _set_grad_enabled(self.mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _set_grad_enabled(self.prev)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(self.mode):
                return fn(*args, **kwargs)

        _set_grad_enabled(self.prev)  # used as a decorator: the constructor's switch must not stick
        return wrapper


class _GradModeContext:
    """Base of ``no_grad`` and ``enable_grad``: switch to ``mode`` inside the block, restore after."""

    mode = True

    def __enter__(self):
        self.prev = _enabled
        _set_grad_enabled(self.mode)

    def __exit__(self, *exc):
        _set_grad_enabled(self.prev)
        return False

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Inside ``with no_grad():`` nothing is recorded: results have ``requires_grad=False``."""

    mode = False


class enable_grad(_GradModeContext):
    """Turn recording back on inside a ``no_grad`` block."""

    mode = True
