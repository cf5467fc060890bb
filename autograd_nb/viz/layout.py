"""Where each box goes: a deterministic layered ("Sugiyama") layout.

The layers hold the graph's **nodes**: the Function and ``AccumulateGrad`` nodes, and tensors
that stand alone. A tensor tied to a node (its ``grad_fn``, the ``AccumulateGrad`` that fills it,
the node that saved it) is a **tag** beside that node, in the same layer, not a layer of its own:

1. **Tags.** Each node and the tags tied to it count as one unit; the tags sit to its right
   (below it, for ``rankdir="LR"``), stacked, each tied to the node by a short straight line.
2. **Layers.** ``networkx.topological_generations`` of the nodes: the outputs' nodes form
   layer 0, and each node sits one layer below the deepest node that points at it.
3. **Long edges** that skip layers get a chain of invisible bend points, one per skipped
   layer, so they can be routed around boxes (within a budget, see ``DUMMY_BUDGET``).
4. **Order inside each layer.** Start from discovery order, then sweep down and up a few
   times, moving every node to the *barycenter* (mean position) of its neighbours in the
   layer before, and swap neighbours in a layer when that removes crossings; keep the order
   with the fewest edge crossings.
5. **Coordinates.** Pull each node toward the mean coordinate of its neighbours while
   keeping boxes apart, a few passes down and up.
6. **Edge labels** (``"×2"``, or the gradient an edge carried) go in the gap below the
   edge's source, in as many rows as they need not to overlap; the gap grows to hold them.

No randomness, and ties are broken by the node's discovery ``order``, so the same graph
always gets the same picture. No recursion either: autograd graphs can be 100,000 deep.

``layout`` returns a copy of the graph with geometry added (px, y grows downward):
node ``x``, ``y`` (box centre), ``width``, ``height``; edge ``points`` (for an arrow: the
polyline from the source box to the target box, ending on the target's border; for a tether:
from the node's border to the tag's), edge ``label_at`` (the centre of its label, if it has
one); graph ``width``, ``height``, ``rankdir``. ``edge_geometry`` turns an arrow's points
into the curves both painters draw.
"""

import bisect

import networkx as nx

from . import style

SWEEPS = 4  # barycenter sweeps (each one down and one up, then swaps)
TRANSPOSE_PASSES = 4  # rounds of swapping neighbours per sweep
COORDINATE_PASSES = 4
DUMMY_BUDGET = 4  # at most this many bend points per node, so the work stays linear


def layout(graph, rankdir="TB"):
    """A copy of ``graph`` with positions and sizes; ``rankdir`` "TB" (top-down) or "LR"."""
    if rankdir not in ("TB", "LR"):
        raise ValueError(f'rankdir must be "TB" or "LR", got {rankdir!r}')
    across = 0 if rankdir == "TB" else 1  # which of (width, height) lies along a layer
    along = 1 - across

    every = sorted(graph.nodes, key=lambda k: graph.nodes[k]["order"])
    size = {key: style.box_size(graph.nodes[key]["label"]) for key in every}
    tags = _tags(graph)  # node -> the tensors tied to it
    tied = {t for ts in tags.values() for t in ts}
    keys = [key for key in every if key not in tied]
    index = {key: i for i, key in enumerate(keys)}

    # A node and its tags make one unit; ``anchor`` is the node's centre relative to the unit's.
    cross_size, along_size, anchor = [], [], []
    for key in keys:
        own = size[key]
        unit_cross, unit_along = own[across], own[along]
        if key in tags:
            sizes = [size[t] for t in tags[key]]
            unit_cross += style.TAG_GAP + max(s[across] for s in sizes)
            stacked = sum(s[along] for s in sizes) + style.TAG_STACK_GAP * (len(sizes) - 1)
            unit_along = max(unit_along, stacked)
        cross_size.append(unit_cross)
        along_size.append(unit_along)
        anchor.append(own[across] / 2 - unit_cross / 2)

    core = graph.subgraph(keys)
    layer_of = _layers(core, keys, index)
    paths, edge_keys = _route_long_edges(core, index, layer_of, cross_size, anchor)
    up, down = _neighbours(paths, layer_of)

    layers = [[] for _ in range(max(layer_of) + 1 if layer_of else 0)]
    for vertex, depth in enumerate(layer_of):
        layers[depth].append(vertex)
    layers = _order_layers(layers, up, down)

    cross = _coordinates(layers, up, down, cross_size, anchor)
    laid = graph.copy()
    _place(laid, _Geometry(keys, size, tags, along_size, anchor, layers, layer_of, cross, paths,
                           edge_keys, across, rankdir))
    return laid


def _tags(graph):
    """``{node key: [tensor keys]}``: the tensors drawn as tags beside each node, in order."""
    tags, taken = {}, set()
    for u, v, kind in graph.edges(data="kind"):
        if kind not in style.ATTACH_KINDS:
            continue
        node, tensor = (v, u) if kind == "grad_fn" else (u, v)
        if tensor in taken or graph.nodes[node]["kind"] not in ("function", "accumulate"):
            continue
        taken.add(tensor)
        tags.setdefault(node, []).append(tensor)
    for node in tags:
        tags[node].sort(key=lambda k: graph.nodes[k]["order"])
    return tags


# -- 2. layers ---------------------------------------------------------------------------------


def _layers(core, keys, index):
    """Layer of every node: one below the deepest node pointing at it."""
    layer_of = [0] * len(keys)
    for depth, generation in enumerate(nx.topological_generations(core)):
        for key in generation:
            layer_of[index[key]] = depth
    return layer_of


# -- 3. long edges -----------------------------------------------------------------------------


def _route_long_edges(core, index, layer_of, cross_size, anchor):
    """Each edge between nodes as a list of vertices; long edges get bend vertices appended to
    ``layer_of``. Returns the paths and the ``(u, v)`` key pair of each.

    Shortest edges are routed first; once the budget is spent the rest are drawn straight
    (a leaf used by every step of a 1,000-step loop would otherwise need 500,000 bends).
    """
    n = len(layer_of)
    budget = DUMMY_BUDGET * n
    edge_keys = list(core.edges)
    edges = [(index[u], index[v]) for u, v in edge_keys]
    spans = sorted((layer_of[v] - layer_of[u], i) for i, (u, v) in enumerate(edges))
    bent = set()
    for span, i in spans:
        if 1 < span and span - 1 <= budget:
            budget -= span - 1
            bent.add(i)
    # Bend points are made in the order of the edges (next_functions order), which is the
    # order they start from in their layers: it keeps a node's edges side by side, untangled.
    paths = [None] * len(edges)
    for i, (u, v) in enumerate(edges):
        if i not in bent:
            paths[i] = [u, v]
            continue
        path = [u]
        for depth in range(layer_of[u] + 1, layer_of[v]):
            path.append(len(layer_of))
            layer_of.append(depth)
            cross_size.append(0)
            anchor.append(0.0)
        path.append(v)
        paths[i] = path
    return paths, edge_keys


def _neighbours(paths, layer_of):
    """Neighbours in the layer above (``up``) and below (``down``) of every vertex.

    Long edges drawn straight (over budget) join no adjacent layers, so they are left out.
    """
    up = [[] for _ in layer_of]
    down = [[] for _ in layer_of]
    for path in paths:
        for a, b in zip(path, path[1:]):
            if layer_of[b] == layer_of[a] + 1:
                down[a].append(b)
                up[b].append(a)
    return up, down


# -- 4. order inside each layer ----------------------------------------------------------------


def _order_layers(layers, up, down):
    position = {}
    for layer in layers:
        position.update((v, i) for i, v in enumerate(layer))
    for depth in range(1, len(layers)):  # a first placement under the parents
        layers[depth] = _by_barycenter(layers[depth], up, position)
    best, fewest = [list(layer) for layer in layers], _crossings(layers, down, position)
    for _ in range(SWEEPS):
        if fewest == 0:
            break
        for depth in range(1, len(layers)):
            layers[depth] = _by_barycenter(layers[depth], up, position)
        for depth in range(len(layers) - 2, -1, -1):
            layers[depth] = _by_barycenter(layers[depth], down, position)
        _transpose(layers, up, down, position)
        count = _crossings(layers, down, position)
        if count < fewest:
            best, fewest = [list(layer) for layer in layers], count
    for layer in best:
        position.update((v, i) for i, v in enumerate(layer))
    return best


def _by_barycenter(layer, neighbours, position):
    """Sort a layer by the mean position of each vertex's neighbours in the next layer over.

    A vertex without such neighbours keeps its place; ties keep the current order.
    """
    keyed = []
    for i, v in enumerate(layer):
        near = neighbours[v]
        center = sum(position[u] for u in near) / len(near) if near else float(i)
        keyed.append((center, i, v))
    keyed.sort()
    ordered = [v for _, _, v in keyed]
    position.update((v, i) for i, v in enumerate(ordered))
    return ordered


def _transpose(layers, up, down, position):
    """Swap two neighbours in a layer whenever that makes fewer crossings with both adjacent
    layers; a few rounds, until nothing improves."""
    for _ in range(TRANSPOSE_PASSES):
        improved = False
        for layer in layers:
            for i in range(len(layer) - 1):
                u, v = layer[i], layer[i + 1]
                now = _pair_crossings(u, v, up, position) + _pair_crossings(u, v, down, position)
                swapped = _pair_crossings(v, u, up, position) + _pair_crossings(v, u, down, position)
                if swapped < now:
                    layer[i], layer[i + 1] = v, u
                    position[u], position[v] = i + 1, i
                    improved = True
        if not improved:
            return


def _pair_crossings(left, right, neighbours, position):
    """Crossings between the edges of ``left`` and of ``right`` (``left`` placed first)."""
    theirs = sorted(position[b] for b in neighbours[right])
    return sum(len(theirs) - bisect.bisect_right(theirs, position[a]) for a in neighbours[left]) \
        if theirs else 0


def _crossings(layers, down, position):
    """How many pairs of edges cross between adjacent layers.

    Sort the edges by their upper end; two edges cross when their lower ends come in the
    opposite order, so count those inversions (with a Fenwick tree, for speed).
    """
    total = 0
    for depth in range(len(layers) - 1):
        ends = sorted((position[a], position[b]) for a in layers[depth] for b in down[a])
        tree = [0] * (len(layers[depth + 1]) + 1)
        seen = 0
        for _, b in ends:
            # edges already seen whose lower end lies right of b cross this one
            total += seen - _prefix_sum(tree, b + 1)
            seen += 1
            i = b + 1
            while i < len(tree):
                tree[i] += 1
                i += i & -i
    return total


def _prefix_sum(tree, i):
    s = 0
    while i > 0:
        s += tree[i]
        i -= i & -i
    return s


# -- 5. coordinates ----------------------------------------------------------------------------


def _coordinates(layers, up, down, cross_size, anchor):
    """Centre of every unit along its layer, keeping neighbouring units apart. Edges attach at
    ``cross[v] + anchor[v]`` (a node's own centre, left of the tags tied to it)."""
    cross = [0.0] * len(cross_size)

    def gap(a, b):
        spacing = style.NODE_GAP if cross_size[a] and cross_size[b] else style.DUMMY_GAP
        return (cross_size[a] + cross_size[b]) / 2 + spacing

    for layer in layers:  # start packed and centred on 0
        at = 0.0
        for i, v in enumerate(layer):
            if i:
                at += gap(layer[i - 1], v)
            cross[v] = at
        for v in layer:
            cross[v] -= at / 2

    def settle(layer, neighbours):
        wanted = []
        for v in layer:
            near = neighbours[v]
            wanted.append(sum(cross[u] + anchor[u] for u in near) / len(near) - anchor[v]
                          if near else cross[v])
        # Push right from the left, push left from the right; both keep the gaps, and so
        # does their average, which sits as near the wanted places as both allow.
        right = list(wanted)
        for i in range(1, len(layer)):
            right[i] = max(wanted[i], right[i - 1] + gap(layer[i - 1], layer[i]))
        left = list(wanted)
        for i in range(len(layer) - 2, -1, -1):
            left[i] = min(wanted[i], left[i + 1] - gap(layer[i], layer[i + 1]))
        for i, v in enumerate(layer):
            cross[v] = (right[i] + left[i]) / 2

    both = [a + b for a, b in zip(up, down)]
    for _ in range(COORDINATE_PASSES):
        for layer in layers[1:]:
            settle(layer, up)
        for layer in reversed(layers[:-1]):
            settle(layer, down)
    for layer in layers:
        settle(layer, both)
    return cross


# -- 6. putting it together --------------------------------------------------------------------


class _Geometry:
    """What ``_place`` needs, in one bundle."""

    def __init__(self, keys, size, tags, along_size, anchor, layers, layer_of, cross, paths,
                 edge_keys, across, rankdir):
        self.keys, self.size, self.tags, self.along_size = keys, size, tags, along_size
        self.anchor, self.layers, self.layer_of, self.cross = anchor, layers, layer_of, cross
        self.paths, self.edge_keys, self.across, self.rankdir = paths, edge_keys, across, rankdir


def _place(laid, g):
    across, along = g.across, 1 - g.across
    n = len(g.keys)

    def centre(v):  # where a vertex's own box (or a bend point) sits across its layer
        return g.cross[v] + g.anchor[v]

    def own(v, axis):
        return g.size[g.keys[v]][axis] if v < n else 0

    thickness = []
    for layer in g.layers:
        real = [g.along_size[v] for v in layer if v < n]
        thickness.append(max(real) if real else 0)

    def layer_starts(gaps):
        start, at = [], 0.0
        for depth, t in enumerate(thickness):
            start.append(at)
            at += t + gaps[depth]
        return start, at - (gaps[-1] if gaps else 0.0)

    def edge_runs(start):
        """Per edge between nodes: [(cross, along), ...], arrows side by side at shared boxes."""
        def mid(depth):
            return start[depth] + thickness[depth] / 2

        runs = []
        for path in g.paths:
            run = [(centre(path[0]), mid(g.layer_of[path[0]]) + own(path[0], along) / 2)]
            for bend in path[1:-1]:  # a bend point crosses its whole layer straight
                depth = g.layer_of[bend]
                run.append((centre(bend), start[depth]))
                run.append((centre(bend), start[depth] + thickness[depth]))
            run.append((centre(path[-1]), mid(g.layer_of[path[-1]]) - own(path[-1], along) / 2))
            runs.append(run)
        _spread_ports(runs, g.paths, [own(v, across) for v in range(n)])
        return runs

    # Edge labels go in the gap below their edge's source, in rows that keep them apart.
    runs = edge_runs(layer_starts([style.LAYER_GAP] * len(g.layers))[0])  # (cross is final)
    labelled = []  # (edge index, gap, width)
    for i, (u, v) in enumerate(g.edge_keys):
        text = laid.edges[u, v].get("label")
        if text:
            labelled.append((i, g.layer_of[g.paths[i][0]], style.text_width(text) + 8))
    rows_in_gap = [0] * len(g.layers)
    row_of, by_gap = {}, {}
    for i, depth, width in labelled:
        middle = (runs[i][0][0] + runs[i][1][0]) / 2  # where the first curve is halfway down
        by_gap.setdefault(depth, []).append((middle - width / 2, middle + width / 2, i))
    for depth, spans in by_gap.items():
        ends = []  # right end of the last label in each row
        for left, right, i in sorted(spans):
            row = next((r for r, end in enumerate(ends) if left >= end + 10), len(ends))
            if row == len(ends):
                ends.append(right)
            else:
                ends[row] = right
            row_of[i] = row
        rows_in_gap[depth] = len(ends)
    gaps = []
    for depth in range(len(g.layers)):
        needed = (rows_in_gap[depth] + 1) * style.LINE_HEIGHT + 2 * style.LABEL_PAD
        gaps.append(max(style.LAYER_GAP, needed) if rows_in_gap[depth] > 1 else style.LAYER_GAP)
    start, length = layer_starts(gaps)
    runs = edge_runs(start)

    def mid(depth):
        return start[depth] + thickness[depth] / 2

    boxes = {}  # key -> (cross centre, along centre, across size, along size)
    for v, key in enumerate(g.keys):
        c, a = centre(v), mid(g.layer_of[v])
        boxes[key] = (c, a, own(v, across), own(v, along))
        tags = g.tags.get(key, [])
        if tags:
            stacked = (sum(g.size[t][along] for t in tags)
                       + style.TAG_STACK_GAP * (len(tags) - 1))
            at_along = a - stacked / 2
            for t in tags:
                tag_cross = c + own(v, across) / 2 + style.TAG_GAP + g.size[t][across] / 2
                boxes[t] = (tag_cross, at_along + g.size[t][along] / 2, g.size[t][across],
                            g.size[t][along])
                at_along += g.size[t][along] + style.TAG_STACK_GAP

    tethers = {}  # (u, v) -> [(cross, along) at the node, (cross, along) at the tag]
    for u, v, kind in laid.edges(data="kind"):
        if kind in style.ATTACH_KINDS:
            node, tensor = (v, u) if kind == "grad_fn" else (u, v)
            nc, na, ncs, _ = boxes[node]
            tc, ta, tcs, _ = boxes[tensor]
            side = 1 if tc >= nc else -1
            tethers[u, v] = [(nc + side * ncs / 2, na), (tc - side * tcs / 2, ta)]
            laid.edges[u, v]["tag"] = tensor

    # The extent of everything, to put it all inside the margins.
    spans = [(c - cs / 2, c + cs / 2) for c, _, cs, _ in boxes.values()]
    spans += [(c, c) for run in runs for c, _ in run]
    for i, _, width in labelled:
        c = (runs[i][0][0] + runs[i][1][0]) / 2
        spans.append((c - width / 2, c + width / 2))
    low = min((s[0] for s in spans), default=0.0)
    high = max((s[1] for s in spans), default=0.0)
    m = style.MARGIN

    def point(c, d):
        """(x, y) from a coordinate across the layers and one along them."""
        c, d = c - low + m, d + m
        return (c, d) if g.rankdir == "TB" else (d, c)

    for key, (c, a, _, _) in boxes.items():
        x, y = point(c, a)
        width, height = g.size[key]
        laid.nodes[key].update(x=x, y=y, width=width, height=height)
    for (u, v), run in zip(g.edge_keys, runs):
        laid.edges[u, v]["points"] = [point(c, d) for c, d in run]
    for (u, v), ends in tethers.items():
        laid.edges[u, v]["points"] = [point(c, d) for c, d in ends]
    for i, depth, width in labelled:
        # halfway down the edge's first curve (where it is exactly between its two ends),
        # shifted by whole rows when the gap holds several
        u, v = g.edge_keys[i]
        points = laid.edges[u, v]["points"]
        first_end = runs[i][1][1] - (style.ARROW_LENGTH if len(runs[i]) == 2 else 0)
        at = (runs[i][0][1] + first_end) / 2 + (row_of[i] - (rows_in_gap[depth] - 1) / 2) * style.LINE_HEIGHT
        laid.edges[u, v]["label_at"] = _on_curve(points, at + m, g.rankdir)
        laid.edges[u, v]["label_width"] = width

    extent = high - low + 2 * m
    width, height = (extent, length + 2 * m) if g.rankdir == "TB" else (length + 2 * m, extent)
    laid.graph.update(width=width, height=height, rankdir=g.rankdir)


def _spread_ports(runs, paths, box_cross):
    """Arrows meeting at one side of a box arrive side by side, ordered like their other
    ends, instead of all at the centre."""
    ends = {}
    for i, path in enumerate(paths):
        ends.setdefault(("out", path[0]), []).append((runs[i][1][0], i, 0))
        ends.setdefault(("in", path[-1]), []).append((runs[i][-2][0], i, -1))
    for (_, v), group in ends.items():
        if len(group) < 2:
            continue
        group.sort()
        step = min(12.0, max(box_cross[v] - 24, 0) / (len(group) - 1))
        for j, (_, i, at) in enumerate(group):
            c, d = runs[i][at]
            runs[i][at] = (c + (j - (len(group) - 1) / 2) * step, d)


def _on_curve(points, along, rankdir):
    """The point of an arrow's first curve whose coordinate along the layers is ``along``
    (found by bisection: that coordinate grows steadily along the curve)."""
    start, segments, _ = edge_geometry(points, rankdir)
    c1, c2, end = segments[0]
    k = 1 if rankdir == "TB" else 0

    def bezier(t):
        s = 1 - t
        return tuple(s ** 3 * p0 + 3 * s * s * t * p1 + 3 * s * t * t * p2 + t ** 3 * p3
                     for p0, p1, p2, p3 in zip(start, c1, c2, end))

    lo, hi = 0.0, 1.0
    for _ in range(30):
        t = (lo + hi) / 2
        if bezier(t)[k] < along:
            lo = t
        else:
            hi = t
    x, y = bezier((lo + hi) / 2)
    return (x, along) if rankdir == "TB" else (along, y)


def edge_geometry(points, rankdir):
    """The curves of one edge and its arrowhead.

    Returns ``(start, segments, arrow)``: draw from ``start`` through each cubic Bezier segment
    ``(control1, control2, end)``; ``arrow`` is the triangle at the target. Curves leave and
    enter boxes straight along the layer direction, like graphviz's splines.
    """
    tip = points[-1]
    back = style.ARROW_LENGTH
    half = style.ARROW_HALF_WIDTH
    if rankdir == "TB":
        end = (tip[0], tip[1] - back)
        arrow = (tip, (tip[0] - half, tip[1] - back), (tip[0] + half, tip[1] - back))
    else:
        end = (tip[0] - back, tip[1])
        arrow = (tip, (tip[0] - back, tip[1] - half), (tip[0] - back, tip[1] + half))
    points = list(points[:-1]) + [end]
    segments = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if rankdir == "TB":
            mid = (y0 + y1) / 2
            segments.append(((x0, mid), (x1, mid), (x1, y1)))
        else:
            mid = (x0 + x1) / 2
            segments.append(((mid, y0), (mid, y1), (x1, y1)))
    return points[0], segments, arrow
