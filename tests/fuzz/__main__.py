"""``python -m tests.fuzz``: run random programs in PyTorch and autograd_nb and report every difference.

    python -m tests.fuzz --programs 2000 --seed 0 --jobs 2 --minimise --out /tmp/fuzz.json
    python -m tests.fuzz --programs 2000 --seed 0 --self-test     # PyTorch against itself: must be 0

Exit status: 0 when no difference outside ``known.py`` was found, 1 otherwise.
"""
import argparse
import json
import sys
import time
from collections import Counter

from . import known
from .generator import last_line
from .minimise import minimise
from .pool import Pool
from .runner import judge, programs_for, run_many, run_sources


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    p.add_argument("--programs", type=int, default=200, help="how many programs (default 200)")
    p.add_argument("--seed", type=int, default=0, help="program i of seed s is always the same program")
    p.add_argument("--start", type=int, default=0, help="index of the first program (default 0)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--self-test", action="store_true", help="compare PyTorch with itself, in two processes")
    p.add_argument("--minimise", "--minimize", action="store_true",
                   help="shrink one program per kind (and per cause no kind's program shows)")
    p.add_argument("--accept-documented", action="store_true",
                   help="also accept the differences the project documents as intended (known.DOCUMENTED)")
    p.add_argument("--out", help="write the full report as JSON to this file")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds a program may take (default 60)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


class Report:
    """What a run found, grouped by kind of difference."""

    def __init__(self, args):
        self.args = args
        self.programs = 0
        self.statements = 0
        self.same = 0
        self.known = Counter()
        self.groups = {}  # kind -> [Outcome]
        self.minimised = {}  # kind -> (Program, Outcome, tries)
        self.minimised_causes = {}  # cause -> (Program, Outcome, tries), for the causes no kind shows

    def add(self, outcome):
        self.programs += 1
        self.statements += outcome.statements_run
        if not outcome.mismatches:
            self.same += 1
        elif outcome.known_id:
            self.known[outcome.known_id] += 1
        else:
            outcome.records = None  # thousands may be kept: not with both full records each
            self.groups.setdefault(outcome.first.kind, []).append(outcome)

    @property
    def failures(self):
        return sum(len(g) for g in self.groups.values())

    def ordered(self):
        return sorted(self.groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def representative(self, kind):
        """The smallest program of a kind: the one shown, and minimised."""
        return min(self.groups[kind], key=lambda o: (len(o.program.statements), o.program.index))

    def causes(self):
        """[(cause, programs, [kind, ...])], largest first: the programs whose first differences read the
        same whatever the op, and the kinds they fall in."""
        by_cause = {}
        for kind, outcomes in self.ordered():
            for o in outcomes:
                entry = by_cause.setdefault(o.first.cause, [0, []])
                entry[0] += 1
                if kind not in entry[1]:
                    entry[1].append(kind)
        return sorted(((c, n, kinds) for c, (n, kinds) in by_cause.items()), key=lambda t: -t[1])

    def shown_for(self, cause, kinds):
        """The kind whose snippet shows ``cause`` (its representative has it), or None."""
        return next((k for k in kinds if self.representative(k).first.cause == cause), None)

    def unshown(self):
        """[(cause, the smallest program with it)] for each cause that no kind's snippet shows."""
        out = []
        for cause, _, kinds in self.causes():
            if self.shown_for(cause, kinds) is None:
                having = [o for k in kinds for o in self.groups[k] if o.first.cause == cause]
                out.append((cause, min(having, key=lambda o: (len(o.program.statements), o.program.index))))
        return out


def same_difference(pool, first, self_test, registry):
    """Does a program still fail as ``first`` did: the same kind (field and op) and the same cause?"""
    def still_fails(program):
        outcome = judge(program, *run_sources(pool, program.sources, self_test), self_test, registry)
        return outcome.failed and outcome.first.kind == first.kind and outcome.first.cause == first.cause
    return still_fails


def minimise_groups(pool, report, registry):
    """One minimised program per kind, and one for each cause that no kind's program shows."""
    def shrink(smallest):
        still_fails = same_difference(pool, smallest.first, report.args.self_test, registry)
        program, tries = minimise(smallest.program, still_fails)
        outcome = judge(program, *run_sources(pool, program.sources, report.args.self_test),
                        report.args.self_test, registry)
        return program, outcome, tries

    for kind in report.groups:
        report.minimised[kind] = shrink(report.representative(kind))
    for cause, smallest in report.unshown():
        report.minimised_causes[cause] = shrink(smallest)


def snippet(program, outcome, self_test):
    """A runnable program with the difference written under it as comments."""
    lines = [program.text("torch").rstrip("\n")]
    m = outcome.first
    if m is not None:
        other = "PyTorch (second process)" if self_test else "autograd_nb"
        where = f"after line {last_line(program.sources, m.step)}" if m.step >= 0 else "running the program"
        op = m.op
        if op.startswith("no_grad: ") and not program.sources[m.step].startswith("with "):
            op = op[len("no_grad: "):]  # the minimiser took the statement out of its block
        lines.append(f"# run with `import autograd_nb as torch` to compare; {where} ({op})"
                     f"{', ' + m.var if m.var else ''}, {m.field}:")
        lines.append(f"#   torch:       {m.expected}")
        lines.append(f"#   {other + ':':12} {m.got}")
    return "\n".join(lines)


def render(report, elapsed, deaths):
    a = report.args
    what = "PyTorch against itself" if a.self_test else "autograd_nb against PyTorch"
    out = [f"{what}: {report.programs} programs (seed {a.seed}, programs {a.start}..{a.start + report.programs - 1}), "
           f"{report.statements} statements run, {elapsed:.0f} s with {a.jobs} workers",
           f"  same: {report.same}   different: {report.failures} in {len(report.groups)} kinds   "
           f"known: {sum(report.known.values())}"
           + (f" ({', '.join(f'{k} {n}' for k, n in report.known.most_common())})" if report.known else "")
           + f"   worker restarts: {deaths}"]
    numbers = {kind: str(n) for n, (kind, _) in enumerate(report.ordered(), 1)}
    unshown = report.unshown()
    numbers.update({cause: f"c{n}" for n, (cause, _) in enumerate(unshown, 1)})
    if report.groups:
        causes = report.causes()
        out.append("")
        out.append(f"By cause: the {len(report.groups)} kinds read as {len(causes)} differences (the same field and "
                   "messages whatever the op; [n]: the snippet below that shows it)")
        for cause, count, kinds in causes:
            shown = report.shown_for(cause, kinds) or cause
            m = next(o.first for k in kinds for o in report.groups[k] if o.first.cause == cause)
            ops = ", ".join(k.split(" @ ", 1)[1] for k in kinds[:4]) + (", ..." if len(kinds) > 4 else "")
            sides = "" if len(cause) == 1 else f": torch {_clip(m.expected)} | autograd_nb {_clip(m.got)}"
            out.append(f"  {count:5d} in {len(kinds):3d} kinds [{numbers[shown]}] {cause[0]}{sides}  (ops: {ops})")
    for kind, outcomes in report.ordered():
        ids = ", ".join(f"#{o.program.index}" for o in outcomes[:6])
        out.append("")
        out.append(f"{numbers[kind]}. {kind}: {len(outcomes)} program{'s' if len(outcomes) > 1 else ''} ({ids}"
                   f"{', ...' if len(outcomes) > 6 else ''})")
        smallest = report.representative(kind)
        if kind in report.minimised:
            program, outcome, tries = report.minimised[kind]
            out.append(f"   program #{smallest.program.index} minimised from {len(smallest.program.statements)} to "
                       f"{len(program.statements)} statements ({tries} runs):")
        else:
            program, outcome = smallest.program, smallest
            out.append(f"   smallest example, program #{smallest.program.index}:")
        out.extend("   | " + line for line in snippet(program, outcome, a.self_test).split("\n"))
    if unshown:
        out.append("")
        out.append("Causes that no snippet above shows (a kind's smallest program may fail for another cause):")
    for cause, smallest in unshown:
        out.append("")
        out.append(f"{numbers[cause]}. {smallest.first.kind}, program #{smallest.program.index}:")
        program, outcome = smallest.program, smallest
        if cause in report.minimised_causes:
            program, outcome, _ = report.minimised_causes[cause]
        out.extend("   | " + line for line in snippet(program, outcome, a.self_test).split("\n"))
    return "\n".join(out)


def _clip(text, limit=90):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _cause_json(report, cause, count, kinds):
    entry = {"cause": list(cause), "count": count, "kinds": kinds, "shown_in": report.shown_for(cause, kinds)}
    if entry["shown_in"] is None:
        smallest = dict(report.unshown())[cause]
        program, outcome = smallest.program, smallest
        if cause in report.minimised_causes:
            program, outcome, _ = report.minimised_causes[cause]
        entry["snippet"] = snippet(program, outcome, report.args.self_test)
    return entry


def as_json(report, elapsed, deaths):
    a = report.args
    groups = []
    for kind, outcomes in report.ordered():
        smallest = report.representative(kind)
        g = {"kind": kind, "count": len(outcomes), "programs": [o.program.index for o in outcomes],
             "first": smallest.first.describe(), "example": smallest.program.text()}
        if kind in report.minimised:
            program, outcome, tries = report.minimised[kind]
            g["minimised"] = snippet(program, outcome, a.self_test)
            g["minimise_runs"] = tries
        groups.append(g)
    return {
        "self_test": a.self_test, "seed": a.seed, "start": a.start, "programs": report.programs,
        "statements": report.statements, "seconds": round(elapsed, 1), "jobs": a.jobs, "same": report.same,
        "different": report.failures, "known": dict(report.known), "worker_restarts": deaths, "groups": groups,
        "causes": [_cause_json(report, cause, count, kinds) for cause, count, kinds in report.causes()],
        "failures": [{"program": o.program.index, "kind": kind, "difference": o.first.describe(),
                      "source": o.program.text()}
                     for kind, outcomes in report.ordered() for o in outcomes],
    }


def main(argv=None):
    args = parse(argv)
    registry = known.KNOWN + (known.DOCUMENTED if args.accept_documented else ())
    report = Report(args)
    began = time.monotonic()
    with Pool(args.jobs, lanes=2 if args.self_test else 1, timeout=args.timeout) as pool:
        programs = programs_for(args.seed, args.programs, args.start)
        for outcome in run_many(pool, programs, args.self_test, registry, in_flight=4 * max(args.jobs, 2)):
            report.add(outcome)
            if not args.quiet and report.programs % 500 == 0:
                print(f"[{time.monotonic() - began:6.0f} s] {report.programs} programs, "
                      f"{report.failures} different, {len(report.groups)} kinds", file=sys.stderr, flush=True)
        run_seconds = time.monotonic() - began
        if args.minimise and report.groups:
            minimise_groups(pool, report, registry)
        deaths = pool.deaths
    elapsed = time.monotonic() - began
    if args.out:  # first: the printout may go to a pipe that closes early
        with open(args.out, "w") as f:
            json.dump(as_json(report, run_seconds, deaths), f, indent=1)
    print(render(report, run_seconds, deaths))
    if args.minimise and report.groups:
        print(f"\n(minimising took {elapsed - run_seconds:.0f} s more)")
    return 1 if report.groups else 0


if __name__ == "__main__":
    sys.exit(main())
