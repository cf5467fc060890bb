"""Turn numpy arrays into text exactly the way PyTorch prints tensors.

``repr(torch.tensor(...))`` looks simple, but a handful of rules decide
every character.  This module spells those rules out one function at a
time, so that ``print(x)`` in autograd_nb shows the same text PyTorch 2.x
shows with its default print options::

    >>> import numpy as np
    >>> format_tensor(np.array([1.0, 2.5], dtype=np.float32))
    'tensor([1.0000, 2.5000])'
    >>> format_tensor(np.array([1.0, 2.0]), ["dtype=torch.float64"])
    'tensor([1., 2.], dtype=torch.float64)'

The big picture:

1. **Pick one number style for the whole tensor** (``_choose_style``).
   Floats that are all whole numbers print as ``1.``; otherwise they get
   four decimals ``1.0000``; a wide range of magnitudes switches everything
   to scientific notation ``1.0000e+05``.  Every number is right-aligned
   to one shared column width.
2. **Lay the numbers out** (``_layout``): nested brackets, one row per
   line for 2-d tensors, blank lines between 2-d blocks of a 3-d tensor,
   long rows wrapped at 80 characters, and big tensors (more than 1000
   elements) summarised with ``...``.
3. **Wrap it up** (``format_tensor``): ``tensor(`` + layout + keyword
   parts such as ``dtype=torch.float64`` or ``requires_grad=True`` + ``)``.

Only numpy is needed (and ``dtypes``, for the default float dtype); nothing here touches autograd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy as np

from . import dtypes

# PyTorch's default print options (``torch.set_printoptions(profile="default")``).
PRECISION = 4  # digits after the decimal point for floats
THRESHOLD = 1000  # tensors with more elements than this are summarised
EDGE_ITEMS = 3  # how many items a summary keeps at each end of a dimension
LINE_WIDTH = 80  # rows are wrapped so that lines stay within this width

# The (numpy dtype -> torch name) pairs PyTorch shows in ``dtype=...``.
_TORCH_DTYPE_NAMES = {
    np.dtype(np.float16): "torch.float16",
    np.dtype(np.float32): "torch.float32",
    np.dtype(np.float64): "torch.float64",
    np.dtype(np.int8): "torch.int8",
    np.dtype(np.int16): "torch.int16",
    np.dtype(np.int32): "torch.int32",
    np.dtype(np.int64): "torch.int64",
    np.dtype(np.uint8): "torch.uint8",
    np.dtype(np.bool_): "torch.bool",
}

# PyTorch leaves ``dtype=`` out for the default float type (float32 unless
# ``set_default_dtype`` changed it) and for the types that a Python literal
# would produce anyway (``tensor([1, 2])`` is int64, ``tensor([True])`` is bool).
_DTYPES_SHOWN_WITHOUT_SUFFIX = {np.dtype(np.int64), np.dtype(np.bool_)}


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    """``torch.set_printoptions(precision=2)``: how tensors print from now on. ``profile`` ("default", "short",
    "full") sets all four first; the others then override it. (``sci_mode`` is not supported: the choice between
    fixed and scientific notation stays automatic.)"""
    global PRECISION, THRESHOLD, EDGE_ITEMS, LINE_WIDTH
    if sci_mode is not None:
        raise NotImplementedError("autograd_nb's set_printoptions does not support sci_mode")
    if profile in _PROFILES:  # (PyTorch ignores a profile it does not know)
        PRECISION, THRESHOLD, EDGE_ITEMS, LINE_WIDTH = _PROFILES[profile]
    PRECISION = PRECISION if precision is None else precision
    THRESHOLD = THRESHOLD if threshold is None else threshold
    EDGE_ITEMS = EDGE_ITEMS if edgeitems is None else edgeitems
    LINE_WIDTH = LINE_WIDTH if linewidth is None else linewidth



def format_size(shape: Iterable[int]) -> str:
    """Return PyTorch's repr of a shape, e.g. ``torch.Size([2, 3])``."""
    return "torch.Size([" + ", ".join(str(int(n)) for n in shape) + "])"


def format_tensor(
    array: np.ndarray,
    suffixes: Sequence[str] = (),
    prefix: str = "tensor(",
) -> str:
    """Return the text PyTorch prints for a tensor holding ``array``.

    ``suffixes`` are the keyword parts that follow the numbers, already
    formatted and in order, e.g. ``["dtype=torch.float64",
    "requires_grad=True"]``; the caller decides which apply
    (``standard_suffixes`` knows PyTorch's rules).  The one keyword this
    function adds by itself is ``size=(...)`` for empty tensors, because
    ``[]`` alone cannot show a shape such as ``(0, 3)``; PyTorch puts it
    before all the others.

    ``prefix`` is the text before the numbers; nested lines are indented to
    line up just after it.
    """
    array = np.asarray(array)
    indent = len(prefix)
    suffixes = list(suffixes)

    if array.size == 0:
        body = "[]"
        if array.ndim != 1:  # a plain ``[]`` already means shape (0,)
            suffixes.insert(0, "size=" + _shape_tuple(array.shape))
    else:
        body = _format_contents(array, indent)

    return _attach_suffixes(prefix + body, suffixes, indent)


def standard_suffixes(
    array: np.ndarray,
    *,
    requires_grad: bool = False,
    grad_fn: str | None = None,
) -> list[str]:
    """Return the keyword parts PyTorch would print for a plain CPU tensor.

    * ``dtype=torch.X`` unless X is the default float dtype (float32), int64
      or bool -- except that an empty tensor shows every dtype other than the
      default float dtype, since there are no
      numbers to hint that it holds integers or booleans.
    * ``grad_fn=<Name>`` if the tensor was produced by a recorded operation
      (``grad_fn`` is the node's class name, e.g. ``"SumBackward0"``);
      otherwise ``requires_grad=True`` if it is a leaf that requires grad.

    ``size=(...)`` for empty tensors is not included: ``format_tensor``
    adds it itself.
    """
    array = np.asarray(array)
    suffixes = []
    default = dtypes.get_default_dtype().numpy_dtype  # float32 unless set_default_dtype changed it
    if array.size == 0:
        show_dtype = array.dtype != default
    elif array.dtype.kind == "f":
        show_dtype = array.dtype != default
    else:
        show_dtype = array.dtype not in _DTYPES_SHOWN_WITHOUT_SUFFIX
    if show_dtype:
        suffixes.append("dtype=" + _TORCH_DTYPE_NAMES.get(array.dtype, f"torch.{array.dtype}"))
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return suffixes


# ---------------------------------------------------------------------------
# Step 1: one number style for the whole tensor
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How every element of one tensor is written.

    kind:       "float", "int" or "bool".
    whole:      floats only -- every finite value is a whole number, so
                write ``3.`` instead of ``3.0000``.
    scientific: floats only -- write ``3.0000e+00``.
    width:      every element is right-aligned to this many characters.
    """

    kind: str
    whole: bool = False
    scientific: bool = False
    width: int = 1

    def render(self, value) -> str:
        """Write one element (a Python number), padded on the left to ``width``."""
        return self.bare_text(value).rjust(self.width)

    def bare_text(self, value) -> str:
        """Write one element without padding."""
        if self.kind != "float":
            return str(value)  # ints as digits, bools as True / False
        if self.scientific:
            return f"{value:.{PRECISION}e}"
        if self.whole:
            text = f"{value:.0f}"
            # The trailing dot marks the tensor as floating point: ``3.``.
            # nan and inf are left alone.
            return text + "." if math.isfinite(value) else text
        return f"{value:.{PRECISION}f}"


def _choose_style(visible: np.ndarray) -> _Style:
    """Decide how to write the numbers, looking only at those that are shown.

    Integers and bools are written with ``str``; the column width is the
    longest one (``tensor([ True, False])``).

    Floats look only at their finite, non-zero values:

    * if there are none (all zeros / nan / inf), use the whole-number style
      with width 1, so zeros print as ``0.`` and nothing is padded;
    * *whole* style (``1.``) when every such value is a whole number;
    * *scientific* style when the largest magnitude is more than 1000 times
      the smallest, or is above 1e8, or the smallest is below 1e-4;
    * the column width is the longest of those values when written in the
      chosen style.  Zeros, nan and inf do not count toward it (they are
      short anyway; if one is longer it simply sticks out).
    """
    values = visible.ravel()
    if values.dtype.kind == "b":
        return _Style("bool", width=_longest(str(v) for v in values.tolist()))
    if values.dtype.kind in "iu":
        return _Style("int", width=_longest(str(v) for v in values.tolist()))

    interesting = values[np.isfinite(values) & (values != 0)]
    if interesting.size == 0:
        return _Style("float", whole=True, scientific=False, width=1)

    whole = bool(np.all(interesting == np.ceil(interesting)))
    magnitudes = np.abs(interesting).astype(np.float64)
    smallest, largest = float(magnitudes.min()), float(magnitudes.max())
    scientific = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4

    style = _Style("float", whole=whole, scientific=scientific)
    width = _longest(style.bare_text(v) for v in interesting.tolist())
    return replace(style, width=width)


def _longest(texts: Iterable[str]) -> int:
    """Length of the longest text, and at least 1."""
    return max([1, *(len(t) for t in texts)])


# ---------------------------------------------------------------------------
# Step 2: lay the numbers out
# ---------------------------------------------------------------------------


def _format_contents(array: np.ndarray, indent: int) -> str:
    """The bracketed numbers of a non-empty tensor, e.g. ``[[1, 2],\\n [3, 4]]``.

    A tensor with more than THRESHOLD elements is *summarised*: each
    dimension longer than 2 * EDGE_ITEMS shows only its first and last
    EDGE_ITEMS entries with ``...`` between them.  The number style is then
    chosen from the shown elements only.
    """
    summarise = array.size > THRESHOLD
    visible = _shown_elements(array) if summarise else array
    style = _choose_style(visible)
    return _layout(array, indent, summarise, style)


def _shown_elements(array: np.ndarray) -> np.ndarray:
    """The sub-array a summary actually displays (edges of every long dimension)."""
    for axis, length in enumerate(array.shape):
        if length > 2 * EDGE_ITEMS:
            keep = [*range(EDGE_ITEMS), *range(length - EDGE_ITEMS, length)]
            array = np.take(array, keep, axis=axis)
    return array


def _layout(array: np.ndarray, indent: int, summarise: bool, style: _Style) -> str:
    """Bracket ``array`` recursively; ``indent`` is the column of its ``[``.

    * 0-d: just the number, e.g. ``3.``.
    * 1-d: see ``_layout_row``.
    * n-d: the sub-tensors are separated by ``,`` then a newline, then
      enough spaces to line up under the opening bracket's contents.  A 2-d
      tensor puts one row per line; each extra dimension adds one blank line
      between blocks (one blank line in 3-d, two in 4-d, ...).
      When summarising, a long dimension shows its first and last
      EDGE_ITEMS sub-tensors with a ``...`` line in between.
    """
    if array.ndim == 0:
        return style.render(array.item())
    if array.ndim == 1:
        return _layout_row(array, indent, summarise, style)

    def sub(i):
        return _layout(array[i], indent + 1, summarise, style)

    length = array.shape[0]
    if summarise and length > 2 * EDGE_ITEMS:
        parts = [sub(i) for i in range(EDGE_ITEMS)] + ["..."]
        parts += [sub(i) for i in range(length - EDGE_ITEMS, length)]
    else:
        parts = [sub(i) for i in range(length)]

    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _layout_row(row: np.ndarray, indent: int, summarise: bool, style: _Style) -> str:
    """Write a 1-d tensor, wrapping it onto several lines if it is long.

    Each element takes ``style.width + 2`` characters (the number plus
    ``", "``), and a line holds as many elements as fit in
    ``LINE_WIDTH - indent`` (at least one).  Continuation lines start one
    space after ``indent``, under the first number.
    When summarising a long row, the middle is replaced by a ``" ..."``
    entry that counts as one element for wrapping.
    """
    values = row.tolist()
    if summarise and len(values) > 2 * EDGE_ITEMS:
        texts = [style.render(v) for v in values[:EDGE_ITEMS]] + [" ..."]
        texts += [style.render(v) for v in values[-EDGE_ITEMS:]]
    else:
        texts = [style.render(v) for v in values]

    per_line = max(1, (LINE_WIDTH - indent) // (style.width + 2))
    lines = [", ".join(texts[i : i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


# ---------------------------------------------------------------------------
# Step 3: the keyword parts after the numbers
# ---------------------------------------------------------------------------


def _attach_suffixes(text: str, suffixes: Sequence[str], indent: int) -> str:
    """Append ``, keyword=...`` parts and the closing parenthesis.

    Each part goes on the current line if it fits within LINE_WIDTH,
    otherwise on a new line indented by ``indent``.  PyTorch's bookkeeping
    is slightly pessimistic and we copy it exactly: it takes the current
    line to be 2 characters longer than it is (only for the line the
    numbers end on), and a part needs room for itself plus ``", "``.
    """
    pieces = [text]
    column = len(text.rsplit("\n", 1)[-1]) + 2
    for suffix in suffixes:
        if column + len(suffix) + 2 > LINE_WIDTH:
            pieces.append(",\n" + " " * indent + suffix)
            column = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            column += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def _shape_tuple(shape: Sequence[int]) -> str:
    """Write a shape like a Python tuple, as PyTorch does in ``size=(0, 3)``."""
    return str(tuple(int(n) for n in shape))


# --- short forms: a few numbers in a label, a log line or a widget ------------------------------------
def format_number(v) -> str:
    """One number in four significant digits, the same on every machine: ``2.``, ``-0.3333``, ``1e-07``."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, complex):
        return f"{v.real:.4g}{v.imag:+.4g}j"
    text = f"{float(v):.4g}"
    return text + "." if text.lstrip("-").isdigit() else text  # 2.0 shows as "2.", as PyTorch prints it


def format_values(array: np.ndarray, limit: int) -> str:
    """The first ``limit`` numbers of an array, flattened: ``[1., 2.5, -0.3333, …]`` (a 0-d array: its number)."""
    array = np.asarray(array)
    if array.ndim == 0:
        return format_number(array.item())
    flat = array.reshape(-1)
    items = [format_number(v) for v in flat[:limit].tolist()]
    if flat.size > limit:
        items.append("…")
    return "[" + ", ".join(items) + "]"
