"""Hypothesis strategies and small helpers shared by the op, graph and chain tests.

Everything here draws *numpy* data; the tests turn it into a pair of tensors, one of autograd_nb and one
of PyTorch, with ``leaf_pairs``, so both libraries start from exactly the same numbers.

* shapes: ``shapes()`` (0-d to 4-d, sides 1-4), ``broadcastable_shapes(n)`` (shapes that broadcast
  together, e.g. (3, 1) and (2, 1, 4)), ``matmul_shapes()`` (every case of ``a @ b``);
* values: ``arrays(shape)`` (bounded float64), ``positive_arrays`` (for log, sqrt, x ** 0.5),
  ``nonzero_arrays`` (denominators), ``arrays_away_from(shape, kinks)`` (for numeric gradients of
  relu, abs, clamp: a central difference across a kink is meaningless), ``distinct_arrays`` (max/min
  without ties);
* ``leaf_pairs(nb, torch, *arrays)``: the arrays as leaves that require grad, in both libraries;
  ``to_numpy(t)`` back again;
* ``graph_structure(roots, leaves)``: a graph as plain data, to compare two libraries' graphs.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_DIMS = 4
MAX_SIDE = 4


# ------------------------------------------------------------------ shapes
def shapes(min_dims=0, max_dims=MAX_DIMS, min_side=1, max_side=MAX_SIDE):
    """A tensor shape: ``min_dims``..``max_dims`` dims, each of size ``min_side``..``max_side``."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=MAX_DIMS, max_side=MAX_SIDE):
    """A tuple of ``num_shapes`` shapes that broadcast together (sizes 1 and missing leading dims mixed in)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side
    ).map(lambda b: b.input_shapes)


@st.composite
def matmul_shapes(draw, kinds=("dot", "mv", "vm", "mm", "batched", "batched_mv", "batched_vm")):
    """``(shape_a, shape_b)`` for ``a @ b``, one of the cases ``torch.matmul`` distinguishes.

    ``batched`` draws batch dims that broadcast against each other (e.g. (2, 1, n, k) @ (3, k, m)).
    """
    kind = draw(st.sampled_from(kinds))
    n, k, m = (draw(st.integers(1, MAX_SIDE)) for _ in range(3))
    if kind == "dot":
        return (k,), (k,)
    if kind == "mv":
        return (n, k), (k,)
    if kind == "vm":
        return (k,), (k, m)
    if kind == "mm":
        return (n, k), (k, m)
    batch_a, batch_b = draw(broadcastable_shapes(2, min_dims=0, max_dims=2, max_side=3))
    if kind == "batched_mv":
        return (*batch_a, 2, n, k), (k,)
    if kind == "batched_vm":
        return (k,), (*batch_b, 2, k, m)
    if not batch_a and not batch_b:
        batch_a = (2,)  # at least one side batched, else it would be plain mm
    return (*batch_a, n, k), (*batch_b, k, m)


# ------------------------------------------------------------------ values
def _finite(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=64)


def arrays(shape, lo=-3.0, hi=3.0):
    """A float64 array of ``shape`` with values in [lo, hi] (hypothesis favours 0, the bounds and ties)."""
    return hnp.arrays(np.float64, shape, elements=_finite(lo, hi))


def positive_arrays(shape, lo=0.1, hi=3.0):
    """Values in [lo, hi], lo > 0: inputs of log, sqrt, x ** 0.5, x ** y."""
    return arrays(shape, lo, hi)


def nonzero_arrays(shape, low=0.2, high=3.0):
    """Values with ``low <= |x| <= high`` and either sign: denominators of / and reciprocal."""
    return arrays(shape, low, high).flatmap(
        lambda a: hnp.arrays(np.bool_, a.shape).map(lambda negative: np.where(negative, -a, a))
    )


def away_from(array, kinks, gap=1e-3):
    """``array`` with every value closer than ``gap`` to one of ``kinks`` pushed to 10·gap past it.

    Central differences straddling a kink (0 for relu and abs, the bounds of clamp, ties of max) give
    the average of the two one-sided slopes, which no backward formula returns; keep clear of them.
    """
    out = np.array(array, dtype=np.float64)
    for k in kinks:
        near = np.abs(out - k) < gap
        out[near] = k + 10 * gap
    return out


def arrays_away_from(shape, kinks, lo=-3.0, hi=3.0):
    return arrays(shape, lo, hi).map(lambda a: away_from(a, kinks))


def distinct_arrays(shape, spacing=0.05):
    """Values that are pairwise at least ``spacing`` apart (no ties for max/min), shuffled."""
    n = int(np.prod(shape, dtype=np.int64))
    return st.permutations(range(n)).flatmap(
        lambda order: arrays((), -0.5, 0.5).map(
            lambda shift: ((np.asarray(order, dtype=np.float64) - n / 2) * spacing * 10 + shift).reshape(shape)
        )
    )


def probabilities(shape, lo=0.05, hi=0.95):
    """Values strictly inside (0, 1): inputs of binary_cross_entropy."""
    return arrays(shape, lo, hi)


def masks(shape):
    """A bool array of ``shape``."""
    return hnp.arrays(np.bool_, shape)


# ------------------------------------------------------------------ tensors in both libraries
def leaf_pairs(nb, torch, *arrays, requires_grad=True):
    """Each numpy array as a leaf tensor in both libraries: ``[(ours, theirs), ...]``.

    ``requires_grad`` is one flag for all, or one per array (integer and bool arrays never require
    grad). The values are copied, so the two libraries never share memory.
    """
    flags = [requires_grad] * len(arrays) if isinstance(requires_grad, bool) else list(requires_grad)
    pairs = []
    for a, flag in zip(arrays, flags):
        a = np.array(a, dtype=np.float64) if not isinstance(a, np.ndarray) else a.copy()
        rg = bool(flag) and a.dtype.kind == "f"
        pairs.append((nb.tensor(a, requires_grad=rg), torch.tensor(a, requires_grad=rg)))
    return pairs


def to_numpy(t):
    """The values of a tensor of either library as a numpy array (None stays None)."""
    if t is None:
        return None
    if getattr(t, "_is_zerotensor", lambda: False)():  # PyTorch's symbolic zeros (e.g. d²|x|/dx²)
        return np.zeros(tuple(t.shape))
    return np.asarray(t.detach().numpy())


# ------------------------------------------------------------------ graphs
def graph_structure(roots, leaves=()):
    """The backward graph reachable from ``roots``, as plain data that two libraries can compare.

    Nodes are numbered in the order a breadth-first walk meets them (roots first, then each node's
    ``next_functions`` in order), so the numbering depends only on the graph's shape. Each node becomes
    ``(name, edges)`` where ``name`` is ``type(node).__name__`` (``'MulBackward0'``, ``'AccumulateGrad'``)
    and each edge is ``(number of the next node or None, output_nr)``; an ``AccumulateGrad`` node also
    records which of ``leaves`` it fills (its position in ``leaves``, or ``'?'``).
    Returns ``(root_edges, nodes)``; a root without ``grad_fn`` gives the edge ``(None, 0)``.
    """
    if not isinstance(roots, (list, tuple)):
        roots = [roots]
    numbers, nodes, queue = {}, [], []

    def number(node):
        if node not in numbers:
            numbers[node] = len(numbers)
            nodes.append(None)
            queue.append(node)
        return numbers[node]

    root_edges = [(None, 0) if r.grad_fn is None else (number(r.grad_fn), _output_nr(r)) for r in roots]
    while queue:
        node = queue.pop(0)
        edges = tuple((None, nr) if nxt is None else (number(nxt), nr) for nxt, nr in node.next_functions)
        name = type(node).__name__
        if name == "AccumulateGrad":
            which = [i for i, leaf in enumerate(leaves) if leaf is node.variable]
            name = ("AccumulateGrad", which[0] if which else "?")
        nodes[numbers[node]] = (name, edges)
    return root_edges, nodes


def _output_nr(t):
    # PyTorch's public ``Tensor.output_nr``; autograd_nb keeps it as ``_output_nr``
    return t.output_nr if hasattr(t, "output_nr") else t._output_nr


def graph_names(root):
    """The sorted names of every node reachable from ``root`` (for short failure messages)."""
    _, nodes = graph_structure(root)
    return sorted(n[0] if isinstance(n[0], str) else n[0][0] for n in nodes)
