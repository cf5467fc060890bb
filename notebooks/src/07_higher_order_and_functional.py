# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# # 7 · 高阶导数与函数式API
#
# **目标。** 对导数再求导：用`create_graph=True`得到$d^2y/dx^2$，并看看反向传播构建出的计算图。用`torch.autograd.functional`计算海森矩阵和海森矩阵-向量积。认识前向模式：反向传播计算的是$v^\top J$，前向模式计算的则是$Ju$；再数一数每种模式的开销。
#
# **预备知识。** 第3课（backward）、第4课（雅可比矩阵与向量-雅可比积）和第6课（`torch.autograd.grad`在那里首次出现）。
#
# ## 反向传播也是由运算组成的
#
# 每个节点的backward都是普通的张量运算：`MulBackward0`用另一个因子乘传入的梯度，`SinBackward0`则乘以$\cos x$。通常引擎在关闭记录的情况下执行这些运算：得到的梯度是一个普通张量。**设置`create_graph=True`后**，引擎会把这些运算记录下来，于是梯度成为一个带有`grad_fn`的结果，是$x$的函数，可以再次求导。
#
# `torch.autograd.grad(outputs, inputs)`是这里方便的入口：它执行与`.backward()`相同的反向传播，但把梯度**返回**给你，而不是加进`.grad`（所以也没有残留的旧梯度需要清除）。对$x = 3$处的$y = x^3$，我们期望得到$3x^2 = 27$、$6x = 18$和$6$：

# %% lang=en
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

# %% lang=zh
%xmode minimal
import math

import autograd_nb as torch
torch.set_language("zh")  # 图片、探索器和练习提示都用中文
import autograd_nb.autograd.forward_ad as fwAD
from autograd_nb.autograd.functional import hessian, hvp, jacobian, jvp, vhp
from autograd_nb.viz import chain_rule, draw
from checks import check

x = torch.tensor(3.0, requires_grad=True)
d = x ** 3
for order in (1, 2, 3):
    (d,) = torch.autograd.grad(d, x, create_graph=True)
    print(f"derivative {order}:", d)

# %% [markdown] lang=en
# Each derivative carries a `grad_fn`, so the loop can keep going. Without `create_graph` the result is
# a constant as far as autograd knows, and asking for its derivative fails:

# %% [markdown] lang=zh
# 每个导数都带着`grad_fn`，所以循环可以一直进行下去。没有`create_graph`时，在autograd看来结果只是一个常数，对它求导会失败：

# %% tags=["raises-exception"]
y = x ** 3
(dy_dx,) = torch.autograd.grad(y, x)
print(dy_dx)
torch.autograd.grad(dy_dx, x)

# %% [markdown] lang=en
# ## Checking against calculus
#
# Take $y = x\sin x$. By the product rule
#
# $$\frac{dy}{dx} = \sin x + x\cos x, \qquad \frac{d^2y}{dx^2} = 2\cos x - x\sin x .$$

# %% [markdown] lang=zh
# 这条错误是说：传入的第0个张量（这里是`dy_dx`）既不需要求导，也没有`grad_fn`，所以无法从它开始反向传播。
#
# ## 与微积分对照
#
# 取$y = x\sin x$。由乘积法则
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

# %% [markdown] lang=en
# ## The graph of the gradient
#
# First the backward pass of $y$ itself, drawn as in lesson 3 (the gradient on every arrow, the rule in
# every node). Two gradients reach `x`'s `AccumulateGrad`: $\sin x$, which `MulBackward0` sends to its
# first input (its rule for $a$ is "times $b$"), and $x\cos x$, which comes through `SinBackward0`. Their
# sum is $dy/dx$.

# %% [markdown] lang=zh
# ## 梯度的计算图
#
# 先画出$y$本身的反向传播，画法与第3课相同（每条箭头上标着梯度，每个节点里写着规则）。有两个梯度到达`x`的`AccumulateGrad`：一个是$\sin x$，由`MulBackward0`发给它的第一个输入（它对$a$的规则是“乘以$b$”）；另一个是$x\cos x$，经由`SinBackward0`传来。两者之和就是$dy/dx$。

# %%
y_again = x * x.sin()
chain_rule(y_again, params={"x": x, "y": y_again})

# %% [markdown] lang=en
# With `create_graph=True` each of those multiplications and the final sum are recorded as nodes of
# their own. Here is what it recorded, drawn next to the graph of $y$:

# %% [markdown] lang=zh
# 有了`create_graph=True`，这些乘法以及最后的求和都会被记录为各自的节点。下面是记录下来的图，画在$y$的计算图旁边：

# %%
draw([y, dy_dx], params={"x": x, "y": y, "dy/dx": dy_dx})

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# 从顶端开始读`dy/dx`。$y = x \cdot s$（其中$s = \sin x$）的反向传播计算了两个乘积，再把它们相加：
#
# * `MulBackward0` → `SinBackward0`：传入的梯度乘以$s$。乘法保存了$s$，而$s$是*前向*计算图中的一个结果，所以新的计算图连进了旧的计算图：这条箭头落在`y`自己的`SinBackward0`上。
# * `MulBackward0` → `MulBackward0`、`CosBackward0`：传入的梯度乘以$x$，再按`SinBackward0`的规则乘以$\cos x$：这就产生了一个新的余弦节点。
# * `AddBackward0`：两条路径在$x$处汇合，所以引擎把它们相加（第3课），并把这次求和也记录了下来。
#
# 这就是表达式$\sin x + x\cos x$画成的计算图，对它求导不过是再做一次反向传播。由于梯度的计算图引用着前向计算图，`create_graph=True`也会保留保存的张量（它隐含了`retain_graph=True`）。这要耗费内存；只在确实需要导数的导数时才使用它。（用`.backward(create_graph=True)`时，这个计算图最终存放在`.grad`中，由此形成的循环引用会让PyTorch发出警告；`autograd.grad`则避免了这个问题。）
#
# ## 海森矩阵
#
# 对于多个变量的标量函数，二阶导数组成**海森矩阵**（Hessian）$H_{ij} = \partial^2 f/\partial x_i\partial x_j$：它是梯度的雅可比矩阵。取
#
# $$f(a, b) = a^2 b + b^3,\qquad \nabla f = \begin{pmatrix} 2ab\\ a^2 + 3b^2\end{pmatrix},\qquad
# H = \begin{pmatrix} 2b & 2a\\ 2a & 6b\end{pmatrix}.$$
#
# 在$(a, b) = (1, 2)$处，它等于$\begin{pmatrix}4 & 2\\ 2 & 12\end{pmatrix}$。`torch.autograd.functional.hessian`接受函数和求值点：

# %%
def f(v):
    a, b = v[0], v[1]
    return a ** 2 * b + b ** 3


point = torch.tensor([1.0, 2.0])
H = hessian(f, point)
print(H)
assert H.tolist() == [[4.0, 2.0], [2.0, 12.0]]

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# `hessian`内部做的就是我们上面做过的事，只是更有条理：先用一次`create_graph=True`的反向传播求出梯度，再对**梯度的每个分量**各做一次穿过梯度计算图的反向传播，每次得到$H$的一行。
#
# ## 海森矩阵-向量积
#
# 有$n$个参数时，$H$有$n^2$个元素：对一个有一百万个权重的模型，那是$10^{12}$个数，多得根本存不下。许多方法（牛顿类的更新步骤、曲率估计）只需要对某个向量$u$求出$Hu$，而这大约只要两次反向传播：因为$u$不依赖于$x$，
#
# $$H u = \nabla_x\big(\nabla_x f \cdot u\big),$$
#
# 也就是一个标量的梯度。手算一下，取$u = (1, -1)$，$Hu = (4 - 2,\ 2 - 12) = (2, -10)$：

# %%
u = torch.tensor([1.0, -1.0])
x = point.clone().requires_grad_()
(grad_f,) = torch.autograd.grad(f(x), x, create_graph=True)
(Hu,) = torch.autograd.grad((grad_f * u).sum(), x)
print("two grads:", Hu)
print("hvp:      ", hvp(f, point, u))
print("vhp:      ", vhp(f, point, u))

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# `hvp`返回$(f(x), Hu)$，`vhp`返回$(f(x), u^\top H)$。对于二阶导数连续的函数，$H$是对称的，所以两者相同；`vhp`更省（它正好就是我们那两次反向传播）。
#
# ## 前向模式：把一个方向向前推
#
# 到目前为止，一切都是**向后**进行的：从输出处的向量$v$出发，得到$v^\top J$。前向模式回答的是另一个问题：*如果输入沿方向$u$移动，输出移动得有多快？* 答案是$Ju$，即方向导数。它根本不需要反向传播：每个张量都携带第二个张量，即它的**切向量**（tangent）；每个运算在更新数值的同时，用自己的求导规则更新切向量（对$\sin$来说，新的切向量是$\cos x$乘以旧的切向量）。
#
# 带有切向量的张量叫作*对偶张量*（dual tensor）。它们只存在于`dual_level()`代码块中：`make_dual`把一个值和一个切向量配成一对，`unpack_dual`再把它们分开。取$u = 1$时，得到的切向量就是$dy/dx$：

# %%
with fwAD.dual_level():
    x = fwAD.make_dual(torch.tensor(0.5), torch.tensor(1.0))
    y = x * x.sin()
    print(y)
    value, tangent = fwAD.unpack_dual(y)
print(f"value {value.item():.6f}, tangent {tangent.item():.6f}, dy/dx by hand {by_hand_1:.6f}")

# %% [markdown] lang=en
# One forward pass computed $y$ *and* $dy/dx$, with no graph kept. For a vector input, a one-hot tangent
# $u = e_j$ gives $Je_j$, **column** $j$ of the Jacobian. Lesson 4's function,
# $y_0 = x_0x_1$, $y_1 = x_1^2 + 3x_0x_2$ at $x = (1, 2, 4)$, has
# $J = \begin{pmatrix}2 & 1 & 0\\ 12 & 4 & 3\end{pmatrix}$:

# %% [markdown] lang=zh
# 一次前向传播既算出了$y$，也算出了$dy/dx$，而且不保留任何计算图。对于向量输入，独热的切向量$u = e_j$给出$Je_j$，即雅可比矩阵的第$j$**列**。第4课的函数$y_0 = x_0x_1$，$y_1 = x_1^2 + 3x_0x_2$，在$x = (1, 2, 4)$处的雅可比矩阵是$J = \begin{pmatrix}2 & 1 & 0\\ 12 & 4 & 3\end{pmatrix}$：

# %%
def g(x):
    return torch.stack([x[0] * x[1], x[1] ** 2 + 3 * x[0] * x[2]])


x0 = torch.tensor([1.0, 2.0, 4.0])
with fwAD.dual_level():
    y = g(fwAD.make_dual(x0, torch.tensor([0.0, 1.0, 0.0])))
    print("J e_1 =", fwAD.unpack_dual(y).tangent)

# %% [markdown] lang=en
# The functional API wraps both directions: `jvp(g, x, u)` returns $(g(x), Ju)$, and `jacobian` builds
# the whole matrix column by column with `strategy="forward-mode"` (PyTorch wants `vectorize=True` with
# it, so we pass that too).

# %% [markdown] lang=zh
# 函数式API把两个方向都包装好了：`jvp(g, x, u)`返回$(g(x), Ju)$，而`jacobian`在`strategy="forward-mode"`下逐列构造整个矩阵（PyTorch要求同时传入`vectorize=True`，所以我们也传了它）。

# %%
print(jvp(g, x0, torch.tensor([0.0, 1.0, 0.0])))
print(jacobian(g, x0, vectorize=True, strategy="forward-mode"))

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# （一个细节：PyTorch的`functional.jvp`是用两次*反向*传播得到$Ju$的，即所谓的“双重反向技巧”（double-backward trick）；`autograd_nb`的版本运行的是`forward_ad`。得到的数相同。）
#
# ## 每种模式的开销
#
# 对于$f:\mathbb R^n \to \mathbb R^m$，雅可比矩阵是$m\times n$的。
#
# * **反向模式**每次反向传播得到一**行**：共$m$次。
# * **前向模式**每次前向传播得到一**列**：共$n$次。
#
# 我们用两种方式构造完整的雅可比矩阵，数一数传播的次数，而不是计时。每个辅助函数依次取各个独热向量：

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

# %% [markdown] lang=en
# Two shapes of function: a loss-like one, $\mathbb R^6 \to \mathbb R$, and a curve,
# $\mathbb R \to \mathbb R^6$.

# %% [markdown] lang=zh
# 两种形状的函数：一个像损失函数，$\mathbb R^6 \to \mathbb R$；一个是曲线，$\mathbb R \to \mathbb R^6$。

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

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# 雅可比矩阵相同，开销却正好相反。训练神经网络就是第一种情况的极端：输入（权重）数以百万计，输出（损失）只有一个。反向模式只需**一次**反向传播就能得到整个梯度，前向模式则需要每个权重各做一次。这就是深度学习建立在反向传播之上的原因，也是《pytorch自动微分原理》一文说autograd“本质上是一个向量-雅可比积的计算引擎”的原因。当输出多于输入时，前向模式胜出，而且它不需要存储计算图。
#
# ## 练习
#
# **1.** 对$x = 1.5$处的$y = x^4$，$d^2y/dx^2$是多少？先手算，再调用两次`torch.autograd.grad`求出它。

# %% lang=en
x = torch.tensor(1.5, requires_grad=True)
answer = None  # the number
check("07.second_derivative", answer)

# %% lang=zh
x = torch.tensor(1.5, requires_grad=True)
answer = None  # 这个数
check("07.second_derivative", answer)

# %% [markdown] lang=en
# **2.** For $f(a, b) = a^2 b$ at $(a, b) = (3, 2)$, what is the mixed second derivative
# $\partial^2 f/\partial a\,\partial b$ (entry `[0][1]` of the Hessian)?

# %% [markdown] lang=zh
# **2.** 对$(a, b) = (3, 2)$处的$f(a, b) = a^2 b$，混合二阶偏导数$\partial^2 f/\partial a\,\partial b$（海森矩阵的元素`[0][1]`）是多少？

# %% lang=en
answer = None  # the number
check("07.mixed_partial", answer)

# %% lang=zh
answer = None  # 这个数
check("07.mixed_partial", answer)

# %% [markdown] lang=en
# **3.** You need the full Jacobian of a function $\mathbb R^{1000} \to \mathbb R^3$. How many passes
# does the cheaper mode take?

# %% [markdown] lang=zh
# **3.** 你需要一个函数$\mathbb R^{1000} \to \mathbb R^3$的完整雅可比矩阵。较省的那种模式需要多少次传播？

# %% lang=en
answer = None  # a whole number
check("07.cheaper_passes", answer)

# %% lang=zh
answer = None  # 一个整数
check("07.cheaper_passes", answer)

# %% [markdown] lang=en
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

# %% [markdown] lang=zh
# ## 小结
#
# * 反向传播由张量运算组成；`create_graph=True`把它们记录下来，于是梯度成为一个可以再次求导的函数（`torch.autograd.grad`把它返回给你，而不是填进`.grad`）。
# * 梯度的计算图通过保存的张量连进前向计算图。
# * `functional.hessian`是梯度的雅可比矩阵；`hvp`/`vhp`以两次传播的代价给出$Hu$ / $u^\top H$，而从不构造$H$。
# * 前向模式（`forward_ad.dual_level`、`make_dual`、`unpack_dual`）让每个值携带一个切向量，计算$Ju$；`functional.jvp`和`jacobian(..., strategy="forward-mode")`替你计算这样的乘积。
# * 一个完整的雅可比矩阵需要$m$次反向传播或$n$次前向传播：输入多、输出少时（所有损失都是这样）用反向模式，反过来则用前向模式。
#
# **在引擎中：** `autograd_nb/engine.py`中的`run_backward`（节点运行期间，梯度模式恰好在create_graph=True时开启）以及同一文件中的`grad`；`autograd_nb/autograd/functional.py`（`hessian`、`hvp`、`vhp`、`jvp`、`jacobian`及其两种策略）；`autograd_nb/autograd/forward_ad.py`（对偶层级和切向量）；以及`autograd_nb/function.py`中的`_push_tangents`，它运行每个运算写在`backward`旁边的`jvp`规则，这些运算都在`autograd_nb/ops/`中。
