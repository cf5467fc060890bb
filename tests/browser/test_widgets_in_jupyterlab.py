"""The explorers, clicked in JupyterLab: a ticked box or a step redraws the graph picture.

One notebook shows ``requires_grad_explorer()`` and ``graph_builder()``; it is opened with no
stored outputs and run with Run → Run All Cells, so the widgets come from the live kernel
(ipywidgets 8, drawn by jupyterlab_widgets). Each explorer shows its graph as an ``<img>`` with a
``data:image/svg+xml;base64,`` source inside a ``widgets.HTML``; after every click the test waits
for that ``src`` to change and the new image to be decoded, then decodes the SVG and compares it
with what the explorer's model (``RequiresGradModel``, ``ForwardSteps``), run here in the test
process, draws for the same state.
"""

import base64
import xml.etree.ElementTree as ET

import nbformat
import pytest

from autograd_nb.viz.style import HIGHLIGHT
from autograd_nb.widgets import ForwardSteps, RequiresGradModel
from autograd_nb.widgets.panels import CURRENT_LINE
from tests.browser.labtools import GRAPH_IMG, GRAPH_IMG_PREFIX

pytestmark = pytest.mark.browser

CELLS = [
    "from autograd_nb.widgets import requires_grad_explorer, graph_builder, backward_stepper",
    "w1 = requires_grad_explorer(); w1",
    "w2 = graph_builder(); w2",
    # The leaves already hold gradients when the stepper is made: it must still start from None.
    """\
import autograd_nb as torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([3.0, 4.0], requires_grad=True)
loss = (x * w).exp().sum()
loss.backward(retain_graph=True)
w3 = backward_stepper(loss, params={"x": x, "w": w, "loss": loss}); w3""",
]
EXPLORER_CELL, BUILDER_CELL, STEPPER_CELL = 1, 2, 3  # indices among the notebook's code cells

SVG_NS = "{http://www.w3.org/2000/svg}"
STEP_BUTTON = "step ▶"  # GraphBuilder.step_button's description


def widgets_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells.extend(nbformat.v4.new_code_cell(source) for source in CELLS)
    return nb


# --- What the page shows -------------------------------------------------------------------------

# The one graph image in a cell's widget output, once its src is not ``old`` and it is decoded.
NEW_PICTURE_JS = f"""([cell, old]) => {{
    const imgs = cell.querySelectorAll('.jp-OutputArea-output .widget-html {GRAPH_IMG}');
    if (imgs.length !== 1) return null;
    const img = imgs[0], src = img.getAttribute('src');
    return src !== old && img.complete && img.naturalWidth > 0 ? src : null;
}}"""


def wait_for_new_picture(page, cell, old=None):
    """The decoded SVG of ``cell``'s graph image, once its ``src`` differs from ``old``.

    ``cell`` is the code cell's element handle (the cell stays put while the widget redraws its
    HTML, which replaces the ``<img>``). ``old`` is the previous ``src``, or None while there is
    no picture yet. Returns ``(src, svg)``.
    """
    src = page.wait_for_function(NEW_PICTURE_JS, arg=[cell, old]).json_value()
    assert src.startswith(GRAPH_IMG_PREFIX), src[:60]
    return src, base64.b64decode(src[len(GRAPH_IMG_PREFIX):]).decode("utf-8")


def svg_nodes(svg):
    """``[(kind, label, highlighted)]`` for the node boxes of a ``viz`` SVG, in drawing order.

    ``kind`` is the node's class after ``node`` (leaf, output, function, accumulate, nograd),
    ``label`` its first line of text, ``highlighted`` whether its box has the highlight border.
    """
    nodes = []
    for group in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        classes = group.get("class", "").split()
        if classes[:1] != ["node"]:
            continue
        rect = group.find(f"{SVG_NS}rect")
        text = group.find(f"{SVG_NS}text")
        nodes.append((classes[1], text.text if text is not None else "",
                      rect is not None and rect.get("stroke") == HIGHLIGHT["stroke"]))
    return nodes


def table_rows(output):
    """The explorer's table as ``{tensor: {column: text}}``."""
    return output.locator(".widget-html table").first.evaluate(
        """(table) => {
               const head = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
               return Object.fromEntries([...table.tBodies[0].rows].map(row => {
                   const cells = [...row.cells].map(c => c.textContent.trim());
                   return [cells[0], Object.fromEntries(head.map((h, i) => [h, cells[i]]))];
               }));
           }""")


def current_code_lines(output):
    """The code lines marked as running: ``[(text, background colour)]``."""
    return [tuple(line) for line in output.evaluate(
        """(output) => [...output.querySelectorAll('.widget-html span')]
               .filter(span => span.textContent.startsWith('▶'))
               .map(span => [span.parentElement.textContent.replace(/\\s+/g, ' ').trim(),
                             getComputedStyle(span.parentElement).backgroundColor])""")]


# The builder's two columns (code | caption, picture, notes) and everything in them, as boxes.
BUILDER_BOXES_JS = """(output) => {
    const flex = output.querySelector('.widget-html div[style*="display:flex"]');
    const [code, right] = flex.children;
    const box = (e) => { const r = e.getBoundingClientRect();
                         return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    return {code: box(code), parts: [...right.children].map(box),
            overflow: code.scrollWidth - code.clientWidth};
}"""


def overlap(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def assert_builder_has_no_overlap(output):
    boxes = output.evaluate(BUILDER_BOXES_JS)
    assert boxes["overflow"] <= 0, f"the code runs out of its column by {boxes['overflow']} px"
    for part in boxes["parts"]:
        assert not overlap(boxes["code"], part), (boxes["code"], part)


def rgb(hex_colour):
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


# --- The test ------------------------------------------------------------------------------------


def test_explorers_redraw_their_graph_when_clicked(lab, screenshot, outside_requests):
    page = lab.page
    nb = widgets_notebook()
    name = lab.server.add_notebook(nb, "explorers.ipynb")
    lab.open(name, cells=len(nb.cells))
    lab.run_all()

    cells = lab.notebook.locator(".jp-CodeCell")
    explorer = cells.nth(EXPLORER_CELL).locator(".jp-OutputArea-output")
    builder = cells.nth(BUILDER_CELL).locator(".jp-OutputArea-output")
    lab.expect(explorer.locator(".jupyter-widgets.widget-checkbox")).to_have_count(3)
    step = builder.locator(".jupyter-widgets.widget-button", has_text=STEP_BUTTON)
    lab.expect(step).to_be_enabled()

    # --- requires_grad_explorer: only z requires grad (the lesson's flags) ---------------------
    model = RequiresGradModel()
    boxes = {leaf: explorer.get_by_label(f"{leaf}.requires_grad", exact=True)
             for leaf in ("x", "y", "z")}
    for leaf, box in boxes.items():
        lab.expect(box).to_be_checked(checked=model.leaves[leaf])
    assert model.leaves == {"x": False, "y": False, "z": True}

    explorer_cell = cells.nth(EXPLORER_CELL).element_handle()
    before_src, before = wait_for_new_picture(page, explorer_cell)
    assert before == model.state()["svg"]
    nodes = svg_nodes(before)
    assert {(kind, label) for kind, label, _ in nodes} == {
        ("nograd", "x"), ("nograd", "y"), ("leaf", "z"), ("nograd", "a"), ("output", "b"),
        ("function", "AddBackward0"), ("accumulate", "AccumulateGrad")}
    # thick pink border: the backward nodes b.backward() runs
    assert [label for _, label, lit in nodes if lit] == ["AddBackward0", "AccumulateGrad"]
    rows = table_rows(explorer)
    assert rows["b"]["requires_grad"] == "True" and rows["b"]["grad_fn"] == "<AddBackward0>"
    assert rows["z"]["requires_grad"] == "True"
    explorer.first.scroll_into_view_if_needed()
    screenshot("1-requires-grad-z-on")

    # Untick z.requires_grad: nothing requires grad any more, so autograd records nothing.
    boxes["z"].click()
    lab.expect(boxes["z"]).not_to_be_checked()
    after_src, after = wait_for_new_picture(page, explorer_cell, before_src)
    assert after != before
    assert after == model.state({"z": False})["svg"]
    nodes = svg_nodes(after)
    assert sorted(label for _, label, _ in nodes) == ["a", "b", "x", "y", "z"]
    assert {kind for kind, _, _ in nodes} == {"nograd"}
    assert "AddBackward0" not in after and "AccumulateGrad" not in after
    rows = table_rows(explorer)
    assert {tensor: row["requires_grad"] for tensor, row in rows.items()} == dict.fromkeys(
        ["x", "y", "z", "a", "b"], "False")
    assert rows["b"]["grad_fn"] == "None" and rows["b"]["is_leaf"] == "True"
    lab.expect(explorer.locator(".autograd-nb-error")).to_contain_text("b.backward()")
    lab.expect(explorer).to_contain_text("outside the graph: x, y, z, a, b")
    explorer.first.scroll_into_view_if_needed()
    screenshot("2-requires-grad-z-off")

    # --- graph_builder: step 0 shows no tensors; each step adds a statement's nodes ------------
    steps = ForwardSteps()
    assert steps.frame(0)["svg"] is None
    lab.expect(builder).to_contain_text("step 0/5: nothing has run yet")
    lab.expect(builder).to_contain_text("(no tensors yet)")
    assert builder.locator(GRAPH_IMG).count() == 0
    assert current_code_lines(builder) == []
    assert_builder_has_no_overlap(builder)
    builder.first.scroll_into_view_if_needed()
    screenshot("3-graph-builder-step-0")

    # Two steps bring in the leaves x and w; the third, y = x * w, the first backward node.
    builder_cell = cells.nth(BUILDER_CELL).element_handle()
    expected_new = [["x"], ["w"], ["y", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]]
    src, shown = None, []
    for i, new in enumerate(expected_new, start=1):
        frame = steps.frame(i)
        assert frame["new"] == new  # the model agrees with what this test expects to see
        step.click()
        lab.expect(builder).to_contain_text(frame["caption"])
        src, svg = wait_for_new_picture(page, builder_cell, src)
        assert svg == frame["svg"]
        nodes = svg_nodes(svg)
        labels = [label for _, label, _ in nodes]
        assert len(nodes) > len(shown) and all(label in labels for label in shown), (
            f"step {i}: the graph lost nodes: {shown} -> {labels}")
        assert sorted(label for _, label, lit in nodes if lit) == sorted(new)
        assert sorted(labels) == sorted(shown + new)
        shown = labels
        statement = steps.statements[i - 1][2]
        assert current_code_lines(builder) == [(f"▶ {i} {statement}", rgb(CURRENT_LINE))]
        lab.expect(builder).to_contain_text("new (thick pink border): " + ", ".join(new))
        assert_builder_has_no_overlap(builder)
        builder.first.scroll_into_view_if_needed()
        screenshot(f"{i + 3}-graph-builder-step-{i}")
    assert "MulBackward0" in shown
    for _ in range(len(steps) - 1 - len(expected_new)):  # the last steps, still no overlap
        step.click()
        src, _ = wait_for_new_picture(page, builder_cell, src)
        assert_builder_has_no_overlap(builder)

    # --- backward_stepper: step 0 shows no leaf gradient, though the leaves hold one ----------
    stepper = cells.nth(STEPPER_CELL).locator(".jp-OutputArea-output")
    lab.expect(stepper).to_contain_text("step 0/5: backward starts")
    stepper_cell = cells.nth(STEPPER_CELL).element_handle()
    src, svg = wait_for_new_picture(page, stepper_cell)
    assert table_rows(stepper) == {"x": {"leaf": "x", ".grad after this step": "None"},
                                   "w": {"leaf": "w", ".grad after this step": "None"}}
    assert svg.count(".grad = None") == 2 and "60.26" not in svg
    stepper.first.scroll_into_view_if_needed()
    screenshot("9-backward-stepper-step-0")
    stepper_step = stepper.locator(".jupyter-widgets.widget-button", has_text=STEP_BUTTON)
    for _ in range(5):
        stepper_step.click()
    lab.expect(stepper).to_contain_text("step 5/5")
    src, svg = wait_for_new_picture(page, stepper_cell, src)
    rows = table_rows(stepper)  # one pass's gradients, not twice them
    assert rows["x"][".grad after this step"] == "[60.26, 1.192e+04]"
    assert rows["w"][".grad after this step"] == "[20.09, 5962.]"
    screenshot("10-backward-stepper-last-step")

    assert outside_requests == []
