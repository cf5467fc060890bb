"""3. Deep graphs: ``y = y * 1.0001`` ten thousand and a hundred thousand times, then backward.

A learner's loop that forgets ``.detach()`` builds graphs like this. Three things are checked:

* **time**, building the graph and the backward pass measured apart (PyTorch runs the same loop; the
  numpy floor is the same multiplications forward and, for the backward, ``g = g * 1.0001``);
* **peak memory** of autograd_nb while building and while running backward (``tracemalloc`` sees every
  allocation Python and numpy make; it slows the code down, so memory is measured in runs of its own,
  never in the timed ones). Memory should grow linearly: the same bytes per op at 10k as at 100k;
* **release**: backward without ``retain_graph`` frees the saved tensors, and once the result is
  deleted nothing of the graph may stay behind. "After del" is before any ``gc.collect()``: memory
  that only comes back after a collection was held by a reference cycle.

PyTorch's memory lives in its C++ allocator, out of tracemalloc's sight, so only its times are shown.
"""
import gc
import tracemalloc

import numpy as np

from .timing import clock, guarded, in_blocks, row

FACTOR = 1.0001
WIDTH = 4  # elements of the small tensor the chain works on
MIB = 2 ** 20


def label(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def graph_run(lib, n):
    """A run for ``in_blocks``: build the n-op chain, then backward (without retain_graph)."""
    x = lib.ones(WIDTH, requires_grad=True)
    seed = lib.ones(WIDTH)

    def run():
        x.grad = None
        start = clock()
        y = x
        for _ in range(n):
            y = y * FACTOR
        built = clock()
        y.backward(seed)
        done = clock()
        del y  # the graph is torn down here, outside the timed part
        return {"build": built - start, "backward": done - built}

    return run


def numpy_run(n):
    x = np.ones(WIDTH, dtype=np.float32)

    def run():
        start = clock()
        y = x
        for _ in range(n):
            y = y * FACTOR
        built = clock()
        g = np.ones_like(y)
        for _ in range(n):  # ∂(y·c)/∂y = c
            g = g * FACTOR
        done = clock()
        return {"build": built - start, "backward": done - built}

    return run


def memory(lib, n):
    """Bytes allocated by autograd_nb for an n-op chain, in each phase (tracemalloc, relative to before)."""
    x = lib.ones(WIDTH, requires_grad=True)
    seed = lib.ones(WIDTH)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        y = x
        for _ in range(n):
            y = y * FACTOR
        built, build_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        y.backward(seed)
        after_backward, backward_peak = tracemalloc.get_traced_memory()
        del y
        after_del = tracemalloc.get_traced_memory()[0]
        gc.collect()
        after_gc = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return {"built": built - base, "build_peak": build_peak - base, "backward_peak": backward_peak - base,
            "after_backward": after_backward - base, "after_del": after_del - base,
            "after_gc": after_gc - base}


def run(settings, nb, torch, log):
    rows = []
    for n in settings.deep_sizes:
        name = f"{label(n)} chain"

        def measure_time(n=n, name=name):
            medians = in_blocks({
                "autograd_nb": graph_run(nb, n),
                "pytorch": graph_run(torch, n) if torch is not None else None,
                "numpy": numpy_run(n),
            }, settings.deep_repeats, warmup=0, rounds=settings.rounds)  # no warm-up: it would cost seconds
            ms = {impl: {phase: 1e3 * s for phase, s in m.items()} for impl, m in medians.items()}
            own = ms["autograd_nb"]
            log(f"  {name}: build {own['build']:8.1f} ms, backward {own['backward']:8.1f} ms")
            return [row("deep graph", f"{name}: {phase}", "ms", ms["autograd_nb"][phase],
                        ms.get("pytorch", {}).get(phase), ms["numpy"][phase], n=n, phase=phase,
                        note="y = y * 1.0001 on 4 floats" if phase == "build" else "no retain_graph")
                    for phase in ("build", "backward")]

        rows += guarded("deep graph", f"{name}: time", "ms", measure_time, log)

        def measure_memory(n=n, name=name):
            m = memory(nb, n)
            per_op = m["build_peak"] / n
            log(f"  {name}: peak {m['build_peak'] / MIB:8.1f} MiB ({per_op:.0f} B/op), "
                f"after del + gc {m['after_gc'] / 1024:.1f} KiB")
            return [
                row("deep graph", f"{name}: peak memory, build", "MiB", m["build_peak"] / MIB,
                    note=f"{per_op:.0f} bytes per op (tracemalloc)", n=n, bytes_per_op=per_op, **m),
                row("deep graph", f"{name}: peak memory, backward", "MiB", m["backward_peak"] / MIB,
                    note="above what the built graph holds", n=n),
                row("deep graph", f"{name}: held after backward", "MiB", m["after_backward"] / MIB,
                    note="y alive: nodes kept, saved tensors freed", n=n),
                row("deep graph", f"{name}: left after del", "KiB", m["after_del"] / 1024,
                    note="no gc.collect() yet", n=n),
                row("deep graph", f"{name}: left after del + gc", "KiB", m["after_gc"] / 1024, n=n),
            ]

        rows += guarded("deep graph", f"{name}: memory", "MiB", measure_memory, log)
    return rows
