# %% [markdown]
# # 1 · Tensors and `requires_grad`
#
# **Goals.** After this lesson you can say, for any tensor in a computation, whether autograd tracks
# it, whether it is a *leaf*, and why. You will know the propagation rule and what happens to the parts
# of a computation that need no gradient.
#
# **Prerequisites.** Lesson 0.
#
# ## A tensor is an array that can remember
#
# A `Tensor` is an n-dimensional array, like a numpy `ndarray`: you can add, multiply, reduce and
# reshape it. On top of that it carries a few facts that autograd needs. The first one is
# `requires_grad`: *do we want gradients to flow into this tensor?*

# %%
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

torch.manual_seed(0)
t = torch.randn(2, 3)
t, t.shape, t.dtype, t.requires_grad

# %% [markdown]
# `requires_grad` is **False by default**. Most tensors in a program are data (inputs, targets,
# constants); only the parameters you want to learn need gradients, so tracking is opt-in.
#
# ## The propagation rule
#
# When an operation runs, its result gets `requires_grad=True` **if and only if at least one input has
# `requires_grad=True`**. Said the other way round: if *none* of the inputs needs a gradient, neither
# does the result, and autograd records nothing. Here is the classic example:

# %%
x = torch.randn(5, 5)                      # requires_grad=False by default
y = torch.randn(5, 5)                      # requires_grad=False by default
z = torch.randn((5, 5), requires_grad=True)
a = x + y
b = a + z
print("a.requires_grad:", a.requires_grad)
print("b.requires_grad:", b.requires_grad)

# %% [markdown]
# `a` only depends on `x` and `y`, which need no gradient, so `a` is not tracked. `b` depends on `z`,
# so it is. The picture shows what autograd keeps: a path from `b` back to `z`, and nothing at all for
# `x`, `y` and `a`. They stand apart in dashed boxes, tied to nothing: tensors that take no part in
# backward. (Lesson 2 explains the picture: rounded boxes are the recorded operations, square tags the
# tensors.)

# %%
draw([a, b], params={"x": x, "y": y, "z": z, "a": a, "b": b})

# %% [markdown]
# This is the **excluded subgraph**: the computation `a = x + y` happened, but since no gradient can
# ever be needed there, it was never recorded. When `backward()` runs from `b`, it does not even know
# `x`, `y` and `a` exist, which saves both time and memory. In a real model, the whole data pipeline
# (normalising inputs, building masks, …) lives in such excluded subgraphs.
#
# ## Leaves
#
# A tensor you create yourself (with `torch.tensor`, `torch.randn`, …) is a **leaf**: no recorded
# operation produced it, so its `grad_fn` is `None`. Results of recorded operations are not leaves.

# %%
for name, t in [("x", x), ("z", z), ("a", a), ("b", b)]:
    print(f"{name}: is_leaf={t.is_leaf!s:5}  requires_grad={t.requires_grad!s:5}  grad_fn={type(t.grad_fn).__name__}")

# %% [markdown]
# Notice `a`: it is a result, yet `is_leaf` is True. A result that requires no grad was not recorded,
# so it has no `grad_fn`, and PyTorch counts every tensor without a `grad_fn` as a leaf.
#
# Why care about leaves? Because after `backward()`, **only tensors that are leaves *and* require grad
# get their `.grad` filled in**. Those are exactly the parameters you created, which is what an optimizer
# needs. Intermediate results get nothing (lesson 3 shows how to ask for them anyway).

# %%
b.sum().backward()
print("z.grad is set:", z.grad is not None, "  shape:", tuple(z.grad.shape))
print("x.grad:", x.grad)

# %% [markdown]
# ## Setting `requires_grad` after the fact
#
# You can switch tracking on for a leaf at any time, with the attribute or with the in-place method
# `requires_grad_()` (the trailing underscore means "in place", as everywhere in PyTorch):

# %%
w = torch.ones(3)
w.requires_grad_()
print(w)
print((w * 2).sum())

# %% [markdown]
# The repr shows it: a leaf that requires grad prints `requires_grad=True`; a result prints the node that
# made it, `grad_fn=<SumBackward0>`.
#
# Two things are refused. Only floating-point tensors can require grad (a gradient is a rate of change;
# integers cannot change by a little):

# %% tags=["raises-exception"]
torch.tensor([1, 2, 3], requires_grad=True)

# %% [markdown]
# And the flag of a **non-leaf** cannot be changed: it is not a choice but a consequence of its inputs.
# If you want a result without its history, `detach()` it (lesson 6).

# %% tags=["raises-exception"]
c = w * 2
c.requires_grad = False

# %% [markdown]
# ## Try it: the requires_grad explorer
#
# Tick and untick the leaves below. The picture and the table follow the propagation rule: watch which
# results lose their `grad_fn` and which part of the computation backward would no longer visit.
# (Widgets need a running kernel: run the cell. Without one you see its opening state.)

# %%
from autograd_nb.widgets import requires_grad_explorer

requires_grad_explorer()

# %% [markdown]
# ## A bit of history: `Variable`
#
# Old PyTorch code (before version 0.4, 2018) wraps tensors in `torch.autograd.Variable(t,
# requires_grad=True)`. In those versions a `Tensor` was only an array, and a separate `Variable` class
# did the autograd bookkeeping. Version 0.4 merged the two: every `Tensor` can track its history, and
# `Variable(t)` became a no-op that returns a tensor. When you meet `Variable` in old tutorials, read it
# as "a tensor", and `Variable(t, requires_grad=True)` as `t.requires_grad_()`.
#
# ## Exercises
#
# **1.** In the program below, which of `c`, `d`, `e` require grad? Give a set of names like `{"c"}`.

# %%
u = torch.tensor([1.0, 2.0])
w = torch.tensor([3.0, 4.0], requires_grad=True)
c = u * w
d = c + 1
e = u * 3
answer = None  # e.g. {"c", "e"}
check("01.which_require_grad", answer)

# %% [markdown]
# **2.** Which of `u`, `w`, `c`, `d`, `e` are leaves?

# %%
answer = None  # a set of names
check("01.leaves", answer)

# %% [markdown]
# **3.** With `u`, `w`, `c`, `e` as above, which of these lines raise an error? Predict first, then try
# each in a cell of its own. Give a set of letters.
#
# * a: `c.requires_grad = False`
# * b: `e.requires_grad = True`
# * c: `torch.arange(3).requires_grad_()`
# * d: `w.requires_grad = False`

# %%
answer = None  # e.g. {"b"}
check("01.which_raise", answer)

# %% [markdown]
# ## Summary
#
# * `requires_grad` is False by default; set it on the tensors you want gradients for.
# * A result requires grad **iff** some input does. Computations on tensors that need no grad are not
#   recorded at all: they are left out of backward.
# * Leaves are tensors without a `grad_fn`. After `backward()`, leaves that require grad get `.grad`.
# * Only floating-point leaves can require grad; a non-leaf's flag cannot be changed.
#
# **In the engine:** the `requires_grad` property and its setter in `autograd_nb/tensor.py`; the rule
# itself is the line that sets `record` in `Function.apply` (`autograd_nb/function.py`): grad mode is on
# and some input requires grad. Here it is, in the code that runs:

# %%
torch.show_source(torch.autograd.Function.apply)
