"""``torch.backends.cudnn``: the NVIDIA library's switches. Tutorials set them for reproducibility
(``cudnn.deterministic = True``, ``cudnn.benchmark = False``); they are kept and change nothing here."""
enabled = True
deterministic = False
benchmark = False


def is_available():
    """False: no cuDNN without CUDA."""
    return False
