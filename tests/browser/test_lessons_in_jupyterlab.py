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


# --- the Chinese edition ---------------------------------------------------------------------------
ZH = NOTEBOOKS / "zh"

# Draws each string on a canvas in the given font and returns its pixels as a string, so that two
# strings can be compared: a font without Chinese glyphs draws every Chinese character as the same box
# ("tofu"), the same as a code point no font has (U+10FFFD), while a real font draws each differently.
_GLYPHS_JS = """([font, texts]) => texts.map(text => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const ctx = canvas.getContext("2d");
    ctx.font = font; ctx.fillStyle = "#000"; ctx.textBaseline = "top";
    ctx.fillText(text, 4, 4);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(",");
})"""
_NO_GLYPH = "\U0010fffd"


def assert_chinese_glyphs(page, font):
    ti, du, missing, empty = page.evaluate(_GLYPHS_JS, [font, ["梯", "度", _NO_GLYPH, ""]])
    assert ti != empty and du != empty, f"nothing drawn in {font!r}"
    assert ti != du, f"'梯' and '度' look the same in {font!r}: Chinese renders as boxes"
    assert ti != missing, f"'梯' looks like a missing glyph in {font!r}: Chinese renders as boxes"


@pytest.mark.parametrize("stem", sorted(PROMISED))
def test_chinese_lesson_shows_its_figures_untrusted(stem, lab, outside_requests):
    nb = nbformat.read(ZH / f"{stem}.ipynb", as_version=4)
    expected = stored_figure_count(nb)
    assert expected >= PROMISED[stem], f"zh/{stem} stores {expected} pictures, promised {PROMISED[stem]}"
    name = lab.server.add_notebook(nb, f"zh-{stem}.ipynb")
    lab.open(name, cells=len(nb.cells))
    selector = figures_in(".jp-Notebook .jp-OutputArea-output")
    assert_figures_rendered(wait_for_images(lab.page, selector, expected), expected)
    assert outside_requests == []


def test_chinese_renders_as_glyphs_in_the_lesson_and_its_pictures(lab, screenshot):
    """Lesson 3 in Chinese: its heading and the font the pictures name draw real Chinese glyphs, not boxes
    (look at the screenshots: the heading, and the chain-rule figure's Chinese legend)."""
    import base64
    import re

    nb = nbformat.read(ZH / "03_backward_and_chain_rule.ipynb", as_version=4)
    name = lab.server.add_notebook(nb, "zh-03.ipynb")
    lab.open(name, cells=len(nb.cells))
    heading = lab.notebook.locator(".jp-RenderedMarkdown h1").first
    assert "链式法则" in heading.inner_text()
    assert_chinese_glyphs(lab.page, heading.evaluate("h => getComputedStyle(h).font"))
    screenshot("heading")
    selector = figures_in(".jp-Notebook .jp-OutputArea-output")
    wait_for_images(lab.page, selector, stored_figure_count(nb))
    figure = lab.notebook.locator(FIGURE_IMG).first
    src = figure.get_attribute("src")
    svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    assert re.search(r"[\u4e00-\u9fff]", svg), "the picture's words are Chinese"
    family = re.search(r'font-family[=:]\s*"?([^";>]+)', svg).group(1).replace("&quot;", '"')
    assert_chinese_glyphs(lab.page, f"14px {family}")
    figure.scroll_into_view_if_needed()
    screenshot("figure")
