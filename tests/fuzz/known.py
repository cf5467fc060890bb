"""Differences that are not autograd_nb's to fix.

Each entry: an id, the reason in one line, and a predicate ``matches(mismatch, program)`` that recognises
it. A program whose first difference matches an entry is counted under that entry, not as a failure.

Keep this list for what lies outside autograd_nb: PyTorch crashing or hanging, random numbers (the two
libraries draw different ones by design). Memory addresses need no entry: ``worker.normalise`` takes them
out of every message. A behaviour of autograd_nb that differs from PyTorch is a bug to fix, not an entry
here, even when it is on purpose: those go in ``DOCUMENTED`` below, which is only consulted on request.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Known:
    id: str
    reason: str
    matches: Callable  # (Mismatch, Program) -> bool


KNOWN = (
    Known("torch-crashed", "PyTorch itself died (e.g. a segfault) or hung on the program: nothing to compare",
          lambda m, p: m.field == "torch-crashed"),
    Known("random-numbers", "torch.rand*/randn* draw from different generators in the two libraries",
          lambda m, p: any("torch.rand" in s.src for s in p.statements[:m.step + 1])),
)


def _views_refused(m, p):
    return m.field.startswith("error-only-ours") and "view" in m.got.lower() and "in-place" in m.got.lower()


def _reshape_copies(m, p):
    return m.field == "grad_fn" and "UnsafeViewBackward0" in m.expected


# The differences the project states as intended (README.md's "Where autograd_nb differs from PyTorch",
# tests/test_graph_parity.py's docstring). They are NOT in KNOWN: the fuzzer reports them unless run with
# --accept-documented, so that keeping them stays a decision.
DOCUMENTED = (
    Known("inplace-on-view-refused", "README: in-place ops on views of tensors in a graph are refused",
          _views_refused),
    Known("reshape-of-non-contiguous", "test_graph_parity.py: reshape of a non-contiguous tensor records "
          "ViewBackward0 where PyTorch records UnsafeViewBackward0 of CloneBackward0", _reshape_copies),
)


def classify(mismatch, program, registry=KNOWN):
    """The id of the entry that explains ``mismatch``, or None."""
    for entry in registry:
        if entry.matches(mismatch, program):
            return entry.id
    return None
