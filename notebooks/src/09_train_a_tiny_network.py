# %% [markdown]
# # 9 · Train a tiny network
#
# **Goals.** Use everything from the earlier lessons at once: build a small classifier from `nn`
# modules, train it with the loop every PyTorch program contains (`zero_grad`, `backward`, `step`), and
# explain each line of that loop in terms of the graph. Plot the loss and the decision boundary, and
# check that PyTorch, started from the same weights, produces the same losses.
#
# **Prerequisites.** Lessons 3 (backward), 5 (accumulation and `zero_grad`) and 6 (`no_grad`).
#
# ## The data: two interleaving moons
#
# Two classes of points in the plane, each shaped like a half circle, hooked into each other so that no
# straight line separates them. We make them with numpy from a seeded generator, so every run sees the
# same 200 points.

# %%
import matplotlib.pyplot as plt
import numpy as np

import autograd_nb as torch
from autograd_nb import nn, optim
from autograd_nb.viz import draw
from checks import check


def make_moons(n, noise, seed):
    """n points on two interleaving half circles, with Gaussian noise; labels 0 and 1."""
    rng = np.random.default_rng(seed)
    angles = rng.uniform(0.0, np.pi, n)
    labels = rng.integers(0, 2, n)
    upper = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    lower = np.stack([1.0 - np.cos(angles), 0.5 - np.sin(angles)], axis=1)
    points = np.where(labels[:, None] == 0, upper, lower) + rng.normal(0.0, noise, (n, 2))
    return points.astype(np.float32), labels


X_np, y_np = make_moons(200, noise=0.15, seed=0)
X = torch.tensor(X_np)          # inputs: float32, shape (200, 2)
y = torch.tensor(y_np)          # targets: class indices, int64, shape (200,)
print(X.shape, X.dtype, y.shape, y.dtype, " points per class:", np.bincount(y_np).tolist())

# %%
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap="coolwarm", edgecolors="k", linewidths=0.5, s=25)
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("two moons: class 0 (blue), class 1 (red)")
plt.show()

# %% [markdown]
# Neither input needs a gradient: data are constants. Only the model's weights will be learned.
#
# ## The model
#
# A linear layer from 2 inputs to 16 hidden units, a `tanh`, and a linear layer from 16 units to 2
# outputs: one **score** (a *logit*) per class. The larger score is the prediction.
#
# $$\text{scores} = W_2 \tanh(W_1 x + b_1) + b_2$$

# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
print(model)
for name, p in model.named_parameters():
    print(f"{name:9} {str(tuple(p.shape)):8} requires_grad={p.requires_grad}  is_leaf={p.is_leaf}")
print("numbers to learn:", sum(p.numel() for p in model.parameters()))

# %% [markdown]
# The weights are `Parameter`s: leaf tensors that require grad (lesson 1), created with random values
# (hence the seed). They are exactly what `backward` fills `.grad` for and what the optimizer changes.
#
# ## The loss
#
# `nn.CrossEntropyLoss` turns the two scores of each point into probabilities with a softmax and takes
# $-\log(\text{probability of the true class})$, averaged over the points. A model that always gives
# both classes the same score has loss $\log 2 \approx 0.693$; a perfect one approaches $0$.

# %%
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(model(X), y)
print(loss)
draw(loss, params={**dict(model.named_parameters()), "loss": loss})

# %% [markdown]
# One forward pass recorded this graph. Read it from the top: the loss (`NllLossBackward0` after a
# `LogSoftmaxBackward0`, which together make the cross-entropy), then the second layer (`AddmmBackward0`:
# a matrix product plus the bias, with `TBackward0` for the transposed weight), the `tanh`, and the first
# layer. The four parameters are the leaves; `X` and `y` do not appear, since nothing has to flow into
# them.
#
# Before training, we keep a copy of the starting weights, to give PyTorch the same start later.
# `state_dict()` returns the parameters by name, *sharing* their memory (training would change the copy
# too), so we clone each one:

# %%
start = {name: t.clone() for name, t in model.state_dict().items()}
list(start)

# %% [markdown]
# ## The training loop
#
# Plain gradient descent on all 200 points at once, 300 steps:

# %%
optimizer = optim.SGD(model.parameters(), lr=1.0)
losses = []
for step in range(300):
    optimizer.zero_grad()               # 1
    loss = loss_fn(model(X), y)         # 2
    loss.backward()                     # 3
    optimizer.step()                    # 4
    losses.append(loss.item())          # 5
print(f"loss: first step {losses[0]:.4f}, last step {losses[-1]:.4f}")

# %% [markdown]
# Five lines, each one a lesson:
#
# 1. **`optimizer.zero_grad()`** sets every parameter's `.grad` to `None`. `backward` *adds* into `.grad`
#    (lesson 5); without this line each step would use the sum of all gradients so far.
# 2. **`loss = loss_fn(model(X), y)`** runs the forward pass. Since the parameters require grad, every
#    operation is recorded: a fresh graph, the one drawn above, is built on every step (lesson 2).
# 3. **`loss.backward()`** walks that graph from the loss to the leaves, applying the chain rule at every
#    node (lesson 3), and leaves $\partial\,\text{loss}/\partial p$ in `p.grad` for all 82 numbers. The
#    loss is a scalar, so no `gradient` argument is needed (lesson 4). The graph's saved tensors are
#    freed.
# 4. **`optimizer.step()`** updates every parameter in place, $p \leftarrow p - \text{lr}\cdot
#    p.\text{grad}$. It runs under `no_grad` (lesson 6): the update must not be recorded, and the
#    parameters stay leaves.
# 5. **`losses.append(loss.item())`** stores a Python float. Appending `loss` itself would keep every
#    step's tensor, and with it a reference to that step's graph.
#
# Another optimizer changes only line 4's rule, not the loop: `optim.Adam(model.parameters(), lr=0.05)`
# adapts a step size for each weight and would work here as well.

# %%
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(losses)
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy loss")
ax.set_yscale("log")
ax.set_title("training loss")
plt.show()

# %% [markdown]
# The loss drops fast, lingers on a plateau (the network first separates the moons roughly, with a
# nearly straight boundary), then falls again as the boundary bends around the tips of the moons.
#
# ## What the network learned
#
# To see the decision boundary, evaluate the model on a grid of points covering the plane and colour each
# point by the predicted probability of class 1. This is evaluation, not training, so it runs under
# `no_grad`: 40,000 forward computations, no graph.

# %%
xs = np.linspace(X_np[:, 0].min() - 0.5, X_np[:, 0].max() + 0.5, 200, dtype=np.float32)
ys = np.linspace(X_np[:, 1].min() - 0.5, X_np[:, 1].max() + 0.5, 200, dtype=np.float32)
grid_x, grid_y = np.meshgrid(xs, ys)
grid = torch.tensor(np.stack([grid_x.ravel(), grid_y.ravel()], axis=1))
with torch.no_grad():
    prob_1 = model(grid).softmax(dim=1)[:, 1].numpy().reshape(grid_x.shape)

fig, ax = plt.subplots(figsize=(5.5, 3.8))
ax.contourf(grid_x, grid_y, prob_1, levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.6)
ax.contour(grid_x, grid_y, prob_1, levels=[0.5], colors="k", linewidths=1.5)
ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap="coolwarm", edgecolors="k", linewidths=0.5, s=25)
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("probability of class 1; black line: the decision boundary")
plt.show()

# %% [markdown]
# The black line, where both classes are equally likely, curls between the two moons: with one hidden
# layer of 16 `tanh` units the network has bent a straight line into that shape. How many training
# points does it classify correctly?

# %%
with torch.no_grad():
    predictions = model(X).argmax(dim=1)
accuracy = (predictions == y).float().mean().item()
print(f"training accuracy: {accuracy:.1%}")
assert accuracy > 0.95

# %% [markdown]
# (Accuracy on the points it trained on is an optimistic measure; a real project would keep some points
# aside to test on. Here we only want to see that the gradients did their job.)
#
# ## The same loop in PyTorch
#
# The code above is PyTorch code. If PyTorch is installed, the cell below builds the same network in
# PyTorch, loads our starting weights into it with `load_state_dict`, runs the same loop, and compares
# the losses step by step. (Its random numbers differ from ours, which is why we copy the weights
# instead of reusing the seed.)

# %% tags=["nbval-ignore-output"]
try:
    import torch as real_torch
except ImportError:
    print("PyTorch is not installed here; `pip install torch==2.13.0` to compare.")
else:
    real_torch.set_num_threads(1)       # for a network this small, threads cost more than they save
    real_model = real_torch.nn.Sequential(
        real_torch.nn.Linear(2, 16), real_torch.nn.Tanh(), real_torch.nn.Linear(16, 2))
    real_model.load_state_dict({name: real_torch.tensor(t.numpy()) for name, t in start.items()})
    real_X, real_y = real_torch.tensor(X_np), real_torch.tensor(y_np)
    real_loss_fn = real_torch.nn.CrossEntropyLoss()
    real_optimizer = real_torch.optim.SGD(real_model.parameters(), lr=1.0)
    real_losses = []
    for step in range(300):
        real_optimizer.zero_grad()
        loss = real_loss_fn(real_model(real_X), real_y)
        loss.backward()
        real_optimizer.step()
        real_losses.append(loss.item())

    print(" step   autograd_nb   PyTorch")
    for step in (0, 1, 10, 100, 299):
        print(f"{step:5d}   {losses[step]:.6f}      {real_losses[step]:.6f}")
    largest = max(abs(a - b) for a, b in zip(losses, real_losses))
    print(f"largest difference over 300 steps: {largest:.1e}")
    assert largest < 1e-4

# %% [markdown]
# The two columns agree to float32 rounding: the same graph, the same gradients, the same updates. What
# you learned about autograd from this small engine is what PyTorch does.
#
# ## Exercises
#
# **1.** A classifier for **three** classes gives all three the same score for every point. Predict its
# `CrossEntropyLoss` (four decimals are enough), then check with `loss_fn(torch.zeros(4, 3),
# torch.tensor([0, 1, 2, 0]))`.

# %%
answer = None  # a number
check("09.equal_scores_three", answer)

# %% [markdown]
# **2.** How many numbers does the optimizer learn in
# `nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2))`? Count by hand
# (weights and biases), then check with `sum(p.numel() for p in ....parameters())`.

# %%
answer = None  # a whole number
check("09.param_count", answer)

# %% [markdown]
# **3.** Someone deletes `optimizer.zero_grad()` from the loop. At step $k$, what does `p.grad` hold when
# `optimizer.step()` runs? Answer with a letter:
#
# * a: the gradient of the loss at step $k$
# * b: the sum of the gradients of steps $0, 1, \dots, k$
# * c: zeros

# %%
answer = None  # "a", "b" or "c"
check("09.no_zero_grad", answer)

# %% [markdown]
# ## Summary
#
# * A model is a function with parameters; `nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))`
#   has 82 of them, all leaves that require grad.
# * The training loop is `zero_grad()` (gradients accumulate), forward (records a fresh graph),
#   `backward()` (fills `.grad` with the chain rule), `step()` (updates in place under `no_grad`).
# * Evaluate under `no_grad`, and keep numbers with `.item()` (or `.detach()`) so no graph stays alive.
# * With the same starting weights, PyTorch gives the same losses: the mechanics are the same.
#
# **In the engine:** `autograd_nb/nn/modules.py` (`Linear`, `Tanh`, `Sequential`, `CrossEntropyLoss`,
# `state_dict`, `load_state_dict`), `autograd_nb/nn/functional.py` (`linear` calls `Addmm` in
# `autograd_nb/ops/linalg.py`, whose node is `AddmmBackward0`), `autograd_nb/optim/optimizer.py`
# (`zero_grad`), `autograd_nb/optim/sgd.py` and `autograd_nb/optim/adam.py` (`step`), and for the backward
# pass itself, `autograd_nb/engine.py`.
