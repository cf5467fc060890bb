"""See the graph: ``autograd_nb.viz.draw`` in JupyterLab, live and from stored outputs.

A learner opens a notebook someone else ran (stored outputs, untrusted), runs it again, or reads
it exported to HTML; the graph picture must show in all three. ``Graph._repr_html_`` writes the SVG
as an ``<img>`` with a ``data:image/svg+xml;base64,`` source because JupyterLab's sanitizer, which
cleans the HTML of untrusted notebooks, removes inline ``<svg>``; the last test measures that.
"""

import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from tests.browser.labtools import (GRAPH_IMG, assert_graphs_rendered, stored_graph_count,
                                    wait_for_images)

pytestmark = pytest.mark.browser

GRAPH_CELL = """\
import autograd_nb
from autograd_nb.viz import draw

x = autograd_nb.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = autograd_nb.tensor([0.5, -1.0, 2.0], requires_grad=True)
loss = (x * w).sum()
draw(loss, params={"x": x, "w": w, "loss": loss})"""

# The same picture twice, built in the kernel: as inline <svg> markup and as Graph's <img>.
SANITIZER_CELLS = [
    """\
import autograd_nb
from autograd_nb.viz import draw
from IPython.display import HTML

x = autograd_nb.tensor([1.0, 2.0], requires_grad=True)
graph = draw((x * x).sum(), params={"x": x})""",
    'HTML(\'<div class="inline-svg">\' + graph.to_svg() + "</div>")',
    "HTML(graph._repr_html_())",
]


def notebook(sources, title):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {title}"))
    nb.cells.extend(nbformat.v4.new_code_cell(source) for source in sources)
    return nb


def executed(nb, jupyter_env, directory):
    """Run ``nb`` with nbclient in a private kernel, so that it carries stored outputs."""
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(directory)}}).execute(env=jupyter_env)
    return nb


def stored_html(nb):
    return [output["data"]["text/html"] for cell in nb.cells if cell.cell_type == "code"
            for output in cell.outputs if "text/html" in output.get("data", {})]


@pytest.fixture(scope="module")
def graph_notebook(jupyter_env, tmp_path_factory):
    """A one-graph notebook, executed, with its outputs stored (not signed: untrusted)."""
    nb = executed(notebook([GRAPH_CELL], "See the graph"), jupyter_env,
                  tmp_path_factory.mktemp("graph-notebook"))
    (html,) = stored_html(nb)
    assert stored_graph_count(nb) == 1 and "<svg" not in html
    return nb


@pytest.fixture(scope="module")
def sanitizer_notebook(jupyter_env, tmp_path_factory):
    nb = executed(notebook(SANITIZER_CELLS, "Inline SVG and an image of it"), jupyter_env,
                  tmp_path_factory.mktemp("sanitizer-notebook"))
    inline, image = stored_html(nb)
    assert inline.count("<svg") == 1 and "<img" not in inline
    assert stored_graph_count(nb) == 1 and "<svg" not in image
    return nb


def test_stored_graph_shows_in_untrusted_notebook(lab, graph_notebook, screenshot,
                                                  outside_requests):
    name = lab.server.add_notebook(graph_notebook, "see_the_graph_stored.ipynb")
    assert lab.server.is_trusted(name) is False
    lab.open(name, cells=len(graph_notebook.cells))
    assert_graphs_rendered(lab.graph_images(1), 1)
    lab.notebook.locator(GRAPH_IMG).scroll_into_view_if_needed()
    screenshot("untrusted")
    assert outside_requests == []


def test_graph_shows_after_run_all(lab, graph_notebook, screenshot, outside_requests):
    name = lab.server.add_notebook(graph_notebook, "see_the_graph_live.ipynb")
    lab.open(name, cells=len(graph_notebook.cells))
    assert_graphs_rendered(lab.graph_images(1), 1)  # the stored output, before it is cleared
    lab.run_all()
    assert_graphs_rendered(lab.graph_images(1), 1)
    lab.notebook.locator(GRAPH_IMG).scroll_into_view_if_needed()
    screenshot("after-run-all")
    assert outside_requests == []


def test_graph_shows_in_exported_html(page, graph_notebook, jupyter_env, tmp_path, screenshot):
    source = tmp_path / "see_the_graph.ipynb"
    nbformat.write(graph_notebook, source)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(source)],
        env=jupyter_env, cwd=tmp_path, check=True, timeout=120, capture_output=True)
    exported = tmp_path / "see_the_graph.html"
    # The page asks a CDN for require.js and MathJax; the page fixture aborts those requests.
    page.goto(exported.as_uri(), wait_until="domcontentloaded")
    assert_graphs_rendered(wait_for_images(page, GRAPH_IMG, 1), 1)
    page.locator(GRAPH_IMG).scroll_into_view_if_needed()
    screenshot("nbconvert-html")


def test_untrusted_notebook_drops_inline_svg_but_shows_data_uri_image(lab, sanitizer_notebook,
                                                                      screenshot):
    """What the rendering choice rests on, measured in this JupyterLab.

    Untrusted (opened from disk, not run): the inline ``<svg>`` output is sanitized away, all but
    its text, while the image shows. Trusted (the same cells run live): the inline ``<svg>``
    survives, so it was the sanitizer, not the markup, that removed it.
    """
    name = lab.server.add_notebook(sanitizer_notebook, "inline_svg_vs_img.ipynb")
    assert lab.server.is_trusted(name) is False
    lab.open(name, cells=len(sanitizer_notebook.cells))
    outputs = lab.notebook.locator(".jp-OutputArea-output")
    lab.expect(outputs).to_have_count(2)
    inline, image = outputs.nth(0), outputs.nth(1)
    assert_graphs_rendered(lab.graph_images(1), 1)
    assert inline.locator("svg").count() == 0
    assert inline.locator(GRAPH_IMG).count() == 0
    # The sanitizer drops the SVG elements but keeps their text: the labels and tooltips run
    # together into a paragraph of words.
    assert "SumBackward0" in inline.inner_text()
    assert image.locator(GRAPH_IMG).count() == 1
    screenshot("untrusted")

    lab.run_all()
    lab.expect(outputs).to_have_count(2)
    lab.expect(inline.locator("svg")).to_have_count(1)
    assert_graphs_rendered(lab.graph_images(1), 1)
    screenshot("trusted-after-run-all")
