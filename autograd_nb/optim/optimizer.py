"""``Optimizer``: what every optimizer shares — parameter groups, per-parameter state, ``zero_grad``.

An optimizer holds the parameters to update in *parameter groups*: a list of dicts, each with a
``"params"`` list and its own settings (``"lr"``, ``"momentum"``, ...). Settings a group leaves out come
from the optimizer's ``defaults``. ``optimizer.state[p]`` is a dict for whatever the update rule keeps
from step to step for parameter ``p`` (a momentum buffer, Adam's moving averages).

The training loop is always the same three calls::

    optimizer.zero_grad()   # forget the previous step's gradients (backward *adds* into .grad)
    loss.backward()         # fill p.grad for every parameter
    optimizer.step()        # update every p in place, under no_grad

PyTorch: ``torch.optim.Optimizer``.
"""
import collections
import warnings

from .. import grad_mode
from ..nn.parameter import clear_grads
from ..tensor import Tensor


def _typename(value):
    """How PyTorch names a value's type in messages: ``torch.FloatTensor``, ``float``, ``list``."""
    if isinstance(value, Tensor):
        return "torch." + value.dtype.legacy_name
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


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
