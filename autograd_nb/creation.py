"""Making tensors: from data (``tensor``, ``as_tensor``, ``from_numpy``), filled (``zeros``, ``ones``,
``full``, ``empty``, ``eye``), ranges (``arange``, ``linspace``), random (``rand``, ``randn``, ``randint``,
``randperm``, ``normal``), and ``*_like`` versions of these.

Tensors made here are leaves: ``grad_fn`` is None. Pass ``requires_grad=True`` to make a leaf that
backward will fill ``.grad`` for.

Every function takes its arguments as PyTorch's does: a size as ``zeros(2, 3)``, ``zeros((2, 3))`` or
``zeros(size=(2, 3))``; ``dtype=`` (the default floating dtype when left out, see
``set_default_dtype``); ``device=`` (the CPU; any other device raises PyTorch's error, see
``devices.py``); ``generator=`` for the random ones. Wrong arguments raise PyTorch's messages.

Differences from PyTorch: random numbers come from numpy (same distributions, other values);
``empty`` gives zeros rather than whatever was in memory.
"""
import operator
import warnings

import numpy as np

from . import devices, dtypes
from .function import Function
from .ops.broadcast import broadcast_shapes
from .random import Generator, _rng
from .tensor import Tensor

_COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)
_NOT_FLOAT = "Only Tensors of floating point and complex dtype can require gradients"

# The overloads PyTorch lists when no signature matches (its "invalid combination of arguments" error).
_OPTIONS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
            "bool pin_memory = False, bool requires_grad = False")
_SIGNATURES = {
    "rand": [f"tuple of ints size, *, torch.Generator generator, {_OPTIONS}", f"tuple of ints size, *, {_OPTIONS}"],
    "randint": [f"int high, tuple of ints size, *, torch.Generator generator, {_OPTIONS}",
                f"int high, tuple of ints size, *, {_OPTIONS}",
                f"int low, int high, tuple of ints size, *, torch.Generator generator, {_OPTIONS}",
                f"int low, int high, tuple of ints size, *, {_OPTIONS}"],
    "normal": ["Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
               "Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None",
               "float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None",
               "float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
               f"{_OPTIONS}"],
}
_SIGNATURES["randn"] = _SIGNATURES["rand"]


def _typename(value):
    return "Tensor" if isinstance(value, Tensor) else type(value).__name__


def _no_overload(fn, args, kwargs):
    """PyTorch's TypeError when the arguments match none of ``fn``'s overloads."""
    got = [_typename(a) for a in args] + [f"{k}={_typename(v)}" for k, v in kwargs.items()]
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({', '.join(got)}), but expected "
                     "one of:\n" + "".join(f" * ({s})\n" for s in _SIGNATURES[fn]))


# --------------------------------------------------------------------------------------- checking arguments
def _as_int(value):
    """``value`` as a Python int if it is integer-like (int, numpy integer, integer tensor), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _size(fn, args, size, position=1, missing=None):
    """The shape of ``fn(2, 3)``, ``fn((2, 3))``, ``fn([2, 3])`` or ``fn(size=(2, 3))``, checked as PyTorch
    checks it; ``missing`` is the error for no size at all."""
    if args and size is not None:
        raise TypeError(f"{fn}() got multiple values for argument 'size'")
    if size is not None:  # given by keyword: a sequence only
        if not isinstance(size, (tuple, list)) or any(_as_int(n) is None for n in size):
            raise TypeError(f"{fn}(): argument 'size' must be tuple of ints, not {_typename(size)}")
        shape = tuple(_as_int(n) for n in size)
    elif not args:
        raise missing or TypeError(f'{fn}() missing 1 required positional arguments: "size"')
    elif len(args) == 1 and isinstance(args[0], (tuple, list)):
        for i, n in enumerate(args[0]):
            if _as_int(n) is None:
                raise TypeError(f"{fn}(): argument 'size' (position {position}) must be tuple of ints, but found "
                                f"element of type {_typename(n)} at pos {i}")
        shape = tuple(_as_int(n) for n in args[0])
    else:
        if isinstance(args[0], (tuple, list)):
            raise TypeError(f"{fn}() takes 1 positional argument but {len(args)} were given")
        if _as_int(args[0]) is None:
            raise TypeError(f"{fn}(): argument 'size' (position {position}) must be tuple of ints, not "
                            f"{_typename(args[0])}")
        for i, n in enumerate(args[1:], start=2):
            if _as_int(n) is None:
                raise TypeError(f"{fn}(): argument 'size' failed to unpack the object at pos {i} with error "
                                f'"type must be tuple of ints,but got {_typename(n)}"')
        shape = tuple(_as_int(n) for n in args)
    _check_shape(fn, shape)
    return shape


def _check_shape(fn, shape):
    for n in shape:
        if n < 0:
            if fn == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{', '.join(map(str, shape))}]")


_PYTHON_TYPES = {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}  # dtype=float works in PyTorch


def _dtype(fn, dtype, default=None):
    """The dtype asked for (Python's float/int/bool as PyTorch reads them), else ``default`` (else the
    default floating dtype); a dtype no tensor here can hold raises (``dtypes.check_supported``)."""
    if dtype is None:
        return default or dtypes.get_default_dtype()
    if dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    if not isinstance(dtype, dtypes.dtype):
        raise TypeError(f"{fn}(): argument 'dtype' must be torch.dtype, not {_typename(dtype)}")
    return dtypes.check_supported(dtype)


def _kernel_name(dt):
    """PyTorch's kernel-message name of a dtype: Float, Double, Long, Bool."""
    return {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}[dt.name]


def _floating_kernel(kernel, dt):
    """Sampling kernels exist for floating dtypes only; PyTorch names the one that is missing."""
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_kernel_name(dt)}\'')


def _generator(fn, generator, args, kwargs):
    if generator is not None and not isinstance(generator, Generator):
        raise _no_overload(fn, args, {**kwargs, "generator": generator})
    return _rng(generator)


def _finish(array, dtype, requires_grad):
    """A new leaf holding ``array`` converted to ``dtype`` (laid out row by row, as PyTorch's are)."""
    t = Tensor(np.array(array, dtype=dtype.numpy_dtype, order="C"))
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError(_NOT_FLOAT)
        t._requires_grad = True
    return t


# --------------------------------------------------------------------------------------- from data
def _infer_dtype(data):
    """PyTorch's dtype for nested Python data: any float → the default float dtype (float32), else any
    int → int64, else bool."""
    if isinstance(data, (np.ndarray, np.generic)):
        return dtypes.from_numpy(data.dtype)
    flat = np.asarray(data, dtype=object).ravel().tolist() if isinstance(data, (list, tuple)) else [data]
    category = 0
    for v in flat:
        if isinstance(v, Tensor):
            category = max(category, v.dtype.category)
        elif isinstance(v, (bool, np.bool_)):
            pass
        elif isinstance(v, (int, np.integer)):
            category = max(category, 1)
        elif isinstance(v, (float, np.floating)):
            category = 2
        else:
            raise TypeError(f"new(): invalid data type '{type(v).__name__}'")
    return dtypes.default_for_category(category) if flat else dtypes.get_default_dtype()


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new leaf tensor holding a copy of ``data`` (nested lists, numbers, numpy arrays or a tensor).
    PyTorch: ``torch.tensor``."""
    devices.check(device, "tensor", "tensor")
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING, UserWarning, stacklevel=2)
        data = data._data
    elif isinstance(data, (list, tuple)) and any(isinstance(v, Tensor) for v in np.asarray(data, dtype=object).ravel()):
        data = np.asarray([_to_array(v) for v in data])
    dt = _dtype("tensor", dtype, _infer_dtype(data))
    return _finish(np.array(data, dtype=dt.numpy_dtype), dt, requires_grad)


def _to_array(v):
    if isinstance(v, Tensor):
        return v._data
    if isinstance(v, (list, tuple)):
        return np.asarray([_to_array(x) for x in v])
    return v


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, without a copy when it already is one (or a numpy array) of that dtype: the
    result then shares memory with ``data``. PyTorch: ``torch.as_tensor``."""
    devices.check(device, "tensor", "as_tensor")
    dt = None if dtype is None else _dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dt is None or dt is data.dtype else data.to(dt)
    if isinstance(data, np.ndarray) and data.dtype in dtypes.BY_NUMPY and (dt is None or dt.numpy_dtype == data.dtype):
        return Tensor(data)
    return tensor(data, dtype=dt)


def from_numpy(ndarray):
    """A tensor sharing memory with a numpy array: changes to one show in the other.

    Differences from PyTorch: an array of a dtype no tensor here holds (int32, float16, ...) is converted
    to int64 or float32, so that tensor has memory of its own. PyTorch: ``torch.from_numpy``.
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "biufc":  # (complex arrays PyTorch takes: dtypes.from_numpy says we do not)
        raise TypeError(f"can't convert np.ndarray of type numpy.{ndarray.dtype.type.__name__}. The only supported "
                        "types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                        "uint64, uint32, uint16, uint8, and bool.")
    return Tensor(ndarray)


# --------------------------------------------------------------------------------------- filled
def _filled(fn, fill, args, size, dtype, device, requires_grad):
    devices.check(device, "factory", fn)
    dt = _dtype(fn, dtype)
    return _finish(np.full(_size(fn, args, size), fill, dtype=dt.numpy_dtype), dt, requires_grad)


def zeros(*size_args, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``. PyTorch: ``torch.zeros``."""
    return _filled("zeros", 0, size_args, size, dtype, device, requires_grad)


def ones(*size_args, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of ones. PyTorch: ``torch.ones``."""
    return _filled("ones", 1, size_args, size, dtype, device, requires_grad)


def empty(*size_args, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor to be filled later. PyTorch leaves its memory as it finds it; here it holds zeros, so that
    a lesson prints the same numbers every time. PyTorch: ``torch.empty``."""
    return _filled("empty", 0, size_args, size, dtype, device, requires_grad)


def _number(fn, value, position, name):
    """A fill value as a Python number (a one-element tensor counts), with PyTorch's TypeError otherwise."""
    if isinstance(value, Tensor) and value.dim() == 0:
        return value.item()
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return value
    raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Number, not {_typename(value)}")


def full(size, fill_value=None, dtype=None, device=None, requires_grad=False):
    """A tensor of ``size`` (a tuple or list) filled with ``fill_value``; its dtype is the value's (bool,
    int64 or the default float) unless ``dtype`` says otherwise. PyTorch: ``torch.full``."""
    if fill_value is None:
        raise TypeError('full() missing 1 required positional arguments: "fill_value"')
    devices.check(device, "factory", "full")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {_typename(size)}")
    shape = _size("full", (size,), None)
    fill_value = _number("full", fill_value, 2, "fill_value")
    dt = _dtype("full", dtype, dtypes.of_scalar(fill_value))
    return _finish(np.full(shape, fill_value), dt, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """The n×m identity matrix (m = n unless given). PyTorch: ``torch.eye``."""
    devices.check(device, "factory", "eye")
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, n if m is None else m), _dtype("eye", dtype), requires_grad)


# --------------------------------------------------------------------------------------- ranges
def arange(start=0, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Numbers from ``start`` up to (not including) ``end``: int64 when all arguments are integers, else
    the default float dtype. PyTorch: ``torch.arange``."""
    devices.check(device, "factory", "arange")
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if values[2] == 0:
        raise RuntimeError("step must be nonzero")
    if (values[1] - values[0]) * values[2] < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    is_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)
    dt = _dtype("arange", dtype, dtypes.int64 if is_int else None)
    n = max(int(np.ceil((values[1] - values[0]) / values[2])), 0)
    # computed as start + i*step in double precision, then converted, as PyTorch does
    return _finish(values[0] + np.arange(n, dtype=np.float64 if not is_int else np.int64) * values[2], dt,
                   requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included. PyTorch: ``torch.linspace``."""
    devices.check(device, "factory", "linspace")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(np.linspace(start, end, steps), _dtype("linspace", dtype), requires_grad)


# --------------------------------------------------------------------------------------- random
def _sampling_arguments(fn, size_args, size, generator, dtype, device, unknown):
    """The shape, numpy generator and dtype of ``rand``/``randn``. With two overloads (with and without a
    generator), PyTorch reports most mistakes as matching neither."""
    kwargs = {**({} if size is None else {"size": size}), **({} if dtype is None else {"dtype": dtype}), **unknown}
    several_sizes = len(size_args) > 1 and isinstance(size_args[0], (tuple, list))
    bad_dtype = dtype is not None and not isinstance(dtype, dtypes.dtype) and dtype not in _PYTHON_TYPES
    if unknown or several_sizes or bad_dtype or (size is not None and size_args):
        raise _no_overload(fn, size_args, kwargs)
    shape = _size(fn, size_args, size, missing=_no_overload(fn, size_args, kwargs))
    rng = _generator(fn, generator, size_args, kwargs)
    devices.check(device, "factory", fn)
    return shape, rng, _dtype(fn, dtype)


def rand(*size_args, size=None, generator=None, dtype=None, device=None, requires_grad=False, **unknown):
    """Uniform random numbers in [0, 1). PyTorch: ``torch.rand``."""
    shape, rng, dt = _sampling_arguments("rand", size_args, size, generator, dtype, device, unknown)
    _floating_kernel("check_uniform_bounds", dt)
    return _finish(rng.random(shape, dtype=dt.numpy_dtype), dt, requires_grad)


def randn(*size_args, size=None, generator=None, dtype=None, device=None, requires_grad=False, **unknown):
    """Standard normal random numbers (mean 0, variance 1). PyTorch: ``torch.randn``."""
    shape, rng, dt = _sampling_arguments("randn", size_args, size, generator, dtype, device, unknown)
    _floating_kernel("normal_kernel_cpu", dt)
    return _finish(rng.standard_normal(shape, dtype=dt.numpy_dtype), dt, requires_grad)


def randint(*args, low=None, high=None, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    """Random integers in [low, high): ``randint(high, size)``, ``randint(low, high, size)`` (or by
    keyword). int64 unless ``dtype`` says otherwise. PyTorch: ``torch.randint``."""
    kwargs = {k: v for k, v in (("low", low), ("high", high), ("size", size)) if v is not None}
    # the overload: (high, size) when two values come in all, (low, high, size) when three
    names = ("low", "high", "size") if len(args) + len(kwargs) == 3 else ("high", "size")
    values = dict(zip(names, args))
    if len(args) > len(names) or set(values) & set(kwargs):
        raise _no_overload("randint", args, kwargs)
    values.update(kwargs)
    if "high" not in values or "size" not in values or set(values) - set(names):
        raise _no_overload("randint", args, kwargs)
    for name in ("low", "high"):
        if name in values and _as_int(values[name]) is None:
            raise TypeError(f"randint(): argument '{name}' (position {names.index(name) + 1}) must be int, not "
                            f"{_typename(values[name])}")
    position = names.index("size") + 1
    if not isinstance(values["size"], (tuple, list)):
        if len(names) == 3:
            raise _no_overload("randint", args, kwargs)
        raise TypeError(f"randint(): argument 'size' (position {position}) must be tuple of ints, not "
                        f"{_typename(values['size'])}")
    shape = _size("randint", (values["size"],), None, position)
    low_, high_ = _as_int(values.get("low", 0)), _as_int(values["high"])
    rng = _generator("randint", generator, args, kwargs)
    devices.check(device, "factory", "randint")
    if low_ >= high_:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low_} >= to={high_}")
    return _finish(rng.integers(low_, high_, size=shape), _dtype("randint", dtype, dtypes.int64), requires_grad)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False):
    """0, 1, ..., n-1 in random order. PyTorch: ``torch.randperm``."""
    if _as_int(n) is None:
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not {_typename(n)}")
    _check_shape("randperm", (_as_int(n),))
    rng = _rng(generator)
    devices.check(device, "factory", "randperm")
    dt = _dtype("randperm", dtype, dtypes.int64)
    if dt is dtypes.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    return _finish(rng.permutation(_as_int(n)), dt, requires_grad)


class _Normal(Function):
    """Samples of N(mean, std²). PyTorch differentiates them as constants: the gradient with respect to
    mean and std is zero (use ``mean + std * randn(...)`` to differentiate through the sampling)."""

    @staticmethod
    def forward(ctx, mean, std, shape, dtype, rng):
        ctx.shapes = [getattr(x, "shape", None) for x in (mean, std)]
        m, s = [x._data if isinstance(x, Tensor) else x for x in (mean, std)]
        return (m + s * rng.standard_normal(shape)).astype(dtype.numpy_dtype)

    @staticmethod
    def backward(ctx, grad):
        zeros_for = [None if shape is None else Tensor(np.zeros(shape, grad._data.dtype)) for shape in ctx.shapes]
        return (*zeros_for, None, None, None)


class _NormalTensorFloat(_Normal):
    node_name = "NormalBackward1"


class _NormalFloatTensor(_Normal):
    node_name = "NormalBackward2"


class _NormalTensorTensor(_Normal):
    node_name = "NormalBackward3"


def _check_std(std):
    if isinstance(std, Tensor):
        if (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not std >= 0:  # (nan too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(*args, mean=None, std=None, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    """Samples of N(mean, std²), as PyTorch overloads it:

    * ``normal(mean_tensor, std_tensor)``: one sample per element, shapes broadcast together;
    * ``normal(mean_tensor, std=1.0)`` and ``normal(mean, std_tensor)``: one number and one tensor;
    * ``normal(mean, std, size)``: numbers only, a tensor of ``size`` (with ``dtype``, ``requires_grad``).

    PyTorch: ``torch.normal``.
    """
    kwargs = {k: v for k, v in (("mean", mean), ("std", std), ("size", size)) if v is not None}
    extra = {k: v for k, v in (("dtype", dtype), ("device", device)) if v is not None}
    if requires_grad:
        extra["requires_grad"] = requires_grad
    names = ("mean", "std", "size")
    if len(args) > 3 or any(name in kwargs for name in names[:len(args)]):
        raise _no_overload("normal", args, {**kwargs, **extra})
    values = {**dict(zip(names, args)), **kwargs}
    mean_, std_ = values.get("mean"), values.get("std")
    rng = _generator("normal", generator, args, {**kwargs, **extra})
    if isinstance(mean_, Tensor) or isinstance(std_, Tensor):
        if "size" in values or extra or mean_ is None:
            raise _no_overload("normal", args, {**kwargs, **extra})
        std_ = 1.0 if std_ is None else std_
        tensors = [x for x in (mean_, std_) if isinstance(x, Tensor)]
        shape = tensors[0].shape if len(tensors) == 1 else broadcast_shapes(mean_.shape, std_.shape)
        dt = dtypes.result_type(*tensors)
        _floating_kernel("normal_kernel_cpu", dt)
        _check_std(std_)
        op = (_NormalTensorTensor if len(tensors) == 2 else
              _NormalTensorFloat if isinstance(mean_, Tensor) else _NormalFloatTensor)
        return op.apply(mean_, std_, tuple(shape), dt, rng)
    if len(args) == 1 and not kwargs and isinstance(mean_, (int, float)):
        raise TypeError(f"normal(): argument 'mean' (position 1) must be Tensor, not {_typename(mean_)}")
    if mean_ is None or std_ is None or not isinstance(values.get("size"), (tuple, list)):
        raise _no_overload("normal", args, {**kwargs, **extra})
    shape = _size("normal", (values["size"],), None, 3)
    devices.check(device, "factory", "normal")
    dt = _dtype("normal", dtype)
    _floating_kernel("normal_kernel_cpu", dt)
    _check_std(std_)
    return _finish(mean_ + std_ * rng.standard_normal(shape), dt, requires_grad)


# --------------------------------------------------------------------------------------- *_like
def _like(fn, input, dtype, device):
    """The shape and dtype of ``fn(input, dtype=..., device=...)``: ``input``'s unless given."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {_typename(input)}")
    if device is not None:  # (None: input's device, whatever the default device is)
        devices.check(device, "like", fn)
    return input.shape, _dtype(fn, dtype, input.dtype)


def zeros_like(input, dtype=None, device=None, requires_grad=False):
    """Zeros of ``input``'s shape (and dtype, unless given). PyTorch: ``torch.zeros_like``."""
    shape, dt = _like("zeros_like", input, dtype, device)
    return _finish(np.zeros(shape), dt, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False):
    """Ones of ``input``'s shape. PyTorch: ``torch.ones_like``."""
    shape, dt = _like("ones_like", input, dtype, device)
    return _finish(np.ones(shape), dt, requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad=False):
    """A tensor of ``input``'s shape to be filled later (zeros here, see ``empty``). PyTorch: ``torch.empty_like``."""
    shape, dt = _like("empty_like", input, dtype, device)
    return _finish(np.zeros(shape), dt, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    """``fill_value`` in ``input``'s shape and dtype (unless given). PyTorch: ``torch.full_like``."""
    shape, dt = _like("full_like", input, dtype, device)
    fill_value = _number("full_like", fill_value, 2, "fill_value")
    return _finish(np.full(shape, fill_value), dt, requires_grad)


def rand_like(input, dtype=None, device=None, requires_grad=False, generator=None):
    """U[0, 1) numbers in ``input``'s shape and dtype. PyTorch: ``torch.rand_like``."""
    shape, dt = _like("rand_like", input, dtype, device)
    return rand(shape, dtype=dt, device="cpu", requires_grad=requires_grad, generator=generator)


def randn_like(input, dtype=None, device=None, requires_grad=False, generator=None):
    """N(0, 1) numbers in ``input``'s shape and dtype. PyTorch: ``torch.randn_like``."""
    shape, dt = _like("randn_like", input, dtype, device)
    return randn(shape, dtype=dt, device="cpu", requires_grad=requires_grad, generator=generator)


# --------------------------------------------------------------------------------------- Tensor.new_*
def new_filled(fn, like, fill, size_args, size, dtype, device, requires_grad):
    """``x.new_zeros(2, 3)``, ``x.new_full((2, 3), 7.0)``, ...: a new leaf of x's dtype unless ``dtype`` is given."""
    if fn == "new_full" and not isinstance(size, (tuple, list)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not {_typename(size)}")
    devices.check(device, "factory", fn)
    dt = _dtype(fn, dtype, like.dtype)
    fill = _number(fn, fill, 2, "fill_value") if fn == "new_full" else fill
    return _finish(np.full(_size(fn, size_args, size), fill, dtype=dt.numpy_dtype), dt, requires_grad)


def new_tensor(like, data, dtype, device, requires_grad):
    """``x.new_tensor(data)``: ``torch.tensor(data)``, in x's dtype unless ``dtype`` is given."""
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING.replace("torch.tensor(sourceTensor)", "tensor.new_tensor(sourceTensor)"),
                      UserWarning, stacklevel=3)
        data = data._data
    return tensor(data, dtype=like.dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)
