"""autograd_nb.viz: the graph model, the text tree and the layout.

Graphs come from real PyTorch (the oracle) and from a tiny duck-typed stand-in, so the code
is checked against the interface, not against one engine.
"""

import os
import sys
import warnings
from collections import deque

import networkx as nx
import pytest

from autograd_nb.viz import draw, layout, to_networkx, to_text
from autograd_nb.viz.model import format_number, format_values


def _torch():
    try:
        import torch
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("PyTorch is required under CI")
        pytest.skip("PyTorch is not installed")
    return torch


def _walk(root):
    """An independent breadth-first walk of ``next_functions``: node names in discovery order
    and the edges between their positions."""
    order, position, edges = [root], {id(root): 0}, set()
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            if id(nxt) not in position:
                position[id(nxt)] = len(order)
                order.append(nxt)
                queue.append(nxt)
            edges.add((position[id(node)], position[id(nxt)]))
    return [type(n).__name__ for n in order], edges


def _backward_part(graph):
    """Our graph's backward nodes in key order, and their "next" edges by position."""
    keys = [k for k in sorted(graph, key=lambda k: graph.nodes[k]["order"])
            if graph.nodes[k]["kind"] in ("function", "accumulate")]
    position = {k: i for i, k in enumerate(keys)}
    edges = {(position[u], position[v])
             for u, v, kind in graph.edges(data="kind") if kind == "next"}
    return [graph.nodes[k]["label"] for k in keys], edges


def _lesson(torch):
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([4.0, 5.0, 6.0])
    z = torch.tensor([7.0, 8.0, 9.0], requires_grad=True)
    a = x + y
    b = a + z
    return x, y, z, a, b


# -- the model ---------------------------------------------------------------------------------


def test_lesson_graph_nodes_and_edges():
    torch = _torch()
    x, y, z, a, b = _lesson(torch)
    g = to_networkx([a, b], params={"z": z, "a": a, "b": b})
    kinds = {k: (d["kind"], d["label"]) for k, d in g.nodes(data=True)}
    assert kinds == {
        "n0": ("nograd", "a\n(3,)"),
        "n1": ("output", "b\n(3,)"),
        "n2": ("function", "AddBackward0"),
        "n3": ("accumulate", "AccumulateGrad"),
        "n4": ("leaf", "z\n(3,)"),
    }
    assert {(u, v, d["kind"]) for u, v, d in g.edges(data=True)} == {
        ("n1", "n2", "grad_fn"),
        ("n2", "n3", "next"),
        ("n3", "n4", "variable"),
    }
    # a needs no grad: b.grad_fn.next_functions[0] is (None, 0), so nothing is drawn for it
    assert b.grad_fn.next_functions[0] == (None, 0)
    assert nx.is_isolate(g, "n0")
    assert g.edges["n2", "n3"]["slots"] == (1,)
    assert g.nodes["n4"]["requires_grad"] is True and g.nodes["n0"]["requires_grad"] is False
    assert g.nodes["n1"]["is_leaf"] is False and g.nodes["n4"]["is_leaf"] is True
    assert g.nodes["n1"]["dtype"] == "torch.float32" and g.nodes["n1"]["shape"] == (3,)


def test_lesson_graph_as_text():
    torch = _torch()
    x, y, z, a, b = _lesson(torch)
    assert to_text(to_networkx([a, b], params={"z": z, "a": a, "b": b})) == "\n".join([
        "a (3,) [nograd]",
        "b (3,) [output]",
        "└─ AddBackward0",
        "   └─ AccumulateGrad",
        "      └─ z (3,) [leaf]",
    ])


def _examples(torch):
    torch.manual_seed(0)
    x = torch.randn(3, requires_grad=True)
    w = torch.randn(3, requires_grad=True)
    yield (x * w).sum()
    yield (x * x).exp().mean()
    W1 = torch.randn(4, 3, requires_grad=True)
    b1 = torch.zeros(4, requires_grad=True)
    W2 = torch.randn(2, 4, requires_grad=True)
    h = torch.tanh(torch.randn(5, 3) @ W1.T + b1)
    yield ((h @ W2.T - 1) ** 2).mean()
    u = x * 2
    yield (u * u.exp() + u.sin() * w).sum()  # shared subexpressions: a DAG, not a tree
    first, second, _ = (x * w).unbind(0)
    yield first + second  # two outputs of one node (output_nr 0 and 1)


def test_graph_matches_an_independent_walk_of_next_functions():
    torch = _torch()
    for loss in _examples(torch):
        g = to_networkx(loss)
        assert _backward_part(g) == _walk(loss.grad_fn)
        assert g.nodes["n0"]["kind"] == "output" and list(g.successors("n0")) == ["n1"]
        assert [k for k in g if g.nodes[k]["kind"] in ("function", "accumulate")][0] == "n1"
        assert nx.is_directed_acyclic_graph(g)


def test_output_nrs_and_slots_follow_next_functions():
    torch = _torch()
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    first, second, _ = x.unbind(0)
    g = to_networkx(first * second)
    mul = "n1"
    assert g.nodes[mul]["label"] == "MulBackward0"
    unbind = next(g.successors(mul))
    assert g.nodes[unbind]["label"] == "UnbindBackward0"
    assert g.edges[mul, unbind]["slots"] == (0, 1)
    assert g.edges[mul, unbind]["output_nrs"] == (0, 1)
    assert g.edges[mul, unbind]["label"] == "×2"


def test_leaves_carry_their_names_and_unreached_params_stand_alone():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    unused = torch.zeros(2, requires_grad=True)
    data = torch.ones(2)
    loss = (w * w).sum()
    g = to_networkx(loss, params={"w": w, "unused": unused, "data": data})
    by_name = {d["name"]: (k, d["kind"]) for k, d in g.nodes(data=True) if d["name"]}
    assert by_name["w"][1] == "leaf"
    assert g.nodes[next(g.predecessors(by_name["w"][0]))]["label"] == "AccumulateGrad"
    assert by_name["unused"][1] == "leaf" and nx.is_isolate(g, by_name["unused"][0])
    assert by_name["data"][1] == "nograd" and nx.is_isolate(g, by_name["data"][0])


def test_a_grad_fn_node_can_be_the_root():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    y = (w * 3).exp()
    g = to_networkx(y.grad_fn)
    assert [g.nodes[k]["label"] for k in sorted(g, key=lambda k: g.nodes[k]["order"])] == [
        "ExpBackward0", "MulBackward0", "AccumulateGrad", "(2,)"]
    assert g.nodes["n0"]["kind"] == "function"


def test_custom_function_node_name():
    torch = _torch()

    class MyFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = torch.ones(2, requires_grad=True)
    g = to_networkx(MyFn.apply(x).sum())
    assert [g.nodes[k]["label"] for k in ("n1", "n2", "n3")] == [
        "SumBackward0", "MyFnBackward", "AccumulateGrad"]


def test_saved_tensors_are_opt_in_and_named_like_pytorch():
    torch = _torch()
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
    e = (x * w).exp()
    loss = e.sum()
    assert not any(d["kind"] == "saved" for _, d in to_networkx(loss).nodes(data=True))
    g = to_networkx(loss, params={"x": x, "w": w}, show_saved=True)
    saved = {k: d["label"] for k, d in g.nodes(data=True) if d["kind"] == "saved"}
    # ExpBackward0 saves its result; MulBackward0 saves both inputs (PyTorch returns the
    # leaves themselves, so their names are found by identity)
    assert saved == {
        "n2.saved_result": "result\n(3,)",
        "n3.saved_other": "other = w\n(3,)",
        "n3.saved_self": "self = x\n(3,)",
    }
    assert g.nodes["n2"]["label"] == "ExpBackward0" and g.nodes["n3"]["label"] == "MulBackward0"
    assert g.edges["n3", "n3.saved_self"] == {
        "kind": "saved", "attr": "_saved_self",
        "tooltip": "MulBackward0._saved_self: saved by forward for backward"}
    assert "_saved_result: tensor (3,) torch.float32" in g.nodes["n2"]["tooltip"]


def test_saved_tensors_after_backward_are_reported_freed():
    torch = _torch()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = x.exp().sum()
    loss.backward()
    with pytest.raises(RuntimeError):
        loss.grad_fn.next_functions[0][0]._saved_result
    g = to_networkx(loss, show_saved=True)
    assert not any(d["kind"] == "saved" for _, d in g.nodes(data=True))
    assert "_saved_result: freed by backward()" in g.nodes["n2"]["tooltip"]


def test_values_and_grads_in_labels():
    torch = _torch()
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    h = w * w
    h.retain_grad()
    loss = h.sum()
    loss.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading .grad of a non-leaf would warn
        g = to_networkx([loss, h], params={"w": w, "h": h}, show_values=True, show_grads=True)
    labels = {d["name"] or k: d["label"] for k, d in g.nodes(data=True) if d["kind"] != "function"}
    assert labels["w"] == "w\n(2,)\n[2., 3.]\ngrad [4., 6.]"
    assert labels["h"] == "h\n(2,)\n[4., 9.]\ngrad [1., 1.]"
    assert labels["n0"] == "()\n13."  # loss: a non-leaf whose grad PyTorch does not keep
    assert g.nodes["n0"]["grad"] is None
    assert "grad not kept" in g.nodes["n0"]["tooltip"]
    assert g.nodes["n0"]["values"] == "13."


def test_number_formatting_is_fixed():
    assert [format_number(v) for v in (2.0, -3.0, 0.1, 1 / 3, 1e-7, 123456.0, 7, True)] == [
        "2.", "-3.", "0.1", "0.3333", "1e-07", "1.235e+05", "7", "True"]
    torch = _torch()
    assert format_values(torch.arange(10.0)) == "[0., 1., 2., 3., 4., 5., …]"
    assert format_values(torch.tensor(2.5)) == "2.5"
    assert format_values(torch.tensor([[1, 2], [3, 4]])) == "[1, 2, 3, 4]"


# -- the same code on a duck-typed engine ------------------------------------------------------


class _T:
    """Just the tensor interface viz reads."""

    def __init__(self, shape, requires_grad=False, grad_fn=None, values=None):
        self.shape, self.requires_grad, self.grad_fn = shape, requires_grad, grad_fn
        self.is_leaf = grad_fn is None
        self.retains_grad = False
        self.grad = None
        self.dtype = "torch.float32"
        self._values = values

    def detach(self):
        return self

    def numpy(self):
        import numpy as np

        return np.array(self._values, dtype=np.float32)


class AccumulateGrad:
    def __init__(self, variable):
        self.variable, self.next_functions = variable, ()

    def name(self):
        return "torch::autograd::AccumulateGrad"


class MulBackward0:
    def __init__(self, *inputs, saved=()):
        self.next_functions = inputs
        self._saved = saved

    def name(self):
        return "MulBackward0"

    def __getattr__(self, attr):
        if attr == "_saved_self":
            if self._saved is None:
                raise RuntimeError("Trying to backward through the graph a second time")
            return self._saved
        raise AttributeError(attr)

    def __dir__(self):
        return sorted(list(super().__dir__()) + ["_saved_self"])


def test_duck_typed_nodes_and_tensors():
    w = _T((2,), requires_grad=True, values=[1.0, 2.0])
    acc = AccumulateGrad(w)
    mul = MulBackward0((acc, 0), (None, 0), (acc, 0), saved=w)
    out = _T((2,), requires_grad=True, grad_fn=mul, values=[1.0, 4.0])
    g = to_networkx(out, params={"w": w}, show_saved=True, show_values=True)
    assert {k: d["label"] for k, d in g.nodes(data=True)} == {
        "n0": "(2,)\n[1., 4.]",
        "n1": "MulBackward0",
        "n2": "AccumulateGrad",
        "n1.saved_self": "self = w\n(2,)\n[1., 2.]",
        "n3": "w\n(2,)\n[1., 2.]",
    }
    assert g.edges["n1", "n2"]["slots"] == (0, 2)
    mul._saved = None  # as after backward(): reading the saved tensor raises RuntimeError
    g = to_networkx(out, show_saved=True)
    assert "n1.saved_self" not in g
    assert "_saved_self: freed by backward()" in g.nodes["n1"]["tooltip"]


def _chain(length):
    """A duck-typed chain ``length`` nodes deep: out <- Mul <- Mul <- ... <- AccumulateGrad."""
    leaf = _T((1,), requires_grad=True)
    node = AccumulateGrad(leaf)
    for _ in range(length):
        node = MulBackward0((node, 0))
    return _T((1,), requires_grad=True, grad_fn=node)


def _stack_depth():
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_deep_graphs_need_no_recursion():
    out = _chain(3000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + 80)  # far less than 3000: recursion would fail
    try:
        graph = draw(out, max_nodes=10_000)
        svg = graph.to_svg()
        text = to_text(graph.nx)
    finally:
        sys.setrecursionlimit(limit)
    assert graph.nx.number_of_nodes() == 3003
    assert svg.count('<g class="node ') == 3003
    assert text.endswith("… 2,803 more nodes not shown")


def test_autograd_nb_tensors_draw_like_pytorch():
    """The package's own tensors give the same picture as PyTorch's, where the engine exists."""
    torch = _torch()
    anb = pytest.importorskip("autograd_nb")
    if not hasattr(anb, "tensor"):
        pytest.skip("autograd_nb.tensor is not written yet")

    def graph(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w = lib.tensor([4.0, 5.0, 6.0], requires_grad=True)
        loss = (x * w).exp().sum()
        g = to_networkx(loss, params={"x": x, "w": w}, show_saved=True, show_values=True)
        return ({k: (d["kind"], d["label"]) for k, d in g.nodes(data=True)},
                {(u, v, d["kind"]) for u, v, d in g.edges(data=True)})

    assert graph(anb) == graph(torch)


# -- layout ------------------------------------------------------------------------------------


def _boxes_overlap(a, b):
    return (abs(a["x"] - b["x"]) * 2 < a["width"] + b["width"]
            and abs(a["y"] - b["y"]) * 2 < a["height"] + b["height"])


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_layout_geometry(rankdir):
    torch = _torch()
    for loss in _examples(torch):
        laid = layout(to_networkx(loss, show_saved=True), rankdir)
        nodes = [d for _, d in laid.nodes(data=True)]
        for i, a in enumerate(nodes):
            assert a["x"] - a["width"] / 2 >= 0 and a["x"] + a["width"] / 2 <= laid.graph["width"]
            assert a["y"] - a["height"] / 2 >= 0
            assert a["y"] + a["height"] / 2 <= laid.graph["height"]
            for b in nodes[i + 1:]:
                assert not _boxes_overlap(a, b)
        axis = 1 if rankdir == "TB" else 0
        for u, v, d in laid.edges(data=True):
            if d["kind"] == "next":
                # every arrow runs from the output side toward the inputs
                assert d["points"][0][axis] < d["points"][-1][axis]
                assert laid.nodes[u]["xy"[axis]] < laid.nodes[v]["xy"[axis]]
            else:
                # a tensor is a tag beside its node, in the same layer, tied by a short line
                node, tag = (v, u) if d["kind"] == "grad_fn" else (u, v)
                assert d["tag"] == tag and laid.nodes[node]["kind"] in ("function", "accumulate")
                assert laid.nodes[tag]["xy"[1 - axis]] > laid.nodes[node]["xy"[1 - axis]]
                (x0, y0), (x1, y1) = d["points"]
                assert abs(x1 - x0) + abs(y1 - y0) < 60


def test_edge_labels_sit_between_layers_apart_from_boxes_and_each_other():
    torch = _torch()
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    g = to_networkx((h.exp() * h + h * h).sum(), params={"x": x, "h": h})
    for u, v, kind in g.edges(data="kind"):
        if kind == "next":
            g.edges[u, v]["label"] = "[13.71, 22.78]"  # as wide as a chain-rule figure's
    laid = layout(g)
    boxes = [d for _, d in laid.nodes(data=True)]
    labels = [dict(x=d["label_at"][0], y=d["label_at"][1], width=d["label_width"], height=15)
              for _, _, d in laid.edges(data=True) if "label_at" in d]
    assert len(labels) == sum(1 for *_, k in g.edges(data="kind") if k == "next")
    for i, a in enumerate(labels):
        assert all(not _boxes_overlap(a, b) for b in boxes), a
        assert all(not _boxes_overlap(a, b) for b in labels[i + 1:]), a


def test_layout_is_deterministic_and_leaves_the_model_alone():
    torch = _torch()
    loss = list(_examples(torch))[2]
    g = to_networkx(loss, show_saved=True)
    first, second = layout(g), layout(to_networkx(loss, show_saved=True))
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True)) == list(second.edges(data=True))
    assert "x" not in g.nodes["n0"]


def test_layout_box_size_grows_with_the_label():
    g = nx.DiGraph()
    g.add_node("n0", kind="function", label="AddBackward0", order=0)
    g.add_node("n1", kind="leaf", label="a much longer label\n(3,)", order=1)
    laid = layout(g)
    assert laid.nodes["n1"]["width"] > laid.nodes["n0"]["width"]
    assert laid.nodes["n1"]["height"] > laid.nodes["n0"]["height"]


def test_barycenter_ordering_removes_a_crossing():
    # A and B on top; D hangs under A and C under B, but C was discovered first.
    g = nx.DiGraph()
    for order, key in enumerate("ABCD"):
        g.add_node(key, kind="function", label=key, order=order)
    g.add_edge("A", "D")
    g.add_edge("B", "C")
    laid = layout(g)
    assert laid.nodes["A"]["x"] < laid.nodes["B"]["x"]
    assert laid.nodes["D"]["x"] < laid.nodes["C"]["x"]


def test_layout_rejects_unknown_rankdir():
    with pytest.raises(ValueError, match="rankdir"):
        layout(nx.DiGraph(), "BT")
