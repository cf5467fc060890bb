"""The graph each expression records, node by node, against PyTorch's.

Each expression runs in both libraries on the same leaves. From the result(s), ``graph_structure``
(``tests/strategies.py``) walks ``grad_fn`` and ``next_functions`` breadth-first and lists every node's
name and edges, ``(None, 0)`` entries and ``output_nr`` included; the two lists must be equal. So must
``requires_grad``, ``is_leaf``, dtype, shape and ``_version`` of every tensor the expression returns
(results and intermediates), the values, and the leaves' gradients after a backward pass.

Where autograd_nb differs from PyTorch, docs/differences.md says so.
"""
import types
import warnings

import numpy as np
import pytest

import autograd_nb as nb
import autograd_nb.nn.functional as nbF
from tests.strategies import graph_structure

# The leaves every expression may use. Those named in LEAVES_WITH_GRAD require grad.
LEAF_DATA = {
    "x": [[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]],
    "y": [[1.5, 0.25, -2.0], [-0.5, 1.0, 2.5]],
    "b": [0.25, -1.5, 0.75],
    "v": [1.0, -0.5, 2.0],
    "w": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [1.0, -1.1, 1.2]],
    "m": [[0.5, -1.0, 1.5, 0.25], [2.0, 0.5, -0.5, 1.0], [-1.5, 0.75, 1.0, -0.25]],
    "B": [[[0.5, 1.0, -1.0], [2.0, -0.5, 0.25]], [[-1.0, 0.5, 1.5], [0.75, 1.25, -2.0]]],
    "s": 1.5,
    "p": [[0.2, 0.7, 0.5], [0.9, 0.1, 0.4]],
    "n": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],  # float, no grad
}
LEAVES_WITH_GRAD = {"x", "y", "b", "v", "w", "m", "B", "s", "p"}


def make_leaves(T):
    leaves = {k: T.tensor(v, requires_grad=k in LEAVES_WITH_GRAD) for k, v in LEAF_DATA.items()}
    leaves["target"] = T.tensor([2, 0])
    leaves["mask"] = T.tensor([[True, False, True], [False, False, True]])
    return types.SimpleNamespace(**leaves)


def leaf_list(L):
    return [getattr(L, k) for k in LEAF_DATA]


def F_of(T):
    return nbF if T is nb else T.nn.functional


# --- in-place expressions (statements, so functions) ---------------------------------------------
def inplace_add_mul(T, L):
    z = L.x * 1
    z.add_(1)
    z.mul_(2)
    return z


def inplace_zero(T, L):
    z = L.x * 1
    z.zero_()
    return z


def inplace_copy(T, L):
    z = L.x * 1
    z.copy_(L.y)
    return z


def inplace_copy_broadcast(T, L):
    z = L.x * 1
    z.copy_(L.b)
    return z


def inplace_operators(T, L):
    z = L.x * 2
    z += L.y
    z -= 1
    z *= L.b
    z /= 4
    return z


def inplace_sub_div(T, L):
    z = L.x + 0
    z.sub_(L.y)
    z.div_(2)
    return z


def inplace_fill_clamp(T, L):
    z = L.x * 1
    z.clamp_(-1, 1)
    u = L.y * 1
    u.fill_(3.0)
    return z + u, z, u


def inplace_then_used(T, L):
    z = L.x * 1
    z.add_(L.b)
    return (z * L.y).sum(), z


def inplace_into_no_grad(T, L):
    z = L.n.clone()
    z.add_(L.x)
    return z


def inplace_keeps_requires_grad_false(T, L):
    z = L.n.clone()
    z.mul_(2)
    return z * L.x, z


def setitem_into_non_leaf(T, L):
    z = L.x * 1
    z[0] = L.b
    return z


def setitem_into_no_grad(T, L):
    z = L.n.clone()
    z[1] = L.b * 2
    return z


def no_grad_block(T, L):
    with T.no_grad():
        a = L.x * 2
    return a + L.y, a


def detached(T, L):
    d = L.x.detach()
    return d * L.y, d


def shared_subexpression(T, L):
    h = L.x.exp()
    return (h * h + h).sum(), h


def diamond(T, L):
    a = L.x * 2
    b = L.x * L.x
    return a * b + a, a, b


def max_with_indices(T, L):
    values, indices = L.x.max(1)
    return values, indices


EXPRESSIONS = {
    # arithmetic, scalars on either side
    "x + y": lambda T, F, L: L.x + L.y,
    "x + b (broadcast)": lambda T, F, L: L.x + L.b,
    "x + n (no grad)": lambda T, F, L: L.x + L.n,
    "n + n (no graph)": lambda T, F, L: L.n + L.n,
    "x + 2": lambda T, F, L: L.x + 2,
    "2 + x": lambda T, F, L: 2 + L.x,
    "x + 2.5": lambda T, F, L: L.x + 2.5,
    "x - 2": lambda T, F, L: L.x - 2,
    "2 - x": lambda T, F, L: 2 - L.x,
    "x - y": lambda T, F, L: L.x - L.y,
    "x * 2": lambda T, F, L: L.x * 2,
    "2 * x": lambda T, F, L: 2 * L.x,
    "x * y": lambda T, F, L: L.x * L.y,
    "x * x": lambda T, F, L: L.x * L.x,
    "x / 2": lambda T, F, L: L.x / 2,
    "2 / x": lambda T, F, L: 2 / L.x,
    "x / y": lambda T, F, L: L.x / L.y,
    "n / x": lambda T, F, L: L.n / L.x,
    "-x": lambda T, F, L: -L.x,
    "x ** 2": lambda T, F, L: L.x ** 2,
    "x ** 0.5": lambda T, F, L: L.p ** 0.5,
    "2 ** x": lambda T, F, L: 2 ** L.x,
    "x ** y": lambda T, F, L: L.p ** L.y,
    "x ** s (0-d)": lambda T, F, L: L.p ** L.s,
    "x.reciprocal()": lambda T, F, L: L.x.reciprocal(),
    "torch.add": lambda T, F, L: T.add(L.x, L.y),
    "torch.mul": lambda T, F, L: T.mul(L.x, 3),
    "s * x (0-d)": lambda T, F, L: L.s * L.x,
    # matrix products (1-d and 2-d: the batched ones are the documented difference)
    "x @ w.t()": lambda T, F, L: L.x @ L.w.t(),
    "x @ m": lambda T, F, L: L.x @ L.m,
    "x @ v": lambda T, F, L: L.x @ L.v,
    "v @ m": lambda T, F, L: L.v @ L.m,
    "v @ b": lambda T, F, L: L.v @ L.b,
    "x.mm(m)": lambda T, F, L: L.x.mm(L.m),
    "x.mv(v)": lambda T, F, L: L.x.mv(L.v),
    "v.dot(b)": lambda T, F, L: L.v.dot(L.b),
    "torch.matmul": lambda T, F, L: T.matmul(L.x, L.m),
    "n @ m": lambda T, F, L: L.n @ L.m,
    # pointwise
    "exp": lambda T, F, L: L.x.exp(),
    "log": lambda T, F, L: L.p.log(),
    "sqrt": lambda T, F, L: L.p.sqrt(),
    "abs": lambda T, F, L: L.x.abs(),
    "sin": lambda T, F, L: L.x.sin(),
    "cos": lambda T, F, L: L.x.cos(),
    "tanh": lambda T, F, L: L.x.tanh(),
    "sigmoid": lambda T, F, L: L.x.sigmoid(),
    "relu": lambda T, F, L: L.x.relu(),
    "F.relu": lambda T, F, L: F.relu(L.x),
    "clamp(min)": lambda T, F, L: L.x.clamp(min=0),
    "clamp(max)": lambda T, F, L: L.x.clamp(max=0.5),
    "clamp(min, max)": lambda T, F, L: L.x.clamp(-1, 1),
    "softmax": lambda T, F, L: L.x.softmax(1),
    "F.softmax(dim=0)": lambda T, F, L: F.softmax(L.x, dim=0),
    "log_softmax": lambda T, F, L: L.x.log_softmax(-1),
    "F.log_softmax": lambda T, F, L: F.log_softmax(L.x, dim=1),
    # reductions
    "sum": lambda T, F, L: L.x.sum(),
    "sum(0)": lambda T, F, L: L.x.sum(0),
    "sum(1, keepdim)": lambda T, F, L: L.x.sum(1, keepdim=True),
    "sum((0, 1))": lambda T, F, L: L.x.sum((0, 1)),
    "mean": lambda T, F, L: L.x.mean(),
    "mean(0)": lambda T, F, L: L.x.mean(0),
    "mean(-1, keepdim)": lambda T, F, L: L.x.mean(-1, keepdim=True),
    "max": lambda T, F, L: L.x.max(),
    "min": lambda T, F, L: L.x.min(),
    "max(1)": lambda T, F, L: max_with_indices(T, L),
    "min(0, keepdim).values": lambda T, F, L: L.x.min(0, keepdim=True).values,
    # shapes
    "reshape": lambda T, F, L: L.x.reshape(3, 2),
    "reshape(-1)": lambda T, F, L: L.x.reshape(-1),
    "view": lambda T, F, L: L.x.view(6),
    "view(-1, 1)": lambda T, F, L: L.x.view(-1, 1),
    "flatten (2-d)": lambda T, F, L: L.x.flatten(),
    "transpose": lambda T, F, L: L.x.transpose(0, 1),
    "t": lambda T, F, L: L.x.t(),
    "T": lambda T, F, L: L.x.T,
    "permute": lambda T, F, L: L.B.permute(2, 0, 1),
    "squeeze": lambda T, F, L: L.x.unsqueeze(0).squeeze(),
    "squeeze(0)": lambda T, F, L: L.x.unsqueeze(0).squeeze(0),
    "squeeze(1) (not size 1)": lambda T, F, L: L.x.squeeze(1),
    "unsqueeze": lambda T, F, L: L.x.unsqueeze(-1),
    "expand": lambda T, F, L: L.b.expand(2, 3),
    "expand(-1)": lambda T, F, L: L.x.unsqueeze(0).expand(4, -1, -1),
    "expand_as": lambda T, F, L: L.b.expand_as(L.x),
    # indexing
    "x[0]": lambda T, F, L: L.x[0],
    "x[-1]": lambda T, F, L: L.x[-1],
    "x[0, 1:3]": lambda T, F, L: L.x[0, 1:3],
    "x[:, ::2]": lambda T, F, L: L.x[:, ::2],
    "x[1:, 1:]": lambda T, F, L: L.x[1:, 1:],
    "x[:]": lambda T, F, L: L.x[:],
    "x[:, :]": lambda T, F, L: L.x[:, :],
    "x[...]": lambda T, F, L: L.x[...],
    "x[..., 1]": lambda T, F, L: L.x[..., 1],
    "x[None]": lambda T, F, L: L.x[None],
    "x[:, None, 0]": lambda T, F, L: L.x[:, None, 0],
    "s[...]": lambda T, F, L: L.s[...],
    "s[None]": lambda T, F, L: L.s[None],
    "x[mask]": lambda T, F, L: L.x[L.mask],
    "x[x > 0]": lambda T, F, L: L.x[L.x > 0],
    "x[[0, 0, 1]]": lambda T, F, L: L.x[[0, 0, 1]],
    "x[:, [2, 2]]": lambda T, F, L: L.x[:, [2, 2]],
    "x[0, [1, 1]]": lambda T, F, L: L.x[0, [1, 1]],
    "x[[0, 1], [2, 2]]": lambda T, F, L: L.x[[0, 1], [2, 2]],
    "x[tensor([1, 0])]": lambda T, F, L: L.x[T.tensor([1, 0])],
    "x[argmax]": lambda T, F, L: L.x[L.x[:, 0].argmax()],
    "B[0, :, [0, 2]]": lambda T, F, L: L.B[0, :, [0, 2]],
    # joining and choosing
    "cat": lambda T, F, L: T.cat([L.x, L.y, L.n]),
    "cat(dim=1)": lambda T, F, L: T.cat([L.x, L.y], dim=1),
    "stack": lambda T, F, L: T.stack([L.x, L.n]),
    "stack(dim=-1)": lambda T, F, L: T.stack([L.x, L.y], dim=-1),
    "where": lambda T, F, L: T.where(L.mask, L.x, L.y),
    "where(x > 0, x, 0.0)": lambda T, F, L: T.where(L.x > 0, L.x, 0.0),
    "where(mask, 1.0, y)": lambda T, F, L: T.where(L.mask, 1.0, L.y),
    "where(mask, x, n)": lambda T, F, L: T.where(L.mask, L.x, L.n),
    # comparisons: bool results, outside the graph
    "x > y": lambda T, F, L: L.x > L.y,
    "x == 0.5": lambda T, F, L: L.x == 0.5,
    "(x > 0).float() * x": lambda T, F, L: ((L.x > 0).float() * L.x, (L.x > 0).float()),
    "x.argmax()": lambda T, F, L: L.x.argmax(),
    # copies, dtypes
    "clone": lambda T, F, L: L.x.clone(),
    "to(float64)": lambda T, F, L: L.x.to(T.float64),
    "double().float()": lambda T, F, L: L.x.double().float(),
    "to(float32) (same dtype)": lambda T, F, L: L.x.to(T.float32) * 1,
    # nn.functional
    "F.linear": lambda T, F, L: F.linear(L.x, L.w, L.m[0]),
    "F.linear (no bias)": lambda T, F, L: F.linear(L.x, L.w),
    "F.linear (1-d input)": lambda T, F, L: F.linear(L.b, L.w, L.m[0]),
    "F.linear (1-d, no bias)": lambda T, F, L: F.linear(L.b, L.w),
    "F.linear (3-d input)": lambda T, F, L: F.linear(L.B, L.w, L.m[0]),
    "F.linear (no grad input)": lambda T, F, L: F.linear(L.n, L.w, L.m[0]),
    "F.mse_loss": lambda T, F, L: F.mse_loss(L.x, L.y),
    "F.mse_loss (sum)": lambda T, F, L: F.mse_loss(L.x, L.n, reduction="sum"),
    "F.mse_loss (none)": lambda T, F, L: F.mse_loss(L.x, L.y, reduction="none"),
    "F.cross_entropy": lambda T, F, L: F.cross_entropy(L.x, L.target),
    "F.cross_entropy (sum)": lambda T, F, L: F.cross_entropy(L.x, L.target, reduction="sum"),
    "F.cross_entropy (1-d)": lambda T, F, L: F.cross_entropy(L.b, L.target[0]),
    "F.nll_loss": lambda T, F, L: F.nll_loss(L.x.log_softmax(1), L.target),
    "F.nll_loss (none)": lambda T, F, L: F.nll_loss(L.x, L.target, reduction="none"),
    "F.binary_cross_entropy": lambda T, F, L: F.binary_cross_entropy(L.p, L.n / 7),
    "F.binary_cross_entropy (target grad)": lambda T, F, L: F.binary_cross_entropy(L.p, L.y.sigmoid()),
    "F.binary_cross_entropy (none)": lambda T, F, L: F.binary_cross_entropy(L.x.sigmoid(), L.p, reduction="none"),
    "F.binary_cross_entropy_with_logits": lambda T, F, L: F.binary_cross_entropy_with_logits(L.x, L.p),
    "F.bce_with_logits (sum, no-grad target)": lambda T, F, L: F.binary_cross_entropy_with_logits(
        L.x, L.n / 7, reduction="sum"),
    # composites
    "linear layer + relu + mse": lambda T, F, L: F.mse_loss(F.linear(L.x, L.w, L.m[0]).relu(),
                                                           L.n[:, :1].expand(2, 4)),
    "logistic regression": lambda T, F, L: F.binary_cross_entropy(
        (L.x @ L.v + L.s).sigmoid(), T.tensor([1.0, 0.0])),
    "softmax by hand": lambda T, F, L: L.x.exp() / L.x.exp().sum(1, keepdim=True),
    "shared subexpression": lambda T, F, L: shared_subexpression(T, L),
    "diamond": lambda T, F, L: diamond(T, L),
    "no_grad block": lambda T, F, L: no_grad_block(T, L),
    "detach": lambda T, F, L: detached(T, L),
    # in place on non-leaves
    "z = x*1; z.add_(1); z.mul_(2)": lambda T, F, L: inplace_add_mul(T, L),
    "z.zero_()": lambda T, F, L: inplace_zero(T, L),
    "z.copy_(y)": lambda T, F, L: inplace_copy(T, L),
    "z.copy_(b) (broadcast)": lambda T, F, L: inplace_copy_broadcast(T, L),
    "z += y; z -= 1; z *= b; z /= 4": lambda T, F, L: inplace_operators(T, L),
    "z.sub_(y); z.div_(2)": lambda T, F, L: inplace_sub_div(T, L),
    "z.clamp_(); u.fill_()": lambda T, F, L: inplace_fill_clamp(T, L),
    "z.add_(b) then used": lambda T, F, L: inplace_then_used(T, L),
    "n.clone().add_(x)": lambda T, F, L: inplace_into_no_grad(T, L),
    "n.clone().mul_(2)": lambda T, F, L: inplace_keeps_requires_grad_false(T, L),
    "z[0] = b": lambda T, F, L: setitem_into_non_leaf(T, L),
    "n.clone()[1] = b * 2": lambda T, F, L: setitem_into_no_grad(T, L),
}


def build(T, name):
    L = make_leaves(T)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. PyTorch's note on x.T; warnings are test_engine's business
        result = EXPRESSIONS[name](T, F_of(T), L)
    results = list(result) if isinstance(result, tuple) else [result]
    return L, results


def describe(t):
    """What must agree for every tensor an expression returns."""
    return {
        "requires_grad": t.requires_grad,
        "is_leaf": t.is_leaf,
        "dtype": str(t.dtype),
        "shape": tuple(t.shape),
        "version": t._version,
    }


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_graph_matches_pytorch(name, torch):
    L, results = build(nb, name)
    TL, t_results = build(torch, name)
    assert [describe(r) for r in results] == [describe(r) for r in t_results]
    roots = [r for r in results if r.grad_fn is not None]
    t_roots = [r for r in t_results if r.grad_fn is not None]
    assert graph_structure(roots, leaf_list(L)) == graph_structure(t_roots, leaf_list(TL))
    for r, t in zip(results, t_results):
        np.testing.assert_allclose(r.detach().numpy(), t.detach().numpy(), rtol=1e-6, atol=1e-6)

    # and backward through it gives PyTorch's gradients
    out, t_out = results[0], t_results[0]
    if t_out.requires_grad:
        assert_same_leaf_grads(L, out, TL, t_out)


def assert_same_leaf_grads(L, out, TL, t_out):
    """Backward from the sum of ``out`` (autograd_nb) and ``t_out`` (PyTorch) fills the same leaves'
    ``.grad`` with the same values."""
    out.sum().backward()
    t_out.sum().backward()
    for k in sorted(LEAVES_WITH_GRAD):
        g, h = getattr(L, k).grad, getattr(TL, k).grad
        assert (g is None) == (h is None), k
        if h is not None:
            np.testing.assert_allclose(g.numpy(), h.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)

def test_graph_structure_sees_edges_and_leaves(torch):
    """The comparison is only as good as the walk: check it on a graph written out by hand."""
    L, (out,) = build(nb, "x * y")
    assert graph_structure(out, leaf_list(L)) == (
        [(0, 0)],
        [("MulBackward0", ((1, 0), (2, 0))), (("AccumulateGrad", 0), ()), (("AccumulateGrad", 1), ())],
    )
    TL, (t_out,) = build(torch, "x + n (no grad)")
    assert graph_structure(t_out, leaf_list(TL)) == (
        [(0, 0)], [("AddBackward0", ((1, 0), (None, 0))), (("AccumulateGrad", 0), ())]
    )
    TL, t_results = build(torch, "max(1)")
    assert graph_structure(t_results, leaf_list(TL))[0] == [(0, 0), (None, 0)]  # indices: no grad_fn


# ---------------------------------------------------------------------------------------------
# Batched products: matmul composed as PyTorch composes it (folded into mm/mv, or expanded for bmm)
# ---------------------------------------------------------------------------------------------
BATCHED = {
    "B @ m": lambda T, L: L.B @ L.m,
    "B @ B.transpose(1, 2)": lambda T, L: L.B @ L.B.transpose(1, 2),
    "B @ v": lambda T, L: L.B @ L.v,
    "b[:2] @ B": lambda T, L: L.b[:2] @ L.B,
    "x.t() @ B": lambda T, L: L.x.t() @ L.B,
    "n.t() @ B": lambda T, L: L.n.t() @ L.B,
    "B.transpose(0, 1) @ m": lambda T, L: L.B.transpose(0, 1) @ L.m,
    "B.detach() @ m": lambda T, L: L.B.detach() @ L.m,
    "B @ m.detach()": lambda T, L: L.B @ L.m.detach(),
    "B[None] @ B.transpose(1, 2)": lambda T, L: L.B[None] @ L.B.transpose(1, 2),
    "B[:1] @ B.transpose(1, 2)": lambda T, L: L.B[:1] @ L.B.transpose(1, 2),
    "B.transpose(1, 2) @ B[:1].detach()": lambda T, L: L.B.transpose(1, 2) @ L.B[:1].detach(),
    "F.linear(B, w)": lambda T, L: F_of(T).linear(L.B, L.w),
}


@pytest.mark.parametrize("name", BATCHED)
def test_batched_matmul_records_pytorchs_graph(name, torch):
    L, TL = make_leaves(nb), make_leaves(torch)
    out, t_out = BATCHED[name](nb, L), BATCHED[name](torch, TL)
    assert graph_structure(out, leaf_list(L)) == graph_structure(t_out, leaf_list(TL))
    np.testing.assert_allclose(out.detach().numpy(), t_out.detach().numpy(), rtol=1e-6)
    assert_same_leaf_grads(L, out, TL, t_out)


def test_reshape_of_non_contiguous_copies_as_pytorch(torch):
    # PyTorch cannot view a transposed tensor as 1-d, so reshape copies first: both record
    # UnsafeViewBackward0 <- CloneBackward0 <- TBackward0, and the result is not a view
    L, TL = make_leaves(nb), make_leaves(torch)
    out, t_out = L.x.t().reshape(-1), TL.x.t().reshape(-1)
    expected = ([(0, 0)], [("UnsafeViewBackward0", ((1, 0),)), ("CloneBackward0", ((2, 0),)), ("TBackward0", ((3, 0),)),
                           (("AccumulateGrad", 0), ())])
    assert graph_structure(out, leaf_list(L)) == expected == graph_structure(t_out, leaf_list(TL))
    assert out._base is None and t_out._base is None
    assert out.tolist() == pytest.approx(t_out.tolist())
    weights = list(range(6))
    (out * nb.tensor(weights)).sum().backward()
    (t_out * torch.tensor(weights)).sum().backward()
    assert L.x.grad.tolist() == TL.x.grad.tolist()



# ---------------------------------------------------------------------------------------------
# Known bugs outside ops/ (reported; strict xfail, so a fix shows up as XPASS: then drop the mark)
# ---------------------------------------------------------------------------------------------
FIXED = {
    # once listed as differences, now the same as PyTorch
    "b.flatten() (1-d)": lambda T, F, L: L.b.flatten(),
    "x.add(y, alpha=2)": lambda T, F, L: L.x.add(L.y, alpha=2),
    "x.sub(y, alpha=2)": lambda T, F, L: L.x.sub(L.y, alpha=2),
    "F.mse_loss(x, b) (broadcast)": lambda T, F, L: F.mse_loss(L.x, L.b),
    "F.l1_loss(b, x) (broadcast)": lambda T, F, L: F.l1_loss(L.b, L.x),
    "broadcast_tensors(x, b)": lambda T, F, L: T.broadcast_tensors(L.x, L.b)[0],
    "F.linear(B.transpose(0, 1), w, bias)": lambda T, F, L: F.linear(L.B.transpose(0, 1), L.w, L.m[0]),
    "F.linear(B[None], w, bias)": lambda T, F, L: F.linear(L.B[None], L.w, L.m[0]),
}

KNOWN = {
}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) for name, (_, reason) in KNOWN.items()
] + list(FIXED))
def test_known_graph_differences(name, torch):
    expression = FIXED[name] if name in FIXED else KNOWN[name][0]
    L, TL = make_leaves(nb), make_leaves(torch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, t_out = expression(nb, nbF, L), expression(torch, torch.nn.functional, TL)
    assert describe(out) == describe(t_out)
    assert (out is L.b) == (t_out is TL.b)
    roots = [out] if out.grad_fn is not None else []
    t_roots = [t_out] if t_out.grad_fn is not None else []
    assert graph_structure(roots, leaf_list(L)) == graph_structure(t_roots, leaf_list(TL))
