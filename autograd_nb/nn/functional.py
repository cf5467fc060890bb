"""``autograd_nb.nn.functional``: activations, losses, dropout and batch norm with PyTorch's signatures.

The functions added on top of the ops (``dropout``, ``batch_norm``, ``l1_loss``) are written with tensor
operations, so their values and gradients are PyTorch's while their graph shows the pieces
(``MulBackward0``, ``AbsBackward0``, ...) where PyTorch records one fused node
(``NativeBatchNormBackward0``). The losses, weighted or not, are one node each, as in PyTorch.
"""
import math
import warnings

import numpy as np

from .. import ops
from ..first_argument import attribute_error, checks_first_argument, type_error
from ..grad_mode import no_grad
from ..random import _rng
from ..tensor import Tensor


def relu(input, inplace=False):
    """max(x, 0); ``inplace=True`` writes it into x (``x.relu_()``)."""
    return ops.apply_in_place(input, ops.Relu) if inplace else ops.Relu.apply(input)


def sigmoid(input):
    return ops.Sigmoid.apply(input)


def tanh(input):
    return ops.Tanh.apply(input)


def softplus(input, beta=1, threshold=20):
    """ln(1 + e^(βx))/β, a smooth relu; x itself where βx > threshold."""
    return ops.Softplus.apply(input, beta, threshold)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, else negative_slope·x; ``inplace=True`` writes it into x."""
    if inplace:
        return ops.apply_in_place(input, ops.LeakyReluInPlace, negative_slope)
    return ops.LeakyRelu.apply(input, negative_slope)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, else α(eˣ - 1); ``inplace=True`` writes it into x."""
    return ops.apply_in_place(input, ops.EluInPlace, alpha) if inplace else ops.Elu.apply(input, alpha)


def silu(input, inplace=False):
    """x·σ(x) (also called swish); ``inplace=True`` writes it into x."""
    return ops.apply_in_place(input, ops.Silu) if inplace else ops.Silu.apply(input)


def gelu(input, approximate="none"):
    """x·Φ(x), Φ the standard normal cdf; ``approximate="tanh"``: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return ops.Gelu.apply(input, approximate)


def _softmax_dim(input, dim, name):
    if dim is None:  # PyTorch's legacy implicit choice, and its warning
        ndim = input.dim()
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                      "as an argument.", UserWarning, stacklevel=3)
        return 0 if ndim in (0, 1, 3) else 1
    return dim


def softmax(input, dim=None, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return ops.Softmax.apply(x, _softmax_dim(input, dim, "softmax"))


def log_softmax(input, dim=None, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return ops.LogSoftmax.apply(x, _softmax_dim(input, dim, "log_softmax"))


def one_hot(tensor, num_classes=-1):
    """Class indices (int64) → rows of 0s with a 1 at the index: shape (*tensor.shape, num_classes), int64.
    ``num_classes=-1``: one more than the largest index."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    indices = tensor._data
    if num_classes == -1:
        if indices.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(indices.max()) + 1
    if indices.size and indices.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if (indices.size and indices.max() >= num_classes) or num_classes < 0:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor((indices[..., None] == np.arange(num_classes)).astype(np.int64))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """x / max(‖x‖_p, eps) along ``dim``: vectors scaled to length 1 (as PyTorch composes it: a vector norm,
    ClampMinBackward0, ExpandBackward0, DivBackward0)."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{input.dtype.legacy_name[:-len('Tensor')]}")
    norm = ops.vector_norm(input, p, dim, True)
    return input / ops.ClampMin.apply(norm, eps).expand_as(input)


def pad(input, pad, mode="constant", value=None):
    """Pad the last dims: ``pad = (left, right)`` for the last, then ``(top, bottom)`` for the one before, ...;
    negative pads crop. Only ``mode="constant"`` (ConstantPadNdBackward0)."""
    if mode != "constant":
        raise NotImplementedError(f"autograd_nb's pad supports mode='constant' only, not mode={mode!r}")
    return ops.pad(input, pad, value)


def linear(input, weight, bias=None):
    """y = x Wᵀ + b, recorded as PyTorch records it (AddmmBackward0 for 2-d input with a bias)."""
    if bias is not None and input.dim() == 2:
        return ops.Addmm.apply(bias, input, weight.t())
    if bias is not None and input.is_contiguous():  # any other contiguous input: one addmm on its rows, viewed back
        out = ops.Addmm.apply(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return out.view(*input.shape[:-1], weight.shape[0])
    out = ops.matmul(input, weight.t())
    return out if bias is None else out.add_(bias)  # (in place, as PyTorch adds it)


def _legacy_reduction(size_average, reduce, reduction):
    """The ``reduction`` that PyTorch's old ``size_average``/``reduce`` flags mean (with its warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
                  stacklevel=3)
    return reduction


def _reduce(losses, reduction):
    """One loss per element ('none'), their mean or their sum."""
    if reduction == "none":
        return losses
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _warn_if_sizes_differ(input, target)
    input, target = ops.broadcast_tensors(input, target)
    return ops.MseLoss.apply(input, target, _legacy_reduction(size_average, reduce, reduction))


def _warn_if_sizes_differ(input, target):
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", UserWarning, stacklevel=3)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """L = mean |input - target| (``reduction="sum"``: the sum; ``"none"``: each one). PyTorch: ``F.l1_loss``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _warn_if_sizes_differ(input, target)
    input, target = ops.broadcast_tensors(input, target)
    return _reduce((input - target).abs(), reduction)


def _constant_weight(weight, function, name="weight"):
    """A loss's weight is a constant: PyTorch refuses one that requires grad."""
    if weight is not None and weight.requires_grad:
        raise RuntimeError(f"The function '{function}' is not differentiable with respect to argument '{name}'. "
                           "This input cannot have requires_grad True.")
    return weight


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """L = -input[n, target[n]], averaged over the samples (with ``weight``: each sample counts
    weight[target[n]] times, and the mean divides by the weights' sum). PyTorch: ``F.nll_loss``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    weight = _constant_weight(weight, "nll_loss_forward")
    n_classes = input.shape[-1] if input.dim() else 1
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: [{', '.join(map(str, weight.shape))}]")
    return ops.NllLoss.apply(input, target, reduction, ignore_index, weight)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """log_softmax over the class dimension, then nll_loss. A ``target`` of the input's shape holds class
    probabilities: L = -Σ_c target_c·log_softmax(input)_c per sample (times the class weights), averaged over the
    samples."""
    class_dim = 0 if input.dim() == 1 else 1
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:  # (PyTorch tells the two kinds of target apart by shape)
        return nll_loss(log_softmax(input, class_dim), target, weight, ignore_index=ignore_index, reduction=reduction)
    if not target.dtype.is_floating_point:
        raise RuntimeError("Expected floating point type for target with class probabilities, got "
                           f"{target.dtype.legacy_name[:-len('Tensor')]}")
    if ignore_index != -100:
        raise RuntimeError("ignore_index is not supported for floating point target")
    picked = log_softmax(input, class_dim) * target  # (as PyTorch computes it: a few nodes, not one)
    if weight is not None:
        picked = picked * _constant_weight(weight, "cross_entropy").reshape([-1] + [1] * (input.dim() - 1 - class_dim))
    if reduction == "none":
        return -picked.sum(class_dim)
    if reduction == "sum":
        return -picked.sum()
    return ops.DivScalar.apply(-picked.sum(), input.shape[0] if input.dim() > 1 else 1)


def _elementwise_weight(weight, shape):
    """``weight`` as a constant that broadcasts to the losses' ``shape``, with PyTorch's message if not."""
    for i in range(1, weight.dim() + 1):
        if weight.shape[-i] != 1 and (i > len(shape) or weight.shape[-i] != shape[-i]):
            raise RuntimeError(f"Attempting to broadcast a dimension of length {weight.shape[-i]} at -{i}! Mismatching "
                               f"argument at index 1 had {weight.shape}; but expected shape should be broadcastable "
                               f"to [{', '.join(map(str, shape))}]")
    return weight


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """L = -(y·ln p + (1 - y)·ln(1 - p)), each element times ``weight`` if given. PyTorch:
    ``F.binary_cross_entropy``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.size() != input.size():  # (size(), as PyTorch calls it: what a None input reports)
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    weight = _constant_weight(weight, "binary_cross_entropy")
    if weight is not None:
        _elementwise_weight(weight, input.shape)
    return ops.BinaryCrossEntropy.apply(input, target, reduction, _values(weight))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """Binary cross entropy of sigmoid(input), computed stably from the logits. ``pos_weight`` multiplies
    the loss of the positive targets (per class), ``weight`` every element's.
    PyTorch: ``F.binary_cross_entropy_with_logits``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    weight = _constant_weight(weight, "binary_cross_entropy_with_logits")
    pos_weight = _constant_weight(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    if weight is not None:
        _elementwise_weight(weight, input.shape)
    return ops.BinaryCrossEntropyWithLogits.apply(input, target, reduction, _values(weight), _values(pos_weight))


def _values(weight):
    """A weight goes into a loss as plain values (no edge in the graph: it gets no gradient), or None."""
    return None if weight is None else weight._data


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the others by 1/(1 - p), so the expected value
    is unchanged; in evaluation (``training=False``) the input itself. The mask comes from the package's
    generator (``manual_seed`` repeats it). PyTorch: ``F.dropout`` (also a ``MulBackward0``)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{input.dtype.legacy_name[:-len('Tensor')]}")
    keep = _rng(None).random(input.shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = Tensor((keep * scale).astype(input.dtype.numpy_dtype))
    return input.mul_(mask) if inplace else input * mask


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalise each channel (dimension 1) to mean 0 and variance 1, then scale by ``weight`` and shift by
    ``bias``. In training the statistics are the batch's (over every dimension but 1), and the running
    ones move towards them by ``momentum`` (the variance unbiased, as PyTorch keeps it); otherwise the
    running statistics are used. PyTorch: ``F.batch_norm``, with one node NativeBatchNormBackward0 where
    this graph has the arithmetic."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{input.dtype.legacy_name[:-len('Tensor')]}'")
    channels = input.shape[1] if input.dim() > 1 else 1
    dims = (0,) + tuple(range(2, input.dim()))
    count = math.prod(input.shape[d] for d in dims)
    if training and count == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
        if stat is not None and stat.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {stat.numel()}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode")
    shape = (1, channels) + (1,) * (input.dim() - 2)  # a channel's statistic, broadcast over the others
    if training:
        mean = input.mean(dims)
        var = ((input - mean.reshape(shape)) ** 2).mean(dims)  # biased: what the batch is normalised by
        with no_grad():
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(mean.detach() * momentum)
            if running_var is not None:
                running_var.mul_(1 - momentum).add_(var.detach() * (momentum * count / max(count - 1, 1)))
    else:
        mean, var = running_mean, running_var
    out = (input - mean.reshape(shape)) / (var.reshape(shape) + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


# --- what each function says when its first argument is not a tensor (see first_argument.py) -----------
_WRITTEN_IN_CPP = {"relu": "relu", "softplus": "softplus", "leaky_relu": "leaky_relu", "elu": "elu", "silu": "silu",
                   "gelu": "gelu", "pad": "pad", "one_hot": "one_hot", "linear": "linear", "dropout": "dropout",
                   "nll_loss": "nll_loss_nd", "cross_entropy": "cross_entropy_loss"}
_CPP_ITSELF = {"softplus", "gelu", "one_hot", "linear"}  # (the others are Python wrappers around the C++ one)
_FIRST_ATTRIBUTE_READ = {"sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax", "log_softmax": "log_softmax",
                         "normalize": "norm", "mse_loss": "size", "l1_loss": "size"}

for _name, _cpp in _WRITTEN_IN_CPP.items():
    globals()[_name] = checks_first_argument(globals()[_name], type_error(_cpp, _name not in _CPP_ITSELF))
for _name, _attribute in _FIRST_ATTRIBUTE_READ.items():
    globals()[_name] = checks_first_argument(globals()[_name], attribute_error(_attribute))
del _name, _cpp, _attribute
