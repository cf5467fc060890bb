"""Pictures of autograd graphs, for PyTorch tensors and autograd_nb tensors alike.

    >>> from autograd_nb.viz import draw
    >>> draw(loss, params={"w": w, "b": b})      # in a notebook: shows the graph

The pipeline is a chain of plain functions you can call one by one:

    graph  = to_networkx(loss)     # model.py   walk grad_fn.next_functions into networkx
    laid   = layout(graph)         # layout.py  layers, order, coordinates
    svg    = to_svg(laid)          # svg.py     a self-contained SVG string
    plot(laid)                     # mpl.py     the same picture with matplotlib
    print(to_text(graph))          # text.py    the same graph as an indented tree

``draw`` runs the chain and wraps the result in a ``Graph`` (graph.py), which Jupyter
displays. ``tensor_html`` and ``node_html`` give the HTML a notebook shows for a tensor or a
backward node.

More pictures, each a pure function from data to an SVG ``Figure`` (figure.py):

    chain_rule(loss, params)     # backward.py  one pass: the gradient on every edge, the rule
    filmstrip(loss, params)      #              at every node, .grad at every leaf; step by step
    heatmap(J, v)                # matrix.py    a Jacobian, v beside its rows, vᵀJ below
    chart({"run": [...]})        # chart.py     a number over steps, one line per run

Every word they show comes from ``labels.py``.
"""

import html

from ..language import with_language

from . import labels
from .backward import BackwardPass, chain_rule, filmstrip
from .chart import chart
from .figure import Figure
from .graph import Graph
from .layout import layout
from .matrix import heatmap, side_by_side
from .model import build, format_values, is_node, readable_grad, to_networkx
from .svg import to_svg
from .text import to_text

__all__ = [
    "BackwardPass", "Figure", "Graph", "chain_rule", "chart", "draw", "filmstrip", "heatmap",
    "layout", "node_html", "plot", "side_by_side", "tensor_html", "to_networkx", "to_svg",
    "to_text",
]


@with_language
def draw(t, params=None, show_saved=False, show_values=False, show_grads=False,
         highlight=None, rankdir="TB", max_nodes=300):
    """Draw the backward graph that ends in ``t``.

    ``t``: a tensor, a list/tuple of tensors (several outputs), or a ``grad_fn`` node.
    ``params``: ``{name: tensor}`` to label tensors (e.g. ``dict(model.named_parameters())``).
    ``show_saved``: also draw the tensors each node saved for backward (orange).
    ``show_values`` / ``show_grads``: print numbers (and ``.grad``) in the tensor boxes.
    ``highlight``: tensors, nodes or node keys ("n3") to draw with a thick accent border.
    ``rankdir``: "TB" (outputs at the top) or "LR" (outputs at the left).
    ``max_nodes``: above this many nodes, show a summary card instead of the picture.
    ``language``: "en" or "zh" for the picture's words (default: ``autograd_nb.get_language()``).

    PyTorch has no ``draw``; the closest thing is the ``torchviz`` package's ``make_dot``.
    """
    graph, key_of = build(t, params=params, show_saved=show_saved, show_values=show_values,
                          show_grads=show_grads)
    for key in _highlighted_keys(graph, key_of, highlight or ()):
        graph.nodes[key]["highlight"] = True
    return Graph(graph, rankdir=rankdir, max_nodes=max_nodes)


def _highlighted_keys(graph, key_of, items):
    """The node keys for ``highlight``: keys, or the node drawn for a tensor or grad_fn.

    A non-leaf tensor that is not drawn itself is found through its ``grad_fn``.
    """
    keys = []
    for item in items:
        if isinstance(item, str):
            if item not in graph:
                raise KeyError(f"highlight: no node {item!r} in this graph")
            keys.append(item)
            continue
        key = key_of(item)
        if key is None and not is_node(item) and getattr(item, "grad_fn", None) is not None:
            key = key_of(item.grad_fn)
        if key is None:
            raise ValueError(f"highlight: this {type(item).__name__} is not in the graph")
        keys.append(key)
    return keys


def plot(laid, ax=None):
    """Paint a laid-out graph with matplotlib (``mpl.plot``; matplotlib loads on first use)."""
    from .mpl import plot as paint

    return paint(laid, ax)


def tensor_html(t):
    """HTML for a tensor in a notebook: its repr, a few attributes, and its graph if any.

    ``autograd_nb``'s ``Tensor._repr_html_`` returns this.
    """
    grad_fn = t.grad_fn
    if t.is_leaf or getattr(t, "retains_grad", False):
        grad = readable_grad(t)
        grad_text = "None" if grad is None else format_values(grad)
    else:  # reading .grad here would make PyTorch warn
        grad_text = labels.NOT_KEPT
    rows = [
        ("requires_grad", str(bool(t.requires_grad))),
        ("is_leaf", str(bool(t.is_leaf))),
        ("grad_fn", "None" if grad_fn is None else f"<{type(grad_fn).__name__}>"),
        ("grad", grad_text),
    ]
    table = "".join(
        f'<tr><th style="text-align:left">{html.escape(name)}</th>'
        f"<td><code>{html.escape(value)}</code></td></tr>"
        for name, value in rows
    )
    picture = draw(t)._repr_html_() if grad_fn is not None else ""
    return (
        '<div class="autograd-nb-tensor">'
        f"<pre>{html.escape(repr(t))}</pre>"
        f"<table>{table}</table>"
        f"{picture}</div>"
    )


def node_html(node):
    """HTML for a backward node (``grad_fn``): the part of the graph below it."""
    return draw(node)._repr_html_()
