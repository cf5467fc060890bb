# %% [markdown] lang=en
# # 10 · The engine in 40 lines
#
# **Goals.** Write the backward pass yourself, over the real graph that autograd records: walk
# `grad_fn.next_functions`, count how many gradients each node waits for, call each node, add up the
# gradients that meet, and let the leaves accumulate. Check it against `.backward()` on a chain, a
# diamond and a shared weight. Then read the engine's own loop, part by part, and see what it adds.
#
# **Prerequisites.** Lessons 2 (nodes and edges), 3 (the chain rule at each node) and 5 (accumulation).
#
# ## What you get to work with
#
# Everything you need is already on the graph. A tensor's `grad_fn` is a node; its `next_functions`
# are the edges to the nodes of its inputs. And a node can be **called**: given $\partial L/\partial$(its
# output), it returns $\partial L/\partial$(each input), one per edge. That call is the node's
# vector-Jacobian product from lesson 4.

# %% [markdown] lang=zh
# # 10 · 40行代码的引擎
#
# **目标。** 自己动手写反向传播，作用在autograd真正记录下来的计算图上：沿着`grad_fn.next_functions`遍历，统计每个节点要等多少个梯度，调用每个节点，把汇合的梯度加起来，最后让叶子节点累加梯度。在一条链、一个菱形和一个共享权重上，拿它与`.backward()`对照检验。然后逐段阅读引擎自己的循环，看看它多做了些什么。
#
# **预备知识。** 第2课（节点与边）、第3课（每个节点上的链式法则）和第5课（梯度累加）。
#
# ## 手头有什么
#
# 需要的一切都已经在计算图上了。张量的`grad_fn`是一个节点；它的`next_functions`就是边，指向各个输入的节点。而且节点可以被**调用**：给它$\partial L/\partial(\text{它的输出})$，它就返回$\partial L/\partial(\text{每个输入})$，每条边一个。这次调用就是第4课讲的、这个节点的向量-雅可比积。

# %% lang=en
import autograd_nb as torch
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = x * w

node = y.grad_fn
print(type(node).__name__, [None if n is None else type(n).__name__ for n, _ in node.next_functions])
with torch.no_grad():  # (a backward formula is made of operations too: not to be recorded here)
    print(node(torch.ones(3)))  # ∂L/∂x = v·w and ∂L/∂w = v·x, for v = ∂L/∂y = ones

# %% lang=zh
import autograd_nb as torch
torch.set_language("zh")
from autograd_nb.viz import chain_rule, filmstrip
from checks import check

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = x * w

node = y.grad_fn
print(type(node).__name__, [None if n is None else type(n).__name__ for n, _ in node.next_functions])
with torch.no_grad():  # （反向公式本身也由运算组成：这里不应记录它们）
    print(node(torch.ones(3)))  # ∂L/∂x = v·w，∂L/∂w = v·x，其中v = ∂L/∂y = ones

# %% [markdown] lang=en
# Two gradients came back, one per edge, in the order of `next_functions`. (A node with a single edge
# returns a single tensor rather than a tuple; PyTorch does the same.)
#
# At the end of each edge to a leaf sits an `AccumulateGrad` node. Calling it does the `+=` of lesson 5:

# %% [markdown] lang=zh
# 返回了两个梯度，每条边一个，顺序与`next_functions`一致。（只有一条边的节点返回单个张量，而不是元组；PyTorch也是这样。）
#
# 每条通向叶子节点的边的尽头，都有一个`AccumulateGrad`节点。调用它，做的就是第5课的`+=`：

# %%
to_x = node.next_functions[0][0]
print(type(to_x).__name__, "x.grad before:", x.grad)
with torch.no_grad():
    to_x(torch.tensor([10.0, 20.0, 30.0]))
print("x.grad after: ", x.grad)
x.grad = None

# %% [markdown] lang=en
# So a backward pass is: start with $v$ at the root's node, call nodes, and hand each result to the next
# node along its edge. The only question is **when** a node may be called. A node must see the *sum* of
# everything sent to it (lesson 3: gradients that meet are added), so it may run only after every edge
# into it has delivered. That needs a count per node, made before anything runs.
#
# ## Step 1: count the edges into each node
#
# Walk the graph from the root's node with a stack (no recursion, so a graph 100,000 nodes deep is fine)
# and count, for every node, how many edges point into it. A node is pushed only the first time it is
# reached, so each node's own edges are counted once.

# %% [markdown] lang=zh
# 所以反向传播就是：先把$v$交给根节点的`grad_fn`，然后调用节点，再把每个结果沿着边交给下一个节点。唯一的问题是节点**什么时候**可以调用。节点必须看到送给它的所有梯度之*和*（第3课：汇合的梯度要相加），所以只有在指向它的每条边都送达之后，它才能运行。这就需要在一切开始运行之前，先为每个节点计数。
#
# ## 第1步：统计指向每个节点的边
#
# 用一个栈从根节点的`grad_fn`出发遍历计算图（不用递归，所以即使图深达100000个节点也没问题），对每个节点统计有多少条边指向它。一个节点只在第一次被遇到时入栈，所以每个节点自己的边只统计一次。

# %% lang=en
def count_dependencies(root_node):
    """{node: number of edges pointing into it}, for every node reachable from root_node."""
    dependencies = {root_node: 0}
    stack = [root_node]
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is None:  # an input that needs no gradient: no node, no edge to count
                continue
            if next_node not in dependencies:  # first visit: its own edges still need counting
                dependencies[next_node] = 0
                stack.append(next_node)
            dependencies[next_node] += 1
    return dependencies


h = x * 2
diamond = (h.exp() + h ** 2).sum()  # h is used twice: its node waits for two gradients
for n, count in count_dependencies(diamond.grad_fn).items():
    print(f"{type(n).__name__:15s} {count}")

# %% lang=zh
def count_dependencies(root_node):
    """{node: number of edges pointing into it}, for every node reachable from root_node."""
    dependencies = {root_node: 0}
    stack = [root_node]
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is None:  # 一个不需要梯度的输入：没有节点，也就没有边要统计
                continue
            if next_node not in dependencies:  # 第一次遇到：它自己的边还有待统计
                dependencies[next_node] = 0
                stack.append(next_node)
            dependencies[next_node] += 1
    return dependencies


h = x * 2
diamond = (h.exp() + h ** 2).sum()  # h被用了两次：它的节点要等两个梯度
for n, count in count_dependencies(diamond.grad_fn).items():
    print(f"{type(n).__name__:15s} {count}")

# %% [markdown] lang=en
# `MulBackward0`, the node that made `h`, has two edges pointing into it: from `ExpBackward0` and from
# `PowBackward0`. It must wait for both. In the chain-rule picture of lesson 3 the two arrows into it
# carry two different gradients, and its rule is applied once, to their sum:

# %% [markdown] lang=zh
# 生成`h`的节点`MulBackward0`有两条边指向它：一条来自`ExpBackward0`，一条来自`PowBackward0`。它必须等两者都送到。在第3课的链式法则图里，指向它的两个箭头带着两个不同的梯度，而它的规则只应用一次，作用在二者之和上：

# %%
chain_rule(diamond, params={"x": x, "h": h, "diamond": diamond})

# %% [markdown] lang=en
# ## Step 2: run the nodes whose gradients have all arrived
#
# Keep a buffer per node for the gradient arriving at it, and a list of **ready** nodes: those whose
# count has dropped to zero. Take a ready node, call it on its buffer, and send each result along its
# edge: add it to the next node's buffer, lower that node's count, and when the count reaches zero the
# next node is ready. Backward formulas are not to be recorded, so the loop runs under `no_grad`.

# %% [markdown] lang=zh
# ## 第2步：运行梯度已全部到达的节点
#
# 为每个节点准备一个缓冲区，存放送到它那里的梯度；再维护一个**就绪**节点列表，里面是计数已降到零的节点。取出一个就绪节点，用它的缓冲区调用它，再把每个结果沿各自的边送出：加到下一个节点的缓冲区里，并把那个节点的计数减一；计数一旦归零，那个节点就进入就绪列表。反向公式不应被记录，所以这个循环在`no_grad`下运行。

# %% lang=en
def my_backward(root, v=None):
    """root.backward(v), written out. Every node here has one output, so one buffer per node."""
    v = torch.ones_like(root) if v is None else v
    dependencies = count_dependencies(root.grad_fn)  # step 1
    buffers = {root.grad_fn: v}  # node -> ∂L/∂(its output), summed as gradients arrive
    ready = [root.grad_fn]
    with torch.no_grad():
        while ready:
            node = ready.pop()
            grad_inputs = node(buffers.pop(node))  # the chain rule at this node (a leaf's node: +=)
            if not isinstance(grad_inputs, tuple):  # one edge: one tensor came back
                grad_inputs = (grad_inputs,)
            for (next_node, _), g in zip(node.next_functions, grad_inputs):
                if next_node is None:
                    continue
                if g is not None:  # where gradients meet, they are added
                    buffers[next_node] = g if next_node not in buffers else buffers[next_node] + g
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0:
                    ready.append(next_node)

# %% lang=zh
def my_backward(root, v=None):
    """root.backward(v), written out. Every node here has one output, so one buffer per node."""
    v = torch.ones_like(root) if v is None else v
    dependencies = count_dependencies(root.grad_fn)  # 第1步
    buffers = {root.grad_fn: v}  # 节点 -> ∂L/∂(它的输出)，梯度陆续送到时逐个相加
    ready = [root.grad_fn]
    with torch.no_grad():
        while ready:
            node = ready.pop()
            grad_inputs = node(buffers.pop(node))  # 在这个节点上应用链式法则（叶子的节点：+=）
            if not isinstance(grad_inputs, tuple):  # 只有一条边：返回的是单个张量
                grad_inputs = (grad_inputs,)
            for (next_node, _), g in zip(node.next_functions, grad_inputs):
                if next_node is None:
                    continue
                if g is not None:  # 梯度在哪里汇合，就在哪里相加
                    buffers[next_node] = g if next_node not in buffers else buffers[next_node] + g
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0:
                    ready.append(next_node)

# %% [markdown] lang=en
# With the comments removed, `count_dependencies` and `my_backward` are about 35 lines. Now the test: the
# same program run twice on fresh leaves, once with `.backward()` and once with `my_backward`, on three
# graphs. A **chain** (each node feeds the next), a **diamond** (one tensor used on two paths that meet
# again) and a **shared weight** (one leaf used by several operations).

# %% [markdown] lang=zh
# 去掉注释，`count_dependencies`和`my_backward`加起来大约35行。现在来检验：同一个程序在新建的叶子节点上运行两次，一次用`.backward()`，一次用`my_backward`，共三张计算图。一条**链**（每个节点的结果送给下一个节点），一个**菱形**（一个张量用在两条路径上，两条路径随后又汇合），以及一个**共享权重**（一个叶子节点被多个运算使用）。

# %%
def chain(a, b):
    return (a * b).exp().sin().sum()


def diamond_graph(a, b):
    h = a * b
    return (h.exp() + h ** 2).sum()


def shared_weight(a, b):
    return (b * a + b ** 2 + (b * 3).tanh()).sum()


def fmt(t):
    return "[" + ", ".join(f"{v:7.4f}" for v in t.tolist()) + "]"


def both_ways(program):
    """a.grad and b.grad from .backward() and from my_backward, on fresh leaves each time."""
    results = []
    for run in (lambda loss: loss.backward(), my_backward):
        a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        b = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
        run(program(a, b))
        results.append((a.grad, b.grad))
    return results


for program in (chain, diamond_graph, shared_weight):
    (ax, bx), (ay, by) = both_ways(program)
    same = torch.allclose(ax, ay) and torch.allclose(bx, by)
    print(f"{program.__name__:14s} a.grad {fmt(ax)}  b.grad {fmt(bx)}  same: {same}")
    assert same

# %% [markdown] lang=en
# The same gradients on all three. (The numbers agree to the last digit or nearly: where several
# gradients are summed, a different order of addition can change the last bit of a float.)
#
# Here is the engine's own pass over the diamond, step by step: `MulBackward0` (the node of `h`) runs
# only at step 5, after both `ExpBackward0` and `PowBackward0` have delivered, and then sends one
# gradient, the sum times its rule, to the leaf.

# %% [markdown] lang=zh
# 三张图上的梯度都相同。（数字一直到最后一位都一致，或者几乎一致：在多个梯度相加的地方，加法的顺序不同，可能改变浮点数的最后一位。）
#
# 下面是引擎自己在菱形上做的反向传播，一步一步展示：`MulBackward0`（`h`的节点）直到第5步才运行，那时`ExpBackward0`和`PowBackward0`都已送达；然后它只向叶子节点送出一个梯度，即把它的规则作用在二者之和上的结果。

# %%
filmstrip(diamond, params={"x": x, "h": h, "diamond": diamond})

# %% [markdown] lang=en
# ## Exercises
#
# **1.** In the shared-weight program, how many edges point into the `AccumulateGrad` node of `b`? Count
# them by hand from the program first, then check with `count_dependencies`.

# %% [markdown] lang=zh
# ## 练习
#
# **1.** 在共享权重的程序里，有多少条边指向`b`的`AccumulateGrad`节点？先根据程序手数一遍，再用`count_dependencies`验证。

# %% lang=en
a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
loss = shared_weight(a, b)
answer = None  # the number of edges into b's AccumulateGrad node
check("10.shared_leaf_edges", answer)

# %% lang=zh
a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
b = torch.tensor([1.5, 0.25, -0.5], requires_grad=True)
loss = shared_weight(a, b)
answer = None  # 指向b的AccumulateGrad节点的边数
check("10.shared_leaf_edges", answer)

# %% [markdown] lang=en
# **2.** `my_backward` takes the *last* ready node (`ready.pop()`). PyTorch takes the ready node that
# was recorded last, the one with the highest `node._sequence_nr()` (and `AccumulateGrad` nodes before
# any other). Change the line `node = ready.pop()` into that rule, run your engine on `diamond_graph`
# while recording `type(node).__name__` as each node runs, and give the list of names. Compare it with
# `torch.autograd.trace()` (lesson 3) on the same program.

# %% [markdown] lang=zh
# **2.** `my_backward`取的是*最后一个*就绪节点（`ready.pop()`）。PyTorch取的是就绪节点中最后被记录的那个，即`node._sequence_nr()`最大的那个（并且`AccumulateGrad`节点排在其他所有节点之前）。把`node = ready.pop()`这一行改成这条规则，在`diamond_graph`上运行你的引擎，同时在每个节点运行时记下`type(node).__name__`，给出这些名字组成的列表。再与同一程序上的`torch.autograd.trace()`（第3课）对比。

# %% lang=en
answer = None  # e.g. ["SumBackward0", ...]: the names in the order your engine ran the nodes
check("10.pytorch_order", answer)

# %% lang=zh
answer = None  # 例如["SumBackward0", ...]：你的引擎运行各节点时依次记下的名字
check("10.pytorch_order", answer)

# %% [markdown] lang=en
# **3.** Go back to the original `my_backward` (with `ready.pop()`) and suppose it did not count: it
# appended `next_node` to `ready` as soon as any gradient reached it (try it: delete the two lines about
# `dependencies[next_node]` and append `next_node` right after the `if g is not None:` block). On
# `diamond_graph`, how many times would it call the node that made `h`?

# %% [markdown] lang=zh
# **3.** 回到原来的`my_backward`（用`ready.pop()`），假设它不计数：只要有梯度送到`next_node`，就立即把它加入`ready`（可以试一试：删掉关于`dependencies[next_node]`的那两行，在`if g is not None:`代码块之后直接追加`next_node`）。在`diamond_graph`上，它会调用生成`h`的节点多少次？

# %% lang=en
answer = None  # how many calls of h's node (MulBackward0)
check("10.without_counting", answer)

# %% lang=zh
answer = None  # h的节点（MulBackward0）被调用的次数
check("10.without_counting", answer)

# %% [markdown] lang=en
# ## The engine's loop, part by part
#
# Now open the real thing. `run_backward` in `autograd_nb/engine.py` is the loop you just wrote, with
# the numbers of its steps in the comments:

# %% [markdown] lang=zh
# ## 逐段阅读引擎的循环
#
# 现在打开真正的引擎。`autograd_nb/engine.py`中的`run_backward`就是你刚才写的循环，注释里标着各步的编号：

# %%
torch.show_source(torch.engine.run_backward)

# %% [markdown] lang=en
# Line by line against yours:
#
# | your `my_backward` | the engine |
# |---|---|
# | `count_dependencies(root.grad_fn)` | `count_dependencies(roots)`: the same walk, for several roots at once |
# | `buffers = {root.grad_fn: v}` | `_add_to_buffer` for each root; a buffer holds one gradient *per output* of the node |
# | `ready = [...]`, `ready.pop()` | a `ReadyQueue`: the most recently recorded node first, as PyTorch |
# | `node(buffers.pop(node))` | `_run_node`: hooks around the call (`node.apply`), and a check that each gradient fits |
# | `buffers[next] = ... + g` | `_add_to_buffer`: the same sum (recorded under `create_graph=True`) |
# | `dependencies[next] -= 1` | the same two lines |
# | `with torch.no_grad()` | `set_grad_enabled(create_graph)`: recorded only when you ask for it |
# | (nothing) | `node.free_saved_tensors()`: why a second `backward()` fails (lesson 3) |
#
# Step 1 is your `count_dependencies`, almost letter for letter:

# %% [markdown] lang=zh
# 逐行对照你的代码：
#
# | 你的`my_backward` | 引擎 |
# |---|---|
# | `count_dependencies(root.grad_fn)` | `count_dependencies(roots)`：同样的遍历，一次处理多个根 |
# | `buffers = {root.grad_fn: v}` | 对每个根调用`_add_to_buffer`；一个缓冲区为节点的*每个输出*各存一个梯度 |
# | `ready = [...]`、`ready.pop()` | 一个`ReadyQueue`：最近记录的节点先运行，与PyTorch相同 |
# | `node(buffers.pop(node))` | `_run_node`：在调用（`node.apply`）前后运行钩子，并检查每个梯度是否相符 |
# | `buffers[next] = ... + g` | `_add_to_buffer`：同样的求和（在`create_graph=True`时会被记录） |
# | `dependencies[next] -= 1` | 同样的两行 |
# | `with torch.no_grad()` | `set_grad_enabled(create_graph)`：只在你要求时才记录 |
# | （没有） | `node.free_saved_tensors()`：第二次`backward()`为什么会失败（第3课） |
#
# 第1步就是你的`count_dependencies`，几乎一字不差：

# %%
torch.show_source(torch.engine.count_dependencies)

# %% [markdown] lang=en
# Step 2, the ready queue. The order never changes the result (exercise 2), but it decides the order in
# which hooks run and what `trace()` prints, so the engine follows PyTorch's rule:

# %% [markdown] lang=zh
# 第2步，就绪队列。顺序从来不会改变结果（练习2），但它决定钩子按什么顺序运行、`trace()`打印什么，所以引擎遵循PyTorch的规则：

# %%
torch.show_source(torch.engine.ReadyQueue)

# %% [markdown] lang=en
# Step 3, running a node. Around your one call, `_run_node` runs the hooks of lesson 6, tells the trace
# (if one is open) what happened, and checks every gradient against the tensor it is for (its shape and
# dtype). At a leaf the node is an `AccumulateGrad`, and calling it is step 5:

# %% [markdown] lang=zh
# 第3步，运行一个节点。在你那一次调用的前后，`_run_node`会运行第6课的钩子，把发生的事告诉追踪（如果开着的话），并把每个梯度与它所对应的张量对照检查（形状和dtype）。到了叶子节点，节点是一个`AccumulateGrad`，调用它就是第5步：

# %%
torch.show_source(torch.engine._run_node)

# %% [markdown] lang=en
# Step 4, sending a gradient and summing where gradients meet:

# %% [markdown] lang=zh
# 第4步，送出梯度，并在梯度汇合处求和：

# %%
torch.show_source(torch.engine._add_to_buffer)

# %% [markdown] lang=en
# The `else` branch is marked as an optimization: it adds the numpy arrays directly instead of calling
# the `+` of two tensors, because nothing needs to be recorded. Every optimization in the engine is
# marked that way, with the benchmark figure that pays for it, so you can skip them on a first read.
#
# Step 5, the leaves: `AccumulateGrad.apply` is the `+=` you called by hand at the top.

# %% [markdown] lang=zh
# `else`分支标注为优化：它直接把numpy数组相加，而不调用两个张量的`+`，因为这里不需要记录任何东西。引擎中的每一处优化都这样标注，并附上证明它值得的基准测试数据，所以初读时可以跳过。
#
# 第5步，叶子节点：`AccumulateGrad.apply`就是你在开头亲手调用过的`+=`。

# %%
torch.show_source(torch.function.AccumulateGrad.apply)

# %% [markdown] lang=en
# The first gradient of a leaf is copied into a new `.grad`, so that the `+=` of later passes changes
# no one else's tensor (the gradient may be the very tensor you passed to `backward`, or one a hook
# kept). With `create_graph=True` the copy and the sums are recorded, so `.grad` can be differentiated.
#
# ## Summary
#
# * A backward pass needs nothing but the graph: call `grad_fn`, follow `next_functions`, repeat.
# * Count the edges into each node first; call a node only when all of them have delivered, with the sum
#   of what arrived. That is the multivariable chain rule, and it is why a diamond comes out right.
# * The order among ready nodes does not change the gradients; the engine follows PyTorch's order so
#   that hooks and traces match.
# * The engine's loop is this loop, plus hooks, pruning for `autograd.grad`, checks, and freeing saved
#   tensors.
#
# **In the engine:** `run_backward`, `count_dependencies`, `ReadyQueue`, `_run_node` and `_add_to_buffer`
# in `autograd_nb/engine.py`; `AccumulateGrad.apply` and `Node.__call__` in `autograd_nb/function.py`.

# %% [markdown] lang=zh
# 叶子节点的第一个梯度会被复制到一个新的`.grad`里，这样以后各次反向传播的`+=`就不会改动别人的张量（这个梯度可能正是你传给`backward`的那个张量，也可能是某个钩子留着的张量）。在`create_graph=True`时，这次复制和那些求和都会被记录，所以`.grad`还可以再求导。
#
# ## 小结
#
# * 反向传播只需要计算图：调用`grad_fn`，沿着`next_functions`走，如此重复。
# * 先统计指向每个节点的边；只有当所有边都送达之后，才用送到的梯度之和调用这个节点。这就是多元函数的链式法则，也是菱形能算对的原因。
# * 就绪节点之间的顺序不影响梯度；引擎遵循PyTorch的顺序，是为了让钩子和追踪的结果一致。
# * 引擎的循环就是这个循环，再加上钩子、为`autograd.grad`做的剪枝、各种检查，以及释放保存的张量。
#
# **在引擎中：** `autograd_nb/engine.py`中的`run_backward`、`count_dependencies`、`ReadyQueue`、`_run_node`和`_add_to_buffer`；`autograd_nb/function.py`中的`AccumulateGrad.apply`和`Node.__call__`。
