"""Every word the pictures show, in one place and in each language: legends, local derivative rules,
captions, titles and tooltips.

The layout, the SVG writer, the matplotlib painter, the chain-rule figures and the charts read
their text from here, as ``labels.KIND["leaf"]`` or ``labels.STEP_NODE``: each name is looked up
in the table of the current language (``autograd_nb.set_language``), so the pictures change
language without any other module knowing about it.
"""
from ..language import Messages

# The local derivative each kind of node multiplies by: ∂(its output)/∂(each input).
# a, b: the inputs in the order of next_functions; x: the only input; y: the output;
# g: the gradient that arrived. Nodes not listed get no rule line.
RULES_EN = {
    "AddBackward0": "∂/∂a = 1, ∂/∂b = 1",
    "SubBackward0": "∂/∂a = 1, ∂/∂b = −1",
    "MulBackward0": "∂/∂a = b, ∂/∂b = a",
    "DivBackward0": "∂/∂a = 1/b, ∂/∂b = −a/b²",
    "NegBackward0": "∂/∂x = −1",
    "PowBackward0": "∂/∂x = n·xⁿ⁻¹",
    "ExpBackward0": "∂/∂x = y (= eˣ)",
    "LogBackward0": "∂/∂x = 1/x",
    "SinBackward0": "∂/∂x = cos x",
    "CosBackward0": "∂/∂x = −sin x",
    "TanhBackward0": "∂/∂x = 1 − y²",
    "SigmoidBackward0": "∂/∂x = y·(1 − y)",
    "ReluBackward0": "∂/∂x = 1 if x > 0 else 0",
    "SqrtBackward0": "∂/∂x = 1/(2y)",
    "AbsBackward0": "∂/∂x = sign x",
    "SumBackward0": "∂/∂xᵢ = 1 (g copied to each)",
    "MeanBackward0": "∂/∂xᵢ = 1/n",
    "MmBackward0": "g·bᵀ to a, aᵀ·g to b",
    "StackBackward0": "row i of g to input i",
    "SelectBackward0": "g into entry i, 0 elsewhere",
    "AccumulateGrad": ".grad += g",
}

EN = {
    # What each kind of box is (``model.py`` lists the kinds), in the legend's words.
    "KIND": {
        "output": "tensor with grad_fn",
        "function": "Function node (grad_fn)",
        "accumulate": "AccumulateGrad node",
        "leaf": "leaf tensor, requires_grad",
        "saved": "tensor saved for backward",
        "nograd": "tensor without grad",
    },
    # The same kinds in a summary line ("5 nodes: 1 output, 2 function, ...").
    "KIND_SHORT": {kind: kind for kind in ("output", "function", "accumulate", "leaf", "saved", "nograd")},
    "KIND_TAG": {kind: kind for kind in ("output", "leaf", "saved", "nograd")},  # the text tree's [leaf]
    # What each kind of line is.
    "LINE": {
        "next": "edge (next_functions): gradients flow along the arrow",
        "attach": "a tensor, tied to its node (grad_fn, or the leaf AccumulateGrad fills)",
        "saved": "a tensor the node saved for backward",
        "gradient": "gradient sent along the edge",
    },
    # The legend line for boxes drawn with the thick accent border, when a picture says what it means.
    "HIGHLIGHT": {
        "running": "the node running at this step",
        "new": "added by this statement",
        "visited": "nodes backward() visits",
    },
    # The legend line of a node's second label line in a chain-rule figure.
    "RULE_LEGEND": "local rule: ∂(output)/∂(each input); a, b are the inputs in order",
    "RULES": RULES_EN,
    "POW_RULE": "∂/∂x = {n}·x{power}",  # PowBackward0 when the exponent is known
    "CUSTOM_RULE": "your backward()",  # a custom Function's node (``MyOpBackward``)
    # Lines added to tensor boxes.
    "ROOT_GRADIENT": "v = {value}",  # the gradient backward starts from, at the output
    "GRAD": ".grad = {value}",
    "GRAD_SUM": ".grad = {before} + {grad}",
    "GRAD_SUM_RESULT": "       = {after}",
    "NO_GRAD_YET": ".grad = None",
    # Filmstrip captions, one per step of the pass, and its title.
    "STEP_START": "{step}: backward starts, v = {value}",
    "STEP_NODE": "{step}: {name} runs",
    "STEP_ACCUMULATE": "{step}: {name} → {leaf}.grad",
    "LEAF": "leaf",
    "FILM_TITLE": "backward, step by step: {steps} steps",
    "FILM_TEXT": "backward, step by step:",
    "LEAF_LOSS": ("this tensor is a leaf (grad_fn is None): its backward() only runs its own "
                  "AccumulateGrad; step through the backward of a result computed from it"),
    # Charts.
    "CALL": "call",
    "STEP": "step",
    # The words of a graph: its title, the text tree, the card shown for a graph too big to draw.
    "NODES": lambda n: f"{n:,} node{'s' if n != 1 else ''}",
    "SUMMARY": "{nodes}: {parts}",
    "SUMMARY_PART": "{count:,} {kind}",
    "GRAPH_TITLE": "autograd graph: {summary}",
    "GRAPH_ALT": "autograd graph, {summary}",
    "SEE_ABOVE": "(see above)",
    "NOT_SHOWN": lambda n: f"… {n:,} more node{'s' if n != 1 else ''} not shown",
    "CARD": [
        "Graph too large to draw: {total:,} nodes (max_nodes={max_nodes:,})",
        "Nodes by kind: {kinds}",
        "The first {first} nodes, breadth-first from the outputs:",
        "To draw it anyway: draw(..., max_nodes={total}).",
        "To draw a part: draw(node), e.g. draw(t.grad_fn.next_functions[0][0]).",
    ],
    # Tooltips (what a box or a line says when you hover over it in an SVG opened on its own).
    "TENSOR_TITLES": {"output": "tensor", "leaf": "leaf tensor", "nograd": "tensor without grad",
                      "saved": "saved tensor"},
    "SAVED_TITLE": "saved tensor {attr}",
    "SAVED_NAME": " (the tensor {name!r})",
    "SHAPE": "shape {shape}  dtype {dtype}",
    "GRAD_NOT_KEPT": "grad not kept (a non-leaf; .retain_grad() would keep it)",
    "RECORDS_NOTHING": "requires_grad=False: autograd records nothing for this tensor",
    "ADDS_INTO": "adds the incoming gradient into variable.grad",
    "SAVED_TENSOR": "{attr}: tensor {shape} {dtype}",
    "FREED": "{attr}: freed by backward()",
    "GRAD_FN_TIP": "{name}.grad_fn is {node}",
    "NEXT_TIP": "{node}.next_functions[{slot}] is ({next}, {output_nr})",
    "VARIABLE_TIP": "AccumulateGrad.variable is the leaf it writes .grad into",
    "SAVED_TIP": "{node}.{attr}: saved by forward for backward",
    # A tensor shown on its own in a notebook (``tensor_html``).
    "NOT_KEPT": "not kept for a non-leaf tensor (call .retain_grad() before backward)",
}

ZH = {
    "KIND": {
        "output": "有 grad_fn 的张量",
        "function": "Function 节点（grad_fn）",
        "accumulate": "AccumulateGrad 节点",
        "leaf": "叶子张量，requires_grad",
        "saved": "为反向传播保存的张量",
        "nograd": "不需要求导的张量",
    },
    "KIND_SHORT": {"output": "输出张量", "function": "Function 节点", "accumulate": "AccumulateGrad 节点",
                   "leaf": "叶子张量", "saved": "保存的张量", "nograd": "不求导的张量"},
    "KIND_TAG": {"output": "输出", "leaf": "叶子", "saved": "保存", "nograd": "不求导"},
    "LINE": {
        "next": "边（next_functions）：梯度沿箭头传递",
        "attach": "张量挂在所属节点旁（它的 grad_fn，或为这个叶子填 .grad 的 AccumulateGrad）",
        "saved": "节点为反向传播保存的张量",
        "gradient": "沿这条边传递的梯度",
    },
    "HIGHLIGHT": {
        "running": "这一步正在运行的节点",
        "new": "这条语句新加的",
        "visited": "backward() 会经过的节点",
    },
    "RULE_LEGEND": "局部导数：∂(输出)/∂(各输入)；a、b 依次是各个输入",
    "RULES": {
        **RULES_EN,
        "ReluBackward0": "∂/∂x = 1（x > 0 时），否则 0",
        "SumBackward0": "∂/∂xᵢ = 1（g 复制给每一项）",
        "MmBackward0": "g·bᵀ 给 a，aᵀ·g 给 b",
        "StackBackward0": "g 的第 i 行给第 i 个输入",
        "SelectBackward0": "g 填入第 i 项，其余为 0",
    },
    "POW_RULE": "∂/∂x = {n}·x{power}",
    "CUSTOM_RULE": "你写的 backward()",
    "ROOT_GRADIENT": "v = {value}",
    "GRAD": ".grad = {value}",
    "GRAD_SUM": ".grad = {before} + {grad}",
    "GRAD_SUM_RESULT": "       = {after}",
    "NO_GRAD_YET": ".grad = None",
    "STEP_START": "{step}：反向传播开始，v = {value}",
    "STEP_NODE": "{step}：运行 {name}",
    "STEP_ACCUMULATE": "{step}：{name} → {leaf}.grad",
    "LEAF": "叶子",
    "FILM_TITLE": "逐步反向传播：共 {steps} 步",
    "FILM_TEXT": "逐步反向传播：",
    "LEAF_LOSS": ("这个张量是叶子节点（grad_fn 为 None）：对它调用 backward() 只会运行它自己的 "
                  "AccumulateGrad；请对由它算出的结果逐步演示反向传播"),
    "CALL": "次调用",
    "STEP": "步",
    "NODES": lambda n: f"共 {n:,} 个节点",
    "SUMMARY": "{nodes}：{parts}",
    "SUMMARY_PART": "{kind} {count:,}",
    "GRAPH_TITLE": "autograd 计算图：{summary}",
    "GRAPH_ALT": "autograd 计算图，{summary}",
    "SEE_ABOVE": "（见上）",
    "NOT_SHOWN": lambda n: f"……另有 {n:,} 个节点未列出",
    "CARD": [
        "图太大，没有画出：共 {total:,} 个节点（max_nodes={max_nodes:,}）",
        "各类节点：{kinds}",
        "从输出开始广度优先的前 {first} 个节点：",
        "仍要画出：draw(..., max_nodes={total})。",
        "只画一部分：draw(node)，例如 draw(t.grad_fn.next_functions[0][0])。",
    ],
    "TENSOR_TITLES": {"output": "张量", "leaf": "叶子张量", "nograd": "不需要求导的张量", "saved": "保存的张量"},
    "SAVED_TITLE": "保存的张量 {attr}",
    "SAVED_NAME": "（即张量 {name!r}）",
    "SHAPE": "形状 {shape}  dtype {dtype}",
    "GRAD_NOT_KEPT": "不保留 grad（非叶子张量；调用 .retain_grad() 才会保留）",
    "RECORDS_NOTHING": "requires_grad=False：autograd 不为这个张量记录任何东西",
    "ADDS_INTO": "把传来的梯度累加进 variable.grad",
    "SAVED_TENSOR": "{attr}：张量 {shape} {dtype}",
    "FREED": "{attr}：已被 backward() 释放",
    "GRAD_FN_TIP": "{name}.grad_fn 是 {node}",
    "NEXT_TIP": "{node}.next_functions[{slot}] 是 ({next}, {output_nr})",
    "VARIABLE_TIP": "AccumulateGrad.variable 是它写入 .grad 的那个叶子",
    "SAVED_TIP": "{node}.{attr}：前向计算时为反向传播保存",
    "NOT_KEPT": "非叶子张量不保留（要保留，请在 backward 之前调用 .retain_grad()）",
}

WORDS = Messages(en=EN, zh=ZH)


def __getattr__(name):
    """``labels.KIND``, ``labels.STEP_NODE``, ...: the entry of the current language's table."""
    if name in WORDS:
        return WORDS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
