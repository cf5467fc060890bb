"""Warnings PyTorch gives once per process (its ``TORCH_WARN_ONCE``), unless ``torch.set_warn_always(True)``.

Among them: ``backward(create_graph=True)``'s reference-cycle warning and the deprecated uses of ``x.T``.
"""
import warnings

_warn_always = False
_given = set()  # the messages given so far


def set_warn_always(b):
    """True: give the warn-once warnings every time (PyTorch: ``torch.set_warn_always``)."""
    global _warn_always
    _warn_always = bool(b)


def is_warn_always_enabled():
    return _warn_always


def warn_once(message, stacklevel=2):
    """A UserWarning, the first time this message comes up in the process (every time with warn-always)."""
    if _warn_always or message not in _given:
        _given.add(message)
        warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)
