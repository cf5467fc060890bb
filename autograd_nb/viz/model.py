"""The backward graph as data: walk ``grad_fn.next_functions`` into a ``networkx.DiGraph``.

Everything else in ``viz`` (layout, SVG, matplotlib, text) draws the graph built here.

What becomes a node (the ``kind`` attribute; colours in ``style.py``):

* ``"output"``     a tensor you passed that has a ``grad_fn`` (``b = a + z``)
* ``"function"``   a ``grad_fn`` node such as ``AddBackward0``
* ``"accumulate"`` an ``AccumulateGrad`` node, which adds the gradient into a leaf's ``.grad``
* ``"leaf"``       a leaf tensor with ``requires_grad=True`` (``AccumulateGrad.variable``)
* ``"saved"``      a tensor a node saved for its backward (``_saved_self``, ...), if ``show_saved``
* ``"nograd"``     a tensor you passed (as an output or a param) that needs no grad: autograd
  recorded nothing for it, so it stands alone, disconnected from the backward graph

Every arrow is an attribute you can follow in Python yourself (the ``kind`` of the edge):

* ``"grad_fn"``    tensor -> ``tensor.grad_fn``
* ``"next"``       node -> each node in ``node.next_functions`` (``(None, 0)`` entries, the
  inputs that needed no grad, draw nothing); ``slots`` lists the input positions
* ``"variable"``   ``AccumulateGrad`` -> ``node.variable``, the leaf it writes into
* ``"saved"``      node -> ``node._saved_<name>``

So arrows run from the outputs toward the inputs: the direction the backward pass travels.

The code is duck-typed: it reads only ``grad_fn``, ``requires_grad``, ``is_leaf``, ``shape``,
``dtype``, ``retains_grad``, ``grad``, ``next_functions``, ``variable``, ``name()`` and the
``_saved_*`` attributes, so PyTorch tensors and ``autograd_nb`` tensors both work.

Node keys are ``"n0"``, ``"n1"``, ... in breadth-first order from the outputs, following
``next_functions`` in order, so the same graph always gets the same keys (never ``id()``).
A saved tensor's key extends its node's key: ``"n1.saved_self"``.
"""

from collections import deque

import networkx as nx
import numpy as np

from .. import printing
from ..printing import format_number
from . import labels

SAVED_PREFIX = "_saved_"
VALUES_SHOWN = 6  # how many numbers a label shows before "…"


def to_networkx(outputs, params=None, show_saved=False, show_values=False, show_grads=False):
    """The backward graph of ``outputs`` as a ``networkx.DiGraph``.

    ``outputs``: a tensor, a ``grad_fn`` node, or a list/tuple of them.
    ``params``: ``{name: tensor}`` (or ``model.named_parameters()``); tensors are matched by
    identity and labelled with their name. Params that autograd never reached still appear:
    a leaf with ``requires_grad=True`` as a lone leaf (its ``.grad`` will stay ``None``),
    a tensor without grad as ``"nograd"``.
    ``show_saved``: add the tensors each node saved for backward.
    ``show_values`` / ``show_grads``: add the numbers (and ``.grad`` where PyTorch keeps it).

    Node attributes: ``kind``, ``label`` (lines joined by "\\n"), ``tooltip``, ``order`` (the
    discovery index), ``name``, ``shape``, ``dtype``, ``requires_grad``, ``is_leaf``,
    ``retains_grad``, ``values``, ``grad``. Edge attributes: ``kind``, ``tooltip``, and for
    ``"next"`` edges ``slots``, ``output_nrs`` and ``label`` (``"×2"`` for ``x * x``).

    The graph is plain data (strings, numbers, tuples): it holds no tensors or nodes, so it
    does not keep the autograd graph or its saved tensors alive.
    """
    return build(outputs, params, show_saved, show_values, show_grads)[0]


def build(outputs, params=None, show_saved=False, show_values=False, show_grads=False):
    """``to_networkx``'s graph and ``key_of(obj)``: the key of a tensor or node in it, or None.

    ``key_of`` holds every tensor and node it saw (that is how it can compare them by
    identity); drop it when done, so that the graph's memory can be freed.
    """
    builder = _Builder(params, show_saved, show_values, show_grads)
    roots = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    for root in roots:
        if is_node(root):
            builder.add_function(root)
        else:
            builder.add_tensor(root)
    builder.expand_all()
    # Params the walk did not reach: tensors autograd never connected to these outputs.
    for _, tensor in builder.params:
        builder.add_tensor(tensor)
    builder.expand_all()
    return builder.graph, builder.key_of


def is_node(obj):
    """A backward node (``grad_fn``) has ``next_functions``; a tensor does not."""
    return hasattr(obj, "next_functions")


def is_tensor(obj):
    return hasattr(obj, "requires_grad") and hasattr(obj, "shape") and hasattr(obj, "grad_fn")


def tensor_kind(t):
    """Where a tensor sits in the lesson's picture: "nograd", "leaf" or "output"."""
    if not t.requires_grad:
        return "nograd"
    if t.grad_fn is None:
        return "leaf"
    return "output"


def node_kind(node):
    return "accumulate" if type(node).__name__ == "AccumulateGrad" else "function"


def to_numpy(t):
    """The values of a PyTorch or autograd_nb tensor as a numpy array."""
    if hasattr(t, "detach"):
        t = t.detach()
    if hasattr(t, "cpu"):
        t = t.cpu()
    return np.asarray(t.numpy())


def format_values(t, limit=VALUES_SHOWN):
    """``[1., 2.5, -0.3333, …]``: the first ``limit`` numbers of a tensor (ours or PyTorch's), flattened."""
    try:
        array = to_numpy(t)
    except (TypeError, RuntimeError, AttributeError, ValueError):
        return "(values unavailable)"
    return printing.format_values(array, limit)


def format_shape(t):
    return str(tuple(int(d) for d in t.shape))


def readable_grad(t):
    """``t.grad`` when PyTorch keeps it (leaves and ``retain_grad()`` tensors), else None.

    Reading ``.grad`` of any other non-leaf makes PyTorch warn, so we do not.
    """
    if t.is_leaf or getattr(t, "retains_grad", False):
        return t.grad
    return None


def saved_values(node):
    """The ``_saved_*`` attributes of a node, sorted by name.

    Returns ``(tensors, others, freed)``: ``[(attr, tensor)]`` (a saved list of tensors
    becomes ``attr[0]``, ``attr[1]``, ...), ``[(attr, value)]`` for saved non-tensors such as
    sizes, and the attrs that could not be read because ``backward()`` freed them.
    """
    tensors, others, freed = [], [], []
    for attr in dir(node):  # sorted; autograd_nb nodes list their _saved_* names here too
        if not attr.startswith(SAVED_PREFIX):
            continue
        try:
            value = getattr(node, attr)
        except RuntimeError:  # "Trying to backward through the graph a second time ..."
            freed.append(attr)
            continue
        if is_tensor(value):
            tensors.append((attr, value))
        elif isinstance(value, (list, tuple)) and value and all(is_tensor(v) for v in value):
            tensors.extend((f"{attr}[{i}]", v) for i, v in enumerate(value))
        else:
            others.append((attr, value))
    return tensors, others, freed


def format_plain(value, limit=60):
    """A short repr for saved non-tensor values; never an object address."""
    if isinstance(value, (float, np.floating)):
        text = format_number(value)
    elif value is None or isinstance(value, (bool, int, str, np.integer)):
        text = repr(value)
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float)) for v in value):
        text = str(tuple(value))
    else:
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Builder:
    """Breadth-first walk from the outputs that adds nodes and edges as it discovers them."""

    def __init__(self, params, show_saved, show_values, show_grads):
        self.graph = nx.DiGraph()
        self.params = list(dict(params).items()) if params is not None else []
        self.names = {}  # id(tensor) -> name; self.params keeps the tensors alive
        for name, tensor in self.params:
            self.names.setdefault(id(tensor), str(name))
        self.show_saved = show_saved
        self.show_values = show_values
        self.show_grads = show_grads
        # id(obj) -> key, only to notice an object we have seen. ``alive`` holds every such
        # object, so no id can be reused by a new object while we walk.
        self.keys = {}
        self.alive = []
        self.queue = deque()  # nodes whose next_functions are still to be followed
        self.next_key = 0
        self.order = 0

    def _new_node(self, key, **attrs):
        self.graph.add_node(key, order=self.order, **attrs)
        self.order += 1

    def _fresh_key(self, obj):
        key = f"n{self.next_key}"
        self.next_key += 1
        self.keys[id(obj)] = key
        self.alive.append(obj)
        return key

    def key_of(self, obj):
        """The key of a tensor or node drawn (not a saved tensor), or None."""
        return self.keys.get(id(obj))

    def expand_all(self):
        while self.queue:
            self._expand(self.queue.popleft())

    # -- tensors -------------------------------------------------------------------------

    def add_tensor(self, t):
        """The key of tensor ``t``, adding its node (and the arrow to its grad_fn) if new."""
        if id(t) in self.keys:
            return self.keys[id(t)]
        key = self._fresh_key(t)
        kind = tensor_kind(t)
        self._new_node(key, **self._tensor_attrs(t, kind, self.names.get(id(t))))
        if kind == "output":
            name = self.names.get(id(t), "tensor")
            self.graph.add_edge(key, self.add_function(t.grad_fn), kind="grad_fn",
                                tooltip=labels.GRAD_FN_TIP.format(name=name, node=type(t.grad_fn).__name__))
        return key

    def _tensor_attrs(self, t, kind, name, saved_as=None):
        """Node attributes of a tensor; ``saved_as`` is "self" for ``_saved_self``."""
        retains = bool(getattr(t, "retains_grad", False))
        attrs = {
            "kind": kind,
            "name": name,
            "shape": tuple(int(d) for d in t.shape),
            "dtype": str(t.dtype),
            "requires_grad": bool(t.requires_grad),
            "is_leaf": bool(t.is_leaf),
            "retains_grad": retains,
            "values": format_values(t) if self.show_values else None,
            "grad": None,
        }
        if self.show_grads and readable_grad(t) is not None:
            attrs["grad"] = format_values(readable_grad(t))

        label = []  # name, shape, then the numbers asked for
        if saved_as is not None:
            label.append(saved_as if name is None else f"{saved_as} = {name}")
        elif name is not None:
            label.append(name)
        label.append(format_shape(t))
        if attrs["values"] is not None:
            label.append(attrs["values"])
        if attrs["grad"] is not None:
            label.append(f"grad {attrs['grad']}")

        if saved_as is not None:
            title = labels.SAVED_TITLE.format(attr=SAVED_PREFIX + saved_as)
            if name is not None:
                title += labels.SAVED_NAME.format(name=name)
        else:
            title = labels.TENSOR_TITLES[kind] + (f" {name!r}" if name is not None else "")
        grad_fn = t.grad_fn
        tip = [
            title,
            labels.SHAPE.format(shape=format_shape(t), dtype=t.dtype),
            f"requires_grad={attrs['requires_grad']}  is_leaf={attrs['is_leaf']}"
            f"  retains_grad={retains}",
            f"grad_fn={type(grad_fn).__name__ if grad_fn is not None else None}",
        ]
        if attrs["values"] is not None:
            tip.append(f"values {attrs['values']}")
        if self.show_grads:
            if t.is_leaf or retains:
                tip.append(f"grad {attrs['grad']}")
            else:
                tip.append(labels.GRAD_NOT_KEPT)
        if kind == "nograd":
            tip.append(labels.RECORDS_NOTHING)
        attrs["label"] = "\n".join(label)
        attrs["tooltip"] = "\n".join(tip)
        return attrs

    # -- backward nodes ------------------------------------------------------------------

    def add_function(self, node):
        """The key of a backward node, adding it (and queueing it to expand) if new."""
        if id(node) in self.keys:
            return self.keys[id(node)]
        key = self._fresh_key(node)
        kind = node_kind(node)
        self._new_node(key, kind=kind, label=type(node).__name__,
                       tooltip=self._node_tooltip(node, kind), name=None, shape=None,
                       dtype=None, requires_grad=None, is_leaf=None, retains_grad=None,
                       values=None, grad=None)
        self.queue.append(node)
        return key

    def _node_tooltip(self, node, kind):
        title = type(node).__name__
        lines = [title if node.name() == title else f"{title}   name(): {node.name()}"]
        # written like Python prints the tuple, with type names instead of object addresses
        pairs = [f"({type(n).__name__ if n is not None else None}, {nr})"
                 for n, nr in node.next_functions]
        lines.append(f"next_functions: ({', '.join(pairs)}{',' if len(pairs) == 1 else ''})")
        if kind == "accumulate":
            lines.append(labels.ADDS_INTO)
        tensors, others, freed = saved_values(node)
        for attr, t in tensors:
            lines.append(labels.SAVED_TENSOR.format(attr=attr, shape=format_shape(t), dtype=t.dtype))
        for attr, value in others:
            lines.append(f"{attr} = {format_plain(value)}")
        for attr in freed:
            lines.append(labels.FREED.format(attr=attr))
        return "\n".join(lines)

    def _expand(self, node):
        key = self.keys[id(node)]
        for slot, (nxt, output_nr) in enumerate(node.next_functions):
            if nxt is None:  # this input needed no grad: nothing to send it
                continue
            nxt_key = self.add_function(nxt)
            tip = labels.NEXT_TIP.format(node=type(node).__name__, slot=slot, next=type(nxt).__name__,
                                         output_nr=int(output_nr))
            if self.graph.has_edge(key, nxt_key):  # e.g. x * x: both inputs reach one node
                edge = self.graph.edges[key, nxt_key]
                edge["slots"] += (slot,)
                edge["output_nrs"] += (int(output_nr),)
                edge["label"] = f"×{len(edge['slots'])}"
                edge["tooltip"] += "\n" + tip
            else:
                self.graph.add_edge(key, nxt_key, kind="next", slots=(slot,),
                                    output_nrs=(int(output_nr),), label=None, tooltip=tip)
        variable = getattr(node, "variable", None) if node_kind(node) == "accumulate" else None
        if variable is not None:
            self.graph.add_edge(key, self.add_tensor(variable), kind="variable",
                                tooltip=labels.VARIABLE_TIP)
        if self.show_saved:
            tensors, _, _ = saved_values(node)
            for attr, t in tensors:
                saved_key = f"{key}.{attr[1:]}"  # "n1.saved_self"
                saved_as = attr[len(SAVED_PREFIX):]  # "self"
                self._new_node(saved_key, **self._tensor_attrs(t, "saved", self.names.get(id(t)),
                                                               saved_as=saved_as))
                self.graph.add_edge(key, saved_key, kind="saved", attr=attr,
                                    tooltip=labels.SAVED_TIP.format(node=type(node).__name__, attr=attr))

