# %% [markdown]
# # 10 · The engine in 40 lines
#
# **Goals.** Write the backward pass yourself, over the real graph that autograd records: walk
# `grad_fn.next_functions`, count how many gradients each node waits for, call each node, add up the
# gradients that meet, and let the leaves accumulate. Check it against `.backward()` on a chain, a
# diamond and a shared weight. Then read the engine's own loop, part by part, and see what it adds.
#
# **Prerequisites.** Lessons 2 (nodes and edges), 3 (the chain rule at each node) and 5 (accumulation).
#
# ## What you get to work with
#
# Everything you need is already on the graph. A tensor's `grad_fn` is a node; its `next_functions`
# are the edges to the nodes of its inputs. And a node can be **called**: given $\partial L/\partial$(its
# output), it returns $\partial L/\partial$(each input), one per edge. That call is the node's
# vector-Jacobian product from lesson 4.

# %%
import autograd_nb as torch
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = x * w

node = y.grad_fn
print(type(node).__name__, [None if n is None else type(n).__name__ for n, _ in node.next_functions])
with torch.no_grad():  # (a backward formula is made of operations too: not to be recorded here)
    print(node(torch.ones(3)))  # ∂L/∂x = v·w and ∂L/∂w = v·x, for v = ∂L/∂y = ones

# %% [markdown]
# Two gradients came back, one per edge, in the order of `next_functions`. (A node with a single edge
# returns a single tensor rather than a tuple; PyTorch does the same.)
#
# At the end of each edge to a leaf sits an `AccumulateGrad` node. Calling it does the `+=` of lesson 5:

# %%
to_x = node.next_functions[0][0]
print(type(to_x).__name__, "x.grad before:", x.grad)
with torch.no_grad():
    to_x(torch.tensor([10.0, 20.0, 30.0]))
print("x.grad after: ", x.grad)
x.grad = None

# %% [markdown]
# So a backward pass is: start with $v$ at the root's node, call nodes, and hand each result to the next
# node along its edge. The only question is **when** a node may be called. A node must see the *sum* of
# everything sent to it (lesson 3: gradients that meet are added), so it may run only after every edge
# into it has delivered. That needs a count per node, made before anything runs.
#
# ## Step 1: count the edges into each node
#
# Walk the graph from the root's node with a stack (no recursion, so a graph 100,000 nodes deep is fine)
# and count, for every node, how many edges point into it. A node is pushed only the first time it is
# reached, so each node's own edges are counted once.

# %%
def count_dependencies(root_node):
    """{node: number of edges pointing into it}, for every node reachable from root_node."""
    dependencies = {root_node: 0}
    stack = [root_node]
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is None:  # an input that needs no gradient: no node, no edge to count
                continue
            if next_node not in dependencies:  # first visit: its own edges still need counting
                dependencies[next_node] = 0
                stack.append(next_node)
            dependencies[next_node] += 1
    return dependencies


h = x * 2
diamond = (h.exp() + h ** 2).sum()  # h is used twice: its node waits for two gradients
for n, count in count_dependencies(diamond.grad_fn).items():
    print(f"{type(n).__name__:15s} {count}")

# %% [markdown]
# `MulBackward0`, the node that made `h`, has two edges pointing into it: from `ExpBackward0` and from
# `PowBackward0`. It must wait for both. In the chain-rule picture of lesson 3 the two arrows into it
# carry two different gradients, and its rule is applied once, to their sum:

# %%
chain_rule(diamond, params={"x": x, "h": h, "diamond": diamond})

# %% [markdown]
# ## Step 2: run the nodes whose gradients have all arrived
#
# Keep a buffer per node for the gradient arriving at it, and a list of **ready** nodes: those whose
# count has dropped to zero. Take a ready node, call it on its buffer, and send each result along its
# edge: add it to the next node's buffer, lower that node's count, and when the count reaches zero the
# next node is ready. Backward formulas are not to be recorded, so the loop runs under `no_grad`.

# %%
def my_backward(root, v=None):
    """root.backward(v), written out. Every node here has one output, so one buffer per node."""
    v = torch.ones_like(root) if v is None else v
    dependencies = count_dependencies(root.grad_fn)  # step 1
    buffers = {root.grad_fn: v}  # node -> ∂L/∂(its output), summed as gradients arrive
    ready = [root.grad_fn]
    with torch.no_grad():
        while ready:
            node = ready.pop()
            grad_inputs = node(buffers.pop(node))  # the chain rule at this node (a leaf's node: +=)
            if not isinstance(grad_inputs, tuple):  # one edge: one tensor came back
                grad_inputs = (grad_inputs,)
            for (next_node, _), g in zip(node.next_functions, grad_inputs):
                if next_node is None:
                    continue
                if g is not None:  # where gradients meet, they are added
                    buffers[next_node] = g if next_node not in buffers else buffers[next_node] + g
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0:
                    ready.append(next_node)

# %% [markdown]
# With the comments removed, `count_dependencies` and `my_backward` are about 35 lines. Now the test: the
# same program run twice on fresh leaves, once with `.backward()` and once with `my_backward`, on three
# graphs. A **chain** (each node feeds the next), a **diamond** (one tensor used on two paths that meet
# again) and a **shared weight** (one leaf used by two operations).

# %%
def chain(a, b):
    return (a * b).exp().sin().sum()


def diamond_graph(a, b):
    h = a * b
    return (h.exp() + h ** 2).sum()


def shared_weight(a, b):
    return (b * a + b ** 2 + (b * 3).tanh()).sum()


def fmt(t):
    return "[" + ", ".join(f"{v:7.4f}" for v in t.tolist()) + "]"


def both_ways(program):
    """a.grad and b.grad from .backward() and from my_backward, on fresh leaves each time."""
    results = []
    for run in (lambda loss: loss.backward(), my_backward):
        a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        b = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
        run(program(a, b))
        results.append((a.grad, b.grad))
    return results


for program in (chain, diamond_graph, shared_weight):
    (ax, bx), (ay, by) = both_ways(program)
    same = torch.allclose(ax, ay) and torch.allclose(bx, by)
    print(f"{program.__name__:14s} a.grad {fmt(ax)}  b.grad {fmt(bx)}  same: {same}")
    assert same

# %% [markdown]
# The same gradients on all three. (The numbers agree to the last digit or nearly: where several
# gradients are summed, a different order of addition can change the last bit of a float.)
#
# Here is the engine's own pass over the diamond, step by step: `MulBackward0` (the node of `h`) runs
# only at step 5, after both `ExpBackward0` and `PowBackward0` have delivered, and then sends one
# gradient, the sum times its rule, to the leaf.

# %%
filmstrip(diamond, params={"x": x, "h": h, "diamond": diamond})

# %% [markdown]
# ## Exercises
#
# **1.** In the shared-weight program, how many edges point into the `AccumulateGrad` node of `b`? Count
# them by hand from the program first, then check with `count_dependencies`.

# %%
a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
loss = shared_weight(a, b)
answer = None  # the number of edges into b's AccumulateGrad node
check("10.shared_leaf_edges", answer)

# %% [markdown]
# **2.** `my_backward` takes the *last* ready node (`ready.pop()`). PyTorch takes the ready node that
# was recorded last, the one with the highest `node._sequence_nr()` (and `AccumulateGrad` nodes before
# any other). Change the line `node = ready.pop()` into that rule, run your engine on `diamond_graph`
# while recording `type(node).__name__` as each node runs, and give the list of names. Compare it with
# `torch.autograd.trace()` (lesson 3) on the same program.

# %%
answer = None  # e.g. ["SumBackward0", ...]: the names in the order your engine ran the nodes
check("10.pytorch_order", answer)

# %% [markdown]
# **3.** Go back to the original `my_backward` (with `ready.pop()`) and suppose it did not count: it
# appended `next_node` to `ready` as soon as any gradient reached it (try it: delete the two lines about
# `dependencies[next_node]` and append `next_node` right after the `if g is not None:` block). On
# `diamond_graph`, how many times would it call the node that made `h`?

# %%
answer = None  # how many calls of h's node (MulBackward0)
check("10.without_counting", answer)

# %% [markdown]
# ## The engine's loop, part by part
#
# Now open the real thing. `run_backward` in `autograd_nb/engine.py` is the loop you just wrote, with
# the numbers of its steps in the comments:

# %%
torch.show_source(torch.engine.run_backward)

# %% [markdown]
# Line by line against yours:
#
# | your `my_backward` | the engine |
# |---|---|
# | `count_dependencies(root.grad_fn)` | `count_dependencies(roots)`: the same walk, for several roots at once |
# | `buffers = {root.grad_fn: v}` | `_add_to_buffer` for each root; a buffer holds one gradient *per output* of the node |
# | `ready = [...]`, `ready.pop()` | a `ReadyQueue`: the most recently recorded node first, as PyTorch |
# | `node(buffers.pop(node))` | `_run_node`: hooks around the call (`node.apply`), and a check that each gradient fits |
# | `buffers[next] = ... + g` | `_add_to_buffer`: the same sum (recorded under `create_graph=True`) |
# | `dependencies[next] -= 1` | the same two lines |
# | `with torch.no_grad()` | `set_grad_enabled(create_graph)`: recorded only when you ask for it |
# | (nothing) | `node.free_saved_tensors()`: why a second `backward()` fails (lesson 3) |
#
# Step 1 is your `count_dependencies`, almost letter for letter:

# %%
torch.show_source(torch.engine.count_dependencies)

# %% [markdown]
# Step 2, the ready queue. The order never changes the result (exercise 2), but it decides the order in
# which hooks run and what `trace()` prints, so the engine follows PyTorch's rule:

# %%
torch.show_source(torch.engine.ReadyQueue)

# %% [markdown]
# Step 3, running a node. Around your one call, `_run_node` runs the hooks of lesson 6, tells the trace
# (if one is open) what happened, and checks every gradient against the tensor it is for (its shape and
# dtype). At a leaf the node is an `AccumulateGrad`, and calling it is step 5:

# %%
torch.show_source(torch.engine._run_node)

# %% [markdown]
# Step 4, sending a gradient and summing where gradients meet:

# %%
torch.show_source(torch.engine._add_to_buffer)

# %% [markdown]
# The `else` branch is marked as an optimization: it adds the numpy arrays directly instead of calling
# the `+` of two tensors, because nothing needs to be recorded. Every optimization in the engine is
# marked that way, with the benchmark figure that pays for it, so you can skip them on a first read.
#
# Step 5, the leaves: `AccumulateGrad.apply` is the `+=` you called by hand at the top.

# %%
torch.show_source(torch.function.AccumulateGrad.apply)

# %% [markdown]
# The first gradient of a leaf is copied into a new `.grad`, so that the `+=` of later passes changes
# no one else's tensor (the gradient may be the very tensor you passed to `backward`, or one a hook
# kept). With `create_graph=True` the copy and the sums are recorded, so `.grad` can be differentiated.
#
# ## Summary
#
# * A backward pass needs nothing but the graph: call `grad_fn`, follow `next_functions`, repeat.
# * Count the edges into each node first; call a node only when all of them have delivered, with the sum
#   of what arrived. That is the multivariable chain rule, and it is why a diamond comes out right.
# * The order among ready nodes does not change the gradients; the engine follows PyTorch's order so
#   that hooks and traces match.
# * The engine's loop is this loop, plus hooks, pruning for `autograd.grad`, checks, and freeing saved
#   tensors.
#
# **In the engine:** `run_backward`, `count_dependencies`, `ReadyQueue`, `_run_node` and `_add_to_buffer`
# in `autograd_nb/engine.py`; `AccumulateGrad.apply` and `Node.__call__` in `autograd_nb/function.py`.
