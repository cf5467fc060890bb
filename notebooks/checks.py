"""Self-checks for the lesson exercises: ``check("01.propagation", answer)``.

A wrong answer gets a hint, a right one a confirmation and a line of explanation. An unanswered
exercise (``None``) just says what to do. The expected answers are here too, so peeking is possible:
try first.

Every hint and explanation is written in English and in Chinese; ``check`` answers in the language
the lesson set with ``autograd_nb.set_language`` (the Chinese lessons set "zh" in their first cell).
"""
import math

from IPython.display import HTML, display

from autograd_nb.language import Messages, get_language


class Exercise:
    """``is_right(answer) -> bool``; ``en`` and ``zh``: ``(hint, explanation)`` in each language."""

    def __init__(self, is_right, en, zh):
        self.is_right = is_right
        self.words = Messages(en=dict(zip(("hint", "explanation"), en)),
                              zh=dict(zip(("hint", "explanation"), zh)))

    @property
    def hint(self):
        return self.words["hint"]

    @property
    def explanation(self):
        return self.words["explanation"]


def _number(expected, tol=1e-4):
    def is_right(answer):
        try:
            return math.isclose(float(answer), expected, rel_tol=tol, abs_tol=tol)
        except (TypeError, ValueError):
            return False
    return is_right


def _equals(expected):
    def is_right(answer):
        if isinstance(expected, (list, tuple)) and isinstance(answer, (list, tuple)):
            return list(answer) == list(expected)
        return answer == expected
    return is_right


def _set_of(expected):
    def is_right(answer):
        try:
            return set(answer) == set(expected)
        except TypeError:  # not a collection of names
            return False
    return is_right


def _close_list(expected, tol=1e-4):
    def is_right(answer):
        try:
            values = [float(a) for a in (answer.tolist() if hasattr(answer, "tolist") else answer)]
        except (TypeError, ValueError):
            return False
        return len(values) == len(expected) and all(math.isclose(a, e, abs_tol=tol) for a, e in zip(values, expected))
    return is_right


def _names_in_order(expected):
    """A list of node names (None for "no node"); PyTorch's C++ name "torch::autograd::AccumulateGrad"
    counts as "AccumulateGrad"."""
    def is_right(answer):
        try:
            names = [None if a is None or a == "None" else str(a).replace("torch::autograd::", "")
                     for a in answer]
        except TypeError:
            return False
        return names == list(expected)
    return is_right


EXERCISES = {
    "00.zero_loss_grad": Exercise(
        _number(0.0),
        en=("∂loss/∂b = 2s where s is the error. What is s when the loss is zero?",
            "With zero error, s = 0, so every gradient 2s·(…) is 0: nothing to improve."),
        zh=("∂loss/∂b = 2s，s 是误差。损失为零时 s 等于多少？",
            "误差为零即 s = 0，所以每个梯度 2s·(…) 都是 0：没有什么可改进的了。"),
    ),
    "01.which_require_grad": Exercise(
        _set_of({"c", "d"}),
        en=("A result requires grad exactly when at least one of its inputs does. Follow w forwards.",
            "Only results that depend on w (directly or through another result) are tracked."),
        zh=("只要有一个输入需要求导，结果就需要求导。顺着 w 往前看。",
            "只有依赖 w 的结果（直接依赖，或经由另一个结果）才会被追踪。"),
    ),
    "01.leaves": Exercise(
        _set_of({"u", "w"}),
        en=("A leaf is a tensor you created yourself (grad_fn is None), whether or not it requires grad.",
            "Leaves are exactly the tensors with grad_fn None; u and w were made by torch.tensor."),
        zh=("叶子节点是你自己创建的张量（grad_fn 为 None），不论它是否需要求导。",
            "叶子节点正是 grad_fn 为 None 的张量；u 和 w 都是用 torch.tensor 创建的。"),
    ),
    "01.which_raise": Exercise(
        _set_of({"a", "c"}),
        en=("Two rules: only a leaf's flag can be changed (and a result that requires no grad is a leaf: "
            "it has no grad_fn), and only floating-point tensors can require grad.",
            "a changes a recorded result (RuntimeError); c asks an integer tensor to require grad "
            "(RuntimeError). e has no grad_fn, so it is a leaf and may start requiring grad; w is a leaf too."),
        zh=("两条规则：只有叶子节点的标志可以修改（不需要求导的结果没有 grad_fn，也算叶子节点）；"
            "只有浮点张量才能需要求导。",
            "a 修改的是被记录下来的结果（RuntimeError）；c 要求整数张量需要求导（RuntimeError）。"
            "e 没有 grad_fn，是叶子节点，可以改成需要求导；w 也是叶子节点。"),
    ),
    "02.node_names": Exercise(
        _equals(["MulBackward0", "ExpBackward0"]),
        en=("Start at y.grad_fn and follow next_functions[0][0]; print type(node).__name__ at each step.",
            "y = exp(x) * 3: the last operation (the multiplication) is the entry point; exp comes next."),
        zh=("从 y.grad_fn 出发，沿 next_functions[0][0] 往下走，每一步打印 type(node).__name__。",
            "y = exp(x) * 3：最后一个运算（乘法）是入口，接着才是 exp。"),
    ),
    "02.next_functions": Exercise(
        _names_in_order(["MulBackward0", None]),
        en=("One entry per input of the addition, in order. x * c requires grad (which node made it?); "
            "c.exp() does not, so autograd recorded nothing for it.",
            "(MulBackward0, 0) for x * c, and (None, 0) for c.exp(): an input that needs no gradient still "
            "gets its entry, leading nowhere."),
        zh=("加法的每个输入按顺序各占一项。x * c 需要求导（它是哪个节点产生的？）；"
            "c.exp() 不需要，autograd 没有为它记录任何东西。",
            "x * c 对应 (MulBackward0, 0)，c.exp() 对应 (None, 0)：不需要梯度的输入也占一项，只是不通向任何节点。"),
    ),
    "03.grad_of_x": Exercise(
        _number(7.0),
        en=("y = (x² - 1)·(x + 1); by the product rule dy/dx = 2x(x+1) + (x² - 1). Evaluate at x = -2.",
            "2·(-2)·(-1) + (4 - 1) = 7, which is exactly what x.grad holds."),
        zh=("y = (x² - 1)·(x + 1)；按乘积法则 dy/dx = 2x(x+1) + (x² - 1)。代入 x = -2。",
            "2·(-2)·(-1) + (4 - 1) = 7，正是 x.grad 里的值。"),
    ),
    "04.jacobian_entry": Exercise(
        _number(3.0),
        en=("Pick v one-hot at the output you want (index 1); then x.grad is row 1 of J. Read entry 2.",
            "With v = e₁, vᵀJ is the second row of J, and its third entry is ∂y₁/∂x₂."),
        zh=("取 v 为你要的那个输出（下标 1）处的独热向量；这时 x.grad 就是 J 的第 1 行。读出其中下标 2 的项。",
            "v = e₁ 时，vᵀJ 是 J 的第二行，它的第三项就是 ∂y₁/∂x₂。"),
    ),
    "04.v_shape": Exercise(
        _equals((2, 3)),
        en=("v must have the same shape as the tensor you call backward on.",
            "gradient=v is ∂L/∂y for some scalar L, so it has y's shape: (2, 3)."),
        zh=("v 的形状必须和调用 backward 的那个张量相同。",
            "gradient=v 是某个标量 L 的 ∂L/∂y，所以形状与 y 相同：(2, 3)。"),
    ),
    "05.after_zero": Exercise(
        _close_list([5.0, 7.0]),
        en=("zero_() wipes what the first two calls added. After it, (3 * w).sum() adds 3 per entry and "
            "(w * w).sum() adds 2w; retain_graph does not change what is added.",
            "[0, 0] after zero_(), + [3, 3], + 2w = [2, 4]: [5, 7]. Only what comes after the last clearing counts."),
        zh=("zero_() 抹掉了前两次调用累加的梯度。之后 (3 * w).sum() 给每一项加 3，(w * w).sum() 加 2w；"
            "retain_graph 不影响累加的值。",
            "zero_() 之后是 [0, 0]，加 [3, 3]，再加 2w = [2, 4]，得 [5, 7]。只有最后一次清零之后的才算数。"),
    ),
    "06.enable_inside_no_grad": Exercise(
        _equals(True),
        en=("y was made under no_grad, but w still requires grad. What does enable_grad switch back on?",
            "Inside enable_grad recording is on again, and z depends on w, which requires grad."),
        zh=("y 是在 no_grad 下算出的，但 w 仍然需要求导。enable_grad 重新打开的是什么？",
            "在 enable_grad 里记录重新打开，而 z 依赖需要求导的 w。"),
    ),
    "06.detached_factor": Exercise(
        _number(8.0),
        en=("Call the detached factor c = 2 (a constant). Then y = c·x², so dy/dx = 2·c·x.",
            "dy/dx = 2·c·x = 2·2·2 = 8; without the detach it would be 3x² = 12."),
        zh=("把分离出来的因子记作常数 c = 2。于是 y = c·x²，dy/dx = 2·c·x。",
            "dy/dx = 2·c·x = 2·2·2 = 8；如果没有 detach，结果会是 3x² = 12。"),
    ),
    "06.inplace_errors": Exercise(
        _set_of({"a", "c"}),
        en=("exp and tanh save their output (their derivatives are written with it); sin saves its input; "
            "x * 3 saves only the factor.",
            "exp and tanh need their own results in backward, so changing them in place moves a saved version."),
        zh=("exp 和 tanh 保存自己的输出（它们的导数用输出来表示）；sin 保存输入；x * 3 只保存因子。",
            "exp 和 tanh 在反向传播时要用到自己的结果，原地修改它们就改变了所保存张量的版本。"),
    ),
    "07.second_derivative": Exercise(
        _number(27.0),
        en=("d/dx x⁴ = 4x³ and d²/dx² x⁴ = 12x². Evaluate at x = 1.5.",
            "12 · 1.5² = 27: grad once with create_graph=True, then grad of that result."),
        zh=("d/dx x⁴ = 4x³，d²/dx² x⁴ = 12x²。代入 x = 1.5。",
            "12 · 1.5² = 27：先用 create_graph=True 调一次 grad，再对结果调一次 grad。"),
    ),
    "07.mixed_partial": Exercise(
        _number(6.0),
        en=("∂f/∂a = 2ab; now differentiate that with respect to b, and put in a = 3.",
            "∂²f/∂a∂b = 2a = 6 (and hessian() puts it in both off-diagonal entries: H is symmetric)."),
        zh=("∂f/∂a = 2ab；再对 b 求导，代入 a = 3。",
            "∂²f/∂a∂b = 2a = 6（hessian() 把它放在两个非对角元上：H 是对称的）。"),
    ),
    "07.cheaper_passes": Exercise(
        _number(3, tol=0),
        en=("Reverse mode takes one pass per output, forward mode one per input. Which is smaller here?",
            "Three outputs: reverse mode builds J row by row in 3 backward passes (forward mode would need 1000)."),
        zh=("反向模式每个输出一遍，前向模式每个输入一遍。这里哪个少？",
            "只有三个输出：反向模式用 3 次反向传播逐行构造出 J（前向模式要 1000 次）。"),
    ),
    "08.node_name": Exercise(
        _equals("CubeBackward"),
        en=("A custom Function's node is named after its class, with \"Backward\" appended (no number).",
            "Cube.apply records a CubeBackward node; built-in nodes add a number (MulBackward0), custom ones don't."),
        zh=("自定义 Function 的节点以类名加 \"Backward\" 命名（不带数字）。",
            "Cube.apply 记录一个 CubeBackward 节点；内置节点名末尾有数字（MulBackward0），自定义的没有。"),
    ),
    "08.needs_input_grad": Exercise(
        _equals((False, True)),
        en=("One boolean per argument of forward, in order: does that input require grad?",
            "a needs no gradient and b does, so backward may skip computing the gradient for a."),
        zh=("forward 的每个参数按顺序对应一个布尔值：这个输入是否需要求导？",
            "a 不需要梯度，b 需要，所以 backward 可以跳过 a 的梯度计算。"),
    ),
    "08.ste_grad": Exercise(
        _close_list([2.0, 0.0, 2.0]),
        en=("The gradient arriving at the sign is 2 everywhere; BinarizeSTE passes it where |w| ≤ 1, else 0.",
            "2 passes straight through for 0.5 and 1.0 (|w| ≤ 1) and is blocked for -3.0: [2, 0, 2]."),
        zh=("传到 sign 处的梯度处处是 2；BinarizeSTE 在 |w| ≤ 1 处让它通过，其余为 0。",
            "0.5 和 1.0 处（|w| ≤ 1）梯度 2 直接通过，-3.0 处被挡住：[2, 0, 2]。"),
    ),
    "09.equal_scores_three": Exercise(
        _number(1.098612),
        en=("Equal scores give every class the same softmax probability. With three classes, what is it? "
            "The loss is -log(probability of the true class).",
            "-log(1/3) = log 3 ≈ 1.0986: with k classes, guessing costs log k."),
        zh=("得分相同时，softmax 给每个类别的概率都一样。三个类别时是多少？损失是 -log(真实类别的概率)。",
            "-log(1/3) = log 3 ≈ 1.0986：k 个类别时，瞎猜的代价是 log k。"),
    ),
    "09.param_count": Exercise(
        _number(114, tol=0),
        en=("Linear(a, b) has a·b weights and b biases. Add the three layers (Tanh has none).",
            "(2·8 + 8) + (8·8 + 8) + (8·2 + 2) = 24 + 72 + 18 = 114."),
        zh=("Linear(a, b) 有 a·b 个权重和 b 个偏置。把三层加起来（Tanh 没有参数）。",
            "(2·8 + 8) + (8·8 + 8) + (8·2 + 2) = 24 + 72 + 18 = 114。"),
    ),
    "09.no_zero_grad": Exercise(
        _equals("b"),
        en=("backward adds into .grad (lesson 5). What is in .grad if nobody ever clears it?",
            "Every backward adds its gradient, so step k uses the sum over all steps so far: the updates overshoot."),
        zh=("backward 是往 .grad 里累加（第 5 课）。如果从不清零，.grad 里是什么？",
            "每次 backward 都加上自己的梯度，第 k 步用的是此前所有步梯度之和：更新会冲过头。"),
    ),
    "10.shared_leaf_edges": Exercise(
        _number(3, tol=0),
        en=("Look for b in each operation of the program: every tensor input of a recorded operation is one edge.",
            "b * a, b ** 2 and b * 3 each have an edge to b's AccumulateGrad: three, so it waits for three gradients."),
        zh=("在程序的每个运算里找 b：被记录的运算每有一个张量输入，就有一条边。",
            "b * a、b ** 2 和 b * 3 各有一条边指向 b 的 AccumulateGrad：共三条，所以它要等三个梯度。"),
    ),
    "10.pytorch_order": Exercise(
        _names_in_order(["SumBackward0", "AddBackward0", "PowBackward0", "ExpBackward0", "MulBackward0",
                         "AccumulateGrad", "AccumulateGrad"]),
        en=("Use max(ready, key=lambda n: n._sequence_nr()) and remove that node from ready; list every node "
            "your loop runs, the two AccumulateGrad nodes included.",
            "The same order as the trace: later-recorded nodes first, so Pow (recorded after Exp) runs before "
            "Exp, and the Mul that made h runs only after both."),
        zh=("用 max(ready, key=lambda n: n._sequence_nr()) 取节点，并把它从 ready 中移除；"
            "列出你的循环运行的每个节点，包括两个 AccumulateGrad。",
            "和 trace 的顺序一样：后记录的节点先运行，所以 Pow（在 Exp 之后记录）先于 Exp 运行，"
            "而产生 h 的 Mul 要等两者都运行完才运行。"),
    ),
    "10.without_counting": Exercise(
        _number(2, tol=0),
        en=("Follow the two paths that start at h: each delivers its gradient at a different moment.",
            "Twice, once per path, each time with one part of the sum. The leaves still end up right (backward is "
            "linear in v, and AccumulateGrad adds), but the work doubles with every diamond stacked on the last: "
            "30 of them would mean 2³⁰ calls. Counting makes each node run exactly once."),
        zh=("沿着从 h 出发的两条路径走：它们在不同时刻送来各自的梯度。",
            "两次，每条路径一次，每次只带着和的一部分。叶子上的结果仍然正确（backward 对 v 是线性的，"
            "AccumulateGrad 做的是加法），但每叠加一个菱形，工作量就翻一倍：30 个就是 2³⁰ 次调用。"
            "依赖计数保证每个节点恰好运行一次。"),
    ),
}

WORDS = Messages(
    en={"todo": "Not answered yet: replace <code>None</code> with your answer and run the cell again.",
        "ok": "Right. {explanation}", "hint": "Not yet. Hint: {hint}"},
    zh={"todo": "还没有作答：把 <code>None</code> 换成你的答案，再运行这个单元格。",
        "ok": "答对了。{explanation}", "hint": "还不对。提示：{hint}"},
)


def _show(kind, text):
    colours = {"ok": "#1b7f3b", "hint": "#9a5b00", "todo": "#555555"}
    symbol = {"ok": "✔", "hint": "✘", "todo": "…"}[kind]
    display(HTML(f'<div style="color:{colours[kind]};font-family:sans-serif">{symbol} {text}</div>'))


def verdict(key, answer):
    """("todo" | "ok" | "hint", message) for an answer to exercise ``key``, in the current language
    (``autograd_nb.get_language()``)."""
    exercise = EXERCISES[key]
    if answer is None:
        return "todo", WORDS["todo"]
    if exercise.is_right(answer):
        return "ok", WORDS["ok"].format(explanation=exercise.explanation)
    return "hint", WORDS["hint"].format(hint=exercise.hint)


def check(key, answer):
    """Check an exercise answer and show the verdict under the cell."""
    _show(*verdict(key, answer))
