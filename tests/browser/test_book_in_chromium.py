"""The static HTML edition of the course (``python notebooks/book.py``), opened from disk in Chromium.

It is built into a temporary folder from the stored notebooks, then read as a learner without a
network would: the contents page, then every lesson by its "next" link. Each page must show its
pictures (at least the number promised for the lesson), have its formulas typeset by the MathJax
copy beside it, link to lessons as pages, and ask nothing of the network.
"""

import json
import re
import subprocess
import sys

import nbformat
import pytest

from tests.browser.labtools import REPO, figures_in, require_playwright, wait_for_images
from tests.browser.test_lessons_in_jupyterlab import PROMISED

pytestmark = pytest.mark.browser

TYPESET = """() => new Promise(done => {
    if (!window.MathJax || !MathJax.Hub) { done(false); return; }
    MathJax.Hub.Queue(() => done(true));
})"""


def has_math(stem, edition=""):
    """Whether a lesson's prose holds TeX ($...$ or $$...$$)."""
    nb = nbformat.read(REPO / "notebooks" / edition / f"{stem}.ipynb", as_version=4)
    return any(re.search(r"\$[^$\n]+\$", c.source) for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "html"
    subprocess.run([sys.executable, str(REPO / "notebooks" / "book.py"), str(out)], check=True,
                   timeout=600, capture_output=True)
    return out


@pytest.mark.parametrize("edition", ["", "zh/"], ids=["en", "zh"])
def test_book_opens_offline_with_figures_math_and_links(edition, page, book, screenshot, outside_requests):
    expect = require_playwright().expect
    book = book / edition
    stems = json.loads((book / "pages.json").read_text(encoding="utf-8"))
    assert stems[:-1] == sorted(PROMISED) and stems[-1] == "glossary"

    page.goto((book / "index.html").as_uri())
    other = page.locator("p a").first.get_attribute("href")
    assert (book / other).resolve().exists(), other  # the other edition's contents
    contents = page.locator("ol a")
    expect(contents).to_have_count(len(stems))
    assert [contents.nth(i).get_attribute("href") for i in range(len(stems))] == [
        f"{stem}.html" for stem in stems]
    screenshot("contents")
    contents.first.click()

    for i, stem in enumerate(stems):
        page.wait_for_url(f"**/{stem}.html")
        assert page.evaluate(TYPESET) is True, f"{stem}: MathJax did not load"
        text = page.inner_text("body")
        if stem in PROMISED:
            images = wait_for_images(page, figures_in(".jp-OutputArea-output"), None)
            assert len(images) >= PROMISED[stem], (stem, images)
            assert all(im["complete"] and im["naturalWidth"] > 0 for im in images), (stem, images)
        if has_math(stem, edition):
            assert page.locator(".MathJax, .MathJax_Display").count() > 0, f"{stem}: no math typeset"
        assert "\\frac" not in text and "\\partial" not in text, f"{stem}: raw TeX on the page"
        for href in page.eval_on_selector_all(".jp-RenderedMarkdown a[href]", "as => as.map(a => a.getAttribute('href'))"):
            assert not href.endswith(".ipynb"), f"{stem}: a link still points at a notebook: {href}"
            if re.fullmatch(r"(\d\d_\w+|glossary)\.html(#.*)?", href):
                assert (book / href.split("#")[0]).exists(), href
        if stem in ("03_backward_and_chain_rule", "04_jacobians_and_vjp"):
            screenshot(stem)
        if i + 1 < len(stems):
            page.locator('nav.autograd-nb-book a[rel="next"]').first.click()
    assert outside_requests == []
