# %% [markdown] lang=en
# # Glossary: the terms of the source lesson, in Chinese and English
#
# This course teaches, in its own words, a Chinese article on the principles of PyTorch's autograd
# (*pytorch自动微分原理*). If you read that article, or other Chinese material on PyTorch, this table
# connects its terms to the English ones used in the lessons and to the names you type in code. Every
# name in the third column exists in PyTorch and, unless marked otherwise, in `autograd_nb`; the code
# cell at the end checks that.
#
# ## Terms of the source lesson
#
# | 中文 | English | in PyTorch / autograd_nb | meaning | lesson |
# |---|---|---|---|---|
# | 自动微分 | automatic differentiation | `torch.autograd` | computing exact derivatives of a program by applying the chain rule to each recorded operation | 0 |
# | 张量 | tensor | `torch.Tensor` | an n-dimensional array that can also record the operations applied to it | 1 |
# | 多维数组 | n-dimensional array | `numpy.ndarray`, `Tensor` | a grid of numbers with a shape; numpy's array without autograd | 1 |
# | 变量 (`Variable`) | Variable | `torch.autograd.Variable` (PyTorch only) | the pre-0.4 wrapper that added autograd to a tensor; today a tensor does it itself | 1 |
# | 需要求导 (`requires_grad` 属性) | requires grad | `Tensor.requires_grad`, `requires_grad_()` | the flag saying whether gradients must flow into this tensor; False by default | 1 |
# | 动态计算图 | dynamic computation graph | `grad_fn`, `next_functions` | the graph recorded while the code runs, anew on every forward pass | 2 |
# | 计算图 | computation graph | `grad_fn`, `next_functions` | the record of which operations produced which tensors; backward walks it | 2 |
# | 有向无环图 (DAG) | directed acyclic graph | (the shape of the graph) | edges have a direction and never form a loop; paths may split and join again | 2 |
# | 节点 | node | `grad_fn`, e.g. `MulBackward0` | one recorded operation; in PyTorch the nodes are Function objects, not tensors | 2 |
# | 边 | edge | `node.next_functions` | a data dependency, pointing from an operation's output back to the node of each input | 2 |
# | 数据依赖 | data dependency | `next_functions` | "this result was computed from that tensor": what an edge records | 2 |
# | 入口 | entry point | `Tensor.grad_fn` | the node through which a result leads into the graph | 2 |
# | 叶子节点 | leaf (node) | `Tensor.is_leaf`, `AccumulateGrad` | a tensor no recorded operation produced (your inputs and parameters); only leaves keep `.grad` | 1, 2 |
# | 根节点 | root | the tensor you call `.backward()` on | the output (usually the loss) where backward starts | 2, 3 |
# | 子图 | subgraph | (excluded from backward) | the part of a computation that needs no gradient; it is never recorded | 1 |
# | Function类 | Function class | `torch.autograd.Function` | an operation with a forward and a backward; its objects are the graph's nodes | 2, 8 |
# | 求导 | differentiation | `backward()`, `torch.autograd.grad` | computing derivatives (here: by the engine, not by hand) | 3 |
# | 梯度 | gradient | `Tensor.grad` | the derivatives of a scalar with respect to each entry of a tensor | 3 |
# | 链式法则 | chain rule | each node's `backward` | the derivative of a composition is the product of the local derivatives along the path | 3 |
# | 反向传播 | backpropagation | `loss.backward()` | applying the chain rule from the root back to the leaves, node by node | 3 |
# | 逆序 | reverse order | the engine's ready queue | backward runs the nodes in the opposite order from the forward pass | 3 |
# | 标量 | scalar | a one-element tensor, `loss.item()` | a single number; `backward()` on it needs no `gradient` argument | 4 |
# | 向量函数 | vector function | $\vec y = f(\vec x)$ | a function with several inputs and several outputs | 4 |
# | 雅克比矩阵 (also written 雅可比矩阵) | Jacobian matrix | `torch.autograd.functional.jacobian` | the matrix of all first derivatives $\partial y_i/\partial x_j$ | 4, 7 |
# | 向量-雅克比积 | vector-Jacobian product (VJP) | `y.backward(v)`, `functional.vjp` | $v^\top J$: what one backward pass computes, without forming $J$ | 4 |
# | 参数 `grad_tensor` | the `gradient` argument | `y.backward(gradient=v)`; `grad_tensors` in `torch.autograd.backward` | the vector $v$; it must have the output's shape | 4 |
# | 转置 | transpose | $J^\top$, `Tensor.t()` | rows become columns; $J^\top v$ lists the same numbers as $v^\top J$ | 4 |
# | 列向量 | column vector | a shape `(n, 1)` | a vector written vertically, as in $J^\top v$ | 4 |
# | 上游梯度 | upstream gradient | `grad_output` | the gradient arriving at a node from the nodes closer to the root | 3, 4 |
# | 梯度累加 | gradient accumulation | `AccumulateGrad`, `.grad` | backward *adds* into `.grad` instead of overwriting it | 5 |
# | 清零 | zeroing (the gradients) | `optimizer.zero_grad()`, `.grad.zero_()` | clearing `.grad` before the next backward, so old gradients do not add up | 5, 9 |
# | 多个输出 | several outputs | several `backward()` calls | why accumulation is the right default: each backward adds its share | 5 |
#
# ## Terms of the later lessons
#
# These do not appear in the source article; the Chinese names are the ones in common use.
#
# | 中文 | English | in PyTorch / autograd_nb | meaning | lesson |
# |---|---|---|---|---|
# | 禁用梯度计算 | disabling gradient tracking | `torch.no_grad()`, `set_grad_enabled` | a block in which operations are not recorded | 6 |
# | 分离 | detaching | `Tensor.detach()` | the same values, cut off from the graph | 6 |
# | 原地操作 | in-place operation | `add_`, `mul_`, `+=` | an operation that overwrites a tensor's own memory | 6 |
# | 版本计数器 | version counter | `Tensor._version` | counts in-place changes, so backward can detect overwritten saved tensors | 6 |
# | 钩子 | hook | `register_hook`, `register_prehook` | a function called with a gradient during backward; may replace it | 6 |
# | 高阶导数 | higher-order derivative | `create_graph=True` | a derivative of a derivative | 7 |
# | 海森矩阵 | Hessian matrix | `functional.hessian` | the matrix of second derivatives of a scalar function | 7 |
# | 前向模式 / 反向模式 | forward mode / reverse mode | `autograd.forward_ad` / `backward` | push a tangent forwards ($Ju$) or a gradient backwards ($v^\top J$) | 7 |
# | 自定义算子 | custom operation | `torch.autograd.Function` subclass | an operation with a backward you write yourself | 8 |
# | 梯度检验 | gradient check | `torch.autograd.gradcheck` | comparing a backward with finite differences | 8 |
# | 损失函数 | loss function | `nn.CrossEntropyLoss` | the scalar that training makes small | 9 |
# | 优化器 | optimizer | `optim.SGD`, `optim.Adam` | updates the parameters from their gradients | 9 |
# | 学习率 | learning rate | `lr` | the size of each update step | 9 |
#
# ## Where each part of the source lesson is taught
#
# | section of the source | what it says, in short | taught in |
# |---|---|---|
# | autograd简介 (introduction) | a tensor is an array like numpy's that records operations once `requires_grad` is set: a dynamic computation graph | lessons 0, 1, 2 |
# | the `Variable` note | before version 0.4, autograd lived in a separate `Variable` wrapper; the two were merged | lesson 1 ("A bit of history"); `.data` from that era in lesson 6 |
# | leaves, roots and `.backward()` | inputs are leaves, the output is the root; backward applies the chain rule from root to leaves; only leaves that require grad keep `.grad` | lessons 1, 2, 3 |
# | the DAG note | the graph is a directed acyclic graph, so "leaf" and "root" are only convenient names | lesson 2 |
# | requires_grad属性 | off by default; a result requires grad iff an input does; subgraphs that need none are left out (with the `x + y`, `a + z` example) | lesson 1 |
# | Function类 | the graph's nodes are Function objects, not tensors; `grad_fn` is the entry point; backward runs the Functions in reverse order | lessons 2, 3; writing your own: lesson 8 |
# | backward函数 | the entry point of backpropagation; the `grad_tensor` argument ($v$) may be left out only for a scalar | lessons 3, 4 |
# | 雅克比矩阵 and the vector-Jacobian product | the Jacobian, autograd as a $v^\top J$ engine, and $J^\top v$ as the chain rule for an upstream gradient | lesson 4; whole Jacobians, Hessians and forward mode in lesson 7 |
# | 梯度累加 | backward adds into `.grad`; why adding is the simpler design; clear with `zero_grad` | lesson 5; in the training loop, lesson 9 |
#
# ## The names are real
#
# Every PyTorch name in the tables above (except `Variable`) can be looked up in `autograd_nb`:

# %% [markdown] lang=zh
# # 术语表：原文术语中英对照
#
# 本课程用自己的话讲授一篇讲解PyTorch自动微分原理的中文文章（*pytorch自动微分原理*）。如果你读过那篇文章，或其他中文的PyTorch资料，下面的表格把其中的术语与对应的英文术语（PyTorch的英文文档和本课程的英文版用的就是它们）以及你在代码中写的名字对应起来。第三列中的每个名字都存在于PyTorch中，除非另有标注，也都存在于`autograd_nb`中；最后的代码单元格会检查这一点。
#
# ## 原文中的术语
#
# | 术语 | English | 在 PyTorch / autograd_nb 中 | 含义 | 课 |
# |---|---|---|---|---|
# | 自动微分 | automatic differentiation | `torch.autograd` | 对记录下来的每个运算应用链式法则，算出程序的精确导数 | 0 |
# | 张量 | tensor | `torch.Tensor` | n维数组，还能记录作用在它上面的运算 | 1 |
# | 多维数组 | n-dimensional array | `numpy.ndarray`、`Tensor` | 有形状的一格格数字；numpy的数组就是这种，只是没有autograd | 1 |
# | 变量 (`Variable`) | Variable | `torch.autograd.Variable`（仅PyTorch） | 0.4版之前为张量加上autograd功能的包装类；如今张量自己就能做到 | 1 |
# | 需要求导 (`requires_grad` 属性) | requires grad | `Tensor.requires_grad`、`requires_grad_()` | 表示梯度是否必须流入这个张量的标志；默认为False | 1 |
# | 动态计算图 | dynamic computation graph | `grad_fn`、`next_functions` | 代码运行时记录下来的图，每次前向传播都重新记录 | 2 |
# | 计算图 | computation graph | `grad_fn`、`next_functions` | 哪些运算产生了哪些张量的记录；反向传播沿着它走 | 2 |
# | 有向无环图 (DAG) | directed acyclic graph | （计算图的形状） | 边有方向，且永远不会构成环；路径可以分叉，也可以重新汇合 | 2 |
# | 节点 | node | `grad_fn`，如`MulBackward0` | 一个被记录的运算；在PyTorch中，节点是Function对象，而不是张量 | 2 |
# | 边 | edge | `node.next_functions` | 一个数据依赖，从运算的输出指回它每个输入的节点 | 2 |
# | 数据依赖 | data dependency | `next_functions` | “这个结果是由那个张量算出来的”：一条边记录的就是这个 | 2 |
# | 入口 | entry point | `Tensor.grad_fn` | 结果经由这个节点通向计算图 | 2 |
# | 叶子节点 | leaf (node) | `Tensor.is_leaf`、`AccumulateGrad` | 不由任何被记录的运算产生的张量（你的输入和参数）；只有叶子节点会保留`.grad` | 1, 2 |
# | 根节点 | root | 你调用`.backward()`的那个张量 | 反向传播开始的地方，即输出（通常是损失） | 2, 3 |
# | 子图 | subgraph | （被排除在反向传播之外） | 计算中不需要梯度的部分；它根本不会被记录 | 1 |
# | Function类 | Function class | `torch.autograd.Function` | 带有forward和backward的运算；它的对象就是计算图的节点 | 2, 8 |
# | 求导 | differentiation | `backward()`、`torch.autograd.grad` | 计算导数（在这里由引擎完成，而不是手算） | 3 |
# | 梯度 | gradient | `Tensor.grad` | 一个标量对张量中每个元素的导数 | 3 |
# | 链式法则 | chain rule | 每个节点的`backward` | 复合函数的导数等于沿路径各个局部导数的乘积 | 3 |
# | 反向传播 | backpropagation | `loss.backward()` | 从根节点到叶子节点，逐个节点地应用链式法则 | 3 |
# | 逆序 | reverse order | 引擎的就绪队列 | 反向传播按与前向传播相反的顺序运行各个节点 | 3 |
# | 标量 | scalar | 只有一个元素的张量，`loss.item()` | 单个数；对它调用`backward()`不需要`gradient`参数 | 4 |
# | 向量函数 | vector function | $\vec y = f(\vec x)$ | 有多个输入和多个输出的函数 | 4 |
# | 雅克比矩阵（也写作雅可比矩阵） | Jacobian matrix | `torch.autograd.functional.jacobian` | 由所有一阶导数$\partial y_i/\partial x_j$组成的矩阵 | 4, 7 |
# | 向量-雅克比积 | vector-Jacobian product (VJP) | `y.backward(v)`、`functional.vjp` | $v^\top J$：一次反向传播算出的就是它，无需构造出$J$ | 4 |
# | 参数 `grad_tensor` | the `gradient` argument | `y.backward(gradient=v)`；`torch.autograd.backward`中的`grad_tensors` | 向量$v$；它必须与输出形状相同 | 4 |
# | 转置 | transpose | $J^\top$、`Tensor.t()` | 行变成列；$J^\top v$列出的数与$v^\top J$相同 | 4 |
# | 列向量 | column vector | 形状为`(n, 1)` | 竖着写的向量，如$J^\top v$ | 4 |
# | 上游梯度 | upstream gradient | `grad_output` | 从更靠近根节点的节点传到某个节点的梯度 | 3, 4 |
# | 梯度累加 | gradient accumulation | `AccumulateGrad`、`.grad` | 反向传播把梯度*加*到`.grad`上，而不是覆盖它 | 5 |
# | 清零 | zeroing (the gradients) | `optimizer.zero_grad()`、`.grad.zero_()` | 在下一次反向传播之前清空`.grad`，免得旧梯度累加起来 | 5, 9 |
# | 多个输出 | several outputs | 多次调用`backward()` | 累加之所以是正确的默认行为：每次反向传播都加上自己那一份 | 5 |
#
# ## 后续课程中的术语
#
# 这些术语没有出现在原文中；表中的中文名称是常用的译法。
#
# | 术语 | English | 在 PyTorch / autograd_nb 中 | 含义 | 课 |
# |---|---|---|---|---|
# | 禁用梯度计算 | disabling gradient tracking | `torch.no_grad()`、`set_grad_enabled` | 一个不记录运算的代码块 | 6 |
# | 分离 | detaching | `Tensor.detach()` | 数值相同，但与计算图断开 | 6 |
# | 原地操作 | in-place operation | `add_`、`mul_`、`+=` | 直接改写张量自身内存的运算 | 6 |
# | 版本计数器 | version counter | `Tensor._version` | 统计原地修改的次数，让反向传播能发现被改写过的已保存张量 | 6 |
# | 钩子 | hook | `register_hook`、`register_prehook` | 反向传播过程中以梯度为参数调用的函数；可以替换这个梯度 | 6 |
# | 高阶导数 | higher-order derivative | `create_graph=True` | 导数的导数 | 7 |
# | 海森矩阵 | Hessian matrix | `functional.hessian` | 标量函数的二阶导数组成的矩阵 | 7 |
# | 前向模式 / 反向模式 | forward mode / reverse mode | `autograd.forward_ad` / `backward` | 向前推一个切向量（$Ju$），或向后传一个梯度（$v^\top J$） | 7 |
# | 自定义算子 | custom operation | `torch.autograd.Function`的子类 | 由你亲手写backward的运算 | 8 |
# | 梯度检验 | gradient check | `torch.autograd.gradcheck` | 拿backward与有限差分作比较 | 8 |
# | 损失函数 | loss function | `nn.CrossEntropyLoss` | 训练要让它变小的那个标量 | 9 |
# | 优化器 | optimizer | `optim.SGD`、`optim.Adam` | 根据参数的梯度更新参数 | 9 |
# | 学习率 | learning rate | `lr` | 每一步更新的步长 | 9 |
#
# ## 原文各部分在哪一课讲授
#
# | 原文章节 | 内容提要 | 讲授于 |
# |---|---|---|
# | autograd简介 | 张量是类似numpy的ndarray的数组，设置`requires_grad`之后就会记录作用在它上面的运算：这就是动态计算图 | 第0、1、2课 |
# | 关于`Variable`的附注 | 0.4版之前，autograd由单独的`Variable`包装类负责；后来二者合并了 | 第1课（讲历史的那一小节）；那个时代留下的`.data`见第6课 |
# | 叶子、根与`.backward()` | 输入是叶子节点，输出是根节点；反向传播从根到叶应用链式法则；只有`requires_grad`和`is_leaf`都为`True`的节点才会把导数存储到`.grad`中 | 第1、2、3课 |
# | 关于有向无环图的附注 | 计算图是有向无环图，所以“叶”和“根”只是方便的叫法 | 第2课 |
# | requires_grad属性 | 默认关闭；只要有一个输入需要求导，结果就需要求导；不需要求导的节点所在的子图会被排除在外（即`x + y`、`a + z`的例子） | 第1课 |
# | Function类 | 计算图的节点是Function对象，而不是张量；`grad_fn`是入口；反向传播按逆序运行各个Function | 第2、3课；自己编写Function见第8课 |
# | backward函数 | 反向传播的入口点；只有对标量，才可以省略参数`grad_tensor`（即$v$） | 第3、4课 |
# | 雅克比矩阵与向量-雅克比积 | 雅可比矩阵；autograd是一个计算$v^\top J$的引擎；$J^\top v$就是作用在上游梯度上的链式法则 | 第4课；完整的雅可比矩阵、海森矩阵和前向模式见第7课 |
# | 梯度累加 | 梯度是累加的：反向传播把梯度加到`.grad`上；为什么累加让设计更简单；用`zero_grad`清零 | 第5课；训练循环中的用法见第9课 |
#
# ## 这些名字都真实存在
#
# 上面各表中的每个PyTorch名字（`Variable`除外）都能在`autograd_nb`中查到：

# %% lang=en
import autograd_nb as torch

names = [
    "autograd", "Tensor", "Tensor.requires_grad", "Tensor.requires_grad_", "Tensor.grad_fn",
    "Tensor.is_leaf", "Tensor.grad", "Tensor.backward", "Tensor.detach", "Tensor.register_hook",
    "Tensor.add_", "Tensor.t", "Tensor.item", "Tensor._version", "no_grad", "set_grad_enabled",
    "autograd.Function", "autograd.grad", "autograd.gradcheck", "autograd.forward_ad",
    "autograd.functional.jacobian", "autograd.functional.vjp", "autograd.functional.hessian",
    "nn.CrossEntropyLoss", "optim.SGD", "optim.Adam", "optim.Optimizer.zero_grad",
]


def exists(dotted):
    """Follow a dotted name from the package, one attribute at a time."""
    owner = torch
    for part in dotted.split("."):
        if not hasattr(owner, part):
            return False
        owner = getattr(owner, part)
    return True


missing = [name for name in names if not exists(name)]
print(f"{len(names)} names looked up; missing: {missing}")
assert not missing

# %% lang=zh
import autograd_nb as torch
torch.set_language("zh")

names = [
    "autograd", "Tensor", "Tensor.requires_grad", "Tensor.requires_grad_", "Tensor.grad_fn",
    "Tensor.is_leaf", "Tensor.grad", "Tensor.backward", "Tensor.detach", "Tensor.register_hook",
    "Tensor.add_", "Tensor.t", "Tensor.item", "Tensor._version", "no_grad", "set_grad_enabled",
    "autograd.Function", "autograd.grad", "autograd.gradcheck", "autograd.forward_ad",
    "autograd.functional.jacobian", "autograd.functional.vjp", "autograd.functional.hessian",
    "nn.CrossEntropyLoss", "optim.SGD", "optim.Adam", "optim.Optimizer.zero_grad",
]


def exists(dotted):
    """Follow a dotted name from the package, one attribute at a time."""
    owner = torch
    for part in dotted.split("."):
        if not hasattr(owner, part):
            return False
        owner = getattr(owner, part)
    return True


missing = [name for name in names if not exists(name)]
print(f"{len(names)} names looked up; missing: {missing}")
assert not missing
