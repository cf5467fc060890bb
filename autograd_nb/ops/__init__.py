"""The operations, grouped by kind. Each is a ``Function`` with ``forward`` and ``backward`` side by side.

* ``arithmetic.py``: + - * / neg reciprocal pow
* ``pointwise.py``: exp log log1p expm1 sqrt abs sign sin cos erf atan2 clamp clamp_min
* ``rounding.py``: floor ceil round trunc
* ``activation.py``: sigmoid tanh relu softmax log_softmax
* ``smooth_activation.py``: softplus leaky_relu elu silu gelu
* ``reduction.py``: sum mean max min
* ``variance.py``, ``norm.py``, ``product.py``, ``cumsum.py``, ``cumprod.py``: var std, vector norms, prod, cumsum,
  cumprod
* ``logsumexp.py``: logsumexp
* ``views.py``: reshape/view transpose t permute squeeze unsqueeze expand clone to(dtype)
* ``rearrange.py``, ``triangle.py``, ``sorting.py``: flip roll repeat, tril triu diag, sort argsort topk
* ``pad.py``: constant padding (F.pad)
* ``indexing.py``: x[...] (select, slice, index)
* ``selection.py``: where cat stack
* ``split.py``, ``gather.py``, ``masked_fill.py``, ``maximum.py``: split chunk unbind tensor_split, gather index_select,
  masked_fill, maximum minimum
* ``linalg.py``: dot mv mm addmm matmul outer
* ``loss.py``: mse, nll, binary cross entropy
* ``inplace.py``: add_ mul_ zero_ copy_ ... and the rules autograd needs for them
* ``comparison.py``: == < > ... (no gradient)
* ``broadcast.py``: type promotion and ``unbroadcast`` (the adjoint of broadcasting)
"""
from .activation import LogSoftmax, Relu, Sigmoid, Softmax, Tanh
from .arithmetic import Add, Div, DivScalar, FloorDivide, Mul, Neg, Pow, PowTensor, Reciprocal, Rpow, Rsub, Sub
from .broadcast import broadcast_tensors
from .comparison import compare, isclose
from .indexing import Alias, FillTensor, Index, IndexPut, Select, Slice, Unindex, getitem, setitem
from .inplace import Copy, Fill, Zero, apply_in_place
from .linalg import Addmm, Bmm, Dot, Mm, Mv, matmul, mm, outer
from .loss import BinaryCrossEntropy, BinaryCrossEntropyWithLogits, MseLoss, NllLoss
from .pointwise import (Abs, Atan2, Clamp, ClampMin, Cos, Erf, Exp, Expm1, Log, Log1p, Sgn, Sign, Sin, Sqrt, clamp,
                        tensor_argument)
from .rounding import Ceil, Floor, Round, RoundDecimals, Trunc, round
from .reduction import Max, MaxDim, Mean, MeanDim, Min, MinDim, Sum, SumDim, arg_reduce, reduce_with_indices
from .smooth_activation import Elu, EluInPlace, Gelu, LeakyRelu, LeakyReluInPlace, Silu, Softplus
from .selection import Cat, Stack, Where, cat, stack, where
from .cumsum import Cumsum, cumsum
from .cumprod import Cumprod, cumprod
from .logsumexp import Logsumexp, logsumexp
from .pad import ConstantPadNd, pad
from .gather import Gather, IndexAdd, IndexSelect, ScatterAdd, gather, index_select
from .masked_fill import MaskedFill, MaskedFillTensor, masked_fill, masked_fill_
from .maximum import Maximum, Minimum, maximum, minimum
from .norm import VectorNorm, norm, vector_norm
from .product import Prod, ProdDim, prod
from .split import Split, SplitWithSizes, Unbind, chunk, split, tensor_split, unbind
from .rearrange import Flip, Repeat, Roll, flip, repeat, roll
from .triangle import DiagEmbed, Diagonal, Tril, Triu, diag, triangle
from .sorting import Sort, Topk, argsort, sort, topk
from .variance import Std, Var, std, var
from .views import (Clone, Expand, Permute, ReshapeAlias, Squeeze, SqueezeDim, T, ToCopy, Transpose, Unsqueeze,
                    UnsafeView, View, flatten, reshape)
