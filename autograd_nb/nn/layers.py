"""More layers: ``Identity``, ``Flatten``, ``Dropout``, ``BatchNorm1d``, ``Softmax``, ``LogSoftmax``.

Two of them behave differently in training and in evaluation (``model.train()`` / ``model.eval()``):
``Dropout`` drops only while training, and ``BatchNorm1d`` normalises with the batch's statistics while
training (and updates its running ones) but with the running statistics in evaluation.
PyTorch: ``torch.nn.Identity``, ``torch.nn.Flatten``, ...
"""
from .. import creation, dtypes
from ..ops.broadcast import normalize_dim
from . import functional as F
from . import init
from .modules import Module
from .parameter import Parameter


class Identity(Module):
    """Returns its input (the same tensor): a placeholder, e.g. for a layer taken out of a model. Any
    arguments are accepted and ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Flatten(Module):
    """Dimensions ``start_dim`` to ``end_dim`` merged into one: (N, C, H, W) → (N, C·H·W) by default,
    keeping the batch dimension."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        if input.dim() == 0:
            return input.reshape(1)
        start, end = normalize_dim(self.start_dim, input.dim()), normalize_dim(self.end_dim, input.dim())
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:  # nothing to merge: PyTorch returns the input itself
            return input
        shape = input.shape
        return input.reshape(*shape[:start], -1, *shape[end + 1:])

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """While training, zero each element with probability ``p`` and scale the rest by 1/(1 - p); in
    evaluation, pass the input through (``F.dropout``)."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class BatchNorm1d(Module):
    """Batch normalisation of (N, C) or (N, C, L) input, per channel C: (x - mean) / √(var + eps), then
    ``weight`` and ``bias`` (with ``affine``).

    Buffers: ``running_mean``, ``running_var`` (the statistics evaluation uses, moved towards each
    training batch's by ``momentum``; ``momentum=None`` keeps a plain average over all batches) and
    ``num_batches_tracked``. With ``track_running_stats=False`` there are none, and the batch's
    statistics are used in evaluation too.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        options = {"device": device, "dtype": dtype}
        if affine:
            self.weight = Parameter(creation.empty(num_features, **options))
            if bias:
                self.bias = Parameter(creation.empty(num_features, **options))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", creation.zeros(num_features, **options))
            self.register_buffer("running_var", creation.ones(num_features, **options))
            self.register_buffer("num_batches_tracked", creation.tensor(0, dtype=dtypes.int64, device=device))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input):
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a cumulative average: batch k weighs 1/k
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch_stats = self.training or self.running_mean is None
        keep_stats = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if keep_stats else None,
                            self.running_var if keep_stats else None, self.weight, self.bias, use_batch_stats,
                            factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _AlongDim(Module):
    """A layer that works along one dimension, ``dim``."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """softmax along ``dim``: each slice becomes positive and sums to 1."""

    def forward(self, input):
        return F.softmax(input, self.dim)


class LogSoftmax(_AlongDim):
    """log(softmax(x)) along ``dim``, computed stably in one step (the input ``NLLLoss`` expects)."""

    def forward(self, input):
        return F.log_softmax(input, self.dim)
