"""Nested containers of tensors ("pytrees"): flatten them to a list of leaves, and build them back.

The function transforms take and return such structures: ``grad(loss)(params)`` with ``params`` a
dict of tensors gives a dict of gradients. Tuples, lists and dicts are containers; anything else is a
leaf. ``str(spec)`` prints a structure as PyTorch's messages do (``TreeSpec(tuple, None, [*])``).
PyTorch: ``torch.utils._pytree``.
"""


class TreeSpec:
    """The shape of a pytree without its leaves: a container type, its keys (dicts) and its children."""

    def __init__(self, kind=None, context=None, children=()):
        self.kind = kind  # None for a leaf
        self.context = context
        self.children = list(children)

    @property
    def num_leaves(self):
        return 1 if self.kind is None else sum(c.num_leaves for c in self.children)

    def __eq__(self, other):
        return (isinstance(other, TreeSpec) and (self.kind, self.context) == (other.kind, other.context)
                and self.children == other.children)

    def __repr__(self, indent=0):
        if self.kind is None:
            return "*"
        indent += 2
        parts = [child.__repr__(indent) for child in self.children]
        inner = (",\n" + " " * indent).join(parts)
        return f"TreeSpec({self.kind.__name__}, {self.context}, [{inner}])"

    def pprint(self):
        """The structure as Python would write it, with ``*`` for leaves: ``(*,)``, ``{'a': *}``."""
        if self.kind is None:
            return "*"
        items = [c.pprint() for c in self.children]
        if self.kind is dict:
            return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.context, items)) + "}"
        if self.kind is list:
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


LEAF = TreeSpec()


def flatten(tree):
    """``(leaves, spec)``: the leaves in order (dicts in their key order) and the structure."""
    if isinstance(tree, (tuple, list)):
        kind, keys, values = type(tree) if type(tree) in (tuple, list) else tuple, None, list(tree)
    elif isinstance(tree, dict):
        kind, keys, values = dict, list(tree), list(tree.values())
    else:
        return [tree], LEAF
    leaves, children = [], []
    for value in values:
        sub_leaves, spec = flatten(value)
        leaves += sub_leaves
        children.append(spec)
    return leaves, TreeSpec(kind, keys, children)


def unflatten(leaves, spec):
    """The pytree of shape ``spec`` holding ``leaves`` (in the order ``flatten`` gives them)."""
    leaves = iter(leaves)

    def build(s):
        if s.kind is None:
            return next(leaves)
        values = [build(c) for c in s.children]
        return dict(zip(s.context, values)) if s.kind is dict else s.kind(values)

    return build(spec)


def tree_map(fn, tree):
    leaves, spec = flatten(tree)
    return unflatten([fn(x) for x in leaves], spec)
