"""Loss functions: mean squared error, negative log likelihood, binary cross entropy (on probabilities
and on logits). Each reduces to a scalar ('mean' or 'sum') or keeps one loss per element ('none').
"""
import math

import numpy as np

from .. import dtypes
from ..function import Function
from .broadcast import broadcast_shapes, unbroadcast
from .arithmetic import DivScalar
from .pointwise import AddScalar, MulScalar, zeros_of
from ..tensor import Tensor


def _short(dtype):
    return dtype.legacy_name[:-len("Tensor")]


def _reduce(losses, reduction, count=None):
    if reduction == "none":
        return losses
    if reduction == "sum":
        return np.asarray(losses.sum())
    if reduction == "mean":
        n = losses.size if count is None else count
        return np.asarray(losses.sum() / n, dtype=losses.dtype)
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _spread(grad, reduction, shape, count=None):
    """The gradient of each element's loss, given the gradient of the reduced loss."""
    if reduction == "none":
        return grad
    n = math.prod(shape) if count is None else count
    return grad.expand(shape) / n if reduction == "mean" else grad.expand(shape)


def _reduce_tangent(t, reduction, count=None):
    """Forward mode: reduce per-element tangents the way the loss reduces per-element losses."""
    if reduction == "none":
        return t
    total = t.sum()
    if reduction == "sum":
        return total
    return total / (t.numel() if count is None else max(count, 1))


def _targets(t, ignore_index):
    """The samples that count (their row numbers) and their target classes."""
    rows = np.flatnonzero(t != ignore_index)
    return rows, t[rows]


class MseLoss(Function):
    """L = mean((x - y)²)      ∂L/∂x = 2(x - y)/n, ∂L/∂y = -2(x - y)/n"""

    node_name = "MseLossBackward0"
    saved_names = ("self", "target")

    @staticmethod
    def forward(ctx, x, y, reduction):
        shape = broadcast_shapes(x.shape, y.shape)
        dt = dtypes.result_type(x, y)
        if not dt.is_floating_point:
            raise NotImplementedError(f'"mse_cpu" not implemented for \'{_short(dt)}\'')
        ctx.save_for_backward(x, y)
        ctx.reduction, ctx.shape = reduction, shape
        diff = x._data.astype(dt.numpy_dtype, copy=False) - y._data.astype(dt.numpy_dtype, copy=False)
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        if x.shape == y.shape:  # (F.mse_loss broadcasts first, so this is the usual case)
            grad_x = MseLossGrad.apply(grad, x, y, ctx.reduction) if ctx.needs_input_grad[0] else None
            grad_y = MseLossGrad.apply(grad, y, x, ctx.reduction) if ctx.needs_input_grad[1] else None
            return grad_x, grad_y, None
        g = _spread(grad, ctx.reduction, ctx.shape) * 2 * (x - y)
        grad_x = unbroadcast(g, x.shape) if ctx.needs_input_grad[0] else None
        grad_y = unbroadcast(-g, y.shape) if ctx.needs_input_grad[1] else None
        return grad_x, grad_y, None

    @staticmethod
    def jvp(ctx, tx, ty, _reduction):
        x, y = ctx.saved_tensors
        return _reduce_tangent(2 * (x - y) * (tx - ty), ctx.reduction)


class MseLossGrad(Function):
    """r = k·(x - y)·g (k = 2/n for the mean, else 2; g the gradient of the loss), MseLoss's backward
    ∂L/∂g = Σ k·(x - y)·u (each element's for 'none'), ∂L/∂x = k·g·u, ∂L/∂y = -k·g·u  (u = ∂L/∂r)

    An operation of its own, as in PyTorch (``mse_loss_backward``): what ``create_graph=True`` records
    (``MseLossBackwardBackward0``), with edges to the gradient, x and y. (For ∂L/∂y, MseLoss calls it with x
    and y swapped, as PyTorch does.)
    """

    node_name = "MseLossBackwardBackward0"
    saved_names = ("grad_output", "self", "target")

    @staticmethod
    def forward(ctx, grad, x, y, reduction):
        ctx.save_for_backward(grad, x, y)
        ctx.k, ctx.reduction = (2 / x.numel() if reduction == "mean" and x.numel() else 2), reduction
        return (x._data - y._data) * grad._data * np.asarray(ctx.k, dtype=x._data.dtype)

    @staticmethod
    def backward(ctx, u):
        grad, x, y = ctx.saved_tensors
        grad_g = None
        if ctx.needs_input_grad[0]:
            grad_g = MulScalar.apply((x - y) * u, ctx.k)
            grad_g = grad_g if ctx.reduction == "none" else grad_g.sum()
        grad_x = MulScalar.apply(grad * u, ctx.k) if ctx.needs_input_grad[1] or ctx.needs_input_grad[2] else None
        return grad_g, grad_x, (None if grad_x is None else -grad_x), None


class NllLoss(Function):
    """L = -Σₙ wₙ·x[n, tₙ] / Σₙ wₙ (x: log-probabilities, tₙ the classes, wₙ = weight[tₙ], 1 without weights)
    ∂L/∂x[n, tₙ] = -wₙ / Σ wₙ"""

    node_name = "NllLossBackward0"
    saved_names = ("self", "target")

    @classmethod
    def apply(cls, x, target, reduction, ignore_index, weight=None):
        """As ``Function.apply``, but the class indices and the weights go in as plain arrays: like PyTorch's
        NllLossBackward0, the node has an edge to ``x`` only (integer targets never get a gradient)."""
        if x.dim() == 0:
            raise ValueError("Expected 1 or more dimensions (got 0)")
        if x.dim() >= 2 and target.dim() >= 1 and x.shape[0] != target.shape[0]:
            raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                             f"({target.shape[0]}).")
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not target.dtype.name == "int64":
            raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_short(target.dtype)}")
        if not x.dtype.is_floating_point:
            raise NotImplementedError(f'"nll_loss_out_frame" not implemented for \'{_short(x.dtype)}\'')
        return super().apply(x, target._data, reduction, ignore_index, None if weight is None else weight._data)


    @staticmethod
    def forward(ctx, x, target, reduction, ignore_index, weight):
        logp = x._data if x.dim() == 2 else x._data.reshape(1, -1)
        t = target.reshape(-1)
        if logp.shape[0] != t.shape[0]:
            raise ValueError(f"Expected input batch_size ({logp.shape[0]}) to match target batch_size ({t.shape[0]}).")
        rows, cols = _targets(t, ignore_index)
        if cols.size and (cols.min() < 0 or cols.max() >= logp.shape[1]):
            raise IndexError(f"Target {int(cols[(cols < 0) | (cols >= logp.shape[1])][0])} is out of bounds.")
        w = np.zeros(t.shape[0], dtype=logp.dtype)  # each sample's weight; ignored samples weigh nothing
        w[rows] = 1 if weight is None else weight[cols]
        picked = np.zeros(t.shape[0], dtype=logp.dtype)
        picked[rows] = -logp[rows, cols] * w[rows]
        ctx.save_for_backward(x, Tensor(target))
        ctx.shape, ctx.reduction, ctx.ignore_index, ctx.weights = x.shape, reduction, ignore_index, w
        ctx.total = w.sum()
        if reduction == "none":
            return picked.reshape(()) + 0.0 if x.dim() == 1 else picked  # (1-d: PyTorch's 0 - x·w, +0.0 at x = 0)
        if reduction == "sum":
            return np.asarray(picked.sum())
        return np.asarray(picked.sum() / ctx.total, dtype=logp.dtype)  # (nan when every sample is ignored)

    @staticmethod
    def backward(ctx, grad):
        x, target = ctx.saved_tensors
        t = target._data.reshape(-1)
        rows, cols = _targets(t, ctx.ignore_index)
        # ∂L/∂x: -wₙ at each sample's target class (divided by Σ wₙ for the mean: nan when that is 0)
        one_hot = np.zeros((t.shape[0], ctx.shape[-1]), dtype=grad._data.dtype)
        with np.errstate(all="ignore"):
            scale = (1 / ctx.total) if ctx.reduction == "mean" else 1
            one_hot[rows, cols] = -ctx.weights[rows] * scale
        return NllLossGrad.apply(grad, x, one_hot, ctx.reduction), None, None, None, None

    @staticmethod
    def jvp(ctx, tx, _target, _reduction, _ignore, _weight):
        _, target = ctx.saved_tensors
        t = target._data.reshape(-1)
        one_hot = np.zeros((t.shape[0], ctx.shape[-1]), dtype=tx._data.dtype)
        rows, cols = _targets(t, ctx.ignore_index)
        one_hot[rows, cols] = -ctx.weights[rows]
        picked = (tx.reshape(t.shape[0], -1) * Tensor(one_hot)).sum(1)
        if ctx.reduction == "none":
            return picked.reshape(()) if len(ctx.shape) == 1 else picked
        return picked.sum() if ctx.reduction == "sum" else picked.sum() / float(ctx.total)


class NllLossGrad(Function):
    """r = -wₙ·g at each sample's target class, 0 elsewhere (g the gradient of the loss, spread over the samples),
    NllLoss's backward      ∂L/∂g = -Σ wₙ·u[n, tₙ] (per sample for 'none'), ∂L/∂x = 0  (u = ∂L/∂r)

    An operation of its own, as in PyTorch (``nll_loss_backward``): what ``create_graph=True`` records
    (``NllLossBackwardBackward0``), with an edge to the log-probabilities x, whose gradient through it is 0.
    """

    node_name = "NllLossBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, x, one_hot, reduction):
        ctx.one_hot, ctx.reduction, ctx.grad_shape, ctx.x_shape = one_hot, reduction, grad.shape, x.shape
        g = grad._data.reshape(-1, 1) if reduction == "none" else grad._data
        return (g * one_hot).reshape(x.shape)

    @staticmethod
    def backward(ctx, u):
        picked = u.reshape(ctx.one_hot.shape) * Tensor(ctx.one_hot)
        grad_g = (picked.sum(1) if ctx.reduction == "none" else picked.sum()).reshape(ctx.grad_shape)
        return grad_g, zeros_of(u), None, None


class BinaryCrossEntropy(Function):
    """L = -mean(w·(y·ln p + (1 - y)·ln(1 - p)))  (w = 1 without weights)      ∂L/∂p = w·(p - y) / (p(1 - p)) / n"""

    node_name = "BinaryCrossEntropyBackward0"
    saved_names = ("self", "target")

    @staticmethod
    def forward(ctx, p, y, reduction, weight=None):
        if p.shape != y.shape:
            raise ValueError(
                f"Using a target size ({y.shape!r}) that is different to the input size ({p.shape!r}) is "
                "deprecated. Please ensure they have the same size.")
        if y.dtype is not p.dtype:
            raise RuntimeError(f"Found dtype {_short(y.dtype)} but expected {_short(p.dtype)}")
        a = p._data
        if not np.all((a >= 0) & (a <= 1)):  # (nan is outside too)
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save_for_backward(p, y)
        ctx.reduction, ctx.weight = reduction, _weight(weight, a)
        # PyTorch clamps each log at -100 so that p = 0 or 1 gives a large finite loss
        log_p = np.maximum(np.log(a), -100)
        log_1mp = np.maximum(np.log1p(-a), -100)
        t = y._data.astype(a.dtype, copy=False)
        losses = -(t * log_p + (1 - t) * log_1mp)
        return _reduce(losses if ctx.weight is None else losses * ctx.weight._data, reduction)

    @staticmethod
    def backward(ctx, grad):
        p, y = ctx.saved_tensors
        grad_p = None
        if ctx.needs_input_grad[0]:
            grad_p = BinaryCrossEntropyGrad.apply(grad, p, y, _values(ctx.weight), ctx.reduction)
        grad_y = None
        if ctx.needs_input_grad[1]:
            g = _spread(grad, ctx.reduction, p.shape)
            if ctx.weight is not None:
                g = g * ctx.weight
            grad_y = -(p / (1 - p)).log() * g  # -logit(p)·g, as PyTorch computes it (no clamp: ±inf at 0 and 1)
        return grad_p, grad_y, None, None

    @staticmethod
    def jvp(ctx, tp, ty, _reduction, _weight):
        p, y = ctx.saved_tensors
        per_element = tp * (p - y) / (p * (1 - p)).clamp(min=1e-12) - ty * (p / (1 - p)).log()
        return _reduce_tangent(per_element if ctx.weight is None else per_element * ctx.weight, ctx.reduction)


def _values(weight):
    """A weight goes in as plain values (no edge in the graph), or None."""
    return None if weight is None else weight._data


def _weighted_mean(g, ctx):
    """A loss's per-element gradient ``g`` times its weights, divided by the count for the mean."""
    if ctx.weight is not None:
        g = g * ctx.weight
    return DivScalar.apply(g, g.numel()) if ctx.reduction == "mean" else g


class BinaryCrossEntropyGrad(Function):
    """r = w·g·(p - y) / max(p(1 - p), ε) (/ n for the mean), BinaryCrossEntropy's backward (ε = 10⁻¹²)
    ∂L/∂g = Σ w·u·(p - y)/((p + ε)(1 - p + ε)), ∂L/∂p = w·u·g·(p² - 2py + y)/((p + ε)²(1 - p + ε)²),
    ∂L/∂y = -w·u·g / max(p(1 - p), ε)  (each / n for the mean; u = ∂L/∂r)

    An operation of its own, as in PyTorch (``binary_cross_entropy_backward``, with its double-backward
    formulas): what ``create_graph=True`` records (``BinaryCrossEntropyBackwardBackward0``).
    """

    node_name = "BinaryCrossEntropyBackwardBackward0"
    saved_names = ("grad_output", "self", "target", "weight")

    @staticmethod
    def forward(ctx, grad, p, y, weight, reduction):
        ctx.save_for_backward(grad, p, y)
        ctx.weight, ctx.reduction, ctx.n = _weight(weight, p._data), reduction, (p.numel() if reduction == "mean" else 1)
        a, t = p._data, y._data.astype(p._data.dtype, copy=False)
        r = grad._data * (a - t) / np.maximum(a * (1 - a), 1e-12)
        if weight is not None:
            r = r * ctx.weight._data
        return r / np.asarray(ctx.n, dtype=a.dtype)

    @staticmethod
    def backward(ctx, u):
        grad, p, y = ctx.saved_tensors
        w = 1 if ctx.weight is None else ctx.weight
        eps = 1e-12
        grad_g = grad_p = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_g = (p - y) / ((p + eps) * (1 - p + eps)) * w / ctx.n * u
            grad_g = grad_g if ctx.reduction == "none" else grad_g.sum()
        if ctx.needs_input_grad[1]:
            grad_p = (p * p - 2 * p * y + y) / ((p + eps) ** 2 * (1 - p + eps) ** 2) * (u * grad) * w / ctx.n
        if ctx.needs_input_grad[2]:
            grad_y = -u * grad * w / ((1 - p) * p).clamp(min=eps) / ctx.n
        return grad_g, grad_p, grad_y, None, None


class BinaryCrossEntropyWithLogits(Function):
    """L = mean(w·((1 - y)·x + (1 + (w₊ - 1)·y)·softplus(-x)))  (BCE of sigmoid(x), computed stably; the weights
    w and w₊ are 1 unless given)      ∂L/∂x = w·(σ(x)·(1 + (w₊ - 1)·y) - w₊·y)/n"""

    node_name = "BinaryCrossEntropyWithLogitsBackward0"
    saved_names = ("self", "target")

    @staticmethod
    def forward(ctx, x, y, reduction, weight=None, pos_weight=None):
        if x.shape != y.shape:
            raise ValueError(f"Target size ({y.shape!r}) must be the same as input size ({x.shape!r})")
        ctx.save_for_backward(x, y)
        dt = dtypes.result_type(x, y).numpy_dtype
        ctx.reduction, ctx.weight, ctx.pos_weight = reduction, _weight(weight, dt), _weight(pos_weight, dt)
        a = x._data.astype(dt, copy=False)
        t = y._data.astype(dt, copy=False)
        # PyTorch's form: (1 - t)·a - L·log σ(a), L = 1 + (w₊ - 1)·t, with log σ(a) = min(a, 0) - log(1 + e^-|a|)
        # (log1p: for a large a the loss is e^-a, not 0)
        log_sigmoid = np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))
        log_weight = 1 if pos_weight is None else (ctx.pos_weight._data - 1) * t + 1
        losses = (1 - t) * a - log_weight * log_sigmoid
        if weight is not None:
            losses = losses * ctx.weight._data
        return _reduce(losses.astype(a.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors  # (PyTorch's formulas, in its order: so the graph of a gradient is its graph)
        w = ctx.pos_weight
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            if w is None:
                grad_x = x.sigmoid() - y
            else:
                t = w * y
                grad_x = (AddScalar.apply(t, 1) - y) * x.sigmoid() - t
            grad_x = _weighted_mean(grad_x * grad, ctx)
        if ctx.needs_input_grad[1]:
            if w is None:
                grad_y = -x
            else:  # log σ(-x) - w·log σ(x), with log σ(x) = -softplus(-x) computed stably
                grad_y = (w - 1) * ((-x).clamp(min=0) + (-x.abs()).exp().log1p()) - x
            grad_y = _weighted_mean(grad_y * grad, ctx)
        return grad_x, grad_y, None, None, None

    @staticmethod
    def jvp(ctx, tx, ty, _reduction, _weight, _pos_weight):
        x, y = ctx.saved_tensors
        w = 1 if ctx.pos_weight is None else ctx.pos_weight
        per_element = (tx * (x.sigmoid() * ((w - 1) * y + 1) - w * y)
                       + ty * ((w - 1) * ((-x).clamp(min=0) + (-x.abs()).exp().log1p()) - x))
        return _reduce_tangent(per_element if ctx.weight is None else per_element * ctx.weight, ctx.reduction)


def _weight(weight, like):
    """A loss's weights as a constant tensor of the loss's dtype (they get no gradient), or None."""
    if weight is None:
        return None
    dt = like.dtype if hasattr(like, "dtype") else like
    return Tensor(np.asarray(weight, dtype=dt))
