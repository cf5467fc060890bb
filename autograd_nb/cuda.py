"""``torch.cuda`` as PyTorch's CPU-only build answers it: no GPU here.

Tutorials start with ``device = "cuda" if torch.cuda.is_available() else "cpu"``; with these answers
that line picks the CPU and the rest of the code runs unchanged. The seeding functions do nothing (as
in PyTorch, where they wait for a GPU that never comes); the ones that need a GPU raise PyTorch's error.
"""
from .devices import check as _check


def is_available():
    """False: there is no GPU. PyTorch: ``torch.cuda.is_available``."""
    return False


def device_count():
    """0 GPUs. PyTorch: ``torch.cuda.device_count``."""
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Nothing to seed without a GPU (PyTorch's CPU build accepts the call too)."""


def manual_seed_all(seed):
    """Nothing to seed without a GPU."""


def empty_cache():
    """No GPU memory to give back."""


def memory_allocated(device=None):
    return 0


def is_bf16_supported(including_emulation=True):
    return False


def _no_gpu(*args, **kwargs):
    _check("cuda")


def current_device():
    """Raises PyTorch's ``Torch not compiled with CUDA enabled``."""
    _no_gpu()


def get_device_name(device=None):
    """Raises PyTorch's ``Torch not compiled with CUDA enabled``."""
    _no_gpu()


def synchronize(device=None):
    """Raises PyTorch's ``Torch not compiled with CUDA enabled``."""
    _no_gpu()
