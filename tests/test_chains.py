"""Random programs: hypothesis strings 3-12 ops together on 1-3 leaves, in both libraries at once.

Each step picks an op (unary, binary, reduction, shape, indexing, matrix product) and operands among
the tensors made so far whose shapes suit it, and applies it in autograd_nb and in PyTorch. At the end
the values, ``requires_grad``/``is_leaf`` of every tensor, the whole graph (``graph_structure``) and,
after ``backward(v)``, the gradient of every leaf must agree.

Ops whose graphs differ on purpose (batched matmul, reshape of a non-contiguous tensor) are only
drawn where the graphs agree: matrix products of 1-d and 2-d tensors, reshape of contiguous tensors.
Values stay bounded: a step whose result grows past 10 in size is followed by a ``tanh``.
"""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_nb as nb
import autograd_nb.nn.functional as nbF
from tests import strategies as S

EXAMPLES = 2 * settings.default.max_examples  # cheap per example, and the best bug finder here
MAX_DIMS, MAX_SIDE = 3, 3


def F_of(T):
    return nbF if T is nb else T.nn.functional


# Each op: (name, applies(shapes) -> bool, draw_params(data, shapes) -> params, fn(T, F, *tensors, **params)).
# ``shapes`` are the shapes of the operands (one for unary ops, two for binary ones).
def _ndim(shape):
    return len(shape)


def _dim(data, shape):
    n = max(len(shape), 1)
    return data.draw(st.integers(-n, n - 1), label="dim")


UNARY = {
    "neg": lambda T, F, x: -x,
    "exp": lambda T, F, x: x.exp(),
    "log(x*x + 1)": lambda T, F, x: (x * x + 1).log(),
    "sqrt(x*x + 1)": lambda T, F, x: (x * x + 1).sqrt(),
    "abs": lambda T, F, x: x.abs(),
    "sin": lambda T, F, x: x.sin(),
    "cos": lambda T, F, x: x.cos(),
    "tanh": lambda T, F, x: x.tanh(),
    "sigmoid": lambda T, F, x: x.sigmoid(),
    "relu": lambda T, F, x: x.relu(),
    "F.relu": lambda T, F, x: F.relu(x),
    "clamp": lambda T, F, x: x.clamp(-1, 1),
    "clamp(min)": lambda T, F, x: x.clamp(min=0.25),
    "x ** 2": lambda T, F, x: x ** 2,
    "x ** 3": lambda T, F, x: x ** 3,
    "2 ** x": lambda T, F, x: 2 ** x,
    "x * 2.5": lambda T, F, x: x * 2.5,
    "x + 1": lambda T, F, x: x + 1,
    "1 - x": lambda T, F, x: 1 - x,
    "3 / (x*x + 1)": lambda T, F, x: 3 / (x * x + 1),
    "x / 2": lambda T, F, x: x / 2,
    "clone": lambda T, F, x: x.clone(),
    "x[...]": lambda T, F, x: x[...],
}

BINARY = {
    "+": lambda T, F, x, y: x + y,
    "-": lambda T, F, x, y: x - y,
    "*": lambda T, F, x, y: x * y,
    "x / (y*y + 1)": lambda T, F, x, y: x / (y * y + 1),
    "where(x > y, x, y)": lambda T, F, x, y: T.where(x > y, x, y),
    "where(x > 0, x, 0.0)": lambda T, F, x, y: T.where(x > 0, x, 0.0) + y,
    "mse_loss(none)": lambda T, F, x, y: F.mse_loss(x, y, reduction="none"),
}


def _broadcastable(a, b):
    for m, n in zip(reversed(a), reversed(b)):
        if m != n and m != 1 and n != 1:
            return False
    return max(len(a), len(b)) <= MAX_DIMS


def draw_step(data, live):
    """Pick an op and its operands among ``live``; return (label, operand indices, fn)."""
    shapes = [tuple(o.shape) for o, _ in live]
    kind = data.draw(st.sampled_from(
        ["unary", "unary", "binary", "binary", "reduce", "shape", "shape", "index", "matmul", "join", "softmax"]),
        label="kind")
    # mostly the newest tensor, so that chains get deep; sometimes any earlier one (shared subgraphs)
    latest = len(live) - 1
    i = data.draw(st.one_of(st.just(latest), st.just(latest), st.integers(0, latest)), label="operand")
    s = shapes[i]
    nd = len(s)

    if kind == "binary":
        partners = [j for j, t in enumerate(shapes) if _broadcastable(s, t)]
        j = data.draw(st.sampled_from(partners), label="partner")  # i itself is always there: x * x
        name = data.draw(st.sampled_from(sorted(BINARY)), label="binary")
        if name == "mse_loss(none)" and shapes[j] != s:
            name = "*"
        return name, (i, j), BINARY[name]

    if kind == "matmul":
        if nd in (1, 2):
            partners = [j for j, t in enumerate(shapes) if len(t) in (1, 2) and t[0] == s[-1]]
            if partners:
                j = data.draw(st.sampled_from(partners), label="partner")
                return "@", (i, j), lambda T, F, x, y: x @ y
            if nd == 2:
                return "x @ x.t()", (i,), lambda T, F, x: x @ x.t()
        kind = "unary"

    if kind == "join":
        partners = [j for j, t in enumerate(shapes) if t == s]
        j = data.draw(st.sampled_from(partners), label="partner")
        if nd >= 1 and data.draw(st.booleans(), label="cat?"):
            d = _dim(data, s)
            if s[d] * 2 <= MAX_SIDE + 1:
                return f"cat(dim={d})", (i, j), lambda T, F, x, y: T.cat([x, y], d)
        if nd < MAX_DIMS:
            d = data.draw(st.integers(-nd - 1, nd), label="dim")
            return f"stack(dim={d})", (i, j), lambda T, F, x, y: T.stack([x, y], d)
        kind = "unary"

    if kind == "reduce":
        form = data.draw(st.sampled_from(["sum", "mean", "max", "min", "sum(dim)", "mean(dim)", "max(dim)",
                                          "min(dim)"]), label="reduction")
        if "dim" not in form:
            return f"{form}()", (i,), lambda T, F, x: getattr(x, form)()
        d, keep = _dim(data, s), data.draw(st.booleans(), label="keepdim")
        op = form[:-5]
        if op in ("max", "min"):
            return f"{op}({d}, {keep}).values", (i,), lambda T, F, x: getattr(x, op)(d, keep).values
        return f"{op}({d}, {keep})", (i,), lambda T, F, x: getattr(x, op)(d, keepdim=keep)

    if kind == "softmax":
        d = _dim(data, s)
        if data.draw(st.booleans(), label="log?"):
            return f"log_softmax({d})", (i,), lambda T, F, x: F.log_softmax(x, d)
        return f"softmax({d})", (i,), lambda T, F, x: x.softmax(d)

    if kind == "shape":
        forms = ["reshape(-1)", "t"] + (["transpose", "permute"] if nd >= 2 else []) \
            + (["unsqueeze"] if nd < MAX_DIMS else []) + (["squeeze"] if 1 in s else []) \
            + (["expand"] if (1 in s or nd < MAX_DIMS) else [])
        form = data.draw(st.sampled_from(forms), label="shape op")
        if form == "reshape(-1)":
            # only where PyTorch can view (else it copies: the documented difference)
            if not live[i][1].is_contiguous():
                return "clone", (i,), lambda T, F, x: x.clone()
            return "reshape(-1)", (i,), lambda T, F, x: x.reshape(-1)
        if form == "t":
            if nd > 2:
                return "transpose(0, -1)", (i,), lambda T, F, x: x.transpose(0, -1)
            return "t", (i,), lambda T, F, x: x.t()
        if form == "transpose":
            d0, d1 = _dim(data, s), _dim(data, s)
            return f"transpose({d0}, {d1})", (i,), lambda T, F, x: x.transpose(d0, d1)
        if form == "permute":
            perm = tuple(data.draw(st.permutations(range(nd)), label="perm"))
            return f"permute{perm}", (i,), lambda T, F, x: x.permute(*perm)
        if form == "unsqueeze":
            d = data.draw(st.integers(-nd - 1, nd), label="dim")
            return f"unsqueeze({d})", (i,), lambda T, F, x: x.unsqueeze(d)
        if form == "squeeze":
            if data.draw(st.booleans(), label="all?"):
                return "squeeze()", (i,), lambda T, F, x: x.squeeze()
            d = s.index(1)
            return f"squeeze({d})", (i,), lambda T, F, x: x.squeeze(d)
        target = tuple(data.draw(st.integers(1, MAX_SIDE), label="size") if n == 1 else -1 for n in s)
        if nd < MAX_DIMS and data.draw(st.booleans(), label="new dim?"):
            target = (2,) + target
        return f"expand{target}", (i,), lambda T, F, x: x.expand(*target) if target else x.expand(())

    if kind == "index" and nd >= 1:
        n = s[0]
        form = data.draw(st.sampled_from(["int", "slice", "list", "mask", "tuple"]), label="index")
        if form == "int":
            k = data.draw(st.integers(-n, n - 1), label="k")
            return f"[{k}]", (i,), lambda T, F, x: x[k]
        if form == "slice":
            a = data.draw(st.integers(-n, n - 1), label="start")  # never empty: max() of nothing raises
            step = data.draw(st.sampled_from([None, 1, 2]), label="step")
            return f"[{a}::{step}]", (i,), lambda T, F, x: x[a::step]
        if form == "list":
            ks = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=4), label="ks")
            return f"[{ks}]", (i,), lambda T, F, x: x[ks]
        if form == "mask" and bool((live[i][1] > 0).any()):
            return "[x > 0]", (i,), lambda T, F, x: x[x > 0]
        if nd >= 2:
            k = data.draw(st.integers(-s[1], s[1] - 1), label="k")
            return f"[:, {k}]", (i,), lambda T, F, x: x[:, k]
        return "[None, ...]", (i,), lambda T, F, x: x[None, ...]

    name = data.draw(st.sampled_from(sorted(UNARY)), label="unary")
    return name, (i,), UNARY[name]


@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_random_chains_match_pytorch(torch, data):
    n_leaves = data.draw(st.integers(1, 3), label="leaves")
    shapes = data.draw(S.broadcastable_shapes(n_leaves, max_dims=MAX_DIMS, max_side=MAX_SIDE), label="shapes")
    grads = data.draw(st.lists(st.booleans(), min_size=n_leaves, max_size=n_leaves).filter(any), label="requires_grad")
    arrays = [data.draw(S.arrays(s, -2.0, 2.0), label=f"leaf {k}") for k, s in enumerate(shapes)]
    leaves = S.leaf_pairs(nb, torch, *arrays, requires_grad=grads)
    live = list(leaves)
    program = []

    for _ in range(data.draw(st.integers(3, 12), label="steps")):
        label, operands, fn = draw_step(data, live)
        ours = fn(nb, nbF, *(live[k][0] for k in operands))
        theirs = fn(torch, torch.nn.functional, *(live[k][1] for k in operands))
        program.append(f"t{len(live)} = {label}({', '.join(f't{k}' for k in operands)})")
        assert tuple(ours.shape) == tuple(theirs.shape), program
        live.append((ours, theirs))
        if theirs.numel() and float(theirs.detach().abs().max()) > 10:
            live.append((ours.tanh(), theirs.tanh()))  # keep values where float64 differences stay small
            program.append(f"t{len(live) - 1} = tanh(t{len(live) - 2})")

    where = "\n".join(program)
    for k, (ours, theirs) in enumerate(live):
        assert (ours.requires_grad, ours.is_leaf, str(ours.dtype)) == \
            (theirs.requires_grad, theirs.is_leaf, str(theirs.dtype)), f"t{k} in\n{where}"
        np.testing.assert_allclose(S.to_numpy(ours), S.to_numpy(theirs), rtol=1e-8, atol=1e-10,
                                   err_msg=f"t{k} in\n{where}")

    leaf_ours, leaf_theirs = [o for o, _ in leaves], [t for _, t in leaves]
    roots = [o for o, _ in live[n_leaves:] if o.grad_fn is not None]
    t_roots = [t for _, t in live[n_leaves:] if t.grad_fn is not None]
    assert S.graph_structure(roots, leaf_ours) == S.graph_structure(t_roots, leaf_theirs), where

    out, t_out = live[-1]
    if t_out.requires_grad:
        v = data.draw(S.arrays(tuple(t_out.shape)), label="v")
        out.backward(nb.tensor(v))
        t_out.backward(torch.tensor(v))
        for k, (o, t) in enumerate(leaves):
            assert (o.grad is None) == (t.grad is None), f"leaf {k} in\n{where}"
            if t.grad is not None:
                np.testing.assert_allclose(S.to_numpy(o.grad), S.to_numpy(t.grad), rtol=1e-7, atol=1e-9,
                                           err_msg=f"grad of leaf {k} in\n{where}")
