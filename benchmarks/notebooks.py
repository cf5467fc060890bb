"""5. The lesson notebooks under nbval: how long ``python -m pytest notebooks/ -q`` takes.

Every notebook is a test (see ``notebooks/README.md``), so this is the time a contributor waits for
the lessons to be checked. It is run once, in a child process, from the repository root; there is
nothing to compare it with, so only the autograd_nb column is filled.
"""
import pathlib
import subprocess
import sys
import time

from .timing import row

ROOT = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = 1800  # seconds


def run(settings, nb, torch, log):
    case = "python -m pytest notebooks/ -q"
    found = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not found:
        log("  no notebooks yet: skipped")
        return [row("notebooks", case, "s", status="skipped", note="no notebooks in notebooks/ yet")]
    if not settings.notebooks:
        return [row("notebooks", case, "s", status="skipped", note=f"{len(found)} notebooks; not run with --quick")]
    start = time.perf_counter()  # wall time: the work happens in a child process
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "notebooks/", "-q"], cwd=ROOT,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return [row("notebooks", case, "s", status="error", note=f"still running after {TIMEOUT} s")]
    seconds = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    summary = lines[-1].strip("= ") if lines else f"exit status {done.returncode}"
    log(f"  {len(found)} notebooks: {seconds:.1f} s ({summary})")
    return [row("notebooks", case, "s", seconds, status="ok" if done.returncode == 0 else "failed",
                note=f"{len(found)} notebooks: {summary}", notebooks=len(found), returncode=done.returncode)]
