"""``Optimizer``: what every optimizer shares — parameter groups, per-parameter state, ``zero_grad``.

An optimizer holds the parameters to update in *parameter groups*: a list of dicts, each with a
``"params"`` list and its own settings (``"lr"``, ``"momentum"``, ...). Settings a group leaves out come
from the optimizer's ``defaults``. ``optimizer.state[p]`` is a dict for whatever the update rule keeps
from step to step for parameter ``p`` (a momentum buffer, Adam's moving averages).

The training loop is always the same three calls::

    optimizer.zero_grad()   # forget the previous step's gradients (backward *adds* into .grad)
    loss.backward()         # fill p.grad for every parameter
    optimizer.step()        # update every p in place, under no_grad

``state_dict()`` saves the settings and the state with the parameters replaced by their positions
(0, 1, ... across the groups); ``load_state_dict`` puts them back onto this optimizer's parameters, so
a checkpoint (ours or PyTorch's) resumes training exactly.

PyTorch: ``torch.optim.Optimizer``.
"""
import collections
import copy
import warnings

import numpy as np

from .. import grad_mode
from ..nn.parameter import clear_grads
from ..tensor import Tensor


def _typename(value):
    """How PyTorch names a value's type in messages: ``torch.FloatTensor``, ``float``, ``list``."""
    if isinstance(value, Tensor):
        return "torch." + value.dtype.legacy_name
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def check_settings(**settings):
    """PyTorch's ValueError for the first setting below zero: ``Invalid learning rate: -0.1``,
    ``Invalid epsilon value: ...``, ``Invalid momentum value: ...``."""
    labels = {"lr": "learning rate", "eps": "epsilon value"}
    for name, value in settings.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {labels.get(name, name + ' value')}: {value}")


def _state_value(param, key, value):
    """One saved state value as this optimizer keeps it: a tensor of ours (a PyTorch tensor's values are
    copied), in the parameter's floating dtype unless it is the step count."""
    if isinstance(value, dict):
        return {k: _state_value(param, k, v) for k, v in value.items()}
    if not isinstance(value, Tensor):
        if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch.Tensor (torch is not imported here)
            value = Tensor(np.array(value.detach().cpu().numpy()))
        else:
            return value
    if key != "step" and param.is_floating_point():
        return value.to(param.dtype)
    return value


class Optimizer:
    """Base class: subclasses pass their ``defaults`` and write ``step``."""

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state = collections.defaultdict(dict)
        self.param_groups = []

        param_groups = list(params)  # a generator such as model.parameters() can be read only once
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def add_param_group(self, param_group):
        """Add a dict ``{"params": [...], setting: value, ...}``; missing settings come from ``defaults``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        params = list(params)

        # model.named_parameters() gives (name, tensor) pairs: keep the names beside the tensors
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. "
                                 "Some param names are missing")
            param_group["param_names"] = names

        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            param_group.setdefault(name, default)

        if len(params) != len(set(params)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this "
                          "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                          "information", stacklevel=3)
        for group in self.param_groups:
            if not set(group["params"]).isdisjoint(params):
                raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Forget the gradients: ``p.grad = None`` (the default), or fill them with zeros.

        With None, a parameter that gets no gradient in the next backward is skipped by ``step``;
        with zeros it is still updated (weight decay, momentum and Adam's averages keep moving it).
        """
        clear_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """Update every parameter that has a gradient. Subclasses write the update rule."""
        raise NotImplementedError

    # ------------------------------------------------------------------ saving and loading
    def state_dict(self):
        """``{"state": {index: {...}}, "param_groups": [{settings..., "params": [indices]}]}``: each
        parameter is named by its position across the groups. The state's tensors are the optimizer's own
        (not copies), as in PyTorch."""
        index = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Take the settings and the state of ``state_dict`` (from ``state_dict()``, ours or PyTorch's) for
        this optimizer's parameters, position by position. Floating point state is converted to its
        parameter's dtype, except the step counts."""
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        by_index = dict(zip((i for s in saved_groups for i in s["params"]), (p for g in groups for p in g["params"])))
        state = collections.defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in by_index:
                param = by_index[key]
                state[param] = {name: _state_value(param, name, v) for name, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state = state
        self.param_groups = saved_groups

    @staticmethod
    def _evaluate(closure):
        """Run ``closure`` (which recomputes the loss and calls backward) with grad mode on; its loss."""
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"
