"""Making tensors: from data (``tensor``), filled (``zeros``, ``ones``, ``full``, ``eye``), ranges
(``arange``, ``linspace``), random (``rand``, ``randn``, ...), and ``*_like`` versions of these.

Tensors made here are leaves: ``grad_fn`` is None. Pass ``requires_grad=True`` to make a leaf that
backward will fill ``.grad`` for.
"""
import warnings

import numpy as np

from . import dtypes
from .random import _rng
from .tensor import Tensor, _shape_arg

_COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor)."
)


def _infer_dtype(data):
    """PyTorch's dtype for nested Python data: any float → float32, else any int → int64, else bool."""
    if isinstance(data, np.ndarray):
        return dtypes.from_numpy(data.dtype)
    if isinstance(data, np.generic):
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
    return {0: dtypes.bool_, 1: dtypes.int64, 2: dtypes.float32}[category] if flat else dtypes.float32


def _finish(array, dtype, requires_grad):
    t = Tensor(np.array(array, dtype=(dtype or dtypes.float32).numpy_dtype, order="C"))
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def tensor(data, dtype=None, requires_grad=False, device=None):
    """A new leaf tensor holding a copy of ``data`` (nested lists, numbers, numpy arrays or a tensor)."""
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING, UserWarning, stacklevel=2)
        data = data._data
    elif isinstance(data, (list, tuple)) and any(isinstance(v, Tensor) for v in np.asarray(data, dtype=object).ravel()):
        data = np.asarray([_to_array(v) for v in data])
    dt = dtype or _infer_dtype(data)
    return _finish(np.array(data, dtype=dt.numpy_dtype), dt, requires_grad)


def _to_array(v):
    if isinstance(v, Tensor):
        return v._data
    if isinstance(v, (list, tuple)):
        return np.asarray([_to_array(x) for x in v])
    return v


def as_tensor(data, dtype=None):
    if isinstance(data, Tensor) and (dtype is None or dtype is data.dtype):
        return data
    return tensor(data._data if isinstance(data, Tensor) else data, dtype=dtype)


def from_numpy(array):
    """A tensor sharing memory with a numpy array."""
    return Tensor(array)


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return _finish(np.zeros(_shape_arg(size)), dtype, requires_grad)


def ones(*size, dtype=None, requires_grad=False, device=None):
    return _finish(np.ones(_shape_arg(size)), dtype, requires_grad)


def empty(*size, dtype=None, requires_grad=False, device=None):
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    dt = dtype or dtypes.of_scalar(fill_value)
    return _finish(np.full(_shape_arg((size,)), fill_value), dt, requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    return _finish(np.eye(n, n if m is None else m), dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    """Numbers from ``start`` up to (not including) ``end``; int64 when all arguments are integers."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    is_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)
    dt = dtype or (dtypes.int64 if is_int else dtypes.float32)
    n = max(int(np.ceil((values[1] - values[0]) / values[2])), 0)
    # computed as start + i*step in double precision, then converted, as PyTorch does
    return _finish(values[0] + np.arange(n, dtype=np.float64 if not is_int else np.int64) * values[2], dt,
                   requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    return _finish(np.linspace(start, end, steps), dtype, requires_grad)


def rand(*size, dtype=None, requires_grad=False, generator=None, device=None):
    """Uniform random numbers in [0, 1)."""
    dt = dtype or dtypes.float32
    return _finish(_rng(generator).random(_shape_arg(size), dtype=dt.numpy_dtype), dt, requires_grad)


def randn(*size, dtype=None, requires_grad=False, generator=None, device=None):
    """Standard normal random numbers (mean 0, variance 1)."""
    dt = dtype or dtypes.float32
    return _finish(_rng(generator).standard_normal(_shape_arg(size), dtype=dt.numpy_dtype), dt, requires_grad)


def randint(low, high=None, size=None, dtype=None, requires_grad=False, generator=None, device=None):
    if high is None:
        low, high = 0, low
    return _finish(_rng(generator).integers(low, high, size=_shape_arg((size,))), dtype or dtypes.int64,
                   requires_grad)


def randperm(n, dtype=None, generator=None, device=None):
    return _finish(_rng(generator).permutation(n), dtype or dtypes.int64, False)


def _like(x, dtype):
    return dtype or x.dtype


def zeros_like(input, dtype=None, requires_grad=False):
    return _finish(np.zeros(input.shape), _like(input, dtype), requires_grad)


def ones_like(input, dtype=None, requires_grad=False):
    return _finish(np.ones(input.shape), _like(input, dtype), requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False):
    return _finish(np.full(input.shape, fill_value), _like(input, dtype), requires_grad)


def rand_like(input, dtype=None, requires_grad=False):
    return rand(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)


def randn_like(input, dtype=None, requires_grad=False):
    return randn(input.shape, dtype=_like(input, dtype), requires_grad=requires_grad)
