"""``torch.autograd.graph``: hooks on what the graph saves for backward, and the Node type.

``saved_tensors_hooks(pack_hook, unpack_hook)``: inside the block, every tensor a recorded operation
saves for backward is kept as ``pack_hook(tensor)`` (anything you like: a copy, a file name, a compressed
form), and backward gets ``unpack_hook(packed)`` back, a tensor with the same values. ``save_on_cpu`` is
the one PyTorch ships: it moves saved tensors to the CPU and back, which here, where every tensor lives on
the CPU already, keeps them as they are. The mechanics are in ``saved_tensor.py``.
"""
from ..function import Node
from ..saved_tensor import hooks as _hooks


class saved_tensors_hooks:
    """``with saved_tensors_hooks(pack_hook, unpack_hook):`` — pack what the graph saves, unpack it in backward.
    Blocks nest: the innermost one applies. PyTorch: ``torch.autograd.graph.saved_tensors_hooks``."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        _hooks.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _hooks.pop()
        return False


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors on the CPU (with their device, to move them back in backward), as PyTorch's does.
    ``pin_memory`` and ``device_type`` are accepted; on the CPU they change nothing."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack_to_cpu(tensor):
            return (tensor.device, tensor.cpu())

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu"]
