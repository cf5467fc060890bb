# %% [markdown]
# # 3 · `backward()` and the chain rule
#
# **Goals.** Compute a gradient by hand with the chain rule, then watch the engine do the same thing
# node by node. Learn which tensors receive `.grad`, how to get it for others (`retain_grad`), and why a
# second `backward()` through the same graph fails unless you ask to keep it (`retain_graph`).
#
# **Prerequisites.** Lesson 2 (the graph of Function nodes).
#
# ## By hand first
#
# A one-neuron model: input $x$, weight $w$, bias $b$, target $t$:
#
# $$z = wx + b,\qquad y = \tanh z,\qquad L = (y - t)^2 .$$
#
# The chain rule multiplies the local derivatives along the path from $L$ back to each parameter:
#
# $$\frac{\partial L}{\partial w} = \underbrace{2(y - t)}_{\partial L/\partial y}\cdot
# \underbrace{(1 - y^2)}_{\partial y/\partial z}\cdot \underbrace{x}_{\partial z/\partial w},\qquad
# \frac{\partial L}{\partial b} = 2(y - t)\cdot(1 - y^2)\cdot 1 .$$

# %%
%xmode minimal
import math

import autograd_nb as torch
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x_val, w_val, b_val, t_val = 1.5, -0.8, 0.3, 0.5
y_val = math.tanh(w_val * x_val + b_val)
dL_dy = 2 * (y_val - t_val)
dy_dz = 1 - y_val ** 2
print(f"by hand: dL/dw = {dL_dy * dy_dz * x_val:.6f}   dL/db = {dL_dy * dy_dz:.6f}")

# %% [markdown]
# ## Now the engine

# %%
x = torch.tensor(x_val)
w = torch.tensor(w_val, requires_grad=True)
b = torch.tensor(b_val, requires_grad=True)
z = w * x + b
y = z.tanh()
L = (y - t_val) ** 2
L.backward()
print(f"engine:  dL/dw = {w.grad.item():.6f}   dL/db = {b.grad.item():.6f}")

# %% [markdown]
# The same numbers (up to float32 rounding). `backward()` did exactly what we did: start at $L$ with
# $\partial L/\partial L = 1$ and push a gradient back through each node, multiplying by the node's
# local derivative.
#
# ## The chain rule, drawn
#
# `chain_rule` (an autograd_nb addition) replays this backward pass and draws it. At the top, $L$'s tag
# shows $v = 1$, the gradient the pass starts from. Each arrow carries the gradient the node above it
# sent (in red), each node shows its local rule (a, b: its inputs in order, y: its output), and each
# leaf's tag shows the `.grad` it ended with. Read it from the top, multiplying as you go: what leaves a
# node is what arrived times its rule. `TanhBackward0` turns $-2.433$ into $-2.433\cdot(1 - y^2) =
# -1.184$; `AddBackward0` copies it to both inputs; `MulBackward0` multiplies by $x = 1.5$ for $w$.
# (`PowBackward0`'s rule for our square, $n = 2$, is $2x$: $2(y - t)$.) `backward()` freed the graph
# it walked, so we record the same computation again; the picture replays its pass on the side, and
# your tensors keep the `.grad` they had.

# %%
L = ((w * x + b).tanh() - t_val) ** 2
chain_rule(L, params={"w": w, "b": b, "L": L})

# %% [markdown]
# ## Watching it happen
#
# `torch.autograd.trace()` records one backward pass: which node ran, which gradient came in, and what
# it sent along each edge. (PyTorch shows similar information with the environment variable
# `TORCH_LOGS="+autograd"`; the trace is an autograd_nb addition.)

# %%
z = w * x + b
y = z.tanh()
L = (y - t_val) ** 2
w.grad = b.grad = None
with torch.autograd.trace() as t:
    L.backward()
print(t.dump())

# %% [markdown]
# How to read the log. Each block is one step of the engine. `#3 TanhBackward0` is the node the trace
# numbered 3 (nodes are numbered breadth-first from the output, so the numbers are the same on every
# run). `in [0]` is the gradient that arrived at the node's output 0; `out [0]`, `out [1]` are what it
# sent along its edges, in the order of `next_functions`, each to `-> #k NodeName [output number]`.
# `f32[]` is the gradient's type and shape as PyTorch's own autograd log writes them: float32, and `[]`
# for a 0-d tensor (`f32[3]` would be three numbers). An `AccumulateGrad` step shows the leaf's `.grad`
# before and after the addition.
#
# Read it step by step:
#
# * `PowBackward0` receives 1 and sends $2(y - t)$ to `SubBackward0`.
# * `SubBackward0` passes it on unchanged to `TanhBackward0` (the constant $t$ gets nothing: `None`).
# * `TanhBackward0` multiplies by $1 - y^2$: that is $\partial L/\partial z$.
# * `AddBackward0` copies it to both inputs: $\partial z/\partial (wx) = \partial z/\partial b = 1$.
# * `MulBackward0` multiplies by $x$ for $w$ (and sends nothing to $x$, which needs no gradient).
# * The two `AccumulateGrad` nodes add the results into `w.grad` and `b.grad`.
#
# Each node only knows its own local derivative. It receives $\partial L/\partial(\text{its output})$
# and returns $\partial L/\partial(\text{each input})$; the engine moves these numbers along the edges.
# When several paths meet at a tensor, the engine **adds** the contributions before going on: that is
# the multivariable chain rule.
#
# The same steps as small pictures, one per step of the log: the node running is outlined, and the
# arrows fill with gradients as the pass goes down.

# %%
L = ((w * x + b).tanh() - t_val) ** 2
filmstrip(L, params={"w": w, "b": b, "L": L})

# %% [markdown]
# ## The order of the walk
#
# The engine runs a node only when every gradient for it has arrived (it counts the edges into each
# node first). Among the nodes that are ready, it picks as PyTorch does: an `AccumulateGrad` first (it
# only adds into a leaf's `.grad`, so nothing waits on it), and otherwise the node created most
# recently. That is why step 5 above is `b`'s `AccumulateGrad`: once `AddBackward0` has run, both it and
# `MulBackward0` are ready, and the `AccumulateGrad` goes first. So the walk goes from the root to the
# leaves in reverse order of creation, and a node used twice runs once, with the sum. Here `h` feeds two
# paths:

# %%
x2 = torch.tensor(0.7, requires_grad=True)
h = x2 * 2
out = h.exp() + h ** 2
with torch.autograd.trace() as t2:
    out.backward()
print(t2.dump())
print("check:", f"{x2.grad.item():.4f}", "=", f"{2 * (math.exp(1.4) + 2 * 1.4):.4f}")

# %% [markdown]
# `MulBackward0` (the node of `h`) waits for both `ExpBackward0` and `PowBackward0`, then runs once with
# their sum. In the picture, the two gradients arrive on two arrows and the node multiplies their sum
# by its rule:

# %%
h = x2 * 2
out = h.exp() + h ** 2
chain_rule(out, params={"x2": x2, "h": h, "out": out})

# %% [markdown]
# ## Try it: step through backward
#
# The backward stepper replays the pass for the neuron above, one node at a time: the node being run is
# outlined, each arrow shows the gradient it carried, and the leaves show `.grad` filling up, from
# `None` at step 0. Like the pictures above it replays on a kept graph starting from `.grad = None`, and
# then puts every `.grad` back: your tensors are left as they were. (Without a kernel you see its
# opening state.)

# %%
from autograd_nb.widgets import backward_stepper

L = ((w * x + b).tanh() - t_val) ** 2
backward_stepper(L, params={"w": w, "b": b, "L": L})

# %% [markdown]
# ## Who gets `.grad`?
#
# Only **leaves that require grad**. Intermediate results such as `z` and `y` had their gradients
# computed (they were passed along the edges) but not stored: keeping them would cost memory for every
# intermediate value of a big model, and you rarely need them. Reading `.grad` of a non-leaf gives
# `None` and a warning that explains this:

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(y.grad)
print("UserWarning:", caught[0].message)

# %% [markdown]
# If you do want one, ask **before** calling backward with `retain_grad()`:

# %%
z = w * x + b
y = z.tanh()
y.retain_grad()
L = (y - t_val) ** 2
L.backward()
print("dL/dy =", f"{y.grad.item():.6f}", "  by hand:", f"{dL_dy:.6f}")

# %% [markdown]
# ## The graph is freed after backward
#
# Many nodes saved tensors during the forward pass because their derivative needs them: `TanhBackward0`
# saved its output $y$, and `MulBackward0` saved $x$, the factor $w$'s gradient needs. (It did not save
# $w$: that would only serve a gradient for $x$, which needs none. `z.grad_fn._saved_self` is `None`,
# in PyTorch too.) After `backward()` those saved tensors are released to free memory, so a second
# `backward()` through the same graph fails:

# %% tags=["raises-exception"]
L.backward()

# %% [markdown]
# If you need to go through a graph twice, keep it with `retain_graph=True` on all but the last call:

# %%
w.grad = None
z = w * x + b
L = (z.tanh() - t_val) ** 2
L.backward(retain_graph=True)
first = w.grad.item()
L.backward()
print(f"{first:.6f}  then  {w.grad.item():.6f}")

# %% [markdown]
# The second number is twice the first: gradients **accumulate** in `.grad`, the subject of lesson 5.
#
# ## Exercise
#
# For $y = (x^2 - 1)(x + 1)$ at $x = -2$, compute $dy/dx$ by hand, then check it with the engine.

# %%
x = torch.tensor(-2.0, requires_grad=True)
y = (x ** 2 - 1) * (x + 1)
answer = None  # dy/dx at x = -2, by hand
check("03.grad_of_x", answer)

# %% [markdown]
# ## Summary
#
# * `backward()` starts from $\partial L/\partial L = 1$ and walks the graph from the root to the leaves;
#   each node turns the gradient of its output into gradients of its inputs (its local chain-rule step).
# * A node runs once all its incoming gradients have arrived and been summed.
# * Only leaves with `requires_grad=True` keep `.grad`; use `retain_grad()` for intermediate tensors.
# * Saved tensors are freed after backward; `retain_graph=True` keeps them for another pass.
#
# **In the engine:** `run_backward` in `autograd_nb/engine.py` (dependency counting, the ready queue,
# summing in input buffers, freeing saved tensors), shown below; `AccumulateGrad.apply` in
# `autograd_nb/function.py`. Lesson 10 takes this loop apart and has you write it.

# %%
torch.show_source(torch.engine.run_backward)
