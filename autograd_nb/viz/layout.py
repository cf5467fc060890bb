"""Where each box goes: a deterministic layered ("Sugiyama") layout.

1. **Layers.** ``networkx.topological_generations``: the outputs (nothing points at them) form
   layer 0, and each node sits one layer below the deepest node that points at it.
2. **Long edges** that skip layers get a chain of invisible bend points, one per skipped
   layer, so they can be routed around boxes (within a budget, see ``DUMMY_BUDGET``).
3. **Order inside each layer.** Start from discovery order, then sweep down and up a few
   times, moving every node to the *barycenter* (mean position) of its neighbours in the
   layer before; keep the order with the fewest edge crossings.
4. **Coordinates.** Pull each node toward the mean coordinate of its neighbours while
   keeping boxes apart, a few passes down and up.

No randomness, and ties are broken by the node's discovery ``order``, so the same graph
always gets the same picture. No recursion either: autograd graphs can be 100,000 deep.

``layout`` returns a copy of the graph with geometry added (px, y grows downward):
node ``x``, ``y`` (box centre), ``width``, ``height``; edge ``points`` (the polyline from the
source box to the target box, ending on the target's border); graph ``width``, ``height``,
``rankdir``. ``edge_geometry`` turns an edge's points into the curves both painters draw.
"""

import networkx as nx

from . import style

SWEEPS = 4  # barycenter sweeps (each one down and one up)
COORDINATE_PASSES = 4
DUMMY_BUDGET = 4  # at most this many bend points per node, so the work stays linear


def layout(graph, rankdir="TB"):
    """A copy of ``graph`` with positions and sizes; ``rankdir`` "TB" (top-down) or "LR"."""
    if rankdir not in ("TB", "LR"):
        raise ValueError(f'rankdir must be "TB" or "LR", got {rankdir!r}')
    across = 0 if rankdir == "TB" else 1  # which of (width, height) lies along a layer

    keys = sorted(graph.nodes, key=lambda k: graph.nodes[k]["order"])
    index = {key: i for i, key in enumerate(keys)}
    sizes = [style.box_size(graph.nodes[key]["label"]) for key in keys]

    layer_of = _layers(graph, keys, index)

    # Vertices 0..n-1 are the nodes; vertices from n on are bend points (size 0).
    cross_size = [size[across] for size in sizes]
    paths = _route_long_edges(graph, index, layer_of, cross_size)
    up, down = _neighbours(paths, layer_of)

    layers = [[] for _ in range(max(layer_of) + 1 if layer_of else 0)]
    for vertex, depth in enumerate(layer_of):
        layers[depth].append(vertex)
    layers = _order_layers(layers, up, down)

    cross = _coordinates(layers, up, down, cross_size)
    laid = graph.copy()
    _place(laid, keys, sizes, layers, layer_of, cross, paths, rankdir)
    return laid


# -- 1. layers ---------------------------------------------------------------------------------


def _layers(graph, keys, index):
    """Layer of every node: one below the deepest node pointing at it.

    A tensor nothing points at sits just above the node it points to: the loss at the top,
    but an intermediate tensor you named (``params={"h": h}``) right above ``h.grad_fn``
    instead of up with the loss.
    """
    layer_of = [0] * len(keys)
    for depth, generation in enumerate(nx.topological_generations(graph)):
        for key in generation:
            layer_of[index[key]] = depth
    for key in keys:
        if graph.in_degree(key) == 0 and graph.out_degree(key) > 0:
            layer_of[index[key]] = min(layer_of[index[s]] for s in graph.successors(key)) - 1
    return layer_of


# -- 2. long edges -----------------------------------------------------------------------------


def _route_long_edges(graph, index, layer_of, cross_size):
    """Each edge as a list of vertices; long edges get bend vertices appended to ``layer_of``.

    Shortest edges are routed first; once the budget is spent the rest are drawn straight
    (a leaf used by every step of a 1,000-step loop would otherwise need 500,000 bends).
    """
    n = len(layer_of)
    budget = DUMMY_BUDGET * n
    edges = [(index[u], index[v]) for u, v in graph.edges]
    spans = sorted((layer_of[v] - layer_of[u], u, v, i) for i, (u, v) in enumerate(edges))
    paths = [None] * len(edges)
    for span, u, v, i in spans:
        if span <= 1 or span - 1 > budget:
            paths[i] = [u, v]
            continue
        budget -= span - 1
        path = [u]
        for depth in range(layer_of[u] + 1, layer_of[v]):
            path.append(len(layer_of))
            layer_of.append(depth)
            cross_size.append(0)
        path.append(v)
        paths[i] = path
    return paths


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


# -- 3. order inside each layer ----------------------------------------------------------------


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


# -- 4. coordinates ----------------------------------------------------------------------------


def _coordinates(layers, up, down, cross_size):
    """Centre of every vertex along its layer, keeping neighbouring boxes apart."""
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
            wanted.append(sum(cross[u] for u in near) / len(near) if near else cross[v])
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


# -- putting it together -----------------------------------------------------------------------


def _place(laid, keys, sizes, layers, layer_of, cross, paths, rankdir):
    along = 1 if rankdir == "TB" else 0  # which of (width, height) runs across layers
    thickness = []
    for layer in layers:
        real = [sizes[v][along] for v in layer if v < len(keys)]
        thickness.append(max(real) if real else 0)
    start, at = [], 0.0
    for t in thickness:
        start.append(at)
        at += t + style.LAYER_GAP
    length = at - style.LAYER_GAP if layers else 0.0

    low = min((cross[v] - (sizes[v][1 - along] if v < len(keys) else 0) / 2
               for v in range(len(cross))), default=0.0)
    high = max((cross[v] + (sizes[v][1 - along] if v < len(keys) else 0) / 2
                for v in range(len(cross))), default=0.0)
    m = style.MARGIN

    def point(c, depth_coordinate):
        """(x, y) from a coordinate across the layers and one along them."""
        c = c - low + m
        d = depth_coordinate + m
        return (c, d) if rankdir == "TB" else (d, c)

    for v, key in enumerate(keys):
        depth = layer_of[v]
        x, y = point(cross[v], start[depth] + thickness[depth] / 2)
        laid.nodes[key].update(x=x, y=y, width=sizes[v][0], height=sizes[v][1])

    def near_end(v):  # (cross, along) of a box's near side (top / left)
        return cross[v], start[layer_of[v]] + thickness[layer_of[v]] / 2 - sizes[v][along] / 2

    def far_end(v):
        return cross[v], start[layer_of[v]] + thickness[layer_of[v]] / 2 + sizes[v][along] / 2

    runs = []  # per edge: [(cross, along), ...]
    for path in paths:
        run = [far_end(path[0])]
        for bend in path[1:-1]:  # a bend point crosses its whole layer straight
            depth = layer_of[bend]
            run.append((cross[bend], start[depth]))
            run.append((cross[bend], start[depth] + thickness[depth]))
        run.append(near_end(path[-1]))
        runs.append(run)
    _spread_ports(runs, paths, [sizes[v][1 - along] for v in range(len(keys))])

    for (u, v), run in zip(laid.edges, runs):
        laid.edges[u, v]["points"] = [point(c, d) for c, d in run]
    extent = high - low + 2 * m
    width, height = (extent, length + 2 * m) if rankdir == "TB" else (length + 2 * m, extent)
    laid.graph.update(width=width, height=height, rankdir=rankdir)


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
