"""``vmap``: a function of one sample turned into a function of a batch.

``vmap(f)(xs)`` is ``stack([f(x) for x in xs])``, and here it is computed exactly that way: a Python
loop over the mapped dimension, then ``stack`` (so gradients flow through it). PyTorch instead runs
``f`` once on "batched tensors", which is much faster; the results are the same. Differences that
follow from the loop: random operations inside ``f`` draw new numbers for every sample (PyTorch's
``randomness="different"``; its default, ``"error"``, refuses them), and ``chunk_size`` has no effect.
PyTorch: ``torch.func.vmap``.
"""
import functools

from .. import creation
from ..ops import stack
from ..ops.broadcast import normalize_dim
from ..tensor import Tensor
from . import pytree

_RANDOMNESS = ("error", "different", "same")


def _per_leaf(dims, tree, what, describe):
    """One dim per leaf of ``tree`` from ``dims``, an int/None for all of them or a structure like the
    tree's prefix; PyTorch's ValueError when they do not fit."""
    if dims is None or isinstance(dims, int):
        return [dims] * len(pytree.flatten(tree)[0])
    if isinstance(dims, (tuple, list)) and isinstance(tree, (tuple, list)) and len(dims) == len(tree):
        return [d for sub_dims, sub in zip(dims, tree) for d in _per_leaf(sub_dims, sub, what, describe)]
    raise ValueError(f"{describe}: {what}_dims is not compatible with the structure of `{what}puts`. {what}_dims has "
                     f"structure {pytree.flatten(dims)[1]} but {what}puts has structure {pytree.flatten(tree)[1]}.")


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """``func`` mapped over dimension ``in_dims`` of its tensor arguments (an int for all of them, or a
    tuple with one entry per argument, None for an argument shared by every sample); the results are
    stacked along ``out_dims``. Keyword arguments are passed to every call as they are."""
    if randomness not in _RANDOMNESS:
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {randomness}")
    name = getattr(func, "__name__", repr(func))

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        call = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
        if not args:
            raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
                             "trying to vmap over a function with no inputs. The latter is unsupported.")
        if not isinstance(in_dims, (int, tuple)):
            raise ValueError(f"{call}: expected `in_dims` to be int or a (potentially nested) tuple matching the "
                             f"structure of inputs, got: {type(in_dims)}.")
        leaves, spec = pytree.flatten(args)
        dims = _per_leaf(in_dims, args, "in", call)
        sizes = []
        for x, d in zip(leaves, dims):
            if d is None:
                continue
            if not isinstance(x, Tensor):
                raise ValueError(f"{call}: Got in_dim={d} for an input but the input is of type {type(x)}. We cannot "
                                 "vmap over non-Tensor arguments, please use None as the respective in_dim")
            if not -x.dim() <= d < x.dim():
                raise ValueError(f"{call}: Got in_dim={d} for some input, but that input is a Tensor of dimensionality "
                                 f"{x.dim()} so expected in_dim to satisfy -{x.dim()} <= in_dim < {x.dim()}.")
            sizes.append(x.shape[d])
        if not sizes:
            raise ValueError("vmap: Expected at least one Tensor to vmap over")
        if len(set(sizes)) > 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
                             f"{sizes} for the mapped dimension")

        def sample(b):
            """The arguments of sample ``b`` (with b = None: zeros shaped like a sample, to learn the
            output's shape when the batch is empty)."""
            picked = []
            for x, d in zip(leaves, dims):
                if d is None:
                    picked.append(x)
                else:
                    d = d % x.dim()
                    picked.append(x[(slice(None),) * d + (b,)] if b is not None else
                                  creation.zeros(x.shape[:d] + x.shape[d + 1:], dtype=x.dtype))
            return func(*pytree.unflatten(picked, spec), **kwargs)

        results = [sample(b) for b in range(sizes[0])] or [sample(None)]
        out_leaves, out_spec = pytree.flatten(results[0])
        out = _per_leaf(out_dims, results[0], "out", f"vmap({name}, ..., out_dims={out_dims})(<inputs>)")
        per_sample = [pytree.flatten(r)[0] for r in results]
        stacked = []
        for i, (first, d) in enumerate(zip(out_leaves, out)):
            if d is None:  # not batched: every sample's is the same
                stacked.append(first)
                continue
            if not isinstance(first, Tensor):
                raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type {type(first)}. Did "
                                 "you mean to set out_dims= to None for output?")
            d = normalize_dim(d, first.dim() + 1)
            if sizes[0] == 0:
                shape = first.shape[:d] + (0,) + first.shape[d:]
                stacked.append(creation.zeros(shape, dtype=first.dtype))
            else:
                stacked.append(stack([leaves_[i] for leaves_ in per_sample], dim=d))
        return pytree.unflatten(stacked, out_spec)

    return wrapped
