"""Devices: where a tensor's numbers live. Here that is always the CPU (numpy's memory).

PyTorch code names devices everywhere (``torch.zeros(3, device="cpu")``, ``model.to(device)``, the
``device = "cuda" if torch.cuda.is_available() else "cpu"`` line of every tutorial), so ``device`` is
the same small value type as PyTorch's: a type (``"cpu"``, ``"cuda"``, ...) and an optional index. Any
device PyTorch can *name* can be named here; asking for memory on one that is not the CPU fails with
the error PyTorch's CPU-only build gives (``"Torch not compiled with CUDA enabled"`` for CUDA).

PyTorch: ``torch.device``, ``torch.set_default_device``, ``torch.get_default_device``.
"""
from . import dtypes

# The device types PyTorch's parser knows, in the order its message lists them.
_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
          "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")

# Accelerators PyTorch's CPU build knows by name and refuses with an AssertionError.
_NOT_COMPILED = {"cuda": "CUDA", "xpu": "XPU"}

# The rest that a CPU build refuses in its own words: each type's dispatch key, as its messages spell it.
_BACKEND_KEYS = {"mps": "MPS", "hip": "HIP", "ipu": "IPU", "xla": "XLA", "ve": "VE", "vulkan": "Vulkan",
                 "fpga": "FPGA", "maia": "MAIA"}

_NO_KERNEL = ("Could not run '{op}' with arguments from the '{key}' backend. This could be because the operator "
              "doesn't exist for this backend, or was omitted during the selective/custom build process (if "
              "using custom build). If you are a Facebook employee using PyTorch on mobile, please visit "
              "https://fburl.com/ptmfixes for possible resolutions.")


def _parse(text):
    """``"cuda:1"`` → ``("cuda", 1)``, with the errors of PyTorch's device-string parser."""
    if text == "":
        raise RuntimeError("Device string must not be empty")
    kind, colon, index = text.partition(":")
    if kind not in _TYPES:
        raise RuntimeError(f"Expected one of {', '.join(_TYPES)} device type at start of device string: {text}")
    if not colon:
        return kind, None
    # PyTorch takes only plain digits with no leading zero ("cpu:0", "cuda:12")
    if not index.isdigit() or not index.isascii() or (len(index) > 1 and index[0] == "0"):
        raise RuntimeError(f"Invalid device string: '{text}'")
    return kind, int(index)


def _invalid_combination(value):
    name = type(value).__name__
    shown = f"list of [{', '.join(type(v).__name__ for v in value)}]" if isinstance(value, list) else name
    return TypeError(f"device() received an invalid combination of arguments - got ({name}), but expected one of:\n"
                     f" * (torch.device device)\n"
                     f"      didn't match because some of the arguments have invalid types: (!{shown}!)\n"
                     f" * (str type, int index = -1)\n")


class device:
    """A device: ``device("cpu")``, ``device("cuda:1")``, ``device("cpu", 0)``; ``.type`` and ``.index``.

    ``index`` is None when none was given: ``device("cpu") != device("cpu", 0)``, as in PyTorch. Used
    as a context manager (``with device("cpu"):``) it is the default device inside the block.
    """

    __slots__ = ("_type", "_index", "_previous")

    def __init__(self, type=None, index=None):  # noqa: A002  (PyTorch's argument names)
        if isinstance(type, device) and index is None:
            self._type, self._index = type._type, type._index
            return
        if isinstance(type, int) and not isinstance(type, bool) and index is None:
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            raise _invalid_combination(type)
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not {_typename(index)}")
        kind, parsed = _parse(type)
        if index is not None:
            if parsed is not None:
                raise RuntimeError("type (string) must not include an index because index was passed "
                                   f"explicitly: {type}")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
            parsed = index
        self._type, self._index = kind, parsed

    @property
    def type(self):
        """``"cpu"``, ``"cuda"``, ..."""
        return self._type

    @property
    def index(self):
        """The device's number, or None when none was given."""
        return self._index

    def __repr__(self):
        if self._index is None:
            return f"device(type='{self._type}')"
        return f"device(type='{self._type}', index={self._index})"

    def __str__(self):
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __eq__(self, other):
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self):
        return hash((self._type, self._index))

    def __reduce__(self):
        return (device, (self._type, self._index))

    def __enter__(self):
        global _default
        self._previous, _default = _default, self
        return self

    def __exit__(self, *exc):
        global _default
        _default = self._previous
        return False


def _typename(value):
    return type(value).__name__


_CPU = device("cpu")
_default = _CPU  # what creation functions use when given no device (set_default_device changes it)


def set_default_device(device_):
    """Make ``device_`` the device of tensors made without ``device=`` (None: back to the CPU).

    As in PyTorch's CPU build, any device it can name is accepted here; a tensor made on one other than
    the CPU then raises that device's error. PyTorch: ``torch.set_default_device``.
    """
    global _default
    _default = _CPU if device_ is None else device(device_)


def get_default_device():
    """The device tensors are made on when no ``device=`` is given. PyTorch: ``torch.get_default_device``."""
    return _default


def check(device_, kind="factory", fn="zeros"):
    """The CPU device ``device_`` names (None: the default device), or PyTorch's error for any other.

    ``kind`` says how PyTorch would have failed to allocate: ``"factory"`` (zeros, randn, ...),
    ``"like"`` (zeros_like, ...; their memory comes from ``empty_strided``), or ``"tensor"`` (tensor,
    as_tensor, .to(), which copy data over to the device). ``fn`` names the function in type errors.
    """
    if device_ is None:
        found = _default
    elif isinstance(device_, device):
        found = device_
    elif isinstance(device_, (str, int)) and not isinstance(device_, bool):
        found = device(device_)
    else:
        raise TypeError(f"{fn}(): argument 'device' must be torch.device, not {_typename(device_)}")
    kind_of = found._type
    if kind_of == "cpu":
        return found
    if kind_of in _NOT_COMPILED:
        raise AssertionError(f"Torch not compiled with {_NOT_COMPILED[kind_of]} enabled")
    key = _BACKEND_KEYS.get(kind_of)
    if key is None:  # meta, lazy, hpu, ...: PyTorch either supports them or fails in its internals
        raise NotImplementedError(f"autograd_nb keeps every tensor in numpy on the CPU: device type "
                                  f"'{kind_of}' is not supported")
    if kind == "tensor" and found._index is None:
        raise RuntimeError(f"PyTorch is not linked with support for {kind_of} devices")
    op = "aten::empty.memory_format" if kind == "factory" else "aten::empty_strided"
    raise NotImplementedError(_NO_KERNEL.format(op=op, key=key))


# The overloads of ``Tensor.to`` and ``Module.to``, as PyTorch lists them when none matches.
_TO_SIGNATURES = (
    "(torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)",
    "(torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)",
    "(Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)",
)


def parse_to(args, kwargs):
    """``(device, dtype, copy)`` from the arguments of ``x.to(...)``: a device, a dtype, both, or a tensor whose
    dtype (and device) to take; then ``non_blocking`` and ``copy``. Another device than the CPU raises
    PyTorch's error; arguments that fit none of the three overloads its TypeError."""
    from .tensor import Tensor  # (the Tensor's own module imports this one)

    first = args[0] if args else None
    if _is_dtype(first):
        names = ("dtype", "non_blocking", "copy")
    elif isinstance(first, Tensor):
        names = ("tensor", "non_blocking", "copy")
    else:
        names = ("device", "dtype", "non_blocking", "copy")
    kinds = {"device": lambda v: v is None or isinstance(v, (str, device)) or type(v) is int, "dtype": _is_dtype,
             "tensor": lambda v: isinstance(v, Tensor), "non_blocking": lambda v: isinstance(v, bool),
             "copy": lambda v: isinstance(v, bool), "memory_format": lambda v: True}
    by_keyword = set(names[len(args):]) | {"memory_format"}  # what has not been given by position
    given = {**dict(zip(names, args)), **kwargs}
    if len(args) > len(names) or not set(kwargs) <= by_keyword or not all(kinds[k](v) for k, v in given.items()):
        raise _to_no_overload(args, kwargs)
    if "tensor" in given:
        return _CPU, given["tensor"].dtype, given.get("copy", False)
    found = given.get("device")
    return (None if found is None else check(found, "tensor")), _dtype_of(given.get("dtype")), given.get("copy", False)


def _is_dtype(value):
    return isinstance(value, dtypes.dtype) or any(value is t for t in (float, int, bool))


def _dtype_of(value):
    """A dtype, or a Python type standing for one (``float`` is float64, as in PyTorch)."""
    return {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}.get(value, value)


def _to_no_overload(args, kwargs):
    from .tensor import Tensor

    def name(v):
        if _is_dtype(v):
            return "torch.dtype"
        return "Tensor" if isinstance(v, Tensor) else "torch.device" if isinstance(v, device) else _typename(v)

    got = ", ".join([name(a) for a in args] + [f"{k}={name(v)}" for k, v in kwargs.items()])
    if not args and kwargs:
        got += ", "  # (PyTorch's way of listing keyword arguments alone)
    return TypeError(f"to() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     + "".join(f" * {s}\n" for s in _TO_SIGNATURES))
