"""``torch.backends.mps``: Apple's GPUs. Not available, not built (as PyTorch's CPU build on Linux says)."""


def is_available():
    """False. PyTorch: ``torch.backends.mps.is_available``."""
    return False


def is_built():
    """False: this build cannot use MPS at all."""
    return False
