# %% [markdown]
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

# %%
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
