"""Running programs in both libraries and judging the two records."""
from collections import deque
from dataclasses import dataclass, field

from . import known
from .compare import Mismatch, compare
from .generator import Program, generate

LIBRARIES = ("torch", "autograd_nb")


@dataclass
class Outcome:
    program: Program
    mismatches: list  # the first differing statement's Mismatches ([] when the records agree)
    statements_run: int  # by PyTorch (the reference)
    known_id: str = None  # set when the first mismatch is in the registry
    records: tuple = field(default=None, repr=False)

    @property
    def first(self):
        return self.mismatches[0] if self.mismatches else None

    @property
    def failed(self):
        """A difference that no registry entry explains."""
        return bool(self.mismatches) and self.known_id is None

    @property
    def torch_crashed(self):
        return self.first is not None and self.first.field == "torch-crashed"


def judge(program, expected, got, self_test=False, registry=known.KNOWN, all_differences=False):
    """Compare two records of ``program``: PyTorch's (``expected``) and the other side's (``got``, PyTorch's
    again under ``self_test``). A dead or hung PyTorch is never a mismatch of ours."""
    ops = [s.op for s in program.statements]
    crashed = [("torch" if k == 0 or self_test else "autograd_nb", r["died"])
               for k, r in enumerate((expected, got)) if "died" in r]
    run = len(expected.get("steps", ()))
    if any(who == "torch" for who, _ in crashed):
        why = next(d for who, d in crashed if who == "torch")
        m = Mismatch(-1, "program", "torch-crashed", "", why, "(not compared)")
        mismatches = [m]
    elif crashed:
        m = Mismatch(len(got.get("steps", ())), "program", "crash", "", "ran", crashed[0][1])
        mismatches = [m]
    else:
        mismatches = compare(ops, expected, got, all_differences)
    known_id = known.classify(mismatches[0], program, registry) if mismatches else None
    return Outcome(program, mismatches, run, known_id, (expected, got))


def run_sources(pool, sources, self_test=False):
    """Both records of one program (as source strings), run in parallel."""
    second = "torch" if self_test else LIBRARIES[1]
    fa = pool.submit("torch", sources, lane=0)
    fb = pool.submit(second, sources, lane=1)
    return fa.result(), fb.result()


def run_program(pool, program, self_test=False, registry=known.KNOWN):
    expected, got = run_sources(pool, program.sources, self_test)
    return judge(program, expected, got, self_test, registry)


def run_many(pool, programs, self_test=False, registry=known.KNOWN, in_flight=8):
    """Outcomes of ``programs`` in order, keeping a few programs in flight so every child stays busy."""
    second = "torch" if self_test else LIBRARIES[1]
    pending = deque()
    programs = iter(programs)
    while True:
        while len(pending) < in_flight:
            p = next(programs, None)
            if p is None:
                break
            pending.append((p, pool.submit("torch", p.sources, lane=0), pool.submit(second, p.sources, lane=1)))
        if not pending:
            return
        p, fa, fb = pending.popleft()
        yield judge(p, fa.result(), fb.result(), self_test, registry)


def programs_for(seed, count, start=0):
    return (generate(seed, i) for i in range(start, start + count))

