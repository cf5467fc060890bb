"""Under CI a skipped test fails the run; elsewhere skips are allowed."""

from __future__ import annotations

import sys

import pytest

# The inner runs load the guard exactly as the real suite does: through the
# pytest_configure hook of tests/conftest.py.
CONFTEST = "from tests.conftest import pytest_configure\n"

SUITE = """
import pytest

def test_runs():
    assert True

def test_needs_something():
    pytest.skip("something not installed")
"""


@pytest.fixture
def suite(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_suite=SUITE)
    return pytester


@pytest.mark.parametrize("value", ["1", "true"])
def test_skip_under_ci_fails_the_run(suite, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    result = suite.runpytest()
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*CI forbids skipped tests*",
            "SKIPPED test_suite.py::test_needs_something - something not installed",
            "1 skipped under CI: the run fails*",
        ]
    )


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_skip_without_ci_passes(suite, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    result = suite.runpytest()
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*CI forbids skipped tests*")


def test_module_level_skip_under_ci_fails_the_run(pytester, monkeypatch):
    monkeypatch.setenv("CI", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_ok="def test_ok():\n    pass\n",
        test_gone="import pytest\npytest.skip('gone', allow_module_level=True)\n",
    )
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["SKIPPED test_gone.py - gone"])


def test_clean_run_under_ci_passes(pytester, monkeypatch):
    monkeypatch.setenv("CI", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_clean="""
import pytest

def test_ok():
    pass

@pytest.mark.xfail(reason="known", strict=True)
def test_expected_failure():
    assert False
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, xfailed=1)
    assert result.ret == pytest.ExitCode.OK


def test_failures_keep_their_status(pytester, monkeypatch):
    monkeypatch.setenv("CI", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_bad="""
import pytest

def test_fails():
    assert False

def test_skips():
    pytest.skip("missing")
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_torch_fixture_fails_under_ci_without_torch(pytester, monkeypatch):
    """The oracle fixture fails rather than skips under CI when torch is missing."""
    monkeypatch.setenv("CI", "1")
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    pytester.makeconftest("from tests.conftest import pytest_configure, torch\n")
    pytester.makepyfile(test_oracle="def test_oracle(torch):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*PyTorch is required when CI is set*"])


def test_torch_fixture_skips_without_ci_or_torch(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    pytester.makeconftest("from tests.conftest import pytest_configure, torch\n")
    pytester.makepyfile(test_oracle="def test_oracle(torch):\n    pass\n")
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*PyTorch not installed*"])
