# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# # 4 · 雅可比矩阵与向量-雅可比积
#
# **目标。** 理解当`y`不是标量时`y.backward(v)`计算的是什么，为什么`v`必须与`y`形状相同，为什么标量损失可以省略它，以及怎样从引擎中读出任意一个导数$\partial y_i/\partial x_j$。比较构造整个雅可比矩阵的两种方式。
#
# **预备知识。** 第3课（backward与链式法则）；矩阵。
#
# ## 雅可比矩阵
#
# 对于向量函数$\vec y = f(\vec x)$，其中$\vec x\in\mathbb R^n$，$\vec y\in\mathbb R^m$，$\vec y$相对于$\vec x$的导数是一个矩阵，即**雅可比矩阵**（Jacobian matrix）：
#
# $$J=\begin{pmatrix}
# \frac{\partial y_0}{\partial x_0} & \cdots & \frac{\partial y_0}{\partial x_{n-1}}\\
# \vdots & \ddots & \vdots\\
# \frac{\partial y_{m-1}}{\partial x_0} & \cdots & \frac{\partial y_{m-1}}{\partial x_{n-1}}
# \end{pmatrix}$$
#
# 第$i$行是输出$y_i$的各个导数；第$j$列说明所有输出如何随输入$x_j$变化。和Python给张量编索引一样，我们从0开始计数：$x_0, \dots, x_{n-1}$和$y_0, \dots, y_{m-1}$，所以`J[i][j]`就是$\partial y_i/\partial x_j$。我们的例子有$n = 3$个输入、$m = 2$个输出：
#
# $$y_0 = x_0 x_1,\qquad y_1 = x_1^2 + 3x_0x_2 \qquad\Rightarrow\qquad
# J = \begin{pmatrix} x_1 & x_0 & 0\\ 3x_2 & 2x_1 & 3x_0\end{pmatrix}.$$

# %% lang=en
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import heatmap
from checks import check


def f(x):
    return torch.stack([x[0] * x[1], x[1] ** 2 + 3 * x[0] * x[2]])


x0 = [1.0, 2.0, 4.0]
J_by_hand = [[x0[1], x0[0], 0.0], [3 * x0[2], 2 * x0[1], 3 * x0[0]]]
heatmap(J_by_hand)

# %% lang=zh
%xmode minimal
import autograd_nb as torch
torch.set_language("zh")  # 图片、探索器和练习提示都用中文
from autograd_nb.viz import heatmap
from checks import check


def f(x):
    return torch.stack([x[0] * x[1], x[1] ** 2 + 3 * x[0] * x[2]])


x0 = [1.0, 2.0, 4.0]
J_by_hand = [[x0[1], x0[0], 0.0], [3 * x0[2], 2 * x0[1], 3 * x0[0]]]
heatmap(J_by_hand)

# %% [markdown] lang=en
# Each cell is one $\partial y_i/\partial x_j$ at $x = (1, 2, 4)$: red for positive, blue for
# negative, white for zero ($y_0$ does not depend on $x_2$).

# %% [markdown] lang=zh
# 每个格子是$x = (1, 2, 4)$处的一个$\partial y_i/\partial x_j$：红色为正，蓝色为负，白色为零（$y_0$不依赖于$x_2$）。

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## autograd计算的是$v^\top J$，从不计算$J$本身
#
# `backward`不构造雅可比矩阵。它本质上是一个**向量-雅可比积**（*vector-Jacobian product*）的计算引擎：给定一个向量$v$（每个输出对应它的一个分量），`y.backward(v)`把
#
# $$v^\top J = \Big(\sum_i v_i\,\frac{\partial y_i}{\partial x_0},\ \dots,\ \sum_i v_i\,\frac{\partial y_i}{\partial x_{n-1}}\Big)$$
#
# 存入`x.grad`：$J$的每一行按$v$中对应的分量加权，再把各行相加。`backward`的`gradient`参数*就是*这里的$v$，所以它必须与`y`的形状完全相同。下面是$v = (1, 0.5)$，画在它所加权的各行旁边，横线下方是$v^\top J$：

# %%
heatmap(J_by_hand, v=[1.0, 0.5])

# %% [markdown] lang=en
# The engine gives the same row without ever building $J$:

# %% [markdown] lang=zh
# 引擎不构造$J$，也得到了同样的一行：

# %%
x = torch.tensor(x0, requires_grad=True)
y = f(x)
v = torch.tensor([1.0, 0.5])
y.backward(v)
print("v^T J from the engine:", x.grad)
print("v^T J by hand:        ", [v[0].item() * J_by_hand[0][j] + v[1].item() * J_by_hand[1][j] for j in range(3)])

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# 为什么是这个乘积？把$v$看作$\partial L/\partial y$，其中$L$是之后由$y$算出的某个标量。链式法则给出的恰好是
#
# $$J^\top v=\begin{pmatrix}
# \frac{\partial y_0}{\partial x_0} & \cdots & \frac{\partial y_{m-1}}{\partial x_0}\\
# \vdots & \ddots & \vdots\\
# \frac{\partial y_0}{\partial x_{n-1}} & \cdots & \frac{\partial y_{m-1}}{\partial x_{n-1}}
# \end{pmatrix}\begin{pmatrix}\frac{\partial L}{\partial y_0}\\ \vdots\\ \frac{\partial L}{\partial y_{m-1}}\end{pmatrix}
# =\begin{pmatrix}\frac{\partial L}{\partial x_0}\\ \vdots\\ \frac{\partial L}{\partial x_{n-1}}\end{pmatrix}$$
#
# （与$v^\top J$是同一组数，只是写成了列向量。）计算图中的每个节点对它自己的小雅可比矩阵做的正是这件事：到达其输出的梯度（上游传来的梯度）就是$v$，它发给各个输入的就是$J^\top v$。把这些向量一路传下去，就是整个反向传播；它从来不需要存储完整的雅可比矩阵（对一个输入和输出各有一百万个的层来说，那将有$10^{12}$个元素）。
#
# ## 标量可以省略$v$
#
# 当$y$只是一个数（损失）时，$J$只有一行，自然的选择是$v = 1$，得到的就是梯度本身。所以`loss.backward()`与`loss.backward(torch.tensor(1.))`完全等价：

# %%
x = torch.tensor(x0, requires_grad=True)
loss = f(x).sum()
loss.backward()
g1 = x.grad.clone()
x.grad = None
loss = f(x).sum()
loss.backward(torch.tensor(1.0))
print(g1, x.grad, sep="\n")

# %% [markdown] lang=en
# For a non-scalar output there is no natural $v$, and the engine refuses to guess:

# %% [markdown] lang=zh
# 对于非标量输出，没有自然的$v$可选，引擎也不会去猜：

# %% tags=["raises-exception"]
y = f(x)
y.backward()

# %% [markdown] lang=en
# (Older PyTorch versions said *"Backward should be called only on a scalar (i.e. 1-element tensor) or
# with gradient w.r.t. the variable"*; the meaning is the same.) And `v` of the wrong shape is refused
# too:

# %% [markdown] lang=zh
# 这条错误是说：只有标量输出才能隐式地创建梯度（也就是省略$v$）。
#
# （旧版PyTorch的报错是*"Backward should be called only on a scalar (i.e. 1-element tensor) or with gradient w.r.t. the variable"*，意思相同。）形状不对的`v`同样会被拒绝：

# %% tags=["raises-exception"]
y = f(x)
y.backward(torch.ones(3))

# %% [markdown] lang=en
# ## Reading single derivatives: one-hot $v$
#
# Choose $v = e_i$ (1 at position $i$, 0 elsewhere). Then $v^\top J$ is **row $i$ of $J$**: all the
# derivatives $\partial y_i/\partial x_j$. With $v = e_1$ every row but row 1 is weighed by 0:

# %% [markdown] lang=zh
# ## 读出单个导数：独热的$v$
#
# 取独热（one-hot）向量$v = e_i$（第$i$个位置为1，其余为0）。这时$v^\top J$就是**$J$的第$i$行**：所有的导数$\partial y_i/\partial x_j$。取$v = e_1$时，除第1行外，每一行的权重都是0：

# %%
heatmap(J_by_hand, v=[0.0, 1.0])

# %% [markdown] lang=en
# One backward pass per output row rebuilds the whole Jacobian:

# %% [markdown] lang=zh
# 每个输出行做一次反向传播，就能重建整个雅可比矩阵：

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

# %% [markdown] lang=en
# ## Two ways to build $J$
#
# * **Reverse mode** (what `backward` does): one pass per *output*, each giving a row. $m$ passes.
# * **Forward mode**: push a direction $u$ *forwards* with the values and get $Ju$, a combination of
#   columns. With $u = e_j$ you get column $j$. $n$ passes.
#
# `torch.autograd.functional.jacobian` offers both. For a loss (many inputs, one output) reverse mode
# wins by far: one pass gives the whole gradient. For a function with few inputs and many outputs,
# forward mode is cheaper.

# %% [markdown] lang=zh
# ## 构造$J$的两种方式
#
# * **反向模式**（`backward`的做法）：每个*输出*一次传播，每次得到一行。共$m$次。
# * **前向模式**：把一个方向$u$随数值一起*向前*推，得到$Ju$，即各列的一个组合。取$u = e_j$就得到第$j$列。共$n$次。
#
# `torch.autograd.functional.jacobian`两种方式都提供。对于损失（输入很多、输出只有一个），反向模式远远胜出：一次传播就得到整个梯度。对于输入少、输出多的函数，前向模式更省。

# %% lang=en
from autograd_nb.autograd.functional import jacobian

x = torch.tensor(x0)
print(jacobian(f, x))
print(jacobian(f, x, vectorize=True, strategy="forward-mode"))  # PyTorch needs vectorize=True here

# %% lang=zh
from autograd_nb.autograd.functional import jacobian

x = torch.tensor(x0)
print(jacobian(f, x))
print(jacobian(f, x, vectorize=True, strategy="forward-mode"))  # PyTorch 在这里需要 vectorize=True

# %% [markdown] lang=en
# ## Try it: the Jacobian explorer
#
# Pick a function, look at its Jacobian, and choose $v$ with the one-hot buttons or the sliders. The
# explorer computes $v^\top J$ from the matrix and with `y.backward(v)`, and shows they agree. "Both
# ways" builds $J$ from $m$ VJPs and from $n$ JVPs and counts the passes. (Without a kernel you see its
# opening state.)

# %% [markdown] lang=zh
# ## 动手试试：雅可比矩阵探索器
#
# 选一个函数，查看它的雅可比矩阵，再用独热按钮或滑块选择$v$。探索器分别用矩阵和`y.backward(v)`计算$v^\top J$，并显示两者一致。“用两种方式构造 J”按钮用$m$次VJP和$n$次JVP分别构造$J$，并统计传播的次数。（没有内核时，你看到的是它的初始状态。）

# %%
from autograd_nb.widgets import jacobian_explorer

jacobian_explorer()

# %% [markdown] lang=en
# ## Exercises
#
# **1.** With the same `f` at `x0`, use a one-hot `v` and one `backward` call to find
# $\partial y_1/\partial x_2$ (zero-based indices).

# %% [markdown] lang=zh
# ## 练习
#
# **1.** 仍用同一个`f`和`x0`，用一个独热的`v`和一次`backward`调用求出$\partial y_1/\partial x_2$（索引从0开始）。

# %%
x = torch.tensor(x0, requires_grad=True)
answer = None  # the number
check("04.jacobian_entry", answer)

# %% [markdown] lang=en
# **2.** `y` has shape `(2, 3)`. What shape must `v` have in `y.backward(v)`? (A tuple.)

# %% [markdown] lang=zh
# **2.** `y`的形状是`(2, 3)`。在`y.backward(v)`中，`v`必须是什么形状？（用元组表示。）

# %%
answer = None  # e.g. (3,)
check("04.v_shape", answer)

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## 小结
#
# * autograd是一个**向量-雅可比积引擎**：`y.backward(v)`计算$v^\top J$（等价地，$J^\top v$），从不构造出$J$。
# * `v`（即`gradient`参数）必须与`y`形状相同；标量可以省略它，相当于$v = 1$；非标量省略它则会报错。
# * 独热的`v`读出$J$的一行，也就是任意的$\partial y_i/\partial x_j$。
# * 反向模式每个输出一次传播，前向模式每个输入一次传播。
#
# **在引擎中：** `autograd_nb/engine.py`中的`_make_grads`（隐式的$v = 1$和形状检查）；`autograd_nb/ops/`中每个算子的`backward`就是它自己的$J^\top v$；`autograd_nb/autograd/functional.py`用两种方式构造雅可比矩阵；`autograd_nb/autograd/forward_ad.py`实现前向模式。
