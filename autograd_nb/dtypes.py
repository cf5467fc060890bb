"""The four dtypes autograd_nb supports, named and printed as PyTorch names them.

A dtype is a small object that pairs PyTorch's name (``torch.float32``) with the numpy dtype that stores
the numbers. ``float32`` is the default floating dtype, as in PyTorch; ``set_default_dtype(float64)``
changes it (``torch.set_default_dtype``).

``int32`` (``torch.int``) and ``float16`` (``torch.half``) exist so that code naming them runs and
compares as in PyTorch, but no tensor holds them: making one raises a TypeError that says which dtype
to use instead (``check_supported``).
"""
import numpy as np


class dtype:
    """One element type: ``torch.float32``, ``torch.float64``, ``torch.int64`` or ``torch.bool``."""

    is_complex = False

    def __init__(self, name, numpy_dtype, category, legacy_name, supported=True):
        self.name = name
        self.numpy_dtype = np.dtype(numpy_dtype)
        self.category = category  # 0 bool, 1 integer, 2 floating: the order type promotion follows
        self.is_floating_point = category == 2
        self.is_signed = category > 0
        self.itemsize = self.numpy_dtype.itemsize
        self.legacy_name = legacy_name  # as in PyTorch's messages: "torch.FloatTensor"
        self.supported = supported  # False: a name only, no tensor holds it

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return (from_name, (self.name,))


float32 = dtype("float32", np.float32, 2, "FloatTensor")
float64 = dtype("float64", np.float64, 2, "DoubleTensor")
int64 = dtype("int64", np.int64, 1, "LongTensor")
bool_ = dtype("bool", np.bool_, 0, "BoolTensor")
int32 = dtype("int32", np.int32, 1, "IntTensor", supported=False)
float16 = dtype("float16", np.float16, 2, "HalfTensor", supported=False)

_ALL = (float32, float64, int64, bool_)
_INSTEAD = {int32: "torch.int64 (torch.long)", float16: "torch.float32 (torch.float)"}

_default_float = float32  # what Python floats and the creation functions become: set_default_dtype changes it


def check_supported(dt):
    """Raise a clear error for the dtypes that are names only here (``torch.int32``, ``torch.float16``)."""
    if not dt.supported:
        raise TypeError(f"autograd_nb has no {dt} tensors (it stores float32, float64, int64 and bool): "
                        f"use {_INSTEAD[dt]} instead")
    return dt


def get_default_dtype():
    """The floating dtype of ``tensor(1.5)``, ``zeros(2)``, ``randn(2)``...: float32 unless changed.
    PyTorch: ``torch.get_default_dtype``."""
    return _default_float


def set_default_dtype(d):
    """Make ``d`` (float32 or float64) the dtype Python floats and the creation functions give.
    PyTorch: ``torch.set_default_dtype`` (which also allows float16: not here, see ``check_supported``)."""
    global _default_float
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = check_supported(d)


def default_for_category(category):
    """The dtype a Python scalar of this category brings: bool, int64, or the default floating dtype."""
    return (bool_, int64, _default_float)[category]


def from_name(name):
    for d in _ALL + (int32, float16):
        if d.name == name:
            return d
    raise ValueError(f"unknown dtype {name!r}")


BY_NUMPY = {d.numpy_dtype: d for d in _ALL}  # numpy dtype -> ours, for the four we store as they are


def from_numpy(numpy_dtype):
    """The dtype that stores an array of ``numpy_dtype`` (other ints become int64, other floats float32)."""
    found = BY_NUMPY.get(numpy_dtype)
    if found is not None:
        return found
    kind = np.dtype(numpy_dtype)
    if kind == np.float64:
        return float64
    if kind.kind == "f":
        return float32
    if kind.kind in "iu":
        return int64
    if kind.kind == "b":
        return bool_
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{kind.name}. The only supported types are: "
        "float64, float32, int64, and bool."
    )


def of_scalar(value):
    """The dtype PyTorch gives a Python scalar: bool, int64 or the default floating dtype (float32)."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    return _default_float


def _higher(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a if (a.category, a.itemsize) >= (b.category, b.itemsize) else b


def result_type(*operands):
    """PyTorch's type promotion for an elementwise op.

    Tensors with dimensions decide first; a 0-d tensor only wins when it is of a higher category
    (bool < integer < floating); a Python scalar only when it is of a higher category still, and then
    it brings the default dtype of its category (``1.5 * int_tensor`` is float32, or the default).
    """
    dimensioned = zero_dim = None
    scalar_category = -1
    for x in operands:
        d = getattr(x, "dtype", None)
        if isinstance(d, dtype):
            if x.dim() > 0:
                dimensioned = _higher(dimensioned, d)
            else:
                zero_dim = _higher(zero_dim, d)
        else:
            scalar_category = max(scalar_category, of_scalar(x).category)
    result = dimensioned
    if zero_dim is not None and (result is None or zero_dim.category > result.category):
        result = zero_dim
    if result is None or scalar_category > result.category:
        result = default_for_category(scalar_category)
    return result


_NO_CUDA_LIBRARY = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared libraries: a CPU "
    "library and a CUDA library; this error has occurred because you are trying to use some CUDA functionality, but "
    "the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA library MUST be loaded, "
    "EVEN IF you don't directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library dependencies if you "
    "don't depend on any of their symbols.  You can check if this has occurred by using ldd on your binary to see if "
    "there is a dependency on *_cuda.so library.")


def from_type_argument(value):
    """The dtype ``x.type(value)`` converts to: a dtype, or a legacy type name such as ``'torch.DoubleTensor'``
    (PyTorch's errors for anything else)."""
    if isinstance(value, dtype):
        return value
    if not isinstance(value, str):
        if isinstance(value, type):
            raise ValueError(f"invalid type: '{value.__name__}'")
        raise TypeError("dtype must be a type, str, or dtype object")
    for d in _ALL + (int32, float16):
        if value == "torch." + d.legacy_name:
            return d
        if value == "torch.cuda." + d.legacy_name:
            raise RuntimeError(_NO_CUDA_LIBRARY)
    raise ValueError(f"invalid type: '{value}'")
