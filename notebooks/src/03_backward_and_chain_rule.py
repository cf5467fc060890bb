# %% [markdown] lang=en
# # 3 · `backward()` and the chain rule
#
# **Goals.** Compute a gradient by hand with the chain rule, then watch the engine do the same thing
# node by node. Learn which tensors receive `.grad`, how to get it for others (`retain_grad`), and why a
# second `backward()` through the same graph fails unless you ask to keep it (`retain_graph`).
#
# **Prerequisites.** Lesson 2 (the graph of Function nodes).
#
# ## By hand first
#
# A one-neuron model: input $x$, weight $w$, bias $b$, target $t$:
#
# $$z = wx + b,\qquad y = \tanh z,\qquad L = (y - t)^2 .$$
#
# The chain rule multiplies the local derivatives along the path from $L$ back to each parameter:
#
# $$\frac{\partial L}{\partial w} = \underbrace{2(y - t)}_{\partial L/\partial y}\cdot
# \underbrace{(1 - y^2)}_{\partial y/\partial z}\cdot \underbrace{x}_{\partial z/\partial w},\qquad
# \frac{\partial L}{\partial b} = 2(y - t)\cdot(1 - y^2)\cdot 1 .$$

# %% [markdown] lang=zh
# # 3 · `backward()`与链式法则
#
# **目标。** 先用链式法则手算一个梯度，再看引擎如何逐个节点做同样的事。了解哪些张量会得到`.grad`，怎样让其他张量也得到它（`retain_grad`），以及为什么对同一个计算图第二次调用`backward()`会失败，除非你要求保留这个图（`retain_graph`）。
#
# **预备知识。** 第2课（由Function节点组成的计算图）。
#
# ## 先手算
#
# 一个只有一个神经元的模型：输入$x$，权重$w$，偏置$b$，目标值$t$：
#
# $$z = wx + b,\qquad y = \tanh z,\qquad L = (y - t)^2 .$$
#
# 链式法则把从$L$回到每个参数的路径上的局部导数依次相乘：
#
# $$\frac{\partial L}{\partial w} = \underbrace{2(y - t)}_{\partial L/\partial y}\cdot
# \underbrace{(1 - y^2)}_{\partial y/\partial z}\cdot \underbrace{x}_{\partial z/\partial w},\qquad
# \frac{\partial L}{\partial b} = 2(y - t)\cdot(1 - y^2)\cdot 1 .$$

# %% lang=en
%xmode minimal
import math

import autograd_nb as torch
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x_val, w_val, b_val, t_val = 1.5, -0.8, 0.3, 0.5
y_val = math.tanh(w_val * x_val + b_val)
dL_dy = 2 * (y_val - t_val)
dy_dz = 1 - y_val ** 2
print(f"by hand: dL/dw = {dL_dy * dy_dz * x_val:.6f}   dL/db = {dL_dy * dy_dz:.6f}")

# %% lang=zh
%xmode minimal
import math

import autograd_nb as torch
torch.set_language("zh")  # 图片、探索器和练习提示都用中文
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x_val, w_val, b_val, t_val = 1.5, -0.8, 0.3, 0.5
y_val = math.tanh(w_val * x_val + b_val)
dL_dy = 2 * (y_val - t_val)
dy_dz = 1 - y_val ** 2
print(f"by hand: dL/dw = {dL_dy * dy_dz * x_val:.6f}   dL/db = {dL_dy * dy_dz:.6f}")

# %% [markdown] lang=en
# ## Now the engine

# %% [markdown] lang=zh
# ## 现在交给引擎

# %%
x = torch.tensor(x_val)
w = torch.tensor(w_val, requires_grad=True)
b = torch.tensor(b_val, requires_grad=True)
z = w * x + b
y = z.tanh()
L = (y - t_val) ** 2
L.backward()
print(f"engine:  dL/dw = {w.grad.item():.6f}   dL/db = {b.grad.item():.6f}")

# %% [markdown] lang=en
# The same numbers (up to float32 rounding). `backward()` did exactly what we did: start at $L$ with
# $\partial L/\partial L = 1$ and push a gradient back through each node, multiplying by the node's
# local derivative.
#
# ## The chain rule, drawn
#
# `chain_rule` (an autograd_nb addition) replays this backward pass and draws it. At the top, $L$'s tag
# shows $v = 1$, the gradient the pass starts from. Each arrow carries the gradient the node above it
# sent (in red), each node shows its local rule (a, b: its inputs in order, y: its output), and each
# leaf's tag shows the `.grad` it ended with. Read it from the top, multiplying as you go: what leaves a
# node is what arrived times its rule. `TanhBackward0` turns $-2.433$ into $-2.433\cdot(1 - y^2) =
# -1.184$; `AddBackward0` copies it to both inputs; `MulBackward0` multiplies by $x = 1.5$ for $w$.
# (`PowBackward0`'s rule for our square, $n = 2$, is $2x$: $2(y - t)$.) `backward()` freed the graph
# it walked, so we record the same computation again; the picture replays its pass on the side, and
# your tensors keep the `.grad` they had.

# %% [markdown] lang=zh
# 数值和手算的一样（只差float32的舍入误差）。`backward()`做的正是我们刚才做的事：从$L$出发，令$\partial L/\partial L = 1$，把梯度逐个节点往回传，每经过一个节点就乘上该节点的局部导数。
#
# ## 画出链式法则
#
# `chain_rule`（autograd_nb新增的功能）重放这次反向传播，并把它画出来。最上方$L$的标签显示$v = 1$，这是反向传播起始的梯度。每条箭头上（红色）标着它上方的节点发出的梯度；每个节点标出自己的局部规则（a、b：按顺序排列的输入，y：它的输出）；每个叶子的标签显示它最终得到的`.grad`。从上往下读，边读边乘：离开一个节点的梯度，等于传入的梯度乘以该节点的规则。`TanhBackward0`把$-2.433$变成$-2.433\cdot(1 - y^2) = -1.184$；`AddBackward0`把它复制给两个输入；`MulBackward0`为$w$乘上$x = 1.5$。（对我们这里的平方，$n = 2$，`PowBackward0`的规则$2x$就是$2(y - t)$。）`backward()`已经释放了它走过的计算图，所以我们把同样的计算再记录一遍；图片另行重放这次反向传播，你的张量仍保留原来的`.grad`。

# %%
L = ((w * x + b).tanh() - t_val) ** 2
chain_rule(L, params={"w": w, "b": b, "L": L})

# %% [markdown] lang=en
# ## Watching it happen
#
# `torch.autograd.trace()` records one backward pass: which node ran, which gradient came in, and what
# it sent along each edge. (PyTorch shows similar information with the environment variable
# `TORCH_LOGS="+autograd"`; the trace is an autograd_nb addition.)

# %% [markdown] lang=zh
# ## 观察运行过程
#
# `torch.autograd.trace()`记录一次反向传播：哪个节点运行了，传入了什么梯度，沿每条边发出了什么。（在PyTorch中，环境变量`TORCH_LOGS="+autograd"`可以显示类似的信息；trace是autograd_nb新增的功能。）

# %%
z = w * x + b
y = z.tanh()
L = (y - t_val) ** 2
w.grad = b.grad = None
with torch.autograd.trace() as t:
    L.backward()
print(t.dump())

# %% [markdown] lang=en
# How to read the log. Each block is one step of the engine. `#2 TanhBackward0` is the node the trace
# numbered 2 (nodes are numbered breadth-first from the output, so the numbers are the same on every
# run). `in [0]` is the gradient that arrived at the node's output 0; `out [0]`, `out [1]` are what it
# sent along its edges, in the order of `next_functions`, each to `-> #k NodeName [output number]`.
# `f32[]` is the gradient's type and shape as PyTorch's own autograd log writes them: float32, and `[]`
# for a 0-d tensor (`f32[3]` would be three numbers). An `AccumulateGrad` step shows the leaf's `.grad`
# before and after the addition.
#
# Read it step by step:
#
# * `PowBackward0` receives 1 and sends $2(y - t)$ to `SubBackward0`.
# * `SubBackward0` passes it on unchanged to `TanhBackward0` (the constant $t$ gets nothing: `None`).
# * `TanhBackward0` multiplies by $1 - y^2$: that is $\partial L/\partial z$.
# * `AddBackward0` copies it to both inputs: $\partial z/\partial (wx) = \partial z/\partial b = 1$.
# * `MulBackward0` multiplies by $x$ for $w$ (and sends nothing to $x$, which needs no gradient).
# * The two `AccumulateGrad` nodes add the results into `w.grad` and `b.grad`.
#
# Each node only knows its own local derivative. It receives $\partial L/\partial(\text{its output})$
# and returns $\partial L/\partial(\text{each input})$; the engine moves these numbers along the edges.
# When several paths meet at a tensor, the engine **adds** the contributions before going on: that is
# the multivariable chain rule.
#
# The same steps as small pictures, one per step of the log: the node running is outlined, and the
# arrows fill with gradients as the pass goes down.

# %% [markdown] lang=zh
# 怎样读这份日志？每一段是引擎的一步。`#2 TanhBackward0`是trace编号为2的节点（节点从输出开始按广度优先编号，所以每次运行的编号都相同）。`in [0]`是到达该节点0号输出的梯度；`out [0]`、`out [1]`是它沿各条边发出的梯度，顺序与`next_functions`相同，每条都写明去向`-> #k NodeName [output number]`。`f32[]`是梯度的类型和形状，写法与PyTorch自己的autograd日志相同：float32，`[]`表示0维张量（`f32[3]`则是三个数）。`AccumulateGrad`这一步显示叶子的`.grad`在相加之前和之后的值。
#
# 逐步来读：
#
# * `PowBackward0`收到1，把$2(y - t)$发给`SubBackward0`。
# * `SubBackward0`把它原样传给`TanhBackward0`（常数$t$什么也得不到：`None`）。
# * `TanhBackward0`乘上$1 - y^2$：这就是$\partial L/\partial z$。
# * `AddBackward0`把它复制给两个输入：$\partial z/\partial (wx) = \partial z/\partial b = 1$。
# * `MulBackward0`为$w$乘上$x$（而不给$x$发送任何东西，因为$x$不需要求导）。
# * 两个`AccumulateGrad`节点把结果累加到`w.grad`和`b.grad`中。
#
# 每个节点只知道自己的局部导数。它接收$\partial L/\partial(\text{它的输出})$，返回$\partial L/\partial(\text{它的每个输入})$；引擎负责沿着边传递这些数。当几条路径在同一个张量处汇合时，引擎先把各路的贡献**相加**，然后才继续往下走：这就是多元函数的链式法则。
#
# 下面把同样的步骤画成一组小图，日志中的每一步对应一张：正在运行的节点加了外框，随着反向传播向下推进，箭头上逐渐填上梯度。

# %%
L = ((w * x + b).tanh() - t_val) ** 2
filmstrip(L, params={"w": w, "b": b, "L": L})

# %% [markdown] lang=en
# ## The order of the walk
#
# The engine runs a node only when every gradient for it has arrived (it counts the edges into each
# node first). Among the nodes that are ready, it picks as PyTorch does: an `AccumulateGrad` first (it
# only adds into a leaf's `.grad`, so nothing waits on it), and otherwise the node created most
# recently. That is why step 5 above is `b`'s `AccumulateGrad`: once `AddBackward0` has run, both it and
# `MulBackward0` are ready, and the `AccumulateGrad` goes first. So the walk goes from the root to the
# leaves in reverse order of creation, and a node used twice runs once, with the sum. Here `h` feeds two
# paths:

# %% [markdown] lang=zh
# ## 遍历的顺序
#
# 只有当一个节点的所有梯度都已到达时，引擎才会运行它（它事先统计好指向每个节点的边数）。在已就绪的节点中，它按PyTorch的方式挑选：优先运行`AccumulateGrad`（它只是把梯度加进叶子的`.grad`，没有别的节点在等它），否则选择最近创建的节点。所以上面第5步是`b`的`AccumulateGrad`：`AddBackward0`运行之后，它和`MulBackward0`都已就绪，而`AccumulateGrad`排在前面。因此，遍历从根到叶、按创建的逆序进行；一个被使用两次的节点只运行一次，收到的是两路梯度之和。下面的`h`流入了两条路径：

# %%
x2 = torch.tensor(0.7, requires_grad=True)
h = x2 * 2
out = h.exp() + h ** 2
with torch.autograd.trace() as t2:
    out.backward()
print(t2.dump())
print("check:", f"{x2.grad.item():.4f}", "=", f"{2 * (math.exp(1.4) + 2 * 1.4):.4f}")

# %% [markdown] lang=en
# `MulBackward0` (the node of `h`) waits for both `ExpBackward0` and `PowBackward0`, then runs once with
# their sum. In the picture, the two gradients arrive on two arrows and the node multiplies their sum
# by its rule:

# %% [markdown] lang=zh
# `MulBackward0`（`h`的节点）要等`ExpBackward0`和`PowBackward0`都运行完，然后带着两者之和运行一次。在图中，两个梯度沿两条箭头到达，节点用自己的规则乘以它们的和：

# %%
h = x2 * 2
out = h.exp() + h ** 2
chain_rule(out, params={"x2": x2, "h": h, "out": out})

# %% [markdown] lang=en
# ## Try it: step through backward
#
# The backward stepper replays the pass for the neuron above, one node at a time: the node being run is
# outlined, each arrow shows the gradient it carried, and the leaves show `.grad` filling up, from
# `None` at step 0. Like the pictures above it replays on a kept graph starting from `.grad = None`, and
# then puts every `.grad` back: your tensors are left as they were. (Without a kernel you see its
# opening state.)

# %% [markdown] lang=zh
# ## 动手试试：逐步执行反向传播
#
# 反向传播步进器为上面的神经元重放反向传播，每次运行一个节点：正在运行的节点加了外框，每条箭头显示它传递的梯度，叶子的`.grad`从第0步的`None`开始逐渐填上。和上面的图片一样，它在保留下来的计算图上从`.grad = None`开始重放，最后把每个`.grad`恢复原样：你的张量保持不变。（没有内核时，你看到的是它的初始状态。）

# %%
from autograd_nb.widgets import backward_stepper

L = ((w * x + b).tanh() - t_val) ** 2
backward_stepper(L, params={"w": w, "b": b, "L": L})

# %% [markdown] lang=en
# ## Who gets `.grad`?
#
# Only **leaves that require grad**. Intermediate results such as `z` and `y` had their gradients
# computed (they were passed along the edges) but not stored: keeping them would cost memory for every
# intermediate value of a big model, and you rarely need them. Reading `.grad` of a non-leaf gives
# `None` and a warning that explains this:

# %% [markdown] lang=zh
# ## 谁会得到`.grad`？
#
# 只有**需要求导的叶子节点**，也就是`.requires_grad`和`is_leaf`两个属性都为`True`的节点，才会把导数存储到`.grad`中。`z`和`y`这样的中间结果，梯度其实也算出来了（它们沿着边传递过），只是没有保存：为大模型的每个中间值都保存梯度要耗费内存，而你很少需要它们。读取非叶子张量的`.grad`会得到`None`，外加一条解释原因的警告：

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(y.grad)
print("UserWarning:", caught[0].message)

# %% [markdown] lang=en
# If you do want one, ask **before** calling backward with `retain_grad()`:

# %% [markdown] lang=zh
# 如果确实需要某个中间张量的梯度，请在调用backward**之前**对它调用`retain_grad()`：

# %%
z = w * x + b
y = z.tanh()
y.retain_grad()
L = (y - t_val) ** 2
L.backward()
print("dL/dy =", f"{y.grad.item():.6f}", "  by hand:", f"{dL_dy:.6f}")

# %% [markdown] lang=en
# ## The graph is freed after backward
#
# Many nodes saved tensors during the forward pass because their derivative needs them: `TanhBackward0`
# saved its output $y$, and `MulBackward0` saved $x$, the factor $w$'s gradient needs. (It did not save
# $w$: that would only serve a gradient for $x$, which needs none. `z.grad_fn._saved_self` is `None`,
# in PyTorch too.) After `backward()` those saved tensors are released to free memory, so a second
# `backward()` through the same graph fails:

# %% [markdown] lang=zh
# ## backward之后计算图会被释放
#
# 许多节点在前向传播时保存了张量，因为求导时要用到它们：`TanhBackward0`保存了它的输出$y$，`MulBackward0`保存了$x$，也就是$w$的梯度所需的因子。（它没有保存$w$：$w$只用于计算$x$的梯度，而$x$不需要梯度。`z.grad_fn._saved_self`是`None`，在PyTorch中也是如此。）`backward()`之后，这些保存的张量会被释放以节省内存，所以第二次对同一个计算图调用`backward()`会失败：

# %% tags=["raises-exception"]
L.backward()

# %% [markdown] lang=en
# If you need to go through a graph twice, keep it with `retain_graph=True` on all but the last call:

# %% [markdown] lang=zh
# 这条错误是说：你在第二次沿这个计算图反向传播，而图中保存的中间值在调用`.backward()`时已被释放；如果需要再次反向传播，应指定`retain_graph=True`。
#
# 如果需要两次经过同一个计算图，就在除最后一次以外的每次调用中加上`retain_graph=True`，把图保留下来：

# %%
w.grad = None
z = w * x + b
L = (z.tanh() - t_val) ** 2
L.backward(retain_graph=True)
first = w.grad.item()
L.backward()
print(f"{first:.6f}  then  {w.grad.item():.6f}")

# %% [markdown] lang=en
# The second number is twice the first: gradients **accumulate** in `.grad`, the subject of lesson 5.
#
# ## Exercise
#
# For $y = (x^2 - 1)(x + 1)$ at $x = -2$, compute $dy/dx$ by hand, then check it with the engine.

# %% [markdown] lang=zh
# 第二个数是第一个的两倍：梯度是**累加**的，它们在`.grad`中相加，这是第5课的主题。
#
# ## 练习
#
# 对$y = (x^2 - 1)(x + 1)$，先手算它在$x = -2$处的$dy/dx$，再用引擎验证。

# %% lang=en
x = torch.tensor(-2.0, requires_grad=True)
y = (x ** 2 - 1) * (x + 1)
answer = None  # dy/dx at x = -2, by hand
check("03.grad_of_x", answer)

# %% lang=zh
x = torch.tensor(-2.0, requires_grad=True)
y = (x ** 2 - 1) * (x + 1)
answer = None  # 在 x = -2 处的 dy/dx，手算得出
check("03.grad_of_x", answer)

# %% [markdown] lang=en
# ## Summary
#
# * `backward()` starts from $\partial L/\partial L = 1$ and walks the graph from the root to the leaves;
#   each node turns the gradient of its output into gradients of its inputs (its local chain-rule step).
# * A node runs once all its incoming gradients have arrived and been summed.
# * Only leaves with `requires_grad=True` keep `.grad`; use `retain_grad()` for intermediate tensors.
# * Saved tensors are freed after backward; `retain_graph=True` keeps them for another pass.
#
# **In the engine:** `run_backward` in `autograd_nb/engine.py` (dependency counting, the ready queue,
# summing in input buffers, freeing saved tensors), shown below; `AccumulateGrad.apply` in
# `autograd_nb/function.py`. Lesson 10 takes this loop apart and has you write it.

# %% [markdown] lang=zh
# ## 小结
#
# * `backward()`从$\partial L/\partial L = 1$出发，从根到叶遍历计算图；每个节点把关于其输出的梯度变成关于其各个输入的梯度（这是它那一步局部的链式法则）。
# * 一个节点要等所有传入的梯度都到达并相加之后才会运行。
# * 只有`requires_grad=True`的叶子节点才会保留`.grad`；中间张量要用`retain_grad()`。
# * backward之后保存的张量会被释放；`retain_graph=True`可以保留它们，以便再做一次反向传播。
#
# **在引擎中：** `autograd_nb/engine.py`中的`run_backward`（依赖计数、就绪队列、在输入缓冲区中求和、释放保存的张量），代码见下方；`autograd_nb/function.py`中的`AccumulateGrad.apply`。第10课会拆解这个循环，并让你亲手写出它。

# %%
torch.show_source(torch.engine.run_backward)
