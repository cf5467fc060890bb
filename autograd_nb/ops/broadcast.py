"""Broadcasting helpers shared by the ops: type promotion of operands, and its adjoint ``unbroadcast``."""
import numpy as np

from .. import dtypes


def promote(x, y, floating=False):
    """The numpy arrays of tensors ``x`` and ``y``, cast to PyTorch's result dtype for an elementwise op.

    With ``floating=True`` (true division) an integer result becomes the default float dtype (float32 unless
    ``set_default_dtype`` changed it).
    """
    a, b = x._data, y._data
    if x.dtype is y.dtype and (not floating or x.dtype.is_floating_point):
        return a, b
    dt = dtypes.result_type(x, y)
    if floating and not dt.is_floating_point:
        dt = dtypes.get_default_dtype()
    return a.astype(dt.numpy_dtype, copy=False), b.astype(dt.numpy_dtype, copy=False)


def broadcast_tensors(*tensors):
    """The tensors expanded to the shape they broadcast to together (each already of that shape as it is)."""
    shape = ()
    for t in tensors:
        shape = broadcast_shapes(shape, t.shape)
    return tuple([t if t.shape == shape else t.expand(shape) for t in tensors])


def elementwise(x, y, floating=False):
    """``promote`` for an elementwise op: first check that the shapes broadcast (PyTorch's message)."""
    if x._data.shape != y._data.shape and x._data.ndim and y._data.ndim:  # a 0-d operand always broadcasts
        broadcast_shapes(x._data.shape, y._data.shape)
    return promote(x, y, floating)


def broadcast_shapes(a, b):
    """The shape both ``a`` and ``b`` broadcast to, with PyTorch's message when there is none."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        m = a[-i] if i <= len(a) else 1
        n = b[-i] if i <= len(b) else 1
        if m != n and m != 1 and n != 1:
            raise RuntimeError(
                f"The size of tensor a ({m}) must match the size of tensor b ({n}) at non-singleton "
                f"dimension {max(len(a), len(b)) - i}"
            )
        out.append(max(m, n) if m != 0 and n != 0 else 0)
    return tuple(reversed(out))


def unbroadcast(grad, shape):
    """Sum ``grad`` back down to ``shape``: the adjoint of broadcasting is summing.

    If ``x`` of shape (3, 1) was broadcast to (2, 3, 4) in the forward pass, each element of ``x`` was
    used 2·4 times, so its gradient is the sum of those 8 gradients. Written with Tensor ops, so that it
    can itself be differentiated (``create_graph=True``).
    """
    if grad._data.shape == shape:  # (``shape`` may be a tuple or a Size: they compare equal)
        return grad
    shape = tuple(shape)
    if not shape:
        return grad.sum()  # to a single number: one sum, as PyTorch's sum_to does
    lead = grad.dim() - len(shape)
    if lead < 0:
        raise ValueError(f"cannot sum {tuple(grad.shape)} to {shape}")
    dims = list(range(lead))
    for i, n in enumerate(shape):
        m = grad.shape[lead + i]
        if n == 1 and m != 1:
            dims.append(lead + i)
        elif n != m:
            raise ValueError(f"cannot sum {tuple(grad.shape)} to {shape}")
    if dims:
        grad = grad.sum(tuple(dims), keepdim=True)
    return grad.reshape(shape) if grad.shape != shape else grad



def normalize_dim(dim, ndim):
    """A dimension index in ``[0, ndim)``, with PyTorch's message when it is out of range."""
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})"
        )
    return dim % size


def normalize_dims(dim, ndim):
    """A sorted tuple of dimensions from an int, a sequence of ints or None (all)."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (dim,)
    if len(dim) == 1:
        d = normalize_dim(int(dim[0]), ndim)
        return (d,) if ndim else ()
    dims = [normalize_dim(int(d), ndim) for d in dim]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(dims)) if ndim else ()  # a 0-d tensor accepts dim 0 (or -1), but has no axis to reduce
