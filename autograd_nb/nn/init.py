"""``nn.init``: fill a weight tensor, in place, with its starting values.

Why the scale matters: a layer ``y = x Wᵀ`` sums ``fan_in`` products, so with weights of variance σ²
the output variance is about ``fan_in · σ² · Var(x)``. Choosing σ² ∝ 1/fan_in keeps signals from
growing or shrinking layer after layer:

* ``kaiming_uniform_``: U(-bound, bound) with bound = gain · √(3 / fan). ``nn.Linear`` uses it with
  a = √5, whose gain √(2 / (1 + a²)) = √(1/3) makes bound = 1/√fan_in.
* ``xavier_uniform_``: U(-a, a) with a = gain · √(6 / (fan_in + fan_out)), a compromise between the
  forward pass (fan_in) and the backward pass (fan_out).

Each function writes under ``no_grad()`` (filling a weight is not part of any computation to
differentiate, and a leaf that requires grad may only change in place there) and returns the tensor.
The numbers come from our generator (``autograd_nb.random``), so the distributions match PyTorch's but
the values do not. PyTorch: ``torch.nn.init``.
"""
import math
import warnings

import numpy as np

from ..grad_mode import no_grad
from ..random import _rng
from ..tensor import Tensor


def _fill(tensor, values):
    """Write ``values`` (a numpy array) into ``tensor`` in place, outside the graph."""
    with no_grad():
        return tensor.copy_(Tensor(np.asarray(values)))


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with values drawn from U(a, b)."""
    return _fill(tensor, _rng(generator).uniform(a, b, size=tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with values drawn from N(mean, std²)."""
    return _fill(tensor, _rng(generator).normal(mean, std, size=tensor.shape))


def constant_(tensor, val):
    """Fill with ``val``."""
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor):
    """Fill with 0."""
    with no_grad():
        return tensor.zero_()


def ones_(tensor):
    """Fill with 1."""
    with no_grad():
        return tensor.fill_(1.0)


def calculate_gain(nonlinearity, param=None):
    """The factor that keeps activations' variance steady through ``nonlinearity``.

    linear and sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu with slope s (default 0.01): √(2 / (1 + s²));
    selu: 3/4.
    """
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """For a weight of shape (out, in, *kernel): fan_in = in · ∏kernel, fan_out = out · ∏kernel."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive_field_size = 1
    for s in tensor.shape[2:]:
        receptive_field_size *= s
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _kaiming_std(tensor, a, mode, nonlinearity):
    """He et al.'s standard deviation gain / √fan, or None (with PyTorch's warning) for an empty tensor."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return None
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with U(-bound, bound), bound = gain · √(3 / fan), gain = ``calculate_gain(nonlinearity, a)``.

    (He et al., 2015.) ``a`` is the negative slope of the leaky ReLU that follows the layer.
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std  # a uniform U(-b, b) has standard deviation b / √3
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with N(0, std²), std = gain / √fan (the normal twin of ``kaiming_uniform_``)."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def _xavier_std(tensor, gain):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Fill with U(-a, a), a = gain · √(6 / (fan_in + fan_out)). (Glorot & Bengio, 2010.)"""
    a = math.sqrt(3.0) * _xavier_std(tensor, gain)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Fill with N(0, std²), std = gain · √(2 / (fan_in + fan_out))."""
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator)
