"""Watch a backward pass step by step: which node ran, which gradient went where, what ``.grad`` became.

    with autograd_nb.autograd.trace() as t:
        loss.backward()
    print(t)       # a readable log, one block per step
    t.events       # the same record as data, for widgets and animations to replay

PyTorch counterpart: ``TORCH_LOGS="+autograd"`` makes PyTorch log one line per node it executes
(``Executing: <MulBackward0 object at 0x...> with grad_outputs: [f32[3]]``). The trace records the same
steps in the same order, with the values: the gradients flowing into each node, the gradient it sends
along each edge, and each accumulation into a leaf's ``.grad`` (before and after).

How it works: the engine keeps a list of open traces (``engine._tracers``). Inside the ``with`` block the
trace is the last one, and ``run_backward`` tells it ``start(roots, grads)`` as a pass begins, then
``before(node, grad_outputs)`` and ``after(node, grad_outputs, grad_inputs)`` around each node it runs (for
an ``AccumulateGrad`` node, around the ``.grad += grad``). Outside a trace the list is empty and the engine
skips all of it. Traces may nest; the innermost one records.

Node keys are 0, 1, 2, ... in breadth-first order from the roots, following ``next_functions`` in
order (the order ``viz`` discovers backward nodes in); a node first met in a later pass gets the next
free number. No ``id()``: the same code gives the same keys and the same log on every run. Values are
stored as read-only numpy copies, so later in-place changes (``x.grad.zero_()``) leave the record alone.
"""
from collections import deque
from dataclasses import dataclass
from typing import ClassVar, Optional, Tuple

import numpy as np

from .. import engine
from ..printing import format_values
from ..function import AccumulateGrad

__all__ = ["trace", "Edge", "StartEvent", "NodeEvent", "AccumulateEvent"]

VALUES_SHOWN = 8  # how many numbers the log prints per gradient before "…"


@dataclass(frozen=True, eq=False)
class Edge:
    """A gradient travelling along one edge: to output ``output_nr`` of node ``key``.

    ``key`` and ``name`` are None for an input that needs no gradient (``(None, 0)`` in
    ``next_functions``): nothing travels there, so ``grad`` is None too.
    """

    key: Optional[int]
    name: Optional[str]
    output_nr: int
    grad: Optional[np.ndarray]

    def text(self):
        if self.key is None:
            return "-> None"
        return f"-> #{self.key} {self.name} [{self.output_nr}]  {_format_array(self.grad)}"


@dataclass(frozen=True, eq=False)
class StartEvent:
    """A backward pass begins: each root edge with the gradient v it starts from (1 for a scalar loss)."""

    kind: ClassVar[str] = "start"
    step: int
    roots: Tuple[Edge, ...]

    def text(self):
        lines = [f"step {self.step}: backward starts"]
        lines += [f"  root {edge.text()}" for edge in self.roots]
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class NodeEvent:
    """Node ``key`` ran: the chain rule step grad_inputs = (its backward)(grad_outputs).

    ``grad_outputs``: the gradients that arrived, one per output of the forward operation (PyTorch's
    name: they are gradients *with respect to the outputs*). ``grad_inputs``: what the node sent, one
    ``Edge`` per entry of ``next_functions`` (gradients with respect to the operation's inputs).
    """

    kind: ClassVar[str] = "node"
    step: int
    key: int
    name: str
    grad_outputs: Tuple[Optional[np.ndarray], ...]
    grad_inputs: Tuple[Edge, ...]

    def text(self):
        lines = [f"step {self.step}: #{self.key} {self.name}"]
        lines += [f"  in  [{nr}] {_format_array(g)}" for nr, g in enumerate(self.grad_outputs)]
        lines += [f"  out [{i}] {edge.text()}" for i, edge in enumerate(self.grad_inputs)]
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class AccumulateEvent:
    """``AccumulateGrad`` node ``key`` ran: ``leaf.grad`` went from ``before`` to ``after`` = before + grad.

    ``leaf`` is the leaf's name when the trace was given ``params``; ``before`` is None when ``.grad``
    was None (then ``after`` is a copy of ``grad``).
    """

    kind: ClassVar[str] = "accumulate"
    step: int
    key: int
    name: str
    leaf: Optional[str]
    grad: np.ndarray
    before: Optional[np.ndarray]
    after: np.ndarray

    def text(self):
        leaf = f"  ({self.leaf}.grad)" if self.leaf is not None else ""
        return "\n".join([
            f"step {self.step}: #{self.key} {self.name}{leaf}",
            f"  grad   {_format_array(self.grad)}",
            f"  before {_format_array(self.before)}",
            f"  after  {_format_array(self.after)}",
        ])


class trace:
    """Record every backward pass run inside ``with trace() as t:`` into ``t.events``.

    ``params``: optional ``{name: tensor}`` (or ``model.named_parameters()``), to name the leaves whose
    ``.grad`` gets accumulated, as ``viz`` labels them. ``str(t)`` / ``t.dump()``: the log as text.
    """

    def __init__(self, params=None):
        self.events = []
        self._params = list(dict(params).items()) if params is not None else []
        self._keys = {}  # node -> key, for the duration of the with-block only
        self._before = {}  # AccumulateGrad node -> its leaf's .grad before the += (while it runs)

    def __enter__(self):
        engine._tracers.append(self)
        return self

    def __exit__(self, *exc):
        for i in range(len(engine._tracers) - 1, -1, -1):  # this trace, even if exited out of order
            if engine._tracers[i] is self:
                del engine._tracers[i]
                break
        self._keys = {}  # let the graph go: the events hold only numbers and copies
        self._before = {}
        return False

    # --- the text log ----------------------------------------------------------------------------
    def dump(self):
        """The events as text: one block per step, numbers in a fixed format (same text every run)."""
        return "\n".join(event.text() for event in self.events)

    def __str__(self):
        return self.dump()

    def __repr__(self):
        return f"<trace: {len(self.events)} events>"

    # --- what the engine calls ---------------------------------------------------------------------
    def start(self, roots, grads):
        self._number([node for node, _ in roots])
        edges = tuple(self._edge(node, nr, g) for (node, nr), g in zip(roots, grads))
        self.events.append(StartEvent(len(self.events), edges))

    def before(self, node, grad_outputs):
        if isinstance(node, AccumulateGrad):
            self._before[node] = _copy(node.variable.grad)

    def after(self, node, grad_outputs, grad_inputs):
        if isinstance(node, AccumulateGrad):
            self.events.append(AccumulateEvent(len(self.events), self._key(node), _name(node),
                                               self._leaf_name(node.variable), _copy(grad_outputs[0]),
                                               self._before.pop(node), _copy(node.variable.grad)))
            return
        edges = tuple(self._edge(nxt, nr, g) for (nxt, nr), g in zip(node.next_functions, grad_inputs))
        self.events.append(NodeEvent(len(self.events), self._key(node), _name(node),
                                     tuple(_copy(g) for g in grad_outputs), edges))

    # --- keys and names ------------------------------------------------------------------------------
    def _number(self, roots):
        """Give the next free keys to the nodes reachable from ``roots``, breadth first."""
        queue = deque(roots)
        while queue:
            node = queue.popleft()
            if node is None or node in self._keys:
                continue
            self._keys[node] = len(self._keys)
            queue.extend(nxt for nxt, _ in node.next_functions)

    def _key(self, node):
        if node not in self._keys:
            self._number([node])
        return self._keys[node]

    def _edge(self, node, output_nr, grad):
        if node is None:
            return Edge(None, None, int(output_nr), None)
        return Edge(self._key(node), _name(node), int(output_nr), _copy(grad))

    def _leaf_name(self, tensor):
        for name, t in self._params:
            if t is tensor:
                return str(name)
        return None


def _name(node):
    """PyTorch's class name of the node: ``MulBackward0``, ``AccumulateGrad``."""
    return type(node).__name__


def _copy(t):
    """A read-only numpy copy of a tensor's values (None stays None)."""
    if t is None:
        return None
    array = t.detach().numpy().copy()
    array.flags.writeable = False
    return array


_SHORT_DTYPES = {"float32": "f32", "float64": "f64", "int64": "i64", "bool": "b8"}


def _format_array(a):
    """``f32[3] [4., 5., 6.]``: dtype and shape as in PyTorch's autograd log, then the values."""
    if a is None:
        return "None"
    head = f"{_SHORT_DTYPES.get(a.dtype.name, a.dtype.name)}[{', '.join(map(str, a.shape))}]"
    return f"{head} {format_values(a, VALUES_SHOWN)}"
