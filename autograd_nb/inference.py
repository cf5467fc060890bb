"""Inference mode: ``no_grad`` for code that will never meet autograd again.

Inside ``with torch.inference_mode():`` nothing is recorded (grad mode is off), and every tensor made
there is an *inference tensor*: it keeps no version counter, so it can never be checked for in-place
changes, and autograd refuses to save it for a backward pass later. That is what lets PyTorch skip the
bookkeeping; here it only shows the rules. An inference tensor's version counter is ``NO_VERSION``
(``Tensor.is_inference()`` asks for it); views and ``detach()`` share it, as they share any counter.

PyTorch: ``torch.inference_mode``, ``torch.is_inference_mode_enabled``, ``Tensor.is_inference``.
"""
import functools

from . import grad_mode

enabled = False  # True inside inference_mode(): Tensor() gives new tensors NO_VERSION as their counter

SAVED_MESSAGE = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in "
    "computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it "
    "in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.")
_IN_PLACE_MESSAGE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal "
    "tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.")


class _NoVersion(list):
    """The version counter of inference tensors: it reads 0 and counts nothing. An in-place change outside
    inference mode raises PyTorch's error (after the write, as PyTorch's does too)."""

    def __setitem__(self, index, value):
        if not enabled:
            raise RuntimeError(_IN_PLACE_MESSAGE)


NO_VERSION = _NoVersion([0])


def is_inference_mode_enabled():
    """True inside ``inference_mode()``. PyTorch: ``torch.is_inference_mode_enabled``."""
    return enabled


class inference_mode:
    """``with torch.inference_mode():`` or ``@torch.inference_mode()`` (also without the parentheses):
    grad mode off, and tensors made inside are inference tensors. ``inference_mode(False)`` turns it off
    again inside a block."""

    def __new__(cls, mode=True):
        if callable(mode):  # @inference_mode, without parentheses: mode is the function
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def __enter__(self):
        global enabled
        self.previous = enabled, grad_mode.is_grad_enabled()
        enabled = self.mode
        grad_mode._set_grad_enabled(not self.mode)  # (inference_mode(False) turns recording back on, as in PyTorch)

    def __exit__(self, *exc):
        global enabled
        enabled, grad = self.previous
        grad_mode._set_grad_enabled(grad)
        return False

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return wrapper
