# %% [markdown]
# # 0 · Welcome: what autograd does, and how to use these lessons
#
# **Goal.** See, in five lines, the thing this course takes apart: you compute a number from some
# tensors, call `.backward()`, and every input you marked gets its gradient.
#
# **You need.** Python and a little calculus (the chain rule). No PyTorch knowledge is assumed, but
# everything you learn here transfers to PyTorch unchanged.
#
# ## How this course works
#
# `autograd_nb` is a small automatic-differentiation engine written in numpy that behaves like PyTorch's
# `torch.autograd`: the same names, the same numbers, the same graph objects and the same error
# messages. Because of that, every lesson starts with
#
# ```python
# import autograd_nb as torch
# ```
#
# and the code below it is PyTorch code. The difference is that you can open the engine's source next to
# the notebook and read exactly what happens, one idea per file. The path from `a * b` to `.grad` runs
# through four core files (the `Tensor`, `Function.apply` and the node it records, the backward engine,
# and the grad-mode switch); the cell below counts their lines, docstrings and comments included. The
# rest of the package (the operations, `nn`, `optim`, the pictures and the explorers) is built on them.
#
# * Run the cells from top to bottom (Shift-Enter).
# * Exercises ask you to predict something (a `.grad`, a shape, whether a line raises) before you run
#   it, and end with a `check(…)` call: a wrong answer gets a hint, a right one a confirmation.
# * Cells that are meant to fail show PyTorch's error message on one line, without the traceback
#   through the engine's files: lessons with such cells start with `%xmode minimal`, IPython's switch
#   for short error reports.
# * Each lesson ends with the engine files that implement what it taught. `torch.show_source(...)` (an
#   autograd_nb addition) prints a piece of the engine right in the notebook.

# %%
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

sizes = torch.source.core_size()
print(", ".join(f"{name}: {lines}" for name, lines in sizes.items()), f"— {sum(sizes.values())} lines")

# %% [markdown]
# ## A five-line taste
#
# A tiny "model": a weight `w` and a bias `b` that we want to learn, an input `x`, and a squared error.

# %%
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor(0.1, requires_grad=True)
loss = ((w * x).sum() + b - 4.0) ** 2
loss.backward()
print(loss, w.grad, b.grad, sep="\n")

# %% [markdown]
# `loss.backward()` filled `w.grad` and `b.grad` with $\partial\,\mathrm{loss}/\partial w$ and
# $\partial\,\mathrm{loss}/\partial b$. Let us check one by hand. With $s = w\cdot x + b - 4$ we have
# $\mathrm{loss} = s^2$, so $\partial\,\mathrm{loss}/\partial b = 2s$ and
# $\partial\,\mathrm{loss}/\partial w_i = 2s\,x_i$:

# %%
s = (0.5 * 1 - 1.0 * 2 + 2.0 * 3) + 0.1 - 4.0
print("by hand:", f"{2 * s:.4f}", [f"{2 * s * xi:.4f}" for xi in (1.0, 2.0, 3.0)])
assert abs(b.grad.item() - 2 * s) < 1e-5

# %% [markdown]
# How did the engine know? While the forward computation ran, every operation on a tensor that
# requires grad was **recorded** as a node of a graph. `backward()` walks that graph from the loss back
# to `w` and `b`, applying the chain rule at every node. Here is the graph it walked:

# %%
draw(loss, params={"x": x, "w": w, "b": b, "loss": loss})

# %% [markdown]
# Read it from the top: the grey rounded boxes are the recorded operations (PyTorch calls them
# *Function* nodes and names them `PowBackward0`, `AddBackward0`, …), and the arrows between them are
# the way the gradient travels. The square tags beside them are tensors: the green one is the loss, the
# blue ones are the tensors you created with `requires_grad=True`. `x`, which needs no gradient, stands
# apart in a dashed box, tied to nothing: no arrow leads to it, because nothing has to flow into it.
# (Lesson 2 reads these pictures in detail.)
#
# The rest of the course explains every piece of that picture.
#
# ## The lessons
#
# | # | lesson | you will learn |
# |---|---|---|
# | 1 | [Tensors and `requires_grad`](01_requires_grad.ipynb) | which tensors are tracked, and why most are not |
# | 2 | [The graph is made of Functions](02_graph_of_functions.ipynb) | what the graph is made of: `grad_fn`, `next_functions`, `AccumulateGrad` |
# | 3 | [`backward()` and the chain rule](03_backward_and_chain_rule.ipynb) | what `backward()` does, step by step |
# | 4 | [Jacobians and vector-Jacobian products](04_jacobians_and_vjp.ipynb) | why `backward` takes a `gradient` argument |
# | 5 | [Gradients accumulate](05_gradients_accumulate.ipynb) | why `.grad` adds up and training loops call `zero_grad()` |
# | 6 | [Controlling the graph](06_controlling_the_graph.ipynb) | `no_grad`, `detach`, in-place operations, hooks |
# | 7 | [Higher-order gradients](07_higher_order_and_functional.ipynb) | gradients of gradients, Hessians, forward mode |
# | 8 | [Write your own op](08_write_your_own_op.ipynb) | a custom `Function`, checked with `gradcheck` |
# | 9 | [Train a tiny network](09_train_a_tiny_network.ipynb) | all of it together: training a small network |
# | 10 | [The engine in 40 lines](10_the_engine_in_40_lines.ipynb) | the backward pass, written by you over the real graph |
#
# A [glossary](glossary.ipynb) lists the terms in English and Chinese.
#
# ## Exercise
#
# Change the bias so that the loss is exactly zero (the model fits the target 4.0). What is
# `b.grad` then? Replace `None` with your answer (a number).

# %%
answer = None  # b.grad when the loss is zero
check("00.zero_loss_grad", answer)

# %% [markdown]
# ## Summary
#
# * Mark the tensors you want gradients for with `requires_grad=True`.
# * Compute as usual; the operations are recorded into a graph.
# * `loss.backward()` fills `.grad` of those tensors.
#
# **Where this lives in the engine:** `autograd_nb/tensor.py` (the `Tensor`), `autograd_nb/function.py`
# (how an operation is recorded: `Function.apply`), `autograd_nb/engine.py` (the backward pass:
# `run_backward`). Lesson 10 has you write that backward pass yourself.
