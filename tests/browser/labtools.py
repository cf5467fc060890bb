"""JupyterLab for the browser tests: a private server, and the steps a learner takes in its page.

The fixtures in ``conftest.py`` put these together; the tests use ``Lab`` (one tab on one server)
and the image helpers at the bottom.
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.oracle import ci_enabled

REPO = Path(__file__).resolve().parents[2]

SERVER_START_TIMEOUT = 90.0  # s; a cold start takes ~5 s, several times that on a loaded machine
SERVER_STOP_TIMEOUT = 20.0  # s; on SIGTERM the server first shuts its kernels down
UI_TIMEOUT = 30_000  # ms; for anything JupyterLab draws
RUN_TIMEOUT = 90_000  # ms; for running every cell of a notebook, kernel start included

# A graph picture as autograd_nb.viz.Graph writes it (see autograd_nb/viz/graph.py).
GRAPH_IMG_PREFIX = "data:image/svg+xml;base64,"
GRAPH_IMG = f'img[src^="{GRAPH_IMG_PREFIX}"]'

# JupyterLab user settings for the test server. The notebook attaches every cell to the page
# (by default the browser may skip drawing cells outside the viewport, which would make "every
# image is drawn" depend on the window height). No news and no update checks: the first would
# ask for permission in a toast over the page, and both would fetch from the internet.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


# --- Optional dependencies -------------------------------------------------------------------


def _require_module(name):
    """Import ``name``, or skip (fail under CI) when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if ci_enabled():
            pytest.fail(f"{name} is required when CI is set ({exc}); "
                        'install the test extras: pip install -e ".[test]"', pytrace=False)
        pytest.skip(f"{name} not installed", allow_module_level=True)


def require_playwright():
    """The ``playwright.sync_api`` module (skips without it, fails under CI)."""
    return _require_module("playwright.sync_api")


def require_jupyterlab():
    return _require_module("jupyterlab")


# --- A private Jupyter environment -----------------------------------------------------------


def private_env(home):
    """``os.environ`` with Jupyter and IPython directories of their own under ``home``.

    Nothing from the machine's Jupyter configuration comes in, and the notebook signature
    database (in the data directory) starts empty, so every notebook opens untrusted.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON"))}  # JUPYTER_PATH, JUPYTERLAB_DIR, ...
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",  # server state, kernel connection files
        "IPYTHONDIR": home / "ipython",
        "JUPYTERLAB_SETTINGS_DIR": home / "config" / "lab" / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "config" / "lab" / "workspaces",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # Kernels import the autograd_nb of this checkout, whether it is installed or not.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    for relative, values in LAB_SETTINGS.items():
        path = dirs["JUPYTERLAB_SETTINGS_DIR"] / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")
    return env


# --- The server ------------------------------------------------------------------------------


class LabServer(NamedTuple):
    """A running JupyterLab server: ``url, token, root = server``."""

    url: str
    token: str
    root: Path

    @property
    def log(self):
        return self.root.parent / "server.log"

    def api(self, method, path, timeout=10.0):
        """Call the REST API; returns the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def add_notebook(self, nb, name):
        """Write a notebook (an nbformat node or an .ipynb path) into the root; returns ``name``."""
        import nbformat

        if isinstance(nb, (str, Path)):
            nb = nbformat.read(nb, as_version=4)
        nbformat.write(nb, self.root / name)
        return name

    def is_trusted(self, name):
        """What the server tells JupyterLab: True only if it marks every code cell trusted."""
        model = self.api("GET", f"/api/contents/{urllib.parse.quote(name)}?content=1")
        marks = [cell["metadata"].get("trusted") for cell in model["content"]["cells"]
                 if cell["cell_type"] == "code"]
        return bool(marks) and all(marks)

    def lab_url(self, name, workspace):
        """The page that opens notebook ``name`` in workspace ``workspace`` (new ones are empty)."""
        return (f"{self.url}/lab/workspaces/{workspace}/tree/{urllib.parse.quote(name)}"
                f"?token={self.token}")

    def shutdown_kernels(self, timeout=30.0):
        """Shut down every session and kernel; returns once ``/api/kernels`` lists none.

        The server answers 500 while a kernel is still starting and 404 for one that went
        away meanwhile, so both mean "ask again".
        """
        deadline = time.monotonic() + timeout
        kernels = None
        while True:
            try:
                for session in self.api("GET", "/api/sessions"):
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=timeout)
                kernels = self.api("GET", "/api/kernels")
                if not kernels:
                    return
                for kernel in kernels:
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=timeout)
            except urllib.error.HTTPError as exc:
                if exc.code not in (404, 500) or time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernels still running after {timeout:.0f} s: {kernels}")
            time.sleep(0.25)  # polling interval


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(path, limit=6000):
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no server log: {exc})"
    return text if len(text) <= limit else "...\n" + text[-limit:]


def start_server(root, env):
    """Start ``jupyter lab`` on ``root`` (log next to it); returns ``(process, LabServer)``.

    Returns once ``/api/status`` answers; fails with the server log if it does not in time.
    """
    server = LabServer(url=f"http://127.0.0.1:{_free_port()}", token=secrets.token_hex(24),
                       root=root)
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={server.url.rsplit(':', 1)[1]}",
        "--ServerApp.port_retries=0",  # fail rather than move to another port
        f"--IdentityProvider.token={server.token}",  # ServerApp.token is its deprecated alias
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI containers run as root
        # Nothing from the network: no news feed, no update check, no PyPI extension manager.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    with open(server.log, "wb") as log:
        proc = subprocess.Popen(command, cwd=root, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(proc, server, SERVER_START_TIMEOUT)
    except BaseException:
        stop_server(proc, server, env["JUPYTER_RUNTIME_DIR"])
        raise
    return proc, server


def _wait_until_up(proc, server, timeout):
    deadline = time.monotonic() + timeout
    status_url = f"{server.url}/api/status?token={server.token}"
    last_error = None
    while True:
        code = proc.poll()
        if code is not None:
            pytest.fail(f"jupyter lab exited with status {code} before answering.\n"
                        f"--- {server.log} ---\n{_log_tail(server.log)}", pytrace=False)
        try:
            with urllib.request.urlopen(status_url, timeout=2) as response:
                json.load(response)
                return
        except (OSError, ValueError) as exc:  # URLError is an OSError
            last_error = exc
        if time.monotonic() > deadline:
            pytest.fail(f"jupyter lab did not answer {server.url}/api/status within "
                        f"{timeout:.0f} s (last error: {last_error}).\n"
                        f"--- {server.log} ---\n{_log_tail(server.log)}", pytrace=False)
        time.sleep(0.25)  # polling interval, not a wait for the UI


def stop_server(proc, server, runtime_dir):
    """Stop the server and every kernel it started; bounded, leaves no process behind."""
    if proc.poll() is None:
        try:
            server.shutdown_kernels()
        except (OSError, ValueError):
            pass  # the server is stuck or dying: SIGTERM and the sweep below deal with it
        proc.terminate()
        try:
            proc.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
            proc.wait(5)
    # Kernels run in sessions of their own. One that outlived its server still names its
    # connection file, in our private runtime directory, on its command line.
    for pid in _kernel_pids(runtime_dir):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _kernel_pids(runtime_dir):
    """Processes whose command line names a kernel connection file in ``runtime_dir``."""
    connection_files = [str(p) for p in Path(runtime_dir).glob("kernel-*.json")]
    proc_root = Path("/proc")
    if not connection_files or not proc_root.is_dir():
        return []
    pids = []
    for entry in proc_root.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if any(f in cmdline for f in connection_files):
            pids.append(int(entry.name))
    return pids


# --- JupyterLab in a tab ---------------------------------------------------------------------


_workspaces = itertools.count(1)


def _exactly(text):
    return re.compile(rf"^{re.escape(text)}$")


class Lab:
    """The JupyterLab steps the tests share, on one tab and one server."""

    def __init__(self, page, server):
        self.page = page
        self.server = server
        self.expect = require_playwright().expect
        self.opened = False

    @property
    def notebook(self):
        return self.page.locator(".jp-NotebookPanel .jp-Notebook")  # one notebook per tab

    def open(self, name, cells):
        """Open notebook ``name`` (``cells`` cells) in a new workspace; wait until it is drawn."""
        workspace = f"test-{os.getpid()}-{next(_workspaces)}"  # fresh: restores no other tabs
        self.page.goto(self.server.lab_url(name, workspace), wait_until="domcontentloaded")
        self.opened = True
        tab = self.page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current",
                                has_text=_exactly(name))
        self.expect(tab).to_be_visible(timeout=UI_TIMEOUT)
        self.expect(self.notebook.locator(".jp-Cell")).to_have_count(cells, timeout=UI_TIMEOUT)

    def wait_for_kernel_idle(self, timeout=RUN_TIMEOUT):
        indicator = self.page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator")
        self.expect(indicator).to_have_attribute("data-status", "idle", timeout=timeout)

    def menu(self, menu, item):
        """Click ``menu`` in the menu bar, then its entry labelled ``item``."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=_exactly(menu)).click()
        self.page.locator(".lm-Menu .lm-Menu-itemLabel", has_text=_exactly(item)).click()

    def run_all(self, timeout=RUN_TIMEOUT):
        """Edit → Clear Outputs of All Cells, Run → Run All Cells; wait until every cell ran.

        Clearing first also blanks the execution counts (``[ ]:``), so "every prompt shows a
        number" can only come from this run.
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        self.expect(self.notebook.locator(".jp-OutputArea-output")).to_have_count(0)
        prompts = self.notebook.locator(".jp-CodeCell .jp-InputArea-prompt")
        self.expect(prompts.filter(has_text=re.compile(r"\d"))).to_have_count(0)
        self.wait_for_kernel_idle(timeout)  # the kernel started when the notebook opened
        self.menu("Run", "Run All Cells")
        self.page.wait_for_function(
            "(prompts) => prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()))",
            arg=prompts.element_handles(), timeout=timeout)
        self.wait_for_kernel_idle(timeout)

    def graph_images(self, count, timeout=UI_TIMEOUT):
        """Wait for ``count`` loaded graph images in the outputs; see ``wait_for_images``."""
        return wait_for_images(self.page, f".jp-Notebook .jp-OutputArea-output {GRAPH_IMG}",
                               count, timeout)


# --- Images ----------------------------------------------------------------------------------


def describe_images(page, selector):
    """``{"src": first 40 characters, "complete", "naturalWidth", "naturalHeight"}`` per image."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(img => ({
               src: img.getAttribute('src').slice(0, 40), complete: img.complete,
               naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight}))""",
        selector)


def wait_for_images(page, selector, count, timeout=UI_TIMEOUT):
    """Wait until ``selector`` matches ``count`` images (None: any number) that all loaded;
    describe them.

    Describes what is there even when the wait times out, so that the caller's assertion
    (see ``assert_graphs_rendered``) says what went wrong.
    """
    try:
        page.wait_for_function(
            """([selector, count]) => {
                   const imgs = [...document.querySelectorAll(selector)];
                   return (count === null ? imgs.length > 0 : imgs.length === count)
                       && imgs.every(i => i.complete && i.naturalWidth > 0);
               }""",
            arg=[selector, count], timeout=timeout)
    except require_playwright().Error:
        pass
    return describe_images(page, selector)


def assert_graphs_rendered(images, count):
    assert len(images) == count, f"expected {count} graph image(s), found {len(images)}: {images}"
    for image in images:
        assert image["src"].startswith(GRAPH_IMG_PREFIX), image
        assert image["complete"] and image["naturalWidth"] > 0 and image["naturalHeight"] > 0, (
            f"a graph image did not render: {image}")


def stored_graph_count(nb):
    """How many graph images the stored outputs of notebook ``nb`` hold."""
    return sum(output.get("data", {}).get("text/html", "").count(f'<img src="{GRAPH_IMG_PREFIX}')
               for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)


# Any stored picture: our SVG images, and matplotlib's PNG outputs (JupyterLab shows those as
# <img src="data:image/png;base64,...">).
FIGURE_PREFIXES = ("data:image/svg+xml;base64,", "data:image/png;base64,")
FIGURE_IMG = ", ".join(f'img[src^="{prefix}"]' for prefix in FIGURE_PREFIXES)


def figures_in(scope):
    """A CSS selector for the pictures inside the elements that ``scope`` selects."""
    return ", ".join(f'{scope} img[src^="{prefix}"]' for prefix in FIGURE_PREFIXES)


def stored_figure_count(nb):
    """How many pictures the stored outputs of notebook ``nb`` show: SVG images in HTML outputs
    (graphs, chain-rule figures, heatmaps, charts, the explorers' opening states) and PNG outputs."""
    pngs = sum(1 for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs
               if "image/png" in output.get("data", {}) and "text/html" not in output["data"])
    return stored_graph_count(nb) + pngs
