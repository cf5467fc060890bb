"""Differences that are not autograd_nb's to fix.

Each entry: an id, the reason in one line, and a predicate ``matches(mismatch, program)`` that recognises
it. A program whose first difference matches an entry is counted under that entry, not as a failure.

Keep this list for what lies outside autograd_nb: PyTorch crashing or hanging, random numbers (the two
libraries draw different ones by design), PyTorch's own ZeroTensor. Memory addresses need no entry: ``worker.normalise`` takes them
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
    Known("torch-zerotensor", "PyTorch's internal ZeroTensor (a gradient known to be zero, e.g. abs's second "
          "derivative) cannot even be read as numbers in PyTorch; autograd_nb gives ordinary zeros",
          lambda m, p: "ZeroTensor" in m.expected),
)


def _after_create_graph(m, p):
    return m.field == "grad_fn" and any("create_graph=True" in s.src for s in p.statements[:m.step + 1])


# The differences the project states as intended (docs/differences.md). They are NOT in KNOWN: the fuzzer
# reports them unless run with --accept-documented, so that keeping them stays a decision.
DOCUMENTED = (
    Known("summed-gradient-version", "docs/differences.md: a gradient summed from several paths has _version 0 "
          "(PyTorch adds in place when nothing else holds it: 1)",
          lambda m, p: m.field == "version" and "grad" in m.op),
    Known("graph-of-a-gradient", "docs/differences.md: the graph that create_graph=True records is made of the "
          "backward formulas as autograd_nb writes them (other node names, same values)", _after_create_graph),
    Known("result-layout", "docs/differences.md: op results are laid out row-major, so reshape may be a view "
          "(ViewBackward0) where PyTorch's result needed ReshapeAliasBackward0",
          lambda m, p: m.field == "grad_fn" and m.expected.startswith("('ReshapeAliasBackward0'")
          and m.got.startswith("('ViewBackward0'")),
    Known("view-of-a-base-that-stopped", "docs/differences.md: a view keeps its node when its base stopped "
          "requiring grad and then changed (PyTorch: AsStridedBackward0 with no edge)",
          lambda m, p: m.field == "grad_fn" and m.expected == "('AsStridedBackward0', ((None, 0),))"),
    Known("argument-parsing", "docs/differences.md: a missing or wrongly typed argument gets Python's TypeError "
          "wording, not PyTorch's argument parser's",
          lambda m, p: m.field == "error-message" and m.expected.startswith("TypeError")
          and m.got.startswith("TypeError")),
)


def classify(mismatch, program, registry=KNOWN):
    """The id of the entry that explains ``mismatch``, or None."""
    for entry in registry:
        if entry.matches(mismatch, program):
            return entry.id
    return None
