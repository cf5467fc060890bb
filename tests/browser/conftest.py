"""Fixtures for the browser tests: a private JupyterLab server and Chromium driven by Playwright.

* ``jupyter_env`` (session): ``os.environ`` with fresh Jupyter config, data, runtime and IPython
  directories, for every Jupyter process (server, kernels, nbclient, nbconvert). Nothing from
  the machine leaks in, and every notebook opens *untrusted*.
* ``jupyter_lab`` (session): ``jupyter lab`` on 127.0.0.1, a free port and a random token,
  serving an empty temporary root folder; it fetches nothing from the network. Yields a
  ``LabServer`` (``labtools.py``), which unpacks as ``(url, token, root)``.
* ``browser`` (session): Chromium from ``/usr/bin/chromium`` (Debian's package) through
  Playwright's sync API, headless, with a fresh temporary profile.
* ``page``: a new browser context (1400x1000 viewport) and tab per test. Requests that would
  leave the machine are aborted and listed by ``outside_requests``.
* ``lab``: a ``labtools.Lab`` for the tab; afterwards the kernels the test started are shut down.
* ``screenshot``: ``screenshot("label")`` saves the tab as ``<test>-<label>.png`` in one
  temporary folder per run, printed at the end of the run. A failing test gets a
  ``<test>-failure.png`` too; the paths go into the report (and its --junitxml properties).

Without Chromium, Playwright or JupyterLab the tests skip; under CI (``CI=true``) they fail.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.labtools import (Lab, UI_TIMEOUT, private_env, require_jupyterlab,
                                    require_playwright, start_server, stop_server)
from tests.oracle import require_chromium

VIEWPORT = {"width": 1400, "height": 1000}

# Chromium runs as root, headless, in a container without network: no sandbox, no GPU, and
# none of the traffic (component updates, sync, field trials) it would start on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def jupyter_env(tmp_path_factory):
    return private_env(tmp_path_factory.mktemp("jupyter-home"))


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory, jupyter_env):
    require_jupyterlab()
    root = tmp_path_factory.mktemp("jupyter-lab") / "root"
    root.mkdir()
    proc, server = start_server(root, jupyter_env)
    try:
        yield server
    finally:
        stop_server(proc, server, jupyter_env["JUPYTER_RUNTIME_DIR"])


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    sync_api = require_playwright()
    with sync_api.sync_playwright() as playwright:
        # launch() gives Chromium a new temporary --user-data-dir and deletes it on close.
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


# --- One tab per test, and what it did ---------------------------------------------------------


@dataclasses.dataclass
class TabRecord:
    page: object = None
    screenshots: list = dataclasses.field(default_factory=list)
    outside_requests: list = dataclasses.field(default_factory=list)
    console_errors: list = dataclasses.field(default_factory=list)


TAB_RECORD = pytest.StashKey[TabRecord]()
SCREENSHOT_DIR = pytest.StashKey[Path]()


def _is_local(url):
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname in (
        "127.0.0.1", "localhost")


@pytest.fixture
def page(browser, request):
    record = request.node.stash.setdefault(TAB_RECORD, TabRecord())
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(UI_TIMEOUT)

    def only_local(route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            record.outside_requests.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: record.console_errors.append(f"uncaught: {exc}"))
    record.page = tab
    try:
        yield tab
    finally:
        record.page = None
        context.close()


@pytest.fixture
def outside_requests(page, request):
    return request.node.stash[TAB_RECORD].outside_requests


@pytest.fixture
def lab(page, jupyter_lab):
    lab = Lab(page, jupyter_lab)
    try:
        yield lab
    finally:
        # JupyterLab starts a kernel for every notebook it opens. Let it finish starting and
        # leave the page before shutting it down: a kernel stopped halfway through its start
        # makes the server log errors (and its kernel list answer 500 meanwhile).
        try:
            if lab.opened:
                lab.wait_for_kernel_idle(timeout=UI_TIMEOUT)
            page.goto("about:blank")
        except require_playwright().Error:
            pass  # a timeout or a crashed tab: the test's own result says what went wrong
        finally:
            jupyter_lab.shutdown_kernels()


# --- Screenshots -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("browser-screenshots")
    request.config.stash[SCREENSHOT_DIR] = path
    return path


def _save_screenshot(item, label):
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.nodeid.split("::", 1)[-1]).strip("-")
    path = item.config.stash[SCREENSHOT_DIR] / f"{stem}-{label}.png"
    record = item.stash[TAB_RECORD]
    record.page.screenshot(path=str(path))
    record.screenshots.append(path)
    item.user_properties.append(("screenshot", str(path)))
    return path


@pytest.fixture
def screenshot(page, screenshot_dir, request):
    return lambda label: _save_screenshot(request.node, label)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    record = item.stash.get(TAB_RECORD, None)
    if record is None or report.when != "call":
        return
    if report.failed and record.page is not None and SCREENSHOT_DIR in item.config.stash:
        try:
            _save_screenshot(item, "failure")
        except Exception as exc:  # a crashed tab must not hide the test's own failure
            report.sections.append(("browser screenshots", f"no failure screenshot: {exc}"))
    if record.screenshots:
        report.sections.append(("browser screenshots", "\n".join(map(str, record.screenshots))))
    if report.failed and record.console_errors:
        report.sections.append(("browser console errors", "\n".join(record.console_errors)))
    if report.failed and record.outside_requests:
        report.sections.append(("aborted outside requests", "\n".join(record.outside_requests)))


def pytest_terminal_summary(terminalreporter, config):
    directory = config.stash.get(SCREENSHOT_DIR, None)
    if directory is not None:
        terminalreporter.write_line(f"browser screenshots: {directory}")
