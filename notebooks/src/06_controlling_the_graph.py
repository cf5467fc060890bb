# %% [markdown]
# # 6 · Controlling the graph
#
# **Goals.** Decide for yourself what autograd records. You will switch recording off and on
# (`no_grad`, `enable_grad`, `set_grad_enabled`), see why every optimizer step runs under `no_grad`,
# take a tensor out of the graph with `detach()` (and learn why `.data` is the risky way to do it),
# freeze parameters with `requires_grad_()`, read the in-place error and its *version counter*, and
# watch or change gradients on their way with hooks.
#
# **Prerequisites.** Lessons 1 (leaves), 3 (saved tensors) and 5 (`zero_grad`).
#
# ## Switching recording off: `no_grad`
#
# Recording costs something: every operation on a tensor that requires grad creates a node, and many
# nodes keep tensors alive for backward. When you only want numbers (evaluating a model, updating
# weights, logging) you can switch recording off for a block of code:

# %%
%xmode minimal
import autograd_nb as torch
from autograd_nb import nn
from autograd_nb.viz import draw
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
z = w * 2
print("inside no_grad: ", y.requires_grad, y.grad_fn)
print("outside:        ", z.requires_grad, z.grad_fn)

# %% [markdown]
# Inside the block the propagation rule of lesson 1 is suspended: `w` still requires grad, but nothing
# computed from it is recorded, so `y` is a plain tensor (a leaf, with no history). Grad mode is one
# global switch, which you can read with `torch.is_grad_enabled()`.
#
# The same object works as a decorator, for a function that should never record:

# %%
@torch.no_grad()
def predict(inputs):
    return (inputs * w).sum()


print("result:", predict(torch.ones(2)))
print("recording outside the function:", torch.is_grad_enabled())

# %% [markdown]
# The result has no `grad_fn`, and the switch is back on once the function returns.
#
# Two relatives: `enable_grad()` switches recording back **on** inside a `no_grad` block, and
# `set_grad_enabled(flag)` sets the switch to a value you compute, which is handy for code shared by
# training (record) and evaluation (don't):

# %%
def forward(inputs, training):
    with torch.set_grad_enabled(training):
        return (inputs * w).sum()


print("training:  ", forward(torch.ones(2), training=True))
print("evaluation:", forward(torch.ones(2), training=False))

# %% [markdown]
# ## Why the optimizer step runs under `no_grad`
#
# Gradient descent changes each weight in place: $w \leftarrow w - \eta\, \partial L/\partial w$. Try it
# with recording on:

# %% tags=["raises-exception"]
loss = (w ** 2).sum()
loss.backward()
w -= 0.1 * w.grad

# %% [markdown]
# PyTorch refuses, for good reason. If this update were recorded, `w` would stop being a leaf: its new
# value would get a `grad_fn` pointing back to its old value, the next backward would run back through
# every update ever made, and the tensor you created would no longer be the leaf that collects `.grad`.
# An update is not part of the model, so it must not be part of the graph. Under `no_grad` it is
# allowed:

# %%
print("version before:", w._version)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, " version after:", w._version)

# %% [markdown]
# `w` is still the same leaf, with new values. (`_version` counts the in-place changes made to a
# tensor; it matters further down.) Every optimizer's `step` does exactly this under `no_grad`; in
# `autograd_nb`, `SGD.step` and `Adam.step` carry the `@no_grad()` decorator.
#
# The tempting alternative, `w = w - 0.1 * w.grad`, is a classic bug: it does not change the leaf, it
# builds a *new* tensor that is the result of a subtraction, so the name `w` now points to a non-leaf
# that will never get a `.grad`:

# %%
w_new = w - 0.1 * w.grad
print(w_new.is_leaf, w_new.grad_fn)

# %% [markdown]
# ## `detach()`: the same numbers, without the history
#
# `t.detach()` returns a tensor that **shares memory** with `t` but stands outside the graph: no
# `grad_fn`, `requires_grad=False`. Whatever you compute from it is, for autograd, computed from a
# constant. Compare $y = x \cdot x$ with $y = x \cdot c$ where $c$ is `x.detach()`; both are $9$ at
# $x = 3$, but the derivative of the second treats $c$ as a fixed number:
#
# $$\frac{d}{dx}(x\cdot x) = 2x = 6, \qquad \frac{\partial}{\partial x}(x\cdot c) = c = 3 .$$

# %%
x = torch.tensor(3.0, requires_grad=True)
c = x.detach()
y_full = x * x
y_cut = x * c
(g_full,) = torch.autograd.grad(y_full, x)
(g_cut,) = torch.autograd.grad(y_cut, x)
print("values:     ", y_full.item(), y_cut.item())
print("derivatives:", g_full.item(), g_cut.item())
assert (g_full.item(), g_cut.item()) == (6.0, 3.0)

# %% [markdown]
# (`torch.autograd.grad` returns the gradients instead of adding them into `.grad`; lesson 7 uses it a
# lot.) The picture shows the cut: `y_full`'s multiplication has two edges into `x` (the ×2), `y_cut`'s
# has one. `c` floats on its own, dashed: it has the values of `x` but no connection to it.

# %%
draw([y_full, y_cut], params={"x": x, "c": c, "y_full": y_full, "y_cut": y_cut})

# %% [markdown]
# You will use `detach()` whenever a value should be treated as a constant: a target computed by the
# model itself, a statistic you log, a tensor you hand to numpy or matplotlib (`t.detach().numpy()`,
# since `t.numpy()` refuses tensors that require grad).
#
# Along with the memory, the detached tensor shares the **version counter**: an in-place change through
# either name counts for both.

# %%
h = x * 2
d = h.detach()
d.add_(1)
print(h, " version of h:", h._version)

# %% [markdown]
# ## `.data`: the old way, and its hazard
#
# Before `detach()` existed (the `Variable` days of lesson 1), the raw values were reached with `.data`.
# It still works and also shares memory, but it hands out a tensor with a **fresh** version counter, so
# autograd cannot see changes made through it. Here is why that matters. `sigmoid` saves its own output
# $s$ for backward, because $\partial s/\partial a = s(1 - s)$:

# %%
a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = a.sigmoid()
s.sum().backward()
correct = a.grad.clone()

a.grad = None
s = a.sigmoid()
s.data.zero_()                 # change the saved output behind autograd's back
print("version of s:", s._version)
s.sum().backward()             # no complaint...
print("correct:", correct)
print("got:    ", a.grad)      # ...and a silently wrong gradient

# %% [markdown]
# The same change made through `detach()` moves the version counter, and backward refuses instead of
# computing nonsense:

# %% tags=["raises-exception"]
s = a.sigmoid()
s.detach().zero_()
print("version of s:", s._version)
s.sum().backward()

# %% [markdown]
# So: use `detach()` to read values out of the graph, and `with torch.no_grad():` plus an in-place
# method (`p.copy_(...)`, `p.mul_(...)`) to change a parameter's values. Avoid `.data` in new code.
#
# ## Freezing parameters: `requires_grad_()`
#
# To keep part of a model fixed (say, a pretrained first layer while you train the rest), switch off
# `requires_grad` on its parameters. By the propagation rule, backward then never even reaches them, and
# since their `.grad` stays `None`, the optimizer skips them. `Module.requires_grad_(False)` does it for
# every parameter of a module:

# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
model[0].requires_grad_(False)                 # freeze the first layer
model(torch.ones(4, 2)).sum().backward()
for name, p in model.named_parameters():
    print(f"{name:9} requires_grad={p.requires_grad!s:5}  grad is None: {p.grad is None}")

# %% [markdown]
# `model[0].requires_grad_(True)` unfreezes it again. Freezing works only on leaves, which parameters
# always are; a computed tensor's flag is a consequence of its inputs (lesson 1).
#
# ## In-place changes to results, and the version counter
#
# Leaves that require grad may not be changed in place while recording, as we saw. Results may, and
# often that is fine:

# %%
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.add_(1)                       # y = 3x + 1, in y's own memory
print(y)
y.sum().backward()
print(x.grad)

# %% [markdown]
# `y.grad_fn` is now the node of the `add_`. The multiplication behind it saved what its derivative
# needs, the factor 3, and `add_` did not touch that: the derivative of $3x$ never looks at `y`. Now
# the same with `exp`:

# %% tags=["raises-exception"]
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
print("version before add_:", y._version)
y.add_(1)
print("version after add_: ", y._version)
y.sum().backward()

# %% [markdown]
# Read the message piece by piece:
#
# * *one of the variables needed for gradient computation*: a tensor some node saved for backward;
# * `[torch.FloatTensor [2]]`: its type and shape;
# * *output 0 of Exp*: the saved tensor is the (first) output of `exp`, i.e. `y` itself. Since
#   $\frac{d}{dx}e^x = e^x$, `ExpBackward0` keeps its own result and multiplies the incoming gradient by
#   it, instead of recomputing the exponential;
# * *is at version 1; expected version 0*: when the node saved `y`, its version was 0; `add_` made it 1.
#
# Every tensor carries such a counter, and every in-place operation increments it. Each saved tensor
# remembers the version it had when it was saved, and backward compares the two before using it. If
# they differ, the numbers backward would multiply by ($e^x + 1$ instead of $e^x$) are not the ones the
# formula needs, and an error is far better than a wrong gradient. You can look at what a node saved:

# %%
y = x.exp()
print(y.grad_fn._saved_result)

# %% [markdown]
# The cure is to not overwrite what was saved: write `y = y + 1` (a new tensor, `y`'s old memory stays
# intact), or `y = y.clone()` before changing it in place.
#
# ## Hooks: looking at gradients on their way
#
# `t.register_hook(fn)` asks backward to call `fn(grad)` when the gradient with respect to `t` has been
# computed. It works on intermediate tensors too, so it is a way to *see* a gradient that would otherwise
# only pass through (lesson 3's `retain_grad` stores it instead):

# %%
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 2
seen = []
handle = h.register_hook(lambda grad: seen.append(grad.clone()))
(h ** 2).sum().backward()
print("dL/dh seen by the hook:", seen[0])
print("dL/dx:                 ", x.grad)
handle.remove()                 # the hook stays until you remove it

# %% [markdown]
# If `fn` returns a tensor, that tensor **replaces** the gradient and flows on in its place. Clipping
# each entry of an intermediate gradient to $[-1, 1]$, for example:

# %%
x.grad = None
h = x * 2
handle = h.register_hook(lambda grad: grad.clamp(-1.0, 1.0))
(h ** 2).sum().backward()
print("dL/dh was [4, -8, 12]; clipped to [1, -1, 1], times dh/dx = 2:", x.grad)
handle.remove()
assert x.grad.tolist() == [2.0, -2.0, 2.0]

# %% [markdown]
# Nodes have hooks as well. `node.register_prehook(fn)` runs before the node, with the gradients of its
# outputs; `node.register_hook(fn)` runs after it, with the gradients it produced for its inputs and the
# ones it received. Both may return replacements. Here we watch `ExpBackward0` at work:

# %%
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = x.exp()
y.grad_fn.register_prehook(lambda grad_outputs: print("ExpBackward0 receives", grad_outputs[0]))
y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: print("ExpBackward0 sends   ", grad_inputs[0]))
(3 * y).sum().backward()

# %% [markdown]
# It receives $\partial L/\partial y = 3$ and sends $3e^x$ towards `x`. Tensor hooks are the everyday
# tool (gradient clipping, debugging); node hooks are what libraries build on.
#
# ## Exercises
#
# **1.** Does `z` require grad?

# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
    with torch.enable_grad():
        z = y * w
answer = None  # True or False
check("06.enable_inside_no_grad", answer)

# %% [markdown]
# **2.** With $x = 2$, what is `x.grad` after the backward below? Work it out treating the detached
# factor as a constant, then print `x.grad` to confirm.

# %%
x = torch.tensor(2.0, requires_grad=True)
y = x * x.detach() * x
y.backward()
answer = None  # the number
check("06.detached_factor", answer)

# %% [markdown]
# **3.** Which of these raise the version-counter error when you call `.sum().backward()` on the
# result? Think about what each first operation saves. Give a set of letters.
#
# * a: `x.exp().add_(1)`
# * b: `(x * 3).add_(1)`
# * c: `x.tanh().mul_(2)`
# * d: `x.sin().mul_(2)`

# %%
answer = None  # e.g. {"a"}
check("06.inplace_errors", answer)

# %% [markdown]
# ## Summary
#
# * `no_grad()` (a block or a decorator) stops recording; `enable_grad()` resumes it;
#   `set_grad_enabled(flag)` sets it from a value. Parameter updates run under `no_grad`, because a
#   recorded in-place change to a leaf is refused.
# * `detach()` gives the same memory without history: a constant for autograd. `.data` does too, but
#   hides in-place changes from the version counter, so wrong gradients can slip through.
# * `requires_grad_(False)` freezes parameters: backward skips them, their `.grad` stays `None`.
# * In-place changes bump `_version`; if a node saved the tensor, backward raises instead of using
#   overwritten values.
# * `register_hook` on a tensor sees (and may replace) its gradient; remove it with `handle.remove()`.
#   Nodes have `register_prehook` and `register_hook`.
#
# **In the engine:** `autograd_nb/grad_mode.py` (the switch, read by `Function.apply` in
# `autograd_nb/function.py`); `detach`, `data`, `requires_grad_`, `register_hook` and `_version` in
# `autograd_nb/tensor.py`; `autograd_nb/ops/inplace.py` (the leaf rule and the version bump);
# `SavedTensor.unpack` in `autograd_nb/saved_tensor.py` (the version check and its message);
# `_tensor_hooks` and the node hooks in `_run_node` in `autograd_nb/engine.py`;
# `autograd_nb/optim/sgd.py` (a `step` under `@no_grad()`).
