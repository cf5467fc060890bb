"""``RemovableHandle``: what every ``register_hook`` returns, so the hook can be taken off again; and how
``retain_grad()`` follows a tensor whose history changed."""
import itertools


class RemovableHandle:
    """``handle.remove()`` takes the hook off; ``with handle:`` removes it when the block ends."""

    _ids = itertools.count()

    def __init__(self, hooks):
        self.hooks = hooks  # the dict the hook was put in: {handle id: hook}
        self.id = next(RemovableHandle._ids)

    def remove(self):
        self.hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def add_hook(table, hook):
    """Put ``hook`` into ``table`` (a dict, in the order hooks were added); return its handle."""
    handle = RemovableHandle(table)
    table[handle.id] = hook
    return handle


def move_retained_grad(t, new_node, old_node=None, old_nr=None):
    """``retain_grad()`` follows the tensor to the node of its new history (its other hooks stay behind, on
    the old node, as in PyTorch)."""
    old_node = t._grad_fn if old_node is None else old_node
    if not t._retains_grad or old_node is None or not old_node._retained:
        return
    ref = old_node._retained.pop(t._output_nr if old_nr is None else old_nr, None)
    if ref is not None:
        if new_node._retained is None:
            new_node._retained = {}
        new_node._retained[0] = ref
