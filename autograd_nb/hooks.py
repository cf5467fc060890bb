"""``RemovableHandle``: what every ``register_hook`` returns, so the hook can be taken off again."""
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
