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

from ..viz.backward import BackwardPass, _short
from . import panels

__all__ = ["BackwardReplay"]


class BackwardReplay(BackwardPass):
    """Frames of a recorded backward pass. Make one with ``BackwardReplay.record(loss, params)``."""

    def caption(self, i):
        """One line: ``step 2/6: MulBackward0 runs``."""
        if self.error is not None:
            return "backward raised"
        last = len(self.events) - 1
        event = self.events[i]
        if event.kind == "start":
            vs = ", ".join(_short(edge.grad) for edge in event.roots)
            return f"step {i}/{last}: backward starts at the output with v = {vs}"
        if event.kind == "node":
            arrived = ", ".join(_short(g) for g in event.grad_outputs)
            return f"step {i}/{last}: {event.name} runs, receives {arrived}"
        leaf = event.leaf or self.leaf_name(event.key) or "leaf"
        return f"step {i}/{last}: AccumulateGrad: {leaf}.grad = {_short(event.after)}"

    def detail(self, i):
        """A second line: where the gradients went at step ``i``."""
        if self.error is not None:
            return self.error
        event = self.events[i]
        if event.kind == "start":
            return "the output's grad_fn receives v: the gradient of the output w.r.t. itself"
        if event.kind == "node":
            sent = [f"{_short(edge.grad)} → {edge.name}" for edge in event.grad_inputs
                    if edge.key is not None]
            return "sends " + (", ".join(sent) if sent else "nothing (no input needs a gradient)")
        leaf = event.leaf or self.leaf_name(event.key) or "leaf"
        before = "None" if event.before is None else _short(event.before)
        return f"{leaf}.grad: {before} + {_short(event.grad)} = {_short(event.after)}"

    def frame(self, i):
        """What to show at step ``i``: a dict with ``html``, ``svg``, ``graph`` (a ``viz.Graph``),
        ``event`` (``trace.events[i]``), ``text`` (the event's log lines), ``grads`` (leaf name ->
        numpy or None, after this step), ``highlight`` (``viz`` keys), ``caption``, ``error``."""
        if self.error is not None:
            html = panels.error_box(self.error, "backward raised")
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
                panels.table(["leaf", ".grad after this step"], rows)]
        html = panels.columns(graph._repr_html_(), "".join(side), widths=["55%", "45%"])
        return dict(html=html, svg=graph.to_svg(), graph=graph, event=event, text=text,
                    grads=grads, highlight=highlight, caption=self.caption(i), error=None)


def _explain(event):
    """A sentence under the log: what this kind of step does."""
    if event.kind == "start":
        return "The pass starts: the output's grad_fn receives v (1 for a scalar loss)."
    if event.kind == "node":
        return (f"{event.name} got the gradient w.r.t. its output(s) (in) and sent, along each "
                "edge in next_functions, the gradient w.r.t. that input (out): one step of the "
                "chain rule, a vector-Jacobian product.")
    return "AccumulateGrad adds the gradient that arrived into the leaf's .grad (after = before + grad)."
