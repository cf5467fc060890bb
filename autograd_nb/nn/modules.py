"""``nn.Module`` and the layers built on it: ``Linear``, ``Sequential``, activations, losses.

A Module is a function with weights. What makes it more than a class with a ``forward`` method is
bookkeeping: every ``Parameter`` and every sub-``Module`` you assign as an attribute is recorded in
one of three ordered dicts,

* ``self._parameters``: name → Parameter (``self.weight = Parameter(...)``),
* ``self._buffers``: name → Tensor, state that is saved but not trained (``register_buffer``, e.g.
  BatchNorm's running mean),
* ``self._modules``: name → Module (``self.fc1 = Linear(2, 8)``),

so that ``model.parameters()`` can walk the tree and hand every weight to an optimizer, and
``model.state_dict()`` can name each one ``"fc1.weight"``. ``__setattr__`` does the recording and
``__getattr__`` the lookup; both are written out below. Calling a module runs its hooks around
``forward`` (``register_forward_hook`` and friends). PyTorch: ``torch.nn.Module``.
"""
import collections
import warnings

from .. import devices, grad_mode
from ..creation import empty
from ..dtypes import check_supported
from ..dtypes import dtype as _dtype
from ..hooks import add_hook
from ..tensor import Tensor
from . import functional as F
from . import init
from .backward_hooks import BackwardHook
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


_TABLES = ("_parameters", "_buffers", "_modules", "_forward_pre_hooks", "_forward_hooks", "_backward_pre_hooks",
           "_backward_hooks")


def _add_hook(table, hook, prepend=False):
    """``add_hook``, optionally putting the hook before those already there (PyTorch's ``prepend=True``)."""
    handle = add_hook(table, hook)
    if prepend:
        table.move_to_end(handle.id, last=False)
    return handle


class Module:
    """Base class of every layer and model: subclass it, assign layers and weights, write ``forward``.

    ``model(x)`` calls ``model.forward(x)``, with the module's hooks around it.
    """

    def __init__(self):
        # object.__setattr__: these are plain attributes, not things to register
        object.__setattr__(self, "training", True)
        for name in _TABLES:
            object.__setattr__(self, name, collections.OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_hooks_with_kwargs", set())  # ids of forward (pre-)hooks that take kwargs
        object.__setattr__(self, "_hooks_always_called", set())  # ids of forward hooks run even if forward fails

    def forward(self, *input):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or self._backward_pre_hooks:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args, kwargs):
        """forward with the hooks around it, in PyTorch's order: forward pre-hooks (they may replace the
        arguments), the backward hooks' identity nodes on the tensor arguments, forward, forward hooks (they
        may replace the result), the backward hooks' identity nodes on the result."""
        result, ran = None, set()
        try:
            for hook_id, hook in tuple(self._forward_pre_hooks.items()):
                if hook_id in self._hooks_with_kwargs:
                    out = hook(self, args, kwargs)
                    if out is not None:
                        if not (isinstance(out, tuple) and len(out) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                                               f"new_kwargs), but got {out}.")
                        args, kwargs = out
                else:
                    out = hook(self, args)
                    if out is not None:
                        args = out if isinstance(out, tuple) else (out,)
            backward_hook = None
            if self._backward_hooks or self._backward_pre_hooks:
                backward_hook = BackwardHook(self, list(self._backward_hooks.values()),
                                             list(self._backward_pre_hooks.values()))
                args = backward_hook.setup_input_hook(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in tuple(self._forward_hooks.items()):
                ran.add(hook_id)
                if hook_id in self._hooks_with_kwargs:
                    out = hook(self, args, kwargs, result)
                else:
                    out = hook(self, args, result)
                if out is not None:
                    result = out
            if backward_hook is not None:
                if not isinstance(result, (Tensor, tuple)):
                    warnings.warn("For backward hooks to be called, module output should be a Tensor or a tuple of "
                                  f"Tensors but received {type(result)}", stacklevel=3)
                result = backward_hook.setup_output_hook(result)
            return result
        except Exception:
            for hook_id, hook in tuple(self._forward_hooks.items()):  # always_call=True hooks that did not run
                if hook_id in self._hooks_always_called and hook_id not in ran:
                    try:
                        hook(self, args, result)
                    except Exception as e:
                        warnings.warn("module forward hook with ``always_call=True`` raised an exception that was "
                                      f"silenced as another error was raised in forward: {str(e)}", stacklevel=3)
            raise

    # ------------------------------------------------------------------ hooks
    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(module, args)`` runs before each forward and may return new args (a tuple, or one value).
        With ``with_kwargs=True``: ``hook(module, args, kwargs)`` returning None or ``(args, kwargs)``."""
        handle = _add_hook(self._forward_pre_hooks, hook, prepend)
        if with_kwargs:
            self._hooks_with_kwargs.add(handle.id)
        return handle

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook(module, args, output)`` runs after each forward and may return a new output (PyTorch's
        feature-extraction idiom: keep ``output`` in a dict). ``with_kwargs=True`` adds the kwargs before
        ``output``; ``always_call=True`` runs it even when forward raised."""
        handle = _add_hook(self._forward_hooks, hook, prepend)
        if with_kwargs:
            self._hooks_with_kwargs.add(handle.id)
        if always_call:
            self._hooks_always_called.add(handle.id)
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """``hook(module, grad_output)`` runs when the gradients of the module's outputs are ready; it may
        return new ones."""
        return _add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """``hook(module, grad_input, grad_output)`` runs once the gradients with respect to the module's
        inputs are computed; it may return new ``grad_input``. Built, as in PyTorch, from an identity
        node (``BackwardHookFunctionBackward``) on the inputs and one on the outputs (``backward_hooks.py``)."""
        return _add_hook(self._backward_hooks, hook, prepend)

    # ------------------------------------------------------------------ registering attributes
    def __setattr__(self, name, value):
        """``self.w = Parameter(...)`` and ``self.layer = Module()`` register; anything else is stored."""
        params = self.__dict__.get("_parameters")
        buffers = self.__dict__.get("_buffers")
        modules = self.__dict__.get("_modules")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, params)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, modules)
            modules[name] = value
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            modules[name] = value
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name, keep):
        """Drop ``name`` from wherever it was, before it is registered anew in the table ``keep`` (where it
        stays in its place, as in PyTorch: ``model[0] = Linear(...)`` replaces the first layer)."""
        self.__dict__.pop(name, None)
        for table in (self._parameters, self._buffers, self._modules):
            if table is not keep:
                table.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name):
        # Python calls this only when normal lookup fails: registered things live in the three dicts.
        parameters = self.__dict__.get("_parameters", {})
        if name in parameters:
            return parameters[name]
        buffers = self.__dict__.get("_buffers", {})
        if name in buffers:
            return buffers[name]
        modules = self.__dict__.get("_modules", {})
        if name in modules:
            return modules[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def _check_new_name(self, kind, table, name):
        """PyTorch's checks of a name about to be registered as a ``kind`` ("parameter", "buffer")."""
        if table not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in self.__dict__[table]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Record ``param`` (a Parameter, or None for "this layer has no such weight") under ``name``."""
        self._check_new_name("parameter", "_parameters", name)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Record ``tensor`` as state that is not trained: it is in ``buffers()`` and (when ``persistent``)
        in ``state_dict()``, and ``to()`` converts it, but no optimizer sees it."""
        self._check_new_name("buffer", "_buffers", name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

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
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """This module and all below it, depth first, as ``("fc1", module)`` pairs (``""`` for this one).

        A module reachable twice (shared layers) is listed once, unless ``remove_duplicate=False``.
        """
        memo = set() if memo is None else memo
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

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

    def _named_members(self, table, prefix, recurse, remove_duplicate):
        """``("fc1.weight", tensor)`` pairs from one kind of table of each module, modules depth first."""
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in getattr(module, table).items():
                if value is None or value in seen:
                    continue
                if remove_duplicate:
                    seen.add(value)
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """``("fc1.weight", Parameter)`` pairs: each module's own parameters, modules in depth-first order.

        A parameter shared by two layers is listed once (the optimizer must not update it twice).
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every learnable tensor of the model: what you hand to an optimizer."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """``("bn.running_mean", tensor)`` pairs, as ``named_parameters`` lists parameters."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Every buffer of the model (running statistics and other state that is not trained)."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def apply(self, fn):
        """Call ``fn(module)`` on every sub-module, children first, then on this one; returns self
        (PyTorch's idiom for initialising weights: ``model.apply(init_weights)``)."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

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
        for name, buf in self._buffers.items():
            if buf is not None:
                self._buffers[name] = fn(buf)
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
        """An OrderedDict ``name → tensor`` of all parameters and persistent buffers: this module's own, then
        each child's under ``"child."`` (a layer used twice appears under both names, unlike
        ``named_parameters``).

        As in PyTorch, the tensors are detached but *share memory* with the parameters: training on
        changes them too. Keep a snapshot with ``copy.deepcopy(model.state_dict())``.
        """
        destination = collections.OrderedDict() if destination is None else destination
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination, prefix + name + ".", keep_vars)
        return destination

    def load_state_dict(self, state_dict, strict=True):
        """Copy the tensors of ``state_dict`` into the parameters and buffers of the same names (in place).

        Values may be our tensors or PyTorch tensors (copied through numpy), so weights can come from a
        ``torch.nn`` model with the same architecture. Each value is converted to the parameter's dtype.
        """
        own = self.state_dict(keep_vars=True)  # name → the Parameter or buffer itself
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
        return self._modules[self._name_at(index)]

    def __setitem__(self, index, module):
        """``model[2] = nn.Linear(...)``: replace a layer, keeping its name and place."""
        name = self._name_at(index)
        setattr(self, name, module)

    def __delitem__(self, index):
        """``del model[0]``: the layers after it are renumbered, as in PyTorch."""
        del self._modules[self._name_at(index)]
        self._modules = collections.OrderedDict((str(i), m) for i, m in enumerate(self._modules.values()))

    def _name_at(self, index):
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return list(self._modules)[index]

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
    """relu(x) = max(x, 0); with ``inplace=True`` it overwrites its input (``x.relu_()``)."""

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


class _InPlaceFlag(Module):
    """An activation with PyTorch's ``inplace`` flag: with it, the result overwrites the input."""

    def _inplace_repr(self, text=""):
        if not self.inplace:
            return text
        return f"{text}, inplace=True" if text else "inplace=True"


class LeakyReLU(_InPlaceFlag):
    """x for x > 0, else negative_slope·x."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return self._inplace_repr(f"negative_slope={self.negative_slope}")


class ELU(_InPlaceFlag):
    """x for x > 0, else α(eˣ - 1)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return self._inplace_repr(f"alpha={self.alpha}")


class SiLU(_InPlaceFlag):
    """x·σ(x)"""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input, self.inplace)

    def extra_repr(self):
        return self._inplace_repr()


class Softplus(Module):
    """ln(1 + e^(βx))/β; x itself where βx > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """x·Φ(x), Φ the standard normal cdf (``approximate="tanh"``: its tanh approximation)."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


# ====================================================================== losses
class _Loss(Module):
    """What every loss module keeps: ``reduction`` ("mean", "sum" or "none"; the old ``size_average`` and
    ``reduce`` flags still set it, with PyTorch's warning)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = F._legacy_reduction(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    """A loss with per-class weights, kept as a buffer (so they move with ``to()`` and are saved)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """L = mean over elements of (input - target)² (``reduction="sum"``: the sum; ``"none"``: each one)."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """L = mean over samples n of -log softmax(input[n])[target[n]]: log_softmax, then NLL.

    ``input`` holds raw scores (logits) of shape (N, C); ``target`` the class indices, shape (N,).
    With ``weight``, sample n counts weight[target[n]] times. (``label_smoothing`` is not supported.)
    """

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                 label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        if label_smoothing != 0.0:
            raise NotImplementedError("autograd_nb's CrossEntropyLoss does not support label_smoothing")
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction)
