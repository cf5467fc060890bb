"""The backward engine: walk the graph from the roots to the leaves, applying the chain rule.

``backward()`` and ``autograd.grad()`` both end up in ``run_backward``, which works in three steps:

1. **Discover** every node reachable from the roots and count, for each node, how many edges point
   into it (its *dependencies*). This is a loop with an explicit stack, so a graph 100,000 operations
   deep is no problem (no recursion).
2. **Execute** nodes once all their dependencies have delivered a gradient. Gradients arriving at the
   same node are summed in its input buffer first (that is the multivariable chain rule: a tensor used
   twice gets the sum of both contributions). Among ready nodes the most recently created runs first,
   as in PyTorch, so the order is deterministic.
3. **Accumulate** at the leaves: ``AccumulateGrad`` adds into ``leaf.grad``.

Each node's ``apply`` computes a vector-Jacobian product: given ∂L/∂output it returns ∂L/∂input for
each input. The engine only moves those vectors along the edges.
"""
import heapq
import itertools
import sys
import warnings

import numpy as np

from . import grad_mode
from .function import AccumulateGrad
from .quiet import quiet


_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
    "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to "
    "avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to "
    "None after use to break the cycle and avoid the leak."
)


def _as_tuple(x):
    if x is None:
        return None
    from .tensor import Tensor

    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _root_edge(t, index):
    edge = t._edge()
    if edge[0] is None:
        raise RuntimeError(f"element {index} of tensors does not require grad and does not have a grad_fn")
    return edge


def _make_grads(outputs, grad_outputs, create_graph):
    """The starting vector v of each root: given, or ones for a single-element output."""
    from .creation import ones_like
    from .tensor import Tensor

    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad_tensors should have the same length as tensors: got {len(grad_outputs)} and {len(outputs)}"
        )
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if out.requires_grad and out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point:
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {out.dtype}"
                )
            g = ones_like(out)
        elif isinstance(g, Tensor):
            if g.shape != out.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} and output[{i}] "
                    f"has a shape of {out.shape!r}."
                )
            if not create_graph:
                g = g.detach()
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        grads.append(g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute vᵀ·J for each root and add the result into ``.grad`` of the leaves (or of ``inputs``).

    ``grad_tensors`` holds the vectors v (one per root, each of the root's shape); a single-element root
    may leave it out, which means v = 1. Saved tensors are freed afterwards unless ``retain_graph``.
    """
    tensors = _as_tuple(tensors)
    inputs = _as_tuple(inputs)
    if create_graph:
        warnings.warn(_CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    roots = [_root_edge(t, i) for i, t in enumerate(tensors)]
    grads = _make_grads(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    targets = None if inputs is None else [_input_edge(x) for x in inputs]
    captured = run_backward(roots, grads, retain_graph, create_graph, targets, accumulate=True)
    if inputs is not None:
        for x, g in zip(inputs, captured):
            if x.grad_fn is not None and g is not None:  # a non-leaf named in inputs= gets .grad too
                x._accumulate_grad(g)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """Return vᵀ·J with respect to each of ``inputs``, without touching any ``.grad``."""
    from .creation import zeros_like

    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    roots = [_root_edge(t, i) for i, t in enumerate(outputs)]
    grads = _make_grads(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    targets = [_input_edge(x) for x in inputs]
    captured = run_backward(roots, grads, retain_graph, create_graph, targets, accumulate=False)
    result = []
    for i, (x, g) in enumerate(zip(inputs, captured)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = zeros_like(x)
        result.append(g)
    return tuple(result)


def _input_edge(x):
    edge = x._edge()
    if edge[0] is None:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return edge


def _discover(roots):
    """Count the edges pointing into each node reachable from ``roots`` (iteratively).

    A node enters ``dependencies`` (and the stack) the first time it is reached, the roots with 0.
    """
    dependencies = {node: 0 for node, _ in roots}
    stack = list(dependencies)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            count = dependencies.get(nxt)
            if count is None:  # first time here: its own inputs are still to be visited
                dependencies[nxt] = 1
                stack.append(nxt)
            else:
                dependencies[nxt] = count + 1
    return dependencies


def _prune(roots, dependencies, target_nodes):
    """Keep only the nodes that lead to a target; recount dependencies among them."""
    # Topological order (Kahn): every node comes after all nodes that point to it.
    remaining = dict(dependencies)
    order = []
    ready = [n for n in {n: None for n, _ in roots} if remaining.get(n, 0) == 0]
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is not None:
                remaining[nxt] -= 1
                if remaining[nxt] == 0:
                    ready.append(nxt)
    needed = set()
    for node in reversed(order):
        if node in target_nodes or any(n in needed for n, _ in node.next_functions if n is not None):
            needed.add(node)
    counts = {}
    for node in needed:
        for nxt, _ in node.next_functions:
            if nxt in needed:
                counts[nxt] = counts.get(nxt, 0) + 1
    return counts, needed


def run_backward(roots, grads, retain_graph, create_graph, targets=None, accumulate=True):
    """Push ``grads`` from the ``roots`` edges through the graph.

    With ``targets`` (a list of edges), return the gradient arriving at each target, and run only the
    part of the graph that leads to them; ``accumulate`` says whether ``AccumulateGrad`` nodes may write
    ``.grad`` (``backward``) or not (``autograd.grad``).
    """
    dependencies = _discover(roots)
    needed = None
    captures = {}
    if targets is not None:
        for k, (node, nr) in enumerate(targets):
            captures.setdefault(node, []).append((nr, k))
        dependencies, needed = _prune(roots, dependencies, captures)
    captured = [None] * (0 if targets is None else len(targets))

    buffers = {}
    for (node, nr), g in zip(roots, grads):
        _add_to_buffer(buffers, node, nr, g)
    tiebreak = itertools.count()
    ready = []
    for node in buffers:
        if dependencies.get(node, 0) == 0 and (needed is None or node in needed):
            heapq.heappush(ready, (-node._seq, next(tiebreak), node))

    events = _listeners[-1] if _listeners else None
    if events and hasattr(events, "start"):
        events.start(roots, grads)
    previous = grad_mode._state.enabled
    grad_mode._state.enabled = create_graph
    quiet.__enter__()  # inf and nan are results, as in PyTorch, not warnings
    try:
        while ready:
            node = heapq.heappop(ready)[2]
            grads = buffers.pop(node)  # ∂L/∂(each output of node), all contributions summed
            if node._tensor_pre_hooks or node._retained:
                grads = _run_tensor_hooks(node, grads)
            if captures:
                for nr, k in captures.get(node, ()):
                    captured[k] = grads[nr] if nr < len(grads) else None
            if isinstance(node, AccumulateGrad):
                if accumulate and (targets is None or node in captures) and grads[0] is not None:
                    if events:
                        events.accumulate(node, grads[0])
                    node.apply(grads)
                    if events and hasattr(events, "accumulated"):
                        events.accumulated(node)
                continue
            if needed is not None and not any(n in needed for n, _ in node.next_functions):
                continue  # a target whose inputs lead to no other target: nothing more to compute
            _execute(node, grads, retain_graph, events, buffers, dependencies, ready, needed, tiebreak)
    finally:
        quiet.__exit__(None, None, None)
        grad_mode._state.enabled = previous
    return captured


def _execute(node, grads, retain_graph, events, buffers, dependencies, ready, needed, tiebreak):
    """Run one node's backward (with its hooks), then pass each gradient it made along its edge.

    A node whose last dependency has delivered becomes ready. (This is a function of its own so that, once
    it returns, the engine holds no reference to those gradients: ``AccumulateGrad`` keeps a gradient
    without copying only when nothing else holds it.)
    """
    if node._pre_hooks:
        for hook in tuple(node._pre_hooks.values()):
            out = hook(grads)
            if out is not None:
                grads = tuple(out)
    outputs = node.apply(grads)
    if node._post_hooks or events:  # (they see the gradients checked; otherwise each is checked below)
        outputs = _validate(node, outputs)
        for hook in tuple(node._post_hooks.values()) if node._post_hooks else ():
            out = hook(outputs, grads)
            if out is not None:
                outputs = _validate(node, tuple(out))
        if events:
            events.node(node, grads, outputs)
    for i, (edge, g) in enumerate(zip(node.next_functions, outputs)):
        nxt, nr = edge
        if nxt is None:
            continue  # an input that needs no gradient
        if g is not None:
            shape, dtype = nxt._output_meta[nr]
            if g._data.shape != shape or g.dtype is not dtype:  # it must fit the input it is for
                g = _fit(node, i, g, edge)
        if needed is not None and nxt not in needed:
            continue  # leads to no input of autograd.grad / backward(inputs=...)
        if g is not None:
            _add_to_buffer(buffers, nxt, nr, g)
        left = dependencies[nxt] = dependencies[nxt] - 1
        if left == 0 and nxt in buffers:
            heapq.heappush(ready, (-nxt._seq, next(tiebreak), nxt))
    if not retain_graph and node._saved:
        node._free_saved()


def _add_to_buffer(buffers, node, nr, grad):
    """Sum the gradients arriving at output ``nr`` of ``node``."""
    buf = buffers.get(node)
    if buf is None:
        if nr == 0 and len(node._output_meta) == 1:  # the usual case: a node with one output
            buffers[node] = [grad]
            return
        buf = buffers[node] = [None] * max(len(node._output_meta), nr + 1)
    if buf[nr] is None:
        buf[nr] = grad
    elif grad_mode._state.enabled:  # create_graph=True: the sum itself is part of the new graph
        buf[nr] = buf[nr] + grad
    elif _private(buf[nr]):  # (same shape and dtype: checked on the way here) and nobody else sees it
        np.add(buf[nr]._data, grad._data, out=buf[nr]._data)  # add in place, as PyTorch's InputBuffer does
    else:  # the arrays' sum in a new tensor: no node needed
        buf[nr] = type(grad)(buf[nr]._data + grad._data)


def _private(t):
    """Is the buffer's tensor ``t`` held by the buffer alone, memory and all (so it may change in place)?

    ``sys.getrefcount`` counts the holders: for the tensor, the buffer's list, our ``t`` and its own
    argument; for the array, the tensor, our ``data`` and the argument.
    """
    if t._is_grad or t.grad_fn is not None or sys.getrefcount(t) > 3:
        return False
    data = t._data
    return data.base is None and data.flags.writeable and sys.getrefcount(data) <= 3


def _run_tensor_hooks(node, grads):
    """Hooks registered on the tensors this node produced, then ``retain_grad``'s copy into ``.grad``."""
    grads = list(grads)
    for nr, hooks in (node._tensor_pre_hooks or {}).items():
        if nr < len(grads) and grads[nr] is not None:
            for hook in tuple(hooks.values()):
                out = hook(grads[nr])
                if out is not None:
                    grads[nr] = out
    for nr, ref in (node._retained or {}).items():
        t = ref()
        if t is not None and nr < len(grads) and grads[nr] is not None:
            t._accumulate_grad(grads[nr])
    return tuple(grads)


def _validate(node, grads):
    """Each gradient made to fit the input it is for (see ``_fit``), for hooks and trace to see.

    (``_execute`` checks the gradients it sends itself, one by one, and calls ``_fit`` only for a misfit.)
    """
    return tuple(_fit(node, i, g, edge) for i, (g, edge) in enumerate(zip(grads, node.next_functions)))


def _fit(node, i, g, edge):
    """Gradient ``g`` for input ``i`` made to fit it: a broadcast summed away, then the input's dtype.

    What fits is recorded on the node at the other end of the edge, as PyTorch does: the shape and dtype of
    its output (``_output_meta``), or of the leaf for ``AccumulateGrad``.
    """
    nxt, nr = edge
    if g is None or nxt is None:
        return g
    shape, dtype = nxt._output_meta[nr]
    if g._data.shape != shape:
        from .ops.broadcast import sum_to  # (imported here: ops are loaded after the engine)

        try:
            g = sum_to(g, shape)
        except ValueError:
            raise RuntimeError(
                f"Function {node.name()} returned an invalid gradient at index {i} - got "
                f"[{', '.join(map(str, g.shape))}] but expected shape compatible with "
                f"[{', '.join(map(str, shape))}]"
            ) from None
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


# Listeners for one backward pass (see autograd.trace); empty means tracing costs nothing.
# The last one is told: ``start(roots, grads)`` (optional) as a pass begins, ``node(node, grad_outputs,
# grad_inputs)`` after each node ran, ``accumulate(accumulate_grad_node, grad)`` before and
# ``accumulated(accumulate_grad_node)`` (optional) after each ``.grad`` accumulation.
_listeners = []
