"""The Jacobian, and why backward computes vᵀJ without ever building it.

The model behind ``jacobian_explorer``. For ``f: ℝⁿ → ℝᵐ`` the Jacobian is the m×n matrix
``J[i, j] = ∂y_i/∂x_j``. ``y.backward(v)`` leaves ``vᵀJ`` in ``x.grad``: a weighted sum of J's rows,
with the weights v. A one-hot v picks one row, so m backward passes (VJPs) build all of J;
n forward-mode products ``J·u`` (JVPs), one per input, build it column by column.

    model = JacobianModel("softmax", n=3)
    model.jacobian()             # J as a numpy array, from autograd.functional.jacobian
    model.vjp([1, 0, 0])         # vᵀJ from J, and x.grad from y.backward(v): equal
    model.both_ways()            # J from m VJPs and from n JVPs, with the passes counted

Every call makes a fresh ``x`` that requires grad, so nothing you own is touched. Bad input
(no v for a vector output, a v of the wrong shape, a function that raises) comes back as the
``error`` message, PyTorch's words, instead of an exception.
"""

import numpy as np

from .. import nn
from ..autograd import functional, trace
from ..creation import tensor
from ..language import Messages
from ..tensor import Tensor
from ..viz.matrix import heatmap as viz_heatmap
from . import panels

__all__ = ["JacobianModel", "BUILTINS", "start_point"]


def square(x):
    """y = x², elementwise: J is diagonal, J[i, i] = 2 x_i."""
    return x * x


def linear(x):
    """y = W x with a fixed 2×n matrix W: J is W itself, wherever x is."""
    n = x.numel()
    w = tensor([[float((i + 2 * j) % 3 - 1) for j in range(n)] for i in range(2)])
    return w @ x


def softmax(x):
    """y = softmax(x): J[i, j] = y_i (δ_ij − y_j), symmetric, each row sums to 0."""
    return nn.functional.softmax(x, 0)


def neighbours(x):
    """y_i = x_i · x_{i+1} + sin(x_i), for i < n−1: a small nonlinear map ℝⁿ → ℝⁿ⁻¹."""
    return x[:-1] * x[1:] + x[:-1].sin()


def sum_of_squares(x):
    """y = Σ x²: a scalar, so J is one row, the gradient 2x; backward() needs no v."""
    return (x * x).sum()


# name shown in the dropdown -> function
BUILTINS = {
    "y = x * x (elementwise square)": square,
    "y = W @ x (a 2×n linear map)": linear,
    "y = softmax(x)": softmax,
    "y_i = x_i * x_(i+1) + sin(x_i)": neighbours,
    "y = (x * x).sum() (a scalar)": sum_of_squares,
}

WORDS = Messages(
    en={
        "builtins": {name: name for name in BUILTINS},
        "raised": "The function raised",
        "takes": ("the explorer takes a function from a 1-d tensor to a scalar or a 1-d tensor; "
                  "got x of shape {shape} and y = {y}"),
        "v": "v            = {v}",
        "from_matrix": "vᵀJ (from J) = {v}",
        "after": "x.grad after {code}",
        "from_backward": "             = {v}   {mark}",
        "equal": "✓ equal",
        "different": "✗ different",
        "both_failed": "Building J both ways failed",
        "evaluations": lambda k: f"{k} evaluation{'s' if k != 1 else ''} of f",
        "passes": lambda k: f"{k} backward pass{'es' if k != 1 else ''}",
        "shape": lambda m, n: (f"J is {m}×{n}: {m} output{'s' if m != 1 else ''}, "
                               f"{n} input{'s' if n != 1 else ''}."),
        "reverse": lambda m, cost: f"reverse mode: {m} VJP{'s' if m != 1 else ''} eᵢᵀJ, one row each: {cost}",
        "forward": lambda n, cost: f"forward mode: {n} JVP{'s' if n != 1 else ''} J·eⱼ, one column each: {cost}",
        "no_backward": ("  (forward mode carries the direction along with the values, autograd.forward_ad:"
                        " no backward pass)"),
        "double_backward": "  (each JVP here costs {passes:g} backward passes: the double-backward trick)",
        "both_equal": "✓ both equal functional.jacobian(f, x)",
        "both_differ": "✗ the two results differ from functional.jacobian(f, x)",
        "alt": "Jacobian of {name}: ",
    },
    zh={
        "builtins": {
            "y = x * x (elementwise square)": "y = x * x（逐元素平方）",
            "y = W @ x (a 2×n linear map)": "y = W @ x（2×n 的线性映射）",
            "y = softmax(x)": "y = softmax(x)",
            "y_i = x_i * x_(i+1) + sin(x_i)": "y_i = x_i * x_(i+1) + sin(x_i)",
            "y = (x * x).sum() (a scalar)": "y = (x * x).sum()（标量）",
        },
        "raised": "函数报错",
        "takes": ("探索器需要一个把一维张量映射为标量或一维张量的函数；"
                  "现在 x 的形状是 {shape}，y = {y}"),
        "v": "v = {v}",
        "from_matrix": "由 J 算出的 vᵀJ = {v}",
        "after": "执行 {code} 之后",
        "from_backward": "x.grad = {v}   {mark}",
        "equal": "✓ 相等",
        "different": "✗ 不相等",
        "both_failed": "两种方式构造 J 时出错",
        "evaluations": lambda k: f"计算 f {k} 次",
        "passes": lambda k: f"反向传播 {k} 次",
        "shape": lambda m, n: f"J 是 {m}×{n} 的矩阵：{m} 个输出，{n} 个输入。",
        "reverse": lambda m, cost: f"反向模式：{m} 次 VJP eᵢᵀJ，每次得到一行：{cost}",
        "forward": lambda n, cost: f"前向模式：{n} 次 JVP J·eⱼ，每次得到一列：{cost}",
        "no_backward": "  （前向模式让方向随数值一起前向传递，即 autograd.forward_ad：不需要反向传播）",
        "double_backward": "  （这里每次 JVP 要做 {passes:g} 次反向传播：即“双重反向”技巧）",
        "both_equal": "✓ 两种结果都等于 functional.jacobian(f, x)",
        "both_differ": "✗ 两种结果与 functional.jacobian(f, x) 不一致",
        "alt": "{name} 的雅可比矩阵：",
    },
)


def start_point(n):
    """The x the explorer starts from: ``[0.5, 1.0, 1.5, …]`` (n numbers)."""
    return [0.5 * (i + 1) for i in range(n)]


class JacobianModel:
    """A function and a point x: its Jacobian and its vector-Jacobian products.

    ``fn``: a function of one 1-d tensor returning a tensor (a scalar or 1-d), or the name of
    one of ``BUILTINS``. ``x``: the point (default ``start_point(n)``).
    """

    def __init__(self, fn=None, n=3, x=None):
        if fn is None:
            fn = next(iter(BUILTINS))
        if isinstance(fn, str):
            if fn not in BUILTINS:
                raise KeyError(f"no built-in function {fn!r}; choose from {list(BUILTINS)}")
            self.name, fn = fn, BUILTINS[fn]
        else:
            self.name = getattr(fn, "__name__", "f")
        self.fn = fn
        values = start_point(n) if x is None else x
        self.x = values.detach().clone() if isinstance(values, Tensor) else tensor(values)
        self.n = self.x.numel()
        self.error = None
        self.y = None
        self._jacobian = None
        try:
            self.y = self.fn(self.x).detach()
            if not isinstance(self.y, Tensor) or self.y.dim() > 1 or self.x.dim() != 1:
                raise TypeError(WORDS["takes"].format(shape=tuple(self.x.shape), y=self._describe(self.y)))
            self._jacobian = _matrix(functional.jacobian(self.fn, self.x), self.y.numel(), self.n)
        except Exception as exc:
            self.error = panels.error_text(exc)
        self.m = None if self.y is None or self.error else self.y.numel()

    @staticmethod
    def _describe(y):
        return f"tensor of shape {tuple(y.shape)}" if isinstance(y, Tensor) else type(y).__name__

    def jacobian(self):
        """J (m×n numpy array) from ``autograd.functional.jacobian`` (reverse mode)."""
        if self.error:
            raise RuntimeError(self.error)
        return self._jacobian

    def vjp(self, v):
        """vᵀJ two ways: from the matrix J, and from ``y.backward(v)`` on a fresh leaf x.

        ``v``: numbers (a list, numpy array or tensor) with y's shape, or None to call
        ``y.backward()`` without one (fine for a scalar y; PyTorch refuses a vector y).
        Returns a dict: ``v``, ``from_matrix`` (v @ J), ``from_backward`` (x.grad), ``equal``,
        ``code`` (the line that ran), ``error`` (None or PyTorch's message) and ``html``.
        """
        out = dict(v=None, from_matrix=None, from_backward=None, equal=False, code="", error=None)
        if self.error:
            return {**out, "error": self.error, "html": panels.error_box(self.error, WORDS["raised"])}
        x = self.x.detach().clone().requires_grad_()
        try:
            y = self.fn(x)
            if v is None:
                out["code"] = "y.backward()"
                y.backward()
            else:
                array = v.detach().numpy() if isinstance(v, Tensor) else np.asarray(v, dtype=float)
                if array.size == y.numel():  # [3.0] for a scalar y is fine; other sizes stay wrong
                    array = array.reshape(tuple(y.shape))
                v = tensor(array, dtype=y.dtype)
                out["v"] = v.numpy().copy()
                out["code"] = f"y.backward(torch.tensor({panels.numbers(out['v'])}))"
                y.backward(v)
        except Exception as exc:
            out["error"] = panels.error_text(exc)
            out["html"] = panels.error_box(out["error"], out["code"] or "y.backward(v)")
            return out
        vector = np.ones(1) if out["v"] is None else out["v"].reshape(-1)
        out["v"] = vector.reshape(tuple(self.y.shape))
        out["from_matrix"] = (vector @ self._jacobian).astype(np.float32)
        out["from_backward"] = x.grad.numpy().copy()
        out["equal"] = bool(np.allclose(out["from_matrix"], out["from_backward"], rtol=1e-5, atol=1e-6))
        mark = WORDS["equal"] if out["equal"] else WORDS["different"]
        lines = [WORDS["v"].format(v=panels.numbers(out["v"])),
                 WORDS["from_matrix"].format(v=panels.numbers(out["from_matrix"])),
                 WORDS["after"].format(code=out["code"]),
                 WORDS["from_backward"].format(v=panels.numbers(out["from_backward"]), mark=mark)]
        box = panels.success if out["equal"] else panels.error_box
        out["html"] = box("\n".join(lines))
        return out

    def both_ways(self):
        """J built row by row from m VJPs and column by column from n JVPs, passes counted.

        Returns a dict: ``reverse`` and ``forward`` (each: ``matrix``, ``products`` (how many
        VJPs/JVPs), ``evaluations`` (calls of f), ``passes`` (backward passes the engine ran,
        counted with ``trace``)), ``reference`` (``functional.jacobian``), ``equal`` and ``html``.
        """
        if self.error:
            return dict(error=self.error, html=panels.error_box(self.error, WORDS["raised"]))
        m, n = self.m, self.n
        shape_y = tuple(self.y.shape)
        calls = [0]

        def f(x):  # the same function, counting how often it is evaluated
            calls[0] += 1
            return self.fn(x)

        try:
            with trace() as reverse_log:
                rows = [functional.vjp(f, self.x, _one_hot(m, i, shape_y))[1] for i in range(m)]
            reverse_calls, calls[0] = calls[0], 0
            with trace() as forward_log:
                columns = [functional.jvp(f, self.x, _one_hot(n, j, (n,)))[1] for j in range(n)]
            forward_calls = calls[0]
        except Exception as exc:  # e.g. an operation without a forward-mode rule
            message = panels.error_text(exc)
            return dict(error=message, html=panels.error_box(message, WORDS["both_failed"]))
        reverse = np.stack([r.numpy().reshape(-1) for r in rows])
        forward = np.stack([c.numpy().reshape(-1) for c in columns], axis=1)
        reference = self._jacobian
        equal = bool(np.allclose(reverse, reference, atol=1e-6)
                     and np.allclose(forward, reference, atol=1e-6))
        result = dict(
            reverse=dict(matrix=reverse, products=m, passes=_passes(reverse_log),
                         evaluations=reverse_calls),
            forward=dict(matrix=forward, products=n, passes=_passes(forward_log),
                         evaluations=forward_calls),
            reference=reference, equal=equal, error=None,
        )

        def cost(way):
            return f"{WORDS['evaluations'](result[way]['evaluations'])}, {WORDS['passes'](result[way]['passes'])}"

        forward_passes = result["forward"]["passes"]
        lines = [
            WORDS["shape"](m, n),
            WORDS["reverse"](m, cost("reverse")),
            WORDS["forward"](n, cost("forward")),
            (WORDS["no_backward"] if forward_passes == 0 else
             WORDS["double_backward"].format(passes=forward_passes / n)),
            WORDS["both_equal"] if equal else WORDS["both_differ"],
        ]
        result["html"] = (panels.success if equal else panels.error_box)("\n".join(lines))
        return result

    def heatmap(self, v=None):
        """J as a heatmap (a ``viz`` SVG ``Figure``), with v beside its rows and vᵀJ below when v
        is given."""
        return viz_heatmap(self._jacobian, v=v)

    def state(self, v):
        """Everything the explorer shows for one v: a dict with ``html``, ``vjp`` and ``error``."""
        if self.error:
            html = panels.error_box(self.error, "The function raised")
            return dict(html=html, vjp=None, error=self.error)
        result = self.vjp(v)
        good_v = result["error"] is None and v is not None
        figure = self.heatmap(result["v"] if good_v else None)
        picture = panels.image(figure.svg.encode("utf-8"), "image/svg+xml",
                               alt=WORDS["alt"].format(name=self.name) + figure.text)
        x_line = panels.note(f"x = {panels.numbers(self.x.numpy())},  "
                             f"y = f(x) = {panels.numbers(self.y.numpy())}")
        html = panels.columns(picture, x_line + result["html"])
        return dict(html=html, vjp=result, error=result["error"])


def _matrix(jac, m, n):
    return jac.detach().numpy().reshape(m, n).copy()


def _one_hot(size, index, shape):
    values = [0.0] * size
    values[index] = 1.0
    return tensor(values).reshape(shape)


def _passes(log):
    return sum(1 for event in log.events if event.kind == "start")
