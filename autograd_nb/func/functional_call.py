"""``functional_call``: run a module with other tensors in place of its parameters and buffers.

``functional_call(model, {"0.weight": w, ...}, (x,))`` calls ``model(x)`` with ``w`` where
``model[0].weight`` was, and puts the module's own tensors back afterwards. The model becomes a plain
function of its weights, which is what ``grad``, ``vmap`` and the other transforms need:
``grad(lambda params: loss(functional_call(model, params, (x,))))(params)``.
PyTorch: ``torch.func.functional_call``.
"""
_ABSENT = object()  # marks an attribute the module did not have before the call


def _owner(module, name):
    """The sub-module that holds ``name`` ("0.weight" → model[0]) and the attribute's own name."""
    *path, attr = name.split(".")
    for part in path:
        child = module._modules.get(part)
        if child is None:
            raise AttributeError(f"{type(module).__name__} has no attribute `{part}`")
        module = child
    return module, attr


def _merge(parameter_and_buffer_dicts):
    if isinstance(parameter_and_buffer_dicts, dict):
        return dict(parameter_and_buffer_dicts)
    if not isinstance(parameter_and_buffer_dicts, (list, tuple)) or not all(
            isinstance(d, dict) for d in parameter_and_buffer_dicts):
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
                         f"{type(parameter_and_buffer_dicts)}")
    merged, repeated = {}, []
    for d in parameter_and_buffer_dicts:
        repeated += [k for k in d if k in merged]
        merged.update(d)
    if repeated:
        raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous")
    return merged


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the tensors of ``parameter_and_buffer_dicts`` (one dict, or several
    with distinct keys) standing in for the parameters and buffers of those names. Names not given keep
    the module's tensors; with ``tie_weights``, a tensor the module uses under two names (a shared layer)
    is replaced under both. ``strict=True`` requires every name and no other."""
    given = _merge(parameter_and_buffer_dicts)
    own = dict(module.named_parameters(remove_duplicate=False))
    own.update(module.named_buffers(remove_duplicate=False))
    if strict:
        missing = [k for k in own if k not in given]
        unexpected = [k for k in given if k not in own]
        errors = ([f"Unexpected key(s): {', '.join(repr(k) for k in unexpected)}."] if unexpected else []) + (
            [f"Missing key(s): {', '.join(repr(k) for k in missing)}."] if missing else [])
        if errors:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(errors))
    if tie_weights:  # every name of a tensor that is replaced under one of its names
        by_tensor = {id(own[k]): v for k, v in given.items() if k in own}
        given.update({k: by_tensor[id(t)] for k, t in own.items() if k not in given and id(t) in by_tensor})
    saved = []
    try:
        for name, value in given.items():
            owner, attr = _owner(module, name)
            table = owner._parameters if attr in owner._parameters else owner._buffers if attr in owner._buffers \
                else None
            if table is None:  # not one of the module's tensors: set for the call, as PyTorch does
                saved.append((owner.__dict__, attr, owner.__dict__.get(attr, _ABSENT)))
                owner.__dict__[attr] = value
            else:
                saved.append((table, attr, table[attr]))
                table[attr] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for table, attr, value in reversed(saved):
            if value is _ABSENT:
                del table[attr]
            else:
                table[attr] = value

