"""Random programs over the public autograd API, written as source text that runs under either library.

A program is a function of (seed, index) alone: ``generate(seed, index)`` seeds its own ``random.Random``
from the pair, so the same seed gives the same programs in every process and on every machine.

The generator keeps a rough model of every variable (shape, dtype, requires_grad, leaf or not, what it
views, which leaves a gradient would reach) so that most statements it writes are well typed and run.
The model is only a guide: where it is wrong, the statement may raise, and that is compared like any other
outcome. About one program in five ends with a statement written to be wrong on purpose (a bad shape, a
bad dtype, a dim out of range, ...), so that error paths are compared too.
"""
import math
import random
from dataclasses import dataclass

import numpy as np

FLOAT = ("float32", "float64")
DTYPE_SRC = {"float32": "torch.float32", "float64": "torch.float64", "int64": "torch.int64", "bool": "torch.bool"}
_CATEGORY = {"bool": 0, "int64": 1, "float32": 2, "float64": 2}
_RANK = {"bool": 0, "int64": 1, "float32": 2, "float64": 3}

F = "torch.nn.functional"


@dataclass(frozen=True)
class Statement:
    src: str  # Python source; a ``with`` block spans several lines
    op: str  # a short name of what it does, used to group differences (``add_``, ``view``, ``backward``)
    wrong: bool = False  # written to fail


@dataclass(frozen=True)
class Program:
    seed: int
    index: int
    statements: tuple

    @property
    def sources(self):
        return tuple(s.src for s in self.statements)

    def text(self, library="torch"):
        return render(self.sources, library)


def render(sources, library="torch"):
    """A runnable snippet: the import, the ``calls`` list hooks write to, then the statements."""
    head = "import torch" if library == "torch" else f"import {library} as torch"
    lines = [head]
    if any("calls" in s for s in sources):
        lines.append("calls = []")
    lines.extend(sources)
    return "\n".join(lines) + "\n"


def last_line(sources, k):
    """The line number, in ``render(sources)``, of the last line of statement ``k``."""
    head = render(sources).count("\n") - sum(s.count("\n") + 1 for s in sources)
    return head + sum(s.count("\n") + 1 for s in sources[:k + 1])


@dataclass
class Var:
    """What the generator believes about one tensor variable."""

    name: str
    shape: tuple  # None when unknown (a boolean-mask selection): then it is treated as 1-d of unknown size
    dtype: str
    rg: bool = False  # requires_grad
    leaf: bool = True
    base: str = None  # the variable whose memory this one views
    contiguous: bool = True
    deps: frozenset = frozenset()  # leaves requiring grad that a backward from here would reach
    anc: frozenset = frozenset()  # every variable requiring grad in its history (inputs for autograd.grad)
    has_grad: bool = False  # a leaf whose .grad has been filled
    modified: bool = False  # changed in place at least once

    @property
    def known(self):
        return self.shape is not None

    @property
    def ndim(self):
        return 1 if self.shape is None else len(self.shape)

    @property
    def numel(self):
        return None if self.shape is None else math.prod(self.shape)

    @property
    def is_float(self):
        return self.dtype in FLOAT


# --- shapes and dtypes ---------------------------------------------------------------------------------
def broadcast(a, b):
    """The broadcast shape of a and b, or None when they do not broadcast."""
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        return None


def broadcasts_to(src, target):
    return broadcast(src, target) == tuple(target)


def promote(*operands):
    """PyTorch's result dtype. Operands are Vars or the Python types ``'bool'``, ``'int'``, ``'float'``.
    Tensors with dimensions outrank 0-d tensors of the same category, which outrank Python numbers."""
    tensors = [o for o in operands if isinstance(o, Var)]
    best = None
    for group in ([t.dtype for t in tensors if t.ndim > 0], [t.dtype for t in tensors if t.ndim == 0]):
        if group:
            top = max(group, key=_RANK.get)
            if best is None or _CATEGORY[top] > _CATEGORY[best]:
                best = top
    for o in operands:
        if isinstance(o, str):
            cat = {"bool": 0, "int": 1, "float": 2}[o]
            if best is None or cat > _CATEGORY[best]:
                best = {"bool": "bool", "int": "int64", "float": "float32"}[o]
    return best


def norm_dim(d, nd):
    return d + max(nd, 1) if d < 0 else d


# --- literals ------------------------------------------------------------------------------------------
FLOATS = (0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1.5, -1.5, 3.0, 0.25, -0.75)
SPECIAL = (math.nan, math.inf, -math.inf)
INTS = (-2, -1, 0, 1, 2, 3)


def number(x, dtype):
    if dtype == "bool":
        return "True" if x else "False"
    if dtype == "int64":
        return str(int(x))
    if math.isnan(x):
        return "float('nan')"
    if math.isinf(x):
        return "float('inf')" if x > 0 else "-float('inf')"
    return repr(float(x))


def nested(shape, element):
    if not shape:
        return element()
    return "[" + ", ".join(nested(shape[1:], element) for _ in range(shape[0])) + "]"


class Builder:
    """Writes one program, statement by statement, keeping the model of its variables."""

    def __init__(self, rng):
        self.rng = rng
        self.vars = {}  # name -> Var, in the order they were made
        self.count = 0
        self.grad_on = True
        self.special = rng.random() < 0.25  # this program's data may hold nan and inf
        self.empty = rng.random() < 0.12  # ... and empty tensors
        self.handles = []  # names of hook handles not yet removed
        self.second_order = set()  # gradients made with create_graph=True

    def writable(self, v):
        """May ``v`` be changed in place? Not a leaf requiring grad, nor a view of one (with grad mode on)."""
        if not self.grad_on:
            return True
        base = self.vars.get(v.base)
        return not (v.leaf and v.rg) and not (base is not None and base.leaf and base.rg)

    # --- helpers ---------------------------------------------------------------------------------------
    def name(self, prefix="t"):
        n = f"{prefix}{self.count}"
        self.count += 1
        return n

    def chance(self, p):
        return self.rng.random() < p

    def choice(self, seq, weights=None):
        seq = list(seq)
        if weights is None:
            return seq[self.rng.randrange(len(seq))]
        return self.rng.choices(seq, weights=weights)[0]

    def pick(self, pred=lambda v: True):
        """A tensor variable satisfying ``pred``, the recent ones more likely (chains get deep)."""
        cands = [v for v in self.vars.values() if pred(v)]
        if not cands:
            return None
        return self.rng.choices(cands, weights=[1 + 2 * i for i in range(len(cands))])[0]

    def element(self, dtype, pool=None):
        if dtype == "bool":
            return lambda: number(self.chance(0.5), "bool")
        if dtype == "int64":
            return lambda: number(self.choice(INTS), "int64")
        if pool is not None:  # values with a meaning (targets, weights): no nan or inf
            return lambda: number(self.choice(pool), dtype)
        return lambda: number(self.choice(SPECIAL) if self.special and self.chance(0.12) else self.choice(FLOATS),
                              dtype)

    def literal(self, shape, dtype, pool=None, requires_grad=False):
        """``torch.tensor(...)`` of the given shape and dtype, or ``torch.zeros`` for a shape a nested list
        cannot spell (a 0 before the last dimension)."""
        kw = []
        if 0 in shape[:-1]:
            text = f"torch.zeros({shape!r}"
            if dtype != "float32":
                kw.append(f"dtype={DTYPE_SRC[dtype]}")
        else:
            text = "torch.tensor(" + nested(shape, self.element(dtype, pool))
            empty_needs_dtype = 0 in shape and dtype != "float32"
            if dtype == "float64" or empty_needs_dtype:
                kw.append(f"dtype={DTYPE_SRC[dtype]}")
        if requires_grad:
            kw.append("requires_grad=True")
        return text + "".join(", " + k for k in kw) + ")"

    def random_shape(self):
        nd = self.choice((0, 1, 2, 3), (2, 5, 5, 2))
        sizes = []
        for _ in range(nd):
            sizes.append(0 if self.empty and self.chance(0.2) else self.choice((1, 2, 3, 4), (2, 4, 4, 1)))
        return tuple(sizes)

    def related_shape(self, shape):
        """A shape that broadcasts with ``shape``: itself, a suffix of it, or it with some sizes set to 1."""
        form = self.choice(("same", "suffix", "ones"))
        if form == "same":
            return tuple(shape)
        if form == "suffix":
            return tuple(shape[self.rng.randint(0, len(shape)):])
        return tuple(1 if self.chance(0.5) else n for n in shape)

    def scalar(self, kind=None):
        kind = kind or self.choice(("int", "float"), (1, 2))
        if kind == "int":
            return str(self.choice(INTS)), "int"
        if kind == "bool":
            return self.choice(("True", "False")), "bool"
        return repr(self.choice((0.5, -1.5, 2.0, 0.0, 3.0, -0.25))), "float"

    def add(self, name, shape, dtype, inputs=(), view_of=None, contiguous=True, rg=None, leaf=None):
        """Record a new variable made by an op on ``inputs`` (its requires_grad follows theirs)."""
        if rg is None:
            rg = self.grad_on and dtype in FLOAT and any(v.rg for v in inputs)
        deps = frozenset().union(*[v.deps for v in inputs]) if rg else frozenset()
        anc = frozenset().union(*[v.anc for v in inputs]).union({name}) if rg else frozenset()
        base = None
        if view_of is not None:
            base = view_of.base or view_of.name
        v = Var(name, shape, dtype, rg=rg, leaf=not rg if leaf is None else leaf, base=base,
                contiguous=contiguous, deps=deps, anc=anc)
        self.vars[name] = v
        return v

    def changed_in_place(self, target, sources=()):
        """The model after ``target`` was written in place with values from ``sources``."""
        target.modified = True
        if self.grad_on and any(s.rg for s in sources) and target.is_float:
            for v in (target, self.vars.get(target.base)):
                if v is not None:
                    v.deps = v.deps.union(*[s.deps for s in sources])
                    v.anc = v.anc.union(*[s.anc for s in sources]).union({v.name})
                    v.rg, v.leaf = True, False

    def stmt(self, src, op, wrong=False):
        return Statement(src, op, wrong)

    def dim_arg(self, v, wrong=False):
        nd = max(v.ndim, 1)
        if wrong:
            return self.choice((nd, nd + 1, -nd - 1))
        return self.rng.randint(-nd, nd - 1)


# --- statement kinds ---------------------------------------------------------------------------------
# Each takes the builder and ``wrong`` (write a statement that should fail) and returns a Statement, or
# None when it does not apply to the variables at hand. Each updates the model only once it has decided.

def make_creation(b, wrong=False, shape=None):
    shape = b.random_shape() if shape is None else shape
    dtype = b.choice(("float32", "float64", "int64", "bool"), (11, 4, 3, 2))
    rg = dtype in FLOAT and b.chance(0.6)
    if wrong:
        dtype, rg = b.choice(("int64", "bool")), True
    name = b.name()
    form = b.choice(("literal", "ones", "full", "arange", "like"), (11, 4, 2, 2, 1))
    dkw = "" if dtype == "float32" else f", dtype={DTYPE_SRC[dtype]}"
    gkw = ", requires_grad=True" if rg else ""
    if form == "ones":
        fn = b.choice(("ones", "zeros"))
        size = ", ".join(map(str, shape)) if shape and b.chance(0.5) else repr(shape)
        src = f"{name} = torch.{fn}({size}{dkw}{gkw})"
    elif form == "full":
        value = {"float32": "1.5", "float64": "-0.5", "int64": "2", "bool": "True"}[dtype]
        if dtype == "float64" or b.chance(0.3):
            src = f"{name} = torch.full({shape!r}, {value}{dkw}{gkw})"
        else:
            src = f"{name} = torch.full({shape!r}, {value}{gkw})"
    elif form == "arange" and dtype != "bool":
        n = b.choice((1, 2, 3, 4, 6))
        if dtype == "int64":
            src = f"{name} = torch.arange({n}{gkw})"
        elif dtype == "float32" and b.chance(0.5):
            src = f"{name} = torch.arange(-1.0, {n / 2 - 1}, 0.5{gkw})"
        else:
            src = f"{name} = torch.arange({n}{', dtype=' + DTYPE_SRC[dtype]}{gkw})"
        shape = (n,)
    elif form == "like" and not wrong and b.pick(lambda v: v.known):
        other = b.pick(lambda v: v.known)
        shape, fn = other.shape, b.choice(("ones_like", "zeros_like"))
        dtype = other.dtype if b.chance(0.6) else dtype
        rg = rg and dtype in FLOAT
        dkw = "" if dtype == other.dtype else f", dtype={DTYPE_SRC[dtype]}"
        src = f"{name} = torch.{fn}({other.name}{dkw}{', requires_grad=True' if rg else ''})"
    else:
        src = f"{name} = {b.literal(shape, dtype, requires_grad=rg)}"
    if not wrong:
        v = b.add(name, shape, dtype, rg=rg, leaf=True)
        if rg:
            v.deps, v.anc = frozenset({name}), frozenset({name})
    return b.stmt(src, "create", wrong)


def make_binary(b, wrong=False):
    x = b.pick(lambda v: v.known and v.dtype != "bool" or wrong)
    if x is None:
        return None
    op = b.choice(("+", "-", "*", "/", "**"), (3, 2, 3, 2, 1))
    form = b.choice(("tensor", "scalar", "rscalar", "method"), (5, 2, 2, 2))
    name = b.name()
    if wrong:  # shapes that do not broadcast
        if not x.shape or x.shape[-1] == 1:
            return None
        n = x.shape[-1] + 1
        return b.stmt(f"{name} = {x.name} {op} torch.ones({n})", op, wrong=True)
    if form in ("scalar", "rscalar"):
        text, kind = b.scalar()
        if op == "**" and form == "scalar":
            text, kind = b.choice((("2", "int"), ("3", "int"), ("0.5", "float"), ("-1", "int"), ("0", "int"),
                                   ("2.0", "float")))
            if kind == "int" and text.startswith("-") and not x.is_float:
                text, kind = "-1.0", "float"
        dtype = promote(x, kind)
        if op == "/" and dtype not in FLOAT:
            dtype = "float32"
        src = f"{name} = {x.name} {op} {text}" if form == "scalar" else f"{name} = {text} {op} {x.name}"
        b.add(name, x.shape, dtype, [x])
        return b.stmt(src, op if form == "scalar" else "r" + op)
    y = b.pick(lambda v: v.known and v.dtype != "bool" and broadcast(v.shape, x.shape) is not None)
    shape = broadcast(x.shape, y.shape)
    dtype = promote(x, y)
    if op == "/" and dtype not in FLOAT:
        dtype = "float32"
    if op == "**" and dtype not in FLOAT:
        op = "*"  # int ** int tensor raises on negative exponents, which the model cannot see
    if form == "method":
        meth = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow"}[op]
        if b.chance(0.4):
            src = f"{name} = torch.{meth}({x.name}, {y.name})"
            label = f"torch.{meth}"
        elif meth in ("add", "sub") and b.chance(0.4):
            src = f"{name} = {x.name}.{meth}({y.name}, alpha={b.choice((2, -1, 0.5))})"
            label = f"{meth}(alpha)"
            if not x.is_float and not y.is_float and "." in src.split("alpha=")[1]:
                dtype = "float32"
        else:
            src = f"{name} = {x.name}.{meth}({y.name})"
            label = meth
    else:
        src, label = f"{name} = {x.name} {op} {y.name}", op
    b.add(name, shape, dtype, [x, y])
    return b.stmt(src, label)


UNARY_FLOAT = ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "reciprocal")
UNARY_SAME = ("abs", "sign", "neg", "relu")
NO_MODULE_FORM = ("neg",)  # written as -x or x.neg() only


def make_unary(b, wrong=False):
    x = b.pick(lambda v: (v.dtype == "bool") == wrong)
    if x is None:
        return None
    name = b.name()
    op = b.choice(UNARY_FLOAT + UNARY_SAME + ("clamp", "-x", "convert"), [3] * 8 + [2, 1, 1, 2] + [3, 1, 2])
    dtype = x.dtype
    if op in UNARY_FLOAT and not x.is_float:
        dtype = "float32"
    if op == "clamp":
        lo, hi = b.choice(((-1.0, 1.0), (0.0, None), (None, 0.5), (-0.5, 2.0), (0, 1), (None, None)),
                          (3, 2, 2, 1, 1, 1 if wrong else 0))
        if not x.is_float and any(isinstance(v, float) for v in (lo, hi)):
            dtype = "float32"
        fn = b.choice(("clamp", "clip"), (3, 1))
        args = ", ".join(f"{k}={v}" for k, v in (("min", lo), ("max", hi)) if v is not None)
        if lo is not None and hi is not None and b.chance(0.5):
            args = f"{lo}, {hi}"
        if b.chance(0.25):
            src, label = f"{name} = torch.{fn}({x.name}{', ' if args else ''}{args})", f"torch.{fn}"
        else:
            src, label = f"{name} = {x.name}.{fn}({args})", fn
    elif op == "-x":
        src, label = f"{name} = -{x.name}", "-x"
    elif op == "convert":
        dtype = b.choice(FLOAT + ("int64",) if not wrong else ("bool",))
        form = b.choice(("to", "method"))
        meth = {"float32": "float", "float64": "double", "int64": "long", "bool": "bool"}[dtype]
        src = f"{name} = {x.name}.to({DTYPE_SRC[dtype]})" if form == "to" else f"{name} = {x.name}.{meth}()"
        label = "to" if form == "to" else meth
        if wrong:  # converting a bool tensor cannot fail; negating one does
            src, label = f"{name} = -{x.name}", "-x"
    else:
        if op not in NO_MODULE_FORM and b.chance(0.2):
            src, label = f"{name} = torch.{op}({x.name})", f"torch.{op}"
        elif op == "relu" and b.chance(0.2):
            src, label = f"{name} = {F}.relu({x.name})", "F.relu"
        else:
            src, label = f"{name} = {x.name}.{op}()", op
    if not wrong:
        b.add(name, x.shape, dtype, [x])
    return b.stmt(src, label, wrong)


def make_reduction(b, wrong=False):
    x = b.pick(lambda v: v.dtype != "bool")
    if x is None:
        return None
    name = b.name()
    op = b.choice(("sum", "mean", "max", "min", "argmax", "argmin"), (4, 3, 3, 2, 1, 1))
    if wrong:
        kind = b.choice(("dim", "int-mean", "empty-max"))
        if kind == "int-mean" and not x.is_float:
            return b.stmt(f"{name} = {x.name}.mean()", "mean", True)
        if kind == "empty-max" and x.known and x.numel == 0:
            return b.stmt(f"{name} = {x.name}.max()", "max", True)
        d = b.dim_arg(x, wrong=True)
        return b.stmt(f"{name} = {x.name}.{op}({d})", op, True)
    if op == "mean" and not x.is_float:
        op = "sum"
    if op in ("max", "min", "argmax", "argmin") and x.known and x.numel == 0:
        op = "sum"  # max of nothing raises, which is only wanted when asked for
    use_dim = x.known and b.chance(0.55)
    if not use_dim:
        dtype = "int64" if op.startswith("arg") else ("int64" if op == "sum" and x.dtype == "bool" else x.dtype)
        form = b.chance(0.2) and not op.startswith("arg")
        src = f"{name} = torch.{op}({x.name})" if form else f"{name} = {x.name}.{op}()"
        b.add(name, (), dtype, [] if op.startswith("arg") else [x])
        return b.stmt(src, f"torch.{op}" if form else op)
    d = b.dim_arg(x)
    keep = b.chance(0.4)
    nd = x.ndim
    dn = norm_dim(d, nd)
    shape = tuple(1 if i == dn else n for i, n in enumerate(x.shape)) if keep else \
        tuple(n for i, n in enumerate(x.shape) if i != dn)
    if op in ("max", "min") and x.shape and x.shape[dn] == 0:
        op = "sum"
    args = f"{d}, keepdim=True" if keep else (f"dim={d}" if b.chance(0.4) else str(d))
    if op in ("sum", "mean") and nd >= 2 and not keep and b.chance(0.15):
        d2 = (dn + 1) % nd
        args = f"({dn}, {d2})"
        shape = tuple(n for i, n in enumerate(x.shape) if i not in (dn, d2))
    if op in ("sum", "mean"):
        if b.chance(0.2):
            src, label = f"{name} = torch.{op}({x.name}, {args})", f"torch.{op}(dim)"
        else:
            src, label = f"{name} = {x.name}.{op}({args})", f"{op}(dim)"
        b.add(name, shape, x.dtype, [x])
        return b.stmt(src, label)
    if op.startswith("arg"):
        b.add(name, shape, "int64", [])
        return b.stmt(f"{name} = {x.name}.{op}({args})", f"{op}(dim)")
    form = b.choice(("values", "unpack", "index", "tuple"), (3, 3, 1, 1))
    call = f"{x.name}.{op}({args})" if b.chance(0.8) else f"torch.{op}({x.name}, {args})"
    label = f"{op}(dim)"
    if form == "unpack":
        other = b.name()
        b.add(name, shape, x.dtype, [x])
        b.add(other, shape, "int64", [])
        return b.stmt(f"{name}, {other} = {call}", label)
    if form == "tuple":  # kept as the (values, indices) pair itself
        return b.stmt(f"{name} = {call}", label)
    if form == "values":
        attr = b.choice(("values", "indices"), (3, 1))
    else:
        attr = b.choice(("[0]", "[1]"))
    ints = attr in ("indices", "[1]")
    b.add(name, shape, "int64" if ints else x.dtype, [] if ints else [x])
    return b.stmt(f"{name} = {call}{'' if attr.startswith('[') else '.'}{attr}", label)


def factor_shape(b, n):
    """A random shape with ``n`` elements, and how to spell it (sometimes with a -1)."""
    if n == 0:
        shape = b.choice(((0,), (0, 2), (2, 0), (1, 0)))
        return shape, shape
    factors = []
    m = n
    for p in (2, 3):
        while m % p == 0:
            factors.append(p)
            m //= p
    if m > 1:
        factors.append(m)
    b.rng.shuffle(factors)
    nd = b.rng.randint(1, 3)
    dims = [1] * nd
    for f in factors:
        dims[b.rng.randrange(nd)] *= f
    if b.chance(0.2):
        dims.insert(b.rng.randrange(len(dims) + 1), 1)
    shape = tuple(dims)
    if b.chance(0.3):
        k = b.rng.randrange(len(dims))
        dims[k] = -1
    return shape, tuple(dims)


def make_view(b, wrong=False):
    x = b.pick(lambda v: v.known)
    if x is None:
        return None
    nd = x.ndim
    forms = ["reshape", "view", "transpose", "T", "permute", "unsqueeze", "squeeze", "expand", "flatten",
             "ellipsis", "contiguous", "t"]
    weights = [3, 3 if x.contiguous else 0, 2 if nd >= 1 else 0, 1, 2, 2, 2, 2, 1, 1, 1, 2 if nd <= 2 else 0]
    form = b.choice(forms, weights)
    name = b.name()
    s = x.shape
    shape, contiguous, is_view = s, x.contiguous, True
    if wrong:
        bad = {
            "reshape": f"{x.name}.reshape({(x.numel or 0) + 1})",
            "view": f"{x.name}.view({(x.numel or 0) + 1})" if x.contiguous else f"{x.name}.view(-1)",
            "transpose": f"{x.name}.transpose(0, {nd + 1})",
            "permute": f"{x.name}.permute({', '.join(map(str, range(nd + 1)))})",
            "unsqueeze": f"{x.name}.unsqueeze({nd + 2})" if b.chance(0.7) else f"{x.name}.unsqueeze()",
            "squeeze": f"{x.name}.squeeze({nd + 1})",
            "expand": f"{x.name}.expand({', '.join(str(n + 1) if n > 1 else '2' for n in s) or '2, 0'})",
            "t": f"{x.name}.t()" if nd > 2 else f"{x.name}.transpose({nd}, 0)",
        }
        if nd == 3 and x.contiguous is False:
            bad["view"] = f"{x.name}.view(-1)"
        key = form if form in bad else "reshape"
        if key == "expand" and not any(n > 1 for n in s):
            key = "reshape"
        return b.stmt(f"{name} = {bad[key]}", key, True)
    if form in ("reshape", "view"):
        shape, spelled = factor_shape(b, x.numel)
        if x.numel == 0 and -1 in spelled:
            spelled = shape
        if len(spelled) == 1 and b.chance(0.5):
            arg = str(spelled[0]) if b.chance(0.5) else f"({spelled[0]},)"
        elif b.chance(0.3):
            arg = repr(spelled)
        else:
            arg = ", ".join(map(str, spelled))
        src, label = f"{name} = {x.name}.{form}({arg})", form
        if form == "reshape" and b.chance(0.15):
            src, label = f"{name} = torch.reshape({x.name}, {tuple(spelled)!r})", "torch.reshape"
        if form == "reshape" and not x.contiguous:
            is_view = False
        contiguous = True
    elif form == "transpose":
        d0, d1 = b.dim_arg(x), b.dim_arg(x)
        a, c = norm_dim(d0, nd), norm_dim(d1, nd)
        lst = list(s)
        lst[a], lst[c] = lst[c], lst[a]
        shape, contiguous = tuple(lst), x.contiguous and a == c
        src = f"{name} = {x.name}.transpose({d0}, {d1})" if b.chance(0.8) else \
            f"{name} = torch.transpose({x.name}, {d0}, {d1})"
        label = "transpose"
    elif form == "t":
        shape = tuple(reversed(s))
        contiguous = x.contiguous and nd < 2
        src, label = (f"{name} = {x.name}.t()", "t") if b.chance(0.8) else (f"{name} = torch.t({x.name})", "torch.t")
    elif form == "T":
        shape, contiguous = tuple(reversed(s)), x.contiguous and nd < 2
        src, label = f"{name} = {x.name}.T", "T"
    elif form == "permute":
        perm = list(range(nd))
        b.rng.shuffle(perm)
        shape = tuple(s[p] for p in perm)
        contiguous = x.contiguous and perm == sorted(perm)
        spelled = ", ".join(map(str, perm))
        choice = b.choice(("args", "tuple", "torch"))
        if choice == "args" and nd:
            src = f"{name} = {x.name}.permute({spelled})"
        elif choice == "torch":
            src = f"{name} = torch.permute({x.name}, {tuple(perm)!r})"
        else:
            src = f"{name} = {x.name}.permute({tuple(perm)!r})"
        label = "torch.permute" if choice == "torch" else "permute"
    elif form == "unsqueeze":
        d = b.rng.randint(-nd - 1, nd)
        dn = d + nd + 1 if d < 0 else d
        shape = s[:dn] + (1,) + s[dn:]
        src, label = f"{name} = {x.name}.unsqueeze({d})", "unsqueeze"
        if b.chance(0.2):
            src, label = f"{name} = torch.unsqueeze({x.name}, {d})", "torch.unsqueeze"
    elif form == "squeeze":
        if b.chance(0.4) or not s:
            shape = tuple(n for n in s if n != 1)
            src, label = f"{name} = {x.name}.squeeze()", "squeeze()"
        else:
            ones = [i for i, n in enumerate(s) if n == 1]
            d = b.choice(ones) if ones and b.chance(0.7) else b.dim_arg(x)
            dn = norm_dim(d, nd)
            shape = tuple(n for i, n in enumerate(s) if not (i == dn and n == 1))
            src, label = f"{name} = {x.name}.squeeze({d})", "squeeze(dim)"
    elif form == "expand":
        sizes, target = [], []
        if len(s) < 3 and b.chance(0.4):
            k = b.choice((1, 2, 3))
            sizes.append(str(k))
            target.append(k)
        for n in s:
            if n == 1 and b.chance(0.7):
                k = b.choice((2, 3, 1))
                sizes.append(str(k))
                target.append(k)
            else:
                sizes.append("-1" if b.chance(0.5) else str(n))
                target.append(n)
        shape = tuple(target)
        contiguous = x.contiguous and shape == s
        spelled = ", ".join(sizes)
        if not sizes:
            src = f"{name} = {x.name}.expand(())"
        elif b.chance(0.3):
            src = f"{name} = {x.name}.expand({'(' + spelled + (',)' if len(sizes) == 1 else ')')})"
        else:
            src = f"{name} = {x.name}.expand({spelled})"
        if b.chance(0.15) and b.pick(lambda v: v.known and v.shape == shape):
            other = b.pick(lambda v: v.known and v.shape == shape)
            src = f"{name} = {x.name}.expand_as({other.name})"
        label = "expand"
    elif form == "flatten":
        shape = (x.numel,)
        is_view = x.contiguous and nd != 1
        contiguous = True
        src, label = (f"{name} = {x.name}.flatten()", "flatten") if b.chance(0.8) else \
            (f"{name} = torch.flatten({x.name})", "torch.flatten")
    elif form == "contiguous":
        is_view = x.contiguous
        contiguous = True
        src, label = f"{name} = {x.name}.contiguous()", "contiguous"
    else:
        src, label = f"{name} = {x.name}[...]", "[...]"
    b.add(name, shape, x.dtype, [x], view_of=x if is_view else None, contiguous=contiguous)
    return b.stmt(src, label)


def basic_index(b, x, wrong=False):
    """An index expression for ``x`` (without the brackets), the shape it selects, whether the selection
    is a view, and a short label."""
    s = x.shape
    nd = len(s)
    if wrong:  # (text, label) only
        if nd == 0:
            return "0", "[int]"
        return b.choice(((f"{s[0] + 1}", "[int]"), (", ".join(["0"] * (nd + 1)), "[too many]"),
                         (f"[0, {s[0] + 2}]", "[list]")))
    forms = ["ellipsis", "none"]
    if nd >= 1 and s[0] > 0:
        forms += ["int", "int", "slice", "list", "tensor-index", "mask"]
    if nd >= 1:
        forms += ["slice", "step", "gt"]
    if nd >= 2 and s[1] > 0:
        forms += ["col", "col-list"]
    form = b.choice(forms)
    if form == "int":
        k = b.rng.randint(-s[0], s[0] - 1)
        return str(k), s[1:], True, "[int]"
    if form == "col":
        k = b.rng.randint(-s[1], s[1] - 1)
        if b.chance(0.3):
            return f"..., {k}" if nd == 2 else f":, {k}", s[:1] + s[2:], True, "[:, int]"
        return f":, {k}", s[:1] + s[2:], True, "[:, int]"
    if form == "slice":
        a = b.rng.randint(-3, 3)
        c = b.choice((None, b.rng.randint(-2, 4)))
        sl = slice(a, c)
        return f"{a}:{'' if c is None else c}", (len(range(s[0])[sl]),) + s[1:], True, "[slice]"
    if form == "step":
        return "::2", (len(range(s[0])[::2]),) + s[1:], True, "[::2]"
    if form == "none":
        if nd and b.chance(0.5):
            return ":, None", s[:1] + (1,) + s[1:], True, "[None]"
        return "None", (1,) + s, True, "[None]"
    if form == "ellipsis":
        return "...", s, True, "[...]"
    if form == "list":
        ks = [b.rng.randint(-s[0], s[0] - 1) for _ in range(b.rng.randint(1, 3))]
        return repr(ks), (len(ks),) + s[1:], False, "[list]"
    if form == "tensor-index":
        ks = [b.rng.randint(0, s[0] - 1) for _ in range(b.rng.randint(1, 3))]
        return f"torch.tensor({ks!r})", (len(ks),) + s[1:], False, "[tensor]"
    if form == "col-list":
        ks = [b.rng.randint(0, s[1] - 1) for _ in range(b.rng.randint(1, 2))]
        return f":, {ks!r}", s[:1] + (len(ks),) + s[2:], False, "[:, list]"
    if form == "mask":
        bits = [b.chance(0.5) for _ in range(s[0])]
        return f"torch.tensor({bits!r})", (sum(bits),) + s[1:], False, "[mask]"
    # form == "gt": a mask computed from the values: how many it selects is unknown here
    if x.dtype == "bool":
        return "...", s, True, "[...]"
    return f"{x.name} > 0", None, False, "[x > 0]"


def make_index(b, wrong=False):
    x = b.pick(lambda v: v.known)
    if x is None:
        return None
    name = b.name()
    if wrong:
        text, label = basic_index(b, x, wrong=True)
        return b.stmt(f"{name} = {x.name}[{text}]", label, True)
    text, shape, is_view, label = basic_index(b, x)
    b.add(name, shape, x.dtype, [x], view_of=x if is_view else None,
          contiguous=is_view and x.contiguous and label in ("[int]", "[...]", "[None]"))
    return b.stmt(f"{name} = {x.name}[{text}]", label)


def value_for(b, shape, dtype, sources_ok=True):
    """Something to write into a place of ``shape``: a number, an existing tensor that broadcasts to it, or
    a literal. Returns (text, the Vars it reads)."""
    if shape is None or b.chance(0.4):
        text, _ = b.scalar("int" if dtype == "int64" else ("bool" if dtype == "bool" else None))
        return text, []
    if sources_ok and b.chance(0.6):
        src = b.pick(lambda v: v.known and broadcasts_to(v.shape, shape) and
                     (v.dtype == dtype or v.is_float and dtype in FLOAT))
        if src is not None:
            return src.name, [src]
    sub = tuple(shape[b.rng.randint(0, len(shape)):])
    return b.literal(sub, dtype), []


def make_setitem(b, wrong=False):
    x = b.pick(lambda v: v.known and v.ndim >= 1 and v.dtype != "bool" and (b.writable(v) or b.chance(0.1)))
    if x is None:
        return None
    if wrong:
        if not x.shape or x.shape[0] == 0:
            return None
        text = f"{x.name}[0] = torch.ones({(x.shape[1] if x.ndim > 1 else 1) + 2})"
        return b.stmt(text, "setitem", True)
    index, shape, _, label = basic_index(b, x)
    value, sources = value_for(b, shape, x.dtype)
    b.changed_in_place(x, sources)
    return b.stmt(f"{x.name}[{index}] = {value}", "setitem" + label)


INPLACE = ("add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "+=", "-=", "*=", "/=")


def make_inplace(b, wrong=False):
    # mostly tensors that may be changed: intermediates, views, leaves that do not require grad
    def valid_target(v):
        return v.dtype != "bool" and b.writable(v)
    x = b.pick(lambda v: v.dtype != "bool") if wrong or b.chance(0.1) else b.pick(valid_target)
    if x is None:
        return None
    op = b.choice(INPLACE, (3, 2, 3, 2, 1, 1, 2, 1, 2, 1, 1, 1))
    if not x.is_float and op in ("div_", "/="):
        op = "mul_"
    if wrong:
        if x.is_float and not (x.leaf and x.rg):
            if x.known and x.ndim >= 1:  # an operand that does not broadcast to the target
                return b.stmt(f"{x.name}.add_(torch.ones({x.shape[-1] + 1}))", "add_", True)
            return b.stmt(f"{x.name}.add_(torch.ones(2, 3))", "add_", True)
        if not x.is_float:
            return b.stmt(f"{x.name}.div_(2)", "div_", True)
        return b.stmt(f"{x.name}.mul_(2)", "mul_", True)
    sources = []
    if op == "zero_":
        src = f"{x.name}.zero_()"
    elif op == "fill_":
        src = f"{x.name}.fill_({b.scalar('int' if x.dtype == 'int64' else 'float')[0]})"
    elif op == "clamp_":
        src = f"{x.name}.clamp_({b.choice(('-1.0, 1.0', 'min=0.0', 'max=0.5', '0, 2'))})"
        if not x.is_float and "." in src:
            src = f"{x.name}.clamp_(0, 2)"
    else:
        value, sources = value_for(b, x.shape, x.dtype if op != "copy_" else b.choice((x.dtype, "float64")))
        if not x.is_float and value.replace("-", "").replace(".", "").isdigit() and "." in value:
            value = str(int(float(value)))
        if not x.is_float and sources and sources[0].is_float and op != "copy_":
            value, sources = "2", []
        if op.endswith("="):
            src = f"{x.name} {op} {value}"
        elif op in ("add_", "sub_") and b.chance(0.2):
            src = f"{x.name}.{op}({value}, alpha={b.choice(('2', '-1')) if not x.is_float else '0.5'})"
        else:
            src = f"{x.name}.{op}({value})"
    if b.chance(0.06) and op.endswith("_"):  # through a detached alias: same memory, same version counter
        src = src.replace(f"{x.name}.", f"{x.name}.detach().", 1)
        return b.stmt(src, "detach()." + op)
    b.changed_in_place(x, sources)
    return b.stmt(src, op)


def make_join(b, wrong=False):
    x = b.pick(lambda v: v.known and v.dtype != "bool")
    if x is None:
        return None
    name = b.name()
    form = b.choice(("cat", "stack", "where"), (3, 2, 3))
    nd = x.ndim
    if wrong:
        if form == "where" or nd == 0:
            return b.stmt(f"{name} = torch.cat([{x.name}, {x.name}])" if nd == 0 else
                          f"{name} = torch.where({x.name} > 0, {x.name}, torch.ones({x.shape[-1] + 1}))",
                          "cat" if nd == 0 else "where", True)
        return b.stmt(f"{name} = torch.{form}([{x.name}, torch.ones({x.shape[-1] + 1})])", form, True)
    if form == "where":
        y = b.pick(lambda v: v.known and v.dtype != "bool" and broadcast(v.shape, x.shape) is not None)
        shape = broadcast(x.shape, y.shape)
        cond = b.choice((f"{x.name} > 0", f"{y.name} < {x.name}", "mask"))
        if cond == "mask":
            cond = b.literal(b.related_shape(shape), "bool")
        if b.chance(0.3):
            text, kind = b.scalar("float")
            dtype = promote(x, kind)
            b.add(name, broadcast(x.shape, shape), dtype, [x])
            return b.stmt(f"{name} = torch.where({cond}, {x.name}, {text})", "where(scalar)")
        b.add(name, shape, promote(x, y), [x, y])
        return b.stmt(f"{name} = torch.where({cond}, {x.name}, {y.name})", "where")
    if form == "cat" and nd == 0:
        form = "stack"
    if form == "cat":
        d = b.dim_arg(x)
        dn = norm_dim(d, nd)
        others = [v for v in b.vars.values() if v.known and v.ndim == nd and v.dtype != "bool" and
                  all(m == n for i, (m, n) in enumerate(zip(v.shape, x.shape)) if i != dn)]
        parts = [x] + [b.choice(others) for _ in range(b.rng.randint(1, 2))]
        shape = tuple(sum(p.shape[dn] for p in parts) if i == dn else n for i, n in enumerate(x.shape))
        b.add(name, shape, promote(*parts), parts)
        dim = f", {d}" if b.chance(0.7) else f", dim={d}"
        src = f"{name} = torch.cat([{', '.join(p.name for p in parts)}]{dim})"
        return b.stmt(src, "cat")
    d = b.rng.randint(-nd - 1, nd)
    dn = d + nd + 1 if d < 0 else d
    others = [v for v in b.vars.values() if v.known and v.shape == x.shape and v.dtype != "bool"]
    parts = [x] + [b.choice(others) for _ in range(b.rng.randint(0, 2))]
    shape = x.shape[:dn] + (len(parts),) + x.shape[dn:]
    b.add(name, shape, promote(*parts), parts)
    return b.stmt(f"{name} = torch.stack([{', '.join(p.name for p in parts)}], {d})", "stack")


def make_softmax(b, wrong=False):
    x = b.pick(lambda v: v.is_float != wrong and v.dtype != "bool")
    if x is None:
        return None
    name = b.name()
    fn = b.choice(("softmax", "log_softmax"))
    d = b.dim_arg(x, wrong=wrong and x.is_float)
    form = b.choice(("method", "torch", "F", "F-nodim"), (3, 2, 3, 1 if x.ndim in (1, 2) else 0))
    if form == "method":
        src, label = f"{name} = {x.name}.{fn}({d})", fn
    elif form == "torch":
        src, label = f"{name} = torch.{fn}({x.name}, {'dim=' if b.chance(0.5) else ''}{d})", f"torch.{fn}"
    elif form == "F":
        src, label = f"{name} = {F}.{fn}({x.name}, dim={d})", f"F.{fn}"
    else:  # the legacy implicit dim, which warns
        src, label = f"{name} = {F}.{fn}({x.name})", f"F.{fn}(no dim)"
    if not wrong:
        b.add(name, x.shape, x.dtype, [x])
    return b.stmt(src, label, wrong)


def make_loss(b, wrong=False):
    kind = b.choice(("mse", "nll", "ce", "bce", "bcel"), (3, 2, 3, 2, 2))
    name = b.name()
    reduction = b.choice((None, "mean", "sum", "none"), (4, 1, 2, 2))
    red = "" if reduction is None else f", reduction={reduction!r}"

    def out(shape, x, others=(), label=kind):
        shape = shape if reduction == "none" else ()
        b.add(name, shape, x.dtype, [x, *others])
        return label

    if kind == "mse":
        x = b.pick(lambda v: v.known and v.is_float)
        if x is None:
            return None
        if wrong:
            return b.stmt(f"{name} = {F}.mse_loss({x.name}, torch.ones({(x.shape[-1] if x.shape else 1) + 2}, 5))",
                          "mse_loss", True)
        y = b.pick(lambda v: v.known and v.is_float and v.shape == x.shape and v.dtype == x.dtype)
        others = [y]
        if y is None or b.chance(0.3):
            ytext, others = b.literal(x.shape, x.dtype), []
        else:
            ytext = y.name
        shape = x.shape
        if b.chance(0.1) and x.shape:  # a target that only broadcasts: PyTorch warns
            ytext, others = b.literal(x.shape[1:] or (1,), x.dtype), []
        label = out(shape, x, others, "mse_loss")
        return b.stmt(f"{name} = {F}.mse_loss({x.name}, {ytext}{red})", label)

    if kind in ("nll", "ce"):
        x = b.pick(lambda v: v.known and v.is_float and v.ndim in (1, 2) and all(v.shape))
        if x is None:
            return None
        classes = x.shape[-1]
        fn = "nll_loss" if kind == "nll" else "cross_entropy"
        inp = x.name
        if kind == "nll" and b.chance(0.5):
            inp = f"{F}.log_softmax({x.name}, dim={x.ndim - 1})"
        if x.ndim == 2:
            targets = [b.rng.randrange(classes) for _ in range(x.shape[0])]
            if wrong:
                targets[0] = classes + b.rng.randint(0, 2)
            target = f"torch.tensor({targets!r})"
        else:
            t = b.rng.randrange(classes) if not wrong else classes
            target = f"torch.tensor({t})"
        if wrong and b.chance(0.4):
            target = target[:-1] + ", dtype=torch.float32)" if "dtype" not in target else target
        if kind == "ce" and not wrong and b.chance(0.25):  # class probabilities as the target
            target = b.literal(x.shape, x.dtype, pool=(0.0, 0.25, 0.5, 1.0))
        extra = ""
        if not wrong and b.chance(0.08):
            extra = f", weight={b.literal((classes,), x.dtype, pool=(0.5, 1.0, 2.0))}"
        if not wrong and b.chance(0.1):
            extra += f", ignore_index={b.rng.randrange(classes)}"
        shape = x.shape[:1] if x.ndim == 2 else ()
        src = f"{name} = {F}.{fn}({inp}, {target}{extra}{red})"
        if wrong:
            return b.stmt(src, fn, True)
        return b.stmt(src, out(shape, x, (), fn))

    x = b.pick(lambda v: v.known and v.is_float)
    if x is None:
        return None
    target = b.literal(x.shape, x.dtype, pool=(0.0, 1.0, 0.5, 0.25))
    if kind == "bce":
        inp = b.choice((f"{x.name}.sigmoid()", f"torch.sigmoid({x.name})"))
        if wrong:
            return b.stmt(f"{name} = {F}.binary_cross_entropy({x.name} * 2 + 3, {target})", "binary_cross_entropy",
                          True)
        extra = f", weight={b.literal(x.shape, x.dtype, pool=(0.5, 2.0))}" if b.chance(0.08) else ""
        return b.stmt(f"{name} = {F}.binary_cross_entropy({inp}, {target}{extra}{red})",
                      out(x.shape, x, (), "binary_cross_entropy"))
    if wrong:
        return b.stmt(f"{name} = {F}.binary_cross_entropy_with_logits({x.name}, torch.ones({x.numel + 2}))",
                      "binary_cross_entropy_with_logits", True)
    extra = ""
    if x.shape and b.chance(0.1):
        extra = f", pos_weight={b.literal(x.shape[-1:], x.dtype, pool=(0.5, 2.0, 3.0))}"
    return b.stmt(f"{name} = {F}.binary_cross_entropy_with_logits({x.name}, {target}{extra}{red})",
                  out(x.shape, x, (), "binary_cross_entropy_with_logits"))


def make_detach(b, wrong=False):
    x = b.pick(lambda v: v.base is not None and v.rg) if wrong else b.pick()
    if x is None:
        return None
    if wrong:
        return b.stmt(f"{x.name}.detach_()", "detach_", True)
    form = b.choice(("detach()", "detach_", "clone()", "detach().clone()", "clone().detach()",
                     "detach().requires_grad_()"), (4, 2, 4, 1, 1, 1 if x.is_float else 0))
    if form == "detach_":
        if x.base is not None and x.rg:
            return None
        x.rg, x.leaf, x.deps, x.anc = False, True, frozenset(), frozenset()
        return b.stmt(f"{x.name}.detach_()", "detach_")
    name = b.name()
    if form == "clone()":
        b.add(name, x.shape, x.dtype, [x], contiguous=True)
    else:
        v = b.add(name, x.shape, x.dtype, [], contiguous=x.contiguous if form == "detach()" else True)
        if form.endswith("requires_grad_()"):
            v.rg, v.deps, v.anc = True, frozenset({name}), frozenset({name})
    return b.stmt(f"{name} = {x.name}.{form}", form)


def make_requires_grad(b, wrong=False):
    if wrong:
        x = b.pick(lambda v: not v.leaf or not v.is_float)
        if x is None:
            return None
        if not x.leaf:
            return b.stmt(f"{x.name}.requires_grad_(False)", "requires_grad_(False)", True)
        return b.stmt(f"{x.name}.requires_grad_()", "requires_grad_", True)
    x = b.pick(lambda v: v.leaf and v.is_float)
    if x is None:
        return None
    if not x.rg:
        form = b.choice(("{}.requires_grad_()", "{}.requires_grad_(True)", "{}.requires_grad = True"))
        x.rg, x.deps, x.anc = True, frozenset({x.name}), frozenset({x.name})
        label = "requires_grad_" if "_(" in form else "requires_grad="
    else:
        form = b.choice(("{}.requires_grad_(False)", "{}.requires_grad = False"))
        x.rg, x.deps, x.anc = False, frozenset(), frozenset()
        label = "requires_grad_(False)" if "_(" in form else "requires_grad=False"
    return b.stmt(form.format(x.name), label)


def make_retain_grad(b, wrong=False):
    x = b.pick(lambda v: v.rg != wrong)
    if x is None:
        return None
    return b.stmt(f"{x.name}.retain_grad()", "retain_grad", wrong)


HOOKS = (
    ("lambda g: calls.append(('{n}', g.shape, g.sum().item()))", "hook(record)"),
    ("lambda g: g * 2", "hook(g * 2)"),
    ("lambda g: g + 1", "hook(g + 1)"),
    ("lambda g: torch.zeros_like(g)", "hook(zeros)"),
    ("lambda g: None", "hook(None)"),
)


def make_hook(b, wrong=False):
    if b.handles and b.chance(0.2) and not wrong:
        h = b.handles.pop(b.rng.randrange(len(b.handles)))
        return b.stmt(f"{h}.remove()", "hook.remove")
    x = None
    if not wrong and b.chance(0.4):  # hooks on tensors changed in place (under no_grad, too) are a corner
        x = b.pick(lambda v: v.rg and v.modified)
    if x is None:
        x = b.pick(lambda v: v.rg != wrong)
    if x is None:
        return None
    fn, label = b.choice(HOOKS, (4, 2, 1, 1, 1))
    src = f"{x.name}.register_hook({fn.format(n=x.name)})"
    if not wrong and b.chance(0.3):
        h = b.name("h")
        b.handles.append(h)
        src = f"{h} = {src}"
    return b.stmt(src, label, wrong)


def _root_for_backward(b, wrong):
    if wrong:
        return b.pick(lambda v: not v.rg or (v.known and v.numel != 1))
    return b.pick(lambda v: v.rg)


def make_backward(b, wrong=False):
    x = _root_for_backward(b, wrong)
    if x is None:
        return None
    kwargs = []
    if b.chance(0.4):
        kwargs.append("retain_graph=True")
    if b.chance(0.05):
        kwargs.append("create_graph=True")
    if wrong:
        if not x.rg:
            return b.stmt(f"{x.name}.sum().backward()" if x.dtype in FLOAT else f"{x.name}.backward()",
                          "backward", True)
        return b.stmt(f"{x.name}.backward()", "backward", True)
    if x.known and x.numel == 1 and b.chance(0.6):
        root = x.name
        grad = None
    else:
        form = b.choice(("sum", "mean", "ones_like", "literal"), (4, 1, 2, 2) if x.known else (4, 1, 2, 0))
        if form in ("sum", "mean"):
            root, grad = f"{x.name}.{form}()", None
        elif form == "ones_like":
            root, grad = x.name, f"torch.ones_like({x.name})"
        else:
            root, grad = x.name, b.literal(x.shape, x.dtype)
    label = "backward"
    if grad is not None:
        kwargs.insert(0, grad if b.chance(0.5) else f"gradient={grad}")
        label = "backward(gradient)"
    if b.chance(0.08):
        inputs = sorted(x.deps)
        if inputs:
            kwargs.append(f"inputs=[{b.choice(inputs)}]")
    if b.chance(0.1):
        src = f"torch.autograd.backward({root}{', ' if kwargs else ''}{', '.join(kwargs)})"
        label = "autograd.backward"
        if grad is not None:
            src = src.replace("gradient=", "grad_tensors=")
    else:
        src = f"{root}.backward({', '.join(kwargs)})"
    for leaf in x.deps:
        if leaf in b.vars:
            b.vars[leaf].has_grad = True
    return b.stmt(src, label)


def make_grad(b, wrong=False):
    """``torch.autograd.grad``: first order (often with create_graph=True), or the second order of an
    earlier result that requires grad."""
    x = None
    if b.second_order and b.chance(0.7):  # a gradient made with create_graph=True: differentiate it again
        x = b.vars.get(b.rng.choice(sorted(b.second_order)))
    if x is None or not x.rg:
        x = b.pick(lambda v: v.rg and (len(v.anc) > 1 or v.leaf))
    if x is None:
        return None
    cands = sorted(x.anc - {x.name}) if not x.leaf and b.chance(0.8) else sorted(x.anc)
    if not cands:
        return None
    if wrong:
        other = b.pick(lambda v: v.rg and v.name not in x.anc)
        if other is None:
            return None
        g = b.name()
        return b.stmt(f"{g}, = torch.autograd.grad({x.name}.sum(), {other.name})", "autograd.grad", True)
    inputs = [b.vars[n] for n in b.rng.sample(cands, min(len(cands), b.rng.randint(1, 2))) if n in b.vars]
    if not inputs:
        return None
    create = b.chance(0.5)
    kwargs = []
    if create:
        kwargs.append("create_graph=True")
    elif b.chance(0.3):
        kwargs.append("retain_graph=True")
    unused = b.pick(lambda v: v.rg and v.name not in x.anc) if b.chance(0.1) else None
    if unused is not None:
        inputs.append(unused)
        kwargs.append("allow_unused=True")
    if x.known and x.numel == 1 and b.chance(0.5):
        out = x.name
    elif x.known and b.chance(0.3):
        out = x.name
        kwargs.insert(0, f"grad_outputs=torch.ones_like({x.name})")
    else:
        out = f"{x.name}.sum()"
    names = [b.name() for _ in inputs]
    spelled = inputs[0].name if len(inputs) == 1 and b.chance(0.5) else "[" + ", ".join(v.name for v in inputs) + "]"
    targets = ", ".join(names) + ("," if len(names) == 1 else "")
    for n, v in zip(names, inputs):
        g = b.add(n, v.shape, v.dtype, [v] if create else [], rg=create and v is not unused, leaf=True)
        g.leaf = not g.rg
        if g.rg:
            b.second_order.add(n)
    label = "autograd.grad(create_graph)" if create else "autograd.grad"
    return b.stmt(f"{targets} = torch.autograd.grad({out}, {spelled}{''.join(', ' + k for k in kwargs)})", label)


def make_grad_reset(b, wrong=False):
    x = b.pick(lambda v: v.leaf and v.rg and v.has_grad != wrong)
    if x is None:
        return None
    form = b.choice(("zero_", "none", "read", "step"), (3, 2, 2, 2))
    if form == "zero_" or wrong:
        return b.stmt(f"{x.name}.grad.zero_()", "grad.zero_", wrong)
    if form == "none":
        x.has_grad = False
        return b.stmt(f"{x.name}.grad = None", "grad = None")
    if form == "read":
        name = b.name()
        b.add(name, x.shape, x.dtype, [])
        return b.stmt(f"{name} = {x.name}.grad", "read .grad")
    # an optimizer's step: the leaf changes in place, outside the graph
    lines = [f"with torch.no_grad():", f"    {x.name} -= 0.1 * {x.name}.grad"]
    return b.stmt("\n".join(lines), "no_grad: sgd step")


def make_item(b, wrong=False):
    x = b.pick(lambda v: v.known and (v.numel == 1) != wrong)
    if x is None:
        return None
    name = b.name("s")
    form = b.choice(("item", "float"), (3, 1) if x.is_float else (1, 0))
    src = f"{name} = {x.name}.item()" if form == "item" else f"{name} = float({x.name})"
    return b.stmt(src, form, wrong)


BLOCK_INNER = ("binary", "unary", "inplace", "setitem", "view", "creation", "reduction", "detach")


def make_no_grad(b, wrong=False):
    if wrong:
        return None
    head = b.choice(("with torch.no_grad():", "with torch.set_grad_enabled(False):"), (4, 1))
    saved, b.grad_on = b.grad_on, False
    inner = []
    try:
        for _ in range(1 if b.chance(0.75) else 2):  # one inner statement mostly: a clearer label
            for _attempt in range(5):
                s = KINDS[b.choice(BLOCK_INNER, (3, 3, 4, 2, 2, 1, 1, 1))](b, False)
                if s is not None and "\n" not in s.src:
                    inner.append(s)
                    break
        if b.chance(0.1) and inner:  # grad mode back on inside the block
            b.grad_on = True
            s = make_binary(b)
            if s is not None:
                inner.append(Statement("with torch.enable_grad():\n    " + s.src, "enable_grad: " + s.op))
    finally:
        b.grad_on = saved
    if not inner:
        return None
    body = "\n".join("    " + line for s in inner for line in s.src.split("\n"))
    return b.stmt(f"{head}\n{body}", "no_grad: " + "; ".join(s.op for s in inner))


KINDS = {
    "creation": make_creation, "binary": make_binary, "unary": make_unary, "reduction": make_reduction,
    "view": make_view, "index": make_index, "setitem": make_setitem, "inplace": make_inplace,
    "join": make_join, "softmax": make_softmax, "loss": make_loss, "detach": make_detach,
    "requires_grad": make_requires_grad, "retain_grad": make_retain_grad, "hook": make_hook,
    "backward": make_backward, "grad": make_grad, "grad_reset": make_grad_reset, "item": make_item,
    "no_grad": make_no_grad,
}
WEIGHTS = {
    "creation": 5, "binary": 12, "unary": 11, "reduction": 7, "view": 12, "index": 6, "setitem": 4,
    "inplace": 9, "join": 4, "softmax": 3, "loss": 4, "detach": 4, "requires_grad": 2, "retain_grad": 3,
    "hook": 4, "backward": 8, "grad": 4, "grad_reset": 3, "item": 1, "no_grad": 4,
}


def generate(seed, index):
    """The ``index``-th program of ``seed``: 3 to 15 statements."""
    rng = random.Random(f"autograd_nb-fuzz/{seed}/{index}")
    b = Builder(rng)
    n = rng.randint(3, 15)
    wrong_at = rng.randint(1, n - 1) if rng.random() < 0.2 else None
    statements = [make_creation(b)]
    if rng.random() < 0.6:
        statements.append(make_creation(b, shape=b.related_shape(next(iter(b.vars.values())).shape)))
    kinds = list(WEIGHTS)
    while len(statements) < n:
        wrong = len(statements) == wrong_at
        weights = [WEIGHTS[k] + (8 if k == "grad" and b.second_order else 0) for k in kinds]
        for _attempt in range(20):
            kind = rng.choices(kinds, weights=weights)[0]
            s = KINDS[kind](b, wrong)
            if s is not None:
                break
        else:
            s = make_creation(b)
        statements.append(s)
        if s.wrong:
            break
    return Program(seed, index, tuple(statements))
