"""autograd_nb: PyTorch's autograd, rebuilt small on numpy so you can read how it works.

``import autograd_nb as torch`` runs PyTorch autograd lesson code: the same names, numbers, graph nodes,
reprs and error messages.
"""
import inspect

from . import autograd, nn, optim
from .creation import (arange, as_tensor, empty, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand,
                       rand_like, randint, randn, randn_like, randperm, tensor, zeros, zeros_like)
from .first_argument import checks_first_argument, type_error
from .dtypes import bool_ as bool  # noqa: A001  (torch.bool)
from .dtypes import dtype, float32, float64, int64
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .language import get_language, set_language
from .printing import set_printoptions
from .inference import inference_mode, is_inference_mode_enabled
from .ops import broadcast_tensors, cat, matmul, maximum, minimum, mm, stack, where
from .random import Generator, initial_seed, manual_seed
from .serialization import load, save
from .source import show_source
from . import accelerator, backends, cuda, func, linalg, ops, profiler, utils
from .creation import empty_like, normal
from .devices import device, get_default_device, set_default_device
from .dtypes import float16, get_default_dtype, int32, set_default_dtype
from .tensor import Size, Tensor
from .warn_once import is_warn_always_enabled, set_warn_always

float = float32  # noqa: A001
double = float64
long = int64
int = int32  # noqa: A001  (a name only: no tensor holds int32, see dtypes.check_supported)
half = float16  # (likewise)

__version__ = "0.1.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def exp(input):
    return input.exp()


def log(input):
    return input.log()


def log1p(input):
    return input.log1p()


def expm1(input):
    return input.expm1()


def erf(input):
    return input.erf()


def atan2(input, other):
    return ops.Atan2.apply(input, ops.tensor_argument(other, "atan2", 2))


def floor(input):
    return input.floor()


def ceil(input):
    return input.ceil()


def round(input, *, decimals=None):  # noqa: A001
    return input.round(decimals=decimals)


def trunc(input):
    return input.trunc()


def sqrt(input):
    return input.sqrt()


def abs(input):  # noqa: A001
    return input.abs()


def sin(input):
    return input.sin()


def cos(input):
    return input.cos()


def tanh(input):
    return input.tanh()


def sigmoid(input):
    return input.sigmoid()


def relu(input):
    return input.relu()


def clamp(input, min=None, max=None):  # noqa: A002
    return input.clamp(min, max)


def softmax(input, dim, dtype=None):
    return nn.functional.softmax(input, dim, dtype)


def log_softmax(input, dim, dtype=None):
    return nn.functional.log_softmax(input, dim, dtype)


def sum(input, dim=None, keepdim=False):  # noqa: A001
    return input.sum(dim, keepdim)


def mean(input, dim=None, keepdim=False):
    return input.mean(dim, keepdim)


def max(input, dim=None, keepdim=False):  # noqa: A001
    return input.max(dim, keepdim)


def min(input, dim=None, keepdim=False):  # noqa: A001
    return input.min(dim, keepdim)


def pow(input, exponent):  # noqa: A001
    return input ** exponent


def reshape(input, shape):
    return input.reshape(shape)


def transpose(input, dim0, dim1):
    return input.transpose(dim0, dim1)


def t(input):
    return input.t()


def permute(input, dims):
    return input.permute(dims)


def squeeze(input, dim=None):
    return input.squeeze(dim)


def unsqueeze(input, dim):
    return input.unsqueeze(dim)


def clone(input):
    return input.clone()


def add(input, other, alpha=1):
    return input.add(other, alpha)


def sub(input, other, alpha=1):
    return input.sub(other, alpha)


def mul(input, other):
    return input * other


def div(input, other):
    return input / other


def neg(input):
    return -input


def dot(input, other):
    return input.dot(other)


def mv(input, vec):
    return input.mv(vec)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return ops.isclose(input, other, rtol, atol, equal_nan, "allclose", position=2)._data.all().item()


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return ops.isclose(input, other, rtol, atol, equal_nan, "isclose", position=2)


def equal(input, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"equal(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    return input.equal(other)


def argmax(input, dim=None, keepdim=False):
    return input.argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return input.argmin(dim, keepdim)


def flatten(input, start_dim=0, end_dim=-1):
    return input.flatten(start_dim, end_dim)


def reciprocal(input):
    return input.reciprocal()


def sign(input):
    return input.sign()


def sgn(input):
    return input.sgn()


def clip(input, min=None, max=None):  # noqa: A002
    return input.clamp(min, max)


def isnan(input):
    return input.isnan()


def isinf(input):
    return input.isinf()


def isfinite(input):
    return input.isfinite()


def floor_divide(input, other):
    return input // other


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    return input.norm(p, dim, keepdim, dtype)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return input.std(dim, unbiased, keepdim, correction=correction)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return input.var(dim, unbiased, keepdim, correction=correction)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    return input.prod(dim, keepdim, dtype)


def cumsum(input, dim=None, *, dtype=None):
    return input.cumsum(dim, dtype)


def cumprod(input, dim=None, *, dtype=None):
    return input.cumprod(dim, dtype)


def logsumexp(input, dim=None, keepdim=False):
    return input.logsumexp(dim, keepdim)


def masked_fill(input, mask, value):
    return input.masked_fill(mask, value)


def gather(input, dim, index, *, sparse_grad=False):
    return input.gather(dim, index)


def index_select(input, dim, index):
    return ops.index_select(input, dim, index, position=3)


def tensor_split(input, indices_or_sections, dim=0):
    return input.tensor_split(indices_or_sections, dim)


def flip(input, dims):
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}")
    return ops.flip(input, (dims,))


def roll(input, shifts, dims=None):
    return input.roll(shifts, dims)


def tril(input, diagonal=0):
    return input.tril(diagonal)


def triu(input, diagonal=0):
    return input.triu(diagonal)


def diag(input, diagonal=0):
    return input.diag(diagonal)


def outer(input, vec2):
    return ops.outer(input, vec2, position=2)


def sort(input, dim=-1, descending=False, stable=False):
    return input.sort(dim, descending, stable)


def argsort(input, dim=-1, descending=False, stable=False):
    return input.argsort(dim, descending, stable)


def topk(input, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    return input.topk(k, dim, largest, sorted)


def split(tensor, split_size_or_sections, dim=0):
    return tensor.split(split_size_or_sections, dim)


def chunk(input, chunks, dim=0):
    return input.chunk(chunks, dim)


def unbind(input, dim=0):
    return input.unbind(dim)


# Every function here whose first parameter is ``input`` gets the check (not norm: PyTorch's is Python code
# that fails on the missing attribute, as ours does).
for _name, _function in list(globals().items()):
    if (not _name.startswith("_") and inspect.isfunction(_function) and _name != "norm"
            and next(iter(inspect.signature(_function).parameters), None) == "input"):
        globals()[_name] = checks_first_argument(_function, type_error(_name))
del _name, _function
