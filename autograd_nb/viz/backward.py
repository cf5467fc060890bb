"""Backward drawn as the chain rule: one pass of the engine, as data and as pictures.

    from autograd_nb.viz import chain_rule, filmstrip
    chain_rule(loss, params={"w": w, "b": b})   # every edge with the gradient it carried
    filmstrip(loss, params={"w": w, "b": b})    # the same pass, one small picture per step

``BackwardPass.record`` runs ``loss.backward(gradient, retain_graph=True)`` once inside
``autograd.trace`` and keeps what happened as plain data (numbers and the ``viz`` graph), then
puts everything back as it was:

* the pass starts from ``.grad = None`` on every leaf (unless ``keep_grads=True``), so step 0
  shows no gradient and each leaf's ``.grad`` is exactly what this one pass computed;
* afterwards every ``.grad`` is what it was before (the same tensor object, the same numbers),
  and the graph is still there, so the lesson's own ``loss.backward()`` works as usual.

Hooks registered on the graph do run during that one recorded pass.

``picture(step)`` is the graph as of a step (``None``: after the whole pass): the output's
tag shows v, the gradient backward starts from; each edge that has carried a gradient shows it
(two gradients sent along one edge, as in ``x * x``, are written ``g1 + g2``: the node they reach
adds them); each node shows its local rule (``labels.RULES``); each leaf shows its ``.grad``.
The chain rule is then there to read: what leaves a node is what arrived, times its rule.

Only ``autograd_nb`` tensors can be recorded (the trace is part of its engine); ``draw`` works
for PyTorch tensors too.
"""

from collections import deque

from .. import grad_mode
from ..autograd import trace
from ..creation import tensor as _tensor
from ..language import with_language
from ..printing import format_values
from . import labels, style
from .figure import Figure
from .graph import Graph
from .layout import layout
from .model import build
from .svg import LEGEND_ROW, _open, body, escape, legend_group, legend_items, legend_rows, num, page

__all__ = ["BackwardPass", "chain_rule", "filmstrip"]

VALUES_SHOWN = 3  # numbers shown per gradient before "…"
FILM_WIDTH = 940  # px: a filmstrip fits a notebook's output area without shrinking
FILM_GAP = 18
CAPTION_HEIGHT = 20


@with_language
def chain_rule(loss, params=None, gradient=None, keep_grads=False, rankdir="TB"):
    """One picture of ``loss.backward()``: v at the output, the gradient on every edge, the local
    rule at every node, ``.grad`` at every leaf. Leaves your tensors as they were.
    ``language="zh"``: its words in Chinese (default: ``autograd_nb.get_language()``)."""
    return BackwardPass.record(loss, params, gradient, keep_grads).picture(rankdir=rankdir)


@with_language
def filmstrip(loss, params=None, gradient=None, keep_grads=False, columns=3):
    """``loss.backward()`` step by step, as small multiples: one small picture per engine step,
    the running node outlined, the gradients sent so far on the edges. Leaves your tensors as
    they were. ``language="zh"``: its words in Chinese."""
    return BackwardPass.record(loss, params, gradient, keep_grads).filmstrip(columns)


class BackwardPass:
    """One recorded backward pass (see the module docstring).

    ``events``: ``trace.events``; ``graph``: the ``viz`` networkx graph of the loss (plain data);
    ``node_keys``: trace key (0, 1, ...) -> ``viz`` key ("n3"); ``leaves``: ``[(name, viz key,
    .grad the pass started from, as numpy or None)]``; ``root_key``: the loss tensor's ``viz``
    key; ``rules``: ``viz`` key -> the node's local rule; ``error``: None, or the message of
    what went wrong (then there are no events).
    """

    def __init__(self, events, graph, node_keys, leaves, root_key, rules=None, error=None):
        self.events = list(events)
        self.graph = graph
        self.node_keys = dict(node_keys)
        self.leaves = list(leaves)
        self.root_key = root_key
        self.rules = dict(rules or {})
        self.error = error

    @classmethod
    def record(cls, loss, params=None, gradient=None, keep_grads=False):
        """Run one backward pass of ``loss`` in a trace; return what it did.

        ``gradient``: the v of ``loss.backward(v)`` (needed when ``loss`` is not a scalar).
        ``keep_grads``: start from the leaves' current ``.grad`` (to show accumulation) instead
        of from None. If backward raises (no graph, freed graph, wrong v), the pass records
        the error instead.
        """
        named = dict(params) if params is not None else {}
        try:
            graph, key_of = build(loss, params=named)
        except Exception as exc:
            return cls([], None, {}, [], None, error=_error_text(exc))
        if loss.grad_fn is None and loss.requires_grad:
            return cls([], graph, {}, [], key_of(loss), error=labels.LEAF_LOSS)
        node_keys, nodes, tensors = _numbering(loss.grad_fn, key_of)
        rules = {key_of(node): rule for node in nodes if (rule := local_rule(node))}
        names = {id(t): str(name) for name, t in reversed(list(named.items()))}
        leaves, saved = [], []
        for t in tensors:
            grad = t.grad
            saved.append((t, grad, None if grad is None else grad.detach().numpy().copy()))
            key = key_of(t)
            if key is not None and t.is_leaf:
                start = saved[-1][2] if keep_grads else None
                leaves.append((names.get(id(t), f"leaf {key}"), key, start))
        try:
            if not keep_grads:
                for t in tensors:
                    t.grad = None
            with trace(params=named) as record:
                loss.backward(gradient, retain_graph=True)
        except Exception as exc:
            return cls([], graph, node_keys, leaves, key_of(loss), rules, error=_error_text(exc))
        finally:
            _restore(saved)
        return cls(record.events, graph, node_keys, leaves, key_of(loss), rules)

    def __len__(self):
        return max(len(self.events), 1)

    # -- what happened, as data ---------------------------------------------------------------

    def grads(self, i):
        """``{leaf name: .grad as numpy (or None)}`` after step ``i``."""
        by_key = {key: name for name, key, _ in self.leaves}
        out = {name: start for name, _, start in self.leaves}
        for event in self.events[: i + 1]:
            if event.kind == "accumulate":
                name = by_key.get(self.leaf_key(event.key))
                if name is not None:
                    out[name] = event.after
        return out

    def sent(self, i):
        """``{(viz key, viz key): [gradient per slot]}``: what each edge carried up to step ``i``."""
        out = {}
        for event in self.events[: i + 1]:
            if event.kind != "node":
                continue
            source = self.node_keys.get(event.key)
            for edge in event.grad_inputs:
                target = self.node_keys.get(edge.key)
                if source is not None and target is not None and edge.grad is not None:
                    out.setdefault((source, target), []).append(edge.grad)
        return out

    def root_gradient(self):
        """The v the pass started from (numpy), when it started from one output."""
        start = self.events[0] if self.events and self.events[0].kind == "start" else None
        return start.roots[0].grad if start is not None and len(start.roots) == 1 else None

    def leaf_key(self, trace_key):
        """The ``viz`` key of the leaf an ``AccumulateGrad`` (trace key) writes into."""
        node = self.node_keys.get(trace_key)
        if node is None:
            return None
        for _, target, kind in self.graph.out_edges(node, data="kind"):
            if kind == "variable":
                return target
        return None

    def leaf_name(self, trace_key):
        key = self.leaf_key(trace_key)
        return next((name for name, leaf, _ in self.leaves if leaf == key), None)

    def running(self, i):
        """The ``viz`` keys of what step ``i`` is about: the node that ran (and the leaf it filled),
        or at step 0 the output and its grad_fn."""
        event = self.events[i]
        if event.kind == "start":
            keys = [self.root_key] + [self.node_keys.get(edge.key) for edge in event.roots]
        else:
            keys = [self.node_keys.get(event.key)]
            if event.kind == "accumulate":
                keys.append(self.leaf_key(event.key))
        return [k for k in keys if k is not None]

    def step_caption(self, i):
        """``3: TanhBackward0 runs``: a few words for step ``i``."""
        event = self.events[i]
        if event.kind == "start":
            return labels.STEP_START.format(step=i, value=_short(self.root_gradient()))
        if event.kind == "node":
            return labels.STEP_NODE.format(step=i, name=event.name)
        leaf = event.leaf or self.leaf_name(event.key) or labels.LEAF
        return labels.STEP_ACCUMULATE.format(step=i, name=event.name, leaf=leaf)

    # -- pictures ---------------------------------------------------------------------------------

    def picture(self, step=None, rankdir="TB", rules=True):
        """The graph as of ``step`` (None: after the whole pass), as a ``viz.Graph``.

        Every frame of one pass has the same geometry: lines not yet filled in are blanks of the
        final width, so a filmstrip or an animation does not jump.
        """
        if self.error is not None:
            raise RuntimeError(self.error)
        last = len(self.events) - 1
        i = last if step is None else step
        if not 0 <= i <= last:
            raise IndexError(f"step {i} out of range: the pass has steps 0 to {last}")
        g = self.graph.copy()
        g.graph.update(gradients=True, rules=rules and bool(self.rules), highlight_meaning="running")
        v = self.root_gradient()
        if self.root_key is not None and v is not None:
            _add_line(g, self.root_key, labels.ROOT_GRADIENT.format(value=_short(v)),
                      style.GRADIENT_COLOUR)
        if rules:
            for key, rule in sorted(self.rules.items()):
                _add_line(g, key, rule, style.RULE_COLOUR)
        final, now = self.sent(last), self.sent(i)
        for (u, v), grads in final.items():
            text = " + ".join(_short(grad) for grad in grads)
            if (u, v) not in now:
                text = " " * len(text)
            if g.has_edge(u, v):
                g.edges[u, v]["label"] = text
        widths = {}
        for j in range(last + 1):  # widest .grad lines of each leaf over the pass
            for name, key, lines in self._leaf_lines(j):
                widths[key] = [max(w, len(line)) for w, line in
                               zip(widths.get(key, [0] * len(lines)), lines)]
        for name, key, lines in self._leaf_lines(i):
            for line, width in zip(lines, widths[key]):
                _add_line(g, key, line.ljust(width), style.GRADIENT_COLOUR)
        if step is not None:
            for key in self.running(i):
                g.nodes[key]["highlight"] = True
        return Graph(g, rankdir=rankdir)

    def _leaf_lines(self, i):
        """``[(name, key, [lines])]``: what each leaf's tag says about ``.grad`` after step ``i``;
        two lines when this pass added into a ``.grad`` that was already there."""
        grads = self.grads(i)
        added = {}
        for event in self.events[: i + 1]:
            if event.kind == "accumulate" and event.before is not None:
                added[self.leaf_key(event.key)] = event
        out = []
        for name, key, start in self.leaves:
            event = added.get(key)
            if event is not None:
                lines = [labels.GRAD_SUM.format(before=_short(event.before), grad=_short(event.grad)),
                         labels.GRAD_SUM_RESULT.format(after=_short(event.after))]
            elif start is not None and any(e.kind == "accumulate" and e.before is not None
                                           and self.leaf_key(e.key) == key for e in self.events):
                lines = [labels.GRAD.format(value=_short(grads[name])), ""]
            else:
                lines = [labels.GRAD.format(value=_short(grads[name]))]
            out.append((name, key, lines))
        return out

    def filmstrip(self, columns=3):
        """Every step as a small picture, in rows of ``columns``, with one legend (a ``Figure``)."""
        if self.error is not None:
            raise RuntimeError(self.error)
        frames = [layout(self.picture(i, rules=False).nx) for i in range(len(self.events))]
        sheets = [page(frame, legend=False) for frame in frames]
        width = max(s["width"] for s in sheets)
        height = max(s["height"] for s in sheets)
        columns = max(1, min(columns, len(frames)))
        scale = min(1.0, (FILM_WIDTH - 2 * style.MARGIN - (columns - 1) * FILM_GAP) / (columns * width))
        cell_w, cell_h = width * scale, height * scale + CAPTION_HEIGHT
        rows = (len(frames) + columns - 1) // columns
        key = frames[-1]
        items = legend_items(key)
        total_w = 2 * style.MARGIN + columns * cell_w + (columns - 1) * FILM_GAP
        legend = legend_rows(items, total_w - 2 * style.MARGIN)
        legend_top = style.MARGIN + rows * cell_h + (rows - 1) * FILM_GAP + style.MARGIN
        total_h = legend_top + len(legend) * LEGEND_ROW + style.MARGIN
        out = [_open(total_w, total_h, labels.FILM_TITLE.format(steps=len(frames)))]
        for i, (frame, sheet) in enumerate(zip(frames, sheets)):
            x = style.MARGIN + (i % columns) * (cell_w + FILM_GAP)
            y = style.MARGIN + (i // columns) * (cell_h + FILM_GAP)
            out.append(f'<text x="{num(x)}" y="{num(y + 13)}" fill="#333333">'
                       f"{escape(self.step_caption(i))}</text>")
            out.append(f'<rect x="{num(x)}" y="{num(y + CAPTION_HEIGHT)}" width="{num(cell_w)}"'
                       f' height="{num(height * scale)}" fill="none" stroke="#dddddd"/>')
            out.append(f'<svg x="{num(x)}" y="{num(y + CAPTION_HEIGHT)}" width="{num(width * scale)}"'
                       f' height="{num(height * scale)}" viewBox="0 0 {num(width)} {num(height)}">')
            out.extend(body(frame, sheet))
            out.append("</svg>")
        out.extend(legend_group(legend, legend_top))
        out.append("</svg>")
        text = "\n".join(self.step_caption(i) for i in range(len(frames)))
        return Figure("\n".join(out) + "\n", f"{labels.FILM_TEXT}\n{text}")


def local_rule(node):
    """The local rule of a backward node, in ``labels.RULES``' words, or None if it has none."""
    name = type(node).__name__
    if name == "PowBackward0":
        exponent = getattr(node, "_saved_exponent", None)
        if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
            n = int(exponent) if float(exponent).is_integer() else exponent
            power = "" if n == 2 else _superscript(n - 1)
            return labels.POW_RULE.format(n=n, power=power)
    if name in labels.RULES:
        return labels.RULES[name]
    if name.endswith("Backward"):  # a custom Function's node: built-in names end in a number
        return labels.CUSTOM_RULE
    return None


_SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def _superscript(value):
    return str(value).translate(_SUPERSCRIPT)


def _add_line(g, key, line, colour):
    node = g.nodes[key]
    count = len(node["label"].split("\n"))
    colours = list(node.get("line_colours") or [None] * count)
    node["label"] += "\n" + line
    node["line_colours"] = colours + [colour]


def _short(array):
    """A gradient in a few characters: ``1.``, ``[3., 4.]``, ``[1., 2., 3., …]``."""
    return "None" if array is None else format_values(array, VALUES_SHOWN)


def _error_text(exc):
    return f"{type(exc).__name__}: {exc}"


def reachable(root):
    """The backward nodes reachable from ``root`` (what backward runs), breadth first, each
    taken once, in the order ``trace`` numbers them."""
    seen, nodes = set(), []
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if node is None or node in seen:
            continue
        seen.add(node)
        nodes.append(node)
        queue.extend(nxt for nxt, _ in node.next_functions)
    return nodes


def _numbering(root, key_of):
    """Trace keys -> ``viz`` keys, numbering nodes as ``trace`` does (breadth first from the root,
    a node numbered when taken from the queue); the nodes; and the tensors whose ``.grad``
    backward may change (leaves, and non-leaves that called ``retain_grad()``)."""
    keys, tensors = {}, []
    nodes = reachable(root)
    for node in nodes:
        keys[len(keys)] = key_of(node)
        variable = getattr(node, "variable", None)
        if type(node).__name__ == "AccumulateGrad" and variable is not None:
            tensors.append(variable)
        for ref in (getattr(node, "_retained", None) or {}).values():
            t = ref()
            if t is not None:
                tensors.append(t)
    return keys, nodes, tensors


def _restore(saved):
    """Put each ``.grad`` back: the same tensor object as before, holding its old numbers."""
    with grad_mode.no_grad():
        for t, grad, values in saved:
            if grad is not None:
                grad.copy_(_tensor(values, dtype=grad.dtype))
            t.grad = grad
