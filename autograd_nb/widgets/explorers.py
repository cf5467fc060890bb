"""The explorers: thin ipywidgets shells around the models.

Each function returns a widget (a ``widgets.VBox``) that displays itself in Jupyter. The widget
keeps its model in ``.model`` and its controls as attributes, so you can drive it from code too:

    w = requires_grad_explorer()
    w.checkboxes["z"].value = False     # same as unticking the box
    w.view.value                        # the HTML shown now

All the work happens in the models (``requires_grad.py``, ``forward.py``, ``backward.py``,
``jacobian.py``, ``accumulation.py``); a shell only reads its controls, asks the model, and puts
the model's HTML into ``self.view`` (a ``widgets.HTML``). Errors arrive as HTML too, in a red box.

An explorer speaks the language that was current when it was made (or its ``language=`` argument),
for as long as it lives: every handler runs in that language (``_shown``). Its words are in
``WORDS``.
"""

import functools
import re

import ipywidgets as widgets
import numpy as np

from ..language import Messages, get_language, using_language, with_language
from . import panels
from .accumulation import ACTIONS, AccumulationModel
from .backward import BackwardReplay
from .forward import ForwardSteps
from .jacobian import BUILTINS, JacobianModel
from .jacobian import WORDS as JACOBIAN_WORDS
from .requires_grad import RequiresGradModel

__all__ = ["requires_grad_explorer", "graph_builder", "backward_stepper", "jacobian_explorer",
           "accumulation_explorer"]

PLAY_INTERVAL = 1200  # ms per frame when playing

WORDS = Messages(
    en={
        "hit_error": "The explorer hit an error",
        "snapshot": "A picture of this explorer as it opens. Run the cell to use it.",
        "summary": "An interactive explorer: run this cell in Jupyter to use it.",
        "requires_grad": "Tick which leaves require grad; the graph and the table follow.",
        "step": "step",
        "play": "play",
        "back": "◀ back",
        "forward": "step ▶",
        "graph_builder": "Step through the program: each statement adds its nodes to the graph.",
        "backward_stepper": ("Step through backward: the running node is highlighted, each arrow shows "
                             "the gradient it carried, each leaf its .grad (None before the pass)."),
        "yours": "your function: {name}",
        "placeholder": "numbers, e.g. 1, 0, 0",
        "without_v": "y.backward() without v",
        "both_ways": "build J both ways",
        "jacobian": ("J holds every ∂yᵢ/∂xⱼ; backward computes vᵀJ, a weighted sum of its rows, "
                     "without building J. Set v with the buttons, the sliders or the text box."),
        "unreadable": "could not read {text!r} as numbers",
        "accumulation": ("Each backward() adds into x.grad. Try two in a row, with and without "
                         "retain_graph=True, then zero the gradient."),
    },
    zh={
        "hit_error": "探索器出错了",
        "snapshot": "这是探索器刚打开时的样子。运行这个单元格即可操作。",
        "summary": "交互式探索器：在 Jupyter 中运行这个单元格即可使用。",
        "requires_grad": "勾选哪些叶子需要求导，计算图和表格会随之变化。",
        "step": "步",
        "play": "播放",
        "back": "◀ 后退",
        "forward": "前进 ▶",
        "graph_builder": "逐条运行程序：每条语句都会把它的节点加进计算图。",
        "backward_stepper": ("逐步演示反向传播：正在运行的节点加粗显示，每条箭头标出它传递的梯度，"
                             "每个叶子标出它的 .grad（反向传播开始前为 None）。"),
        "yours": "你的函数：{name}",
        "placeholder": "一组数，例如 1, 0, 0",
        "without_v": "不带 v 调用 y.backward()",
        "both_ways": "用两种方式构造 J",
        "jacobian": ("J 包含所有 ∂yᵢ/∂xⱼ；backward 计算的是 vᵀJ，即 J 各行的加权和，并不构造 J 本身。"
                     "用按钮、滑块或文本框设置 v。"),
        "unreadable": "无法把 {text!r} 读成数字",
        "accumulation": ("每次 backward() 都会累加进 x.grad。试着连按两次（带或不带 retain_graph=True），"
                         "再把梯度清零。"),
    },
)


def _shown(method):
    """Run a shell's handler in the explorer's language; if anything unexpected goes wrong, show
    it in the widget's view (a red box) instead of a traceback in the output area."""
    @functools.wraps(method)
    def handler(self, *args, **kwargs):
        with using_language(getattr(self, "language", None)):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                self.view.value = panels.error_box(panels.error_text(exc), WORDS["hit_error"])
        return None

    return handler


def _title(text):
    return widgets.HTML(f'<div style="font-size:13px;margin:2px 0 6px 0">{panels.escape(text)}</div>')


class _Snapshot:
    """An explorer that also offers a static picture of its opening state.

    Jupyter shows the live widget when a kernel runs it; a page without one (a notebook opened
    as stored, exported HTML, GitHub) shows the ``text/html`` instead: the explorer's view as it
    was when it was made, pictures as ``<img>``, so it shows in untrusted notebooks too.
    """

    def _snapshot(self):
        """Remember the opening view and the words around it (called once the view holds it)."""
        self.opening_html = self.view.value
        self.summary, self.snapshot_note = WORDS["summary"], WORDS["snapshot"]

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.summary
        bundle["text/html"] = (f'<div class="autograd-nb-explorer">{panels.note(self.snapshot_note)}'
                               f"{self.opening_html}</div>")
        return bundle


# -- 1. requires_grad -----------------------------------------------------------------------------


class RequiresGradExplorer(_Snapshot, widgets.VBox):
    """A checkbox per leaf; the graph, a table and what backward would visit, for those flags."""

    def __init__(self, model):
        self.language = get_language()
        self.model = model
        self.checkboxes = {
            name: widgets.Checkbox(value=flag, description=f"{name}.requires_grad", indent=False,
                                   layout=widgets.Layout(width="auto", margin="0 16px 0 0"))
            for name, flag in model.leaves.items()
        }
        self.view = widgets.HTML()
        self.state = None
        for box in self.checkboxes.values():
            box.observe(self.refresh, names="value")
        super().__init__([
            _title(WORDS["requires_grad"]),
            widgets.HBox(list(self.checkboxes.values())),
            self.view,
        ])
        self.refresh()
        self._snapshot()

    def flags(self):
        return {name: box.value for name, box in self.checkboxes.items()}

    @_shown
    def refresh(self, change=None):
        self.state = self.model.state(self.flags())
        self.view.value = self.state["html"]


@with_language
def requires_grad_explorer(program=None, flags=None, target=None):
    """Tick ``requires_grad`` on the leaves of a small program and watch the graph change.

    ``program``: a function ``program(requires_grad) -> {name: tensor}`` that reads each leaf's
    flag from the mapping it gets (see ``widgets.requires_grad``); default: the lesson's
    ``a = x + y``, ``b = a + z`` on 5×5 random tensors, only z requiring grad.
    ``flags``: starting flags ``{leaf: bool}``. ``target``: the tensor to imagine calling
    ``backward()`` on (default: the last one returned).
    """
    return RequiresGradExplorer(RequiresGradModel(program, flags=flags, target=target))


# -- the step controls shared by the forward builder and the backward stepper --------------------


class _Stepper(_Snapshot, widgets.VBox):
    """Play/pause, one step back or forward, and a slider, all moving one frame number."""

    def __init__(self, model, title):
        self.language = get_language()
        self.model = model
        last = max(len(model) - 1, 0)
        self.slider = widgets.IntSlider(value=0, min=0, max=last, description=WORDS["step"],
                                        continuous_update=True,
                                        layout=widgets.Layout(width="420px"))
        self.play = widgets.Play(value=0, min=0, max=last, step=1, interval=PLAY_INTERVAL,
                                 description=WORDS["play"])
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.back_button = widgets.Button(description=WORDS["back"], layout=widgets.Layout(width="80px"))
        self.step_button = widgets.Button(description=WORDS["forward"], layout=widgets.Layout(width="80px"))
        self.back_button.on_click(lambda _: self.go(self.slider.value - 1))
        self.step_button.on_click(lambda _: self.go(self.slider.value + 1))
        for control in (self.slider, self.play, self.back_button, self.step_button):
            control.disabled = last == 0
        self.view = widgets.HTML()
        self.frame = None
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__([
            _title(title),
            widgets.HBox([self.play, self.back_button, self.step_button, self.slider]),
            self.view,
        ])
        self.show(self.snapshot_frame())
        self._snapshot()
        self.show(0)

    def snapshot_frame(self):
        """The frame stored as the static picture: the opening one."""
        return 0

    def go(self, i):
        """Move to frame ``i`` (clipped to the frames there are)."""
        self.slider.value = min(max(i, self.slider.min), self.slider.max)

    @_shown
    def show(self, i):
        self.frame = self.model.frame(i)
        self.view.value = self.frame["html"]


class GraphBuilder(_Stepper):
    """The forward pass, one statement per step (model: ``ForwardSteps``)."""

    def snapshot_frame(self):
        """Step 0 is empty, so the static picture is the graph after the last statement."""
        return len(self.model) - 1


class BackwardStepper(_Stepper):
    """The backward pass, one engine step per frame (model: ``BackwardReplay``)."""


@with_language
def graph_builder(program=None, namespace=None):
    """Step through a program and watch the forward pass build the graph.

    ``program``: source text of simple statements, run one by one with ``torch`` =
    ``autograd_nb`` (default: ``x``, ``w``, ``y = x * w``, ``z = y.exp()``, ``loss = z.sum()``).
    ``namespace``: extra names the program may use. The newest nodes get a thick pink border,
    the statement that made them is marked in the code.
    """
    return GraphBuilder(ForwardSteps(program, namespace), WORDS["graph_builder"])


@with_language
def backward_stepper(loss, params=None, gradient=None):
    """Replay ``loss.backward()`` one engine step at a time.

    ``params``: ``{name: tensor}`` to name leaves (and the loss) in the picture.
    ``gradient``: the v of ``loss.backward(v)`` for a non-scalar loss.

    The stepper records one pass with ``loss.backward(gradient, retain_graph=True)`` and then
    puts every ``.grad`` back as it was: your graph and your ``.grad`` are left as they were
    (see ``widgets.backward``). A loss whose graph was freed, or that needs no grad, shows
    PyTorch's error in the widget.
    """
    return BackwardStepper(BackwardReplay.record(loss, params, gradient), WORDS["backward_stepper"])


# -- 4. Jacobians ---------------------------------------------------------------------------------


class JacobianExplorer(_Snapshot, widgets.VBox):
    """Pick a function and a vector v; see J, vᵀJ and ``y.backward(v)`` side by side."""

    SLIDER_RANGE = 2.0

    def __init__(self, fn=None, n=3, x=None, v=None):
        self.language = get_language()
        self.n, self.x = n, x
        self.functions = dict(BUILTINS)
        start = next(iter(BUILTINS))
        if fn is not None:
            start = f"your function: {getattr(fn, '__name__', 'f')}"
            self.functions = {start: fn, **self.functions}
        shown = {**JACOBIAN_WORDS["builtins"], start: WORDS["yours"].format(name=getattr(fn, "__name__", "f"))}
        self.dropdown = widgets.Dropdown(options=[(shown[name], name) for name in self.functions], value=start,
                                         description="f", layout=widgets.Layout(width="420px"))
        self.v_text = widgets.Text(description="v =", continuous_update=False,
                                   placeholder=WORDS["placeholder"],
                                   layout=widgets.Layout(width="300px"))
        self.no_v_button = widgets.Button(description=WORDS["without_v"],
                                          layout=widgets.Layout(width="200px"))
        self.both_button = widgets.Button(description=WORDS["both_ways"],
                                          layout=widgets.Layout(width="200px"))
        self.controls = widgets.VBox()
        self.view = widgets.HTML()
        self.both_view = widgets.HTML()
        self.model = None
        self.state = None
        self.one_hot_buttons = []
        self.sliders = []
        self._quiet = False  # True while the shell moves controls itself
        self.dropdown.observe(lambda change: self.choose(change["new"]), names="value")
        self.v_text.observe(lambda change: self.typed(change["new"]), names="value")
        self.no_v_button.on_click(lambda _: self.show(None))
        self.both_button.on_click(lambda _: self.compare())
        super().__init__([
            _title(WORDS["jacobian"]),
            self.dropdown, self.controls,
            widgets.HBox([self.v_text, self.no_v_button, self.both_button]),
            self.view, self.both_view,
        ])
        self.choose(start, v)
        self._snapshot()

    @_shown
    def choose(self, name, v=None):
        """Switch to the function ``name``: new model, new controls, v = e₀ unless given."""
        self.model = JacobianModel(self.functions[name], n=self.n, x=self.x)
        self.both_view.value = ""
        if self.model.error:
            self.one_hot_buttons, self.sliders = [], []
            self.controls.children = []
            self.state = self.model.state(None)
            self.view.value = self.state["html"]
            return
        m = self.model.m
        self.one_hot_buttons = [widgets.Button(description=f"v = e{i}",
                                               layout=widgets.Layout(width="70px"))
                                for i in range(m)]
        for i, button in enumerate(self.one_hot_buttons):
            button.on_click(lambda _, i=i: self.set_v([1.0 if k == i else 0.0 for k in range(m)]))
        self.sliders = [widgets.FloatSlider(value=0.0, min=-self.SLIDER_RANGE, max=self.SLIDER_RANGE,
                                            step=0.1, description=f"v{i}", continuous_update=False,
                                            readout_format=".1f")
                        for i in range(m)]
        for slider in self.sliders:
            slider.observe(lambda change: self.slid(), names="value")
        self.controls.children = [widgets.HBox(self.one_hot_buttons), widgets.VBox(self.sliders)]
        if v is None:
            v = [1.0] + [0.0] * (m - 1)
        self.set_v(v)

    @_shown
    def set_v(self, v):
        """Show v (any numbers, even of the wrong length: then PyTorch's error shows)."""
        v = [float(value) for value in _flat(v)]
        self._quiet = True
        try:
            if len(v) == len(self.sliders):
                for slider, value in zip(self.sliders, v):
                    slider.value = value
            self.v_text.value = ", ".join(panels.numbers(_array(value)) for value in v)
        finally:
            self._quiet = False
        self.show(v)

    def slid(self):
        if not self._quiet:
            self.set_v([slider.value for slider in self.sliders])

    @_shown
    def typed(self, text):
        if self._quiet:
            return
        try:
            v = [float(item) for item in re.split(r"[,\s]+", text.strip().strip("[]")) if item]
        except ValueError:
            self.view.value = panels.error_box(WORDS["unreadable"].format(text=text), "v")
            return
        self.set_v(v)

    @_shown
    def show(self, v):
        self.state = self.model.state(v)
        self.view.value = self.state["html"]

    @_shown
    def compare(self):
        self.both_view.value = self.model.both_ways()["html"]


@with_language
def jacobian_explorer(fn=None, n=3, x=None, v=None):
    """See the Jacobian of a small function and check that ``y.backward(v)`` gives vᵀJ.

    ``fn``: your own function of a 1-d tensor (it joins the built-in ones in the dropdown and is
    selected first). ``n``: the input size of the built-in functions. ``x``: the point
    (default ``[0.5, 1.0, 1.5, …]``). ``v``: the starting vector (default e₀).
    """
    return JacobianExplorer(fn, n, x, v)


# -- 5. accumulation ------------------------------------------------------------------------------


class AccumulationExplorer(_Snapshot, widgets.VBox):
    """Buttons that run backward / zero the grad on one leaf; ``.grad`` and a history log."""

    def __init__(self, model):
        self.language = get_language()
        self.model = model
        self.buttons = {}
        for action, code in ACTIONS.items():
            button = widgets.Button(description=code, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, action=action: self.press(action))
            self.buttons[action] = button
        self.view = widgets.HTML()
        self.state = None
        super().__init__([
            _title(WORDS["accumulation"]),
            widgets.HBox(list(self.buttons.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.view,
        ])
        self.state = model.state()
        self.view.value = self.state["html"]
        self._snapshot()

    @_shown
    def press(self, action):
        self.state = self.model.press(action)
        self.view.value = self.state["html"]


@with_language
def accumulation_explorer():
    """Press ``backward()`` twice and watch ``.grad`` add up; see the error once the graph is freed."""
    return AccumulationExplorer(AccumulationModel())


def _flat(v):
    if hasattr(v, "detach"):
        v = v.detach().numpy()
    if hasattr(v, "reshape"):
        return v.reshape(-1).tolist()
    if isinstance(v, (int, float)):
        return [v]
    return list(v)


def _array(value):
    return np.asarray(value, dtype=np.float32)
