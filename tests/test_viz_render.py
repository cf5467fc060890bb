"""autograd_nb.viz: SVG output, Jupyter display, files, size cap.

Golden files: ``tests/golden/viz_*.svg``. After an intended change of the picture, rewrite
them with ``AUTOGRAD_NB_REGEN_GOLDEN=1 python -m pytest tests/test_viz_render.py`` and look
at the diff (and the pictures) before committing.
"""

import base64
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd_nb.viz import Graph, draw, labels, node_html, style, tensor_html

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("PyTorch is required under CI")
        pytest.skip("PyTorch is not installed")
    return torch


# The three golden graphs. This source is also run in fresh interpreters (see below), so it
# must build everything from scratch and print nothing else.
GOLDEN_SOURCE = '''
import torch
from autograd_nb.viz import draw


def golden_graphs():
    # the requires_grad lesson: only z requires grad, so a = x + y is not in the graph
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([4.0, 5.0, 6.0])
    z = torch.tensor([7.0, 8.0, 9.0], requires_grad=True)
    a = x + y
    b = a + z
    yield "lesson", draw([a, b], params={"x": x, "y": y, "z": z, "a": a, "b": b})

    # w * w: both inputs of MulBackward0 lead to the same AccumulateGrad
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    square = (w * w).sum()
    yield "square_lr", draw(square, params={"w": w}, show_values=True, rankdir="LR")

    # one neuron, with what backward needs saved, after one backward pass
    W = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    bias = torch.tensor([0.1, -0.2], requires_grad=True)
    inputs = torch.tensor([[1.0, 2.0]])
    out = torch.tanh(inputs @ W + bias).sum()
    out.backward(retain_graph=True)
    yield "neuron_saved", draw(out, params={"W": W, "bias": bias, "inputs": inputs},
                               show_saved=True, show_grads=True, highlight=[bias])
'''


def _golden_graphs():
    _torch()
    namespace = {}
    exec(GOLDEN_SOURCE, namespace)
    return dict(namespace["golden_graphs"]())


@pytest.fixture(scope="module")
def golden_graphs():
    return _golden_graphs()


@pytest.mark.parametrize("name", ["lesson", "square_lr", "neuron_saved"])
def test_golden_svg(golden_graphs, name):
    svg = golden_graphs[name].to_svg()
    path = GOLDEN / f"viz_{name}.svg"
    if os.environ.get("AUTOGRAD_NB_REGEN_GOLDEN"):
        path.write_bytes(svg.encode("utf-8"))
    assert path.exists(), f"missing {path}: run with AUTOGRAD_NB_REGEN_GOLDEN=1"
    assert svg.encode("utf-8") == path.read_bytes()


def test_svg_is_byte_identical_in_fresh_processes(golden_graphs):
    script = GOLDEN_SOURCE + (
        "\nimport sys\n"
        "for name, graph in golden_graphs():\n"
        "    sys.stdout.buffer.write(graph.to_svg().encode('utf-8') + b'\\0')\n"
    )
    outputs = []
    for seed in ("1", "2"):  # different hash seeds: set/dict-of-str order would show up
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=os.pathsep.join(sys.path))
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env,
                                cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    here = b"".join(g.to_svg().encode("utf-8") + b"\0" for g in golden_graphs.values())
    assert outputs[0] == here


# -- what is in the SVG ------------------------------------------------------------------------


def _parse(svg):
    return ET.fromstring(svg)


def _nodes(root):
    """(kind, rect attributes, label lines) for each node box."""
    for g in root.iter(f"{SVG}g"):
        classes = g.get("class", "").split()
        if classes[:1] == ["node"]:
            rect = g.find(f"{SVG}rect")
            yield classes[1], rect.attrib, [t.text for t in g.findall(f"{SVG}text")]


def test_svg_is_well_formed_self_contained_and_has_no_ids(golden_graphs):
    for graph in golden_graphs.values():
        svg = graph.to_svg()
        root = _parse(svg)
        assert root.tag == f"{SVG}svg"
        for element in root.iter():
            assert element.tag.startswith(SVG), element.tag
            assert not any(name == "id" or name.endswith("}id") for name in element.attrib)
            assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}marker",
                                       f"{SVG}image", f"{SVG}foreignObject")
            for value in element.attrib.values():
                assert "url(" not in value and "http" not in value
        assert "<script" not in svg and "href" not in svg
        assert " id=" not in svg


def test_every_node_has_a_tooltip(golden_graphs):
    root = _parse(golden_graphs["neuron_saved"].to_svg())
    boxes = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("node ")]
    assert len(boxes) == golden_graphs["neuron_saved"].nx.number_of_nodes()
    tips = [g.find(f"{SVG}title").text for g in boxes]
    assert "TanhBackward0\nnext_functions: ((AddBackward0, 0),)\n"\
        "_saved_result: tensor (1, 2) torch.float32" in tips


def test_colour_per_kind(golden_graphs):
    seen = set()
    for graph in golden_graphs.values():
        for kind, rect, _ in _nodes(_parse(graph.to_svg())):
            seen.add(kind)
            assert rect["fill"] == style.NODE_STYLE[kind]["fill"]
            assert ("stroke-dasharray" in rect) == (kind == "nograd")
    assert seen == set(style.KINDS)
    assert style.NODE_STYLE["leaf"]["fill"] == "#add8e6"  # light blue
    assert style.NODE_STYLE["saved"]["fill"] == "#ffa500"  # orange
    assert len({style.NODE_STYLE[k]["fill"] for k in style.KINDS}) == len(style.KINDS)


def test_highlight_draws_a_thick_accent_border(golden_graphs):
    nodes = list(_nodes(_parse(golden_graphs["neuron_saved"].to_svg())))
    accent = style.HIGHLIGHT["stroke"]
    thick = [(kind, lines) for kind, rect, lines in nodes if rect["stroke"] == accent]
    assert thick == [("leaf", ["bias", "(2,)", "grad [0.0004041, 0.6347]"])]


def test_legend_lists_only_the_kinds_drawn(golden_graphs):
    for graph in golden_graphs.values():
        root = _parse(graph.to_svg())
        legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
        texts = [t.text for t in legend.iter(f"{SVG}text")]
        drawn = {kind for kind, _, _ in _nodes(root)}
        edges = {kind for *_, kind in graph.nx.edges(data="kind")}
        lines = [labels.LINE["next"]] if "next" in edges else []
        lines += [labels.LINE["attach"]] if edges & {"grad_fn", "variable"} else []
        lines += [labels.LINE["saved"]] if "saved" in edges else []
        assert texts == [labels.KIND[k] for k in style.KINDS if k in drawn] + lines
    lesson = {kind for kind, _, _ in _nodes(_parse(golden_graphs["lesson"].to_svg()))}
    assert lesson == {"nograd", "output", "function", "accumulate", "leaf"}


def test_user_strings_are_escaped():
    torch = _torch()
    evil = "<script>alert(1)</script>"
    w = torch.ones(2, requires_grad=True)
    graph = draw((w * 2).sum(), params={evil: w, 'q"uote & <b>': torch.zeros(1)})
    svg = graph.to_svg()
    assert evil not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "q&quot;uote &amp; &lt;b&gt;" in svg
    labels = [lines[0] for _, _, lines in _nodes(_parse(svg))]
    assert evil in labels  # parsed back, the text is the name itself
    html = graph._repr_html_()
    assert evil not in html and "<b>" not in html
    assert evil not in base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)).decode()


def test_names_with_control_characters_stay_well_formed_xml():
    torch = _torch()
    w = torch.ones(1, requires_grad=True)
    _parse(draw(w * 2, params={"bad\x00name\x1b": w}).to_svg())


def test_output_is_the_same_on_every_call(golden_graphs):
    graph = golden_graphs["neuron_saved"]
    assert graph.to_svg() == graph.to_svg()
    numbers = re.findall(r'(?<![\w-])(?:x|y|width|height)="([^"]+)"', graph.to_svg())
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


# -- Jupyter display ---------------------------------------------------------------------------


def test_repr_html_is_an_img_with_the_same_svg(golden_graphs):
    graph = golden_graphs["lesson"]
    html = graph._repr_html_()
    match = re.fullmatch(
        r'<div class="autograd-nb-graph"><img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"'
        r' alt="([^"]*)" width="(\d+)" height="(\d+)" style="max-width:100%;height:auto"/></div>',
        html,
    )
    assert match, html[:300]
    assert base64.b64decode(match.group(1)).decode("utf-8") == graph.to_svg()
    root = _parse(graph.to_svg())
    assert float(root.get("width")) <= int(match.group(3)) < float(root.get("width")) + 1
    assert match.group(2).startswith("autograd graph, 7 nodes: 1 output, 1 function, 1 accumulate")
    assert "AddBackward0" in match.group(2) and "<" not in match.group(2)


def test_mimebundle_has_text_html_and_svg(golden_graphs):
    graph = golden_graphs["lesson"]
    bundle = graph._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/svg+xml"}
    assert bundle["text/html"] == graph._repr_html_()
    assert bundle["image/svg+xml"] == graph.to_svg()
    assert bundle["text/plain"] == repr(graph) == "\n".join([
        "a (3,) [nograd]",
        "b (3,) [output]",
        "└─ AddBackward0",
        "   └─ AccumulateGrad",
        "      └─ z (3,) [leaf]",
        "x (3,) [nograd]",
        "y (3,) [nograd]",
    ])
    assert set(graph._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(graph._repr_mimebundle_(exclude=["text/plain"])) == {"text/html", "image/svg+xml"}


def test_tensor_html():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    h = w * w
    loss = h.sum()
    loss.backward(retain_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # must not read .grad of the non-leaf h
        leaf, inner = tensor_html(w), tensor_html(h)
    assert leaf.startswith(
        '<div class="autograd-nb-tensor"><pre>tensor([2., 3.], requires_grad=True)</pre>')
    assert "<code>[4., 6.]</code>" in leaf and "data:image/svg+xml" not in leaf
    assert "<pre>tensor([4., 9.], grad_fn=&lt;MulBackward0&gt;)</pre>" in inner
    assert "<code>&lt;MulBackward0&gt;</code>" in inner and "not kept for a non-leaf" in inner
    assert inner.endswith(draw(h)._repr_html_() + "</div>")


def test_node_html_draws_the_part_below_a_node():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    y = (w.exp() * 3).sum()
    node = y.grad_fn.next_functions[0][0]  # MulBackward0
    html = node_html(node)
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)).decode()
    labels = [lines[0] for _, _, lines in _nodes(_parse(svg))]
    assert labels == ["MulBackward0", "ExpBackward0", "AccumulateGrad", "(2,)"]


# -- size cap ----------------------------------------------------------------------------------


def test_big_graph_collapses_to_a_small_card():
    torch = _torch()
    x = torch.ones(2, requires_grad=True)
    h = x
    for _ in range(997):
        h = h * 1.5
    graph = draw(h, max_nodes=300)
    assert graph.nx.number_of_nodes() == 1000
    assert graph.collapsed
    svg, html = graph.to_svg(), graph._repr_html_()
    assert len(svg.encode()) < 20_000 and len(html.encode()) < 20_000
    root = _parse(svg)
    lines = [t.text for t in root.iter(f"{SVG}text")]
    assert lines[0] == "Graph too large to draw: 1,000 nodes (max_nodes=300)"
    assert lines[1] == "Nodes by kind: 1 output, 997 function, 1 accumulate, 1 leaf"
    assert lines[3].split() == ["n0", "(2,)", "[output]"]
    assert lines[4].split() == ["n1", "MulBackward0"]
    assert repr(graph).splitlines()[0] == lines[0]
    assert not draw(h, max_nodes=1000).collapsed


# -- files -------------------------------------------------------------------------------------


def test_save_svg_png_pdf(golden_graphs, tmp_path):
    graph = golden_graphs["neuron_saved"]
    graph.save(tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_bytes() == graph.to_svg().encode("utf-8")
    graph.save(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    graph.save(str(tmp_path / "g.pdf"))
    assert (tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf"):
        graph.save(tmp_path / "g.gif")


def test_png_size_follows_the_svg(golden_graphs, tmp_path):
    import matplotlib.image

    graph = golden_graphs["lesson"]
    graph.save(tmp_path / "g.png")
    height, width = matplotlib.image.imread(tmp_path / "g.png").shape[:2]
    root = _parse(graph.to_svg())
    # saved at 144 dpi with 1 layout unit = 1 pt: twice the SVG's px size
    assert abs(width - 2 * float(root.get("width"))) <= 2
    assert abs(height - 2 * float(root.get("height"))) <= 2


def test_collapsed_graph_saves_too(tmp_path):
    torch = _torch()
    h = torch.ones(1, requires_grad=True)
    for _ in range(20):
        h = h + 1
    graph = draw(h, max_nodes=5)
    graph.save(tmp_path / "card.png")
    graph.save(tmp_path / "card.svg")
    assert (tmp_path / "card.png").read_bytes()[:4] == b"\x89PNG"
    assert "Graph too large to draw" in (tmp_path / "card.svg").read_text(encoding="utf-8")


def test_plot_paints_every_node(golden_graphs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graph = golden_graphs["neuron_saved"]
    fig, ax = plt.subplots()
    try:
        assert graph.plot(ax) is ax
        texts = {t.get_text() for t in ax.texts}
        assert {"TanhBackward0", "bias", "AccumulateGrad", labels.KIND["saved"]} <= texts
        kinds = [k for *_, k in graph.nx.edges(data="kind")]
        arrows, tethers = kinds.count("next"), len(kinds) - kinds.count("next")
        # one box per node; a curve and an arrowhead per arrow, a dot per tether; in the
        # legend, a box per kind of box, an arrowhead for arrows, a dot per kind of tether
        boxes = len({k for _, k in graph.nx.nodes(data="kind")})
        lines = 1 + len({"grad_fn" if k == "variable" else k for k in kinds} - {"next"})
        assert len(ax.patches) == graph.nx.number_of_nodes() + 2 * arrows + tethers + boxes + lines
    finally:
        plt.close(fig)


# -- draw's arguments --------------------------------------------------------------------------


def test_highlight_by_tensor_key_and_node():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    h = w.exp()
    loss = (h * 2).sum()

    def marked(graph):
        return sorted(k for k, on in graph.nx.nodes(data="highlight") if on)

    assert marked(draw(loss, highlight=[w])) == ["n5"]  # the leaf box
    assert marked(draw(loss, highlight=[h])) == ["n3"]  # h itself is not drawn: its grad_fn
    assert marked(draw(loss, highlight=[loss.grad_fn, "n0"])) == ["n0", "n1"]
    with pytest.raises(KeyError):
        draw(loss, highlight=["n99"])
    with pytest.raises(ValueError, match="not in the graph"):
        draw(loss, highlight=[torch.ones(1)])


def test_draw_arguments():
    torch = _torch()
    w = torch.ones(2, requires_grad=True)
    graph = draw(w * 2, rankdir="LR")
    assert isinstance(graph, Graph) and graph.rankdir == "LR"
    assert _parse(graph.to_svg()).get("width")
    with pytest.raises(ValueError, match="rankdir"):
        draw(w * 2, rankdir="RL")
    empty = draw([])
    assert empty.nx.number_of_nodes() == 0
    _parse(empty.to_svg())
    assert repr(empty) == ""


def test_jupyter_shows_tensors_and_nodes_as_graphs_but_text_stays_pytorch():
    import re

    import autograd_nb as nb

    x = nb.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).sum()
    assert y._repr_html_() == tensor_html(y)
    assert y.grad_fn._repr_html_() == node_html(y.grad_fn)
    assert "data:image/svg+xml;base64," in y.grad_fn._repr_html_()
    assert repr(y) == "tensor(9., grad_fn=<SumBackward0>)"
    assert re.fullmatch(r"<SumBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))


# -- figures: chain rule, filmstrip, heatmap, chart ---------------------------------------------


def _neuron():
    import autograd_nb

    x = autograd_nb.tensor(1.5)
    w = autograd_nb.tensor(-0.8, requires_grad=True)
    b = autograd_nb.tensor(0.3, requires_grad=True)
    return w, b, ((w * x + b).tanh() - 0.5) ** 2


def test_chain_rule_writes_every_gradient_rule_and_grad_and_leaves_tensors_alone():
    from autograd_nb.viz import chain_rule

    w, b, loss = _neuron()
    b.grad = kept = b.detach().clone()
    figure = chain_rule(loss, params={"w": w, "b": b, "L": loss})
    assert b.grad is kept and w.grad is None  # put back as they were
    svg = figure.to_svg()
    assert figure.to_svg() == chain_rule(loss, params={"w": w, "b": b, "L": loss}).to_svg()
    root = _parse(svg)
    labels_drawn = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "labels"
                    for t in g.iter(f"{SVG}text")]
    assert labels_drawn == ["-2.433", "-2.433", "-1.184", "-1.184", "-1.184", "-1.777"]
    assert ".grad = -1.777" in svg and ".grad = -1.184" in svg and "v = 1." in svg
    assert "∂/∂x = 1 − y²" in svg and ".grad += g" in svg
    assert labels.LINE["gradient"] in svg and labels.RULE_LEGEND in svg
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "image/svg+xml"}


def test_filmstrip_has_one_frame_per_step_and_no_leaf_gradient_at_step_zero():
    from autograd_nb.viz.backward import BackwardPass

    w, b, loss = _neuron()
    recorded = BackwardPass.record(loss, params={"w": w, "b": b, "L": loss})
    assert len(recorded) == 8
    assert recorded.grads(0) == {"b": None, "w": None}
    first, last = recorded.picture(0), recorded.picture(7)
    sizes = [(d["width"], d["height"]) for _, d in first.layout().nodes(data=True)]
    assert sizes == [(d["width"], d["height"]) for _, d in last.layout().nodes(data=True)]
    svg = recorded.filmstrip().to_svg()
    _parse(svg)
    assert svg.count("<svg ") == 1 + 8 and "7: AccumulateGrad → w.grad" in svg


def test_heatmap_and_chart_are_pure_svg():
    from autograd_nb.viz import chart, heatmap

    figure = heatmap([[2.0, 1.0, 0.0], [12.0, 4.0, 3.0]], v=[1.0, 0.5])
    root = _parse(figure.to_svg())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "vᵀJ" in texts and "8." in texts and "1.5" in texts and "×0.5" in texts
    assert heatmap([[1.0]], limit=2.0).to_svg() != heatmap([[1.0]]).to_svg()
    lines = chart({"never cleared": [2.0, 4.0], "cleared before each call": [2.0, 2.0]})
    root = _parse(lines.to_svg())
    longest = max(len("cleared before each call"), len("never cleared")) * style.CHAR_WIDTH
    names = [t for t in root.iter(f"{SVG}text") if t.text == "cleared before each call"]
    assert float(names[0].get("x")) + longest <= float(root.get("width"))
