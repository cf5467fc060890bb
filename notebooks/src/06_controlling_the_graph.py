# %% [markdown] lang=en
# # 6 · Controlling the graph
#
# **Goals.** Decide for yourself what autograd records. You will switch recording off and on
# (`no_grad`, `enable_grad`, `set_grad_enabled`), see why every optimizer step runs under `no_grad`,
# take a tensor out of the graph with `detach()` (and learn why `.data` is the risky way to do it),
# freeze parameters with `requires_grad_()`, read the in-place error and its *version counter*, and
# watch or change gradients on their way with hooks.
#
# **Prerequisites.** Lessons 1 (leaves), 3 (saved tensors) and 5 (`zero_grad`).
#
# ## Switching recording off: `no_grad`
#
# Recording costs something: every operation on a tensor that requires grad creates a node, and many
# nodes keep tensors alive for backward. When you only want numbers (evaluating a model, updating
# weights, logging) you can switch recording off for a block of code:

# %% [markdown] lang=zh
# # 6 · 控制计算图
#
# **目标。** 由你自己决定autograd记录什么。你将关闭和重新开启记录（`no_grad`、`enable_grad`、`set_grad_enabled`），看到为什么优化器的每一步更新都在`no_grad`下进行，用`detach()`把张量从计算图中取出来（并了解为什么用`.data`这样做有风险），用`requires_grad_()`冻结参数，读懂原地操作的报错和其中的*版本计数器*，还会用钩子观察或修改正在传递的梯度。
#
# **预备知识。** 第1课（叶子节点）、第3课（保存的张量）和第5课（`zero_grad`）。
#
# ## 关闭记录：`no_grad`
#
# 记录是有代价的：对需要求导的张量做的每个运算都会创建一个节点，而许多节点还要为反向传播把张量保留下来。如果你只需要数值（评估模型、更新权重、记录日志），可以在一段代码中关闭记录（即禁用梯度计算）：

# %% lang=en
%xmode minimal
import autograd_nb as torch
from autograd_nb import nn
from autograd_nb.viz import draw
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
z = w * 2
print("inside no_grad: ", y.requires_grad, y.grad_fn)
print("outside:        ", z.requires_grad, z.grad_fn)

# %% lang=zh
%xmode minimal
import autograd_nb as torch
torch.set_language("zh")  # 图片、探索器和练习提示都用中文
from autograd_nb import nn
from autograd_nb.viz import draw
from checks import check

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
z = w * 2
print("inside no_grad: ", y.requires_grad, y.grad_fn)
print("outside:        ", z.requires_grad, z.grad_fn)

# %% [markdown] lang=en
# Inside the block the propagation rule of lesson 1 is suspended: `w` still requires grad, but nothing
# computed from it is recorded, so `y` is a plain tensor (a leaf, with no history). Grad mode is one
# global switch, which you can read with `torch.is_grad_enabled()`.
#
# The same object works as a decorator, for a function that should never record:

# %% [markdown] lang=zh
# 在这个代码块内部，第1课的传播规则暂时失效：`w`仍然需要求导，但由它算出的任何结果都不会被记录，所以`y`是一个普通张量（一个没有历史的叶子）。梯度模式是一个全局开关，可以用`torch.is_grad_enabled()`读取它的状态。
#
# 同一个对象也可以用作装饰器，修饰一个永远不应该记录的函数：

# %%
@torch.no_grad()
def predict(inputs):
    return (inputs * w).sum()


print("result:", predict(torch.ones(2)))
print("recording outside the function:", torch.is_grad_enabled())

# %% [markdown] lang=en
# The result has no `grad_fn`, and the switch is back on once the function returns.
#
# Two relatives: `enable_grad()` switches recording back **on** inside a `no_grad` block, and
# `set_grad_enabled(flag)` sets the switch to a value you compute, which is handy for code shared by
# training (record) and evaluation (don't):

# %% [markdown] lang=zh
# 结果没有`grad_fn`，而函数一返回，开关就恢复为开启。
#
# 还有两个相关的工具：`enable_grad()`在`no_grad`代码块内部把记录重新**打开**；`set_grad_enabled(flag)`把开关设为你算出来的值，对训练（要记录）和评估（不记录）共用的代码很方便：

# %%
def forward(inputs, training):
    with torch.set_grad_enabled(training):
        return (inputs * w).sum()


print("training:  ", forward(torch.ones(2), training=True))
print("evaluation:", forward(torch.ones(2), training=False))

# %% [markdown] lang=en
# ## Why the optimizer step runs under `no_grad`
#
# Gradient descent changes each weight in place: $w \leftarrow w - \eta\, \partial L/\partial w$. Try it
# with recording on:

# %% [markdown] lang=zh
# ## 为什么优化器的更新要在`no_grad`下进行
#
# 梯度下降原地修改每个权重：$w \leftarrow w - \eta\, \partial L/\partial w$。在开启记录的情况下试一试：

# %% tags=["raises-exception"]
loss = (w ** 2).sum()
loss.backward()
w -= 0.1 * w.grad

# %% [markdown] lang=en
# PyTorch refuses, for good reason. If this update were recorded, `w` would stop being a leaf: its new
# value would get a `grad_fn` pointing back to its old value, the next backward would run back through
# every update ever made, and the tensor you created would no longer be the leaf that collects `.grad`.
# An update is not part of the model, so it must not be part of the graph. Under `no_grad` it is
# allowed:

# %% [markdown] lang=zh
# 这条错误是说：一个需要求导的叶子张量（旧称Variable）被用在了原地操作中。
#
# PyTorch拒绝这样做，而且理由充分。如果这次更新被记录下来，`w`就不再是叶子了：它的新值会得到一个指回旧值的`grad_fn`，下一次反向传播会沿着以往的每一次更新一路往回走，而你创建的那个张量也不再是收集`.grad`的叶子。更新不是模型的一部分，所以也不能成为计算图的一部分。在`no_grad`下就可以这样做：

# %%
print("version before:", w._version)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, " version after:", w._version)

# %% [markdown] lang=en
# `w` is still the same leaf, with new values. (`_version` counts the in-place changes made to a
# tensor; it matters further down.) Every optimizer's `step` does exactly this under `no_grad`; in
# `autograd_nb`, `SGD.step` and `Adam.step` carry the `@no_grad()` decorator.
#
# The tempting alternative, `w = w - 0.1 * w.grad`, is a classic bug: it does not change the leaf, it
# builds a *new* tensor that is the result of a subtraction, so the name `w` now points to a non-leaf
# that will never get a `.grad`:

# %% [markdown] lang=zh
# `w`仍然是同一个叶子，只是数值变了。（`_version`统计一个张量被原地修改的次数；后面会用到它。）每个优化器的`step`做的正是这件事，而且都在`no_grad`下进行；在`autograd_nb`中，`SGD.step`和`Adam.step`都带有`@no_grad()`装饰器。
#
# 一个诱人的替代写法`w = w - 0.1 * w.grad`是一个经典的bug：它没有修改叶子，而是构造了一个*新*张量，即一次减法的结果，于是名字`w`现在指向一个永远得不到`.grad`的非叶子张量：

# %%
w_new = w - 0.1 * w.grad
print(w_new.is_leaf, w_new.grad_fn)

# %% [markdown] lang=en
# ## `detach()`: the same numbers, without the history
#
# `t.detach()` returns a tensor that **shares memory** with `t` but stands outside the graph: no
# `grad_fn`, `requires_grad=False`. Whatever you compute from it is, for autograd, computed from a
# constant. Compare $y = x \cdot x$ with $y = x \cdot c$ where $c$ is `x.detach()`; both are $9$ at
# $x = 3$, but the derivative of the second treats $c$ as a fixed number:
#
# $$\frac{d}{dx}(x\cdot x) = 2x = 6, \qquad \frac{\partial}{\partial x}(x\cdot c) = c = 3 .$$

# %% [markdown] lang=zh
# ## `detach()`：同样的数值，去掉历史
#
# `t.detach()`返回一个与`t`**共享内存**、却位于计算图之外的张量：没有`grad_fn`，`requires_grad=False`。对autograd来说，由它算出的任何东西都是由一个常数算出来的。比较$y = x \cdot x$和$y = x \cdot c$，其中$c$是`x.detach()`；在$x = 3$处两者都等于$9$，但第二个的导数把$c$当作一个固定的数：
#
# $$\frac{d}{dx}(x\cdot x) = 2x = 6, \qquad \frac{\partial}{\partial x}(x\cdot c) = c = 3 .$$

# %%
x = torch.tensor(3.0, requires_grad=True)
c = x.detach()
y_full = x * x
y_cut = x * c
(g_full,) = torch.autograd.grad(y_full, x)
(g_cut,) = torch.autograd.grad(y_cut, x)
print("values:     ", y_full.item(), y_cut.item())
print("derivatives:", g_full.item(), g_cut.item())
assert (g_full.item(), g_cut.item()) == (6.0, 3.0)

# %% [markdown] lang=en
# (`torch.autograd.grad` returns the gradients instead of adding them into `.grad`; lesson 7 uses it a
# lot.) The picture shows the cut: `y_full`'s multiplication has two edges into `x` (the ×2), `y_cut`'s
# has one. `c` floats on its own, dashed: it has the values of `x` but no connection to it.

# %% [markdown] lang=zh
# （`torch.autograd.grad`把梯度返回给你，而不是把它们加进`.grad`；第7课会经常用到它。）图片显示了切断之处：`y_full`的乘法有两条边连到`x`（标着×2），`y_cut`的乘法只有一条。`c`独自漂在一旁，用虚线画出：它有`x`的数值，却与`x`没有任何连接。

# %%
draw([y_full, y_cut], params={"x": x, "c": c, "y_full": y_full, "y_cut": y_cut})

# %% [markdown] lang=en
# You will use `detach()` whenever a value should be treated as a constant: a target computed by the
# model itself, a statistic you log, a tensor you hand to numpy or matplotlib (`t.detach().numpy()`,
# since `t.numpy()` refuses tensors that require grad).
#
# Along with the memory, the detached tensor shares the **version counter**: an in-place change through
# either name counts for both.

# %% [markdown] lang=zh
# 凡是某个值应当被当作常数时，你都会用到`detach()`：由模型自己算出的目标值、要记录的统计量、交给numpy或matplotlib的张量（`t.detach().numpy()`，因为`t.numpy()`不接受需要求导的张量）。
#
# 分离出来的张量除了共享内存，还共享**版本计数器**：通过任何一个名字做的原地修改，对两者都计数。

# %%
h = x * 2
d = h.detach()
d.add_(1)
print(h, " version of h:", h._version)

# %% [markdown] lang=en
# ## `.data`: the old way, and its hazard
#
# Before `detach()` existed (the `Variable` days of lesson 1), the raw values were reached with `.data`.
# It still works and also shares memory, but it hands out a tensor with a **fresh** version counter, so
# autograd cannot see changes made through it. Here is why that matters. `sigmoid` saves its own output
# $s$ for backward, because $\partial s/\partial a = s(1 - s)$:

# %% [markdown] lang=zh
# ## `.data`：旧的方式及其隐患
#
# 在`detach()`出现之前（也就是第1课讲的`Variable`时代），原始数值要通过`.data`来取得。它至今仍然可用，也共享内存，但它交出的张量带着一个**全新的**版本计数器，所以autograd看不到通过它做的修改。下面说明这为什么要紧。`sigmoid`为反向传播保存了它自己的输出$s$，因为$\partial s/\partial a = s(1 - s)$：

# %% lang=en
a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = a.sigmoid()
s.sum().backward()
correct = a.grad.clone()

a.grad = None
s = a.sigmoid()
s.data.zero_()                 # change the saved output behind autograd's back
print("version of s:", s._version)
s.sum().backward()             # no complaint...
print("correct:", correct)
print("got:    ", a.grad)      # ...and a silently wrong gradient

# %% lang=zh
a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = a.sigmoid()
s.sum().backward()
correct = a.grad.clone()

a.grad = None
s = a.sigmoid()
s.data.zero_()                 # 背着 autograd 修改保存的输出
print("version of s:", s._version)
s.sum().backward()             # 没有报错……
print("correct:", correct)
print("got:    ", a.grad)      # ……却悄无声息地得到了错误的梯度

# %% [markdown] lang=en
# The same change made through `detach()` moves the version counter, and backward refuses instead of
# computing nonsense:

# %% [markdown] lang=zh
# 同样的修改如果通过`detach()`进行，版本计数器就会增加，反向传播会拒绝执行，而不是算出一个荒谬的结果：

# %% tags=["raises-exception"]
s = a.sigmoid()
s.detach().zero_()
print("version of s:", s._version)
s.sum().backward()

# %% [markdown] lang=en
# So: use `detach()` to read values out of the graph, and `with torch.no_grad():` plus an in-place
# method (`p.copy_(...)`, `p.mul_(...)`) to change a parameter's values. Avoid `.data` in new code.
#
# ## Freezing parameters: `requires_grad_()`
#
# To keep part of a model fixed (say, a pretrained first layer while you train the rest), switch off
# `requires_grad` on its parameters. By the propagation rule, backward then never even reaches them, and
# since their `.grad` stays `None`, the optimizer skips them. `Module.requires_grad_(False)` does it for
# every parameter of a module:

# %% [markdown] lang=zh
# 所以：用`detach()`从计算图中读取数值，用`with torch.no_grad():`加上原地方法（`p.copy_(...)`、`p.mul_(...)`）修改参数的数值。新代码中不要再用`.data`。
#
# ## 冻结参数：`requires_grad_()`
#
# 要让模型的一部分保持不变（比如一个预训练好的第一层，只训练其余部分），就关掉它的参数的`requires_grad`。按照传播规则，这些参数所在的子图会被排除在反向传播之外，反向传播根本不会到达它们；它们的`.grad`保持为`None`，优化器也就跳过它们。`Module.requires_grad_(False)`对一个模块的所有参数都这样做：

# %% lang=en
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
model[0].requires_grad_(False)                 # freeze the first layer
model(torch.ones(4, 2)).sum().backward()
for name, p in model.named_parameters():
    print(f"{name:9} requires_grad={p.requires_grad!s:5}  grad is None: {p.grad is None}")

# %% lang=zh
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
model[0].requires_grad_(False)                 # 冻结第一层
model(torch.ones(4, 2)).sum().backward()
for name, p in model.named_parameters():
    print(f"{name:9} requires_grad={p.requires_grad!s:5}  grad is None: {p.grad is None}")

# %% [markdown] lang=en
# `model[0].requires_grad_(True)` unfreezes it again. Freezing works only on leaves, which parameters
# always are; a computed tensor's flag is a consequence of its inputs (lesson 1).
#
# ## In-place changes to results, and the version counter
#
# Leaves that require grad may not be changed in place while recording, as we saw. Results may, and
# often that is fine:

# %% [markdown] lang=zh
# `model[0].requires_grad_(True)`会重新解冻它。冻结只对叶子起作用，而参数总是叶子；计算出来的张量的这个标志由它的输入决定（第1课）。
#
# ## 对结果的原地修改与版本计数器
#
# 我们已经看到，在记录时，需要求导的叶子不能被原地修改。结果则可以，而且通常没有问题：

# %% lang=en
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.add_(1)                       # y = 3x + 1, in y's own memory
print(y)
y.sum().backward()
print(x.grad)

# %% lang=zh
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
y.add_(1)                       # y = 3x + 1，就写在 y 自己的内存里
print(y)
y.sum().backward()
print(x.grad)

# %% [markdown] lang=en
# `y.grad_fn` is now the node of the `add_`. The multiplication behind it saved what its derivative
# needs, the factor 3, and `add_` did not touch that: the derivative of $3x$ never looks at `y`. Now
# the same with `exp`:

# %% [markdown] lang=zh
# `y.grad_fn`现在是`add_`的节点。它背后的乘法保存了求导所需的东西，也就是因子3，而`add_`没有碰它：$3x$的导数根本不看`y`。现在对`exp`做同样的事：

# %% tags=["raises-exception"]
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
print("version before add_:", y._version)
y.add_(1)
print("version after add_: ", y._version)
y.sum().backward()

# %% [markdown] lang=en
# Read the message piece by piece:
#
# * *one of the variables needed for gradient computation*: a tensor some node saved for backward;
# * `[torch.FloatTensor [2]]`: its type and shape;
# * *output 0 of Exp*: the saved tensor is the (first) output of `exp`, i.e. `y` itself. Since
#   $\frac{d}{dx}e^x = e^x$, `ExpBackward0` keeps its own result and multiplies the incoming gradient by
#   it, instead of recomputing the exponential;
# * *is at version 1; expected version 0*: when the node saved `y`, its version was 0; `add_` made it 1.
#
# Every tensor carries such a counter, and every in-place operation increments it. Each saved tensor
# remembers the version it had when it was saved, and backward compares the two before using it. If
# they differ, the numbers backward would multiply by ($e^x + 1$ instead of $e^x$) are not the ones the
# formula needs, and an error is far better than a wrong gradient. You can look at what a node saved:

# %% [markdown] lang=zh
# 把这条消息逐段读一遍：
#
# * *one of the variables needed for gradient computation*（计算梯度所需的变量之一）：某个节点为反向传播保存的张量；
# * `[torch.FloatTensor [2]]`：它的类型和形状；
# * *output 0 of Exp*（Exp的第0个输出）：保存的张量是`exp`的（第一个）输出，也就是`y`本身。因为$\frac{d}{dx}e^x = e^x$，`ExpBackward0`保留了自己的结果，用它去乘传入的梯度，而不是重新计算指数；
# * *is at version 1; expected version 0*（当前版本为1，期望的版本为0）：节点保存`y`时，它的版本是0；`add_`把它变成了1。
#
# 每个张量都带有这样一个计数器，每次原地操作都会让它加一。每个保存的张量都记得自己被保存时的版本，反向传播在使用它之前会比较这两个版本。如果两者不同，反向传播要乘的数（$e^x + 1$而不是$e^x$）就不是公式所需要的数，而报错远比给出错误的梯度好。你可以查看一个节点保存了什么：

# %%
y = x.exp()
print(y.grad_fn._saved_result)

# %% [markdown] lang=en
# The cure is to not overwrite what was saved: write `y = y + 1` (a new tensor, `y`'s old memory stays
# intact), or `y = y.clone()` before changing it in place.
#
# ## Hooks: looking at gradients on their way
#
# `t.register_hook(fn)` asks backward to call `fn(grad)` when the gradient with respect to `t` has been
# computed. It works on intermediate tensors too, so it is a way to *see* a gradient that would otherwise
# only pass through (lesson 3's `retain_grad` stores it instead):

# %% [markdown] lang=zh
# 解决办法是不要覆盖已保存的东西：写`y = y + 1`（得到一个新张量，`y`原来的内存保持不变），或者在原地修改之前先写`y = y.clone()`。
#
# ## 钩子：观察传递中的梯度
#
# `t.register_hook(fn)`让反向传播在算出关于`t`的梯度时调用`fn(grad)`。它对中间张量也有效，所以可以用它*看到*一个本来只会路过的梯度（第3课的`retain_grad`则是把它存下来）：

# %% lang=en
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 2
seen = []
handle = h.register_hook(lambda grad: seen.append(grad.clone()))
(h ** 2).sum().backward()
print("dL/dh seen by the hook:", seen[0])
print("dL/dx:                 ", x.grad)
handle.remove()                 # the hook stays until you remove it

# %% lang=zh
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 2
seen = []
handle = h.register_hook(lambda grad: seen.append(grad.clone()))
(h ** 2).sum().backward()
print("dL/dh seen by the hook:", seen[0])
print("dL/dx:                 ", x.grad)
handle.remove()                 # 钩子会一直留着，直到你移除它

# %% [markdown] lang=en
# If `fn` returns a tensor, that tensor **replaces** the gradient and flows on in its place. Clipping
# each entry of an intermediate gradient to $[-1, 1]$, for example:

# %% [markdown] lang=zh
# 如果`fn`返回一个张量，这个张量就会**替换**原来的梯度，代替它继续往下传。例如，把中间梯度的每个元素裁剪到$[-1, 1]$：

# %%
x.grad = None
h = x * 2
handle = h.register_hook(lambda grad: grad.clamp(-1.0, 1.0))
(h ** 2).sum().backward()
print("dL/dh was [4, -8, 12]; clipped to [1, -1, 1], times dh/dx = 2:", x.grad)
handle.remove()
assert x.grad.tolist() == [2.0, -2.0, 2.0]

# %% [markdown] lang=en
# Nodes have hooks as well. `node.register_prehook(fn)` runs before the node, with the gradients of its
# outputs; `node.register_hook(fn)` runs after it, with the gradients it produced for its inputs and the
# ones it received. Both may return replacements. Here we watch `ExpBackward0` at work:

# %% [markdown] lang=zh
# 节点也有钩子。`node.register_prehook(fn)`在节点运行之前调用，参数是该节点各个输出的梯度；`node.register_hook(fn)`在节点运行之后调用，参数是它为各个输入算出的梯度以及它收到的梯度。两者都可以返回替换值。下面我们观察`ExpBackward0`的工作过程：

# %%
x = torch.tensor([0.0, 1.0], requires_grad=True)
y = x.exp()
y.grad_fn.register_prehook(lambda grad_outputs: print("ExpBackward0 receives", grad_outputs[0]))
y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: print("ExpBackward0 sends   ", grad_inputs[0]))
(3 * y).sum().backward()

# %% [markdown] lang=en
# It receives $\partial L/\partial y = 3$ and sends $3e^x$ towards `x`. Tensor hooks are the everyday
# tool (gradient clipping, debugging); node hooks are what libraries build on.
#
# ## Exercises
#
# **1.** Does `z` require grad?

# %% [markdown] lang=zh
# 它收到$\partial L/\partial y = 3$，向`x`发出$3e^x$。张量钩子是日常工具（梯度裁剪、调试）；节点钩子则是各种库的构建基础。
#
# ## 练习
#
# **1.** `z`需要求导吗？

# %% lang=en
w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
    with torch.enable_grad():
        z = y * w
answer = None  # True or False
check("06.enable_inside_no_grad", answer)

# %% lang=zh
w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
    with torch.enable_grad():
        z = y * w
answer = None  # True 或 False
check("06.enable_inside_no_grad", answer)

# %% [markdown] lang=en
# **2.** With $x = 2$, what is `x.grad` after the backward below? Work it out treating the detached
# factor as a constant, then print `x.grad` to confirm.

# %% [markdown] lang=zh
# **2.** 取$x = 2$，执行下面的backward之后，`x.grad`是多少？先把分离出来的因子当作常数算出结果，再打印`x.grad`加以验证。

# %% lang=en
x = torch.tensor(2.0, requires_grad=True)
y = x * x.detach() * x
y.backward()
answer = None  # the number
check("06.detached_factor", answer)

# %% lang=zh
x = torch.tensor(2.0, requires_grad=True)
y = x * x.detach() * x
y.backward()
answer = None  # 这个数
check("06.detached_factor", answer)

# %% [markdown] lang=en
# **3.** Which of these raise the version-counter error when you call `.sum().backward()` on the
# result? Think about what each first operation saves. Give a set of letters.
#
# * a: `x.exp().add_(1)`
# * b: `(x * 3).add_(1)`
# * c: `x.tanh().mul_(2)`
# * d: `x.sin().mul_(2)`

# %% [markdown] lang=zh
# **3.** 对下面哪些结果调用`.sum().backward()`时会引发版本计数器错误？想一想每个式子中的第一个运算保存了什么。用字母的集合作答。
#
# * a: `x.exp().add_(1)`
# * b: `(x * 3).add_(1)`
# * c: `x.tanh().mul_(2)`
# * d: `x.sin().mul_(2)`

# %% lang=en
answer = None  # e.g. {"a"}
check("06.inplace_errors", answer)

# %% lang=zh
answer = None  # 例如 {"a"}
check("06.inplace_errors", answer)

# %% [markdown] lang=en
# ## Summary
#
# * `no_grad()` (a block or a decorator) stops recording; `enable_grad()` resumes it;
#   `set_grad_enabled(flag)` sets it from a value. Parameter updates run under `no_grad`, because a
#   recorded in-place change to a leaf is refused.
# * `detach()` gives the same memory without history: a constant for autograd. `.data` does too, but
#   hides in-place changes from the version counter, so wrong gradients can slip through.
# * `requires_grad_(False)` freezes parameters: backward skips them, their `.grad` stays `None`.
# * In-place changes bump `_version`; if a node saved the tensor, backward raises instead of using
#   overwritten values.
# * `register_hook` on a tensor sees (and may replace) its gradient; remove it with `handle.remove()`.
#   Nodes have `register_prehook` and `register_hook`.
#
# **In the engine:** `autograd_nb/grad_mode.py` (the switch, read by `Function.apply` in
# `autograd_nb/function.py`); `detach`, `data`, `requires_grad_`, `register_hook` and `_version` in
# `autograd_nb/tensor.py`; `autograd_nb/ops/inplace.py` (the leaf rule and the version bump);
# `SavedTensor.unpack` in `autograd_nb/saved_tensor.py` (the version check and its message);
# `_tensor_hooks` and the node hooks in `_run_node` in `autograd_nb/engine.py`;
# `autograd_nb/optim/sgd.py` (a `step` under `@no_grad()`).

# %% [markdown] lang=zh
# ## 小结
#
# * `no_grad()`（代码块或装饰器）停止记录；`enable_grad()`恢复记录；`set_grad_enabled(flag)`按一个值设置开关。参数更新在`no_grad`下进行，因为被记录下来的对叶子的原地修改会被拒绝。
# * `detach()`给出同一块内存，但不带历史：对autograd来说它是一个常数。`.data`也是如此，但它向版本计数器隐瞒原地修改，错误的梯度可能因此蒙混过关。
# * `requires_grad_(False)`冻结参数：反向传播跳过它们，它们的`.grad`保持为`None`。
# * 原地修改会让`_version`加一；如果某个节点保存了这个张量，反向传播会报错，而不会使用被覆盖的数值。
# * 张量上的`register_hook`能看到（也可以替换）它的梯度；用`handle.remove()`移除。节点有`register_prehook`和`register_hook`。
#
# **在引擎中：** `autograd_nb/grad_mode.py`（开关，由`autograd_nb/function.py`中的`Function.apply`读取）；`autograd_nb/tensor.py`中的`detach`、`data`、`requires_grad_`、`register_hook`和`_version`；`autograd_nb/ops/inplace.py`（叶子规则和版本加一）；`autograd_nb/saved_tensor.py`中的`SavedTensor.unpack`（版本检查及其报错消息）；`autograd_nb/engine.py`中的`_tensor_hooks`以及`_run_node`里的节点钩子；`autograd_nb/optim/sgd.py`（一个在`@no_grad()`下运行的`step`）。
