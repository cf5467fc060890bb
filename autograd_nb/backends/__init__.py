"""``torch.backends``: what PyTorch's CPU build reports about accelerators (``mps``, ``cudnn``): none here."""
from . import cudnn, mps
