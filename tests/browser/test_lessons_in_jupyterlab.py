"""The lessons as a learner first sees them: opened in JupyterLab, untrusted, not run yet.

Every picture stored in a lesson must show, with no kernel: as many images on the page as the
notebook stores, each one decoded by the browser, and at least as many as the course promises
(``PROMISED``: every lesson's idea visible without a kernel). A lesson whose ``.ipynb`` is not
there (yet) is built from ``notebooks/src/`` by ``notebooks/build.py``, in a temporary copy of
``notebooks/``, so that the repository is left as it was.
"""

import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.browser.labtools import (FIGURE_IMG, REPO, figures_in, stored_figure_count,
                                    wait_for_images)

pytestmark = pytest.mark.browser

NOTEBOOKS = REPO / "notebooks"

# The pictures each lesson shows as stored, at least (graphs, chain-rule figures and filmstrips,
# heatmaps, charts, the explorers' opening states, matplotlib plots).
PROMISED = {
    "00_welcome": 1,
    "01_requires_grad": 2,
    "02_graph_of_functions": 3,
    "03_backward_and_chain_rule": 4,
    "04_jacobians_and_vjp": 4,
    "05_gradients_accumulate": 4,
    "06_controlling_the_graph": 1,
    "07_higher_order_and_functional": 2,
    "08_write_your_own_op": 2,
    "09_train_a_tiny_network": 4,
    "10_the_engine_in_40_lines": 2,
}


def test_every_lesson_has_a_promise():
    assert sorted(PROMISED) == sorted(p.stem for p in (NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))


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


def assert_figures_rendered(images, count):
    assert len(images) == count, f"expected {count} picture(s), found {len(images)}: {images}"
    for image in images:
        assert image["complete"] and image["naturalWidth"] > 0 and image["naturalHeight"] > 0, (
            f"a picture did not render: {image}")


@pytest.mark.parametrize("stem", sorted(PROMISED))
def test_stored_figures_show_in_untrusted_lesson(stem, lesson_path, lab, screenshot,
                                                 outside_requests):
    nb = nbformat.read(lesson_path(stem), as_version=4)
    expected = stored_figure_count(nb)
    assert expected >= PROMISED[stem], f"{stem} stores {expected} pictures, promised {PROMISED[stem]}"
    name = lab.server.add_notebook(nb, f"{stem}.ipynb")
    assert lab.server.is_trusted(name) is False
    lab.open(name, cells=len(nb.cells))
    selector = figures_in(".jp-Notebook .jp-OutputArea-output")
    assert_figures_rendered(wait_for_images(lab.page, selector, expected), expected)
    lab.notebook.locator(FIGURE_IMG).first.scroll_into_view_if_needed()
    screenshot("untrusted")
    assert outside_requests == []
