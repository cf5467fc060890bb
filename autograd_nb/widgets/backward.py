"""Replay a backward pass one engine step at a time.

The model behind ``backward_stepper`` and ``animate_backward``::

    replay = BackwardReplay.record(loss, params={"x": x, "w": w})
    replay.frame(0)     # the pass starts at loss with v = 1
    replay.frame(2)     # the second node the engine ran: what arrived, what it sent where

**How it records, and what it leaves behind.** ``record`` runs
``loss.backward(gradient, retain_graph=True)`` once inside ``autograd.trace`` and then puts every
``.grad`` it changed back as it was (the same tensor objects, with their old numbers; None stays
None). So after the stepper:

* your graph is still there (``retain_graph=True``): you can call ``loss.backward()`` yourself;
* your leaves' ``.grad`` are unchanged: the numbers you see in the stepper are the trace's copies.

Hooks you registered on the graph do run during that one recorded pass.

Frame ``k`` shows ``trace.events[k]``: the start, then one frame per node the engine ran
(``AccumulateGrad`` steps show the ``.grad`` before and after). The picture is the ``viz`` graph
with the running node highlighted, each node that has run showing the gradient it received
(``in …``), and each leaf's box showing its ``.grad`` as of that step.
"""

from collections import deque

from .. import grad_mode
from ..autograd import trace
from ..creation import tensor as _tensor
from ..viz import Graph
from ..printing import format_values
from ..viz.model import build
from . import panels

__all__ = ["BackwardReplay"]

VALUES_SHOWN = 3  # numbers shown in a box before "…"


class BackwardReplay:
    """Frames of a recorded backward pass. Make one with ``BackwardReplay.record(loss, params)``.

    ``events``: ``trace.events``; ``graph``: the ``viz`` networkx graph of the loss (plain data);
    ``node_keys``: trace key (0, 1, ...) -> ``viz`` key ("n3"); ``leaves``: ``[(name, viz key,
    grad before the pass as numpy or None)]``; ``root_key``: the loss tensor's ``viz`` key.
    """

    def __init__(self, events, graph, node_keys, leaves, root_key, error=None):
        self.events = list(events)
        self.graph = graph
        self.node_keys = dict(node_keys)
        self.leaves = list(leaves)
        self.root_key = root_key
        self.error = error
        self._arrived = {}  # step -> (viz key of the node that ran, "in <its gradient>")
        for event in self.events:
            key = self.node_keys.get(getattr(event, "key", None))
            if key is not None and event.kind == "node":
                self._arrived[event.step] = (key, "in " + ", ".join(_short(g) for g in event.grad_outputs))
            elif key is not None and event.kind == "accumulate":
                self._arrived[event.step] = (key, "in " + _short(event.grad))
        self._label_width = {key: 0 for _, key, _ in self.leaves}
        for i in range(len(self.events)):  # widest .grad line of each leaf, so boxes keep one size
            grads = self.grads(i)
            for name, key, _ in self.leaves:
                self._label_width[key] = max(self._label_width[key], len(_grad_line(grads[name])))

    @classmethod
    def record(cls, loss, params=None, gradient=None):
        """Run one backward pass of ``loss`` in a trace and return its replay (see module docs).

        ``gradient``: the v of ``loss.backward(v)`` (needed when ``loss`` is not a scalar).
        If backward raises (no graph, freed graph, wrong v), the replay has one frame, showing
        the error.
        """
        named = dict(params) if params is not None else {}
        try:
            graph, key_of = build(loss, params=named)
        except Exception as exc:
            return cls([], None, {}, [], None, error=panels.error_text(exc))
        if loss.grad_fn is None and loss.requires_grad:
            return cls([], graph, {}, [], key_of(loss), error=(
                "this tensor is a leaf (grad_fn is None): its backward() only runs its own "
                "AccumulateGrad; step through the backward of a result computed from it"))
        node_keys, tensors = _numbering(loss.grad_fn, key_of)
        names = {id(t): str(name) for name, t in reversed(list(named.items()))}
        leaves, saved = [], []
        for t in tensors:
            grad = t.grad
            saved.append((t, grad, None if grad is None else grad.detach().numpy().copy()))
            key = key_of(t)
            if key is not None and t.is_leaf:
                name = names.get(id(t), f"leaf {key}")
                leaves.append((name, key, saved[-1][2]))
        try:
            with trace(params=named) as record:
                loss.backward(gradient, retain_graph=True)
        except Exception as exc:
            return cls([], graph, node_keys, leaves, key_of(loss), error=panels.error_text(exc))
        finally:
            _restore(saved)
        return cls(record.events, graph, node_keys, leaves, key_of(loss))

    def __len__(self):
        return max(len(self.events), 1)

    def grads(self, i):
        """``{leaf name: .grad as numpy (or None)}`` after step ``i``."""
        by_key = {key: name for name, key, _ in self.leaves}
        out = {name: before for name, _, before in self.leaves}
        for event in self.events[: i + 1]:
            if event.kind == "accumulate":
                name = by_key.get(self._leaf_key(event.key))
                if name is not None:
                    out[name] = event.after
        return out

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
        leaf = event.leaf or self._leaf_name(event.key) or "leaf"
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
        leaf = event.leaf or self._leaf_name(event.key) or "leaf"
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
        graph = self._picture(i)
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

    # -- the picture of one step ------------------------------------------------------------------

    def _picture(self, i):
        g = self.graph.copy()
        event = self.events[i]
        start = self.events[0] if self.events and self.events[0].kind == "start" else None
        if self.root_key is not None and start is not None and len(start.roots) == 1:
            g.nodes[self.root_key]["label"] += "\nv = " + _short(start.roots[0].grad)
        if event.kind == "start":
            if self.root_key is not None:
                g.nodes[self.root_key]["highlight"] = True
            for edge in event.roots:  # the root's grad_fn receives v
                target = self.node_keys.get(edge.key)
                if target is not None:
                    g.nodes[target]["highlight"] = True
        else:
            key = self.node_keys.get(event.key)
            if key is not None:
                g.nodes[key]["highlight"] = True
            if event.kind == "accumulate":
                leaf = self._leaf_key(event.key)
                if leaf is not None:
                    g.nodes[leaf]["highlight"] = True
        # each node that has run shows the gradient it received; the line is there (blank) from
        # the first frame, so boxes keep their size and the picture does not jump
        for step, (key, line) in self._arrived.items():
            g.nodes[key]["label"] += "\n" + (line if step <= i else " " * len(line))
        grads = self.grads(i)
        for name, key, _ in self.leaves:
            line = _grad_line(grads[name]).center(self._label_width[key])
            g.nodes[key]["label"] = g.nodes[key]["label"] + "\n" + line
        return Graph(g)

    def _leaf_key(self, trace_key):
        """The ``viz`` key of the leaf an ``AccumulateGrad`` (trace key) writes into."""
        node = self.node_keys.get(trace_key)
        if node is None:
            return None
        for _, target, kind in self.graph.out_edges(node, data="kind"):
            if kind == "variable":
                return target
        return None

    def _leaf_name(self, trace_key):
        key = self._leaf_key(trace_key)
        for name, leaf_key, _ in self.leaves:
            if leaf_key == key:
                return name
        return None


def _numbering(root, key_of):
    """Trace keys -> ``viz`` keys, numbering nodes as ``trace`` does (breadth first from the root,
    a node numbered when taken from the queue); and the tensors whose ``.grad`` backward may
    change (leaves, and non-leaves that called ``retain_grad()``)."""
    keys, seen, tensors = {}, set(), []
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if node is None or node in seen:
            continue
        seen.add(node)
        keys[len(keys)] = key_of(node)
        queue.extend(nxt for nxt, _ in node.next_functions)
        variable = getattr(node, "variable", None)
        if type(node).__name__ == "AccumulateGrad" and variable is not None:
            tensors.append(variable)
        for ref in (getattr(node, "_retained", None) or {}).values():
            t = ref()
            if t is not None:
                tensors.append(t)
    return keys, tensors


def _restore(saved):
    """Put each ``.grad`` back: the same tensor object as before, holding its old numbers."""
    with grad_mode.no_grad():
        for t, grad, values in saved:
            if grad is not None:
                grad.copy_(_tensor(values, dtype=grad.dtype))
            t.grad = grad


def _short(array):
    """A gradient in a few characters: ``1.``, ``[3., 4.]``, ``[1., 2., 3., …]``."""
    return "None" if array is None else format_values(array, VALUES_SHOWN)


def _grad_line(array):
    return "grad " + _short(array)


def _explain(event):
    """A sentence under the log: what this kind of step does."""
    if event.kind == "start":
        return "The pass starts: the output's grad_fn receives v (1 for a scalar loss)."
    if event.kind == "node":
        return (f"{event.name} got the gradient w.r.t. its output(s) (in) and sent, along each "
                "edge in next_functions, the gradient w.r.t. that input (out): one step of the "
                "chain rule, a vector-Jacobian product.")
    return "AccumulateGrad adds the gradient that arrived into the leaf's .grad (after = before + grad)."
