"""Replay a backward pass one engine step at a time.

The model behind ``backward_stepper`` and ``animate_backward``::

    replay = BackwardReplay.record(loss, params={"x": x, "w": w})
    replay.frame(0)     # the pass starts at loss with v = 1; no leaf has a gradient yet
    replay.frame(2)     # the second node the engine ran: what arrived, what it sent where

The recording is ``viz.backward.BackwardPass``: one ``loss.backward(gradient, retain_graph=True)``
inside ``autograd.trace``, started from ``.grad = None`` on every leaf, after which every
``.grad`` is put back as it was (the same tensor objects, with their old numbers). So the
stepper shows this one pass from its start, and your graph and your ``.grad`` are left as they
were: you can still call ``loss.backward()`` yourself. Hooks you registered on the graph do run
during that one recorded pass.

Frame ``k`` shows ``trace.events[k]``: the start, then one frame per node the engine ran
(``AccumulateGrad`` steps show the ``.grad`` before and after). The picture is the chain-rule
figure of ``viz.chain_rule`` as of step ``k``: the running node outlined, each edge that has
carried a gradient labelled with it, each node's local rule, each leaf's ``.grad`` so far.
"""

from ..language import Messages
from ..viz.backward import BackwardPass, _short
from . import panels

__all__ = ["BackwardReplay"]

WORDS = Messages(
    en={
        "raised": "backward raised",
        "start": "step {i}/{last}: backward starts at the output with v = {v}",
        "node": "step {i}/{last}: {name} runs, receives {arrived}",
        "accumulate": "step {i}/{last}: AccumulateGrad: {leaf}.grad = {after}",
        "leaf": "leaf",
        "start_detail": "the output's grad_fn receives v: the gradient of the output w.r.t. itself",
        "sends": "sends {sent}",
        "sends_nothing": "sends nothing (no input needs a gradient)",
        "leaf_detail": "{leaf}.grad: {before} + {grad} = {after}",
        "header": ["leaf", ".grad after this step"],
        "explain_start": "The pass starts: the output's grad_fn receives v (1 for a scalar loss).",
        "explain_node": ("{name} got the gradient w.r.t. its output(s) (in) and sent, along each "
                         "edge in next_functions, the gradient w.r.t. that input (out): one step of the "
                         "chain rule, a vector-Jacobian product."),
        "explain_accumulate": ("AccumulateGrad adds the gradient that arrived into the leaf's .grad "
                               "(after = before + grad)."),
    },
    zh={
        "raised": "backward 报错",
        "start": "第 {i}/{last} 步：反向传播从输出开始，v = {v}",
        "node": "第 {i}/{last} 步：运行 {name}，收到 {arrived}",
        "accumulate": "第 {i}/{last} 步：AccumulateGrad：{leaf}.grad = {after}",
        "leaf": "叶子",
        "start_detail": "输出的 grad_fn 收到 v：输出对它自身的梯度",
        "sends": "发出 {sent}",
        "sends_nothing": "什么也不发（没有输入需要梯度）",
        "leaf_detail": "{leaf}.grad：{before} + {grad} = {after}",
        "header": ["叶子", "这一步之后的 .grad"],
        "explain_start": "反向传播开始：输出的 grad_fn 收到 v（标量损失时 v 为 1）。",
        "explain_node": ("{name} 收到对其输出的梯度（in），再沿 next_functions 的每条边发出对相应输入的梯度"
                         "（out）：这是链式法则的一步，也就是一次向量-雅可比积。"),
        "explain_accumulate": "AccumulateGrad 把传来的梯度累加进叶子的 .grad（after = before + grad）。",
    },
)


class BackwardReplay(BackwardPass):
    """Frames of a recorded backward pass. Make one with ``BackwardReplay.record(loss, params)``."""

    def caption(self, i):
        """One line: ``step 2/6: MulBackward0 runs``."""
        if self.error is not None:
            return WORDS["raised"]
        last = len(self.events) - 1
        event = self.events[i]
        if event.kind == "start":
            vs = ", ".join(_short(edge.grad) for edge in event.roots)
            return WORDS["start"].format(i=i, last=last, v=vs)
        if event.kind == "node":
            arrived = ", ".join(_short(g) for g in event.grad_outputs)
            return WORDS["node"].format(i=i, last=last, name=event.name, arrived=arrived)
        leaf = event.leaf or self.leaf_name(event.key) or WORDS["leaf"]
        return WORDS["accumulate"].format(i=i, last=last, leaf=leaf, after=_short(event.after))

    def detail(self, i):
        """A second line: where the gradients went at step ``i``."""
        if self.error is not None:
            return self.error
        event = self.events[i]
        if event.kind == "start":
            return WORDS["start_detail"]
        if event.kind == "node":
            sent = [f"{_short(edge.grad)} → {edge.name}" for edge in event.grad_inputs
                    if edge.key is not None]
            return WORDS["sends"].format(sent=", ".join(sent)) if sent else WORDS["sends_nothing"]
        leaf = event.leaf or self.leaf_name(event.key) or WORDS["leaf"]
        before = "None" if event.before is None else _short(event.before)
        return WORDS["leaf_detail"].format(leaf=leaf, before=before, grad=_short(event.grad),
                                           after=_short(event.after))

    def frame(self, i):
        """What to show at step ``i``: a dict with ``html``, ``svg``, ``graph`` (a ``viz.Graph``),
        ``event`` (``trace.events[i]``), ``text`` (the event's log lines), ``grads`` (leaf name ->
        numpy or None, after this step), ``highlight`` (``viz`` keys), ``caption``, ``error``."""
        if self.error is not None:
            html = panels.error_box(self.error, WORDS["raised"])
            return dict(html=html, svg=None, graph=None, event=None, text="", grads={},
                        highlight=[], caption=self.caption(0), error=self.error)
        if not 0 <= i < len(self.events):
            raise IndexError(f"frame {i} out of range: there are {len(self.events)} frames")
        event = self.events[i]
        graph = self.picture(i)
        highlight = sorted(k for k, a in graph.nx.nodes(data=True) if a.get("highlight"))
        grads = self.grads(i)
        text = event.text()
        rows = [[name, panels.numbers(grads[name])] for name, _, _ in self.leaves]
        side = [panels.note(self.caption(i)), panels.note(self.detail(i)),
                panels.preformatted(text + "\n\n" + _explain(event)),
                panels.table(WORDS["header"], rows)]
        html = panels.columns(graph._repr_html_(), "".join(side), widths=["55%", "45%"])
        return dict(html=html, svg=graph.to_svg(), graph=graph, event=event, text=text,
                    grads=grads, highlight=highlight, caption=self.caption(i), error=None)


def _explain(event):
    """A sentence under the log: what this kind of step does."""
    if event.kind == "start":
        return WORDS["explain_start"]
    if event.kind == "node":
        return WORDS["explain_node"].format(name=event.name)
    return WORDS["explain_accumulate"]
