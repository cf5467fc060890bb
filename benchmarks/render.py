"""4. Rendering: ``autograd_nb.viz.draw(t).to_svg()`` of graphs with about 100, 1,000 and 2,000 nodes.

The graph is a ladder of blocks ``y = tanh(y * w + b)`` with fresh leaves ``w`` and ``b`` in each block
(seven drawn nodes per block: three functions, two AccumulateGrad nodes, two leaves), the shape of an
unrolled network. ``draw`` shows a summary card instead of the picture above ``max_nodes`` (300 by
default), so the benchmark raises ``max_nodes`` to time the real drawing: walking the graph into
networkx (``draw``), then layout and SVG (``to_svg``).

The PyTorch column is the same drawing code run on PyTorch's graph of the same ladder (``viz`` reads
both); there is no numpy column.
"""
import inspect
import math

from .timing import clock, guarded, in_blocks, row

NODES_PER_BLOCK = 7
OTHER_NODES = 3  # the input leaf, its AccumulateGrad, and the output


def ladder(lib, blocks):
    y = lib.ones(4, requires_grad=True)
    for _ in range(blocks):
        y = (y * lib.ones(4, requires_grad=True) + lib.ones(4, requires_grad=True)).tanh()
    return y


def blocks_for(nodes):
    return max(1, math.ceil((nodes - OTHER_NODES) / NODES_PER_BLOCK))


def render_run(viz, t, max_nodes):
    def run():
        start = clock()
        picture = viz.draw(t, max_nodes=max_nodes)
        drawn = clock()
        picture.to_svg()
        done = clock()
        return {"draw": drawn - start, "to_svg": done - drawn}

    return run


def load_viz():
    """``autograd_nb.viz`` if it imports and ``draw(...).to_svg()`` works on a tiny graph, else the reason."""
    try:
        from autograd_nb import viz

        import autograd_nb as nb

        viz.draw(ladder(nb, 1)).to_svg()
    except Exception as exc:  # a package under construction: report, do not crash
        return None, f"{type(exc).__name__}: {exc}".splitlines()[0][:160]
    if "max_nodes" not in inspect.signature(viz.draw).parameters:
        return None, "viz.draw has no max_nodes: large graphs would not be drawn"
    return viz, ""


def run(settings, nb, torch, log):
    viz, problem = load_viz()
    if viz is None:
        log(f"  viz: not available ({problem})")
        return [row("render", f"{n:,} nodes", "ms", status="not available", note=problem)
                for n in settings.render_sizes]
    rows = []
    for n in settings.render_sizes:
        def measure(n=n):
            blocks = blocks_for(n)
            t_nb = ladder(nb, blocks)
            count = viz.draw(t_nb, max_nodes=10 ** 9).nx.number_of_nodes()
            big = 10 * count
            medians = in_blocks({
                "autograd_nb": render_run(viz, t_nb, big),
                "pytorch": render_run(viz, ladder(torch, blocks), big) if torch is not None else None,
            }, settings.render_repeats, warmup=1, rounds=settings.rounds)
            ms = {impl: 1e3 * (m["draw"] + m["to_svg"]) for impl, m in medians.items()}
            split = {f"{impl}_{phase}_ms": 1e3 * m[phase] for impl, m in medians.items() for phase in m}
            log(f"  {count:5d} nodes: {ms['autograd_nb']:8.1f} ms")
            return [row("render", f"{n:,} nodes", "ms", ms["autograd_nb"], ms.get("pytorch"), None,
                        note=f"{count} nodes; draw {split['autograd_nb_draw_ms']:.0f} ms + "
                             f"to_svg {split['autograd_nb_to_svg_ms']:.0f} ms",
                        nodes=count, requested=n, **split)]

        rows += guarded("render", f"{n:,} nodes", "ms", measure, log)
    return rows
