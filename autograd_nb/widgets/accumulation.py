"""Gradients accumulate: every ``backward()`` adds into ``.grad``, until you zero it.

The model behind ``accumulation_explorer``: a small state machine over one leaf and its loss,

    x = torch.tensor([1., 2., 3.], requires_grad=True)
    loss = (x * x).sum()        # ∂loss/∂x = 2x = [2., 4., 6.]

driven by ``press(action)`` with the actions of ``ACTIONS``. Each press runs the real code on the
real tensors and appends to the history; an exception (PyTorch's "Trying to backward through the
graph a second time …", or ``'NoneType' object has no attribute 'zero_'``) is recorded as the
result of that press, exactly as you would see it, and the explorer goes on.
"""

from .. import optim
from ..creation import tensor
from ..language import Messages
from ..viz import draw
from . import panels

__all__ = ["AccumulationModel", "ACTIONS", "SETUP"]

SETUP = """\
x = torch.tensor([1., 2., 3.], requires_grad=True)
optimizer = torch.optim.SGD([x], lr=0.1)
loss = (x * x).sum()        # ∂loss/∂x = 2x = [2., 4., 6.]"""

# action -> the code it runs (what the button and the history show)
ACTIONS = {
    "forward": "loss = (x * x).sum()",
    "backward": "loss.backward()",
    "backward_retain": "loss.backward(retain_graph=True)",
    "zero_": "x.grad.zero_()",
    "zero_grad": "optimizer.zero_grad()",
}

WORDS = Messages(
    en={
        "explain": {
            "forward": "a new forward pass: a new graph, its saved tensors in place",
            "backward": "adds 2x into x.grad, then frees the graph's saved tensors",
            "backward_retain": "adds 2x into x.grad and keeps the graph for another backward",
            "zero_": "fills the existing x.grad with zeros, in place",
            "zero_grad": "set_to_none=True (the default): x.grad = None",
        },
        "press": "(press a button)",
        "freed": "freed: saved tensors released (press {forward} for a new graph)",
        "alive": "alive: saved tensors in place",
        "setup": "setup",
        "graph": "graph of loss: {status}",
        "last": "last: {code}  ({explain})",
    },
    zh={
        "explain": {
            "forward": "重新做一次前向计算：新的图，保存的张量都在",
            "backward": "把 2x 累加进 x.grad，然后释放图中保存的张量",
            "backward_retain": "把 2x 累加进 x.grad，并保留计算图，以便再次 backward",
            "zero_": "原地把现有的 x.grad 填成 0",
            "zero_grad": "set_to_none=True（默认）：x.grad = None",
        },
        "press": "（请按一个按钮）",
        "freed": "已释放：保存的张量没了（按 {forward} 重新建图）",
        "alive": "还在：保存的张量都在",
        "setup": "准备代码",
        "graph": "loss 的计算图：{status}",
        "last": "上一步：{code}（{explain}）",
    },
)


class AccumulationModel:
    """``press(action)`` runs one action; ``state()`` is what the explorer shows.

    ``history``: one dict per press: ``step``, ``action``, ``code``, ``grad`` (numpy or None
    after the press) and ``error`` (None or the message).
    """

    def __init__(self):
        self.x = tensor([1.0, 2.0, 3.0], requires_grad=True)
        self.optimizer = optim.SGD([self.x], lr=0.1)
        self.loss = (self.x * self.x).sum()
        self.graph_freed = False
        self.history = []

    @property
    def grad(self):
        """``x.grad`` as numpy, or None."""
        return None if self.x.grad is None else self.x.grad.numpy().copy()

    def press(self, action):
        """Run ``ACTIONS[action]`` on the tensors; returns ``state()``."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; choose from {list(ACTIONS)}")
        error = None
        try:
            if action == "forward":
                self.loss = (self.x * self.x).sum()
                self.graph_freed = False
            elif action == "backward":
                self.loss.backward()
                self.graph_freed = True
            elif action == "backward_retain":
                self.loss.backward(retain_graph=True)
            elif action == "zero_":
                self.x.grad.zero_()
            else:
                self.optimizer.zero_grad()
        except Exception as exc:  # part of the lesson: show it, keep going
            error = panels.error_text(exc)
        self.history.append(dict(step=len(self.history) + 1, action=action, code=ACTIONS[action],
                                 grad=self.grad, error=error))
        return self.state()

    def log(self):
        """The history as text, one line per press (errors on the next lines)."""
        lines = []
        for entry in self.history:
            result = f"x.grad = {panels.numbers(entry['grad'])}"
            lines.append(f"[{entry['step']}] {entry['code']:<34} {result}")
            if entry["error"]:
                lines.append(f"    {entry['error']}")
        return "\n".join(lines) if lines else WORDS["press"]

    def state(self):
        """A dict: ``grad``, ``graph_freed``, ``error`` (of the last press), ``history``, ``log``
        and ``html``."""
        last = self.history[-1] if self.history else None
        error = last["error"] if last else None
        status = (WORDS["freed"].format(forward=ACTIONS["forward"]) if self.graph_freed else WORDS["alive"])
        picture = draw(self.loss, params={"x": self.x, "loss": self.loss}, show_grads=True)
        parts = [panels.columns(panels.code_listing(SETUP.split("\n"), title=WORDS["setup"]),
                                picture._repr_html_(), widths=["content", None])]
        parts.append(panels.preformatted(f"x.grad = {panels.numbers(self.grad)}\n"
                                         + WORDS["graph"].format(status=status)))
        if last is not None:
            parts.append(panels.note(WORDS["last"].format(code=last["code"], explain=WORDS["explain"][last["action"]])))
        if error:
            parts.append(panels.error_box(error, last["code"]))
        parts.append(panels.preformatted(self.log()))
        return dict(grad=self.grad, graph_freed=self.graph_freed, error=error,
                    history=list(self.history), log=self.log(), html="".join(parts))
