"""The lessons as a learner first sees them: opened in JupyterLab, untrusted, not run yet.

Every graph picture stored in a lesson notebook must show: as many graph images on the page as the
notebook stores, each one decoded by the browser. Lessons ``01`` and ``02`` are always checked,
with any other stored lesson that holds a graph picture. A lesson whose ``.ipynb`` is not there
(yet) is built from ``notebooks/src/`` by ``notebooks/build.py``, in a temporary copy of
``notebooks/``, so that the repository is left as it was.
"""

import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.browser.labtools import GRAPH_IMG, REPO, assert_graphs_rendered, stored_graph_count

pytestmark = pytest.mark.browser

NOTEBOOKS = REPO / "notebooks"
ALWAYS = ("01_requires_grad", "02_graph_of_functions")


def lessons():
    stems = set(ALWAYS)
    for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"):
        try:
            if stored_graph_count(nbformat.read(path, as_version=4)):
                stems.add(path.stem)
        except (OSError, ValueError):  # unreadable: its test reports why
            stems.add(path.stem)
    return sorted(stems)


@pytest.fixture(scope="module")
def lesson_path(jupyter_env, tmp_path_factory):
    """``lesson_path(stem)``: the stored notebook, or one built now from its source."""
    built = {}

    def find(stem):
        stored = NOTEBOOKS / f"{stem}.ipynb"
        if stored.exists():
            return stored
        if stem not in built:
            copy = tmp_path_factory.mktemp("lessons") / "notebooks"
            shutil.copytree(NOTEBOOKS, copy, ignore=shutil.ignore_patterns("*.ipynb"))
            subprocess.run([sys.executable, str(copy / "build.py"), stem], cwd=REPO,
                           env=jupyter_env, check=True, timeout=600, capture_output=True)
            built[stem] = copy / f"{stem}.ipynb"
        return built[stem]

    return find


@pytest.mark.parametrize("stem", lessons())
def test_stored_graphs_show_in_untrusted_lesson(stem, lesson_path, lab, screenshot,
                                                outside_requests):
    nb = nbformat.read(lesson_path(stem), as_version=4)
    expected = stored_graph_count(nb)
    name = lab.server.add_notebook(nb, f"{stem}.ipynb")
    assert lab.server.is_trusted(name) is False
    lab.open(name, cells=len(nb.cells))
    assert_graphs_rendered(lab.graph_images(expected), expected)
    if expected:
        lab.notebook.locator(GRAPH_IMG).first.scroll_into_view_if_needed()
    screenshot("untrusted")
    assert outside_requests == []
