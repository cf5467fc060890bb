"""Matrix products: dot, mv, mm, bmm, addmm, and ``matmul`` which composes them as PyTorch does.

For z = A·B the vector-Jacobian products are again matrix products: ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G,
where G = ∂L/∂z. That is the whole backward of a linear layer.
"""
import numpy as np

from ..function import Function
from .broadcast import broadcast_shapes, promote, unbroadcast
from .views import SqueezeAfterMatmul, UnsafeView


def _dims(shape):
    return "x".join(map(str, shape))


_SHORT = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}
_CPP = {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}
_KERNEL = {"mm": "addmm_impl_cpu_", "mv": "addmv_impl_cpu", "dot": "dot", "bmm": "bmm"}


def _check_dtypes(kind, a, b):
    """A product of two tensors needs one dtype, and not bool: PyTorch's message for each kind of product."""
    x, y = a.dtype.name, b.dtype.name
    if x != y:
        raise RuntimeError({
            "mm": f"expected m1 and m2 to have the same dtype, but got: {_CPP[x]} != {_CPP[y]}",
            "mv": f"addmv input tensors must have the same dtype, but got {_SHORT[y]}, {_SHORT[x]}, and {_SHORT[y]}",
            "dot": f"dot : expected both vectors to have same dtype, but found {_SHORT[x]} and {_SHORT[y]}",
            "bmm": f"expected scalar type {_SHORT[x]} but found {_SHORT[y]}",
        }[kind])
    if x == "bool":
        raise NotImplementedError(f'"{_KERNEL[kind]}" not implemented for \'Bool\'')


class Dot(Function):
    """z = Σᵢ aᵢbᵢ (1-d · 1-d)      ∂z/∂a = b, ∂z/∂b = a"""

    node_name = "DotBackward0"
    saved_names = ("self", "tensor")

    @staticmethod
    def forward(ctx, a, b):
        _check_dtypes("dot", a, b)
        if a.shape != b.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the "
                f"same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively"
            )
        ctx.save_for_backward(a if ctx.differentiates(1) else None, b if ctx.differentiates(0) else None)
        x, y = promote(a, b)
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None), (grad * a if ctx.needs_input_grad[1] else None)

    @staticmethod
    def jvp(ctx, ta, tb):
        a, b = ctx.saved_tensors
        return ta.dot(b) + a.dot(tb)


class Mv(Function):
    """z = M·v (2-d · 1-d)      ∂L/∂M = g vᵀ (outer product), ∂L/∂v = Mᵀ g"""

    node_name = "MvBackward0"
    saved_names = ("self", "vec")

    @staticmethod
    def forward(ctx, m, v):
        _check_dtypes("mv", m, v)
        if m.shape[1] != v.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({m.shape[0]}), mat ({_dims(m.shape)}), vec ({v.shape[0]})")
        ctx.save_for_backward(m if ctx.differentiates(1) else None, v if ctx.differentiates(0) else None)
        x, y = promote(m, v)
        return x @ y

    @staticmethod
    def backward(ctx, grad):
        m, v = ctx.saved_tensors
        grad_m = grad.unsqueeze(1) * v.unsqueeze(0) if ctx.needs_input_grad[0] else None
        grad_v = m.t().mv(grad) if ctx.needs_input_grad[1] else None
        return grad_m, grad_v

    @staticmethod
    def jvp(ctx, tm, tv):
        m, v = ctx.saved_tensors
        return tm.mv(v) + m.mv(tv)


def _column_major(b):
    """Is matrix ``b`` laid out column by column (the transpose of a row-major matrix)?"""
    flags = b._data.flags
    return flags.f_contiguous and not flags.c_contiguous


def _mat2_grad(a, grad, column_major):
    """∂L/∂B = Aᵀ·G, laid out in memory like B.

    Optimization (MLP benchmark, batch 64: 0.96 → 0.75 ms per step). ``F.linear`` passes ``weight.t()`` as
    B, a column-major view. Computing Aᵀ·G as (Gᵀ·A)ᵀ gives a column-major result whose transpose
    (TBackward0's) is laid out as ``weight`` is, so copying it into ``weight.grad`` is a plain copy rather
    than a transposing one. PyTorch's ``mm_mat2_backward`` makes the same choice, and like it forward keeps
    only B's layout for this, not B.
    """
    if column_major:
        return grad.t().mm(a).t()
    return a.t().mm(grad)


class Mm(Function):
    """Z = A·B (2-d · 2-d)      ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G"""

    node_name = "MmBackward0"
    saved_names = ("self", "mat2")

    @staticmethod
    def forward(ctx, a, b):
        a_shape, b_shape = a._data.shape, b._data.shape
        if len(a_shape) != 2 or len(b_shape) != 2:
            raise RuntimeError("self must be a matrix" if len(a_shape) != 2 else "mat2 must be a matrix")
        _check_dtypes("mm", a, b)
        if a_shape[1] != b_shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_dims(a_shape)} and {_dims(b_shape)})")
        # A's gradient needs B and B's needs A: each is kept only if that gradient will be asked for
        ctx.save_for_backward(a if ctx.differentiates(1) else None, b if ctx.differentiates(0) else None)
        ctx.mat2_column_major = ctx.differentiates(1) and _column_major(b)  # (B's gradient follows B's layout)
        x, y = promote(a, b)
        # optimization: for 2-d arrays np.dot is the same product as x @ y, with less overhead per call
        # (per-op matmul row: 29.7 → 23.8 µs per op, forward and backward together)
        return np.dot(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = grad.mm(b.t()) if ctx.needs_input_grad[0] else None
        grad_b = _mat2_grad(a, grad, ctx.mat2_column_major) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b

    @staticmethod
    def jvp(ctx, ta, tb):
        a, b = ctx.saved_tensors
        return ta.mm(b) + a.mm(tb)


class Addmm(Function):
    """Z = bias + A·B      ∂L/∂bias = G summed to bias's shape, ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G"""

    node_name = "AddmmBackward0"
    saved_names = ("mat1", "mat2")

    @staticmethod
    def forward(ctx, bias, a, b):
        _check_dtypes("mm", a, b)
        if bias.dtype is not a.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {_SHORT[bias.dtype.name]} and "
                               f"{_SHORT[a.dtype.name]}")
        a_shape, b_shape = a._data.shape, b._data.shape
        if a_shape[1] != b_shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_dims(a_shape)} and {_dims(b_shape)})")
        ctx.save_for_backward(a if ctx.differentiates(2) else None, b if ctx.differentiates(1) else None)
        ctx.mat2_column_major = ctx.differentiates(2) and _column_major(b)  # (B's gradient follows B's layout)
        ctx.bias_shape = bias._data.shape
        x, y = promote(a, b)
        out = np.dot(x, y)  # (see Mm)
        out += bias._data  # into the fresh product: one array fewer
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_bias = unbroadcast(grad, ctx.bias_shape) if ctx.needs_input_grad[0] else None
        grad_a = grad.mm(b.t()) if ctx.needs_input_grad[1] else None
        grad_b = _mat2_grad(a, grad, ctx.mat2_column_major) if ctx.needs_input_grad[2] else None
        return grad_bias, grad_a, grad_b

    @staticmethod
    def jvp(ctx, tbias, ta, tb):
        a, b = ctx.saved_tensors
        return tbias + ta.mm(b) + a.mm(tb)


class Bmm(Function):
    """Z[i] = A[i]·B[i] for two stacks of matrices (3-d, one batch size)      ∂L/∂A[i] = G[i]·B[i]ᵀ, ∂L/∂B[i] = A[i]ᵀ·G[i]"""

    node_name = "BmmBackward0"
    saved_names = ("self", "mat2")

    @staticmethod
    def forward(ctx, a, b):
        if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                               f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
        ctx.save_for_backward(a if ctx.differentiates(1) else None, b if ctx.differentiates(0) else None)
        x, y = promote(a, b)
        return np.matmul(x, y)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        grad_a = Bmm.apply(grad, b.transpose(1, 2)) if ctx.needs_input_grad[0] else None
        grad_b = Bmm.apply(a.transpose(1, 2), grad) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b

    @staticmethod
    def jvp(ctx, ta, tb):
        a, b = ctx.saved_tensors
        return Bmm.apply(ta, b) + Bmm.apply(a, tb)


def mm(a, b):
    """Matrix product of two 2-d tensors."""
    return Mm.apply(a, b)


def matmul(a, b):
    """``a @ b``, composed as PyTorch composes it (its ``_matmul_impl``), so that the graph has the same nodes:
    dot, mv or mm for 1-d and 2-d operands; a stack of matrices times a matrix or a vector is folded into one
    mm or mv (a reshape, then ``_unsafe_view`` back); anything else is expanded to one batch shape and
    reshaped to a single stack for bmm."""
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return Dot.apply(a, b)
    if da == 2 and db == 1:
        return Mv.apply(a, b)
    if da == 1 and db == 2:
        out = SqueezeAfterMatmul.apply(Mm.apply(a.unsqueeze(0), b), 0)
        out._bump_version()  # PyTorch squeezes the (1, m) product in place (squeeze_): version 1
        return out
    if da == 2 and db == 2:
        return Mm.apply(a, b)
    if _should_fold(a, b):
        return _folded(a, b)
    return _batched(a, b)


def _should_fold(a, b):
    """PyTorch's test: fold when one operand has ≥ 3 dims and the other ≤ 2, and either the small one requires
    grad or the large one's leading dims can be merged without a copy."""
    large, small = (a, b) if a.dim() >= b.dim() else (b.transpose(-2, -1), a)
    if not (large.dim() >= 3 and small.dim() <= 2):
        return False
    if small.requires_grad:
        return True
    if a.dim() == 2:
        return False
    if large.numel() == 0:
        return True
    shape, strides = large._data.shape, large._data.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(large.dim() - 2))


def _folded(a, b):
    """One mm (or mv) on the large operand's leading dims merged into one: reshape, product, unsafe view."""
    transpose = b.dim() > a.dim()
    t1 = b.transpose(-2, -1) if transpose else a
    t2 = (a.t() if a.dim() == 2 else a) if transpose else b
    _check_dtypes("mm" if t2.dim() == 2 else "mv", t1, t2)
    out_shape = t1.shape[:-1] + ((t2.shape[1],) if t2.dim() == 2 else ())
    folded = t1.reshape(int(np.prod(t1.shape[:-1])), t1.shape[-1])
    if t2.dim() == 1:
        return UnsafeView.apply(Mv.apply(folded, t2), out_shape)
    out = UnsafeView.apply(Mm.apply(folded, t2), out_shape)
    return out.transpose(-2, -1).contiguous() if transpose else out


def _batched(a, b):
    """Both operands expanded to the broadcast batch shape and reshaped to one stack each, for bmm."""
    da, db = a.dim(), b.dim()
    if da == 3 and db == 3 and a.shape[0] != b.shape[0]:  # (a batch of one that requires grad is squeezed away)
        if a.shape[0] == 1 and a.requires_grad:
            return matmul(a.squeeze(0), b)
        if b.shape[0] == 1 and b.requires_grad:
            return matmul(a, b.squeeze(0))
    n = a.shape[-2] if da > 1 else 1
    m1, m2 = a.shape[-1], (b.shape[-2] if db > 1 else b.shape[0])
    p = b.shape[-1] if db > 1 else 1
    batch = broadcast_shapes(a.shape[:max(da - 2, 0)], b.shape[:max(db - 2, 0)])
    count = int(np.prod(batch))
    _check_dtypes("bmm", a, b)
    a3 = a.expand(batch + (n, m1)).reshape(count, n, m1)
    if db == 1:
        b3 = b.expand(batch + (m2,)).reshape(count, m2).unsqueeze(2)
    else:
        b3 = b.expand(batch + (m2, p)).reshape(count, m2, p)
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    product = Bmm.apply(a3, b3)
    return UnsafeView.apply(product.squeeze(-1) if db == 1 else product, out_shape)


def outer(a, b, position=1):
    """``torch.outer(a, b)``: the matrix aᵢ·bⱼ of two vectors, computed as PyTorch does, a column times a row
    (ViewBackward0, then MulBackward0)."""
    from ..tensor import Tensor
    if not isinstance(b, Tensor):
        raise TypeError(f"outer(): argument 'vec2' (position {position}) must be Tensor, not {type(b).__name__}")
    for name, v in (("self", a), ("vec2", b)):
        if v.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.dim()}-D")
    return a.reshape(-1, 1) * b
