"""``nn.Module`` and the layers built on it: ``Linear``, ``Sequential``, activations, losses.

A Module is a function with weights. What makes it more than a class with a ``forward`` method is
bookkeeping: every ``Parameter`` and every sub-``Module`` you assign as an attribute is recorded in
one of two ordered dicts,

* ``self._parameters``: name → Parameter (``self.weight = Parameter(...)``),
* ``self._modules``: name → Module (``self.fc1 = Linear(2, 8)``),

so that ``model.parameters()`` can walk the tree and hand every weight to an optimizer, and
``model.state_dict()`` can name each one ``"fc1.weight"``. ``__setattr__`` does the recording and
``__getattr__`` the lookup; both are written out below. PyTorch: ``torch.nn.Module``.
"""
import collections

from .. import devices, grad_mode
from ..creation import empty
from ..dtypes import check_supported
from ..dtypes import dtype as _dtype
from ..tensor import Tensor
from . import functional as F
from . import init
from .parameter import Parameter, clear_grads


def _typename(value):
    """How PyTorch names a value's type in messages: ``torch.FloatTensor``, ``int``, ``list``."""
    if isinstance(value, Tensor):
        return "torch." + value.dtype.legacy_name
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _addindent(text, spaces):
    """Indent every line but the first (blank lines stay empty), for nested module reprs."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first, rest = lines[0], lines[1:]
    return "\n".join([first] + [(" " * spaces + line) if line.strip() else "" for line in rest])


class _IncompatibleKeys(collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns; prints ``<All keys matched successfully>`` when all did."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _from_checkpoint(value):
    """A state_dict value as one of our tensors: ours as is, a PyTorch tensor through numpy, else None."""
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch.Tensor (torch is not imported here)
        return Tensor(value.detach().cpu().numpy())
    return None


class Module:
    """Base class of every layer and model: subclass it, assign layers and weights, write ``forward``.

    ``model(x)`` calls ``model.forward(x)``.
    """

    def __init__(self):
        # object.__setattr__: these three are plain attributes, not things to register
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", collections.OrderedDict())
        object.__setattr__(self, "_modules", collections.OrderedDict())

    def forward(self, *input):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ registering attributes
    def __setattr__(self, name, value):
        """``self.w = Parameter(...)`` and ``self.layer = Module()`` register; anything else is stored."""
        params = self.__dict__.get("_parameters")
        modules = self.__dict__.get("_modules")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name)
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            modules[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        """Drop ``name`` from wherever it was, before it is registered anew."""
        self.__dict__.pop(name, None)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)

    def __getattr__(self, name):
        # Python calls this only when normal lookup fails: registered things live in the two dicts.
        parameters = self.__dict__.get("_parameters", {})
        if name in parameters:
            return parameters[name]
        modules = self.__dict__.get("_modules", {})
        if name in modules:
            return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._modules))

    def register_parameter(self, name, param):
        """Record ``param`` (a Parameter, or None for "this layer has no such weight") under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._parameters[name] = param

    def add_module(self, name, module):
        """Record a sub-module under ``name`` (what ``self.name = module`` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    # ------------------------------------------------------------------ walking the tree
    def named_modules(self, memo=None, prefix=""):
        """This module and all below it, depth first, as ``("fc1", module)`` pairs (``""`` for this one).

        A module reachable twice (shared layers) is listed once.
        """
        memo = set() if memo is None else memo
        if self in memo:
            return
        memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """The direct sub-modules, in the order they were assigned."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_parameters(self, prefix="", recurse=True):
        """``("fc1.weight", Parameter)`` pairs: each module's own parameters, modules in depth-first order.

        A parameter shared by two layers is listed once (the optimizer must not update it twice).
        """
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, param in module._parameters.items():
                if param is None or param in seen:
                    continue
                seen.add(param)
                yield module_prefix + ("." if module_prefix else "") + name, param

    def parameters(self, recurse=True):
        """Every learnable tensor of the model: what you hand to an optimizer."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    # ------------------------------------------------------------------ training helpers
    def zero_grad(self, set_to_none=True):
        """Forget the gradients of all parameters: ``.grad = None`` (default) or fill them with zeros."""
        clear_grads(self.parameters(), set_to_none)

    def train(self, mode=True):
        """Set ``training`` on this module and all below it (layers like dropout read it); returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self):
        """``train(False)``: evaluation mode. It does not turn off gradient tracking (``no_grad`` does)."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Freeze (False) or unfreeze (True) every parameter; returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # ------------------------------------------------------------------ dtype conversion
    def _apply(self, fn):
        """Replace every parameter's values (and gradient) by ``fn`` of them, keeping the same Parameter
        objects, so an optimizer made earlier still holds the right tensors (PyTorch does the same)."""
        for module in self.children():
            module._apply(fn)
        for param in self._parameters.values():
            if param is None:
                continue
            with grad_mode.no_grad():
                param.data = fn(param)
                if param.grad is not None:
                    param.grad = fn(param.grad)
        return self

    def to(self, *args, **kwargs):
        """``model.to(torch.float64)`` converts floating point parameters and buffers; ``model.to("cpu")``
        (or a ``device``, or both, or a tensor whose dtype to take) keeps them on the CPU, and any other
        device raises PyTorch's error, as PyTorch's CPU build does."""
        dtype, device = kwargs.get("dtype"), kwargs.get("device")
        for arg in args:
            if isinstance(arg, _dtype):
                dtype = arg
            elif isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, (str, devices.device)):
                device = arg
        if device is not None:
            devices.check(device, "tensor")
        if dtype is None:
            return self
        if not dtype.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired "
                            f"dtype={dtype}")
        check_supported(dtype)
        return self._apply(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def cpu(self):
        """Everything already lives on the CPU: returns self."""
        return self

    def cuda(self, device=None):
        """Raises PyTorch's ``Torch not compiled with CUDA enabled``: there is no GPU."""
        devices.check("cuda", "tensor")

    def double(self):
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def float(self):
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    # ------------------------------------------------------------------ saving and loading weights
    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """An OrderedDict ``name → tensor`` of all parameters: this module's own, then each child's
        under ``"child."`` (a layer used twice appears under both names, unlike ``named_parameters``).

        As in PyTorch, the tensors are detached but *share memory* with the parameters: training on
        changes them too. Keep a snapshot with ``copy.deepcopy(model.state_dict())``.
        """
        destination = collections.OrderedDict() if destination is None else destination
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination, prefix + name + ".", keep_vars)
        return destination

    def load_state_dict(self, state_dict, strict=True):
        """Copy the tensors of ``state_dict`` into the parameters of the same names (in place).

        Values may be our tensors or PyTorch tensors (copied through numpy), so weights can come from a
        ``torch.nn`` model with the same architecture. Each value is converted to the parameter's dtype.
        """
        own = self.state_dict(keep_vars=True)  # name → the Parameter itself
        missing_keys = [name for name in own if name not in state_dict]
        unexpected_keys = [name for name in state_dict if name not in own]
        error_msgs = []
        for name, param in own.items():
            if name not in state_dict:
                continue
            value = _from_checkpoint(state_dict[name])
            if value is None:
                error_msgs.append(f'While copying the parameter named "{name}", expected torch.Tensor or '
                                  f"Tensor-like object from checkpoint but received {type(state_dict[name])}")
                continue
            if value.shape != param.shape:
                error_msgs.append(f"size mismatch for {name}: copying a param with shape {value.shape} from "
                                  f"checkpoint, the shape in current model is {param.shape}.")
                continue
            with grad_mode.no_grad():
                param.copy_(value)
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # ------------------------------------------------------------------ printing
    def extra_repr(self):
        """The text inside the parentheses, e.g. ``in_features=2, out_features=8, bias=True``."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        """``Name(extra)`` for a leaf layer; otherwise one ``(name): child`` line per sub-module."""
        extra_lines = self.extra_repr().split("\n") if self.extra_repr() else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


# ====================================================================== layers
class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features) and b of shape (out_features,).

    Both start as U(-1/√in_features, 1/√in_features), PyTorch's default (``reset_parameters``).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        # kaiming_uniform_ with a = √5 gives bound √(6 / ((1 + 5) · fan_in)) = 1/√fan_in
        init.kaiming_uniform_(self.weight, a=5**0.5)
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / fan_in**0.5 if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Sequential(Module):
    """Modules applied one after another: ``Sequential(a, b, c)(x) == c(b(a(x)))``.

    They are registered under the names ``"0"``, ``"1"``, ... (or the keys of an OrderedDict), which
    is where names like ``"0.weight"`` come from.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(collections.OrderedDict(list(self._modules.items())[index]))
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return list(self._modules.values())[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


class ReLU(Module):
    """relu(x) = max(x, 0). (``inplace=True`` is accepted; the result is computed out of place.)"""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Tanh(Module):
    """tanh(x) = (eˣ - e⁻ˣ) / (eˣ + e⁻ˣ)"""

    def forward(self, input):
        return F.tanh(input)


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e⁻ˣ)"""

    def forward(self, input):
        return F.sigmoid(input)


# ====================================================================== losses
class MSELoss(Module):
    """L = mean over elements of (input - target)² (``reduction="sum"``: the sum; ``"none"``: each one)."""

    def __init__(self, *, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(Module):
    """L = mean over samples n of -log softmax(input[n])[target[n]]: log_softmax, then NLL.

    ``input`` holds raw scores (logits) of shape (N, C); ``target`` the class indices, shape (N,).
    """

    def __init__(self, weight=None, *, ignore_index=-100, reduction="mean"):
        super().__init__()
        self.weight = weight
        self.ignore_index = ignore_index
        self.reduction = reduction

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction)
