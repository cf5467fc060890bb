"""Comparisons (==, <, ...) and logical and/or. Their results are bool, so no gradient flows."""
import numpy as np

from .broadcast import broadcast_shapes, promote
from ..tensor import Tensor, _wrap


def compare(np_function, x, other):
    """Apply a numpy comparison to a tensor and a tensor or number; never recorded in the graph."""
    if not isinstance(other, (Tensor, int, float, bool, np.ndarray, np.generic)):
        return NotImplemented
    y = _wrap(other, x)
    broadcast_shapes(x.shape, y.shape)
    a, b = promote(x, y)
    return Tensor(np.asarray(np_function(a, b)))


def isclose(x, other, rtol=1e-05, atol=1e-08, equal_nan=False, fn="isclose", position=1):
    """|x - other| ≤ atol + rtol·|other| elementwise, with PyTorch's checks (one dtype, tolerances ≥ 0)."""
    if not isinstance(other, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position {position}) must be Tensor, not {type(other).__name__}")
    if x.dtype is not other.dtype:
        raise RuntimeError(f"{x.dtype.legacy_name[:-6]} did not match {other.dtype.legacy_name[:-6]}")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {value:g}")
    broadcast_shapes(x.shape, other.shape)
    return Tensor(np.asarray(np.isclose(x._data, other._data, rtol, atol, equal_nan)))
