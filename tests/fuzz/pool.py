"""A few long-lived child processes that run programs (``worker.py``), replaced when one dies.

PyTorch can crash outright on some programs (a segfault kills the process, no exception is raised), so
nothing is ever run in the parent. Each child imports both libraries once and runs many programs. A
thread per child feeds it requests from its lane's queue; a child that dies, or takes longer than the
timeout, gives the result ``{"died": ...}`` for that request and is started again.

Lanes: with one lane every child serves every request. ``--self-test`` uses two, so that the two runs
of a program happen in two different processes.
"""
import os
import pickle
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from .worker import _HEADER, send  # the framing is shared with the child

ROOT = Path(__file__).resolve().parents[2]  # the repository: the child imports tests.fuzz.worker from it
START_TIMEOUT = 120.0


class Died(Exception):
    pass


class Child:
    """One worker process and the pipe to it."""

    def __init__(self):
        self.proc = None
        self.err = None
        self.starts = 0

    def start(self):
        self.err = tempfile.TemporaryFile()
        env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fuzz.worker"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err)
        self.starts += 1
        reply = self._read(START_TIMEOUT)
        if not (isinstance(reply, tuple) and reply[0] == "ready"):
            raise RuntimeError(f"fuzz worker did not start: {reply!r} {self._stderr_tail()}")

    def call(self, request, timeout):
        """Send a request and wait for the answer; raises Died if the child dies or times out."""
        try:
            send(self.proc.stdin, request)
        except (BrokenPipeError, OSError):
            self.proc.wait()
            raise Died(self._death()) from None
        return self._read(timeout)

    def _read(self, timeout):
        deadline = time.monotonic() + timeout
        (n,) = _HEADER.unpack(self._read_exact(_HEADER.size, deadline, timeout))
        return pickle.loads(self._read_exact(n, deadline, timeout))

    def _read_exact(self, n, deadline, timeout):
        fd = self.proc.stdout.fileno()
        data = bytearray()
        while len(data) < n:
            ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                self.kill()
                raise Died(f"no answer within {timeout:.0f} s (killed)")
            chunk = os.read(fd, n - len(data))
            if not chunk:
                self.proc.wait()
                raise Died(self._death())
            data += chunk
        return bytes(data)

    def _death(self):
        code = self.proc.returncode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exited with status {code}"
        tail = self._stderr_tail()
        return how + (f"; stderr ends: {tail}" if tail else "")

    def _stderr_tail(self):
        try:
            self.err.seek(0)
            lines = [line for line in self.err.read().decode(errors="replace").splitlines() if line.strip()]
            return " | ".join(lines[-3:])[-400:]
        except (OSError, ValueError):
            return ""

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        # A worker keeps nothing worth a clean exit, and unloading PyTorch takes a second or two.
        self.kill()
        if self.err is not None:
            self.err.close()


class Pool:
    """``jobs`` children; ``submit(library, sources, lane)`` returns a Future of the run's record."""

    def __init__(self, jobs=2, lanes=1, timeout=60.0):
        jobs = max(jobs, lanes)
        self.timeout = timeout
        self.lanes = [queue.Queue() for _ in range(lanes)]
        self.children = [Child() for _ in range(jobs)]
        self.deaths = 0
        self.threads = [threading.Thread(target=self._serve, args=(c, self.lanes[k % lanes]), daemon=True)
                        for k, c in enumerate(self.children)]
        self._started = [threading.Event() for _ in self.children]
        self._failure = None
        for t in self.threads:
            t.start()
        for e in self._started:
            e.wait()
        if self._failure:
            self.close()
            raise self._failure

    def _serve(self, child, tasks):
        try:
            child.start()
        except Exception as e:  # noqa: BLE001  (reported by the constructor)
            self._failure = e
        finally:
            self._started[self.children.index(child)].set()
        while True:
            task = tasks.get()
            if task is None:
                child.stop()
                return
            future, request = task
            try:
                future.set_result(child.call(request, self.timeout))
            except Died as death:
                self.deaths += 1
                future.set_result({"died": str(death)})
                try:
                    child.start()
                except Exception as e:  # noqa: BLE001  (a child that will not start again ends the run)
                    self._failure = e
                    child.kill()
                    _drain(tasks, e)
                    return
            except Exception as e:  # noqa: BLE001
                future.set_exception(e)

    def submit(self, library, sources, lane=0):
        if self._failure:
            raise RuntimeError(f"fuzz worker failed: {self._failure}")
        future = Future()
        self.lanes[lane % len(self.lanes)].put((future, (library, tuple(sources))))
        return future

    def close(self):
        for k, _ in enumerate(self.children):
            self.lanes[k % len(self.lanes)].put(None)
        for t in self.threads:
            t.join(timeout=30)
        for c in self.children:
            c.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _drain(tasks, error):
    while True:
        try:
            task = tasks.get_nowait()
        except queue.Empty:
            return
        if task is not None:
            task[0].set_exception(RuntimeError(f"fuzz worker failed: {error}"))
