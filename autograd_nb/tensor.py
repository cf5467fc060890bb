"""The Tensor: an n-dimensional numpy array plus the autograd facts PyTorch attaches to it.

The autograd part is small:

* ``requires_grad``: does any gradient have to flow into this tensor? Set by you on leaves; on results
  it is True exactly when some input required grad (and grad mode was on).
* ``grad_fn``: the graph node that produced this tensor (None for leaves, the tensors you made).
* ``grad``: where backward leaves ∂L/∂(this tensor) for leaves that require grad.
* ``_version``: bumped by every in-place change, so backward can tell a saved tensor was overwritten.

Every operator below is one line that hands the work to a ``Function`` in ``ops/``, so from ``a * b``
you can jump straight to the code that runs (``ops/arithmetic.py``, ``Mul``).
"""
import math
import warnings
import weakref

import numpy as np

from . import devices, dtypes, grad_mode, inference
from .hooks import add_hook
from .printing import format_size, format_tensor, standard_suffixes
from .warn_once import warn_once


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self):
        return format_size(self)

    __str__ = __repr__

    def numel(self):
        return math.prod(self)

    def __getitem__(self, item):
        out = tuple.__getitem__(self, item)
        return Size(out) if isinstance(item, slice) else out

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
    "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
    "for more information."
)
# PyTorch words this differently for the setter and for requires_grad_(): both are kept
_NON_FLOAT_SETTER = "only Tensors of floating point and complex dtype can require gradients"
_NON_FLOAT_METHOD = "only Tensors of floating point dtype can require gradients"


def _operator(method):
    """A Python operator (``+``, ``*`` …) hands back an operand it cannot take (NotImplemented), so that Python
    raises its own TypeError, "unsupported operand type(s) for +: 'Tensor' and 'NoneType'", as PyTorch's do."""

    def operator(self, other):
        if isinstance(other, Tensor) or isinstance(other, _NUMBERS):
            return method(self, other)
        return NotImplemented

    operator.__name__, operator.__qualname__, operator.__doc__ = method.__name__, method.__qualname__, method.__doc__
    operator.__wrapped__ = method
    return operator


_NUMBERS = (bool, int, float, complex, np.generic, np.ndarray)


class Tensor:
    """An n-d array that can record the operations applied to it."""

    __slots__ = ("_data", "dtype", "_grad_fn", "_output_nr", "_requires_grad", "_grad", "_version_counter",
                 "_base", "_view_version", "_no_grad_view", "_multi_output_view", "_grad_accumulator", "_retains_grad", "_tangent",
                 "__weakref__")
    __array_priority__ = 1000  # numpy_array * tensor calls Tensor.__rmul__, not numpy's multiply

    def __init__(self, data, requires_grad=False):
        """Wrap a numpy array (no copy). Use ``autograd_nb.tensor(...)`` to build tensors from data."""
        data = data if type(data) is np.ndarray else np.asarray(data)
        dt = dtypes.BY_NUMPY.get(data.dtype)
        if dt is None:  # another numpy dtype: stored as the nearest of ours (int32 as int64, float16 as float32)
            dt = dtypes.from_numpy(data.dtype)
            data = data.astype(dt.numpy_dtype)
        self._data = data
        self.dtype = dt
        self._grad_fn = None
        self._output_nr = 0
        self._grad = None
        self._version_counter = [0] if not inference.enabled else inference.NO_VERSION  # (see inference.py)
        self._base = None  # a view: the tensor whose memory it looks into (views.py)
        self._view_version = 0  # a view: the version counter's value when its grad_fn was made
        self._no_grad_view = ""  # a view made while grad mode was off: how PyTorch's messages name it
        self._multi_output_view = ""  # one of several views one op made (split, unbind): how messages name it
        self._grad_accumulator = None
        self._retains_grad = False
        self._requires_grad = False
        self._tangent = None  # forward mode: the direction this tensor carries (forward_mode.py)
        if requires_grad:
            self.requires_grad = True

    # ------------------------------------------------------------------ autograd attributes
    @property
    def requires_grad(self):
        if self._base is None:
            return self._requires_grad or self._grad_fn is not None
        # a view requires grad when its base does, even one made before the base did or under no_grad
        return self._requires_grad or self._grad_fn is not None or self._base.requires_grad

    @property
    def grad_fn(self):
        """The node that made this tensor; None for a leaf. A view whose base was changed in place since its
        node was made gets a fresh one first (``views.refresh``), as in PyTorch."""
        if self._base is not None and self._view_version != self._version_counter[0]:
            views.refresh(self)
        return self._grad_fn

    @requires_grad.setter
    def requires_grad(self, value):
        if self.grad_fn is not None:
            message = "you can only change requires_grad flags of leaf variables."
            if not value:
                message += (" If you want to use a computed variable in a subgraph that doesn't require "
                            "differentiation use var_no_grad = var.detach().")
            raise RuntimeError(message)
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(_NON_FLOAT_SETTER)
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on this leaf, in place; returns the tensor."""
        if self.grad_fn is not None and not requires_grad:
            self.requires_grad = False  # raises PyTorch's message
        if self.grad_fn is None:
            if requires_grad and not self.dtype.is_floating_point:
                raise RuntimeError(_NON_FLOAT_METHOD)
            self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        """True for tensors not produced by a recorded operation (``grad_fn is None``)."""
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
            if value.dtype is not self.dtype:
                raise RuntimeError("assigned grad has data of a different type")
        self._grad = value

    @property
    def retains_grad(self):
        return self._retains_grad

    def retain_grad(self):
        """Ask backward to fill ``.grad`` of this non-leaf too (leaves get it anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is not None and not self._retains_grad:  # (a leaf, or a view without history: done)
            if self.grad_fn._retained is None:
                self.grad_fn._retained = {}
            self.grad_fn._retained[self._output_nr] = weakref.ref(self)
            self._retains_grad = True

    def register_hook(self, hook):
        """``hook(grad)`` runs when the gradient of this tensor is computed; it may return a new one."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node, nr = self._edge()
        if node is None:  # a view made under no_grad of a tensor that requires grad: no gradient ever comes
            return add_hook({}, hook)
        if node._tensor_pre_hooks is None:
            node._tensor_pre_hooks = {}
        return add_hook(node._tensor_pre_hooks.setdefault(nr, {}), hook)

    @property
    def _version(self):
        return self._version_counter[0]

    def _bump_version(self):
        self._version_counter[0] += 1

    def _accumulator(self):
        """The ``AccumulateGrad`` node of this leaf (one per leaf, made on first use)."""
        if self._grad_accumulator is None:
            self._grad_accumulator = AccumulateGrad(self)
        return self._grad_accumulator

    def _edge(self):
        """Where a gradient for this tensor goes: ``(node, output_nr)``, or ``(None, 0)``."""
        if self.grad_fn is not None:
            return (self.grad_fn, self._output_nr)
        if self._requires_grad:
            return (self._accumulator(), 0)
        return (None, 0)

    def _snapshot(self):
        """A stand-in for this tensor as it is now: the same place in the graph, a private copy of the values
        (an in-place op records this as its input, so that its backward sees the values it had)."""
        s = Tensor(self._data.copy())
        s._grad_fn, s._output_nr, s._requires_grad = self.grad_fn, self._output_nr, self._requires_grad
        s._grad_accumulator = self._grad_accumulator
        return s

    def _accumulate_grad(self, g):
        """``.grad += g`` for tensors filled by ``retain_grad`` or ``backward(inputs=...)``."""
        if grad_mode.is_grad_enabled():
            self._grad = g.clone() if self._grad is None else self._grad + g
        else:
            self._grad = g.detach().clone() if self._grad is None else self._grad + g

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute vᵀ·J from this tensor back to the leaves, v = ``gradient``; results go into ``.grad``."""
        engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self):
        """The same data (shared, same version counter), cut off from the graph."""
        out = Tensor(self._data)
        out._version_counter = self._version_counter
        return out

    def detach_(self):
        """Cut this tensor off from the graph, in place: it becomes a leaf."""
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view "
                               "is set as True, gradients are views of DDP buckets, and hence detach_() "
                               "cannot be called on these gradients. To fix this error, please refer to "
                               "the Optimizer.zero_grad() function in torch/optim/optimizer.py as the "
                               "solution.")
        self._grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    @property
    def data(self):
        """The values as a new tensor outside the graph. Changes to it are not seen by autograd."""
        return Tensor(self._data)

    @data.setter
    def data(self, value):
        if value._data.shape != self._data.shape or value.dtype is not self.dtype:
            self._grad_accumulator = None  # its gradient now has another shape: graphs from now on get a new one
        self._data = value._data
        self.dtype = value.dtype

    # ------------------------------------------------------------------ shape and values
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[ops.broadcast.normalize_dim(dim, self.dim())]

    def dim(self):
        return self._data.ndim

    @property
    def ndim(self):
        return self._data.ndim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def item(self):
        """The single value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, force=False):
        """The numpy array behind this tensor (shared memory). Refuses while it requires grad."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def element_size(self):
        return self.dtype.itemsize

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self):
        if self.requires_grad:
            warn_once("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                      "Consider using tensor.detach() first.")
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.item())

    def __int__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = object.__hash__

    def __repr__(self):
        grad_fn = None if self.grad_fn is None else type(self.grad_fn).__name__
        suffixes = standard_suffixes(self._data, requires_grad=self._requires_grad, grad_fn=grad_fn)
        if self._tangent is not None:
            tangent = self._tangent
            suffixes.append(f"tangent={tangent.item()!r}" if tangent.dim() == 0 else f"tangent={tangent!r}")
        return format_tensor(self._data, suffixes)

    __str__ = __repr__

    def _repr_html_(self):
        from .viz import tensor_html  # (viz brings networkx and matplotlib: loaded only for pictures)

        return tensor_html(self)

    # ------------------------------------------------------------------ arithmetic
    @_operator
    def __add__(self, other):
        return ops.Add.apply(self, _wrap(other, self))

    @_operator
    def __radd__(self, other):
        return ops.Add.apply(self, _wrap(other, self))

    @_operator
    def __sub__(self, other):
        return ops.Sub.apply(self, _wrap(other, self))

    @_operator
    def __rsub__(self, other):
        return ops.Rsub.apply(other, self)

    @_operator
    def __mul__(self, other):
        return ops.Mul.apply(self, _wrap(other, self))

    @_operator
    def __rmul__(self, other):
        return ops.Mul.apply(self, _wrap(other, self))

    @_operator
    def __truediv__(self, other):
        return ops.Div.apply(self, _wrap(other, self))

    @_operator
    def __rtruediv__(self, other):
        return ops.Reciprocal.apply(self) * other  # PyTorch computes 2 / x as (1 / x) * 2, too

    @_operator
    def __floordiv__(self, other):
        return ops.FloorDivide.apply(self, _wrap(other, self))

    @_operator
    def __rfloordiv__(self, other):
        return ops.FloorDivide.apply(_wrap(other, self), self)

    def floor_divide(self, other):
        return self // other

    def __neg__(self):
        return ops.Neg.apply(self)

    def __pos__(self):
        return self

    @_operator
    def __pow__(self, exponent):
        if isinstance(exponent, Tensor):
            return ops.PowTensor.apply(self, exponent)
        return ops.Pow.apply(self, exponent)

    @_operator
    def __rpow__(self, base):
        return ops.Rpow.apply(base, self)

    @_operator
    def __matmul__(self, other):
        return ops.matmul(self, other)

    @_operator
    def __rmatmul__(self, other):
        return ops.matmul(_wrap(other, self), self)

    def add(self, other, alpha=1):
        return ops.Add.apply(self, _wrap(other, self), alpha)

    def sub(self, other, alpha=1):
        return ops.Sub.apply(self, _wrap(other, self), alpha)

    def mul(self, other):
        return self * other

    def div(self, other):
        return self / other

    def neg(self):
        return -self

    def pow(self, exponent):
        return self ** exponent

    def matmul(self, other):
        return ops.matmul(self, other)

    def mm(self, other):
        return ops.mm(self, other)

    def mv(self, vec):
        return ops.Mv.apply(self, vec)

    def dot(self, other):
        return ops.Dot.apply(self, other)

    def reciprocal(self):
        return ops.Reciprocal.apply(self)

    # comparisons: no gradient flows through these (their results are bool)
    def __eq__(self, other):
        return ops.compare(np.equal, self, other)

    def __ne__(self, other):
        return ops.compare(np.not_equal, self, other)

    def __lt__(self, other):
        return ops.compare(np.less, self, other)

    def __le__(self, other):
        return ops.compare(np.less_equal, self, other)

    def __gt__(self, other):
        return ops.compare(np.greater, self, other)

    def __ge__(self, other):
        return ops.compare(np.greater_equal, self, other)

    def __and__(self, other):
        return ops.compare(np.logical_and, self, other)

    def __or__(self, other):
        return ops.compare(np.logical_or, self, other)

    def __invert__(self):
        return Tensor(~self._data)

    def eq(self, other):
        return self == other

    def ne(self, other):
        return self != other

    def lt(self, other):
        return self < other

    def le(self, other):
        return self <= other

    def gt(self, other):
        return self > other

    def ge(self, other):
        return self >= other

    def equal(self, other):
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return bool(ops.isclose(self, other, rtol, atol, equal_nan, "allclose")._data.all())

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return ops.isclose(self, other, rtol, atol, equal_nan)

    def isnan(self):
        return Tensor(np.isnan(self._data))

    def isinf(self):
        return Tensor(np.isinf(self._data))

    def isfinite(self):
        return Tensor(np.isfinite(self._data))

    def argmax(self, dim=None, keepdim=False):
        return Tensor(ops.arg_reduce(np.argmax, self, dim, keepdim))

    def argmin(self, dim=None, keepdim=False):
        return Tensor(ops.arg_reduce(np.argmin, self, dim, keepdim))

    # ------------------------------------------------------------------ pointwise math
    def exp(self):
        return ops.Exp.apply(self)

    def log(self):
        return ops.Log.apply(self)

    def log1p(self):
        return ops.Log1p.apply(self)

    def expm1(self):
        return ops.Expm1.apply(self)

    def erf(self):
        return ops.Erf.apply(self)

    def atan2(self, other):
        return ops.Atan2.apply(self, ops.tensor_argument(other, "atan2", 1))

    def floor(self):
        return ops.Floor.apply(self)

    def ceil(self):
        return ops.Ceil.apply(self)

    def round(self, *, decimals=None):
        return ops.round(self, decimals)

    def trunc(self):
        return ops.Trunc.apply(self)

    def sqrt(self):
        return ops.Sqrt.apply(self)

    def abs(self):
        return ops.Abs.apply(self)

    def sign(self):
        return ops.Sign.apply(self)

    def sgn(self):
        return ops.Sgn.apply(self)

    def sin(self):
        return ops.Sin.apply(self)

    def cos(self):
        return ops.Cos.apply(self)

    def tanh(self):
        return ops.Tanh.apply(self)

    def sigmoid(self):
        return ops.Sigmoid.apply(self)

    def relu(self):
        return ops.Relu.apply(self)

    def clamp(self, min=None, max=None):
        return ops.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min):  # noqa: A002
        return ops.ClampMin.apply(self, min)

    def softmax(self, dim):
        return ops.Softmax.apply(self, dim)

    def log_softmax(self, dim):
        return ops.LogSoftmax.apply(self, dim)

    # ------------------------------------------------------------------ reductions
    def sum(self, dim=None, keepdim=False):
        if dim is None and not keepdim:
            return ops.Sum.apply(self)
        return ops.SumDim.apply(self, dim, keepdim)

    def mean(self, dim=None, keepdim=False):
        if not self.dtype.is_floating_point:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                f"complex dtype. Got: {self.dtype.legacy_name[:-len('Tensor')]}"
            )
        if dim is None and not keepdim:
            return ops.Mean.apply(self)
        return ops.MeanDim.apply(self, dim, keepdim)

    def max(self, dim=None, keepdim=False):
        if dim is None:
            return ops.Max.apply(self)
        return ops.reduce_with_indices(ops.MaxDim, self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        if dim is None:
            return ops.Min.apply(self)
        return ops.reduce_with_indices(ops.MinDim, self, dim, keepdim)

    def prod(self, dim=None, keepdim=False, dtype=None):
        return ops.prod(self, dim, keepdim, dtype)

    def cumsum(self, dim=None, dtype=None):
        return ops.cumsum(self, dim, dtype)

    def cumprod(self, dim=None, dtype=None):
        return ops.cumprod(self, dim, dtype)

    def logsumexp(self, dim=None, keepdim=False):
        return ops.logsumexp(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return ops.var(self, dim, unbiased, keepdim, correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return ops.std(self, dim, unbiased, keepdim, correction)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return ops.norm(self, p, dim, keepdim, dtype)

    # ------------------------------------------------------------------ shapes and views
    def reshape(self, *shape):
        return ops.reshape(self, _shape_arg(shape))

    def view(self, *shape):
        return ops.View.apply(self, _shape_arg(shape))

    def view_as(self, other):
        return self.view(other.shape)

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return ops.flatten(self, start_dim, end_dim)

    def contiguous(self):
        """A tensor whose values are laid out row by row in memory: itself, or a copy (CloneBackward0)."""
        return self if self._data.flags.c_contiguous else ops.Clone.apply(self)

    def is_contiguous(self):
        return bool(self._data.flags.c_contiguous)

    @property
    def output_nr(self):
        """Which output of ``grad_fn`` this tensor is (0 for most ops)."""
        return self._output_nr

    def transpose(self, dim0, dim1):
        return ops.Transpose.apply(self, dim0, dim1)

    def t(self):
        return ops.T.apply(self)

    @property
    def T(self):
        if self.dim() == 0:
            warn_once("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.")
        elif self.dim() != 2:
            warn_once("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and "
                      "it will throw an error in a future release. Consider `x.mT` to transpose batches of matrices "
                      "or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
        return ops.Permute.apply(self, tuple(reversed(range(self.dim()))))

    def permute(self, *dims):
        return ops.Permute.apply(self, _shape_arg(dims))

    def squeeze(self, dim=None):
        if dim is None:
            return ops.Squeeze.apply(self)
        return ops.SqueezeDim.apply(self, dim)

    def unsqueeze(self, dim):
        return ops.Unsqueeze.apply(self, dim)

    def expand(self, *sizes):
        return ops.Expand.apply(self, _shape_arg(sizes))

    def expand_as(self, other):
        return self.expand(other.shape)

    def split(self, split_size, dim=0):
        return ops.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return ops.chunk(self, chunks, dim)

    def unbind(self, dim=0):
        return ops.unbind(self, dim)

    def gather(self, dim, index):
        return ops.gather(self, dim, index)

    def index_select(self, dim, index):
        return ops.index_select(self, dim, index)

    def tensor_split(self, indices_or_sections, dim=0):
        return ops.tensor_split(self, indices_or_sections, dim)

    def flip(self, *dims):
        return ops.flip(self, dims)

    def roll(self, shifts, dims=None):
        return ops.roll(self, shifts, dims)

    def repeat(self, *repeats):
        return ops.repeat(self, repeats)

    def tril(self, diagonal=0):
        return ops.triangle(ops.Tril, self, diagonal)

    def triu(self, diagonal=0):
        return ops.triangle(ops.Triu, self, diagonal)

    def diag(self, diagonal=0):
        return ops.diag(self, diagonal)

    def outer(self, vec2):
        return ops.outer(self, vec2)

    def where(self, condition, other):
        return ops.where(condition, self, other)

    def sort(self, dim=-1, descending=False, stable=False):
        return ops.sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return ops.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):  # noqa: A002
        return ops.topk(self, k, dim, largest, sorted)

    def masked_fill(self, mask, value):
        return ops.masked_fill(self, mask, value)

    def maximum(self, other):
        return ops.maximum(self, other)

    def minimum(self, other):
        return ops.minimum(self, other)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    def __setitem__(self, index, value):
        ops.setitem(self, index, value)

    def clone(self):
        return ops.Clone.apply(self)

    def to(self, *args, **kwargs):
        """``x.to(torch.float64)``, ``x.to("cpu")``, ``x.to("cpu", torch.float64)``, ``x.to(other)`` (its dtype and
        device): x itself when nothing changes (unless ``copy=True``), else a copy (ToCopyBackward0). Every
        tensor lives on the CPU: naming another device raises PyTorch's error (``devices.parse_to``)."""
        _, dtype, copy = devices.parse_to(args, kwargs)
        dtype = self.dtype if dtype is None else dtypes.check_supported(dtype)
        if dtype is self.dtype and not copy:
            return self
        return ops.ToCopy.apply(self, dtype)

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def long(self):
        return self.to(dtypes.int64)

    def bool(self):
        return self.to(dtypes.bool_)

    def type_as(self, other):
        return self.to(other.dtype)

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        """Raises PyTorch's ``Torch not compiled with CUDA enabled``: there is no GPU here."""
        devices.check("cuda" if device is None else device, "tensor")

    @property
    def device(self):
        """Where the values live: always ``device(type='cpu')``."""
        return devices.device("cpu")

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    def get_device(self):
        return -1  # PyTorch's answer for a tensor on the CPU

    def is_inference(self):
        """Was this tensor made inside ``inference_mode()`` (or is it a view of one)? See inference.py."""
        return self._version_counter is inference.NO_VERSION

    def type(self, dtype=None, non_blocking=False):
        """With no argument, the legacy type name (``'torch.FloatTensor'``); with a dtype or such a name, ``to``
        that dtype."""
        if dtype is None:
            return "torch." + self.dtype.legacy_name
        return self.to(dtypes.from_type_argument(dtype))

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        """``torch.tensor(data)`` with this tensor's dtype unless ``dtype`` is given."""
        return creation.new_tensor(self, data, dtype, device, requires_grad)

    def new_zeros(self, *size_args, size=None, dtype=None, device=None, requires_grad=False):
        return creation.new_filled("new_zeros", self, 0, size_args, size, dtype, device, requires_grad)

    def new_ones(self, *size_args, size=None, dtype=None, device=None, requires_grad=False):
        return creation.new_filled("new_ones", self, 1, size_args, size, dtype, device, requires_grad)

    def new_empty(self, *size_args, size=None, dtype=None, device=None, requires_grad=False):
        return creation.new_filled("new_empty", self, 0, size_args, size, dtype, device, requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        return creation.new_filled("new_full", self, fill_value, (), size, dtype, device, requires_grad)

    # ------------------------------------------------------------------ in place
    def add_(self, other, alpha=1):
        return ops.apply_in_place(self, ops.Add, _wrap(other, self), alpha)

    def sub_(self, other, alpha=1):
        return ops.apply_in_place(self, ops.Sub, _wrap(other, self), alpha)

    def mul_(self, other):
        return ops.apply_in_place(self, ops.Mul, _wrap(other, self))

    def div_(self, other):
        return ops.apply_in_place(self, ops.Div, _wrap(other, self))

    def zero_(self):
        return ops.apply_in_place(self, ops.Zero)

    def fill_(self, value):
        if isinstance(value, Tensor):
            if value.dim() != 0:
                raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                                   f"{value.dim()} dimensions.")
            return ops.apply_in_place(self, ops.FillTensor, value)
        return ops.apply_in_place(self, ops.Fill, value)

    def copy_(self, src):
        return ops.apply_in_place(self, ops.Copy, _wrap(src, self))

    def exp_(self):
        return ops.apply_in_place(self, ops.Exp)

    def log_(self):
        return ops.apply_in_place(self, ops.Log)

    def sqrt_(self):
        return ops.apply_in_place(self, ops.Sqrt)

    def log1p_(self):
        return ops.apply_in_place(self, ops.Log1p)

    def expm1_(self):
        return ops.apply_in_place(self, ops.Expm1)

    def erf_(self):
        return ops.apply_in_place(self, ops.Erf)

    def atan2_(self, other):
        return ops.apply_in_place(self, ops.Atan2, ops.tensor_argument(other, "atan2_", 1))

    def floor_(self):
        return ops.apply_in_place(self, ops.Floor)

    def ceil_(self):
        return ops.apply_in_place(self, ops.Ceil)

    def round_(self, *, decimals=None):
        if decimals is None:
            return ops.apply_in_place(self, ops.Round)
        return ops.apply_in_place(self, ops.RoundDecimals, int(decimals))

    def trunc_(self):
        return ops.apply_in_place(self, ops.Trunc)

    def abs_(self):
        return ops.apply_in_place(self, ops.Abs)

    def sign_(self):
        return ops.apply_in_place(self, ops.Sign)

    def sgn_(self):
        return ops.apply_in_place(self, ops.Sgn)

    def sin_(self):
        return ops.apply_in_place(self, ops.Sin)

    def cos_(self):
        return ops.apply_in_place(self, ops.Cos)

    def tanh_(self):
        return ops.apply_in_place(self, ops.Tanh)

    def sigmoid_(self):
        return ops.apply_in_place(self, ops.Sigmoid)

    def relu_(self):
        return ops.apply_in_place(self, ops.Relu)

    def neg_(self):
        return ops.apply_in_place(self, ops.Neg)

    def reciprocal_(self):
        return ops.apply_in_place(self, ops.Reciprocal)

    def pow_(self, exponent):
        if isinstance(exponent, Tensor):
            return ops.apply_in_place(self, ops.PowTensor, exponent)
        return ops.apply_in_place(self, ops.Pow, exponent)

    def clamp_(self, min=None, max=None):
        return ops.apply_in_place(self, ops.Clamp, min, max)

    def masked_fill_(self, mask, value):
        return ops.masked_fill_(self, mask, value)

    @_operator
    def __iadd__(self, other):
        return self.add_(other)

    @_operator
    def __isub__(self, other):
        return self.sub_(other)

    @_operator
    def __imul__(self, other):
        return self.mul_(other)

    @_operator
    def __itruediv__(self, other):
        return self.div_(other)


def _wrap(value, like):
    """A Python number as a 0-d tensor of the dtype PyTorch would use next to tensor ``like``."""
    if isinstance(value, Tensor):
        return value
    if not isinstance(value, _NUMBERS):
        raise TypeError(f"argument 'other' (position 1) must be Tensor, not {type(value).__name__}")
    if isinstance(value, np.ndarray):
        return Tensor(value)
    dt = dtypes.of_scalar(value)
    if dt.category <= like.dtype.category:
        dt = like.dtype
    return Tensor(np.asarray(value, dtype=dt.numpy_dtype))


def _shape_arg(args):
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple([int(n) for n in args])


# Imported last, as modules: they need the Tensor class above, and the Tensor's methods call into them.
from . import creation, engine, ops, views  # noqa: E402
from .function import AccumulateGrad  # noqa: E402
