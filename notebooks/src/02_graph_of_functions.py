# %% [markdown] lang=en
# # 2 · The graph is made of Functions
#
# **Goals.** Find the graph autograd recorded, walk it by hand, and name its parts the way PyTorch does:
# `grad_fn`, `next_functions`, `AccumulateGrad`. See why it is called a *dynamic* graph.
#
# **Prerequisites.** Lesson 1 (`requires_grad`, leaves).
#
# ## The nodes are operations, not tensors
#
# It is tempting to picture the graph with tensors as its nodes. In PyTorch it is the other way round:
# **the nodes are Function objects**, one per recorded operation, and the edges say which Function's
# output feeds which Function. Every time an operation runs on a tensor that requires grad, a Function
# object is created that
#
# 1. computes the result,
# 2. records that the operation happened (it will compute its gradient later), and
# 3. remembers where its inputs came from.
#
# The result keeps a pointer to that object in `.grad_fn`: the entry point into the graph.

# %% [markdown] lang=zh
# # 2 · 计算图由Function组成
#
# **目标。** 找到autograd记录下来的计算图，亲手遍历它，并像PyTorch那样称呼它的各个部分：`grad_fn`、`next_functions`、`AccumulateGrad`。理解它为什么被称为*动态*计算图。
#
# **预备知识。** 第1课（`requires_grad`、叶子节点）。
#
# ## 节点是运算，而不是张量
#
# 人们很容易把计算图想象成以张量为节点，这其实是不准确的。在PyTorch中恰恰相反：**计算图的节点是Function对象**，每个被记录的运算对应一个；边表示哪个Function的输出送入了哪个Function。每当对需要求导的张量施加一个运算的时候，就会产生一个Function对象，它
#
# 1. 产生运算的结果，
# 2. 记录运算的发生（之后由它来计算梯度），并且
# 3. 记住运算的输入从哪里来。
#
# 运算结果用`.grad_fn`属性记录指向这个对象的指针：这就是计算图的入口。

# %% lang=en
import autograd_nb as torch
from autograd_nb.viz import draw
from checks import check

x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.0], requires_grad=True)
y = (x * w).sum()
print(y)
print(y.grad_fn)

# %% lang=zh
import autograd_nb as torch
torch.set_language("zh")  # 图、探索器和练习提示都用中文
from autograd_nb.viz import draw
from checks import check

x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([0.5, -1.0], requires_grad=True)
y = (x * w).sum()
print(y)
print(y.grad_fn)

# %% [markdown] lang=en
# `SumBackward0` is the node the summation created (the address after `at` changes every run; the
# name does not). The name says what it will do: the *backward* of `sum`. The trailing `0` tells apart
# variants of an operation: `x.sum()` gives `SumBackward0`, `x.sum(dim=0)` gives `SumBackward1`.
#
# ## Edges: `next_functions`
#
# Each node lists the nodes that produced its inputs in `next_functions`: a tuple with one
# `(node, output_number)` pair per tensor input. The edges point **from the output back towards the
# inputs**, the direction in which gradients will travel.

# %% [markdown] lang=zh
# `SumBackward0`就是求和运算产生的节点（`at`后面的地址每次运行都不一样，名字则不会变）。名字说明了它将来要做的事：`sum`的*反向*计算（backward）。末尾的`0`用来区分同一运算的不同变体：`x.sum()`产生`SumBackward0`，`x.sum(dim=0)`产生`SumBackward1`。
#
# ## 边：`next_functions`
#
# 每个节点都在`next_functions`中列出产生其输入的节点：这是一个元组，每个张量输入对应一个`(node, output_number)`对。边表示数据依赖，**从输出指向输入**，也就是梯度将要传递的方向。

# %%
mul_node = y.grad_fn.next_functions[0][0]
print(y.grad_fn.next_functions)
print(mul_node.next_functions)

# %% [markdown] lang=en
# The multiplication's two inputs were the leaves `x` and `w`. A leaf has no `grad_fn`, so the edge ends
# in a special node, **`AccumulateGrad`**: its job is to add the arriving gradient into the leaf's
# `.grad`. It knows its leaf through `.variable`:

# %% [markdown] lang=zh
# 乘法的两个输入是叶子节点`x`和`w`。叶子节点没有`grad_fn`，所以这条边终止于一个特殊的节点**`AccumulateGrad`**：它的任务是把传来的梯度累加到叶子节点的`.grad`中。它通过`.variable`知道自己对应的是哪个叶子节点：

# %%
acc_x = mul_node.next_functions[0][0]
print(type(acc_x).__name__, acc_x.variable is x)

# %% [markdown] lang=en
# An input that does not require grad still gets an entry, but it leads nowhere: `(None, 0)`. Here `c`
# is a constant:

# %% [markdown] lang=zh
# 不需要求导的输入仍然占一项，但这一项不通向任何节点：`(None, 0)`。这里的`c`是一个常量：

# %%
c = torch.tensor([10.0, 20.0])
z = x + c
print(z.grad_fn.next_functions)

# %% [markdown] lang=en
# ## Walking the graph
#
# With `grad_fn` and `next_functions` you can walk the whole graph yourself. This loop visits every node
# reachable from `y` once (a stack instead of recursion, so even very deep graphs are fine):

# %% [markdown] lang=zh
# ## 遍历计算图
#
# 有了`grad_fn`和`next_functions`，你就可以亲手遍历整个计算图。下面的循环把从`y`出发能到达的每个节点都访问一次（用栈代替递归，所以即使是非常深的图也没有问题）：

# %%
def walk(tensor):
    stack, seen, lines = [(tensor.grad_fn, 0)], set(), []
    while stack:
        node, depth = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        label = type(node).__name__
        if label == "AccumulateGrad":
            label += f"  → leaf of shape {tuple(node.variable.shape)}"
        lines.append("    " * depth + label)
        for child, _ in reversed(node.next_functions):
            stack.append((child, depth + 1))
    print("\n".join(lines))


walk(y)

# %% [markdown] lang=en
# That is the same structure `draw` paints:

# %% [markdown] lang=zh
# 这正是`draw`画出来的结构：

# %%
draw(y, params={"x": x, "w": w, "y": y})

# %% [markdown] lang=en
# ## How to read the pictures
#
# The pictures in these lessons follow one grammar, and the legend under each picture repeats it:
#
# * **Rounded boxes are the nodes**: the Function objects, grey, named as PyTorch names them
#   (`MulBackward0`), and the darker `AccumulateGrad` nodes at the leaves.
# * **Arrows are the edges**, and only the edges: one per entry of `next_functions`, pointing from a node
#   to the node of its input, the way gradients travel. An input used twice shows `×2` on its arrow.
# * **Tensors are square tags beside a node**, tied to it by a short dotted line with a dot, never by an
#   arrow: `y` beside `SumBackward0` is "`y.grad_fn` is this node"; `x` beside an `AccumulateGrad` is
#   "this node fills `x.grad`". Green: a result with a `grad_fn`; blue: a leaf that requires grad;
#   dashed white: a tensor autograd does not track, tied to nothing.
#
# So the graph itself is made of nodes and arrows only, as PyTorch stores it; the tags only say which
# tensor belongs where. Later lessons add numbers to the same grammar: the gradient each arrow carried
# (lesson 3), the saved tensors (orange tags, with a dashed line).

# %% [markdown] lang=zh
# ## 怎样读这些图
#
# 这些课程中的图都遵循同一套语法，每幅图下方的图例也会把它重复一遍：
#
# * **圆角框是节点**：即Function对象，灰色，名字与PyTorch的命名一致（`MulBackward0`）；叶子节点处是颜色更深的`AccumulateGrad`节点。
# * **箭头是边，而且只表示边**：`next_functions`的每一项对应一条箭头，从一个节点指向它的输入所在的节点，也就是梯度传递的方向。一个输入被用了两次时，它的箭头上会标出`×2`。
# * **张量是节点旁边的方形标签**，用一条末端带圆点的短虚线与节点相连，绝不用箭头：`SumBackward0`旁边的`y`表示“`y.grad_fn`就是这个节点”；`AccumulateGrad`旁边的`x`表示“这个节点负责填写`x.grad`”。绿色：有`grad_fn`的运算结果；蓝色：需要求导的叶子节点；白色虚线框：autograd不追踪的张量，不与任何东西相连。
#
# 所以，计算图本身只由节点和箭头组成，和PyTorch存储它的方式一样；标签只说明哪个张量属于哪里。后面的课程会在同一套语法上添加数字：每条箭头传递的梯度（第3课），以及保存的张量（橙色标签，用虚线相连）。

# %% [markdown] lang=en
# "Root" and "leaves" are borrowed from trees. The graph is really a **directed acyclic graph** (DAG): a
# tensor used twice gives a node with two incoming edges, and paths split and meet again. The names are
# still handy, and the PyTorch documentation uses them too. Below, `h` is used three times: twice by the
# multiplication (`×2`) and once by the addition, so three edges arrive at `h`'s node `ExpBackward0`;
# the tag `h` beside it only names the tensor that node made.

# %% [markdown] lang=zh
# “根”和“叶”是从树借来的称呼。计算图本质上是一个**有向无环图**（DAG），因此这两个称呼是不太准确的：一个张量被使用两次，它的节点就会有两条指向它的边，路径会分开，再重新汇合。但是这种简称可以帮助理解，PyTorch的文档中仍然采用这种说法。下面的`h`被使用了三次：乘法用了两次（`×2`），加法用了一次，所以有三条边到达`h`的节点`ExpBackward0`；旁边的标签`h`只是标明这个节点产生的是哪个张量。

# %% lang=en
h = x.exp()
d = (h * h + h).sum()      # h is used three times
draw(d, params={"x": x, "h": h, "d": d})

# %% lang=zh
h = x.exp()
d = (h * h + h).sum()      # h被使用了三次
draw(d, params={"x": x, "h": h, "d": d})

# %% [markdown] lang=en
# ## The graph is dynamic
#
# The graph is not declared in advance. It is **recorded while your Python code runs**, and recorded
# anew on every run. Ordinary `if` statements and loops therefore shape it: each forward pass builds the
# graph of the operations that actually happened.

# %% [markdown] lang=zh
# ## 计算图是动态的
#
# 计算图不是事先声明好的。它是**在你的Python代码运行时记录下来的**，并且每次运行都重新记录，所以叫作动态计算图。因此，普通的`if`语句和循环就能决定它的形状：每次前向传播构建的，都是实际发生了的那些运算的计算图。

# %%
def f(t, steps):
    for _ in range(steps):
        t = t * 2 if t.sum() > 0 else t.exp()
    return t.sum()


a = f(torch.tensor([1.0, 3.0], requires_grad=True), steps=2)
b = f(torch.tensor([-1.0, -3.0], requires_grad=True), steps=1)
walk(a)
print("---")
walk(b)

# %% [markdown] lang=en
# Same function, different graphs: for the first input both steps multiplied (two `MulBackward0`
# nodes), for the second the single step took the other branch (`ExpBackward0`). After `backward()` the graph is normally thrown away (lesson 3), and
# the next forward pass records a fresh one. This is what makes PyTorch feel like plain Python.

# %% [markdown] lang=zh
# 同一个函数，不同的计算图：对于第一个输入，两步都做了乘法（两个`MulBackward0`节点）；对于第二个输入，唯一的一步走了另一个分支（`ExpBackward0`）。`backward()`之后，计算图通常会被丢弃（第3课），下一次前向传播会记录一张新的图。正是这一点让PyTorch用起来就像普通的Python。

# %% [markdown] lang=en
# ## Try it: watch the graph grow
#
# The graph builder runs a small program one statement at a time. Step forwards and backwards (or press
# play) and watch each statement add its node; the newest one is outlined. (Without a kernel you see the
# graph after the last statement.)

# %% [markdown] lang=zh
# ## 动手试试：看着计算图长出来
#
# 计算图构建器一次执行小程序中的一条语句。向前或向后单步执行（或者按播放键），看每条语句添加了哪个节点；最新的节点会用边框突出显示。（没有内核时，你看到的是最后一条语句执行之后的图。）

# %%
from autograd_nb.widgets import graph_builder

graph_builder()

# %% [markdown] lang=en
# ## Same picture, real PyTorch
#
# `draw` also accepts real PyTorch tensors, so you can compare. If PyTorch is installed, the graph below
# is drawn from PyTorch's own `grad_fn` objects, and it has the same nodes and edges as the picture of
# `y` further up.

# %% [markdown] lang=zh
# ## 同一幅图，真正的PyTorch
#
# `draw`也接受真正的PyTorch张量，方便你对比。如果安装了PyTorch，下面这幅图就是根据PyTorch自己的`grad_fn`对象画出来的，它的节点和边与上面`y`的那幅图完全相同。

# %% tags=["nbval-ignore-output"]
try:
    import torch as real_torch
except ImportError:
    print("PyTorch is not installed here; `pip install torch==2.13.0` to compare.")
else:
    rx = real_torch.tensor([1.0, 2.0], requires_grad=True)
    rw = real_torch.tensor([0.5, -1.0], requires_grad=True)
    ry = (rx * rw).sum()
    display(draw(ry, params={"x": rx, "w": rw, "y": ry}))

# %% [markdown] lang=en
# ## Exercises
#
# **1.** For `y = x.exp() * 3`, list the node names you meet walking from `y.grad_fn` along the first
# edge each time, before reaching `AccumulateGrad`.

# %% [markdown] lang=zh
# ## 练习
#
# **1.** 对于`y = x.exp() * 3`，从`y.grad_fn`出发，每次都沿第一条边往下走，列出在到达`AccumulateGrad`之前遇到的节点名称。

# %%
x = torch.tensor([0.5, 1.5], requires_grad=True)
y = x.exp() * 3
answer = None  # e.g. ["AddBackward0", "SinBackward0"]
check("02.node_names", answer)

# %% [markdown] lang=en
# **2.** Predict `r.grad_fn.next_functions` before you print it: give the node names in order, with
# `None` where an entry leads to no node.

# %% [markdown] lang=zh
# **2.** 在打印之前先预测`r.grad_fn.next_functions`：按顺序给出节点名称，某一项不通向任何节点时写`None`。

# %%
c = torch.tensor([2.0, 3.0])
r = x * c + c.exp()
answer = None  # e.g. ["AddBackward0", "SinBackward0"]
check("02.next_functions", answer)

# %% [markdown] lang=en
# ## Summary
#
# * Each recorded operation creates a Function node; a result's `grad_fn` points to the node that made it.
# * `next_functions` holds one `(node, output_nr)` edge per tensor input, pointing from output to input;
#   `(None, 0)` for inputs that need no grad, `AccumulateGrad` for leaves that do.
# * The graph is a DAG, recorded while the code runs, so it follows your Python control flow and is
#   rebuilt on every forward pass.
#
# **In the engine:** `Function.apply` in `autograd_nb/function.py` creates the node and its edges (the
# lines under `if record:`); `Tensor._edge` in `autograd_nb/tensor.py` decides where an edge to a tensor
# points; `autograd_nb/viz/model.py` walks the same edges to draw the picture.

# %% [markdown] lang=zh
# ## 小结
#
# * 每个被记录的运算都会创建一个Function节点；运算结果的`grad_fn`指向产生它的节点。
# * `next_functions`为每个张量输入保存一条`(node, output_nr)`边，从输出指向输入；不需要求导的输入对应`(None, 0)`，需要求导的叶子节点对应`AccumulateGrad`。
# * 计算图是一个有向无环图（DAG），在代码运行时被记录下来，因此它跟随Python的控制流，并在每次前向传播时重新构建。
#
# **在引擎中：** `autograd_nb/function.py`中的`Function.apply`创建节点和它的边（`if record:`下面的那几行）；`autograd_nb/tensor.py`中的`Tensor._edge`决定一条通向某个张量的边指向哪里；`autograd_nb/viz/model.py`沿着同样的边遍历，画出这些图。

# %%
torch.show_source(torch.Tensor._edge)
