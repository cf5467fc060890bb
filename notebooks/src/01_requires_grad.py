# %% [markdown] lang=en
# # 1 · Tensors and `requires_grad`
#
# **Goals.** After this lesson you can say, for any tensor in a computation, whether autograd tracks
# it, whether it is a *leaf*, and why. You will know the propagation rule and what happens to the parts
# of a computation that need no gradient.
#
# **Prerequisites.** Lesson 0.
#
# ## A tensor is an array that can remember
#
# A `Tensor` is an n-dimensional array, like a numpy `ndarray`: you can add, multiply, reduce and
# reshape it. On top of that it carries a few facts that autograd needs. The first one is
# `requires_grad`: *do we want gradients to flow into this tensor?*

# %% [markdown] lang=zh
# # 1 · 张量与`requires_grad`
#
# **目标。** 学完本课，对于计算中的任意一个张量，你都能说出autograd是否追踪它、它是不是*叶子节点*，以及为什么。你会知道传播规则，也会知道计算中不需要梯度的那些部分会怎样。
#
# **预备知识。** 第0课。
#
# ## 张量是能“记住”的数组
#
# `Tensor`是一个多维数组，类似于numpy的`ndarray`：可以对它进行加法、乘法、归约、变形等各种运算。除此之外，它还带着autograd需要的几项信息。第一项是`requires_grad`：*我们是否希望梯度流入这个张量？*

# %% lang=en
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

torch.manual_seed(0)
t = torch.randn(2, 3)
t, t.shape, t.dtype, t.requires_grad

# %% lang=zh
%xmode minimal
import autograd_nb as torch
torch.set_language("zh")  # 图、探索器和练习提示都用中文
from autograd_nb.viz import draw
from checks import check

torch.manual_seed(0)
t = torch.randn(2, 3)
t, t.shape, t.dtype, t.requires_grad

# %% [markdown] lang=en
# `requires_grad` is **False by default**. Most tensors in a program are data (inputs, targets,
# constants); only the parameters you want to learn need gradients, so tracking is opt-in.
#
# ## The propagation rule
#
# When an operation runs, its result gets `requires_grad=True` **if and only if at least one input has
# `requires_grad=True`**. Said the other way round: if *none* of the inputs needs a gradient, neither
# does the result, and autograd records nothing. Here is the classic example:

# %% [markdown] lang=zh
# `requires_grad`属性**默认为False**，也就是说，张量默认是不需要求导的。程序中的大多数张量都是数据（输入、目标、常量）；只有想要学习的参数才需要梯度，所以追踪要由你主动开启。
#
# ## 传播规则
#
# 运算执行时，**当且仅当至少有一个输入的`requires_grad=True`**，结果才会得到`requires_grad=True`。换言之，如果*所有*输入都不需要求导，那么结果的`requires_grad`也会是False，autograd什么也不记录。下面是经典的例子：

# %%
x = torch.randn(5, 5)                      # requires_grad=False by default
y = torch.randn(5, 5)                      # requires_grad=False by default
z = torch.randn((5, 5), requires_grad=True)
a = x + y
b = a + z
print("a.requires_grad:", a.requires_grad)
print("b.requires_grad:", b.requires_grad)

# %% [markdown] lang=en
# `a` only depends on `x` and `y`, which need no gradient, so `a` is not tracked. `b` depends on `z`,
# so it is. The picture shows what autograd keeps: a path from `b` back to `z`, and nothing at all for
# `x`, `y` and `a`. They stand apart in dashed boxes, tied to nothing: tensors that take no part in
# backward. (Lesson 2 explains the picture: rounded boxes are the recorded operations, square tags the
# tensors.)

# %% [markdown] lang=zh
# `a`只依赖`x`和`y`，它们都不需要梯度，所以`a`不被追踪。`b`依赖`z`，所以被追踪。下面的图显示了autograd保留下来的东西：一条从`b`回到`z`的路径，而`x`、`y`和`a`什么也没有。它们单独待在虚线框里，不与任何东西相连：这些张量不参与反向传播。（第2课会讲解这种图：圆角框是记录下来的运算，方形标签是张量。）

# %%
draw([a, b], params={"x": x, "y": y, "z": z, "a": a, "b": b})

# %% [markdown] lang=en
# This is the **excluded subgraph**: the computation `a = x + y` happened, but since no gradient can
# ever be needed there, it was never recorded. When `backward()` runs from `b`, it does not even know
# `x`, `y` and `a` exist, which saves both time and memory. In a real model, the whole data pipeline
# (normalising inputs, building masks, …) lives in such excluded subgraphs.
#
# ## Leaves
#
# A tensor you create yourself (with `torch.tensor`, `torch.randn`, …) is a **leaf**: no recorded
# operation produced it, so its `grad_fn` is `None`. Results of recorded operations are not leaves.

# %% [markdown] lang=zh
# 这就是**被排除在外的子图**：`a = x + y`这个计算确实发生了，但那里永远不会用到梯度，所以它根本没有被记录，在反向传播的过程中被排除在外。从`b`开始运行`backward()`时，它甚至不知道`x`、`y`和`a`的存在，这样既节省时间，也节省内存。在真实的模型中，整个数据处理流程（归一化输入、构造掩码……）都处在这样被排除在外的子图里。
#
# ## 叶子节点
#
# 你自己创建的张量（用`torch.tensor`、`torch.randn`等）是**叶子节点**：它不是由任何被记录的运算产生的，所以它的`grad_fn`是`None`。被记录的运算产生的结果不是叶子节点。

# %%
for name, t in [("x", x), ("z", z), ("a", a), ("b", b)]:
    print(f"{name}: is_leaf={t.is_leaf!s:5}  requires_grad={t.requires_grad!s:5}  grad_fn={type(t.grad_fn).__name__}")

# %% [markdown] lang=en
# Notice `a`: it is a result, yet `is_leaf` is True. A result that requires no grad was not recorded,
# so it has no `grad_fn`, and PyTorch counts every tensor without a `grad_fn` as a leaf.
#
# Why care about leaves? Because after `backward()`, **only tensors that are leaves *and* require grad
# get their `.grad` filled in**. Those are exactly the parameters you created, which is what an optimizer
# needs. Intermediate results get nothing (lesson 3 shows how to ask for them anyway).

# %% [markdown] lang=zh
# 注意`a`：它是运算的结果，`is_leaf`却是True。不需要求导的结果没有被记录，所以它没有`grad_fn`，而PyTorch把所有没有`grad_fn`的张量都算作叶子节点。
#
# 为什么要关心叶子节点？因为调用`backward()`之后，**只有`requires_grad`和`is_leaf`两个属性都为`True`的张量，才会被计算导数，并存储到`.grad`中**。这些恰好就是你创建的参数，也正是优化器所需要的。中间结果什么也得不到（第3课会介绍怎样仍然拿到它们的梯度）。

# %%
b.sum().backward()
print("z.grad is set:", z.grad is not None, "  shape:", tuple(z.grad.shape))
print("x.grad:", x.grad)

# %% [markdown] lang=en
# ## Setting `requires_grad` after the fact
#
# You can switch tracking on for a leaf at any time, with the attribute or with the in-place method
# `requires_grad_()` (the trailing underscore means "in place", as everywhere in PyTorch):

# %% [markdown] lang=zh
# ## 事后设置`requires_grad`
#
# 你随时可以为一个叶子节点打开追踪，既可以直接设置这个属性，也可以调用原地方法`requires_grad_()`（末尾的下划线表示“原地”，在PyTorch中处处如此）：

# %%
w = torch.ones(3)
w.requires_grad_()
print(w)
print((w * 2).sum())

# %% [markdown] lang=en
# The repr shows it: a leaf that requires grad prints `requires_grad=True`; a result prints the node that
# made it, `grad_fn=<SumBackward0>`.
#
# Two things are refused. Only floating-point tensors can require grad (a gradient is a rate of change;
# integers cannot change by a little):

# %% [markdown] lang=zh
# 从repr就能看出来：需要求导的叶子节点打印出`requires_grad=True`；运算结果则打印出产生它的节点，即`grad_fn=<SumBackward0>`。
#
# 有两种做法会被拒绝。只有浮点张量才能需要求导（梯度是变化率，而整数没法只变化一点点）：

# %% tags=["raises-exception"]
torch.tensor([1, 2, 3], requires_grad=True)

# %% [markdown] lang=en
# And the flag of a **non-leaf** cannot be changed: it is not a choice but a consequence of its inputs.
# If you want a result without its history, `detach()` it (lesson 6).

# %% [markdown] lang=zh
# （这条报错是说：只有浮点类型和复数类型的张量才能需要梯度。）
#
# 另外，**非叶子节点**的标志不能修改：它不是一种选择，而是由它的输入决定的结果。如果想要一个不带历史的结果，就用`detach()`把它分离出来（第6课）。

# %% tags=["raises-exception"]
c = w * 2
c.requires_grad = False

# %% [markdown] lang=en
# ## Try it: the requires_grad explorer
#
# Tick and untick the leaves below. The picture and the table follow the propagation rule: watch which
# results lose their `grad_fn` and which part of the computation backward would no longer visit.
# (Widgets need a running kernel: run the cell. Without one you see its opening state.)

# %% [markdown] lang=zh
# （这条报错是说：只能修改叶子变量的`requires_grad`标志；如果想在不需要求导的子图中使用一个计算出来的变量，请用`var_no_grad = var.detach()`。）
#
# ## 动手试试：requires_grad探索器
#
# 勾选或取消勾选下面的叶子节点。图和表格都遵循传播规则：观察哪些结果失去了`grad_fn`，以及反向传播不再经过计算的哪一部分。（交互控件需要正在运行的内核：请运行这个单元格。没有内核时，你看到的是它的初始状态。）

# %%
from autograd_nb.widgets import requires_grad_explorer

requires_grad_explorer()

# %% [markdown] lang=en
# ## A bit of history: `Variable`
#
# Old PyTorch code (before version 0.4, 2018) wraps tensors in `torch.autograd.Variable(t,
# requires_grad=True)`. In those versions a `Tensor` was only an array, and a separate `Variable` class
# did the autograd bookkeeping. Version 0.4 merged the two: every `Tensor` can track its history, and
# `Variable(t)` became a no-op that returns a tensor. When you meet `Variable` in old tutorials, read it
# as "a tensor", and `Variable(t, requires_grad=True)` as `t.requires_grad_()`.
#
# ## Exercises
#
# **1.** In the program below, which of `c`, `d`, `e` require grad? Give a set of names like `{"c"}`.

# %% [markdown] lang=zh
# ## 一点历史：`Variable`
#
# 旧的PyTorch代码（0.4版本之前，即2018年以前）会把张量包装成`torch.autograd.Variable(t, requires_grad=True)`。在那些版本中，`Tensor`只负责多维数组的运算，自动微分的记录工作由单独的`Variable`类完成。0.4版本把二者合并了：每个`Tensor`都能追踪自己的历史，`Variable(t)`变成了一个什么也不做、直接返回张量的操作。在旧教程里遇到`Variable`时，把它读作“一个张量”，把`Variable(t, requires_grad=True)`读作`t.requires_grad_()`。
#
# ## 练习
#
# **1.** 在下面的程序中，`c`、`d`、`e`中哪些需要求导？用名字组成的集合作答，例如`{"c"}`。

# %%
u = torch.tensor([1.0, 2.0])
w = torch.tensor([3.0, 4.0], requires_grad=True)
c = u * w
d = c + 1
e = u * 3
answer = None  # e.g. {"c", "e"}
check("01.which_require_grad", answer)

# %% [markdown] lang=en
# **2.** Which of `u`, `w`, `c`, `d`, `e` are leaves?

# %% [markdown] lang=zh
# **2.** `u`、`w`、`c`、`d`、`e`中哪些是叶子节点？

# %% lang=en
answer = None  # a set of names
check("01.leaves", answer)

# %% lang=zh
answer = None  # 由名字组成的集合
check("01.leaves", answer)

# %% [markdown] lang=en
# **3.** With `u`, `w`, `c`, `e` as above, which of these lines raise an error? Predict first, then try
# each in a cell of its own. Give a set of letters.
#
# * a: `c.requires_grad = False`
# * b: `e.requires_grad = True`
# * c: `torch.arange(3).requires_grad_()`
# * d: `w.requires_grad = False`

# %% [markdown] lang=zh
# **3.** 沿用上面的`u`、`w`、`c`、`e`，下面哪几行会报错？先预测，再把每一行放在单独的单元格里试一试。用字母组成的集合作答。
#
# * a：`c.requires_grad = False`
# * b：`e.requires_grad = True`
# * c：`torch.arange(3).requires_grad_()`
# * d：`w.requires_grad = False`

# %%
answer = None  # e.g. {"b"}
check("01.which_raise", answer)

# %% [markdown] lang=en
# ## Summary
#
# * `requires_grad` is False by default; set it on the tensors you want gradients for.
# * A result requires grad **iff** some input does. Computations on tensors that need no grad are not
#   recorded at all: they are left out of backward.
# * Leaves are tensors without a `grad_fn`. After `backward()`, leaves that require grad get `.grad`.
# * Only floating-point leaves can require grad; a non-leaf's flag cannot be changed.
#
# **In the engine:** the `requires_grad` property and its setter in `autograd_nb/tensor.py`; the rule
# itself is the line that sets `record` in `Function.apply` (`autograd_nb/function.py`): grad mode is on
# and some input requires grad. Here it is, in the code that runs:

# %% [markdown] lang=zh
# ## 小结
#
# * `requires_grad`默认为False；在需要梯度的张量上设置它。
# * 结果需要求导，**当且仅当**某个输入需要求导。对不需要求导的张量所做的计算根本不会被记录：它们被排除在反向传播之外。
# * 叶子节点是没有`grad_fn`的张量。`backward()`之后，需要求导的叶子节点会得到`.grad`。
# * 只有浮点类型的叶子节点才能需要求导；非叶子节点的标志不能修改。
#
# **在引擎中：** `autograd_nb/tensor.py`中的`requires_grad`属性及其setter；规则本身就是`Function.apply`（`autograd_nb/function.py`）里给`record`赋值的那一行：梯度模式处于开启状态，并且有某个输入需要求导。下面就是这段实际运行的代码：

# %%
torch.show_source(torch.autograd.Function.apply)
