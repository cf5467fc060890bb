"""``autograd_nb.nn.functional``: activations and losses with PyTorch's signatures."""
from .. import ops


def relu(input, inplace=False):
    return ops.Relu.apply(input)


def sigmoid(input):
    return ops.Sigmoid.apply(input)


def tanh(input):
    return ops.Tanh.apply(input)


def _softmax_dim(input, dim):
    if dim is None:  # PyTorch's legacy implicit choice (with a warning there)
        return 0 if input.dim() in (0, 1, 3) else 1
    return dim


def softmax(input, dim=None, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return ops.Softmax.apply(x, _softmax_dim(input, dim))


def log_softmax(input, dim=None, dtype=None):
    x = input if dtype is None else input.to(dtype)
    return ops.LogSoftmax.apply(x, _softmax_dim(input, dim))


def linear(input, weight, bias=None):
    """y = x Wᵀ + b, recorded as PyTorch records it (AddmmBackward0 for 2-d input with a bias)."""
    if bias is None:
        return ops.matmul(input, weight.t())
    if input.dim() == 2:
        return ops.Addmm.apply(bias, input, weight.t())
    lead = input.shape[:-1]
    out = ops.Addmm.apply(bias, input.reshape(-1, input.shape[-1]), weight.t())
    return out.view(*lead, weight.shape[0])


def mse_loss(input, target, reduction="mean"):
    return ops.MseLoss.apply(input, target, reduction)


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    if weight is not None:
        raise NotImplementedError("autograd_nb's nll_loss does not take class weights")
    return ops.NllLoss.apply(input, target, reduction, ignore_index)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """log_softmax over the class dimension, then nll_loss."""
    class_dim = 0 if input.dim() == 1 else 1
    return nll_loss(log_softmax(input, class_dim), target, weight, ignore_index, reduction)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    if weight is not None:
        raise NotImplementedError("autograd_nb's binary_cross_entropy does not take weights")
    return ops.BinaryCrossEntropy.apply(input, target, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    if weight is not None or pos_weight is not None:
        raise NotImplementedError("autograd_nb's binary_cross_entropy_with_logits does not take weights")
    return ops.BinaryCrossEntropyWithLogits.apply(input, target, reduction)
