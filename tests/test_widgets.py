"""autograd_nb.widgets: the models' numbers and pictures, and the shells' controls.

No browser: controls are driven from Python (``.value = ...``, ``button.click()``), and the
rendered HTML/SVG is read back and parsed.
"""

import base64
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd_nb
import autograd_nb.widgets as W
from autograd_nb.autograd import functional, trace
from autograd_nb.widgets import panels
from autograd_nb.widgets.accumulation import AccumulationModel
from autograd_nb.widgets.backward import BackwardReplay
from autograd_nb.widgets.forward import LESSON_SOURCE, ForwardSteps
from autograd_nb.widgets.jacobian import BUILTINS, JacobianModel
from autograd_nb.widgets.requires_grad import RequiresGradModel

ACCENT = "#d6006f"  # viz.style.HIGHLIGHT["stroke"]
SVG = "{http://www.w3.org/2000/svg}"


# -- reading pictures back ------------------------------------------------------------------------


def boxes(svg):
    """``[(kind, first label line, highlighted)]`` for every node box in an SVG from viz."""
    out = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if classes[:1] != ["node"]:
            continue
        rect = group.find(f"{SVG}rect")
        text = group.find(f"{SVG}text")
        out.append((classes[1], text.text, rect.get("stroke") == ACCENT))
    return out


def kind_of(svg, label):
    kinds = {kind for kind, first, _ in boxes(svg) if first == label}
    assert len(kinds) == 1, (label, boxes(svg))
    return kinds.pop()


def highlighted(svg):
    return sorted(first for _, first, hot in boxes(svg) if hot)


def svgs_in(html):
    """The SVG documents inside the ``<img src="data:image/svg+xml;base64,...">`` tags of ``html``."""
    return [base64.b64decode(data).decode("utf-8")
            for data in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]


def lesson_tensors():
    x = autograd_nb.tensor([1.0, 2.0], requires_grad=True)
    w = autograd_nb.tensor([3.0, 4.0], requires_grad=True)
    loss = (x * w).exp().sum()
    return x, w, loss


# -- panels ------------------------------------------------------------------------------------------


def test_panels_escape_everything_they_are_given():
    assert "<script>" not in panels.error_box("<script>alert(1)</script>", "<b>")
    assert "&lt;script&gt;" in panels.error_box("<script>alert(1)</script>")
    assert "&lt;b&gt;" in panels.table(["<b>"], [["<i>"]])
    listing = panels.code_listing(["a = '<x>'", "b = 2"], current=[1], done=2)
    assert "&lt;x&gt;" in listing and listing.count(panels.CURRENT_LINE) == 1


def test_importing_the_package_loads_neither_ipywidgets_nor_matplotlib():
    code = ("import sys, autograd_nb.widgets; "
            "print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- 1. requires_grad -----------------------------------------------------------------------------


def test_requires_grad_lesson_defaults():
    state = RequiresGradModel().state()
    assert state["error"] is None
    assert state["kinds"] == {"x": "nograd", "y": "nograd", "z": "leaf", "a": "nograd",
                              "b": "output"}
    assert state["table"] == [
        ["x", "False", "True", "None"], ["y", "False", "True", "None"],
        ["z", "True", "True", "None"], ["a", "False", "True", "None"],
        ["b", "True", "False", "<AddBackward0>"],
    ]
    assert state["visits"] == ["AddBackward0", "AccumulateGrad (z.grad)"]
    assert state["excluded"] == ["x", "y", "a"]
    # the nodes b.backward() visits are the highlighted ones
    assert highlighted(state["svg"]) == ["AccumulateGrad", "AddBackward0"]
    assert kind_of(state["svg"], "a") == "nograd"


def test_unticking_z_makes_b_a_nograd_box_in_the_widget():
    w = W.requires_grad_explorer()
    assert sorted(w.checkboxes) == ["x", "y", "z"]
    assert [w.checkboxes[n].value for n in "xyz"] == [False, False, True]
    before = svgs_in(w.view.value)[0]
    assert kind_of(before, "b") == "output"

    w.checkboxes["z"].value = False
    after = svgs_in(w.view.value)[0]
    assert kind_of(after, "b") == "nograd"
    assert kind_of(after, "z") == "nograd"
    assert w.state["table"][-1] == ["b", "False", "True", "None"]
    assert highlighted(after) == []
    assert w.state["visits"] == []
    # what PyTorch says when you call backward on it, shown in the widget
    assert "element 0 of tensors does not require grad and does not have a grad_fn" in w.view.value

    w.checkboxes["x"].value = True  # now a = x + y requires grad, and b through it
    state = w.state
    assert state["kinds"]["a"] == "output" and state["kinds"]["b"] == "output"
    assert state["visits"] == ["AddBackward0", "AddBackward0", "AccumulateGrad (x.grad)"]
    assert state["excluded"] == ["y", "z"]


def test_requires_grad_matches_pytorch(torch):
    model = RequiresGradModel()
    for flags in ({"x": True}, {"y": True, "z": False}, {"z": False}):
        state = model.state(flags)
        full = {**{"x": False, "y": False, "z": True}, **flags}
        x, y, z = (torch.randn(5, 5, requires_grad=full[n]) for n in "xyz")
        a = x + y
        b = a + z
        expected = [[n, str(t.requires_grad), str(t.is_leaf),
                     "None" if t.grad_fn is None else f"<{type(t.grad_fn).__name__}>"]
                    for n, t in zip("xyzab", (x, y, z, a, b))]
        assert state["table"] == expected


def test_a_teachers_three_line_program():
    def program(requires_grad):
        x = autograd_nb.ones(3, requires_grad=requires_grad["x"])
        w = autograd_nb.full((3,), 2.0, requires_grad=requires_grad.get("w", False))
        return {"x": x, "w": w, "loss": (x * w).sum()}

    w = W.requires_grad_explorer(program)
    assert {n: box.value for n, box in w.checkboxes.items()} == {"x": True, "w": False}
    assert w.state["visits"] == ["SumBackward0", "MulBackward0", "AccumulateGrad (x.grad)"]
    w.checkboxes["w"].value = True
    assert w.state["visits"][-2:] == ["AccumulateGrad (x.grad)", "AccumulateGrad (w.grad)"]
    assert kind_of(w.state["svg"], "w") == "leaf"


def test_a_program_that_raises_shows_its_message_in_the_widget():
    def program(requires_grad):
        x = autograd_nb.ones(3, requires_grad=requires_grad["x"])
        return {"y": x @ autograd_nb.ones(4)}

    w = W.requires_grad_explorer(program)
    assert "autograd-nb-error" in w.view.value
    assert "RuntimeError: inconsistent tensor size" in w.view.value
    assert w.state["error"].startswith("RuntimeError")
    w.checkboxes["x"].value = False  # still alive: the box re-renders
    assert "autograd-nb-error" in w.view.value


def test_a_program_returning_the_wrong_thing_is_explained():
    state = RequiresGradModel(lambda rg: [autograd_nb.ones(2)]).state()
    assert state["error"] == "TypeError: the program must return a non-empty dict {name: tensor}, got list"
    state = RequiresGradModel(lambda rg: {"<b>": 3}).state()
    assert "not a tensor" in state["error"]
    assert "&#x27;&lt;b&gt;&#x27; = a int" in state["html"]


def test_tensor_names_are_escaped():
    state = RequiresGradModel(lambda rg: {"<x>": autograd_nb.ones(2, requires_grad=rg["<x>"])}).state()
    assert "&lt;x&gt;" in state["html"]
    assert "<x>" not in state["html"]


# -- 2. the forward builder -----------------------------------------------------------------------


def test_forward_frames_add_exactly_the_nodes_of_each_statement():
    steps = ForwardSteps()
    assert len(steps) == 6  # the start and five statements
    expected_new = [
        [],
        ["x"],
        ["w"],
        ["y", "MulBackward0", "AccumulateGrad", "AccumulateGrad"],
        ["z", "ExpBackward0"],
        ["loss", "SumBackward0"],
    ]
    sizes = [0]
    for i, new in enumerate(expected_new):
        frame = steps.frame(i)
        assert frame["new"] == new
        assert frame["error"] is None
        if i == 0:
            assert frame["graph"] is None and frame["svg"] is None
            continue
        count = frame["graph"].nx.number_of_nodes()
        assert count == sizes[-1] + len(new)  # nothing else appeared, nothing vanished
        sizes.append(count)
        assert highlighted(frame["svg"]) == sorted(new)
    assert steps.frame(5)["graph"].to_text() == "\n".join([
        "loss () 3001. [output]",
        "└─ SumBackward0",
        "   └─ ExpBackward0 [n3]",
        "      └─ MulBackward0 [n5]",
        "         ├─ AccumulateGrad",
        "         │  └─ x (2,) [1., 2.] [leaf]",
        "         └─ AccumulateGrad",
        "            └─ w (2,) [3., 4.] [leaf]",
        "z (2,) [20.09, 2981.] [output]",
        "└─ ExpBackward0 [n3] (see above)",
        "y (2,) [3., 8.] [output]",
        "└─ MulBackward0 [n5] (see above)",
    ])


def test_forward_frames_match_pytorch_graph(torch):
    """The last frame's backward nodes are the ones PyTorch records for the same program."""
    steps = ForwardSteps()
    namespace = {"torch": torch}
    exec(LESSON_SOURCE, namespace)
    names, queue, seen = [], [namespace["loss"].grad_fn], set()
    while queue:
        node = queue.pop(0)
        if node is None or node in seen:
            continue
        seen.add(node)
        names.append(type(node).__name__)
        queue.extend(n for n, _ in node.next_functions)
    graph = steps.frame(5)["graph"].nx
    ours = [graph.nodes[k]["label"] for k in sorted(graph, key=lambda k: graph.nodes[k]["order"])
            if graph.nodes[k]["kind"] in ("function", "accumulate")]
    assert ours == names


def test_graph_builder_controls_step_and_mark_the_code_line():
    w = W.graph_builder()
    assert w.slider.max == 5 and w.play.max == 5
    assert "nothing has run yet" in w.view.value
    w.step_button.click()
    w.step_button.click()
    w.step_button.click()
    assert w.slider.value == 3
    assert w.frame["new"] == ["y", "MulBackward0", "AccumulateGrad", "AccumulateGrad"]
    marked = re.findall(rf'<div style="background:{panels.CURRENT_LINE};[^>]*>(.*?)</div>', w.view.value)
    assert len(marked) == 1 and "y = x * w" in marked[0]
    assert highlighted(svgs_in(w.view.value)[0]) == sorted(w.frame["new"])
    w.back_button.click()
    assert w.frame["new"] == ["w"]
    w.play.value = 5  # play moves the slider (they are linked)
    assert w.slider.value == 5 and w.frame["new"] == ["loss", "SumBackward0"]
    w.step_button.click()  # past the end: stays
    assert w.slider.value == 5


def test_graph_builder_program_that_raises():
    source = "x = torch.ones(2, requires_grad=True)\ny = x @ torch.ones(3)\nz = y * 2"
    steps = ForwardSteps(source)
    assert len(steps) == 3  # start, x, the failing line; z never runs
    assert steps.frame(2)["error"].startswith("line 2: RuntimeError")
    assert steps.frame(2)["graph"].nx.number_of_nodes() == 1  # the picture before the failure
    w = W.graph_builder(source)
    w.slider.value = 2
    assert "autograd-nb-error" in w.view.value and "line 2: RuntimeError" in w.view.value


def test_graph_builder_syntax_error_and_prints():
    w = W.graph_builder("x = = 1")
    assert "SyntaxError" in w.view.value and w.step_button.disabled
    steps = ForwardSteps("x = torch.ones(2)\nprint(x * 2)")
    assert steps.frame(2)["printed"] == "tensor([2., 2.])\n"
    assert steps.frame(2)["new"] == []


def test_forward_frames_are_frozen_in_time():
    """A later backward() changes .grad, but the earlier frame keeps its picture."""
    steps = ForwardSteps(LESSON_SOURCE + "loss.backward()\n")
    assert "grad" not in steps.frame(5)["graph"].to_text()
    assert "grad [60.26, 1.192e+04]" in steps.frame(6)["graph"].to_text()


# -- 3. the backward stepper ----------------------------------------------------------------------


def test_backward_frames_replay_the_engine_events():
    x, w, loss = lesson_tensors()
    replay = BackwardReplay.record(loss, {"x": x, "w": w})
    x2, w2, loss2 = lesson_tensors()
    with trace(params={"x": x2, "w": w2}) as reference:
        loss2.backward()
    assert len(replay) == len(reference.events) == 6
    for k, event in enumerate(reference.events):
        frame = replay.frame(k)
        assert frame["event"].text() == event.text()
        assert frame["text"] == event.text()
        if event.kind != "start":  # the running node carries the highlight
            names = {frame["graph"].nx.nodes[key]["label"].split("\n")[0]
                     for key in frame["highlight"]}
            assert event.name in names
    last = replay.frame(len(replay) - 1)["grads"]
    np.testing.assert_array_equal(last["x"], x2.grad.numpy())
    np.testing.assert_array_equal(last["w"], w2.grad.numpy())
    assert replay.frame(3)["grads"] == {"x": None, "w": None}  # nothing accumulated yet


def test_backward_stepper_leaves_the_learners_tensors_alone():
    x, w, loss = lesson_tensors()
    stepper = W.backward_stepper(loss, params={"x": x, "w": w})
    assert x.grad is None and w.grad is None
    loss.backward()  # the graph is still there
    final = stepper.model.frame(len(stepper.model) - 1)["grads"]
    np.testing.assert_array_equal(final["x"], x.grad.numpy())
    np.testing.assert_array_equal(final["w"], w.grad.numpy())

    # an existing .grad: the same object, the same numbers afterwards; the replay starts from
    # None, so step 0 shows no leaf gradient and the last step this pass's gradient alone
    x, w, loss = lesson_tensors()
    x.grad = autograd_nb.tensor([10.0, 20.0])
    kept = x.grad
    replay = BackwardReplay.record(loss, {"x": x, "w": w})
    assert x.grad is kept and x.grad.tolist() == [10.0, 20.0]
    assert replay.frame(0)["grads"] == {"x": None, "w": None}
    assert ".grad = None" in replay.frame(0)["svg"] and "[10., 20.]" not in replay.frame(0)["svg"]
    np.testing.assert_allclose(replay.frame(len(replay) - 1)["grads"]["x"],
                               np.array([3.0, 4.0]) * np.exp([3.0, 8.0]), rtol=1e-6)
    assert "x.grad: None + " in replay.detail(4)


def test_backward_stepper_matches_pytorch(torch):
    x, w, loss = lesson_tensors()
    replay = BackwardReplay.record(loss, {"x": x, "w": w})
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    tw = torch.tensor([3.0, 4.0], requires_grad=True)
    (tx * tw).exp().sum().backward()
    final = replay.frame(len(replay) - 1)["grads"]
    np.testing.assert_allclose(final["x"], tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(final["w"], tw.grad.numpy(), rtol=1e-6)


def test_backward_stepper_controls_and_picture():
    x, w, loss = lesson_tensors()
    stepper = W.backward_stepper(loss, params={"x": x, "w": w, "loss": loss})
    assert stepper.slider.max == 5
    for _ in range(4):
        stepper.step_button.click()
    frame = stepper.frame
    assert frame["event"].kind == "accumulate" and frame["event"].leaf == "x"
    svg = svgs_in(stepper.view.value)[0]
    assert highlighted(svg) == ["AccumulateGrad", "x"]
    assert ".grad = [60.26, 1.192e+04]" in svg and ".grad = None" in svg  # x filled, w not yet
    assert "[20.09, 2981.]" in svg  # what ExpBackward0 sent to MulBackward0, on their edge
    assert "x.grad: None + [60.26, 1.192e+04] = [60.26, 1.192e+04]" in stepper.view.value


def test_backward_stepper_shows_pytorchs_errors():
    x = autograd_nb.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()  # frees the graph
    w = W.backward_stepper(loss, {"x": x})
    assert "autograd-nb-error" in w.view.value
    assert "Trying to backward through the graph a second time" in w.view.value
    assert w.step_button.disabled

    y = x * x  # not a scalar, no v
    w = W.backward_stepper(y)
    assert "grad can be implicitly created only for scalar outputs" in w.view.value
    w = W.backward_stepper(y, gradient=autograd_nb.ones(3))
    assert "Mismatch in shape" in w.view.value
    w = W.backward_stepper(y, gradient=autograd_nb.ones(2))
    assert w.model.error is None and len(w.model) == 3


# -- 4. Jacobians -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BUILTINS))
def test_vjp_equals_backward_and_the_full_jacobian(name):
    model = JacobianModel(name)
    x = autograd_nb.tensor([0.5, 1.0, 1.5])
    full = functional.jacobian(BUILTINS[name], x).numpy().reshape(model.m, model.n)
    np.testing.assert_allclose(model.jacobian(), full)
    rng = np.random.default_rng(0)
    for v in [rng.standard_normal(model.m) for _ in range(3)]:
        result = model.vjp(v)
        assert result["error"] is None and result["equal"]
        np.testing.assert_allclose(result["from_backward"], v.astype(np.float32) @ full,
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(result["from_matrix"], result["from_backward"], rtol=1e-5,
                                   atol=1e-6)
    for i in range(model.m):  # a one-hot v picks row i
        np.testing.assert_allclose(model.vjp(np.eye(model.m)[i])["from_backward"], full[i],
                                   rtol=1e-6)


@pytest.mark.parametrize("name", list(BUILTINS))
def test_both_ways_count_their_passes(name):
    model = JacobianModel(name)
    both = model.both_ways()
    assert both["equal"]
    assert both["reverse"]["products"] == model.m and both["reverse"]["passes"] == model.m
    assert both["reverse"]["evaluations"] == model.m
    assert both["forward"]["products"] == model.n and both["forward"]["evaluations"] == model.n
    with trace() as one_jvp:  # whatever one JVP costs in backward passes, n of them cost n times it
        functional.jvp(BUILTINS[name], model.x, autograd_nb.ones(model.n))
    passes = sum(1 for event in one_jvp.events if event.kind == "start")
    assert both["forward"]["passes"] == model.n * passes
    reference = functional.jacobian(BUILTINS[name], model.x, strategy="forward-mode").numpy()
    np.testing.assert_allclose(both["forward"]["matrix"], reference.reshape(model.m, model.n),
                               atol=1e-6)
    np.testing.assert_allclose(both["reverse"]["matrix"], both["reference"], atol=1e-6)


def test_jacobian_explorer_controls():
    w = W.jacobian_explorer()
    assert len(w.one_hot_buttons) == 3 and len(w.sliders) == 3
    assert w.state["vjp"]["from_backward"].tolist() == [1.0, 0.0, 0.0]  # v = e0, J = diag(2x)
    assert "✓ equal" in w.view.value
    w.one_hot_buttons[2].click()
    assert w.state["vjp"]["from_backward"].tolist() == [0.0, 0.0, 3.0]
    assert [s.value for s in w.sliders] == [0.0, 0.0, 1.0] and w.v_text.value == "0., 0., 1."
    w.sliders[0].value = 2.0
    assert w.state["vjp"]["from_backward"].tolist() == [2.0, 0.0, 3.0]
    w.v_text.value = "1, 1, 1"
    assert w.state["vjp"]["from_backward"].tolist() == [1.0, 2.0, 3.0]
    assert [s.value for s in w.sliders] == [1.0, 1.0, 1.0]
    assert 'src="data:image/svg+xml;base64,' in w.view.value
    w.dropdown.value = "y = W @ x (a 2×n linear map)"
    assert len(w.sliders) == 2
    np.testing.assert_allclose(w.state["vjp"]["from_backward"], w.model.jacobian()[0])
    w.both_button.click()
    assert "2 VJPs" in w.both_view.value and "3 JVPs" in w.both_view.value
    assert "✓ both equal functional.jacobian(f, x)" in w.both_view.value


def test_jacobian_explorer_shows_pytorchs_messages(torch):
    w = W.jacobian_explorer()
    w.v_text.value = "1, 2"  # wrong shape for a 3-vector y
    y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError) as expected:
        y.backward(torch.tensor([1.0, 2.0]))
    assert w.state["error"] == f"RuntimeError: {expected.value}"
    assert "autograd-nb-error" in w.view.value
    assert panels.escape(str(expected.value)) in w.view.value

    w.no_v_button.click()  # a vector y and no v
    with pytest.raises(RuntimeError) as expected:
        y.backward()
    assert w.state["error"] == f"RuntimeError: {expected.value}"
    w.v_text.value = "one, two"
    assert "could not read" in w.view.value
    w.one_hot_buttons[0].click()  # and it recovers
    assert w.state["error"] is None

    w.dropdown.value = "y = (x * x).sum() (a scalar)"  # a scalar needs no v
    w.no_v_button.click()
    assert w.state["error"] is None
    assert w.state["vjp"]["from_backward"].tolist() == [1.0, 2.0, 3.0]


def test_jacobian_explorer_user_function_and_errors():
    def cube(x):
        return x * x * x

    w = W.jacobian_explorer(cube, x=[1.0, 2.0])
    assert w.dropdown.value == "your function: cube"
    np.testing.assert_allclose(w.model.jacobian(), np.diag([3.0, 12.0]))
    w = W.jacobian_explorer(lambda x: x.no_such_method())
    assert "AttributeError" in w.view.value and w.sliders == []
    w = W.jacobian_explorer(v=[1.0, 2.0])  # a bad starting v is shown, not raised
    assert "Mismatch in shape" in w.view.value


def test_heatmap_is_deterministic():
    model = JacobianModel("y = softmax(x)")
    first = model.heatmap([1.0, 0.5, -1.0]).svg
    assert first.startswith("<svg ") and "vᵀJ" in first and "×0.5" in first
    assert first == JacobianModel("y = softmax(x)").heatmap([1.0, 0.5, -1.0]).svg


# -- 5. accumulation ---------------------------------------------------------------------------


def test_accumulation_model():
    model = AccumulationModel()
    first = model.press("backward_retain")["grad"]
    assert first.tolist() == [2.0, 4.0, 6.0]
    second = model.press("backward_retain")["grad"]
    np.testing.assert_array_equal(second, 2 * first)
    assert model.press("backward")["grad"].tolist() == [6.0, 12.0, 18.0]
    state = model.press("backward")  # the graph was freed by the plain backward()
    assert state["error"].startswith("RuntimeError: Trying to backward through the graph a second time")
    assert state["grad"].tolist() == [6.0, 12.0, 18.0]  # unchanged
    assert model.press("zero_")["grad"].tolist() == [0.0, 0.0, 0.0]
    assert model.press("zero_grad")["grad"] is None
    assert model.press("zero_")["error"] == "AttributeError: 'NoneType' object has no attribute 'zero_'"
    model.press("forward")
    assert model.press("backward")["grad"].tolist() == [2.0, 4.0, 6.0]
    assert [h["step"] for h in model.history] == list(range(1, 10))


def test_accumulation_error_text_is_pytorchs(torch):
    model = AccumulationModel()
    model.press("backward")
    state = model.press("backward")
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError) as expected:
        loss.backward()
    assert state["error"] == f"RuntimeError: {expected.value}"


def test_accumulation_explorer_buttons():
    w = W.accumulation_explorer()
    assert "(press a button)" in w.view.value
    w.buttons["backward_retain"].click()
    w.buttons["backward_retain"].click()
    assert w.state["grad"].tolist() == [4.0, 8.0, 12.0]
    w.buttons["backward"].click()
    w.buttons["backward"].click()
    assert "autograd-nb-error" in w.view.value
    assert "Trying to backward through the graph a second time" in w.view.value
    assert "[4] loss.backward()" in w.view.value
    w.buttons["zero_grad"].click()
    assert w.model.x.grad is None and "x.grad = None" in w.view.value


# -- determinism -----------------------------------------------------------------------------------


def test_same_input_same_html():
    assert W.requires_grad_explorer().view.value == W.requires_grad_explorer().view.value
    a, b = W.graph_builder(), W.graph_builder()
    a.slider.value = b.slider.value = 4
    assert a.view.value == b.view.value
    assert W.jacobian_explorer().view.value == W.jacobian_explorer().view.value
    x1, w1, l1 = lesson_tensors()
    x2, w2, l2 = lesson_tensors()
    s1 = W.backward_stepper(l1, {"x": x1, "w": w1})
    s2 = W.backward_stepper(l2, {"x": x2, "w": w2})
    s1.slider.value = s2.slider.value = 3
    assert s1.view.value == s2.view.value


# -- 6. animations ---------------------------------------------------------------------------------


def gif_frames(path):
    from PIL import Image

    with Image.open(path) as image:
        return image.n_frames, image.size


def test_animate_forward_writes_a_deterministic_gif(tmp_path):
    first, second = tmp_path / "a.gif", tmp_path / "b.gif"
    assert W.animate_forward(None, first) == 6
    W.animate_forward(LESSON_SOURCE, second)
    data = first.read_bytes()
    assert data[:6] == b"GIF89a"
    assert gif_frames(first)[0] == 6  # the start and one per statement
    assert data == second.read_bytes()


def test_animate_backward_writes_a_deterministic_gif(tmp_path):
    paths = []
    for name in ("a.gif", "b.gif"):
        x, w, loss = lesson_tensors()
        assert W.animate_backward(loss, tmp_path / name, params={"x": x, "w": w}) == 6
        assert x.grad is None  # as the stepper: .grad is put back
        paths.append(tmp_path / name)
    assert paths[0].read_bytes()[:6] == b"GIF89a"
    assert gif_frames(paths[0])[0] == 6  # one per trace event
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_animation_errors(tmp_path):
    x = autograd_nb.tensor([1.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        W.animate_backward(loss, tmp_path / "freed.gif")
    with pytest.raises(ValueError, match="can write .gif or .mp4"):
        W.animate_forward(None, tmp_path / "movie.avi")
    # a failing program still animates, up to the line that raised
    assert W.animate_forward("x = torch.ones(2)\ny = x.nope()\n", tmp_path / "f.gif") == 3
    assert gif_frames(tmp_path / "f.gif")[0] == 3


def test_mp4_needs_ffmpeg(tmp_path):
    from matplotlib.animation import writers

    if writers.is_available("ffmpeg"):
        assert W.animate_forward(None, tmp_path / "f.mp4") == 6
        assert (tmp_path / "f.mp4").stat().st_size > 0
    else:
        with pytest.raises(RuntimeError, match="needs ffmpeg"):
            W.animate_forward(None, tmp_path / "f.mp4")


def test_an_unexpected_error_in_a_control_is_shown_not_raised():
    w = W.graph_builder()

    def broken(i):
        raise ValueError("no frame <today>")

    w.model.frame = broken
    w.step_button.click()
    assert "autograd-nb-error" in w.view.value
    assert "ValueError: no frame &lt;today&gt;" in w.view.value


def test_both_ways_failure_is_shown():
    model = JacobianModel("y = softmax(x)")

    def boom(x):
        raise RuntimeError("boom")

    model.fn = boom  # fails only now, while J is built both ways
    both = model.both_ways()
    assert both["error"] == "RuntimeError: boom" and "autograd-nb-error" in both["html"]


# -- static pictures of the explorers ------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda: W.requires_grad_explorer(),
    lambda: W.graph_builder(),
    lambda: W.backward_stepper(*lesson_tensors()[2:], params=None),
    lambda: W.jacobian_explorer(),
    lambda: W.accumulation_explorer(),
], ids=["requires_grad", "builder", "stepper", "jacobian", "accumulation"])
def test_each_explorer_offers_a_static_picture_of_its_opening_state(make):
    """Without a kernel (a stored notebook, exported HTML) the text/html of the bundle shows: the
    explorer's view as it opened, with its picture as an <img>; the same bytes on every run."""
    first, second = make(), make()
    bundle = first._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == first.summary
    html = bundle["text/html"]
    assert html == second._repr_mimebundle_()["text/html"]
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', html)) >= 1
    for svg in svgs_in(html):
        ET.fromstring(svg)


def test_builder_code_never_runs_under_its_picture():
    """The code column is as wide as its code (it does not shrink under the picture beside it)."""
    frame = ForwardSteps().frame(3)
    assert frame["html"].count("flex:0 0 auto") == 1
    assert "flex:0 1 calc(40%" not in frame["html"]
