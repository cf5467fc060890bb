# %% [markdown]
# # 2 · The graph is made of Functions
#
# **Goals.** Find the graph autograd recorded, walk it by hand, and name its parts the way PyTorch does:
# `grad_fn`, `next_functions`, `AccumulateGrad`. See why it is called a *dynamic* graph.
#
# **Prerequisites.** Lesson 1 (`requires_grad`, leaves).
#
# ## The nodes are operations, not tensors
#
# It is tempting to picture the graph with tensors as its nodes. In PyTorch it is the other way round:
# **the nodes are Function objects**, one per recorded operation, and the edges say which Function's
# output feeds which Function. Every time an operation runs on a tensor that requires grad, a Function
# object is created that
#
# 1. computes the result,
# 2. records that the operation happened (it will compute its gradient later), and
# 3. remembers where its inputs came from.
#
# The result keeps a pointer to that object in `.grad_fn`: the entry point into the graph.

# %%
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.0], requires_grad=True)
y = (x * w).sum()
print(y)
print(y.grad_fn)

# %% [markdown]
# `SumBackward0` is the node the summation created (the number after the address changes every run; the
# name does not). The name says what it will do: the *backward* of `sum`. The trailing `0` tells apart
# variants of an operation: `x.sum()` gives `SumBackward0`, `x.sum(dim=0)` gives `SumBackward1`.
#
# ## Edges: `next_functions`
#
# Each node lists the nodes that produced its inputs in `next_functions`: a tuple with one
# `(node, output_number)` pair per tensor input. The edges point **from the output back towards the
# inputs**, the direction in which gradients will travel.

# %%
mul_node = y.grad_fn.next_functions[0][0]
print(y.grad_fn.next_functions)
print(mul_node.next_functions)

# %% [markdown]
# The multiplication's two inputs were the leaves `x` and `w`. A leaf has no `grad_fn`, so the edge ends
# in a special node, **`AccumulateGrad`**: its job is to add the arriving gradient into the leaf's
# `.grad`. It knows its leaf through `.variable`:

# %%
acc_x = mul_node.next_functions[0][0]
print(type(acc_x).__name__, acc_x.variable is x)

# %% [markdown]
# An input that does not require grad still gets an entry, but it leads nowhere: `(None, 0)`. Here `c`
# is a constant:

# %%
c = torch.tensor([10.0, 20.0])
z = x + c
print(z.grad_fn.next_functions)

# %% [markdown]
# ## Walking the graph
#
# With `grad_fn` and `next_functions` you can walk the whole graph yourself. This loop visits every node
# reachable from `y` once (a stack instead of recursion, so even very deep graphs are fine):

# %%
def walk(tensor):
    stack, seen, lines = [(tensor.grad_fn, 0)], set(), []
    while stack:
        node, depth = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        label = type(node).__name__
        if label == "AccumulateGrad":
            label += f"  → leaf of shape {tuple(node.variable.shape)}"
        lines.append("    " * depth + label)
        for child, _ in reversed(node.next_functions):
            stack.append((child, depth + 1))
    print("\n".join(lines))


walk(y)

# %% [markdown]
# That is the same structure `draw` paints:

# %%
draw(y, params={"x": x, "w": w, "y": y})

# %% [markdown]
# ## How to read the pictures
#
# The pictures in these lessons follow one grammar, and the legend under each picture repeats it:
#
# * **Rounded boxes are the nodes**: the Function objects, grey, named as PyTorch names them
#   (`MulBackward0`), and the darker `AccumulateGrad` nodes at the leaves.
# * **Arrows are the edges**, and only the edges: one per entry of `next_functions`, pointing from a node
#   to the node of its input, the way gradients travel. An input used twice shows `×2` on its arrow.
# * **Tensors are square tags beside a node**, tied to it by a short dotted line with a dot, never by an
#   arrow: `y` beside `SumBackward0` is "`y.grad_fn` is this node"; `x` beside an `AccumulateGrad` is
#   "this node fills `x.grad`". Green: a result with a `grad_fn`; blue: a leaf that requires grad;
#   dashed white: a tensor autograd does not track, tied to nothing.
#
# So the graph itself is made of nodes and arrows only, as PyTorch stores it; the tags only say which
# tensor belongs where. Later lessons add numbers to the same grammar: the gradient each arrow carried
# (lesson 3), the saved tensors (orange tags, with a dashed line).
# %% [markdown]
# "Root" and "leaves" are borrowed from trees. The graph is really a **directed acyclic graph** (DAG): a
# tensor used twice gives a node with two incoming edges, and paths split and meet again. The names are
# still handy, and the PyTorch documentation uses them too. Below, `h` is used three times: twice by the
# multiplication (`×2`) and once by the addition, so three edges arrive at `h`'s node `ExpBackward0`;
# the tag `h` beside it only names the tensor that node made.

# %%
h = x.exp()
d = (h * h + h).sum()      # h is used three times
draw(d, params={"x": x, "h": h, "d": d})

# %% [markdown]
# ## The graph is dynamic
#
# The graph is not declared in advance. It is **recorded while your Python code runs**, and recorded
# anew on every run. Ordinary `if` statements and loops therefore shape it: each forward pass builds the
# graph of the operations that actually happened.

# %%
def f(t, steps):
    for _ in range(steps):
        t = t * 2 if t.sum() > 0 else t.exp()
    return t.sum()


a = f(torch.tensor([1.0, 3.0], requires_grad=True), steps=2)
b = f(torch.tensor([-1.0, -3.0], requires_grad=True), steps=1)
walk(a)
print("---")
walk(b)

# %% [markdown]
# Same function, different graphs: for the first input both steps multiplied (two `MulBackward0`
# nodes), for the second the single step took the other branch (`ExpBackward0`). After `backward()` the graph is normally thrown away (lesson 3), and
# the next forward pass records a fresh one. This is what makes PyTorch feel like plain Python.

# %% [markdown]
# ## Try it: watch the graph grow
#
# The graph builder runs a small program one statement at a time. Step forwards and backwards (or press
# play) and watch each statement add its node; the newest one is outlined. (Without a kernel you see the
# graph after the last statement.)

# %%
from autograd_nb.widgets import graph_builder

graph_builder()

# %% [markdown]
# ## Same picture, real PyTorch
#
# `draw` also accepts real PyTorch tensors, so you can compare. If PyTorch is installed, the graph below
# is drawn from PyTorch's own `grad_fn` objects, and it has the same nodes and edges as the picture of
# `y` further up.

# %% tags=["nbval-ignore-output"]
try:
    import torch as real_torch
except ImportError:
    print("PyTorch is not installed here; `pip install torch==2.13.0` to compare.")
else:
    rx = real_torch.tensor([1.0, 2.0], requires_grad=True)
    rw = real_torch.tensor([0.5, -1.0], requires_grad=True)
    ry = (rx * rw).sum()
    display(draw(ry, params={"x": rx, "w": rw, "y": ry}))

# %% [markdown]
# ## Exercises
#
# **1.** For `y = x.exp() * 3`, list the node names you meet walking from `y.grad_fn` along the first
# edge each time, before reaching `AccumulateGrad`.

# %%
x = torch.tensor([0.5, 1.5], requires_grad=True)
y = x.exp() * 3
answer = None  # e.g. ["AddBackward0", "SinBackward0"]
check("02.node_names", answer)

# %% [markdown]
# **2.** Predict `r.grad_fn.next_functions` before you print it: give the node names in order, with
# `None` where an entry leads to no node.

# %%
c = torch.tensor([2.0, 3.0])
r = x * c + c.exp()
answer = None  # e.g. ["AddBackward0", "SinBackward0"]
check("02.next_functions", answer)

# %% [markdown]
# ## Summary
#
# * Each recorded operation creates a Function node; a result's `grad_fn` points to the node that made it.
# * `next_functions` holds one `(node, output_nr)` edge per tensor input, pointing from output to input;
#   `(None, 0)` for inputs that need no grad, `AccumulateGrad` for leaves that do.
# * The graph is a DAG, recorded while the code runs, so it follows your Python control flow and is
#   rebuilt on every forward pass.
#
# **In the engine:** `Function.apply` in `autograd_nb/function.py` creates the node and its edges (the
# lines under `if record:`); `Tensor._edge` in `autograd_nb/tensor.py` decides where an edge to a tensor
# points; `autograd_nb/viz/model.py` walks the same edges to draw the picture.

# %%
torch.show_source(torch.Tensor._edge)
