"""The backward engine: walk the graph from the roots to the leaves, applying the chain rule.

``tensor.backward()`` and ``autograd.grad()`` both end up in ``run_backward``, whose loop has five steps:

1. **Discover** the nodes reachable from the roots and count, for each, how many edges point into it (its
   *dependencies*). An explicit stack, no recursion: a graph 100,000 operations deep is no problem.
2. **Ready queue**: a node is ready once every edge into it has delivered. Among ready nodes the most
   recently recorded runs first, as in PyTorch, so the order is the same on every run.
3. **Run a node**: its backward turns ∂L/∂(its outputs) into ∂L/∂(its inputs), a vector-Jacobian product.
4. **Send** each gradient along its edge into the next node's buffer. Gradients that meet there are
   summed: the multivariable chain rule (a tensor used twice gets both contributions).
5. **Accumulate** at the leaves: the ``AccumulateGrad`` node at the end of each path adds into ``leaf.grad``.

Around the loop, each a named step: pruning to the wanted inputs (``_Wanted``: ``autograd.grad`` and
``backward(inputs=...)``), hooks (``_tensor_hooks``, ``_run_node``), the trace (``autograd.trace``), and
one check that each gradient fits the tensor it is for (``_checked``).
"""
import heapq
import itertools

import numpy as np

from .function import AccumulateGrad
from .grad_mode import is_grad_enabled, set_grad_enabled
from .quiet import quiet
from .tensor import Tensor
from .warn_once import warn_once

_tracers = []  # autograd.trace() blocks that are open; the innermost one records (see autograd/trace.py)


def run_backward(roots, grads, retain_graph=False, create_graph=False, inputs=None, accumulate=True):
    """Push ``grads`` (one per root edge) back through the graph to the leaves. With ``inputs`` (edges), only
    what leads to them runs and the gradients reaching them are returned (see ``_Wanted``)."""
    dependencies = count_dependencies(roots)  # 1. how many edges point into each node
    wanted = None if inputs is None else _Wanted(roots, inputs, accumulate)
    buffers = {}  # node -> [∂L/∂(each of its outputs)], summed as the gradients arrive
    for (node, nr), grad in zip(roots, grads):
        _add_to_buffer(buffers, node, nr, grad)
    ready = ReadyQueue([node for node in buffers if dependencies[node] == 0])  # 2.
    tracer = _tracers[-1] if _tracers else None
    if tracer:
        tracer.start(roots, grads)
    with set_grad_enabled(create_graph), quiet:  # create_graph: the backward formulas are recorded too
        while ready:
            node = ready.pop()
            arrived = tuple(buffers.pop(node))  # every contribution has arrived, summed
            grad_outputs = _tensor_hooks(node, arrived) if node._tensor_pre_hooks or node._retained else arrived
            if wanted is not None:
                wanted.capture(node, arrived, grad_outputs)
                if not wanted.runs(node):
                    continue
            grad_inputs = _run_node(node, grad_outputs, tracer)  # 3. (and 5. at a leaf)
            for (next_node, nr), grad in zip(node.next_functions, grad_inputs):  # 4. along each edge
                if next_node is None or (wanted is not None and next_node not in wanted.needed):
                    continue
                if grad is not None:
                    _add_to_buffer(buffers, next_node, nr, grad)
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0 and next_node in buffers:
                    ready.push(next_node)
            if not retain_graph:
                node.free_saved_tensors()
    return None if wanted is None else wanted.captured


def count_dependencies(roots):
    """Step 1: for every node reachable from ``roots``, the number of edges pointing into it (roots: 0)."""
    dependencies = {node: 0 for node, _ in roots}
    stack = list(dependencies)
    while stack:
        for next_node, _ in stack.pop().next_functions:
            if next_node is None:
                continue
            if next_node not in dependencies:  # first time here: its own edges are still to be counted
                dependencies[next_node] = 0
                stack.append(next_node)
            dependencies[next_node] += 1
    return dependencies


class ReadyQueue:
    """Step 2: the nodes whose gradients have all arrived. ``pop()`` gives the most recently recorded one
    (the highest ``sequence_nr``; ``AccumulateGrad`` nodes first of all), as PyTorch's ready queue does."""

    def __init__(self, nodes):
        self._order = itertools.count()  # among equals (AccumulateGrads), first come first served
        self._heap = []
        for node in nodes:
            self.push(node)

    def push(self, node):
        heapq.heappush(self._heap, (-node.sequence_nr, next(self._order), node))

    def pop(self):
        return heapq.heappop(self._heap)[2]

    def __bool__(self):
        return bool(self._heap)


def _run_node(node, grads, tracer):
    """Step 3: the node's backward (at a leaf, step 5: ``AccumulateGrad`` adds into ``.grad``), with its hooks
    around it. Returns the gradients to send along its edges, each checked to fit the tensor it is for."""
    if node._pre_hooks:
        grads = _call_hooks(node._pre_hooks, grads) or grads
    if tracer:
        tracer.before(node, grads)
    grad_inputs = _checked(node, node.apply(grads))
    if node._post_hooks:
        grad_inputs = _checked(node, _call_hooks(node._post_hooks, grad_inputs, grads) or grad_inputs)
    if tracer:
        tracer.after(node, grads, grad_inputs)
    return grad_inputs


def _call_hooks(hooks, grads, *more):
    """A node's hooks, in the order they were registered: each may return new gradients (a tuple) in place of
    ``grads``. Returns the last gradients a hook returned, or None if none did."""
    replaced = None
    for hook in tuple(hooks.values()):
        out = hook(grads, *more)
        if out is not None:
            grads = replaced = tuple(out)
    return replaced


def _add_to_buffer(buffers, node, nr, grad):
    """Step 4: ``grad`` arrives at output ``nr`` of ``node``: it is stored, or added to what is there."""
    buffer = buffers.get(node)
    if buffer is None:
        buffer = buffers[node] = [None] * len(node._input_metadata)
    if buffer[nr] is None:
        buffer[nr] = grad
    elif is_grad_enabled():  # create_graph=True: the sum is recorded, to be differentiated again
        buffer[nr] = buffer[nr] + grad
    else:  # optimization: add the arrays (no node to record; per-op benchmark, add and mul: ~3 µs a sum)
        buffer[nr] = Tensor(buffer[nr]._data + grad._data)


def _tensor_hooks(node, grads):
    """Before a node runs: the hooks on the tensors it made (``tensor.register_hook``), in the order they
    were registered, then ``retain_grad``'s ``.grad`` (after the hooks, as in PyTorch)."""
    grads = list(grads)
    for nr, hooks in (node._tensor_pre_hooks or {}).items():
        for hook in tuple(hooks.values()):
            if grads[nr] is not None:
                out = hook(grads[nr])
                if out is not None:
                    grads[nr] = out
    for nr, ref in (node._retained or {}).items():
        t = ref()
        if t is not None and grads[nr] is not None:
            t._accumulate_grad(grads[nr])
    return tuple(grads)


def _checked(node, grads):
    """Each gradient a node returns must fit the tensor it is for, as PyTorch's ``validate_outputs`` checks:
    a gradient with extra broadcast dimensions is summed down to the right shape (``unbroadcast``, PyTorch's ``sum_to``), one of the
    wrong dtype is converted, anything else is an error. What fits is recorded on the node at the other
    end of the edge (its ``_input_metadata``)."""
    for i, ((next_node, nr), g) in enumerate(zip(node.next_functions, grads)):
        if g is None or next_node is None:
            continue
        shape, dtype = next_node._input_metadata[nr]
        if g._data.shape != shape:
            try:
                g = unbroadcast(g, shape)
            except ValueError:
                raise RuntimeError(
                    f"Function {node.name()} returned an invalid gradient at index {i} - got "
                    f"[{', '.join(map(str, g.shape))}] but expected shape compatible with "
                    f"[{', '.join(map(str, shape))}]") from None
        if g.dtype is not dtype:
            g = g.to(dtype)
        if g is not grads[i]:
            grads = grads[:i] + (g,) + grads[i + 1:]
    return grads


class _Wanted:
    """Pruning, for ``autograd.grad`` and ``backward(inputs=...)``: only the nodes from which a wanted edge can
    be reached run; the gradient that arrives at each wanted edge is caught on the way."""

    def __init__(self, roots, edges, accumulate):
        self.edges = edges
        self.nodes = {node for node, _ in edges}
        self.needed = _leading_to(roots, self.nodes)
        self.accumulate = accumulate
        self.captured = [None] * len(edges)

    def capture(self, node, arrived, hooked):
        """Catch the gradients for wanted edges into ``node``: as they ``arrived`` if the node runs on, else as
        the tensors' hooks left them (``hooked``). (PyTorch's engine does so: a node that runs calls the hooks
        later, after the capture.)"""
        if node in self.nodes:
            grads = arrived if self.runs(node) else hooked
            for k, (wanted_node, nr) in enumerate(self.edges):
                if wanted_node is node:
                    self.captured[k] = grads[nr]

    def runs(self, node):
        """Is there work left at ``node``? A leaf's ``AccumulateGrad`` runs for ``backward(inputs=...)`` only;
        another node only if it leads on to a wanted edge."""
        if type(node) is AccumulateGrad:
            return self.accumulate and node in self.nodes
        return any(next_node in self.needed for next_node, _ in node.next_functions)


def _leading_to(roots, targets):
    """Every node from which one of ``targets`` can be reached (the reachable targets included)."""
    parents = {}  # node -> the nodes with an edge into it
    stack = [node for node, _ in roots]
    seen = set(stack)
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is not None:
                parents.setdefault(next_node, []).append(node)
                if next_node not in seen:
                    seen.add(next_node)
                    stack.append(next_node)
    needed = {t for t in targets if t in seen}
    stack = list(needed)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in needed:
                needed.add(parent)
                stack.append(parent)
    return needed


# --- the entry points: backward() and autograd.grad() -------------------------------------------------
_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
    "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to "
    "avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to "
    "None after use to break the cycle and avoid the leak."
)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute vᵀ·J for each root and add the result into ``.grad`` of the leaves (or of ``inputs``).

    ``grad_tensors`` holds the vectors v (one per root, each of the root's shape); a single-element root
    may leave it out, which means v = 1. Saved tensors are freed afterwards unless ``retain_graph``.
    """
    tensors = _as_tuple(tensors)
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    roots = [_root_edge(t, i) for i, t in enumerate(tensors)]
    grads = _make_grads(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None and not all(x.requires_grad for x in inputs):  # (.grad is kept for each of inputs)
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    edges = None if inputs is None else [_input_edge(x) for x in inputs]
    for x in inputs or ():
        if x.grad_fn is not None:  # a non-leaf named in inputs= gets .grad too (and keeps it from now on)
            x.retain_grad()
    if create_graph:
        warn_once(_CREATE_GRAPH_WARNING, stacklevel=3)
    run_backward(roots, grads, retain_graph, create_graph, edges, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """Return vᵀ·J with respect to each of ``inputs``, without touching any ``.grad``."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    roots = [_root_edge(t, i) for i, t in enumerate(outputs)]
    grads = _make_grads(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    edges = [_input_edge(x) for x in inputs]
    captured = run_backward(roots, grads, retain_graph, create_graph, edges, accumulate=False)
    result = []
    for i, (x, g) in enumerate(zip(inputs, captured)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = Tensor(np.zeros_like(x._data))
        result.append(g)
    return tuple(result)


def _as_tuple(x):
    if x is None:
        return None
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _root_edge(t, index):
    edge = t._edge()
    if edge[0] is None:
        raise RuntimeError(f"element {index} of tensors does not require grad and does not have a grad_fn")
    return edge


def _input_edge(x):
    edge = x._edge()
    if edge[0] is None:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    return edge


def _make_grads(outputs, grad_outputs, create_graph):
    """The starting vector v of each root: given, or ones for a single-element output."""
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else _as_tuple(grad_outputs)
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
            g = Tensor(np.ones_like(out._data))
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


from .ops.broadcast import unbroadcast  # noqa: E402  (ops need the Tensor, which needs this module)
