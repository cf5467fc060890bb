"""Run every benchmark, print the table and the targets, save ``results.json`` and ``results.png``.

    python -m benchmarks            # the full run, about 2 minutes on 2 cores
    python -m benchmarks --quick    # about 20 s: fewer repeats, smaller graphs, no notebooks
    python benchmarks/run.py --only mlp --only per-op
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m benchmarks --cpu-time --out /tmp/cpu   # busy machine

Results go next to this file unless ``--out DIR`` says otherwise.
"""
import argparse
import dataclasses
import pathlib
import sys

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``autograd_nb`` importable
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    __package__ = "benchmarks"

from benchmarks import deep_graph, environment, mlp, notebooks, per_op, render, report  # noqa: E402
from benchmarks.settings import FULL, QUICK  # noqa: E402
from benchmarks import timing  # noqa: E402
from benchmarks.timing import import_peers, import_torch  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent

# In the order of the table: (name for --only, title, module with run(settings, nb, torch, log))
BENCHMARKS = (
    ("per-op", "1. per-op overhead (8×8 float32)", per_op),
    ("mlp", "2. MLP training step", mlp),
    ("deep", "3. deep graphs", deep_graph),
    ("render", "4. rendering", render),
    ("notebooks", "5. notebooks under nbval", notebooks),
)


def run_all(settings, only=None, log=print):
    """Run the benchmarks (all, or those named in ``only``); return (environment facts, rows)."""
    import autograd_nb as nb

    torch = import_torch()
    peers = import_peers()
    facts = environment.describe(nb, torch, HERE.parent, settings.mode, peers)
    log(environment.header(facts))
    rows = []
    for name, title, module in BENCHMARKS:
        if only and name not in only:
            continue
        log(title)
        rows += module.run(settings, nb, torch, log)
    facts["load_after"] = environment.load_average()
    return facts, rows


def save(out, facts, settings, rows, checked, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report.write_json(out / "results.json", facts, dataclasses.asdict(settings), rows, checked)
    report.plot(out / "results.png", rows, facts)
    log(f"saved {out / 'results.json'} and {out / 'results.png'}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a ~20 s run: fewer repeats, smaller graphs")
    parser.add_argument("--only", action="append", choices=[b[0] for b in BENCHMARKS],
                        help="run only this benchmark (may be given more than once)")
    parser.add_argument("--out", default=str(HERE), help="folder for results.json and results.png")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with time.process_time (CPU time) instead of wall time; for a busy machine, "
                             "with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1")
    args = parser.parse_args(argv)

    settings = QUICK if args.quick else FULL
    if args.cpu_time:
        timing.use_cpu_time()
        settings = dataclasses.replace(settings, mode=settings.mode + ", CPU time")
    facts, rows = run_all(settings, args.only, log=lambda s: print(s, flush=True))
    checked = report.targets(rows)
    print()
    print(report.table(rows))
    print()
    warning = environment.busy_warning(facts)
    facts["busy"] = bool(warning)
    print("targets:" + (" (machine busy: verdicts on times are not trustworthy, see below)" if warning else ""))
    print(report.targets_text(checked))
    print(f"load average: {facts['load_before']} before, {facts['load_after']} after")
    if warning:
        print(warning)
    save(args.out, facts, settings, rows, checked)
    return 1 if any(r["status"] == "error" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
