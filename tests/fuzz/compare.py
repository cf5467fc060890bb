"""The differences between two records of the same program (see ``worker.run_program``).

Statements are compared in order; within a statement: the error, then the warnings, then every variable
field by field (``TENSOR_FIELDS``'s order). A difference is a ``Mismatch``; its ``kind`` (the differing
field and the statement's op) is what the report groups by.
"""
import re
from dataclasses import dataclass

import numpy as np

TENSOR_FIELDS = ("dtype", "shape", "requires_grad", "is_leaf", "grad_fn", "retains_grad", "version",
                 "values", "grad")

# (rtol, atol) by dtype. float32 kernels of numpy and PyTorch may differ in the last bits (and sums may run
# in another order). A float64 result can carry such a float32 difference too (cos of a float32 tensor
# minus a float64 one), hence 1e-6 and not float64's own precision.
TOLERANCE = {"torch.float32": (1e-4, 1e-5), "torch.float64": (1e-6, 1e-6)}


@dataclass(frozen=True)
class Mismatch:
    step: int  # index of the statement after which it was seen
    op: str  # that statement's op label
    field: str  # 'error-only-ours:RuntimeError', 'error-message', 'warnings', 'values', 'grad_fn', ...
    var: str  # the variable, or '' for the statement as a whole
    expected: str  # PyTorch's side, shortened
    got: str  # autograd_nb's side, shortened

    @property
    def kind(self):
        return f"{self.field} @ {self.op}"

    @property
    def cause(self):
        """What the difference says whatever the op: the field, and both sides with variable names and
        numbers masked (for a graph, the names of the two root nodes; for values and gradients, the field
        alone). Kinds with the same cause are most likely one bug reached through different ops."""
        if self.field == "grad_fn":
            return (self.field, _root(self.expected), _root(self.got))
        if self.field in ("values", "value") or self.field.startswith("grad:"):
            return (self.field,)  # what differs is data: its shape and numbers tell nothing of the cause
        return (self.field, _mask(self.expected), _mask(self.got))

    def describe(self):
        where = f"{self.var}." if self.var else ""
        return (f"after statement {self.step + 1} ({self.op}): {where}{self.field}\n"
                f"    torch:       {self.expected}\n    autograd_nb: {self.got}")


_VARIABLE = re.compile(r"\b[ts]\d+\b")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_NODE = re.compile(r"'(\w+)'")


def _mask(text, limit=80):
    return _NUMBER.sub("#", _VARIABLE.sub("tN", text))[:limit]


def _root(text):
    m = _NODE.search(text)
    return m.group(1) if m else text[:20]


def short(value, limit=240):
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=5, separator=", ", threshold=24).replace("\n", "")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def same_array(a, b, dtype):
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return _same_plain(a, b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if dtype in TOLERANCE:
        rtol, atol = TOLERANCE[dtype]
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
    return bool(np.array_equal(a, b))


def _same_plain(a, b):
    """Equality for plain data (tuples, numbers, arrays inside), nan equal to nan, floats to a tolerance."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            return bool(np.allclose(a.astype(float), b.astype(float), rtol=1e-4, atol=1e-5, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return (a != a and b != b) or a == b or abs(a - b) <= 1e-5 + 1e-4 * abs(b)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same_plain(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def grad_difference(a, b):
    """How two ``.grad`` states differ: None when they agree, else a field name that says how
    (``grad:missing`` when only PyTorch has one, ``grad:unexpected`` when only autograd_nb has one)."""
    if a is None or b is None or not isinstance(a, dict) or not isinstance(b, dict):
        if _same_plain(a, b):
            return None
        return "grad:missing" if b is None else ("grad:unexpected" if a is None else "grad")
    for key in ("dtype", "shape", "requires_grad"):
        if a[key] != b[key]:
            return f"grad:{key}"
    return None if same_array(a["values"], b["values"], a["dtype"]) else "grad:values"


def grad_text(g):
    if not isinstance(g, dict):
        return short(g)
    rg = ", requires_grad=True" if g["requires_grad"] else ""
    return f"{short(g['values'])} ({g['dtype']}, shape {g['shape']}{rg})"


def compare_tensors(a, b):
    """The first field where two tensor states differ, with both sides shortened; or None."""
    for key in TENSOR_FIELDS:
        x, y = a[key], b[key]
        if key == "grad":
            how = grad_difference(x, y)
            if how is not None:
                return how, grad_text(x), grad_text(y)
        elif not (same_array(x, y, a["dtype"]) if key == "values" else _same_plain(x, y)):
            return key, short(x), short(y)
    return None


def compare(program_ops, expected, got, all_differences=False):
    """Mismatches between PyTorch's record ``expected`` and autograd_nb's ``got`` of a program whose
    statements have the op labels ``program_ops``. Only the first differing statement is reported unless
    ``all_differences`` (what follows it is usually its consequence)."""
    out = []
    for i, (sa, sb) in enumerate(zip(expected["steps"], got["steps"])):
        op = program_ops[i]
        found = _compare_step(i, op, sa, sb)
        out.extend(found)
        if found and not all_differences:
            break
    return out


def _compare_step(i, op, sa, sb):
    found = []
    ea, eb = sa["error"], sb["error"]
    if ea != eb:
        if eb is None:
            found.append(Mismatch(i, op, f"error-only-torch:{ea[0]}", "", f"{ea[0]}: {ea[1]}", "no error"))
        elif ea is None:
            found.append(Mismatch(i, op, f"error-only-ours:{eb[0]}", "", "no error", f"{eb[0]}: {eb[1]}"))
        elif ea[0] != eb[0]:
            found.append(Mismatch(i, op, "error-type", "", f"{ea[0]}: {ea[1]}", f"{eb[0]}: {eb[1]}"))
        else:
            found.append(Mismatch(i, op, "error-message", "", f"{ea[0]}: {ea[1]}", f"{eb[0]}: {eb[1]}"))
    if sa["warnings"] != sb["warnings"]:
        found.append(Mismatch(i, op, "warnings", "", short(sa["warnings"], 400), short(sb["warnings"], 400)))
    state_a, state_b = sa["state"], sb["state"]
    if list(state_a) != list(state_b):
        missing = [k for k in state_a if k not in state_b]
        extra = [k for k in state_b if k not in state_a]
        found.append(Mismatch(i, op, "variables", ", ".join(missing + extra), short(list(state_a)),
                              short(list(state_b))))
    for name, va in state_a.items():
        vb = state_b.get(name)
        if vb is None:
            continue
        if va[0] != vb[0]:
            found.append(Mismatch(i, op, "type", name, va[0], vb[0]))
        elif va[0] == "tensor":
            diff = compare_tensors(va[1], vb[1])
            if diff is not None:
                found.append(Mismatch(i, op, diff[0], name, diff[1], diff[2]))
        elif not _same_plain(va, vb):
            found.append(Mismatch(i, op, "value", name, short(va), short(vb)))
    return found
