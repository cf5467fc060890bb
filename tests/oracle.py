"""The PyTorch oracle and other optional test dependencies.

autograd_nb matches PyTorch 2.13 in names, semantics, reprs and errors, so many
tests compare against the real thing.  PyTorch is optional on a developer's
machine (the tests that need it skip) but required under CI, where a missing
oracle is a failure rather than a silent skip.

Use the ``torch`` fixture from ``tests/conftest.py`` inside tests, or call
:func:`require_torch` at module level::

    from tests.oracle import require_torch

    torch = require_torch()
"""

from __future__ import annotations

import os
import shutil
from types import ModuleType

import pytest

#: The PyTorch release whose behaviour autograd_nb reproduces.
TORCH_VERSION = "2.13"

#: Where Debian's chromium package puts the browser driven by Playwright.
CHROMIUM = "/usr/bin/chromium"

_FALSE = {"", "0", "false", "no", "off"}


def ci_enabled() -> bool:
    """True when the ``CI`` environment variable is set to a true-ish value."""
    return os.environ.get("CI", "").strip().lower() not in _FALSE


def _missing(what: str, why: str) -> None:
    """Fail under CI, skip elsewhere (also valid at module level)."""
    if ci_enabled():
        pytest.fail(f"{what} is required when CI is set: {why}", pytrace=False)
    pytest.skip(why, allow_module_level=True)


def require_torch() -> ModuleType:
    """Return the ``torch`` module, or skip (fail under CI) when it is missing."""
    try:
        import torch
    except ImportError as exc:
        if ci_enabled():
            pytest.fail(
                f"PyTorch is required when CI is set ({exc}); "
                f"install it with: pip install torch=={TORCH_VERSION}.0",
                pytrace=False,
            )
        pytest.skip("PyTorch not installed", allow_module_level=True)
    if ci_enabled():
        release = torch.__version__.split("+")[0]
        if release != TORCH_VERSION and not release.startswith(TORCH_VERSION + "."):
            pytest.fail(
                f"CI compares against PyTorch {TORCH_VERSION}, found {torch.__version__}",
                pytrace=False,
            )
    return torch


def require_chromium() -> str:
    """Return the path of the Chromium binary for Playwright's ``executable_path``.

    Skips (fails under CI) when no Chromium is installed.  ``CHROMIUM_PATH``
    overrides the default ``/usr/bin/chromium``.
    """
    path = os.environ.get("CHROMIUM_PATH") or CHROMIUM
    if not os.access(path, os.X_OK):
        found = shutil.which("chromium")
        if found is None:
            _missing("Chromium", f"Chromium not installed (looked for {path})")
        path = found
    return path


def run_program(lib, code):
    """Run ``code`` with ``torch`` (and ``F``) bound to ``lib``: the repr of its variable ``r`` (or the exception
    it raised, type and message) with memory addresses blanked, and the messages of the warnings it gave."""
    import re
    import warnings

    env = {"torch": lib, "F": lib.nn.functional}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, env)
            outcome = repr(env.get("r"))
        except Exception as e:  # the message is what we compare
            outcome = f"{type(e).__name__}: {e}"
    messages = [str(w.message).split(" (Triggered internally")[0] for w in caught]
    return re.sub(r"0x[0-9a-f]+", "0x?", outcome), messages


def assert_same_as_pytorch(lib, torch, code):
    """``code`` prints (``run_program``) the same under ``lib`` as under PyTorch. PyTorch runs it twice: the first
    use of some of its modules warns about its own internals."""
    run_program(torch, code)
    expected = run_program(torch, code)
    assert not expected[0].startswith(("SyntaxError", "NameError", "AttributeError")), expected  # (it must run)
    assert run_program(lib, code) == expected
