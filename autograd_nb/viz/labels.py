"""Every word the pictures show, in one place: legends, local derivative rules, captions.

The layout, the SVG writer, the matplotlib painter, the chain-rule figures and the charts read
their text from here, so the pictures can change language by changing this one module.
"""

# What each kind of box is (``model.py`` lists the kinds), in the legend's words.
KIND = {
    "output": "tensor with grad_fn",
    "function": "Function node (grad_fn)",
    "accumulate": "AccumulateGrad node",
    "leaf": "leaf tensor, requires_grad",
    "saved": "tensor saved for backward",
    "nograd": "tensor without grad",
}

# What each kind of line is.
LINE = {
    "next": "edge (next_functions): gradients flow along the arrow",
    "attach": "a tensor, tied to its node (grad_fn, or the leaf AccumulateGrad fills)",
    "saved": "a tensor the node saved for backward",
    "gradient": "gradient sent along the edge",
}

# The legend line for boxes drawn with the thick accent border, when a picture says what it means.
HIGHLIGHT = {
    "running": "the node running at this step",
    "new": "added by this statement",
    "visited": "nodes backward() visits",
}

# The legend line of a node's second label line in a chain-rule figure.
RULE_LEGEND = "local rule: ∂(output)/∂(each input); a, b are the inputs in order"

# The local derivative each kind of node multiplies by: ∂(its output)/∂(each input).
# a, b: the inputs in the order of next_functions; x: the only input; y: the output;
# g: the gradient that arrived. Nodes not listed get no rule line.
RULES = {
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
POW_RULE = "∂/∂x = {n}·x{power}"  # PowBackward0 when the exponent is known
CUSTOM_RULE = "your backward()"  # a custom Function's node (``MyOpBackward``)

# Lines added to tensor boxes.
ROOT_GRADIENT = "v = {value}"  # the gradient backward starts from, at the output
GRAD = ".grad = {value}"
GRAD_SUM = ".grad = {before} + {grad}"
GRAD_SUM_RESULT = "       = {after}"
NO_GRAD_YET = ".grad = None"

# Filmstrip captions, one per step of the pass.
STEP_START = "{step}: backward starts, v = {value}"
STEP_NODE = "{step}: {name} runs"
STEP_ACCUMULATE = "{step}: {name} → {leaf}.grad"
LEAF = "leaf"

# Charts.
CALL = "call"
