"""Where autograd_nb spends its time: cProfile of the MLP step (batch 64) and of a per-op chain.

    python -m benchmarks.profiling                 # both, top 25 functions by own time
    python -m benchmarks.profiling mlp --top 40
    python -m benchmarks.profiling chain --op tanh --sort cumulative

Profiling slows every Python call down by a similar amount, so read the shares, not the times.
"""
import argparse
import cProfile
import pathlib
import pstats
import sys

if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    __package__ = "benchmarks"

from benchmarks import mlp, per_op  # noqa: E402


def mlp_workload(size=64):
    import autograd_nb as nb

    x, y = mlp.batch(size)
    _, step = mlp.functional_step(nb, mlp.initial_weights(), x, y)
    return step


def chain_workload(op="mul", k=50):
    import autograd_nb as nb

    x, w = per_op.inputs(op)
    return lambda: per_op.graph_run(nb, op, x, w, k)()


def profile(workload, runs, top, sort):
    for _ in range(3):  # warm up outside the profile
        workload()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        workload()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.strip_dirs().sort_stats(sort).print_stats(top)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profiling", description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", choices=["mlp", "chain"], default=["mlp", "chain"])
    parser.add_argument("--op", default="mul", choices=per_op.OPS, help="the op of the chain (default mul)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime, cumulative, ncalls, ...")
    args = parser.parse_args(argv)
    if "mlp" in args.what:
        print(f"=== MLP step, batch 64, {args.runs} steps")
        profile(mlp_workload(), args.runs, args.top, args.sort)
    if "chain" in args.what:
        print(f"=== chain of 50 {args.op} + backward, {args.runs} runs")
        profile(chain_workload(args.op), args.runs, args.top, args.sort)


if __name__ == "__main__":
    main()
