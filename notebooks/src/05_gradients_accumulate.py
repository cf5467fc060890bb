# %% [markdown]
# # 5 · Gradients accumulate
#
# **Goals.** See that `backward()` *adds* into `.grad` instead of overwriting it, understand why PyTorch
# chose this, clear gradients correctly (`zero_()`, `zero_grad()`, `set_to_none`), and use accumulation
# on purpose to train with batches larger than memory allows.
#
# **Prerequisites.** Lesson 3.
#
# ## `backward()` adds
#
# `backward()` returns nothing: its results land in `.grad` of the leaves. If `.grad` already holds a
# tensor, the new gradient is **added** to it.

# %%
import autograd_nb as torch
from autograd_nb.viz import chain_rule, chart
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(3):
    loss = (w * w).sum()          # d loss / dw = 2w = [2, 4]
    loss.backward()
    print(f"after backward #{step + 1}: w.grad = {w.grad}")

# %% [markdown]
# Five calls, drawn: `w.grad[0]` after each `backward()`, left alone, and cleared before each call.

# %%
kept, cleared = [], []
w = torch.tensor([1.0, 2.0], requires_grad=True)
for call in range(5):
    (w * w).sum().backward()
    kept.append(w.grad[0].item())
v = torch.tensor([1.0, 2.0], requires_grad=True)
for call in range(5):
    v.grad = None                 # what zero_grad() does
    (v * v).sum().backward()
    cleared.append(v.grad[0].item())
chart({"never cleared": kept, "cleared before each call": cleared}, x_label="backward() call",
      y_label="w.grad[0]")

# %% [markdown]
# ## Why add instead of overwrite?
#
# Because a tensor may receive gradient from several places, and adding is the one rule that is right for
# all of them:
#
# * **Several uses inside one graph.** If `w` feeds two branches, its gradient is the sum of what each
#   branch sends (the chain rule, lesson 3). Inside one backward the engine sums in its buffers.
# * **Several outputs, several backward calls.** A model with two losses can call `loss1.backward()` and
#   then `loss2.backward()`; the parameters end up with the gradient of `loss1 + loss2`, as if you had
#   added the losses first.
#
# With accumulation `backward` never needs to know whether something was computed before: it just adds.
# The price is that **you** decide when to start afresh.

# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss1 = (w * w).sum()
loss2 = (3 * w).sum()
loss1.backward()
print("after loss1.backward():", w.grad)

# %% [markdown]
# Here is what `loss2.backward()` is about to do, drawn as in lesson 3: the gradient $[3, 3]$ travels
# down to `w`'s `AccumulateGrad`, which **adds** it to the `.grad` that `loss1` left there.

# %%
chain_rule(loss2, params={"w": w, "loss2": loss2}, keep_grads=True)

# %%
loss2.backward()
g_separate = w.grad.clone()

w.grad = None
((w * w).sum() + (3 * w).sum()).backward()   # one backward of the summed loss
print(g_separate, w.grad)

# %% [markdown]
# ## Clearing gradients
#
# That is why every training loop clears the gradients before each backward pass. There are two ways:

# %%
w.grad.zero_()          # fill the existing tensor with zeros, in place
print(w.grad)
w.grad = None           # or drop it: the next backward creates a fresh one
print(w.grad)

# %% [markdown]
# Optimizers and modules wrap this as `zero_grad()`. Since PyTorch 2.0 its default is
# `set_to_none=True`: setting `.grad` to `None` is cheaper than writing zeros, and it lets the optimizer
# tell "no gradient" apart from "a gradient of zero".

# %%
from autograd_nb import nn, optim

model = nn.Linear(2, 1)
opt = optim.SGD(model.parameters(), lr=0.1)
model(torch.ones(1, 2)).sum().backward()
print("before:", [p.grad is not None for p in model.parameters()])
opt.zero_grad()
print("after zero_grad():", [p.grad for p in model.parameters()])

# %% [markdown]
# Forgetting `zero_grad()` is a classic bug: each step then uses the sum of all gradients so far. Here is
# a tiny fit of $w$ to minimise $(w - 3)^2$, with and without clearing:

# %%
def fit(clear, steps=6):
    w = torch.tensor(0.0, requires_grad=True)
    history = []
    for _ in range(steps):
        if clear:
            w.grad = None
        loss = (w - 3) ** 2
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        history.append(round(w.item(), 3))
    return history


print("with zero_grad:   ", fit(clear=True))
print("without zero_grad:", fit(clear=False))
chart({"with zero_grad": fit(clear=True), "without zero_grad": fit(clear=False), "target": [3.0] * 6},
      x_label="step", y_label="w")

# %% [markdown]
# With clearing, $w$ walks steadily towards 3. Without it, the stale gradients keep pushing: $w$
# overshoots, because each step adds up every earlier gradient.
#
# ## Accumulation on purpose: bigger batches than fit in memory
#
# Sometimes you want the gradient of a large batch but can only afford to run a small one at a time.
# Split the batch into micro-batches, call `backward()` on each (scaled so the pieces add up to the
# mean over the whole batch), and step once. The gradients accumulate into exactly the full-batch
# gradient:

# %%
torch.manual_seed(0)
X = torch.randn(8, 3)
Y = torch.randn(8, 1)
lin = nn.Linear(3, 1)

lin.zero_grad()
nn.functional.mse_loss(lin(X), Y).backward()
full = lin.weight.grad.clone()

lin.zero_grad()
for chunk in range(4):                       # 4 micro-batches of 2
    xb, yb = X[2 * chunk: 2 * chunk + 2], Y[2 * chunk: 2 * chunk + 2]
    (nn.functional.mse_loss(lin(xb), yb) / 4).backward()
print(full)
print(lin.weight.grad)
assert torch.allclose(full, lin.weight.grad, atol=1e-6)

# %% [markdown]
# ## Try it: the accumulation explorer
#
# Press `backward(retain_graph=True)` a few times and watch `.grad` grow; press `backward()` and then
# again to meet the error of a freed graph; clear with `zero_()` or `zero_grad()`. (Without a kernel
# you see its opening state.)

# %%
from autograd_nb.widgets import accumulation_explorer

accumulation_explorer()

# %% [markdown]
# ## Exercise
#
# Predict `w.grad` at the end of this program before you run it (a list of two numbers), then paste it
# into a cell to confirm:
#
# ```python
# w = torch.tensor([1.0, 2.0], requires_grad=True)
# (w * w).sum().backward()
# (w * w).sum().backward()
# w.grad.zero_()
# (3 * w).sum().backward()
# (w * w).sum().backward(retain_graph=True)
# ```

# %%
answer = None  # e.g. [1.0, 1.0]
check("05.after_zero", answer)

# %% [markdown]
# ## Summary
#
# * `backward()` adds into `.grad`; it does not overwrite.
# * This makes several uses, several losses and several backward calls all come out right.
# * Clear gradients before each step: `zero_grad()` (which sets `.grad` to `None` by default) or
#   `.grad.zero_()`.
# * Accumulating over micro-batches gives the full-batch gradient with a fraction of the memory.
#
# **In the engine:** `AccumulateGrad.apply` in `autograd_nb/function.py` (the `+=`, shown below);
# `Optimizer.zero_grad` in `autograd_nb/optim/optimizer.py`; `Module.zero_grad` in `autograd_nb/nn/`.

# %%
torch.show_source(torch.function.AccumulateGrad.apply)
