"""How the benchmarks time things, and the shape of one result row.

* Each implementation runs in **blocks**: a few untimed warm-up runs (imports, caches, thread pools,
  allocator pools), then its share of the timed runs. The blocks take turns, ``rounds`` times
  (A B C A B C A B C), so that a slow spell of the machine hits every implementation alike.
  Blocks rather than alternating run by run: PyTorch's OpenMP threads and numpy's OpenBLAS threads
  fight over the cores when the two libraries alternate every few milliseconds (on 2 cores that
  made MLP steps 3 to 35 times slower), which would measure the fight, not the libraries. For the
  same reason the MLP blocks are separated by a short pause.
* The figure reported is the **median** over all timed runs.
* A run measures itself and returns ``{phase: seconds}`` (e.g. ``{"build": ..., "backward": ...}``),
  with ``time.perf_counter`` (``--cpu-time`` switches to ``time.process_time``, see ``use_cpu_time``).
  The garbage collector stays on: collections triggered by the objects a graph allocates are part
  of what a learner's code pays for.
"""
import importlib
import statistics
import sys
import time
import traceback

_clock = time.perf_counter


def clock():
    """Seconds from ``time.perf_counter`` (wall time), or ``time.process_time`` after ``use_cpu_time()``."""
    return _clock()


def clock_name():
    """What ``clock`` measures, for the header and results.json."""
    return "time.process_time (CPU time)" if _clock is time.process_time else "time.perf_counter (wall time)"


def use_cpu_time():
    """Time with the CPU time of this process instead: steadier when other processes compete for the
    cores, but only comparable across libraries when each uses one thread (``OMP_NUM_THREADS=1``,
    ``OPENBLAS_NUM_THREADS=1``), since it adds up the CPU time of all threads."""
    global _clock
    _clock = time.process_time


def in_blocks(runs, repeats, warmup=2, rounds=3, pause=0.0):
    """Median seconds of each phase of each run: ``{name: {phase: seconds}}``.

    ``runs`` maps an implementation's name to a function that does one run and returns
    ``{phase: seconds}``; None entries (an implementation that is not available) are left out.
    ``repeats`` timed runs per implementation, split over ``rounds`` blocks, each after ``warmup``
    untimed runs and, from the second block on, ``pause`` seconds of sleep: BLAS worker threads keep
    spinning for a while after their last job, and would take cores from the next library's threads.
    """
    runs = {name: fn for name, fn in runs.items() if fn is not None}
    rounds = max(1, min(rounds, repeats))
    per_block = -(-repeats // rounds)  # ceil
    samples = {name: [] for name in runs}
    first = True
    for _ in range(rounds):
        for name, fn in runs.items():
            if pause and not first:
                time.sleep(pause)
            first = False
            for _ in range(warmup):
                fn()
            samples[name] += [fn() for _ in range(per_block)]
    medians = {}
    for name, results in samples.items():
        medians[name] = {phase: statistics.median(r[phase] for r in results) for phase in results[0]}
    return medians


def timed(fn):
    """A run for ``in_blocks`` that times one call of ``fn`` as the phase ``"total"``."""
    def run():
        start = clock()
        fn()
        return {"total": clock() - start}

    return run


def row(group, case, unit, autograd_nb=None, pytorch=None, numpy=None, hips=None, mygrad=None, status="ok",
        note="", **extra):
    """One line of the results table; values are already in ``unit`` (None: not measured).

    ``hips`` is HIPS autograd, ``mygrad`` is mygrad: the two peers, engines on numpy a learner could
    pick instead of autograd_nb.
    """
    return {"group": group, "case": case, "unit": unit, "autograd_nb": autograd_nb, "pytorch": pytorch,
            "numpy": numpy, "hips": hips, "mygrad": mygrad, "status": status, "note": note, "extra": extra}


def guarded(group, case, unit, measure, log):
    """``measure()`` → rows; if it fails, one ``error`` row instead (the traceback goes to stderr)."""
    try:
        return measure()
    except Exception as exc:  # one broken case must not hide the others
        traceback.print_exc(file=sys.stderr)
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
        log(f"  {group} / {case}: error: {message}")
        return [row(group, case, unit, status="error", note=message)]


def _optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def import_torch():
    """PyTorch if it is installed (the benchmarks compare against it), else None."""
    return _optional("torch")


def import_peers():
    """``{"hips": autograd, "mygrad": mygrad}``, each module if it is installed, else None.

    HIPS autograd's ``autograd.numpy`` is a submodule: importing it makes ``autograd.numpy`` usable.
    """
    hips = _optional("autograd") if _optional("autograd.numpy") is not None else None
    return {"hips": hips, "mygrad": _optional("mygrad")}
