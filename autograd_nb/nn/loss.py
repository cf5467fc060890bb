"""More loss modules: ``L1Loss``, ``NLLLoss``, ``BCELoss``, ``BCEWithLogitsLoss`` (``MSELoss`` and
``CrossEntropyLoss`` are in ``modules.py``). Each is its ``F`` function with the options kept as
attributes (class weights as buffers). PyTorch: ``torch.nn.L1Loss``, ...
"""
from . import functional as F
from .modules import _Loss, _WeightedLoss


class L1Loss(_Loss):
    """L = mean over elements of |input - target|."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    """L = mean over samples n of -input[n, target[n]]: ``input`` holds log-probabilities (the output of
    ``LogSoftmax``), ``target`` the class indices. ``LogSoftmax`` + ``NLLLoss`` = ``CrossEntropyLoss``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """L = mean of -(y·ln p + (1 - y)·ln(1 - p)): ``input`` holds probabilities (after ``Sigmoid``)."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """``Sigmoid`` then ``BCELoss`` in one, computed stably from the logits; ``pos_weight`` weighs the
    positive targets of each class."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, pos_weight=self.pos_weight,
                                                  reduction=self.reduction)
