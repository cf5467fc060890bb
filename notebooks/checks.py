"""Self-checks for the lesson exercises: ``check("01.propagation", answer)``.

A wrong answer gets a hint, a right one a confirmation and a line of explanation. An unanswered
exercise (``None``) just says what to do. The expected answers are here too, so peeking is possible:
try first.
"""
import math

from IPython.display import HTML, display


class Exercise:
    def __init__(self, is_right, hint, explanation):
        self.is_right = is_right  # answer -> bool
        self.hint = hint
        self.explanation = explanation


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
        "∂loss/∂b = 2s where s is the error. What is s when the loss is zero?",
        "With zero error, s = 0, so every gradient 2s·(…) is 0: nothing to improve.",
    ),
    "01.which_require_grad": Exercise(
        _set_of({"c", "d"}),
        "A result requires grad exactly when at least one of its inputs does. Follow w forwards.",
        "Only results that depend on w (directly or through another result) are tracked.",
    ),
    "01.leaves": Exercise(
        _set_of({"u", "w"}),
        "A leaf is a tensor you created yourself (grad_fn is None), whether or not it requires grad.",
        "Leaves are exactly the tensors with grad_fn None; u and w were made by torch.tensor.",
    ),
    "01.which_raise": Exercise(
        _set_of({"a", "c"}),
        "Two rules: only a leaf's flag can be changed (and a result that requires no grad is a leaf: "
        "it has no grad_fn), and only floating-point tensors can require grad.",
        "a changes a recorded result (RuntimeError); c asks an integer tensor to require grad "
        "(RuntimeError). e has no grad_fn, so it is a leaf and may start requiring grad; w is a leaf too.",
    ),
    "02.node_names": Exercise(
        _equals(["MulBackward0", "ExpBackward0"]),
        "Start at y.grad_fn and follow next_functions[0][0]; print type(node).__name__ at each step.",
        "y = exp(x) * 3: the last operation (the multiplication) is the entry point; exp comes next.",
    ),
    "02.next_functions": Exercise(
        _names_in_order(["MulBackward0", None]),
        "One entry per input of the addition, in order. x * c requires grad (which node made it?); "
        "c.exp() does not, so autograd recorded nothing for it.",
        "(MulBackward0, 0) for x * c, and (None, 0) for c.exp(): an input that needs no gradient still "
        "gets its entry, leading nowhere.",
    ),
    "03.grad_of_x": Exercise(
        _number(7.0),
        "y = (x² - 1)·(x + 1); by the product rule dy/dx = 2x(x+1) + (x² - 1). Evaluate at x = -2.",
        "2·(-2)·(-1) + (4 - 1) = 7, which is exactly what x.grad holds.",
    ),
    "04.jacobian_entry": Exercise(
        _number(3.0),
        "Pick v one-hot at the output you want (index 1); then x.grad is row 1 of J. Read entry 2.",
        "With v = e₁, vᵀJ is the second row of J, and its third entry is ∂y₁/∂x₂.",
    ),
    "04.v_shape": Exercise(
        _equals((2, 3)),
        "v must have the same shape as the tensor you call backward on.",
        "gradient=v is ∂L/∂y for some scalar L, so it has y's shape: (2, 3).",
    ),
    "05.after_zero": Exercise(
        _close_list([5.0, 7.0]),
        "zero_() wipes what the first two calls added. After it, (3 * w).sum() adds 3 per entry and "
        "(w * w).sum() adds 2w; retain_graph does not change what is added.",
        "[0, 0] after zero_(), + [3, 3], + 2w = [2, 4]: [5, 7]. Only what comes after the last clearing counts.",
    ),
    "06.enable_inside_no_grad": Exercise(
        _equals(True),
        "y was made under no_grad, but w still requires grad. What does enable_grad switch back on?",
        "Inside enable_grad recording is on again, and z depends on w, which requires grad.",
    ),
    "06.detached_factor": Exercise(
        _number(8.0),
        "Call the detached factor c = 2 (a constant). Then y = c·x², so dy/dx = 2·c·x.",
        "dy/dx = 2·c·x = 2·2·2 = 8; without the detach it would be 3x² = 12.",
    ),
    "06.inplace_errors": Exercise(
        _set_of({"a", "c"}),
        "exp and tanh save their output (their derivatives are written with it); sin saves its input; "
        "x * 3 saves only the factor.",
        "exp and tanh need their own results in backward, so changing them in place moves a saved version.",
    ),
    "07.second_derivative": Exercise(
        _number(27.0),
        "d/dx x⁴ = 4x³ and d²/dx² x⁴ = 12x². Evaluate at x = 1.5.",
        "12 · 1.5² = 27: grad once with create_graph=True, then grad of that result.",
    ),
    "07.mixed_partial": Exercise(
        _number(6.0),
        "∂f/∂a = 2ab; now differentiate that with respect to b, and put in a = 3.",
        "∂²f/∂a∂b = 2a = 6 (and hessian() puts it in both off-diagonal entries: H is symmetric).",
    ),
    "07.cheaper_passes": Exercise(
        _number(3, tol=0),
        "Reverse mode takes one pass per output, forward mode one per input. Which is smaller here?",
        "Three outputs: reverse mode builds J row by row in 3 backward passes (forward mode would need 1000).",
    ),
    "08.node_name": Exercise(
        _equals("CubeBackward"),
        "A custom Function's node is named after its class, with \"Backward\" appended (no number).",
        "Cube.apply records a CubeBackward node; built-in nodes add a number (MulBackward0), custom ones don't.",
    ),
    "08.needs_input_grad": Exercise(
        _equals((False, True)),
        "One boolean per argument of forward, in order: does that input require grad?",
        "a needs no gradient and b does, so backward may skip computing the gradient for a.",
    ),
    "08.ste_grad": Exercise(
        _close_list([2.0, 0.0, 2.0]),
        "The gradient arriving at the sign is 2 everywhere; BinarizeSTE passes it where |w| ≤ 1, else 0.",
        "2 passes straight through for 0.5 and 1.0 (|w| ≤ 1) and is blocked for -3.0: [2, 0, 2].",
    ),
    "09.equal_scores_three": Exercise(
        _number(1.098612),
        "Equal scores give every class the same softmax probability. With three classes, what is it? "
        "The loss is -log(probability of the true class).",
        "-log(1/3) = log 3 ≈ 1.0986: with k classes, guessing costs log k.",
    ),
    "09.param_count": Exercise(
        _number(114, tol=0),
        "Linear(a, b) has a·b weights and b biases. Add the three layers (Tanh has none).",
        "(2·8 + 8) + (8·8 + 8) + (8·2 + 2) = 24 + 72 + 18 = 114.",
    ),
    "09.no_zero_grad": Exercise(
        _equals("b"),
        "backward adds into .grad (lesson 5). What is in .grad if nobody ever clears it?",
        "Every backward adds its gradient, so step k uses the sum over all steps so far: the updates overshoot.",
    ),
    "10.shared_leaf_edges": Exercise(
        _number(3, tol=0),
        "Look for b in each operation of the program: every tensor input of a recorded operation is one edge.",
        "b * a, b ** 2 and b * 3 each have an edge to b's AccumulateGrad: three, so it waits for three gradients.",
    ),
    "10.pytorch_order": Exercise(
        _names_in_order(["SumBackward0", "AddBackward0", "PowBackward0", "ExpBackward0", "MulBackward0",
                         "AccumulateGrad", "AccumulateGrad"]),
        "Use max(ready, key=lambda n: n._sequence_nr()) and remove that node from ready; list every node "
        "your loop runs, the two AccumulateGrad nodes included.",
        "The same order as the trace: later-recorded nodes first, so Pow (recorded after Exp) runs before "
        "Exp, and the Mul that made h runs only after both.",
    ),
    "10.without_counting": Exercise(
        _number(2, tol=0),
        "Follow the two paths that start at h: each delivers its gradient at a different moment.",
        "Twice, once per path, each time with one part of the sum. The leaves still end up right (backward is "
        "linear in v, and AccumulateGrad adds), but the work doubles with every diamond stacked on the last: "
        "30 of them would mean 2³⁰ calls. Counting makes each node run exactly once.",
    ),
}


def _show(kind, text):
    colours = {"ok": "#1b7f3b", "hint": "#9a5b00", "todo": "#555555"}
    symbol = {"ok": "✔", "hint": "✘", "todo": "…"}[kind]
    display(HTML(f'<div style="color:{colours[kind]};font-family:sans-serif">{symbol} {text}</div>'))


def verdict(key, answer):
    """("todo" | "ok" | "hint", message) for an answer to exercise ``key``."""
    exercise = EXERCISES[key]
    if answer is None:
        return "todo", "Not answered yet: replace <code>None</code> with your answer and run the cell again."
    if exercise.is_right(answer):
        return "ok", f"Right. {exercise.explanation}"
    return "hint", f"Not yet. Hint: {exercise.hint}"


def check(key, answer):
    """Check an exercise answer and show the verdict under the cell."""
    _show(*verdict(key, answer))
