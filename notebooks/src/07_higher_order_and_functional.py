# %% [markdown]
# # 7 · Higher-order gradients and the functional API
#
# **Goals.** Differentiate a derivative: get $d^2y/dx^2$ with `create_graph=True` and see the graph the
# backward pass builds. Compute Hessians and Hessian-vector products with
# `torch.autograd.functional`. Meet forward mode, which computes $Ju$ where backward computes
# $v^\top J$, and count what each mode costs.
#
# **Prerequisites.** Lessons 3 (backward), 4 (Jacobians and vector-Jacobian products) and 6 (where
# `torch.autograd.grad` first appeared).
#
# ## Backward is made of operations, too
#
# Each node's backward is ordinary tensor arithmetic: `MulBackward0` multiplies the incoming gradient
# by the other factor, `SinBackward0` by $\cos x$. Normally the engine runs these operations with
# recording switched off: the gradient is a plain tensor. With **`create_graph=True`** it records them,
# so the gradient comes out as a result with a `grad_fn`, a function of $x$ that can be differentiated
# again.
#
# `torch.autograd.grad(outputs, inputs)` is the convenient entry point here: it runs the same backward
# pass as `.backward()` but **returns** the gradients instead of adding them into `.grad` (so no stale
# gradients to clear). For $y = x^3$ at $x = 3$ we expect $3x^2 = 27$, $6x = 18$ and $6$:

# %%
%xmode minimal
import math

import autograd_nb as torch
import autograd_nb.autograd.forward_ad as fwAD
from autograd_nb.autograd.functional import hessian, hvp, jacobian, jvp, vhp
from autograd_nb.viz import chain_rule, draw
from checks import check

x = torch.tensor(3.0, requires_grad=True)
d = x ** 3
for order in (1, 2, 3):
    (d,) = torch.autograd.grad(d, x, create_graph=True)
    print(f"derivative {order}:", d)

# %% [markdown]
# Each derivative carries a `grad_fn`, so the loop can keep going. Without `create_graph` the result is
# a constant as far as autograd knows, and asking for its derivative fails:

# %% tags=["raises-exception"]
y = x ** 3
(dy_dx,) = torch.autograd.grad(y, x)
print(dy_dx)
torch.autograd.grad(dy_dx, x)

# %% [markdown]
# ## Checking against calculus
#
# Take $y = x\sin x$. By the product rule
#
# $$\frac{dy}{dx} = \sin x + x\cos x, \qquad \frac{d^2y}{dx^2} = 2\cos x - x\sin x .$$

# %%
x = torch.tensor(0.5, requires_grad=True)
y = x * x.sin()
(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)
(d2y_dx2,) = torch.autograd.grad(dy_dx, x)

by_hand_1 = math.sin(0.5) + 0.5 * math.cos(0.5)
by_hand_2 = 2 * math.cos(0.5) - 0.5 * math.sin(0.5)
print(f"dy/dx:     engine {dy_dx.item():.6f}   by hand {by_hand_1:.6f}")
print(f"d2y/dx2:   engine {d2y_dx2.item():.6f}   by hand {by_hand_2:.6f}")
assert abs(d2y_dx2.item() - by_hand_2) < 1e-5

# %% [markdown]
# ## The graph of the gradient
#
# First the backward pass of $y$ itself, drawn as in lesson 3 (the gradient on every arrow, the rule in
# every node). Two gradients reach `x`'s `AccumulateGrad`: $\sin x$, which `MulBackward0` sends to its
# first input (its rule for $a$ is "times $b$"), and $x\cos x$, which comes through `SinBackward0`. Their
# sum is $dy/dx$.

# %%
y_again = x * x.sin()
chain_rule(y_again, params={"x": x, "y": y_again})

# %% [markdown]
# With `create_graph=True` each of those multiplications and the final sum are recorded as nodes of
# their own. Here is what it recorded, drawn next to the graph of $y$:

# %%
draw([y, dy_dx], params={"x": x, "y": y, "dy/dx": dy_dx})

# %% [markdown]
# Read `dy/dx` from the top. The backward pass of $y = x \cdot s$ (with $s = \sin x$) computed two
# products and added them:
#
# * `MulBackward0` → `SinBackward0`: the incoming gradient times $s$. The multiplication had saved $s$,
#   and $s$ is a result of the *forward* graph, so the new graph links into the old one: that arrow
#   lands on `y`'s own `SinBackward0`.
# * `MulBackward0` → `MulBackward0`, `CosBackward0`: the incoming gradient times $x$, then
#   `SinBackward0`'s rule, times $\cos x$: that makes a new cosine node.
# * `AddBackward0`: the two paths meet at $x$, so the engine summed them (lesson 3), and recorded the sum.
#
# That is the expression $\sin x + x\cos x$ as a graph, and differentiating it is just another backward
# pass. Since the graph of the gradient holds on to the forward graph, `create_graph=True` also keeps
# the saved tensors (it implies `retain_graph=True`). It costs memory; use it only when you need a
# derivative of a derivative. (With `.backward(create_graph=True)` the graph ends up in `.grad`, and
# PyTorch warns about the reference cycle that makes; `autograd.grad` avoids it.)
#
# ## Hessians
#
# For a scalar function of several variables, the second derivatives form the **Hessian**
# $H_{ij} = \partial^2 f/\partial x_i\partial x_j$: the Jacobian of the gradient. Take
#
# $$f(a, b) = a^2 b + b^3,\qquad \nabla f = \begin{pmatrix} 2ab\\ a^2 + 3b^2\end{pmatrix},\qquad
# H = \begin{pmatrix} 2b & 2a\\ 2a & 6b\end{pmatrix}.$$
#
# At $(a, b) = (1, 2)$ that is $\begin{pmatrix}4 & 2\\ 2 & 12\end{pmatrix}$.
# `torch.autograd.functional.hessian` takes the function and the point:

# %%
def f(v):
    a, b = v[0], v[1]
    return a ** 2 * b + b ** 3


point = torch.tensor([1.0, 2.0])
H = hessian(f, point)
print(H)
assert H.tolist() == [[4.0, 2.0], [2.0, 12.0]]

# %% [markdown]
# Inside, `hessian` does what we did above, organised: one backward pass with `create_graph=True` for
# the gradient, then one backward pass through the graph of the gradient **per entry of the gradient**,
# each giving one row of $H$.
#
# ## Hessian-vector products
#
# With $n$ parameters, $H$ has $n^2$ entries: for a model with a million weights, $10^{12}$ numbers, far
# too many to store. Many methods (Newton-type steps, curvature estimates) only need $Hu$ for some
# vector $u$, and that costs about two backward passes: because $u$ does not depend on $x$,
#
# $$H u = \nabla_x\big(\nabla_x f \cdot u\big),$$
#
# the gradient of one scalar. By hand, with $u = (1, -1)$, $Hu = (4 - 2,\ 2 - 12) = (2, -10)$:

# %%
u = torch.tensor([1.0, -1.0])
x = point.clone().requires_grad_()
(grad_f,) = torch.autograd.grad(f(x), x, create_graph=True)
(Hu,) = torch.autograd.grad((grad_f * u).sum(), x)
print("two grads:", Hu)
print("hvp:      ", hvp(f, point, u))
print("vhp:      ", vhp(f, point, u))

# %% [markdown]
# `hvp` returns $(f(x), Hu)$ and `vhp` returns $(f(x), u^\top H)$. For functions with continuous second
# derivatives $H$ is symmetric, so the two agree; `vhp` is the cheaper one (it is exactly our two
# backward passes).
#
# ## Forward mode: pushing a direction forwards
#
# Everything so far went **backwards**: start from a vector $v$ at the output and get $v^\top J$.
# Forward mode answers the other question: *if the input moves in direction $u$, how fast does the
# output move?* That is $Ju$, the directional derivative. It needs no backward pass at all: each tensor
# carries a second tensor, its **tangent**, and each operation updates the tangent alongside the value,
# with its own derivative rule (for $\sin$: the new tangent is $\cos x$ times the old one).
#
# A tensor with a tangent is a *dual tensor*. They live inside a `dual_level()` block: `make_dual` pairs
# a value with a tangent, and `unpack_dual` separates them again. With $u = 1$ the tangent that comes out
# is $dy/dx$:

# %%
with fwAD.dual_level():
    x = fwAD.make_dual(torch.tensor(0.5), torch.tensor(1.0))
    y = x * x.sin()
    print(y)
    value, tangent = fwAD.unpack_dual(y)
print(f"value {value.item():.6f}, tangent {tangent.item():.6f}, dy/dx by hand {by_hand_1:.6f}")

# %% [markdown]
# One forward pass computed $y$ *and* $dy/dx$, with no graph kept. For a vector input, a one-hot tangent
# $u = e_j$ gives $Je_j$, **column** $j$ of the Jacobian. Lesson 4's function,
# $y_0 = x_0x_1$, $y_1 = x_1^2 + 3x_0x_2$ at $x = (1, 2, 4)$, has
# $J = \begin{pmatrix}2 & 1 & 0\\ 12 & 4 & 3\end{pmatrix}$:

# %%
def g(x):
    return torch.stack([x[0] * x[1], x[1] ** 2 + 3 * x[0] * x[2]])


x0 = torch.tensor([1.0, 2.0, 4.0])
with fwAD.dual_level():
    y = g(fwAD.make_dual(x0, torch.tensor([0.0, 1.0, 0.0])))
    print("J e_1 =", fwAD.unpack_dual(y).tangent)

# %% [markdown]
# The functional API wraps both directions: `jvp(g, x, u)` returns $(g(x), Ju)$, and `jacobian` builds
# the whole matrix column by column with `strategy="forward-mode"` (PyTorch wants `vectorize=True` with
# it, so we pass that too).

# %%
print(jvp(g, x0, torch.tensor([0.0, 1.0, 0.0])))
print(jacobian(g, x0, vectorize=True, strategy="forward-mode"))

# %% [markdown]
# (A detail: PyTorch's `functional.jvp` gets $Ju$ from two *backward* passes, the "double-backward
# trick"; `autograd_nb`'s runs `forward_ad`. The numbers are the same.)
#
# ## What each mode costs
#
# For $f:\mathbb R^n \to \mathbb R^m$ the Jacobian is $m\times n$.
#
# * **Reverse mode** gets one **row** per backward pass: $m$ passes.
# * **Forward mode** gets one **column** per forward pass: $n$ passes.
#
# Let us build whole Jacobians both ways and count the passes, rather than time them. Each helper takes
# one-hot vectors in turn:

# %%
def jacobian_by_rows(f, x):
    """Reverse mode: row i is e_iᵀ J, one backward pass each."""
    x = x.detach().requires_grad_()
    y = f(x).reshape(-1)
    rows = []
    for i in range(y.numel()):
        e_i = torch.zeros(y.numel())
        e_i[i] = 1.0
        (row,) = torch.autograd.grad(y, x, e_i, retain_graph=True)
        rows.append(row)
    return torch.stack(rows), len(rows)


def jacobian_by_columns(f, x):
    """Forward mode: column j is J e_j, one forward pass each."""
    columns = []
    with fwAD.dual_level():
        for j in range(x.numel()):
            e_j = torch.zeros(x.numel())
            e_j[j] = 1.0
            y = f(fwAD.make_dual(x, e_j)).reshape(-1)
            columns.append(fwAD.unpack_dual(y).tangent)
    return torch.stack(columns, dim=1), len(columns)

# %% [markdown]
# Two shapes of function: a loss-like one, $\mathbb R^6 \to \mathbb R$, and a curve,
# $\mathbb R \to \mathbb R^6$.

# %%
def loss_like(x):
    return (x ** 2).sum()


def curve(t):
    return torch.cat([t.sin(), t.cos(), t * t, t.exp(), 2 * t, t ** 3])


cases = [("loss_like", loss_like, torch.linspace(-1.0, 1.0, 6)), ("curve", curve, torch.tensor([0.5]))]
report = []
for name, fn, x in cases:
    J_rev, backward_passes = jacobian_by_rows(fn, x)
    J_fwd, forward_passes = jacobian_by_columns(fn, x)
    assert torch.allclose(J_rev, J_fwd)
    report.append(f"{name:9}  J is {J_rev.shape[0]}×{J_rev.shape[1]}:  reverse mode {backward_passes} pass(es),"
                  f"  forward mode {forward_passes} pass(es)")
print("\n".join(report))

# %% [markdown]
# Same Jacobians, opposite costs. Training a network is the first case taken to the extreme: millions
# of inputs (the weights), one output (the loss). Reverse mode needs **one** backward pass for the whole
# gradient, forward mode would need one pass per weight. That is why deep learning is built on
# backward, and why the source lesson calls autograd a vector-Jacobian product engine. Forward mode wins
# when outputs outnumber inputs, and it needs no stored graph.
#
# ## Exercises
#
# **1.** For $y = x^4$ at $x = 1.5$, what is $d^2y/dx^2$? Compute it by hand, then with two calls of
# `torch.autograd.grad`.

# %%
x = torch.tensor(1.5, requires_grad=True)
answer = None  # the number
check("07.second_derivative", answer)

# %% [markdown]
# **2.** For $f(a, b) = a^2 b$ at $(a, b) = (3, 2)$, what is the mixed second derivative
# $\partial^2 f/\partial a\,\partial b$ (entry `[0][1]` of the Hessian)?

# %%
answer = None  # the number
check("07.mixed_partial", answer)

# %% [markdown]
# **3.** You need the full Jacobian of a function $\mathbb R^{1000} \to \mathbb R^3$. How many passes
# does the cheaper mode take?

# %%
answer = None  # a whole number
check("07.cheaper_passes", answer)

# %% [markdown]
# ## Summary
#
# * Backward is made of tensor operations; `create_graph=True` records them, so a gradient becomes a
#   function you can differentiate again (`torch.autograd.grad` returns it instead of filling `.grad`).
# * The graph of the gradient links into the forward graph through the saved tensors.
# * `functional.hessian` is the Jacobian of the gradient; `hvp`/`vhp` give $Hu$ / $u^\top H$ at the cost
#   of two passes, without ever forming $H$.
# * Forward mode (`forward_ad.dual_level`, `make_dual`, `unpack_dual`) carries a tangent with each value
#   and computes $Ju$; `functional.jvp` and `jacobian(..., strategy="forward-mode")` compute such
#   products for you.
# * A full Jacobian costs $m$ backward passes or $n$ forward ones: reverse mode for many inputs and few
#   outputs (every loss), forward mode for the opposite.
#
# **In the engine:** `run_backward` in `autograd_nb/engine.py` (while nodes run, grad mode is on exactly
# when create_graph=True) and `grad` in the same file; `autograd_nb/autograd/functional.py` (`hessian`,
# `hvp`, `vhp`, `jvp`, `jacobian` and its two strategies); `autograd_nb/autograd/forward_ad.py` (dual
# levels and tangents) and `_push_tangents` in `autograd_nb/function.py`, which runs the `jvp` rule
# written next to each op's `backward` in `autograd_nb/ops/`.
