# %% [markdown]
# # 8 · Write your own op
#
# **Goals.** Define a new differentiable operation as a subclass of `torch.autograd.Function`, with a
# `forward` and a `backward` you write yourself. Use `ctx.save_for_backward`, `ctx.saved_tensors` and
# `ctx.needs_input_grad`, call it with `.apply`, find its node in the graph, and check the backward with
# `gradcheck`, which passes for a correct formula and shows you the difference for a wrong one.
#
# **Prerequisites.** Lessons 2 (nodes), 3 (the chain rule at each node) and 4 (each node computes a
# vector-Jacobian product).
#
# ## When composing built-in operations is not enough
#
# Autograd differentiates whatever formula you write from its operations. Usually that is all you need.
# Sometimes the formula is fine for the values and poor for the gradient. Take **softplus**, a smooth
# version of ReLU:
#
# $$\operatorname{softplus}(x) = \log(1 + e^x), \qquad \frac{d}{dx}\operatorname{softplus}(x) =
# \frac{e^x}{1 + e^x} = \sigma(x)\ \text{(the sigmoid)}.$$
#
# Written literally it breaks for large $x$: in float32, $e^x$ overflows to `inf` above $x \approx 88.7$,
# so $\log(1 + e^{100})$ comes out as `inf` instead of $100$, and its gradient as $\infty/\infty =$ `nan`.
# The usual cure is an equivalent form in which the exponential never sees a positive number:
#
# $$\operatorname{softplus}(x) = \max(x, 0) + \log\big(1 + e^{-|x|}\big).$$
#
# Built from `clamp`, `abs`, `exp` and `log`, the values are right everywhere. The gradient is not:

# %%
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import draw, heatmap, side_by_side
from checks import check

x = torch.tensor([-2.0, 0.0, 2.0, 100.0], requires_grad=True)
y = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
y.sum().backward()
print("softplus(x):", y)
print("autograd:   ", x.grad)
print("sigmoid(x): ", x.detach().sigmoid())

# %% [markdown]
# At $x = 0$ autograd says $1$, the true derivative is $\sigma(0) = 0.5$. Autograd differentiated the
# formula, kinks included: at exactly $0$, `clamp` lets the gradient through (slope 1) and `abs` has
# slope $\operatorname{sign}(0) = 0$, so the log term contributes nothing. Mathematically the two kinks
# cancel; their one-sided slopes do not. The composed version also records seven nodes (and keeps their
# saved tensors) where one would do.
#
# When you know the derivative better than the formula does, write the operation yourself.
#
# ## A Function: forward and backward side by side

# %%
class Softplus(torch.autograd.Function):
    """y = log(1 + eˣ), computed without overflow      dy/dx = sigmoid(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (1 + (-x.abs()).exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.sigmoid()

# %% [markdown]
# Four things to notice:
#
# * Both methods are `@staticmethod`s whose first argument is `ctx`, the *context*. It is the graph node
#   itself: the object that will sit in `y.grad_fn`. Whatever `forward` puts on it is there when
#   `backward` runs.
# * `ctx.save_for_backward(x)` keeps the tensors backward will need, and `ctx.saved_tensors` hands them
#   back. Going through these two (rather than `ctx.x = x`) lets autograd free them after backward and
#   check their version counters (lesson 6). Non-tensor values (numbers, flags) can simply be stored as
#   attributes, `ctx.beta = beta`.
# * `forward` runs with recording switched off: the `clamp`, `abs`, `exp` and `log` inside it leave no
#   nodes. The only node is ours.
# * `backward` receives $\partial L/\partial y$ (one tensor per output of `forward`) and returns
#   $\partial L/\partial x$ (one per input). It is the vector-Jacobian product of lesson 4; for an
#   elementwise function the Jacobian is diagonal, so it is a plain elementwise product.
#
# You call it with `.apply` (never by instantiating the class):

# %%
x = torch.tensor([-2.0, 0.0, 2.0, 100.0], requires_grad=True)
y = Softplus.apply(x)
print(y)
y.sum().backward()
print(x.grad)
assert torch.allclose(x.grad, x.detach().sigmoid())

# %% [markdown]
# Now the gradient at $0$ is $0.5$. The result's `grad_fn` is a node named after the class, with
# `Backward` appended: `SoftplusBackward`. (Built-in nodes carry a number because PyTorch numbers the
# variants of an operation, like `SumBackward0` and `SumBackward1` in lesson 2; custom nodes do not.)
# Its edges lead to `x` as for any other node:

# %%
print(type(y.grad_fn).__name__)
print(y.grad_fn.next_functions)

# %% [markdown]
# Side by side, the graph of the composed formula and the graph of our Function, for the same `x`: seven
# recorded nodes against one. The custom node sits in the graph like any built-in one, with its edge to
# `x`'s `AccumulateGrad`.

# %%
composed = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
custom = Softplus.apply(x)
side_by_side([draw(composed, params={"x": x, "composed": composed}),
              draw(custom, params={"x": x, "custom": custom})],
             ["built from operations", "one custom Function"])

# %% [markdown]
# ## Several inputs: `ctx.needs_input_grad`
#
# `backward` must return one gradient per argument of `forward`. For an input that needs no gradient
# (data, a constant, or a non-tensor argument) return `None`. `ctx.needs_input_grad` is a tuple of
# booleans, one per argument, saying which gradients will actually be used, so backward can skip the
# others. Here is multiplication, written as a Function:

# %%
class MyMul(torch.autograd.Function):
    """z = x · y      ∂z/∂x = y, ∂z/∂y = x"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        print("needs_input_grad:", ctx.needs_input_grad)
        grad_x = grad_output * y if ctx.needs_input_grad[0] else None
        grad_y = grad_output * x if ctx.needs_input_grad[1] else None
        return grad_x, grad_y


weight = torch.tensor([0.5, -1.0], requires_grad=True)
data = torch.tensor([3.0, 4.0])
MyMul.apply(weight, data).sum().backward()
print("weight.grad:", weight.grad)

# %% [markdown]
# Only `weight` wants a gradient, so backward computed only `grad_x`. This is not a toy: every built-in
# operation of `autograd_nb` is a Function of exactly this shape. Open `autograd_nb/ops/arithmetic.py` and
# find `class Mul`. Its `backward` is the one above plus `unbroadcast`, which sums the gradient back to
# the input's shape when the multiplication broadcast it. PyTorch's built-in operations are written in
# C++, but each has the same two halves: a forward kernel and a derivative formula.
#
# ## Checking a backward: `gradcheck`
#
# A backward formula is easy to get wrong and hard to test by eye. `torch.autograd.gradcheck` compares it
# with finite differences. It builds the Jacobian twice:
#
# * **numerically**, one column per input element $k$, from the function alone:
#   $\;J_{:,k} \approx \dfrac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon}$;
# * **analytically**, one row per output element, from backward with one-hot vectors (lesson 4);
#
# and checks that they agree within a tolerance. Use **float64** inputs: with $\varepsilon = 10^{-6}$,
# float32's rounding errors (relative size about $10^{-7}$), divided by $2\varepsilon$, would be far
# larger than the tolerance.

# %%
torch.manual_seed(0)
x = torch.randn(6, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Softplus.apply, (x,)))

# %% [markdown]
# `True`: the formula matches the function. Now a plausible mistake: we remember "softplus has something
# to do with the sigmoid" and write the derivative *of the sigmoid*, $\sigma(x)(1 - \sigma(x))$:

# %%
class SoftplusWrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (1 + (-x.abs()).exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad_output * s * (1 - s)        # the sigmoid's derivative: wrong here

# %% tags=["raises-exception"]
x = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
torch.autograd.gradcheck(SoftplusWrong.apply, (x,))

# %% [markdown]
# The message names the output and input that disagree and prints both Jacobians (PyTorch prints them
# transposed, one row per input element; for an elementwise function they are diagonal either way). The
# numerical diagonal is $\sigma(-1), \sigma(0), \sigma(2) = 0.2689, 0.5, 0.8808$, as it should be; the
# analytical one is what our backward claimed. With `raise_exception=False`, gradcheck returns `False`
# instead, which is handy in tests.
#
# Here are the two Jacobians as gradcheck builds them, side by side: the numerical one column by column
# from nudged inputs, the analytical one from our `backward` (`functional.jacobian` runs it once per
# row, with one-hot vectors as in lesson 4), coloured on one scale.

# %%
eps = 1e-6
columns = []
with torch.no_grad():
    for k in range(3):  # column k: how every output moves when input k is nudged both ways
        nudge = torch.zeros(3, dtype=torch.float64)
        nudge[k] = eps
        columns.append(((SoftplusWrong.apply(x + nudge) - SoftplusWrong.apply(x - nudge)) / (2 * eps)).tolist())
numerical = torch.tensor(columns).T.tolist()
analytical = torch.autograd.functional.jacobian(SoftplusWrong.apply, x).tolist()
side_by_side([heatmap(numerical, title="numerical: from f alone", limit=1.0),
              heatmap(analytical, title="analytical: from our backward", limit=1.0)])

# %% [markdown]
# The diagonals differ: $\sigma(x)$ on the left, $\sigma(x)(1 - \sigma(x))$ on the right.
#
# ## A different gradient on purpose: straight-through
#
# Sometimes you want backward to differ from the true derivative. A network with binary weights
# computes with $\operatorname{sign}(w)$, whose derivative is $0$ almost everywhere: nothing would ever
# learn. The **straight-through estimator** keeps `sign` in the forward pass and, in backward, pretends
# the operation was the identity, at least where $|w| \le 1$:

# %%
class BinarizeSTE(torch.autograd.Function):
    """y = sign(x); backward passes the gradient straight through where |x| ≤ 1"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


w = torch.tensor([-1.5, -0.3, 0.0, 0.4, 2.0], requires_grad=True)
y = BinarizeSTE.apply(w)
print(y)
(y * torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
print(w.grad)

# %% [markdown]
# With plain `w.sign()` every entry of `w.grad` would be $0$. gradcheck would reject this backward, and
# rightly so: it is not the derivative. It is a design decision, which only a custom Function can
# express.
#
# ## Forward mode for your op
#
# `forward_ad` (lesson 7) needs to know how a tangent passes through each operation. A custom Function
# supplies it with one more static method, `jvp`, which receives the tangent of each input and returns
# $J\cdot$tangent. For softplus that is the tangent times $\sigma(x)$. Forward must then also call
# `ctx.save_for_forward(x)`, the forward-mode twin of `save_for_backward`:

# %%
from autograd_nb.autograd import forward_ad


class SoftplusFM(Softplus):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_forward(x)
        return Softplus.forward(ctx, x)

    @staticmethod
    def jvp(ctx, x_tangent):
        (x,) = ctx.saved_tensors
        return x_tangent * x.sigmoid()


with forward_ad.dual_level():
    dual = forward_ad.make_dual(torch.tensor([-1.0, 0.0, 2.0]), torch.ones(3))
    value, tangent = forward_ad.unpack_dual(SoftplusFM.apply(dual))
print(tangent)
assert torch.allclose(tangent, torch.tensor([-1.0, 0.0, 2.0]).sigmoid())

# %% [markdown]
# Every built-in operation in `autograd_nb/ops/` has such a `jvp` right below its `backward`: the two
# directions of the same derivative, side by side.
#
# ## Exercises
#
# **1.** What is `type(y.grad_fn).__name__` for the result of the Function below?

# %%
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x ** 2


answer = None  # a string
check("08.node_name", answer)

# %% [markdown]
# **2.** You call `MyMul.apply(a, b)` where only `b` requires grad. What does backward see in
# `ctx.needs_input_grad`? (A tuple.)

# %%
answer = None  # e.g. (True, True)
check("08.needs_input_grad", answer)

# %% [markdown]
# **3.** With `BinarizeSTE` as above, `w = [0.5, -3.0, 1.0]` and `loss = (BinarizeSTE.apply(w) * 2).sum()`,
# what is `w.grad` after `loss.backward()`? (A list of three numbers.)

# %%
answer = None  # e.g. [1.0, 1.0, 1.0]
check("08.ste_grad", answer)

# %% [markdown]
# ## Summary
#
# * A custom operation subclasses `torch.autograd.Function` with static `forward(ctx, ...)` and
#   `backward(ctx, grad_output)`; call it as `MyOp.apply(...)`. Its node is `MyOpBackward`.
# * `ctx` is the node. Save tensors with `ctx.save_for_backward` and read them from `ctx.saved_tensors`;
#   store anything else as an attribute. `forward` itself is not recorded.
# * `backward` returns one gradient per input (a vector-Jacobian product), `None` where
#   `ctx.needs_input_grad` says none is needed.
# * `torch.autograd.gradcheck` (with float64 inputs) compares your backward with finite differences and
#   prints both Jacobians when they disagree.
# * A custom backward can also be a deliberate choice (straight-through), and a `jvp` adds forward mode.
#
# **In the engine:** `Function`, `Function.apply`, `FunctionCtx` (what the ctx offers:
# `save_for_backward`, `saved_tensors`, `needs_input_grad`) and `BackwardNode` (the node, which is the
# ctx too) in `autograd_nb/function.py`; the node
# class named `<ClassName>Backward` is made in `Function.__init_subclass__`; built-in operations such as
# `Mul` in `autograd_nb/ops/arithmetic.py`; `autograd_nb/autograd/gradcheck.py` (the two Jacobians and the
# mismatch message).
