"""What machine and libraries the figures come from: printed above the table, stored in results.json.

Numbers from a laptop and from a CI runner are not comparable without this. The BLAS numpy uses (and
its thread count) matters most for the MLP, so it is read from ``threadpoolctl`` when installed, else
from numpy's build configuration. Thread-related environment variables are shown as they are; the
benchmarks never change them (nor ``torch.set_num_threads``).
"""
import datetime
import os
import platform
import subprocess
import sys

import numpy as np

from . import timing

THREAD_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS")


def numpy_blas():
    """A one-line description of numpy's BLAS, e.g. ``openblas 0.3.31 (Haswell, pthreads, 2 threads)``."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return "; ".join(
                f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
                f"{p.get('threading_layer')}, {p.get('num_threads')} threads)" for p in pools)
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} (threadpoolctl not installed: thread count unknown)"
    except Exception:
        return "unknown"


def git_commit(root):
    """The commit the package was at, with ``+changes`` when the working tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "autograd_nb"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit or "unknown") + (" +changes" if dirty else "")


def version(module):
    """``module.__version__``, else the version of the installed package of that name (HIPS autograd has
    no ``__version__``)."""
    found = getattr(module, "__version__", None)
    if found is None:
        from importlib import metadata

        try:
            found = metadata.version(module.__name__)
        except metadata.PackageNotFoundError:
            found = "?"
    return found


def load_average():
    """The 1-minute load average (processes wanting a core), or None where the OS has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def busy_warning(facts):
    """A warning line when other work competed for the cores during the run, else ''."""
    loads = [v for v in (facts.get("load_before"), facts.get("load_after")) if v is not None]
    cpus = facts["cpu_count"] or 1
    if loads and loads[0] > cpus / 2:
        return (f"WARNING: load average {loads[0]} before the run on {cpus} CPUs: other processes competed "
                "for the cores, so times (multi-threaded BLAS above all) are inflated and noisy.")
    return ""


def describe(nb, torch, root, mode, peers=None):
    """The facts for the header and for ``results.json``; ``peers`` as from ``timing.import_peers()``."""
    facts = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": mode,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "numpy_blas": numpy_blas(),
        "autograd_nb": f"{getattr(nb, '__version__', '?')} (git {git_commit(root)})",
        "pytorch": "not installed",
        "hips": "not installed",
        "mygrad": "not installed",
        "environment": {name: os.environ.get(name, "not set") for name in THREAD_VARIABLES},
        "load_before": load_average(),
        "clock": timing.clock_name(),
    }
    if torch is not None:
        facts["pytorch"] = f"{torch.__version__} (torch.get_num_threads() = {torch.get_num_threads()}, left default)"
    for key, module in (peers or {}).items():
        if module is not None:
            facts[key] = version(module)
    return facts


def header(facts):
    lines = [
        f"autograd_nb benchmarks ({facts['mode']}), {facts['date']}",
        f"  python {facts['python']} on {facts['platform']}, {facts['cpu_count']} CPUs, "
        f"load average {facts['load_before']}",
        f"  numpy {facts['numpy']}, BLAS: {facts['numpy_blas']}",
        f"  PyTorch {facts['pytorch']}",
        f"  peers: HIPS autograd {facts['hips']}, mygrad {facts['mygrad']}",
        f"  autograd_nb {facts['autograd_nb']}; clock: {facts['clock']}",
        "  " + ", ".join(f"{k}={v}" for k, v in facts["environment"].items()),
    ]
    return "\n".join(lines)
