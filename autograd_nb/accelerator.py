"""``torch.accelerator`` as PyTorch's CPU build answers it: there is no accelerator.

The tutorials' first line, ``device = torch.accelerator.current_accelerator().type if
torch.accelerator.is_available() else "cpu"``, picks the CPU here.
"""


def is_available():
    return False


def current_accelerator(check_available=False):
    """The accelerator's device type, or None: there is none."""
    return None


def device_count():
    return 0


def current_device_index():
    raise RuntimeError("Cannot access accelerator device when none is available.")


current_device_idx = current_device_index


def synchronize(device=None):
    current_device_index()  # (PyTorch's error: there is no accelerator to wait for)
