# %% [markdown] lang=en
# # 8 · Write your own op
#
# **Goals.** Define a new differentiable operation as a subclass of `torch.autograd.Function`, with a
# `forward` and a `backward` you write yourself. Use `ctx.save_for_backward`, `ctx.saved_tensors` and
# `ctx.needs_input_grad`, call it with `.apply`, find its node in the graph, and check the backward with
# `gradcheck`, which passes for a correct formula and shows you the difference for a wrong one.
#
# **Prerequisites.** Lessons 2 (nodes), 3 (the chain rule at each node) and 4 (each node computes a
# vector-Jacobian product).
#
# ## When composing built-in operations is not enough
#
# Autograd differentiates whatever formula you write from its operations. Usually that is all you need.
# Sometimes the formula is fine for the values and poor for the gradient. Take **softplus**, a smooth
# version of ReLU:
#
# $$\operatorname{softplus}(x) = \log(1 + e^x), \qquad \frac{d}{dx}\operatorname{softplus}(x) =
# \frac{e^x}{1 + e^x} = \sigma(x)\ \text{(the sigmoid)}.$$
#
# Written literally it breaks for large $x$: in float32, $e^x$ overflows to `inf` above $x \approx 88.7$,
# so $\log(1 + e^{100})$ comes out as `inf` instead of $100$, and its gradient as $\infty/\infty =$ `nan`.
# The usual cure is an equivalent form in which the exponential never sees a positive number:
#
# $$\operatorname{softplus}(x) = \max(x, 0) + \log\big(1 + e^{-|x|}\big).$$
#
# Built from `clamp`, `abs`, `exp` and `log`, the values are right everywhere. The gradient is not:

# %% [markdown] lang=zh
# # 8 · 编写自定义算子
#
# **目标。** 把一个新的可求导运算定义为`torch.autograd.Function`的子类，亲手写出它的`forward`和`backward`。学会使用`ctx.save_for_backward`、`ctx.saved_tensors`和`ctx.needs_input_grad`，用`.apply`调用它，在计算图中找到它的节点，并用`gradcheck`检验反向计算：公式正确时检验通过，公式错误时它会把差异摆在你面前。
#
# **预备知识。** 第2课（节点）、第3课（每个节点上的链式法则）和第4课（每个节点计算一个向量-雅可比积）。
#
# ## 只靠组合内置运算还不够的时候
#
# 你用各种运算写出什么公式，autograd就对什么公式求导。通常这就够了。但有时一个公式算数值没问题，算梯度却不行。以**softplus**为例，它是ReLU的平滑版本：
#
# $$\operatorname{softplus}(x) = \log(1 + e^x), \qquad \frac{d}{dx}\operatorname{softplus}(x) =
# \frac{e^x}{1 + e^x} = \sigma(x)\ \text{(即sigmoid函数)}.$$
#
# 照字面写出来，$x$很大时它就会出问题：在float32中，$x$超过约$88.7$时$e^x$就溢出为`inf`，于是$\log(1 + e^{100})$算出来是`inf`而不是$100$，梯度则是$\infty/\infty =$ `nan`。常用的补救办法是换一种等价的写法，让指数函数永远碰不到正数：
#
# $$\operatorname{softplus}(x) = \max(x, 0) + \log\big(1 + e^{-|x|}\big).$$
#
# 用`clamp`、`abs`、`exp`和`log`搭出这个式子，数值处处正确。梯度却不然：

# %% lang=en
%xmode minimal
import autograd_nb as torch
from autograd_nb.viz import draw, heatmap, side_by_side
from checks import check

x = torch.tensor([-2.0, 0.0, 2.0, 100.0], requires_grad=True)
y = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
y.sum().backward()
print("softplus(x):", y)
print("autograd:   ", x.grad)
print("sigmoid(x): ", x.detach().sigmoid())

# %% lang=zh
%xmode minimal
import autograd_nb as torch
torch.set_language("zh")
from autograd_nb.viz import draw, heatmap, side_by_side
from checks import check

x = torch.tensor([-2.0, 0.0, 2.0, 100.0], requires_grad=True)
y = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
y.sum().backward()
print("softplus(x):", y)
print("autograd:   ", x.grad)
print("sigmoid(x): ", x.detach().sigmoid())

# %% [markdown] lang=en
# At $x = 0$ autograd says $1$, the true derivative is $\sigma(0) = 0.5$. Autograd differentiated the
# formula, kinks included: at exactly $0$, `clamp` lets the gradient through (slope 1) and `abs` has
# slope $\operatorname{sign}(0) = 0$, so the log term contributes nothing. Mathematically the two kinks
# cancel; their one-sided slopes do not. The composed version also records seven nodes (and keeps their
# saved tensors) where one would do.
#
# When you know the derivative better than the formula does, write the operation yourself.
#
# ## A Function: forward and backward side by side

# %% [markdown] lang=zh
# 在$x = 0$处，autograd给出的是$1$，而真正的导数是$\sigma(0) = 0.5$。Autograd对公式求导，连公式里的折点也照单全收：恰好在$0$处，`clamp`让梯度通过（斜率为1），`abs`的斜率则是$\operatorname{sign}(0) = 0$，于是log那一项什么也没贡献。从数学上看，两个折点互相抵消；可它们各自的单侧斜率并不抵消。此外，组合出来的版本记录了七个节点（还保留着它们保存的张量），而其实一个就够了。
#
# 如果你比公式更清楚导数是什么，就自己来写这个运算。
#
# ## Function：forward和backward写在一起

# %%
class Softplus(torch.autograd.Function):
    """y = log(1 + eˣ), computed without overflow      dy/dx = sigmoid(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (1 + (-x.abs()).exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.sigmoid()
# %% [markdown] lang=en
# Four things to notice:
#
# * Both methods are `@staticmethod`s whose first argument is `ctx`, the *context*. It is the graph node
#   itself: the object that will sit in `y.grad_fn`. Whatever `forward` puts on it is there when
#   `backward` runs.
# * `ctx.save_for_backward(x)` keeps the tensors backward will need, and `ctx.saved_tensors` hands them
#   back. Going through these two (rather than `ctx.x = x`) lets autograd free them after backward and
#   check their version counters (lesson 6). Non-tensor values (numbers, flags) can simply be stored as
#   attributes, `ctx.beta = beta`.
# * `forward` runs with recording switched off: the `clamp`, `abs`, `exp` and `log` inside it leave no
#   nodes. The only node is ours.
# * `backward` receives $\partial L/\partial y$ (one tensor per output of `forward`) and returns
#   $\partial L/\partial x$ (one per input). It is the vector-Jacobian product of lesson 4; for an
#   elementwise function the Jacobian is diagonal, so it is a plain elementwise product.
#
# You call it with `.apply` (never by instantiating the class):

# %% [markdown] lang=zh
# 有四点值得注意：
#
# * 两个方法都是`@staticmethod`，第一个参数都是`ctx`，即*上下文*（context）。它就是计算图的节点本身：将来放在`y.grad_fn`里的那个对象。`forward`放在它上面的任何东西，到`backward`运行时都还在。
# * `ctx.save_for_backward(x)`保存反向计算要用到的张量，`ctx.saved_tensors`再把它们交还回来。经由这两者保存（而不是写`ctx.x = x`），autograd就能在反向传播之后释放这些张量，并检查它们的版本计数器（第6课）。非张量的值（数字、标志）直接存成属性即可，如`ctx.beta = beta`。
# * `forward`运行时，记录是关闭的：其中的`clamp`、`abs`、`exp`和`log`都不会留下节点。唯一的节点是我们自己的这一个。
# * `backward`接收$\partial L/\partial y$（`forward`的每个输出对应一个张量），返回$\partial L/\partial x$（每个输入对应一个）。这正是第4课的向量-雅可比积；对逐元素函数来说，雅可比矩阵是对角矩阵，所以它就是一个普通的逐元素乘积。
#
# 调用时用`.apply`（不要去实例化这个类）：

# %%
x = torch.tensor([-2.0, 0.0, 2.0, 100.0], requires_grad=True)
y = Softplus.apply(x)
print(y)
y.sum().backward()
print(x.grad)
assert torch.allclose(x.grad, x.detach().sigmoid())
# %% [markdown] lang=en
# Now the gradient at $0$ is $0.5$. The result's `grad_fn` is a node named after the class, with
# `Backward` appended: `SoftplusBackward`. (Built-in nodes carry a number because PyTorch numbers the
# variants of an operation, like `SumBackward0` and `SumBackward1` in lesson 2; custom nodes do not.)
# Its edges lead to `x` as for any other node:

# %% [markdown] lang=zh
# 现在$0$处的梯度是$0.5$了。结果的`grad_fn`是一个以类名加上`Backward`命名的节点：`SoftplusBackward`。（内置节点的名字带一个数字，因为PyTorch给同一运算的不同变体编了号，比如第2课的`SumBackward0`和`SumBackward1`；自定义节点不带数字。）和其他节点一样，它的边指向`x`：

# %%
print(type(y.grad_fn).__name__)
print(y.grad_fn.next_functions)
# %% [markdown] lang=en
# Side by side, the graph of the composed formula and the graph of our Function, for the same `x`: seven
# recorded nodes against one. The custom node sits in the graph like any built-in one, with its edge to
# `x`'s `AccumulateGrad`.

# %% [markdown] lang=zh
# 下面把组合公式的计算图和我们这个Function的计算图并排画出来，用的是同一个`x`：一边记录了七个节点，另一边只有一个。自定义节点和任何内置节点一样待在图中，它的边指向`x`的`AccumulateGrad`。

# %% lang=en
composed = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
custom = Softplus.apply(x)
side_by_side([draw(composed, params={"x": x, "composed": composed}),
              draw(custom, params={"x": x, "custom": custom})],
             ["built from operations", "one custom Function"])

# %% lang=zh
composed = x.clamp(min=0) + (1 + (-x.abs()).exp()).log()
custom = Softplus.apply(x)
side_by_side([draw(composed, params={"x": x, "composed": composed}),
              draw(custom, params={"x": x, "custom": custom})],
             ["由多个运算组合而成", "一个自定义 Function"])

# %% [markdown] lang=en
# ## Several inputs: `ctx.needs_input_grad`
#
# `backward` must return one gradient per argument of `forward`. For an input that needs no gradient
# (data, a constant, or a non-tensor argument) return `None`. `ctx.needs_input_grad` is a tuple of
# booleans, one per argument, saying which gradients will actually be used, so backward can skip the
# others. Here is multiplication, written as a Function:

# %% [markdown] lang=zh
# ## 多个输入：`ctx.needs_input_grad`
#
# `forward`有几个参数，`backward`就必须返回几个梯度。对不需要梯度的输入（数据、常量或非张量参数），返回`None`。`ctx.needs_input_grad`是一个布尔值元组，每个参数对应一个，表明哪些梯度真正会被用到，这样backward就可以跳过其余的。下面把乘法写成一个Function：

# %%
class MyMul(torch.autograd.Function):
    """z = x · y      ∂z/∂x = y, ∂z/∂y = x"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        print("needs_input_grad:", ctx.needs_input_grad)
        grad_x = grad_output * y if ctx.needs_input_grad[0] else None
        grad_y = grad_output * x if ctx.needs_input_grad[1] else None
        return grad_x, grad_y


weight = torch.tensor([0.5, -1.0], requires_grad=True)
data = torch.tensor([3.0, 4.0])
MyMul.apply(weight, data).sum().backward()
print("weight.grad:", weight.grad)
# %% [markdown] lang=en
# Only `weight` wants a gradient, so backward computed only `grad_x`. This is not a toy: every built-in
# operation of `autograd_nb` is a Function of exactly this shape. Open `autograd_nb/ops/arithmetic.py` and
# find `class Mul`. Its `backward` is the one above plus `unbroadcast`, which sums the gradient back to
# the input's shape when the multiplication broadcast it. PyTorch's built-in operations are written in
# C++, but each has the same two halves: a forward kernel and a derivative formula.
#
# ## Checking a backward: `gradcheck`
#
# A backward formula is easy to get wrong and hard to test by eye. `torch.autograd.gradcheck` compares it
# with finite differences. It builds the Jacobian twice:
#
# * **numerically**, one column per input element $k$, from the function alone:
#   $\;J_{:,k} \approx \dfrac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon}$;
# * **analytically**, one row per output element, from backward with one-hot vectors (lesson 4);
#
# and checks that they agree within a tolerance. Use **float64** inputs: with $\varepsilon = 10^{-6}$,
# float32's rounding errors (relative size about $10^{-7}$), divided by $2\varepsilon$, would be far
# larger than the tolerance.

# %% [markdown] lang=zh
# 只有`weight`需要梯度，所以backward只计算了`grad_x`。这可不是玩具：`autograd_nb`的每个内置运算都是这种结构的Function。打开`autograd_nb/ops/arithmetic.py`，找到`class Mul`。它的`backward`就是上面这个，再加上`unbroadcast`：乘法对输入做了广播时，它把梯度求和，还原成输入的形状。PyTorch的内置运算是用C++写的，但每个都由同样的两半组成：一个前向kernel和一个求导公式。
#
# ## 检验反向计算：`gradcheck`
#
# 反向公式很容易写错，光靠眼睛又很难检查。`torch.autograd.gradcheck`拿它和有限差分作比较。它把雅可比矩阵构建两遍：
#
# * **数值法**：只用函数本身，每个输入元素$k$得到一列：
#   $\;J_{:,k} \approx \dfrac{f(x + \varepsilon e_k) - f(x - \varepsilon e_k)}{2\varepsilon}$；
# * **解析法**：用backward配合one-hot向量（第4课），每个输出元素得到一行；
#
# 然后检查两者是否在容差范围内一致。输入要用**float64**：取$\varepsilon = 10^{-6}$时，float32的舍入误差（相对大小约为$10^{-7}$）除以$2\varepsilon$，会远远超出容差。

# %%
torch.manual_seed(0)
x = torch.randn(6, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(Softplus.apply, (x,)))
# %% [markdown] lang=en
# `True`: the formula matches the function. Now a plausible mistake: we remember "softplus has something
# to do with the sigmoid" and write the derivative *of the sigmoid*, $\sigma(x)(1 - \sigma(x))$:

# %% [markdown] lang=zh
# `True`：公式与函数吻合。现在来犯一个看似合理的错误：我们记得“softplus跟sigmoid有点关系”，于是写下了*sigmoid的*导数$\sigma(x)(1 - \sigma(x))$：

# %% lang=en
class SoftplusWrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (1 + (-x.abs()).exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad_output * s * (1 - s)        # the sigmoid's derivative: wrong here

# %% lang=zh
class SoftplusWrong(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0) + (1 + (-x.abs()).exp()).log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad_output * s * (1 - s)        # 这是sigmoid的导数：用在这里是错的

# %% tags=["raises-exception"]
x = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
torch.autograd.gradcheck(SoftplusWrong.apply, (x,))
# %% [markdown] lang=en
# The message names the output and input that disagree and prints both Jacobians (PyTorch prints them
# transposed, one row per input element; for an elementwise function they are diagonal either way). The
# numerical diagonal is $\sigma(-1), \sigma(0), \sigma(2) = 0.2689, 0.5, 0.8808$, as it should be; the
# analytical one is what our backward claimed. With `raise_exception=False`, gradcheck returns `False`
# instead, which is handy in tests.
#
# Here are the two Jacobians as gradcheck builds them, side by side: the numerical one column by column
# from nudged inputs, the analytical one from our `backward` (`functional.jacobian` runs it once per
# row, with one-hot vectors as in lesson 4), coloured on one scale.

# %% [markdown] lang=zh
# 这条报错的意思是：第0个输出对第0个输入的雅可比矩阵不匹配，下面依次列出数值法（numerical）和解析法（analytical）得到的两个矩阵。
#
# 报错指明了对不上的是哪个输出和哪个输入，并把两个雅可比矩阵都打印出来（PyTorch打印的是转置后的矩阵，每个输入元素占一行；对逐元素函数来说，转不转置都是对角矩阵）。数值矩阵的对角线是$\sigma(-1), \sigma(0), \sigma(2) = 0.2689, 0.5, 0.8808$，与应有的一致；解析矩阵的对角线则是我们的backward声称的值。如果传入`raise_exception=False`，gradcheck不抛出异常，而是返回`False`，这在测试里很方便。
#
# 下面把gradcheck构建的两个雅可比矩阵并排画出来：左边的数值矩阵，由轻微扰动后的输入逐列算出；右边的解析矩阵，来自我们的`backward`（`functional.jacobian`对每一行运行一次backward，和第4课一样使用one-hot向量）。两者用同一个色标着色。

# %% lang=en
eps = 1e-6
columns = []
with torch.no_grad():
    for k in range(3):  # column k: how every output moves when input k is nudged both ways
        nudge = torch.zeros(3, dtype=torch.float64)
        nudge[k] = eps
        columns.append(((SoftplusWrong.apply(x + nudge) - SoftplusWrong.apply(x - nudge)) / (2 * eps)).tolist())
numerical = torch.tensor(columns).T.tolist()
analytical = torch.autograd.functional.jacobian(SoftplusWrong.apply, x).tolist()
side_by_side([heatmap(numerical, title="numerical: from f alone", limit=1.0),
              heatmap(analytical, title="analytical: from our backward", limit=1.0)])

# %% lang=zh
eps = 1e-6
columns = []
with torch.no_grad():
    for k in range(3):  # 第k列：把输入k向两边各扰动一点时，每个输出如何变化
        nudge = torch.zeros(3, dtype=torch.float64)
        nudge[k] = eps
        columns.append(((SoftplusWrong.apply(x + nudge) - SoftplusWrong.apply(x - nudge)) / (2 * eps)).tolist())
numerical = torch.tensor(columns).T.tolist()
analytical = torch.autograd.functional.jacobian(SoftplusWrong.apply, x).tolist()
side_by_side([heatmap(numerical, title="数值雅可比矩阵：只用 f 算出", limit=1.0),
              heatmap(analytical, title="解析雅可比矩阵：由我们的 backward 算出", limit=1.0)])

# %% [markdown] lang=en
# The diagonals differ: $\sigma(x)$ on the left, $\sigma(x)(1 - \sigma(x))$ on the right.
#
# ## A different gradient on purpose: straight-through
#
# Sometimes you want backward to differ from the true derivative. A network with binary weights
# computes with $\operatorname{sign}(w)$, whose derivative is $0$ almost everywhere: nothing would ever
# learn. The **straight-through estimator** keeps `sign` in the forward pass and, in backward, pretends
# the operation was the identity, at least where $|w| \le 1$:

# %% [markdown] lang=zh
# 两条对角线不一样：左边是$\sigma(x)$，右边是$\sigma(x)(1 - \sigma(x))$。
#
# ## 故意用另一个梯度：直通估计器
#
# 有时你希望backward和真实导数不一样。一个使用二值权重的网络用$\operatorname{sign}(w)$来计算，而它的导数几乎处处为$0$：网络什么也学不到。**直通估计器**（straight-through estimator）在前向传播中保留`sign`，在反向传播中则假装这个运算是恒等映射，至少在$|w| \le 1$的地方如此：

# %%
class BinarizeSTE(torch.autograd.Function):
    """y = sign(x); backward passes the gradient straight through where |x| ≤ 1"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sign()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x.abs() <= 1).to(grad_output.dtype)


w = torch.tensor([-1.5, -0.3, 0.0, 0.4, 2.0], requires_grad=True)
y = BinarizeSTE.apply(w)
print(y)
(y * torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
print(w.grad)
# %% [markdown] lang=en
# With plain `w.sign()` every entry of `w.grad` would be $0$. gradcheck would reject this backward, and
# rightly so: it is not the derivative. It is a design decision, which only a custom Function can
# express.
#
# ## Forward mode for your op
#
# `forward_ad` (lesson 7) needs to know how a tangent passes through each operation. A custom Function
# supplies it with one more static method, `jvp`, which receives the tangent of each input and returns
# $J\cdot$tangent. For softplus that is the tangent times $\sigma(x)$. Forward must then also call
# `ctx.save_for_forward(x)`, the forward-mode twin of `save_for_backward`:

# %% [markdown] lang=zh
# 如果直接用`w.sign()`，`w.grad`的每一项都会是$0$。gradcheck会拒绝这个backward，而且拒绝得有道理：它并不是导数。它是一个设计上的决定，只有自定义Function才能表达。
#
# ## 给你的算子加上前向模式
#
# `forward_ad`（第7课）需要知道切向量如何穿过每个运算。自定义Function只要再提供一个静态方法`jvp`：它接收每个输入的切向量，返回$J\cdot$切向量。对softplus来说，就是切向量乘以$\sigma(x)$。这时forward还必须调用`ctx.save_for_forward(x)`，它是`save_for_backward`在前向模式中的对应物：

# %%
from autograd_nb.autograd import forward_ad


class SoftplusFM(Softplus):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_forward(x)
        return Softplus.forward(ctx, x)

    @staticmethod
    def jvp(ctx, x_tangent):
        (x,) = ctx.saved_tensors
        return x_tangent * x.sigmoid()


with forward_ad.dual_level():
    dual = forward_ad.make_dual(torch.tensor([-1.0, 0.0, 2.0]), torch.ones(3))
    value, tangent = forward_ad.unpack_dual(SoftplusFM.apply(dual))
print(tangent)
assert torch.allclose(tangent, torch.tensor([-1.0, 0.0, 2.0]).sigmoid())
# %% [markdown] lang=en
# Every built-in operation in `autograd_nb/ops/` has such a `jvp` right below its `backward`: the two
# directions of the same derivative, side by side.
#
# ## Exercises
#
# **1.** What is `type(y.grad_fn).__name__` for the result of the Function below?

# %% [markdown] lang=zh
# `autograd_nb/ops/`中的每个内置运算，都在`backward`的正下方有这样一个`jvp`：同一个导数的两个方向，并排放在一起。
#
# ## 练习
#
# **1.** 下面这个Function的结果，其`type(y.grad_fn).__name__`是什么？

# %% lang=en
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x ** 2


answer = None  # a string
check("08.node_name", answer)

# %% lang=zh
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x ** 2


answer = None  # 一个字符串
check("08.node_name", answer)

# %% [markdown] lang=en
# **2.** You call `MyMul.apply(a, b)` where only `b` requires grad. What does backward see in
# `ctx.needs_input_grad`? (A tuple.)

# %% [markdown] lang=zh
# **2.** 调用`MyMul.apply(a, b)`，其中只有`b`需要求导。backward在`ctx.needs_input_grad`中看到的是什么？（一个元组。）

# %% lang=en
answer = None  # e.g. (True, True)
check("08.needs_input_grad", answer)

# %% lang=zh
answer = None  # 例如 (True, True)
check("08.needs_input_grad", answer)

# %% [markdown] lang=en
# **3.** With `BinarizeSTE` as above, `w = [0.5, -3.0, 1.0]` and `loss = (BinarizeSTE.apply(w) * 2).sum()`,
# what is `w.grad` after `loss.backward()`? (A list of three numbers.)

# %% [markdown] lang=zh
# **3.** 沿用上面的`BinarizeSTE`，取`w = [0.5, -3.0, 1.0]`，`loss = (BinarizeSTE.apply(w) * 2).sum()`，那么`loss.backward()`之后`w.grad`是多少？（一个含三个数的列表。）

# %% lang=en
answer = None  # e.g. [1.0, 1.0, 1.0]
check("08.ste_grad", answer)

# %% lang=zh
answer = None  # 例如 [1.0, 1.0, 1.0]
check("08.ste_grad", answer)

# %% [markdown] lang=en
# ## Summary
#
# * A custom operation subclasses `torch.autograd.Function` with static `forward(ctx, ...)` and
#   `backward(ctx, grad_output)`; call it as `MyOp.apply(...)`. Its node is `MyOpBackward`.
# * `ctx` is the node. Save tensors with `ctx.save_for_backward` and read them from `ctx.saved_tensors`;
#   store anything else as an attribute. `forward` itself is not recorded.
# * `backward` returns one gradient per input (a vector-Jacobian product), `None` where
#   `ctx.needs_input_grad` says none is needed.
# * `torch.autograd.gradcheck` (with float64 inputs) compares your backward with finite differences and
#   prints both Jacobians when they disagree.
# * A custom backward can also be a deliberate choice (straight-through), and a `jvp` adds forward mode.
#
# **In the engine:** `Function`, `Function.apply`, `FunctionCtx` (what the ctx offers:
# `save_for_backward`, `saved_tensors`, `needs_input_grad`) and `BackwardNode` (the node, which is the
# ctx too) in `autograd_nb/function.py`; the node
# class named `<ClassName>Backward` is made in `Function.__init_subclass__`; built-in operations such as
# `Mul` in `autograd_nb/ops/arithmetic.py`; `autograd_nb/autograd/gradcheck.py` (the two Jacobians and the
# mismatch message).

# %% [markdown] lang=zh
# ## 小结
#
# * 自定义运算继承`torch.autograd.Function`，写出静态方法`forward(ctx, ...)`和`backward(ctx, grad_output)`；用`MyOp.apply(...)`来调用。它的节点叫`MyOpBackward`。
# * `ctx`就是节点。用`ctx.save_for_backward`保存张量，从`ctx.saved_tensors`读回；其他东西存成属性。`forward`本身不会被记录。
# * `backward`为每个输入返回一个梯度（一个向量-雅可比积）；`ctx.needs_input_grad`表明不需要的地方，返回`None`。
# * `torch.autograd.gradcheck`（配合float64输入）拿你的backward和有限差分作比较，二者不一致时打印出两个雅可比矩阵。
# * 自定义的backward也可以是有意的选择（直通估计器），而`jvp`则补上了前向模式。
#
# **在引擎中：** `autograd_nb/function.py`中的`Function`、`Function.apply`、`FunctionCtx`（ctx提供的功能：`save_for_backward`、`saved_tensors`、`needs_input_grad`）和`BackwardNode`（节点，它同时也是ctx）；名为`<ClassName>Backward`的节点类在`Function.__init_subclass__`中生成；内置运算（如`Mul`）在`autograd_nb/ops/arithmetic.py`中；`autograd_nb/autograd/gradcheck.py`（两个雅可比矩阵和不匹配时的报错信息）。
