# %% [markdown] lang=en
# # 0 · Welcome: what autograd does, and how to use these lessons
#
# **Goal.** See, in five lines, the thing this course takes apart: you compute a number from some
# tensors, call `.backward()`, and every input you marked gets its gradient.
#
# **You need.** Python and a little calculus (the chain rule). No PyTorch knowledge is assumed, but
# everything you learn here transfers to PyTorch unchanged.
#
# ## How this course works
#
# `autograd_nb` is a small automatic-differentiation engine written in numpy that behaves like PyTorch's
# `torch.autograd`: the same names, the same numbers, the same graph objects and the same error
# messages. Because of that, every lesson starts with
#
# ```python
# import autograd_nb as torch
# ```
#
# and the code below it is PyTorch code. The difference is that you can open the engine's source next to
# the notebook and read exactly what happens, one idea per file. The path from `a * b` to `.grad` runs
# through four core files (the `Tensor`, `Function.apply` and the node it records, the backward engine,
# and the grad-mode switch); the cell below counts their lines, docstrings and comments included. The
# rest of the package (the operations, `nn`, `optim`, the pictures and the explorers) is built on them.
#
# * Run the cells from top to bottom (Shift-Enter).
# * Exercises ask you to predict something (a `.grad`, a shape, whether a line raises) before you run
#   it, and end with a `check(…)` call: a wrong answer gets a hint, a right one a confirmation.
# * Cells that are meant to fail show PyTorch's error message on one line, without the traceback
#   through the engine's files: lessons with such cells start with `%xmode minimal`, IPython's switch
#   for short error reports.
# * Each lesson ends with the engine files that implement what it taught. `torch.show_source(...)` (an
#   autograd_nb addition) prints a piece of the engine right in the notebook.

# %% [markdown] lang=zh
# # 0 · 欢迎：autograd做什么，怎样学这门课
#
# **目标。** 用五行代码看一看这门课要拆开来讲的东西：用几个张量算出一个数，调用`.backward()`，你标记过的每个输入就都得到了自己的梯度。
#
# **预备知识。** Python和一点微积分（链式法则）。不要求会PyTorch，而这里学到的一切都可以原样用到PyTorch上。
#
# ## 这门课怎么学
#
# `autograd_nb`是一个用numpy写成的小型自动微分引擎，它的行为与PyTorch的`torch.autograd`一致：同样的名字、同样的数值、同样的图对象、同样的报错信息。因此每节课都以
#
# ```python
# import autograd_nb as torch
# ```
#
# 开头，下面的代码就是PyTorch代码。不同之处在于，你可以把引擎的源码和notebook并排打开，确切地读到发生了什么，一个文件讲一个概念。从`a * b`到`.grad`的路径经过四个核心文件（`Tensor`，`Function.apply`和它记录的节点，反向传播引擎，梯度模式开关）；下面的单元格统计了它们的行数，文档字符串和注释也算在内。包的其余部分（各种运算、`nn`、`optim`、画图和交互式探索器）都建立在它们之上。
#
# * 从上到下依次运行单元格（Shift-Enter）。
# * 练习会请你在运行之前先预测某个结果（一个`.grad`、一个形状、某一行会不会报错），最后调用`check(…)`：答错了会得到提示，答对了会得到确认。
# * 故意出错的单元格只用一行显示PyTorch的报错信息，不显示穿过引擎各文件的调用栈（traceback）：含有这类单元格的课程开头都有`%xmode minimal`，这是IPython显示简短错误报告的开关。
# * 每节课的结尾都会列出实现本课内容的引擎文件。`torch.show_source(...)`（autograd_nb额外提供的函数）会直接在notebook里打印出引擎的一段源码。

# %% lang=en
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

sizes = torch.source.core_size()
print(", ".join(f"{name}: {lines}" for name, lines in sizes.items()), f"— {sum(sizes.values())} lines")

# %% lang=zh
import autograd_nb as torch
torch.set_language("zh")  # 图、探索器和练习提示都用中文
from autograd_nb.viz import draw
from checks import check

sizes = torch.source.core_size()
print(", ".join(f"{name}: {lines}" for name, lines in sizes.items()), f"— {sum(sizes.values())} lines")

# %% [markdown] lang=en
# ## A five-line taste
#
# A tiny "model": a weight `w` and a bias `b` that we want to learn, an input `x`, and a squared error.

# %% [markdown] lang=zh
# ## 五行代码初体验
#
# 一个极小的“模型”：我们想要学习的权重`w`和偏置`b`，一个输入`x`，以及平方误差。

# %%
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor(0.1, requires_grad=True)
loss = ((w * x).sum() + b - 4.0) ** 2
loss.backward()
print(loss, w.grad, b.grad, sep="\n")

# %% [markdown] lang=en
# `loss.backward()` filled `w.grad` and `b.grad` with $\partial\,\mathrm{loss}/\partial w$ and
# $\partial\,\mathrm{loss}/\partial b$. Let us check one by hand. With $s = w\cdot x + b - 4$ we have
# $\mathrm{loss} = s^2$, so $\partial\,\mathrm{loss}/\partial b = 2s$ and
# $\partial\,\mathrm{loss}/\partial w_i = 2s\,x_i$:

# %% [markdown] lang=zh
# `loss.backward()`把$\partial\,\mathrm{loss}/\partial w$和$\partial\,\mathrm{loss}/\partial b$分别填进了`w.grad`和`b.grad`。我们手算验证一下。记$s = w\cdot x + b - 4$，则$\mathrm{loss} = s^2$，所以$\partial\,\mathrm{loss}/\partial b = 2s$，$\partial\,\mathrm{loss}/\partial w_i = 2s\,x_i$：

# %%
s = (0.5 * 1 - 1.0 * 2 + 2.0 * 3) + 0.1 - 4.0
print("by hand:", f"{2 * s:.4f}", [f"{2 * s * xi:.4f}" for xi in (1.0, 2.0, 3.0)])
assert abs(b.grad.item() - 2 * s) < 1e-5

# %% [markdown] lang=en
# How did the engine know? While the forward computation ran, every operation on a tensor that
# requires grad was **recorded** as a node of a graph. `backward()` walks that graph from the loss back
# to `w` and `b`, applying the chain rule at every node. Here is the graph it walked:

# %% [markdown] lang=zh
# 引擎是怎么知道的？前向计算运行的时候，作用于需要求导的张量上的每一个运算都被**记录**为图中的一个节点。`backward()`从损失出发，沿着这张图一路走回`w`和`b`，在每个节点上应用链式法则。下面就是它走过的图：

# %%
draw(loss, params={"x": x, "w": w, "b": b, "loss": loss})

# %% [markdown] lang=en
# Read it from the top: the grey rounded boxes are the recorded operations (PyTorch calls them
# *Function* nodes and names them `PowBackward0`, `AddBackward0`, …), and the arrows between them are
# the way the gradient travels. The square tags beside them are tensors: the green one is the loss, the
# blue ones are the tensors you created with `requires_grad=True`. `x`, which needs no gradient, stands
# apart in a dashed box, tied to nothing: no arrow leads to it, because nothing has to flow into it.
# (Lesson 2 reads these pictures in detail.)
#
# The rest of the course explains every piece of that picture.
#
# ## The lessons
#
# | # | lesson | you will learn |
# |---|---|---|
# | 1 | [Tensors and `requires_grad`](01_requires_grad.ipynb) | which tensors are tracked, and why most are not |
# | 2 | [The graph is made of Functions](02_graph_of_functions.ipynb) | what the graph is made of: `grad_fn`, `next_functions`, `AccumulateGrad` |
# | 3 | [`backward()` and the chain rule](03_backward_and_chain_rule.ipynb) | what `backward()` does, step by step |
# | 4 | [Jacobians and vector-Jacobian products](04_jacobians_and_vjp.ipynb) | why `backward` takes a `gradient` argument |
# | 5 | [Gradients accumulate](05_gradients_accumulate.ipynb) | why `.grad` adds up and training loops call `zero_grad()` |
# | 6 | [Controlling the graph](06_controlling_the_graph.ipynb) | `no_grad`, `detach`, in-place operations, hooks |
# | 7 | [Higher-order gradients](07_higher_order_and_functional.ipynb) | gradients of gradients, Hessians, forward mode |
# | 8 | [Write your own op](08_write_your_own_op.ipynb) | a custom `Function`, checked with `gradcheck` |
# | 9 | [Train a tiny network](09_train_a_tiny_network.ipynb) | all of it together: training a small network |
# | 10 | [The engine in 40 lines](10_the_engine_in_40_lines.ipynb) | the backward pass, written by you over the real graph |
#
# A [glossary](glossary.ipynb) lists the terms in English and Chinese.
#
# ## Exercise
#
# Change the bias so that the loss is exactly zero (the model fits the target 4.0). What is
# `b.grad` then? Replace `None` with your answer (a number).

# %% [markdown] lang=zh
# 从上往下读：灰色圆角框是记录下来的运算（PyTorch称之为*Function*节点，并把它们命名为`PowBackward0`、`AddBackward0`……），它们之间的箭头就是梯度传递的路线。旁边的方形标签是张量：绿色的是损失，蓝色的是你用`requires_grad=True`创建的张量。`x`不需要梯度，它单独待在一个虚线框里，不与任何东西相连：没有箭头通向它，因为没有任何梯度需要流入它。（第2课会详细讲解怎样读这些图。）
#
# 这门课的其余部分会逐一解释这幅图里的每个部分。
#
# ## 课程列表
#
# | # | 课程 | 你将学到 |
# |---|---|---|
# | 1 | [张量与`requires_grad`](01_requires_grad.ipynb) | 哪些张量会被追踪，以及为什么大多数张量不会 |
# | 2 | [计算图由Function组成](02_graph_of_functions.ipynb) | 计算图由什么组成：`grad_fn`、`next_functions`、`AccumulateGrad` |
# | 3 | [`backward()`与链式法则](03_backward_and_chain_rule.ipynb) | `backward()`一步一步做了什么 |
# | 4 | [雅可比矩阵与向量-雅可比积](04_jacobians_and_vjp.ipynb) | 为什么`backward`要接受一个`gradient`参数 |
# | 5 | [梯度会累加](05_gradients_accumulate.ipynb) | 为什么`.grad`会累加，为什么训练循环要调用`zero_grad()` |
# | 6 | [控制计算图](06_controlling_the_graph.ipynb) | `no_grad`、`detach`、原地操作、钩子 |
# | 7 | [高阶梯度](07_higher_order_and_functional.ipynb) | 梯度的梯度、海森矩阵、前向模式 |
# | 8 | [编写自定义算子](08_write_your_own_op.ipynb) | 自定义`Function`，并用`gradcheck`检验 |
# | 9 | [训练一个小网络](09_train_a_tiny_network.ipynb) | 融会贯通：训练一个小型网络 |
# | 10 | [40行代码的引擎](10_the_engine_in_40_lines.ipynb) | 在真实的计算图上，由你亲手写出反向传播 |
#
# [术语表](glossary.ipynb)列出了各个术语的中英文对照。
#
# ## 练习
#
# 修改偏置，让损失恰好为零（模型正好拟合目标值4.0）。这时`b.grad`是多少？把`None`换成你的答案（一个数）。

# %% lang=en
answer = None  # b.grad when the loss is zero
check("00.zero_loss_grad", answer)

# %% lang=zh
answer = None  # 损失为零时的b.grad
check("00.zero_loss_grad", answer)

# %% [markdown] lang=en
# ## Summary
#
# * Mark the tensors you want gradients for with `requires_grad=True`.
# * Compute as usual; the operations are recorded into a graph.
# * `loss.backward()` fills `.grad` of those tensors.
#
# **Where this lives in the engine:** `autograd_nb/tensor.py` (the `Tensor`), `autograd_nb/function.py`
# (how an operation is recorded: `Function.apply`), `autograd_nb/engine.py` (the backward pass:
# `run_backward`). Lesson 10 has you write that backward pass yourself.

# %% [markdown] lang=zh
# ## 小结
#
# * 用`requires_grad=True`标记需要梯度的张量。
# * 照常计算；运算会被记录到一张图中。
# * `loss.backward()`填好这些张量的`.grad`。
#
# **在引擎中的位置：** `autograd_nb/tensor.py`（`Tensor`），`autograd_nb/function.py`（运算怎样被记录：`Function.apply`），`autograd_nb/engine.py`（反向传播：`run_backward`）。第10课会让你亲手写出这个反向传播过程。
