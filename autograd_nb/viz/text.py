"""The graph in words: a one-line summary, an indented tree, and the card for big graphs.

The tree is what a notebook shows when it cannot show pictures (``text/plain``), and what
``print(draw(loss))`` prints::

    b (3,) [output]
    └─ AddBackward0
       └─ AccumulateGrad
          └─ z (3,) [leaf]
    a (3,) [nograd]

A node reached along two paths is printed once, then referred to by its key:
``AccumulateGrad [n3] (see above)``.
"""

from . import labels, style

TREE_LINES = 200  # the tree stops here; big graphs are for the picture or the card
CARD_NODES = 20  # how many nodes the card of a too-big graph lists


def kind_counts(graph):
    """``{kind: count}`` in the legend's order, only for kinds present."""
    counts = {}
    for _, kind in graph.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    return {kind: counts[kind] for kind in style.KINDS if kind in counts}


def summary(graph):
    """``"5 nodes: 1 output, 2 function, 1 accumulate, 1 leaf"``."""
    nodes = labels.NODES(graph.number_of_nodes())
    parts = ", ".join(labels.SUMMARY_PART.format(count=count, kind=labels.KIND_SHORT[kind])
                      for kind, count in kind_counts(graph).items())
    return labels.SUMMARY.format(nodes=nodes, parts=parts) if parts else nodes


def node_line(graph, key):
    """One node on one line: its label lines joined, then its kind for tensors."""
    node = graph.nodes[key]
    text = " ".join(node["label"].split("\n"))
    if node["kind"] not in ("function", "accumulate"):
        text += f" [{labels.KIND_TAG[node['kind']]}]"
    return text


def in_order(graph):
    """Node keys in discovery order (breadth-first from the outputs)."""
    return sorted(graph.nodes, key=lambda key: graph.nodes[key]["order"])


def to_text(graph, max_lines=TREE_LINES):
    """The graph as an indented tree, from each output down to the leaves."""
    shared = {key for key in graph.nodes if graph.in_degree(key) > 1}
    roots = [key for key in in_order(graph) if graph.in_degree(key) == 0]
    lines, seen = [], set()
    # An explicit stack instead of recursion: graphs can be 100,000 nodes deep.
    # Each entry: (key, text before the node, text before its children, edge label).
    stack = [(key, "", "", None) for key in reversed(roots)]
    while stack and len(lines) < max_lines:
        key, head, tail, edge_label = stack.pop()
        text = node_line(graph, key)
        if edge_label:
            text += f" {edge_label}"
        if key in shared:
            text += f" [{key}]"
        if key in seen:
            lines.append(f"{head}{text} {labels.SEE_ABOVE}")
            continue
        seen.add(key)
        lines.append(head + text)
        children = list(graph.successors(key))
        for i in range(len(children) - 1, -1, -1):  # pushed in reverse, popped in order
            last = i == len(children) - 1
            child = children[i]
            branch, below = ("└─ ", "   ") if last else ("├─ ", "│  ")
            stack.append((child, tail + branch, tail + below, graph.edges[key, child].get("label")))
    missing = graph.number_of_nodes() - len(seen)
    if missing:
        lines.append(labels.NOT_SHOWN(missing))
    return "\n".join(lines)


def card_lines(graph, max_nodes, first=CARD_NODES):
    """What to show instead of a graph with more than ``max_nodes`` nodes."""
    total = graph.number_of_nodes()
    keys = in_order(graph)[:first]
    too_large, by_kind, first_nodes, anyway, a_part = labels.CARD
    kinds = ", ".join(labels.SUMMARY_PART.format(count=count, kind=labels.KIND_SHORT[kind])
                      for kind, count in kind_counts(graph).items())
    lines = [
        too_large.format(total=total, max_nodes=max_nodes),
        by_kind.format(kinds=kinds),
        first_nodes.format(first=len(keys)),
    ]
    width = max(len(key) for key in keys) if keys else 0
    for key in keys:
        lines.append(f"  {key:<{width}}  {_clip(node_line(graph, key), 70)}")
    lines.append(anyway.format(total=total))
    lines.append(a_part)
    return lines


def _clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"
