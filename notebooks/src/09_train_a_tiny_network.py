# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# # 9 · 训练一个小网络
#
# **目标。** 把前面各课学到的东西一起用上：用`nn`模块搭一个小分类器，用每个PyTorch程序都有的训练循环（`zero_grad`、`backward`、`step`）训练它，并从计算图的角度解释这个循环的每一行。画出损失曲线和决策边界，再验证PyTorch从同样的权重出发，得到的损失也相同。
#
# **预备知识。** 第3课（反向传播）、第5课（梯度累加与`zero_grad`）和第6课（`no_grad`）。
#
# ## 数据：两个交错的半月
#
# 平面上有两类点，每类排成一个半圆，两个半圆互相勾住，没有哪条直线能把它们分开。我们用numpy和一个设定了种子的随机数生成器来生成这些点，所以每次运行看到的都是同样的200个点。

# %% lang=en
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

# %% lang=zh
import matplotlib.pyplot as plt
import numpy as np

import autograd_nb as torch
torch.set_language("zh")
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
X = torch.tensor(X_np)          # 输入：float32，形状(200, 2)
y = torch.tensor(y_np)          # 目标：类别索引，int64，形状(200,)
print(X.shape, X.dtype, y.shape, y.dtype, " points per class:", np.bincount(y_np).tolist())

# %% lang=en
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap="coolwarm", edgecolors="k", linewidths=0.5, s=25)
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("two moons: class 0 (blue), class 1 (red)")
plt.show()

# %% lang=zh
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap="coolwarm", edgecolors="k", linewidths=0.5, s=25)
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("两个半月：类别0（蓝），类别1（红）")
plt.show()

# %% [markdown] lang=en
# Neither input needs a gradient: data are constants. Only the model's weights will be learned.
#
# ## The model
#
# A linear layer from 2 inputs to 16 hidden units, a `tanh`, and a linear layer from 16 units to 2
# outputs: one **score** (a *logit*) per class. The larger score is the prediction.
#
# $$\text{scores} = W_2 \tanh(W_1 x + b_1) + b_2$$

# %% [markdown] lang=zh
# 两个输入都不需要梯度：数据是常量。要学习的只有模型的权重。
#
# ## 模型
#
# 先是一个从2个输入到16个隐藏单元的线性层，然后是`tanh`，最后是一个从16个单元到2个输出的线性层：每个类别一个**分数**（即*logit*）。分数较大的类别就是预测结果。
#
# $$\text{scores} = W_2 \tanh(W_1 x + b_1) + b_2$$

# %%
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
print(model)
for name, p in model.named_parameters():
    print(f"{name:9} {str(tuple(p.shape)):8} requires_grad={p.requires_grad}  is_leaf={p.is_leaf}")
print("numbers to learn:", sum(p.numel() for p in model.parameters()))

# %% [markdown] lang=en
# The weights are `Parameter`s: leaf tensors that require grad (lesson 1), created with random values
# (hence the seed). They are exactly what `backward` fills `.grad` for and what the optimizer changes.
#
# ## The loss
#
# `nn.CrossEntropyLoss` turns the two scores of each point into probabilities with a softmax and takes
# $-\log(\text{probability of the true class})$, averaged over the points. A model that always gives
# both classes the same score has loss $\log 2 \approx 0.693$; a perfect one approaches $0$.

# %% [markdown] lang=zh
# 这些权重都是`Parameter`：需要求导的叶子节点（第1课），初始值是随机的（所以要设种子）。`backward`为之填写`.grad`的正是它们，优化器修改的也正是它们。
#
# ## 损失函数
#
# `nn.CrossEntropyLoss`先用softmax把每个点的两个分数变成概率，再取$-\log(\text{真实类别的概率})$，并对所有点求平均。如果模型总是给两个类别相同的分数，损失就是$\log 2 \approx 0.693$；完美的模型，损失趋近于$0$。

# %%
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(model(X), y)
print(loss)
draw(loss, params={**dict(model.named_parameters()), "loss": loss})

# %% [markdown] lang=en
# One forward pass recorded this graph. Read it from the top: the loss (`NllLossBackward0` after a
# `LogSoftmaxBackward0`, which together make the cross-entropy), then the second layer (`AddmmBackward0`:
# a matrix product plus the bias, with `TBackward0` for the transposed weight), the `tanh`, and the first
# layer. The four parameters are the leaves; `X` and `y` do not appear, since nothing has to flow into
# them.
#
# Before training, we keep a copy of the starting weights, to give PyTorch the same start later.
# `state_dict()` returns the parameters by name, *sharing* their memory (training would change the copy
# too), so we clone each one:

# %% [markdown] lang=zh
# 一次前向传播记录下了这张计算图。从上往下读：先是损失（`NllLossBackward0`接在`LogSoftmaxBackward0`之后，两者合起来就是交叉熵），然后是第二层（`AddmmBackward0`：矩阵乘积加上偏置，转置后的权重对应`TBackward0`），接着是`tanh`，最后是第一层。四个参数是叶子节点；`X`和`y`不在图中，因为没有梯度需要流向它们。
#
# 训练之前，我们先把初始权重保存一份，以便之后让PyTorch从同样的起点出发。`state_dict()`按名字返回各个参数，但与参数*共享*内存（训练时这份拷贝也会跟着变），所以我们把每个参数都`clone`一份：

# %%
start = {name: t.clone() for name, t in model.state_dict().items()}
list(start)

# %% [markdown] lang=en
# ## The training loop
#
# Plain gradient descent on all 200 points at once, 300 steps:

# %% [markdown] lang=zh
# ## 训练循环
#
# 最朴素的梯度下降，每一步都用上全部200个点，一共300步：

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

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# 五行代码，每一行都对应一课：
#
# 1. **`optimizer.zero_grad()`** 把每个参数的`.grad`设为`None`。`backward`是把梯度*累加*到`.grad`上的（第5课）；没有这一行，每一步用的都会是到目前为止所有梯度之和。
# 2. **`loss = loss_fn(model(X), y)`** 执行前向传播。由于参数需要求导，每个运算都会被记录下来：每一步都会新建一张计算图，就是上面画出的那张（第2课）。
# 3. **`loss.backward()`** 从损失出发沿这张图走到叶子节点，在每个节点上应用链式法则（第3课），把$\partial\,\text{loss}/\partial p$存入`p.grad`，82个数一个不落。损失是标量，所以不需要`gradient`参数（第4课）。图中保存的张量随后被释放。
# 4. **`optimizer.step()`** 原地更新每个参数：$p \leftarrow p - \text{lr}\cdot p.\text{grad}$。它在`no_grad`下运行（第6课）：更新不能被记录，参数也因此仍是叶子节点。
# 5. **`losses.append(loss.item())`** 保存的是一个Python浮点数。如果直接追加`loss`本身，就会留住每一步的张量，连同它对那一步计算图的引用。
#
# 换一个优化器，变的只是第4行的更新规则，循环本身不变：`optim.Adam(model.parameters(), lr=0.05)`会为每个权重自适应地调整步长，在这里同样适用。

# %% lang=en
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(losses)
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy loss")
ax.set_yscale("log")
ax.set_title("training loss")
plt.show()

# %% lang=zh
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(losses)
ax.set_xlabel("步数")
ax.set_ylabel("交叉熵损失")
ax.set_yscale("log")
ax.set_title("训练损失")
plt.show()

# %% [markdown] lang=en
# The loss drops fast, lingers on a plateau (the network first separates the moons roughly, with a
# nearly straight boundary), then falls again as the boundary bends around the tips of the moons.
#
# ## What the network learned
#
# To see the decision boundary, evaluate the model on a grid of points covering the plane and colour each
# point by the predicted probability of class 1. This is evaluation, not training, so it runs under
# `no_grad`: 40,000 forward computations, no graph.

# %% [markdown] lang=zh
# 损失先是迅速下降，然后在一个平台上停留一阵（网络先粗略地把两个半月分开，边界几乎是一条直线），接着随着边界绕过半月的两端弯曲起来，损失再次下降。
#
# ## 网络学到了什么
#
# 为了看到决策边界，我们在覆盖整个平面的网格点上计算模型，并按预测为类别1的概率给每个点着色。这是评估，不是训练，所以在`no_grad`下运行：对40000个点做前向计算，不建计算图。

# %% lang=en
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

# %% lang=zh
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
ax.set_title("类别1的概率；黑线：决策边界")
plt.show()

# %% [markdown] lang=en
# The black line, where both classes are equally likely, curls between the two moons: with one hidden
# layer of 16 `tanh` units the network has bent a straight line into that shape. How many training
# points does it classify correctly?

# %% [markdown] lang=zh
# 黑线是两个类别概率相等的地方，它弯弯曲曲地穿过两个半月之间：只靠一个含16个`tanh`单元的隐藏层，网络就把一条直线弯成了这个形状。它能把多少个训练点分对呢？

# %%
with torch.no_grad():
    predictions = model(X).argmax(dim=1)
accuracy = (predictions == y).float().mean().item()
print(f"training accuracy: {accuracy:.1%}")
assert accuracy > 0.95

# %% [markdown] lang=en
# (Accuracy on the points it trained on is an optimistic measure; a real project would keep some points
# aside to test on. Here we only want to see that the gradients did their job.)
#
# ## The same loop in PyTorch
#
# The code above is PyTorch code. If PyTorch is installed, the cell below builds the same network in
# PyTorch, loads our starting weights into it with `load_state_dict`, runs the same loop, and compares
# the losses step by step. (Its random numbers differ from ours, which is why we copy the weights
# instead of reusing the seed.)

# %% [markdown] lang=zh
# （在训练用过的点上算出的准确率是偏乐观的；真正的项目会留出一部分点专门用来测试。这里我们只想看到梯度完成了它的任务。）
#
# ## 用PyTorch运行同一个循环
#
# 上面的代码就是PyTorch代码。如果装了PyTorch，下面的单元格会用PyTorch搭建同样的网络，用`load_state_dict`载入我们的初始权重，运行同样的循环，并逐步比较损失。（PyTorch的随机数与我们的不同，所以我们复制权重，而不是沿用同一个种子。）

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

# %% [markdown] lang=en
# The two columns agree to float32 rounding: the same graph, the same gradients, the same updates. What
# you learned about autograd from this small engine is what PyTorch does.
#
# ## Exercises
#
# **1.** A classifier for **three** classes gives all three the same score for every point. Predict its
# `CrossEntropyLoss` (four decimals are enough), then check with `loss_fn(torch.zeros(4, 3),
# torch.tensor([0, 1, 2, 0]))`.

# %% [markdown] lang=zh
# 两列数字在float32的舍入误差范围内一致：同样的计算图，同样的梯度，同样的更新。你从这个小引擎中学到的autograd，正是PyTorch所做的。
#
# ## 练习
#
# **1.** 一个**三**分类的分类器，对每个点都给三个类别相同的分数。预测它的`CrossEntropyLoss`（精确到四位小数即可），然后用`loss_fn(torch.zeros(4, 3), torch.tensor([0, 1, 2, 0]))`验证。

# %% lang=en
answer = None  # a number
check("09.equal_scores_three", answer)

# %% lang=zh
answer = None  # 一个数
check("09.equal_scores_three", answer)

# %% [markdown] lang=en
# **2.** How many numbers does the optimizer learn in
# `nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2))`? Count by hand
# (weights and biases), then check with `sum(p.numel() for p in ....parameters())`.

# %% [markdown] lang=zh
# **2.** 在`nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2))`中，优化器要学习多少个数？先手算（权重和偏置都要算），再用`sum(p.numel() for p in ....parameters())`验证。

# %% lang=en
answer = None  # a whole number
check("09.param_count", answer)

# %% lang=zh
answer = None  # 一个整数
check("09.param_count", answer)

# %% [markdown] lang=en
# **3.** Someone deletes `optimizer.zero_grad()` from the loop. At step $k$, what does `p.grad` hold when
# `optimizer.step()` runs? Answer with a letter:
#
# * a: the gradient of the loss at step $k$
# * b: the sum of the gradients of steps $0, 1, \dots, k$
# * c: zeros

# %% [markdown] lang=zh
# **3.** 有人从循环中删掉了`optimizer.zero_grad()`。在第$k$步执行`optimizer.step()`时，`p.grad`里存的是什么？用字母回答：
#
# * a：第$k$步损失的梯度
# * b：第$0, 1, \dots, k$步的梯度之和
# * c：全零

# %% lang=en
answer = None  # "a", "b" or "c"
check("09.no_zero_grad", answer)

# %% lang=zh
answer = None  # "a"、"b"或"c"
check("09.no_zero_grad", answer)

# %% [markdown] lang=en
# ## Summary
#
# * A model is a function with parameters; `nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))`
#   has 82 numbers to learn, in four leaf tensors that require grad.
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

# %% [markdown] lang=zh
# ## 小结
#
# * 模型是带参数的函数；`nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))`有82个要学习的数，它们都在需要求导的叶子节点里。
# * 训练循环就是：`zero_grad()`（梯度是累加的），前向传播（记录一张新的计算图），`backward()`（用链式法则填写`.grad`），`step()`（在`no_grad`下原地更新）。
# * 评估要在`no_grad`下进行；保存数值要用`.item()`（或`.detach()`），这样就不会有计算图一直活着。
# * 从同样的初始权重出发，PyTorch给出同样的损失：背后的机制是一样的。
#
# **在引擎中：** `autograd_nb/nn/modules.py`（`Linear`、`Tanh`、`Sequential`、`CrossEntropyLoss`、`state_dict`、`load_state_dict`），`autograd_nb/nn/functional.py`（`linear`调用`autograd_nb/ops/linalg.py`中的`Addmm`，其节点是`AddmmBackward0`），`autograd_nb/optim/optimizer.py`（`zero_grad`），`autograd_nb/optim/sgd.py`和`autograd_nb/optim/adam.py`（`step`），至于反向传播本身，见`autograd_nb/engine.py`。
