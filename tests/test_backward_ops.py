"""Backward formulas that are operations of their own, as in PyTorch: tanh, sigmoid, relu, softmax and
log_softmax.

Their backward runs one op (``TanhGrad`` ...) instead of several, and ``create_graph=True`` records
the node PyTorch records (``TanhBackwardBackward0`` ...). Checked against PyTorch: node names, second and
third derivatives, forward-over-reverse Hessian-vector products; and with central differences.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_nb as nb

OPS = {
    "tanh": lambda lib, x: x.tanh(),
    "sigmoid": lambda lib, x: x.sigmoid(),
    "relu": lambda lib, x: lib.relu(x),
    # (times 0, 1, 2, ...: the gradient of a plain sum of softmax would be zero)
    "softmax": lambda lib, x: lib.softmax(x, 0) * lib.arange(x.numel(), dtype=x.dtype),
    "log_softmax": lambda lib, x: lib.log_softmax(x, 0) * lib.arange(x.numel(), dtype=x.dtype),
}
NODES = {"tanh": "TanhBackwardBackward0", "sigmoid": "SigmoidBackwardBackward0",
         "relu": "ThresholdBackwardBackward0", "softmax": "SoftmaxBackwardDataBackward0",
         "log_softmax": "LogSoftmaxBackwardDataBackward0"}

# values away from relu's kink at 0, where the derivative is not defined
values = hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3))


def derivatives(lib, op, x_np, v_np):
    """First, second and third derivatives along v (each a vector-Jacobian product), and their node names."""
    x = lib.tensor(x_np, requires_grad=True)
    y = OPS[op](lib, x)
    v = lib.tensor(v_np)
    (g1,) = lib.autograd.grad(y, x, v, create_graph=True)
    (g2,) = lib.autograd.grad(g1, x, v, create_graph=True)
    (g3,) = lib.autograd.grad(g2, x, v, allow_unused=True, materialize_grads=True)
    name = g1.grad_fn.name()
    return [g.detach().numpy() for g in (g1, g2, g3)], name


@pytest.mark.parametrize("op", sorted(OPS))
@given(x=values, data=st.data())
def test_higher_derivatives_and_nodes_match_pytorch(op, x, data, torch):
    v = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-2, 2)))
    ours, our_name = derivatives(nb, op, x, v)
    theirs, their_name = derivatives(torch, op, x, v)
    assert our_name == their_name == NODES[op]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_forward_over_reverse_hvp_matches_pytorch(op, torch):
    x = np.array([-1.5, -0.2, 0.4, 2.0])
    v = np.array([1.0, -2.0, 0.5, 3.0])
    ours = nb.autograd.functional.hvp(lambda t: OPS[op](nb, t).sum(), nb.tensor(x), nb.tensor(v))[1]
    theirs = torch.autograd.functional.hvp(lambda t: OPS[op](torch, t).sum(), torch.tensor(x), torch.tensor(v))[1]
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("op", sorted(OPS))
def test_backward_ops_pass_gradcheck_and_gradgradcheck(op):
    from autograd_nb.ops import activation

    function = {"tanh": activation.TanhGrad.apply, "sigmoid": activation.SigmoidGrad.apply,
                "relu": activation.ThresholdGrad.apply,
                "softmax": lambda g, z: activation.SoftmaxGrad.apply(g, z, 0),
                "log_softmax": lambda g, z: activation.LogSoftmaxGrad.apply(g, z, 0)}[op]
    rng = np.random.default_rng(0)
    z_values = rng.uniform(0.1, 0.9, 5) * rng.choice([-1, 1], 5)  # a possible tanh/sigmoid/relu output
    g = nb.tensor(rng.standard_normal(5), requires_grad=True)
    z = nb.tensor(z_values, requires_grad=True)
    assert nb.autograd.gradcheck(function, (g, z))
    assert nb.autograd.gradgradcheck(function, (g, z))


def forward_over_reverse(lib, op, x_np, v_np, t_np):
    """The tangent of the gradient vᵀJ when x moves along t: runs the backward op's ``jvp``."""
    fwAD = lib.autograd.forward_ad
    with fwAD.dual_level():
        x = fwAD.make_dual(lib.tensor(x_np), lib.tensor(t_np))
        x.requires_grad_()
        (g,) = lib.autograd.grad(OPS[op](lib, x), x, lib.tensor(v_np), create_graph=True)
        return fwAD.unpack_dual(g).tangent.detach().numpy()


@pytest.mark.parametrize("op", sorted(OPS))
def test_tangent_of_the_gradient_matches_pytorch(op, torch):
    x = np.array([-1.5, -0.2, 0.4, 2.0])
    v = np.array([1.0, -2.0, 0.5, 3.0])
    t = np.array([0.3, 1.0, -1.0, 2.0])
    np.testing.assert_allclose(forward_over_reverse(nb, op, x, v, t), forward_over_reverse(torch, op, x, v, t),
                               rtol=1e-12)
