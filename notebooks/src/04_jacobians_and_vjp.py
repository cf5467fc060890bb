# %% [markdown]
# # 4 · Jacobians and vector-Jacobian products
#
# **Goals.** Understand what `y.backward(v)` computes when `y` is not a scalar, why `v` must have `y`'s
# shape, why a scalar loss may leave it out, and how to read any single derivative
# $\partial y_i/\partial x_j$ out of the engine. Compare the two ways of building a whole Jacobian.
#
# **Prerequisites.** Lesson 3 (backward and the chain rule); matrices.
#
# ## The Jacobian
#
# For a vector function $\vec y = f(\vec x)$ with $\vec x\in\mathbb R^n$ and $\vec y\in\mathbb R^m$, the
# derivative is a matrix, the **Jacobian**:
#
# $$J=\begin{pmatrix}
# \frac{\partial y_0}{\partial x_0} & \cdots & \frac{\partial y_0}{\partial x_{n-1}}\\
# \vdots & \ddots & \vdots\\
# \frac{\partial y_{m-1}}{\partial x_0} & \cdots & \frac{\partial y_{m-1}}{\partial x_{n-1}}
# \end{pmatrix}$$
#
# Row $i$ holds the derivatives of output $y_i$; column $j$ says how all outputs react to input $x_j$.
# We count from 0, as Python indexes tensors: $x_0, \dots, x_{n-1}$ and $y_0, \dots, y_{m-1}$, so
# `J[i][j]` is $\partial y_i/\partial x_j$. Our example, with $n = 3$ inputs and $m = 2$ outputs:
#
# $$y_0 = x_0 x_1,\qquad y_1 = x_1^2 + 3x_0x_2 \qquad\Rightarrow\qquad
# J = \begin{pmatrix} x_1 & x_0 & 0\\ 3x_2 & 2x_1 & 3x_0\end{pmatrix}.$$

# %%
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import heatmap
from checks import check


def f(x):
    return torch.stack([x[0] * x[1], x[1] ** 2 + 3 * x[0] * x[2]])


x0 = [1.0, 2.0, 4.0]
J_by_hand = [[x0[1], x0[0], 0.0], [3 * x0[2], 2 * x0[1], 3 * x0[0]]]
heatmap(J_by_hand)

# %% [markdown]
# Each cell is one $\partial y_i/\partial x_j$ at $x = (1, 2, 4)$: red for positive, blue for
# negative, white for zero ($y_0$ does not depend on $x_2$).
# %% [markdown]
# ## autograd computes $v^\top J$, never $J$ itself
#
# `backward` does not build Jacobians. It is a **vector-Jacobian product engine**: given a vector $v$
# with one entry per output, `y.backward(v)` puts
#
# $$v^\top J = \Big(\sum_i v_i\,\frac{\partial y_i}{\partial x_0},\ \dots,\ \sum_i v_i\,\frac{\partial y_i}{\partial x_{n-1}}\Big)$$
#
# into `x.grad`: each row of $J$ weighted by its entry of $v$, and the rows added up. The `gradient`
# argument of `backward` *is* $v$, so it must have exactly the shape of `y`. Here is $v = (1, 0.5)$,
# beside the rows it weighs, with $v^\top J$ under the line:

# %%
heatmap(J_by_hand, v=[1.0, 0.5])

# %% [markdown]
# The engine gives the same row without ever building $J$:

# %%
x = torch.tensor(x0, requires_grad=True)
y = f(x)
v = torch.tensor([1.0, 0.5])
y.backward(v)
print("v^T J from the engine:", x.grad)
print("v^T J by hand:        ", [v[0].item() * J_by_hand[0][j] + v[1].item() * J_by_hand[1][j] for j in range(3)])

# %% [markdown]
# Why this product? Think of $v$ as $\partial L/\partial y$ for some scalar $L$ computed later from $y$.
# The chain rule then gives exactly
#
# $$J^\top v=\begin{pmatrix}
# \frac{\partial y_0}{\partial x_0} & \cdots & \frac{\partial y_{m-1}}{\partial x_0}\\
# \vdots & \ddots & \vdots\\
# \frac{\partial y_0}{\partial x_{n-1}} & \cdots & \frac{\partial y_{m-1}}{\partial x_{n-1}}
# \end{pmatrix}\begin{pmatrix}\frac{\partial L}{\partial y_0}\\ \vdots\\ \frac{\partial L}{\partial y_{m-1}}\end{pmatrix}
# =\begin{pmatrix}\frac{\partial L}{\partial x_0}\\ \vdots\\ \frac{\partial L}{\partial x_{n-1}}\end{pmatrix}$$
#
# (the same numbers as $v^\top J$, written as a column). Every node of the graph does precisely this
# for its own small Jacobian: the gradient arriving at its output is $v$, and what it sends to its inputs
# is $J^\top v$. Passing these vectors along is the whole backward pass, and it never needs to store a
# full Jacobian (which for a layer with a million inputs and outputs would have $10^{12}$ entries).
#
# ## Scalars may omit $v$
#
# When $y$ is a single number (a loss), $J$ is one row and the natural choice is $v = 1$, which gives the
# gradient itself. So `loss.backward()` is exactly `loss.backward(torch.tensor(1.))`:

# %%
x = torch.tensor(x0, requires_grad=True)
loss = f(x).sum()
loss.backward()
g1 = x.grad.clone()
x.grad = None
loss = f(x).sum()
loss.backward(torch.tensor(1.0))
print(g1, x.grad, sep="\n")

# %% [markdown]
# For a non-scalar output there is no natural $v$, and the engine refuses to guess:

# %% tags=["raises-exception"]
y = f(x)
y.backward()

# %% [markdown]
# (Older PyTorch versions said *"Backward should be called only on a scalar (i.e. 1-element tensor) or
# with gradient w.r.t. the variable"*; the meaning is the same.) And `v` of the wrong shape is refused
# too:

# %% tags=["raises-exception"]
y = f(x)
y.backward(torch.ones(3))

# %% [markdown]
# ## Reading single derivatives: one-hot $v$
#
# Choose $v = e_i$ (1 at position $i$, 0 elsewhere). Then $v^\top J$ is **row $i$ of $J$**: all the
# derivatives $\partial y_i/\partial x_j$. With $v = e_1$ every row but row 1 is weighed by 0:

# %%
heatmap(J_by_hand, v=[0.0, 1.0])

# %% [markdown]
# One backward pass per output row rebuilds the whole Jacobian:

# %%
rows = []
for i in range(2):
    x = torch.tensor(x0, requires_grad=True)
    e_i = torch.zeros(2)
    e_i[i] = 1.0
    f(x).backward(e_i)
    rows.append(x.grad.tolist())
print(rows)
assert rows == J_by_hand

# %% [markdown]
# ## Two ways to build $J$
#
# * **Reverse mode** (what `backward` does): one pass per *output*, each giving a row. $m$ passes.
# * **Forward mode**: push a direction $u$ *forwards* with the values and get $Ju$, a combination of
#   columns. With $u = e_j$ you get column $j$. $n$ passes.
#
# `torch.autograd.functional.jacobian` offers both. For a loss (many inputs, one output) reverse mode
# wins by far: one pass gives the whole gradient. For a function with few inputs and many outputs,
# forward mode is cheaper.

# %%
from autograd_nb.autograd.functional import jacobian

x = torch.tensor(x0)
print(jacobian(f, x))
print(jacobian(f, x, vectorize=True, strategy="forward-mode"))  # PyTorch needs vectorize=True here

# %% [markdown]
# ## Try it: the Jacobian explorer
#
# Pick a function, look at its Jacobian, and choose $v$ with the one-hot buttons or the sliders. The
# explorer computes $v^\top J$ from the matrix and with `y.backward(v)`, and shows they agree. "Both
# ways" builds $J$ from $m$ VJPs and from $n$ JVPs and counts the passes. (Without a kernel you see its
# opening state.)

# %%
from autograd_nb.widgets import jacobian_explorer

jacobian_explorer()

# %% [markdown]
# ## Exercises
#
# **1.** With the same `f` at `x0`, use a one-hot `v` and one `backward` call to find
# $\partial y_1/\partial x_2$ (zero-based indices).

# %%
x = torch.tensor(x0, requires_grad=True)
answer = None  # the number
check("04.jacobian_entry", answer)

# %% [markdown]
# **2.** `y` has shape `(2, 3)`. What shape must `v` have in `y.backward(v)`? (A tuple.)

# %%
answer = None  # e.g. (3,)
check("04.v_shape", answer)

# %% [markdown]
# ## Summary
#
# * autograd is a **vector-Jacobian product engine**: `y.backward(v)` computes $v^\top J$ (equivalently
#   $J^\top v$) without ever forming $J$.
# * `v` (the `gradient` argument) must have `y`'s shape; a scalar may omit it, meaning $v = 1$; a
#   non-scalar without it is an error.
# * A one-hot `v` reads out one row of $J$, i.e. any $\partial y_i/\partial x_j$.
# * Reverse mode costs one pass per output, forward mode one per input.
#
# **In the engine:** `_make_grads` in `autograd_nb/engine.py` (the implicit $v = 1$ and the shape check);
# each op's `backward` in `autograd_nb/ops/` is its own $J^\top v$; `autograd_nb/autograd/functional.py`
# builds Jacobians both ways; `autograd_nb/autograd/forward_ad.py` is forward mode.
