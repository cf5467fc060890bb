"""Shared test configuration for autograd_nb.

* Hypothesis profiles: ``default`` locally, ``ci`` (more examples, derandomized)
  when ``CI`` is set; ``HYPOTHESIS_PROFILE`` picks one explicitly.
* The ``torch`` fixture: the PyTorch oracle (skips without PyTorch, fails under CI).
  Tests that use it are marked ``torch`` automatically, so ``-m "not torch"`` works.
* Under CI, a run in which anything was skipped fails: CI must run every test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import autograd_nb as nb
from tests.oracle import ci_enabled, require_torch

pytest_plugins = ["pytester"]

# --- Hypothesis ---------------------------------------------------------------

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if ci_enabled() else "default")
)


# --- The PyTorch oracle -----------------------------------------------------------


@pytest.fixture(scope="session")
def torch():
    """The ``torch`` module (PyTorch 2.13), the reference autograd_nb must match."""
    torch = require_torch()
    torch.set_num_threads(1)  # tiny tensors: threads only fight over the two cores
    torch.set_warn_always(True)  # warn-once warnings must not depend on which test ran first
    nb.set_warn_always(True)
    return torch


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "torch" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.torch)


# --- Under CI, skipping is failing ---------------------------------------------------


class CISkipGuard:
    """Turns a run with skipped tests into a failure (exit status 1).

    A skip under CI means a dependency (PyTorch, Chromium, JupyterLab, ...) was
    missing, so part of the suite silently did not run. Expected failures
    (xfail) are not skips.
    """

    name = "autograd_nb-ci-skip-guard"

    def __init__(self):
        self.skipped = []  # (node id, reason)

    def _record(self, report):
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        reason = "skipped"
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2])
        elif longrepr is not None:
            reason = str(longrepr)
        if reason.startswith("Skipped: "):
            reason = reason[len("Skipped: ") :]
        self.skipped.append((report.nodeid or "<session>", reason))

    def pytest_runtest_logreport(self, report):
        self._record(report)

    def pytest_collectreport(self, report):
        self._record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.skipped and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if not self.skipped:
            return
        terminalreporter.section("CI forbids skipped tests", sep="=", red=True, bold=True)
        for nodeid, reason in self.skipped:
            terminalreporter.line(f"SKIPPED {nodeid} - {reason}", red=True)
        terminalreporter.line(
            f"{len(self.skipped)} skipped under CI: the run fails "
            "(install what is missing: torch==2.13.0, chromium, the [test] extras)",
            red=True,
            bold=True,
        )


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # pytest-xdist worker: the controller judges
        return
    if ci_enabled() and not config.pluginmanager.has_plugin(CISkipGuard.name):
        config.pluginmanager.register(CISkipGuard(), CISkipGuard.name)
