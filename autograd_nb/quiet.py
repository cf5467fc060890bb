"""``with quiet:``: numpy's floating-point warnings off while an operation runs.

PyTorch returns ``inf`` for ``exp(1000.)`` and ``nan`` for ``log(-1.)`` without a word; numpy would print
"RuntimeWarning: overflow encountered in exp". Every operation's forward therefore runs inside
``with quiet:`` (``Function.apply``), and so does a whole backward pass (``engine.py``). Outside them numpy
behaves as you set it: autograd_nb never changes your own ``np.seterr``.

Optimization: only the outermost ``with quiet:`` enters ``np.errstate`` (about 0.9 µs); the ones nested
inside it, such as every operation a backward pass runs, only count (about 0.1 µs). On the per-op
benchmark that is 1–2 µs of a 9–19 µs op.
"""
import numpy as np


class Quiet:
    """The context manager behind ``quiet`` (there is one, shared by everything)."""

    depth = 0  # how many ``with quiet:`` blocks are open
    _errstate = None  # the outermost block's np.errstate

    def __enter__(self):
        if self.depth == 0:
            self._errstate = np.errstate(all="ignore")
            self._errstate.__enter__()
        self.depth += 1

    def __exit__(self, *exc):
        self.depth -= 1
        if self.depth == 0:
            self._errstate.__exit__(None, None, None)
            self._errstate = None


quiet = Quiet()
