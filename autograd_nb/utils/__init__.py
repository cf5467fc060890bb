"""``autograd_nb.utils``: ``data`` (``TensorDataset``, ``DataLoader``), as ``torch.utils.data``."""
from . import data
