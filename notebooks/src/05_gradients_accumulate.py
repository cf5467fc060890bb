# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# # 5 · 梯度会累加
#
# **目标。** 看到`backward()`是把梯度*加*进`.grad`，而不是覆盖它；理解PyTorch为什么这样设计；正确地清零梯度（`zero_()`、`zero_grad()`、`set_to_none`）；并有意利用累加，用超出内存容量的大批量来训练。
#
# **预备知识。** 第3课。
#
# ## `backward()`做的是加法
#
# `backward()`本身没有返回值，它计算出来的梯度存放在叶子节点的`.grad`中。如果`.grad`中已经有一个张量，新的梯度会直接**加**到它上面。

# %% lang=en
import autograd_nb as torch
from autograd_nb.viz import chain_rule, chart
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(3):
    loss = (w * w).sum()          # d loss / dw = 2w = [2, 4]
    loss.backward()
    print(f"after backward #{step + 1}: w.grad = {w.grad}")

# %% lang=zh
import autograd_nb as torch
torch.set_language("zh")  # 图片、探索器和练习提示都用中文
from autograd_nb.viz import chain_rule, chart
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(3):
    loss = (w * w).sum()          # loss 对 w 的导数：2w = [2, 4]
    loss.backward()
    print(f"after backward #{step + 1}: w.grad = {w.grad}")

# %% [markdown] lang=en
# Five calls, drawn: `w.grad[0]` after each `backward()`, left alone, and cleared before each call.

# %% [markdown] lang=zh
# 把五次调用画出来：每次`backward()`之后的`w.grad[0]`，一条线从不清零，另一条在每次调用前都清零。

# %% lang=en
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

# %% lang=zh
kept, cleared = [], []
w = torch.tensor([1.0, 2.0], requires_grad=True)
for call in range(5):
    (w * w).sum().backward()
    kept.append(w.grad[0].item())
v = torch.tensor([1.0, 2.0], requires_grad=True)
for call in range(5):
    v.grad = None                 # zero_grad() 做的就是这件事
    (v * v).sum().backward()
    cleared.append(v.grad[0].item())
chart({"从不清零": kept, "每次调用前清零": cleared}, x_label="第几次调用 backward()",
      y_label="w.grad[0]")

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## 为什么不直接覆盖旧的结果？
#
# 因为一个张量可能从好几个地方得到梯度，而相加是对所有这些情况都正确的唯一规则：
#
# * **在同一个计算图中被多次使用。** 如果`w`流入两个分支，它的梯度就是各个分支发来的梯度之和（链式法则，第3课）。在一次反向传播内部，引擎在它的缓冲区里求和。
# * **多个输出，多次调用backward。** 一个有两个损失的模型可以先调用`loss1.backward()`，再调用`loss2.backward()`；参数最终得到的是`loss1 + loss2`的梯度，就像先把两个损失加起来一样。
#
# 有了累加，`backward`不需要考虑之前有没有计算过导数，只需要加上去就行了。代价是：何时从头开始，由**你**来决定。

# %%
w = torch.tensor([1.0, 2.0], requires_grad=True)
loss1 = (w * w).sum()
loss2 = (3 * w).sum()
loss1.backward()
print("after loss1.backward():", w.grad)

# %% [markdown] lang=en
# Here is what `loss2.backward()` is about to do, drawn as in lesson 3: the gradient $[3, 3]$ travels
# down to `w`'s `AccumulateGrad`, which **adds** it to the `.grad` that `loss1` left there.

# %% [markdown] lang=zh
# 下面画出`loss2.backward()`即将做的事，画法同第3课：梯度$[3, 3]$向下传到`w`的`AccumulateGrad`，后者把它**加**到`loss1`留下的`.grad`上。

# %%
chain_rule(loss2, params={"w": w, "loss2": loss2}, keep_grads=True)

# %% lang=en
loss2.backward()
g_separate = w.grad.clone()

w.grad = None
((w * w).sum() + (3 * w).sum()).backward()   # one backward of the summed loss
print(g_separate, w.grad)

# %% lang=zh
loss2.backward()
g_separate = w.grad.clone()

w.grad = None
((w * w).sum() + (3 * w).sum()).backward()   # 对两个损失之和只做一次 backward
print(g_separate, w.grad)

# %% [markdown] lang=en
# ## Clearing gradients
#
# That is why every training loop clears the gradients before each backward pass. There are two ways:

# %% [markdown] lang=zh
# ## 清零梯度
#
# 正因如此，每个训练循环都要在每次反向传播之前把梯度清零。有两种做法：

# %% lang=en
w.grad.zero_()          # fill the existing tensor with zeros, in place
print(w.grad)
w.grad = None           # or drop it: the next backward creates a fresh one
print(w.grad)

# %% lang=zh
w.grad.zero_()          # 原地把现有的张量填成 0
print(w.grad)
w.grad = None           # 或者直接丢掉它：下一次 backward 会新建一个
print(w.grad)

# %% [markdown] lang=en
# Optimizers and modules wrap this as `zero_grad()`. Since PyTorch 2.0 its default is
# `set_to_none=True`: setting `.grad` to `None` is cheaper than writing zeros, and it lets the optimizer
# tell "no gradient" apart from "a gradient of zero".

# %% [markdown] lang=zh
# 优化器和模块把这一步封装成`zero_grad()`。从PyTorch 2.0起，它的默认值是`set_to_none=True`：把`.grad`设为`None`比写入零开销更小，也让优化器能够区分“没有梯度”和“梯度为零”。

# %%
from autograd_nb import nn, optim

model = nn.Linear(2, 1)
opt = optim.SGD(model.parameters(), lr=0.1)
model(torch.ones(1, 2)).sum().backward()
print("before:", [p.grad is not None for p in model.parameters()])
opt.zero_grad()
print("after zero_grad():", [p.grad for p in model.parameters()])

# %% [markdown] lang=en
# Forgetting `zero_grad()` is a classic bug: each step then uses the sum of all gradients so far. Here is
# a tiny fit of $w$ to minimise $(w - 3)^2$, with and without clearing:

# %% [markdown] lang=zh
# 忘记调用`zero_grad()`是一个经典的bug：这样每一步用的都是此前所有梯度之和。下面用一个小例子拟合$w$，使$(w - 3)^2$最小，比较清零和不清零两种情况：

# %% lang=en
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

# %% lang=zh
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
chart({"调用 zero_grad": fit(clear=True), "不调用 zero_grad": fit(clear=False), "目标": [3.0] * 6},
      x_label="步数", y_label="w")

# %% [markdown] lang=en
# With clearing, $w$ walks steadily towards 3. Without it, the stale gradients keep pushing: $w$
# overshoots, because each step adds up every earlier gradient.
#
# ## Accumulation on purpose: bigger batches than fit in memory
#
# Sometimes you want the gradient of a large batch but can only afford to run a small one at a time.
# Split the batch into micro-batches, call `backward()` on each (scaled so the pieces add up to the
# mean over the whole batch), and step once. The gradients accumulate into exactly the full-batch
# gradient:

# %% [markdown] lang=zh
# 清零时，$w$稳步走向3。不清零时，过时的梯度不断推着它走：$w$冲过了头，因为每一步都把之前所有的梯度加了进来。
#
# ## 有意累加：比内存所能容纳的更大的批量
#
# 有时你想要一个大批量的梯度，但一次只负担得起运行一个小批量。这时可以把批量切分成若干微批量（micro-batch），对每个微批量调用`backward()`（并做缩放，使各部分加起来正好是整个批量上的平均值），最后只更新一次参数。梯度累加的结果恰好就是整个批量的梯度：

# %% lang=en
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

# %% lang=zh
torch.manual_seed(0)
X = torch.randn(8, 3)
Y = torch.randn(8, 1)
lin = nn.Linear(3, 1)

lin.zero_grad()
nn.functional.mse_loss(lin(X), Y).backward()
full = lin.weight.grad.clone()

lin.zero_grad()
for chunk in range(4):                       # 4 个微批量，每个 2 个样本
    xb, yb = X[2 * chunk: 2 * chunk + 2], Y[2 * chunk: 2 * chunk + 2]
    (nn.functional.mse_loss(lin(xb), yb) / 4).backward()
print(full)
print(lin.weight.grad)
assert torch.allclose(full, lin.weight.grad, atol=1e-6)

# %% [markdown] lang=en
# ## Try it: the accumulation explorer
#
# Press `backward(retain_graph=True)` a few times and watch `.grad` grow; press `backward()` and then
# again to meet the error of a freed graph; clear with `zero_()` or `zero_grad()`. (Without a kernel
# you see its opening state.)

# %% [markdown] lang=zh
# ## 动手试试：累加探索器
#
# 多按几次`backward(retain_graph=True)`，看`.grad`不断增大；按一次`backward()`再按一次，会遇到计算图已被释放的错误；用`zero_()`或`zero_grad()`清零。（没有内核时，你看到的是它的初始状态。）

# %%
from autograd_nb.widgets import accumulation_explorer

accumulation_explorer()

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## 练习
#
# 运行下面的程序之前，先预测最后的`w.grad`（由两个数组成的列表），再把程序粘贴到一个单元格中运行，验证你的预测：
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

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## 小结
#
# * `backward()`把梯度加进`.grad`，而不是覆盖它：梯度是累加的。
# * 这样一来，多次使用、多个损失和多次调用backward都能得到正确的结果。
# * 每一步之前都要清零梯度：用`zero_grad()`（默认把`.grad`设为`None`）或`.grad.zero_()`。
# * 在微批量上累加梯度，只需一小部分内存就能得到整个批量的梯度。
#
# **在引擎中：** `autograd_nb/function.py`中的`AccumulateGrad.apply`（即那个`+=`，代码见下方）；`autograd_nb/optim/optimizer.py`中的`Optimizer.zero_grad`；`autograd_nb/nn/`中的`Module.zero_grad`。

# %%
torch.show_source(torch.function.AccumulateGrad.apply)
