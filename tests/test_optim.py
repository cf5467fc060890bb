"""``autograd_nb.optim`` against ``torch.optim``: training parity step by step, the zero_grad idioms,
state, reprs and errors.

Parity runs build the same model in both libraries, copy PyTorch's initial weights into ours
(``load_state_dict`` accepts PyTorch tensors), train 20 full-batch steps, and compare the loss before
each step and every parameter after it: tightly in float64, loosely in float32 (PyTorch fuses some
multiply-adds, which changes the last bits).
"""
import math

import numpy as np
import pytest

import autograd_nb as nb
import autograd_nb.optim  # noqa: F401  (makes nb.optim available)

STEPS = 20
TOLERANCES = {"float64": dict(rtol=1e-12, atol=1e-14), "float32": dict(rtol=1e-5, atol=1e-6)}


# ---------------------------------------------------------------------------------------- problems
def classification(lib):
    """2 → 8 → 3 with ReLU, cross-entropy on 3 classes."""
    nn = lib.nn
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3)), nn.CrossEntropyLoss()


def regression(lib):
    """3 → 5 → 1 with Tanh, mean squared error."""
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1)), nn.MSELoss()


def data_for(problem):
    rng = np.random.default_rng(0)
    if problem is classification:
        x = rng.standard_normal((16, 2))
        return x, (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0.5).astype(np.int64)
    x = rng.standard_normal((16, 3))
    return x, np.sin(x.sum(axis=1, keepdims=True))


def as_tensor(lib, array, dtype):
    if array.dtype == np.int64:
        return lib.tensor(array)
    return lib.tensor(array, dtype=getattr(lib, dtype))


def twin_models(torch, problem, dtype):
    """The same model in both libraries, with PyTorch's initial weights copied into ours."""
    torch.manual_seed(0)
    theirs, their_loss = problem(torch)
    theirs.to(getattr(torch, dtype))
    ours, our_loss = problem(nb)
    ours.to(getattr(nb, dtype))
    ours.load_state_dict(theirs.state_dict())
    return (ours, our_loss), (theirs, their_loss)


OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum_weight_decay": ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=1e-2)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_dampening": ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=1e-3)),
    "sgd_maximize": ("SGD", dict(lr=0.01, momentum=0.5, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_weight_decay": ("Adam", dict(lr=0.01, weight_decay=0.1)),
    "adam_amsgrad": ("Adam", dict(lr=0.02, betas=(0.8, 0.99), amsgrad=True)),
    "adam_decoupled_weight_decay": ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
}


def train(lib, model, loss_fn, optimizer, x, y):
    """The standard loop; returns the losses and a snapshot of the parameters after each step."""
    losses, snapshots = [], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        snapshots.append([p.detach().numpy().copy() for p in model.parameters()])
    return losses, snapshots


# ---------------------------------------------------------------------------------------- parity
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("problem", [classification, regression])
@pytest.mark.parametrize("config", list(OPTIMIZERS))
def test_training_matches_pytorch_step_by_step(torch, config, problem, dtype):
    name, kwargs = OPTIMIZERS[config]
    (ours, our_loss), (theirs, their_loss) = twin_models(torch, problem, dtype)
    x, y = data_for(problem)
    our_run = train(nb, ours, our_loss, getattr(nb.optim, name)(ours.parameters(), **kwargs),
                    as_tensor(nb, x, dtype), as_tensor(nb, y, dtype))
    their_run = train(torch, theirs, their_loss, getattr(torch.optim, name)(theirs.parameters(), **kwargs),
                      as_tensor(torch, x, dtype), as_tensor(torch, y, dtype))
    tol = TOLERANCES[dtype]
    for step in range(STEPS):
        assert our_run[0][step] == pytest.approx(their_run[0][step], rel=tol["rtol"], abs=tol["atol"]), step
        for ours_p, theirs_p in zip(our_run[1][step], their_run[1][step]):
            np.testing.assert_allclose(ours_p, theirs_p, err_msg=f"step {step}", **tol)
    assert our_run[0][-1] != our_run[0][0]  # it did train
    if not kwargs.get("maximize"):
        assert our_run[0][-1] < our_run[0][0]


@pytest.mark.parametrize("config", ["sgd_momentum_weight_decay", "adam_amsgrad"])
def test_optimizer_state_matches_pytorch(torch, config):
    name, kwargs = OPTIMIZERS[config]
    (ours, our_loss), (theirs, their_loss) = twin_models(torch, regression, "float64")
    x, y = data_for(regression)
    our_opt = getattr(nb.optim, name)(ours.parameters(), **kwargs)
    their_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    train(nb, ours, our_loss, our_opt, nb.tensor(x), nb.tensor(y))
    train(torch, theirs, their_loss, their_opt, torch.tensor(x), torch.tensor(y))
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        ours_state, theirs_state = our_opt.state[p], their_opt.state[tp]
        assert list(ours_state) == list(theirs_state)
        for key in ours_state:
            np.testing.assert_allclose(ours_state[key].numpy(), theirs_state[key].numpy(), rtol=1e-10, atol=1e-12)
        if "step" in ours_state:
            assert repr(ours_state["step"]) == repr(theirs_state["step"]) == "tensor(20.)"


def test_sgd_momentum_buffer_starts_as_the_first_gradient(torch):
    """b₁ = g₁ (not (1 - dampening)·g₁, not 0): PyTorch's initialisation, weight decay included."""
    for lib in (nb, torch):
        w = lib.nn.Parameter(lib.tensor([1.0, -2.0], dtype=lib.float64))
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1)
        (w ** 2).sum().backward()  # g = 2w = [2, -4]; with decay g + 0.1w = [2.1, -4.2]
        opt.step()
        np.testing.assert_allclose(opt.state[w]["momentum_buffer"].numpy(), [2.1, -4.2], rtol=1e-15)
        np.testing.assert_allclose(w.detach().numpy(), [1.0 - 0.21, -2.0 + 0.42], rtol=1e-15)
        opt.zero_grad()
        (w ** 2).sum().backward()  # second step: b = 0.9 b + 0.5 g
        g = 2 * np.array([0.79, -1.58]) + 0.1 * np.array([0.79, -1.58])
        opt.step()
        np.testing.assert_allclose(opt.state[w]["momentum_buffer"].numpy(), 0.9 * np.array([2.1, -4.2]) + 0.5 * g,
                                   rtol=1e-14)


def test_adam_first_step_is_lr_times_sign():
    """With bias correction, m̂₁ = g and v̂₁ = g², so the first step is lr · g / (|g| + ε) ≈ lr · sign(g)."""
    w = nb.nn.Parameter(nb.tensor([3.0, -0.001, 50.0], dtype=nb.float64))
    opt = nb.optim.Adam([w], lr=0.1)
    (w ** 2).sum().backward()
    opt.step()
    g = 2 * np.array([3.0, -0.001, 50.0])
    expected = np.array([3.0, -0.001, 50.0]) - 0.1 * g / (np.abs(g) + 1e-8)
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-13)
    assert opt.state[w]["step"].item() == 1.0


def test_param_groups_with_their_own_settings(torch):
    (ours, our_loss), (theirs, their_loss) = twin_models(torch, classification, "float64")
    x, y = data_for(classification)

    def groups(model):
        return [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.01, "momentum": 0.5}]

    our_opt = nb.optim.SGD(groups(ours), lr=0.1, momentum=0.9)
    their_opt = torch.optim.SGD(groups(theirs), lr=0.1, momentum=0.9)
    assert repr(our_opt) == repr(their_opt)
    our_run = train(nb, ours, our_loss, our_opt, nb.tensor(x), nb.tensor(y))
    their_run = train(torch, theirs, their_loss, their_opt, torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(our_run[0], their_run[0], rtol=1e-10)
    for a, b in zip(our_run[1][-1], their_run[1][-1]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_named_parameters_are_accepted(torch):
    ours = nb.optim.Adam(classification(nb)[0].named_parameters())
    theirs = torch.optim.Adam(classification(torch)[0].named_parameters())
    assert ours.param_groups[0]["param_names"] == theirs.param_groups[0]["param_names"] == [
        "0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(isinstance(p, nb.Tensor) for p in ours.param_groups[0]["params"])


def test_closure_runs_with_grad_enabled_and_its_loss_is_returned(torch):
    for lib, optim in ((nb, nb.optim), (torch, torch.optim)):
        w = lib.nn.Parameter(lib.tensor([1.0, 2.0], dtype=lib.float64))
        opt = optim.SGD([w], lr=0.25)

        def closure():
            opt.zero_grad()
            loss = (w ** 2).sum()
            loss.backward()
            return loss

        with lib.no_grad():  # step turns grad mode on for the closure, and off for the update
            loss = opt.step(closure)
        assert loss.item() == 5.0
        assert w.tolist() == [0.5, 1.0]
        assert w.grad_fn is None and w.is_leaf


# ---------------------------------------------------------------------------------------- zero_grad idioms
def _fresh_pair(torch):
    """Two of our models with the same (PyTorch-initialised) weights."""
    (first, loss_fn), _ = twin_models(torch, regression, "float64")
    (second, _), _ = twin_models(torch, regression, "float64")
    return first, second, loss_fn


@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01))])
def test_gradient_accumulation_equals_summed_loss(torch, name, kwargs):
    """Two backward calls before one step == one step on the summed loss (backward adds into .grad)."""
    accumulated, summed, loss_fn = _fresh_pair(torch)
    x, y = data_for(regression)
    x1, y1, x2, y2 = nb.tensor(x[:8]), nb.tensor(y[:8]), nb.tensor(x[8:]), nb.tensor(y[8:])
    opt_a = getattr(nb.optim, name)(accumulated.parameters(), **kwargs)
    opt_s = getattr(nb.optim, name)(summed.parameters(), **kwargs)
    for _ in range(3):
        opt_a.zero_grad()
        loss_fn(accumulated(x1), y1).backward()
        loss_fn(accumulated(x2), y2).backward()
        opt_a.step()

        opt_s.zero_grad()
        (loss_fn(summed(x1), y1) + loss_fn(summed(x2), y2)).backward()
        opt_s.step()
        for p, q in zip(accumulated.parameters(), summed.parameters()):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_forgetting_zero_grad_accumulates_as_in_pytorch(torch):
    (ours, our_loss), (theirs, their_loss) = twin_models(torch, regression, "float64")
    (correct, _), _ = twin_models(torch, regression, "float64")
    x, y = data_for(regression)
    our_opt = nb.optim.SGD(ours.parameters(), lr=0.05)
    their_opt = torch.optim.SGD(theirs.parameters(), lr=0.05)
    correct_opt = nb.optim.SGD(correct.parameters(), lr=0.05)

    for _ in range(5):
        our_loss(ours(nb.tensor(x)), nb.tensor(y)).backward()  # no zero_grad: gradients pile up
        their_loss(theirs(torch.tensor(x)), torch.tensor(y)).backward()
        our_opt.step()
        their_opt.step()
        correct_opt.zero_grad()
        our_loss(correct(nb.tensor(x)), nb.tensor(y)).backward()
        correct_opt.step()
        for p, tp in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-10, atol=1e-12)
    # after the second backward, .grad held g₁ + g₂; the correct loop's weights differ
    assert not all(np.allclose(p.detach().numpy(), q.detach().numpy()) for p, q in
                   zip(ours.parameters(), correct.parameters()))

    # the same input twice without zero_grad: exactly twice the gradient
    model, loss_fn = regression(nb)
    model.double()
    loss_fn(model(nb.tensor(x)), nb.tensor(y)).backward()
    once = [p.grad.numpy().copy() for p in model.parameters()]
    loss_fn(model(nb.tensor(x)), nb.tensor(y)).backward()
    for p, g in zip(model.parameters(), once):
        np.testing.assert_allclose(p.grad.numpy(), 2 * g, rtol=1e-15)


def test_optimizer_zero_grad_set_to_none_and_zeros(torch):
    for lib, optim in ((nb, nb.optim), (torch, torch.optim)):
        model, loss_fn = regression(lib)
        opt = optim.SGD(model.parameters(), lr=0.1)
        model(lib.ones(2, 3)).sum().backward()
        grads = [p.grad for p in model.parameters()]
        opt.zero_grad(set_to_none=False)
        assert all(p.grad is g and not p.grad.numpy().any() for p, g in zip(model.parameters(), grads))
        opt.zero_grad()
        assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.1)),
                                          ("Adam", dict(lr=0.1, weight_decay=0.1))])
def test_parameters_without_grad_are_skipped(torch, name, kwargs):
    """grad None: no update and no state (even with weight decay); a zero grad is still a step."""
    for lib, optim in ((nb, nb.optim), (torch, torch.optim)):
        used = lib.nn.Parameter(lib.tensor([1.0, 2.0], dtype=lib.float64))
        unused = lib.nn.Parameter(lib.tensor([3.0, 4.0], dtype=lib.float64))
        opt = getattr(optim, name)([used, unused], **kwargs)
        (used ** 2).sum().backward()
        opt.step()
        assert unused.tolist() == [3.0, 4.0] and unused.grad is None
        assert unused not in opt.state and used in opt.state
        assert used.tolist() != [1.0, 2.0]

        opt.zero_grad(set_to_none=False)
        (used ** 2).sum().backward()
        unused.grad = lib.zeros(2, dtype=lib.float64)
        opt.step()
        assert unused.tolist() != [3.0, 4.0]  # weight decay moves it: a zero gradient is not "no gradient"


def test_frozen_layer_is_not_updated():
    model, loss_fn = classification(nb)
    model[0].requires_grad_(False)
    frozen = [p.detach().numpy().copy() for p in model[0].parameters()]
    opt = nb.optim.Adam(model.parameters(), lr=0.1)
    x, y = data_for(classification)
    train(nb, model, loss_fn, opt, nb.tensor(x, dtype=nb.float32), nb.tensor(y))
    for p, before in zip(model[0].parameters(), frozen):
        np.testing.assert_array_equal(p.detach().numpy(), before)
        assert p not in opt.state


def test_step_updates_in_place_and_keeps_leaves():
    model, loss_fn = regression(nb)
    params = list(model.parameters())
    versions = [p._version for p in params]
    opt = nb.optim.SGD(model.parameters(), lr=0.1)
    loss_fn(model(nb.ones(4, 3)), nb.zeros(4, 1)).backward()
    opt.step()
    assert all(p is q for p, q in zip(params, model.parameters()))
    assert all(p._version > v for p, v in zip(params, versions))
    assert all(p.is_leaf and p.requires_grad and p.grad_fn is None for p in model.parameters())
    assert all(isinstance(p, nb.nn.Parameter) for p in model.parameters())


# ---------------------------------------------------------------------------------------- reprs and errors
@pytest.mark.parametrize("name, kwargs", [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=1e-4, nesterov=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=3e-4, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True)),
])
def test_optimizer_repr_matches_pytorch(torch, name, kwargs):
    ours = getattr(nb.optim, name)(classification(nb)[0].parameters(), **kwargs)
    theirs = getattr(torch.optim, name)(classification(torch)[0].parameters(), **kwargs)
    assert repr(ours) == repr(theirs)
    assert sorted(ours.defaults) == sorted(theirs.defaults)
    assert sorted(ours.param_groups[0]) == sorted(theirs.param_groups[0])


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def _error_cases(lib, optim):
    w = lib.nn.Parameter(lib.ones(2))
    return {
        "empty": lambda: optim.SGD([], lr=0.1),
        "empty_model": lambda: optim.Adam(lib.nn.ReLU().parameters()),
        "tensor": lambda: optim.SGD(w, lr=0.1),
        "not_tensor": lambda: optim.SGD([1.0], lr=0.1),
        "set": lambda: optim.SGD([{"params": {w}}], lr=0.1),
        "non_leaf": lambda: optim.SGD([w * 2], lr=0.1),
        "twice": lambda: optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1),
        "lr": lambda: optim.SGD([w], lr=-0.1),
        "momentum": lambda: optim.SGD([w], lr=0.1, momentum=-0.5),
        "weight_decay": lambda: optim.SGD([w], lr=0.1, weight_decay=-1),
        "nesterov": lambda: optim.SGD([w], lr=0.1, nesterov=True),
        "nesterov_dampening": lambda: optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        "adam_lr": lambda: optim.Adam([w], lr=-1e-3),
        "adam_eps": lambda: optim.Adam([w], eps=-1e-8),
        "adam_beta0": lambda: optim.Adam([w], betas=(1.0, 0.999)),
        "adam_beta1": lambda: optim.Adam([w], betas=(0.9, -0.1)),
        "adam_weight_decay": lambda: optim.Adam([w], weight_decay=-0.1),
    }


def test_errors_match_pytorch(torch):
    ours, theirs = _error_cases(nb, nb.optim), _error_cases(torch, torch.optim)
    for key in ours:
        assert _error(ours[key]) == _error(theirs[key]), key
    assert _error(ours["empty"]) == ("ValueError", "optimizer got an empty parameter list")
    assert _error(ours["lr"]) == ("ValueError", "Invalid learning rate: -0.1")


def test_duplicate_parameters_warn(torch):
    for lib, optim in ((nb, nb.optim), (torch, torch.optim)):
        w = lib.nn.Parameter(lib.ones(2))
        with pytest.warns(UserWarning, match="duplicate parameters"):
            optim.SGD([w, w], lr=0.1)


def test_default_learning_rates(torch):
    w = nb.nn.Parameter(nb.ones(1))
    tw = torch.nn.Parameter(torch.ones(1))
    assert nb.optim.SGD([w]).defaults["lr"] == torch.optim.SGD([tw]).defaults["lr"] == 1e-3
    assert nb.optim.Adam([w]).defaults["lr"] == torch.optim.Adam([tw]).defaults["lr"] == 1e-3
    assert math.isclose(nb.optim.Adam([w]).defaults["eps"], 1e-8)
