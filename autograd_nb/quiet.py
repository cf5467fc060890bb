"""``with quiet:``: numpy's floating-point warnings off while an operation runs.

PyTorch returns ``inf`` for ``exp(1000.)`` and ``nan`` for ``log(-1.)`` without a word; numpy would print
"RuntimeWarning: overflow encountered in exp". Every operation therefore runs inside ``with quiet:``
(see ``Function.apply``), and so does a whole backward pass (``engine.py``).

Only the outermost ``with`` changes numpy's settings; the ones nested inside it (each operation a backward
pass runs) just count, which costs next to nothing. Outside any ``with quiet:`` numpy behaves as you set
it: autograd_nb never changes your own ``np.seterr``.
"""
import functools

import numpy as np


def _silence_public():
    """Switch the warnings off the public way; returns what ``_restore_public`` needs."""
    state = np.errstate(all="ignore")
    state.__enter__()
    return state


def _restore_public(state):
    state.__exit__(None, None, None)


try:
    # numpy 2 keeps the settings of ``np.errstate`` in a context variable. Setting that variable directly
    # does what ``with np.errstate(all="ignore")`` does at an eighth of the cost (0.16 µs instead of
    # 1.2 µs here), which matters because it happens once for every operation you write.
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _silence = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))  # returns a token
    _restore = _extobj_contextvar.reset  # takes the token back

except ImportError:  # numpy 1.x
    _silence, _restore = _silence_public, _restore_public


class Quiet:
    """The context manager behind ``quiet`` (there is one, shared by everything)."""

    depth = 0  # how many ``with quiet:`` blocks are open
    _token = None  # what restores numpy's settings when the outermost block ends

    def __enter__(self):
        if self.depth == 0:
            self._token = _silence()
        self.depth += 1

    def __exit__(self, *exc):
        self.depth -= 1
        if self.depth == 0:
            _restore(self._token)
            self._token = None


quiet = Quiet()
