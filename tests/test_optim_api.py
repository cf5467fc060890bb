"""RMSprop, Adagrad, AdamW, parameter groups, optimizer state dicts and learning-rate schedulers, step for
step against PyTorch from the same weights and data."""
import copy
import warnings

import numpy as np
import pytest

import autograd_nb as nb

STEPS = 8
TOLERANCES = {"float64": dict(rtol=1e-11, atol=1e-13), "float32": dict(rtol=2e-5, atol=2e-6)}


def model_for(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 2))


def twin_models(torch, dtype):
    torch.manual_seed(1)
    theirs = model_for(torch).to(getattr(torch, dtype))
    ours = model_for(nb).to(getattr(nb, dtype))
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


_rng = np.random.default_rng(5)
X = _rng.standard_normal((12, 3))
Y = _rng.standard_normal((12, 2))


def run(lib, model, optimizer, dtype, steps=STEPS, scheduler=None):
    """Train with MSE; the loss before each step and the parameters after it."""
    x, y = lib.tensor(X, dtype=getattr(lib, dtype)), lib.tensor(Y, dtype=getattr(lib, dtype))
    losses, snapshots = [], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        snapshots.append([p.detach().numpy().copy() for p in model.parameters()])
    return losses, snapshots


def assert_same_run(ours, theirs, dtype):
    tol = TOLERANCES[dtype]
    for step, (a, b) in enumerate(zip(ours[0], theirs[0])):
        assert a == pytest.approx(b, rel=tol["rtol"], abs=tol["atol"]), step
    for step, (ps, qs) in enumerate(zip(ours[1], theirs[1])):
        for p, q in zip(ps, qs):
            np.testing.assert_allclose(p, q, err_msg=f"step {step}", **tol)


CONFIGS = [
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.005, "centered": True, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "centered": True, "momentum": 0.5, "maximize": True}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01}),
    ("Adagrad", {"lr": 0.05, "initial_accumulator_value": 0.3, "eps": 1e-6, "maximize": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    ("AdamW", {"lr": 0.01, "betas": (0.8, 0.95), "maximize": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.05}),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CONFIGS)
def test_training_matches_pytorch_step_by_step(torch, name, kwargs, dtype):
    ours, theirs = twin_models(torch, dtype)
    our_run = run(nb, ours, getattr(nb.optim, name)(ours.parameters(), **kwargs), dtype)
    their_run = run(torch, theirs, getattr(torch.optim, name)(theirs.parameters(), **kwargs), dtype)
    assert_same_run(our_run, their_run, dtype)
    assert our_run[0][-1] != our_run[0][0]


@pytest.mark.parametrize("name, kwargs", CONFIGS)
def test_state_matches_pytorch(torch, name, kwargs):
    ours, theirs = twin_models(torch, "float64")
    our_opt = getattr(nb.optim, name)(ours.parameters(), **kwargs)
    their_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    run(nb, ours, our_opt, "float64", steps=3)
    run(torch, theirs, their_opt, "float64", steps=3)
    ours_sd, theirs_sd = our_opt.state_dict(), their_opt.state_dict()
    assert ours_sd["param_groups"] == theirs_sd["param_groups"]
    assert list(ours_sd["state"]) == list(theirs_sd["state"])
    for key, state in ours_sd["state"].items():
        assert list(state) == list(theirs_sd["state"][key])
        for name_, value in state.items():
            np.testing.assert_allclose(value.numpy(), theirs_sd["state"][key][name_].numpy(), rtol=1e-11, atol=1e-13)
            assert repr(value.dtype) == repr(theirs_sd["state"][key][name_].dtype)


@pytest.mark.parametrize("name, kwargs", [
    ("RMSprop", {}), ("RMSprop", {"lr": 3e-4, "alpha": 0.9, "momentum": 0.5, "centered": True}),
    ("Adagrad", {}), ("Adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("AdamW", {}), ("AdamW", {"weight_decay": 0.0, "amsgrad": True}),
])
def test_repr_and_defaults_match_pytorch(torch, name, kwargs):
    ours = getattr(nb.optim, name)(model_for(nb).parameters(), **kwargs)
    theirs = getattr(torch.optim, name)(model_for(torch).parameters(), **kwargs)
    assert repr(ours) == repr(theirs)
    assert ours.defaults == theirs.defaults
    assert list(ours.defaults) == list(theirs.defaults)


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name, kwargs", [
    ("RMSprop", {"lr": -1.0}), ("RMSprop", {"eps": -1.0}), ("RMSprop", {"momentum": -0.1}),
    ("RMSprop", {"weight_decay": -1}), ("RMSprop", {"alpha": -0.5}), ("Adagrad", {"lr": -0.1}),
    ("Adagrad", {"lr_decay": -1}), ("Adagrad", {"weight_decay": -1}), ("Adagrad", {"initial_accumulator_value": -1}),
    ("Adagrad", {"eps": -1}), ("AdamW", {"lr": -1}), ("AdamW", {"betas": (1.0, 0.9)}),
    ("AdamW", {"weight_decay": -0.1}),
])
def test_setting_errors_match_pytorch(torch, name, kwargs):
    assert _error(lambda: getattr(nb.optim, name)(model_for(nb).parameters(), **kwargs)) == _error(
        lambda: getattr(torch.optim, name)(model_for(torch).parameters(), **kwargs))


# ---------------------------------------------------------------------------------------- parameter groups
@pytest.mark.parametrize("name, base, first, second", [
    ("SGD", {"lr": 0.1}, {"momentum": 0.9}, {"lr": 0.01, "nesterov": True, "momentum": 0.5}),
    ("RMSprop", {"lr": 0.01}, {"centered": True}, {"lr": 0.001, "momentum": 0.9}),
    ("Adagrad", {"lr": 0.1}, {"lr_decay": 0.1}, {"weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01}, {"weight_decay": 0.5}, {"lr": 0.02, "amsgrad": True}),
])
def test_parameter_groups_with_their_own_settings(torch, name, base, first, second):
    ours, theirs = twin_models(torch, "float64")

    def groups(model):
        return [{"params": model[0].parameters(), **first}, {"params": model[2].parameters(), **second}]

    our_opt = getattr(nb.optim, name)(groups(ours), **base)
    their_opt = getattr(torch.optim, name)(groups(theirs), **base)
    assert repr(our_opt) == repr(their_opt)
    assert_same_run(run(nb, ours, our_opt, "float64"), run(torch, theirs, their_opt, "float64"), "float64")


def test_add_param_group_and_frozen_then_unfrozen(torch):
    ours, theirs = twin_models(torch, "float64")
    runs = []
    for lib, model in ((nb, ours), (torch, theirs)):
        opt = lib.optim.RMSprop(model[0].parameters(), lr=0.01)
        first = run(lib, model, opt, "float64", steps=3)
        opt.add_param_group({"params": model[2].parameters(), "lr": 0.05, "momentum": 0.3})
        second = run(lib, model, opt, "float64", steps=3)
        runs.append(((first[0] + second[0]), first[1] + second[1]))
        assert [len(g["params"]) for g in opt.param_groups] == [2, 2]
    assert_same_run(runs[0], runs[1], "float64")


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "AdamW"])
@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad_set_to_none(torch, name, set_to_none):
    for lib in (nb, torch):
        model = model_for(lib)
        opt = getattr(lib.optim, name)(model.parameters())
        model(lib.ones(2, 3)).sum().backward()
        grads = [p.grad for p in model.parameters()]
        opt.zero_grad(set_to_none=set_to_none)
        if set_to_none:
            assert all(p.grad is None for p in model.parameters())
        else:
            assert all(p.grad is g and not g.numpy().any() for p, g in zip(model.parameters(), grads))


# ---------------------------------------------------------------------------------------- state dicts
@pytest.mark.parametrize("name, kwargs", [("SGD", {"lr": 0.05, "momentum": 0.9}), ("Adam", {"lr": 0.01}),
                                          ("AdamW", {"amsgrad": True}), ("RMSprop", {"centered": True}),
                                          ("Adagrad", {"lr_decay": 0.01})])
def test_resuming_from_a_pytorch_checkpoint(torch, name, kwargs):
    """Train in PyTorch, load its model and optimizer state into ours, and go on in both."""
    ours, theirs = twin_models(torch, "float64")
    their_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    run(torch, theirs, their_opt, "float64", steps=3)
    ours.load_state_dict(theirs.state_dict())
    our_opt = getattr(nb.optim, name)(ours.parameters(), **kwargs)
    our_opt.load_state_dict(their_opt.state_dict())
    assert our_opt.param_groups[0]["params"] == list(ours.parameters())
    assert all(isinstance(v, nb.Tensor) for s in our_opt.state.values() for v in s.values())
    assert_same_run(run(nb, ours, our_opt, "float64"), run(torch, theirs, their_opt, "float64"), "float64")


def test_state_dict_round_trip_and_independence(torch):
    ours, _ = twin_models(torch, "float64")
    opt = nb.optim.Adam(ours.parameters(), lr=0.01)
    run(nb, ours, opt, "float64", steps=2)
    saved = copy.deepcopy(opt.state_dict())
    weights = copy.deepcopy(ours.state_dict())
    continued = run(nb, ours, opt, "float64", steps=3)
    ours.load_state_dict(weights)
    fresh = nb.optim.Adam(ours.parameters(), lr=0.5)  # the loaded groups bring their own lr back
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["lr"] == 0.01
    assert_same_run(run(nb, ours, fresh, "float64", steps=3), continued, "float64")


def test_state_dict_is_converted_to_the_parameters_dtype(torch):
    ours, theirs = twin_models(torch, "float64")
    opt = torch.optim.Adam(theirs.parameters())
    run(torch, theirs, opt, "float64", steps=1)
    ours.float()
    our_opt = nb.optim.Adam(ours.parameters())
    our_opt.load_state_dict(opt.state_dict())
    state = our_opt.state[next(iter(ours.parameters()))]
    assert state["exp_avg"].dtype is nb.float32 and state["step"].dtype is nb.float32  # step is never cast


def test_load_state_dict_errors_match_pytorch(torch):
    def cases(lib):
        model = model_for(lib)
        one = lib.optim.SGD(model.parameters(), lr=0.1)
        two = lib.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=0.1)
        half = lib.optim.SGD(model[0].parameters(), lr=0.1)
        return [lambda: one.load_state_dict(two.state_dict()), lambda: half.load_state_dict(one.state_dict())]

    for ours, theirs in zip(cases(nb), cases(torch)):
        assert _error(ours) == _error(theirs)


def test_named_parameter_groups_in_state_dict(torch):
    ours = nb.optim.AdamW(model_for(nb).named_parameters())
    theirs = torch.optim.AdamW(model_for(torch).named_parameters())
    assert ours.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]


# ---------------------------------------------------------------------------------------- lr schedulers
SCHEDULERS = [("StepLR", {"step_size": 3}), ("StepLR", {"step_size": 2, "gamma": 0.5}),
              ("ExponentialLR", {"gamma": 0.9}), ("ExponentialLR", {"gamma": 0.5})]


@pytest.mark.parametrize("name, kwargs", SCHEDULERS)
def test_schedulers_match_pytorch(torch, name, kwargs):
    results = []
    for lib in (nb, torch):
        model = model_for(lib)
        opt = lib.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.3}],
                            lr=0.1)
        scheduler = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        lrs = [scheduler.get_last_lr()]
        for _ in range(10):
            opt.step()
            scheduler.step()
            lrs.append(scheduler.get_last_lr())
        results.append((lrs, [g["lr"] for g in opt.param_groups], [g["initial_lr"] for g in opt.param_groups],
                        scheduler.state_dict(), scheduler.last_epoch, scheduler.base_lrs))
    assert results[0] == results[1]  # exactly: the same chain of multiplications


@pytest.mark.parametrize("name, kwargs", SCHEDULERS[:3])
def test_training_with_a_scheduler_matches_pytorch(torch, name, kwargs):
    ours, theirs = twin_models(torch, "float64")
    our_opt = nb.optim.Adam(ours.parameters(), lr=0.05)
    their_opt = torch.optim.Adam(theirs.parameters(), lr=0.05)
    our_run = run(nb, ours, our_opt, "float64", scheduler=getattr(nb.optim.lr_scheduler, name)(our_opt, **kwargs))
    their_run = run(torch, theirs, their_opt, "float64",
                    scheduler=getattr(torch.optim.lr_scheduler, name)(their_opt, **kwargs))
    assert_same_run(our_run, their_run, "float64")


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category.__name__, str(w.message)) for w in caught]


def test_scheduler_warnings_match_pytorch(torch):
    def early_step(lib):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        lib.optim.lr_scheduler.StepLR(opt, 2).step()

    def get_lr_outside(lib):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        lib.optim.lr_scheduler.ExponentialLR(opt, 0.5).get_lr()

    def with_epoch(lib):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, 2)
        opt.step()
        scheduler.step(5)
        return scheduler.get_last_lr()

    def in_order(lib):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        scheduler = lib.optim.lr_scheduler.StepLR(opt, 2)
        opt.step()
        scheduler.step()

    for case in (early_step, get_lr_outside, with_epoch, in_order):
        assert _warnings_of(lambda: case(nb)) == _warnings_of(lambda: case(torch)), case.__name__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert with_epoch(nb) == with_epoch(torch)


def test_scheduler_errors_and_resuming(torch):
    assert _error(lambda: nb.optim.lr_scheduler.StepLR(3, 2)) == _error(lambda: torch.optim.lr_scheduler.StepLR(3, 2))
    for lib in (nb, torch):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups"):
            lib.optim.lr_scheduler.StepLR(opt, 2, last_epoch=3)
    states = []
    for lib in (nb, torch):
        opt = lib.optim.SGD(model_for(lib).parameters(), lr=0.1)
        first = lib.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)
        for _ in range(3):
            opt.step()
            first.step()
        second = lib.optim.lr_scheduler.StepLR(opt, 2, gamma=0.5)
        second.load_state_dict(first.state_dict())
        opt.step()
        second.step()
        states.append((second.state_dict(), [g["lr"] for g in opt.param_groups]))
    assert states[0] == states[1]
