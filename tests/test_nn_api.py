"""The rest of ``torch.nn`` that tutorials use, against PyTorch: buffers, hooks, containers, dropout,
batch norm, more losses and init functions. Values are compared with PyTorch's after copying weights."""
import collections
import math
import warnings

import numpy as np
import pytest

import autograd_nb as nb


def error_of(fn):
    """(type name, message) of the exception ``fn()`` raises."""
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


def close(ours, theirs, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy()), theirs.detach().numpy(), rtol=rtol, atol=atol)


def twins(torch, build):
    """The same model in both libraries, ours with PyTorch's weights and buffers."""
    torch.manual_seed(0)
    theirs = build(torch)
    ours = build(nb)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 4)).astype(np.float32)


# ---------------------------------------------------------------------------------------- reprs
@pytest.mark.parametrize("build", [
    lambda nn: nn.Flatten(), lambda nn: nn.Flatten(0, 2), lambda nn: nn.Identity(3, a=4), lambda nn: nn.Dropout(),
    lambda nn: nn.Dropout(0.2, inplace=True), lambda nn: nn.BatchNorm1d(3),
    lambda nn: nn.BatchNorm1d(4, eps=1e-3, momentum=None, affine=False, track_running_stats=False),
    lambda nn: nn.BatchNorm1d(2, bias=False), lambda nn: nn.Softmax(dim=1), lambda nn: nn.Softmax(),
    lambda nn: nn.LogSoftmax(1), lambda nn: nn.NLLLoss(), lambda nn: nn.BCELoss(), lambda nn: nn.BCEWithLogitsLoss(),
    lambda nn: nn.L1Loss(), lambda nn: nn.ModuleList(), lambda nn: nn.ModuleDict(),
    lambda nn: nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Linear(2, 3)]),
    lambda nn: nn.ModuleList([nn.Sequential(nn.Linear(2, 2), nn.ReLU())] * 2 + [nn.Tanh()]),
    lambda nn: nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.ReLU()}),
    lambda nn: nn.Sequential(nn.Flatten(), nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.1),
                             nn.Linear(8, 3), nn.LogSoftmax(dim=1)),
    lambda nn: nn.Softplus(), lambda nn: nn.Softplus(2, 10), lambda nn: nn.Softplus(beta=0.5, threshold=5.0),
    lambda nn: nn.LeakyReLU(), lambda nn: nn.LeakyReLU(0.2, inplace=True), lambda nn: nn.SiLU(),
    lambda nn: nn.SiLU(inplace=True), lambda nn: nn.GELU(), lambda nn: nn.GELU(approximate="tanh"),
    lambda nn: nn.ELU(), lambda nn: nn.ELU(alpha=0.5, inplace=True),
    lambda nn: nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 8), nn.SiLU(), nn.Linear(8, 2), nn.Softplus()),
])
def test_reprs_match_pytorch(torch, build):
    assert repr(build(nb.nn)) == repr(build(torch.nn))


# ---------------------------------------------------------------------------------------- buffers
class WithBuffers:
    @staticmethod
    def build(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = lib.nn.Linear(2, 3)
                self.register_buffer("scale", lib.ones(3))
                self.register_buffer("step", lib.tensor(0))
                self.register_buffer("cache", lib.zeros(2), persistent=False)
                self.register_buffer("nothing", None)
                self.bn = lib.nn.BatchNorm1d(3)

            def forward(self, x):
                return self.bn(self.fc(x)) * self.scale

        return Net()


def test_buffers_are_listed_and_saved_as_in_pytorch(torch):
    ours, theirs = WithBuffers.build(nb), WithBuffers.build(torch)
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [tuple(b.shape) for b in ours.buffers()] == [tuple(b.shape) for b in theirs.buffers()]
    assert [n for n, _ in ours.named_buffers(recurse=False)] == [n for n, _ in theirs.named_buffers(recurse=False)]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert ours.scale is ours._buffers["scale"] and "scale" in dir(ours)
    ours.scale = nb.full((3,), 2.0)  # a tensor assigned to a buffer's name replaces the buffer
    assert ours.state_dict()["scale"].tolist() == [2.0, 2.0, 2.0]


def test_load_state_dict_fills_buffers_from_pytorch(torch):
    ours, theirs = WithBuffers.build(nb), WithBuffers.build(torch)
    with torch.no_grad():
        theirs.scale.mul_(3.0)
        theirs.step.add_(5)
        theirs.bn.running_mean.add_(1.5)
    assert repr(ours.load_state_dict(theirs.state_dict())) == "<All keys matched successfully>"
    assert ours.scale.tolist() == [3.0, 3.0, 3.0] and ours.step.item() == 5 and ours.step.dtype is nb.int64
    assert ours.bn.running_mean.tolist() == [1.5, 1.5, 1.5]
    state = theirs.state_dict()
    del state["bn.running_var"]
    assert error_of(lambda: ours.load_state_dict(state)) == error_of(lambda: theirs.load_state_dict(state))


def test_to_converts_floating_buffers_only(torch):
    for lib in (nb, torch):
        model = WithBuffers.build(lib).to(lib.float64)
        assert [repr(b.dtype) for b in model.buffers()] == [
            "torch.float64", "torch.int64", "torch.float64", "torch.float64", "torch.float64", "torch.int64"]
        model.float()
        assert model.scale.dtype == lib.float32 and model.bn.num_batches_tracked.dtype == lib.int64


def test_buffer_errors_match_pytorch(torch):
    def cases(lib):
        m = lib.nn.Linear(2, 2)
        m.register_buffer("buf", lib.ones(2))
        return [lambda: m.register_buffer("b", 3), lambda: m.register_buffer(3, None),
                lambda: m.register_buffer("a.b", None), lambda: m.register_buffer("weight", lib.ones(1)),
                lambda: m.register_buffer("", None), lambda: setattr(m, "buf", 3)]

    for ours, theirs in zip(cases(nb), cases(torch)):
        assert error_of(ours) == error_of(theirs)

    class Early(nb.nn.Module):
        def __init__(self):
            self.register_buffer("x", None)

    assert error_of(Early) == ("AttributeError", "cannot assign buffer before Module.__init__() call")


def test_parameter_replaces_buffer_and_delete(torch):
    for lib in (nb, torch):
        m = lib.nn.Linear(2, 2)
        m.register_buffer("extra", lib.ones(2))
        m.extra = lib.nn.Parameter(lib.zeros(2))
        assert [n for n, _ in m.named_buffers()] == [] and "extra" in dict(m.named_parameters())
        m.register_buffer("b2", lib.ones(1))
        del m.b2
        assert [n for n, _ in m.named_buffers()] == []


# ---------------------------------------------------------------------------------------- walking the tree
def tree(lib):
    nn = lib.nn
    shared = nn.Linear(2, 2)
    return nn.Sequential(collections.OrderedDict([
        ("a", shared), ("blocks", nn.ModuleList([nn.ReLU(), nn.Sequential(shared, nn.Tanh())])),
        ("heads", nn.ModuleDict({"x": nn.Linear(2, 1), "y": nn.Identity()}))]))


def test_tree_walks_match_pytorch(torch):
    ours, theirs = tree(nb), tree(torch)
    for method in ("named_modules", "named_children", "named_parameters"):
        assert [n for n, _ in getattr(ours, method)()] == [n for n, _ in getattr(theirs, method)()], method
    for kwargs in ({"remove_duplicate": False}, {"prefix": "model"}):
        assert [n for n, _ in ours.named_modules(**kwargs)] == [n for n, _ in theirs.named_modules(**kwargs)]
    assert [n for n, _ in ours.named_parameters(remove_duplicate=False)] == [
        n for n, _ in theirs.named_parameters(remove_duplicate=False)]
    assert [type(m).__name__ for m in ours.modules()] == [type(m).__name__ for m in theirs.modules()]
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in theirs.children()]
    visited = {lib: [] for lib in ("nb", "torch")}
    assert ours.apply(lambda m: visited["nb"].append(type(m).__name__)) is ours
    theirs.apply(lambda m: visited["torch"].append(type(m).__name__))
    assert visited["nb"] == visited["torch"]


def test_apply_initialises_weights_as_tutorials_do():
    def init_weights(m):
        if isinstance(m, nb.nn.Linear):
            nb.nn.init.constant_(m.weight, 0.5)
            nb.nn.init.zeros_(m.bias)

    model = tree(nb).apply(init_weights)
    assert all(p.tolist() in ([[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5]], [0.0, 0.0], [0.0]) for p in model.parameters())


def test_requires_grad_and_train_eval(torch):
    for lib in (nb, torch):
        model = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Dropout(), lib.nn.BatchNorm1d(2))
        assert model.requires_grad_(False) is model
        assert not any(p.requires_grad for p in model.parameters())
        model.eval()
        assert [m.training for m in model.modules()] == [False] * 4
        model[1].train()
        assert [m.training for m in model.modules()] == [False, False, True, False]


# ---------------------------------------------------------------------------------------- containers
def test_module_list_operations_match_pytorch(torch):
    def run(lib):
        nn = lib.nn
        ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU()])
        ml.append(nn.Tanh())
        ml.extend([nn.Sigmoid(), nn.Identity()])
        ml.insert(1, nn.Flatten())
        ml += [nn.Softmax(1)]
        ml[0] = nn.Linear(2, 2)
        del ml[2]
        popped = ml.pop(-1)
        both = ml + nn.ModuleList([nn.ReLU()])
        return [repr(ml), repr(ml[1:3]), repr(ml[-1]), len(ml), [type(m).__name__ for m in ml], repr(popped),
                repr(both), list(dict(ml.named_parameters())), list(ml.state_dict())]

    assert run(nb) == run(torch)


def test_module_dict_operations_match_pytorch(torch):
    def run(lib):
        nn = lib.nn
        md = nn.ModuleDict([("a", nn.Linear(1, 1)), ("b", nn.ReLU())])
        md["c"] = nn.Tanh()
        md.update({"d": nn.Identity()})
        md.update([("e", nn.Sigmoid())])
        popped = md.pop("b")
        return [repr(md), list(md), list(md.keys()), [type(v).__name__ for v in md.values()],
                [k for k, _ in md.items()], "a" in md, "b" in md, len(md), repr(popped), list(md.state_dict())]

    assert run(nb) == run(torch)
    for lib in (nb, torch):
        md = lib.nn.ModuleDict({"a": lib.nn.ReLU()})
        md.clear()
        assert len(md) == 0


def test_container_errors_match_pytorch(torch):
    def cases(lib):
        nn = lib.nn
        ml = nn.ModuleList([nn.ReLU()])
        md = nn.ModuleDict({"a": nn.ReLU()})
        return [lambda: ml[10], lambda: ml["a"], lambda: ml.append(3), lambda: nn.ModuleList([3]),
                lambda: ml.extend(3), lambda: ml(lib.ones(1)), lambda: md["c"], lambda: md.update(3),
                lambda: md.__setitem__("x", 3), lambda: md.update([3]), lambda: md.update([("a",)]),
                lambda: md(lib.ones(1)), lambda: md.__setitem__("training", nn.ReLU())]

    for ours, theirs in zip(cases(nb), cases(torch)):
        assert error_of(ours) == error_of(theirs)


def test_module_list_trains_its_layers():
    class Net(nb.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nb.nn.ModuleList([nb.nn.Linear(3, 3) for _ in range(2)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x).tanh()
            return x

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["layers.0.weight", "layers.0.bias", "layers.1.weight",
                                                      "layers.1.bias"]
    net(nb.ones(2, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())


# ---------------------------------------------------------------------------------------- hooks
def test_forward_hooks_match_pytorch(torch):
    def run(lib):
        log = []
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
        with lib.no_grad():
            for p in model.parameters():
                p.copy_(lib.linspace(-1, 1, p.numel()).reshape(p.shape))
        handles = [
            model[0].register_forward_pre_hook(lambda m, args: log.append(("pre", tuple(args[0].shape)))),
            model[0].register_forward_pre_hook(lambda m, args: (args[0] * 2,)),
            model[0].register_forward_pre_hook(lambda m, args: log.append("first"), prepend=True),
            model[1].register_forward_hook(lambda m, args, out: log.append(("relu", out.sum().item()))),
            model[2].register_forward_hook(lambda m, args, out: out + 1),
            model[2].register_forward_hook(lambda m, args, kwargs, out: log.append(("kw", kwargs)), with_kwargs=True),
            model.register_forward_pre_hook(lambda m, args, kwargs: ((args[0] - 1,), kwargs), with_kwargs=True),
        ]
        x = lib.tensor([[1.0, 2.0, 3.0]])
        first = model(x)
        for handle in handles:
            handle.remove()
        second = model(x)
        return [round(v, 5) if isinstance(v, float) else v for v in log], first.tolist(), second.tolist()

    ours, theirs = run(nb), run(torch)
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)


def test_feature_extraction_idiom():
    features = {}
    model = nb.nn.Sequential(nb.nn.Linear(2, 3), nb.nn.ReLU(), nb.nn.Linear(3, 1))

    def keep(name):
        def hook(module, args, output):
            features[name] = output.detach()
        return hook

    with model[1].register_forward_hook(keep("relu")):
        model(nb.ones(4, 2))
    assert features["relu"].shape == (4, 3) and (features["relu"].numpy() >= 0).all()
    features.clear()
    model(nb.ones(4, 2))
    assert features == {}  # the `with` block removed the hook


def test_always_call_and_pre_hook_errors(torch):
    for lib in (nb, torch):
        seen = []

        class Boom(lib.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        m = Boom()
        m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
        with pytest.raises(ValueError, match="boom"):
            m(lib.ones(1))
        assert seen == [None]

    def bad(lib):
        m = lib.nn.Identity()
        m.register_forward_pre_hook(lambda mod, args, kwargs: 3, with_kwargs=True)
        return m(lib.ones(1))

    assert error_of(lambda: bad(nb)) == error_of(lambda: bad(torch))


def _backward_hook_run(lib, inputs_require_grad, replace):
    log = []
    torch_like = lib
    model = torch_like.nn.Sequential(torch_like.nn.Linear(3, 2), torch_like.nn.Tanh())
    with torch_like.no_grad():
        for p in model.parameters():
            p.copy_(torch_like.linspace(-0.5, 0.7, p.numel()).reshape(p.shape))

    def hook(module, grad_input, grad_output):
        log.append(("hook", type(module).__name__, [None if g is None else g.tolist() for g in grad_input],
                    [g.tolist() for g in grad_output]))
        if replace:
            return tuple(None if g is None else g * 10 for g in grad_input)

    def pre_hook(module, grad_output):
        log.append(("pre", [g.tolist() for g in grad_output]))
        return (grad_output[0] * 2,) if replace else None

    model[0].register_full_backward_hook(hook)
    model[1].register_full_backward_hook(hook)
    model[1].register_full_backward_pre_hook(pre_hook)
    x = torch_like.tensor([[1.0, -2.0, 0.5], [0.3, 0.2, 0.1]], requires_grad=inputs_require_grad)
    out = model(x)
    grad_fn_name = out.grad_fn.name()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (out * torch_like.tensor([1.0, 2.0])).sum().backward()
    messages = [str(w.message) for w in caught]
    grads = [p.grad.tolist() for p in model.parameters()] + [None if x.grad is None else x.grad.tolist()]
    return log, grads, grad_fn_name, messages


@pytest.mark.parametrize("inputs_require_grad", [True, False])
@pytest.mark.parametrize("replace", [False, True])
def test_full_backward_hooks_match_pytorch(torch, inputs_require_grad, replace):
    ours, theirs = _backward_hook_run(nb, inputs_require_grad, replace), _backward_hook_run(torch, inputs_require_grad,
                                                                                               replace)
    assert ours[2] == theirs[2] == "BackwardHookFunctionBackward"
    assert [entry[:2] for entry in ours[0]] == [entry[:2] for entry in theirs[0]]
    for a, b in zip(ours[0], theirs[0]):
        for x, y in zip(a[1:], b[1:]):
            if isinstance(x, list):
                np.testing.assert_allclose(np.array(x, dtype=float), np.array(y, dtype=float), rtol=1e-5, atol=1e-6)
    for a, b in zip(ours[1], theirs[1]):
        if a is None or b is None:
            assert a is b
        else:
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert ours[3] == theirs[3]  # the warning when no input requires grad


def test_backward_hook_wrong_count_matches_pytorch(torch):
    def run(lib):
        m = lib.nn.Linear(2, 1)
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
        m(lib.ones(1, 2, requires_grad=True)).sum().backward()

    assert error_of(lambda: run(nb)) == error_of(lambda: run(torch))


# ---------------------------------------------------------------------------------------- Flatten, Identity
@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 3), (5,), (2, 1, 3, 2)])
@pytest.mark.parametrize("dims", [(), (0,), (1, 2), (0, -2), (2, 1)])
def test_flatten_matches_pytorch(torch, shape, dims):
    ours_x = nb.ones(*shape, requires_grad=True)
    theirs_x = torch.ones(*shape, requires_grad=True)
    try:
        theirs = torch.nn.Flatten(*dims)(theirs_x)
    except Exception:
        assert error_of(lambda: nb.nn.Flatten(*dims)(ours_x)) == error_of(lambda: torch.nn.Flatten(*dims)(theirs_x))
        return
    ours = nb.nn.Flatten(*dims)(ours_x)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert (ours is ours_x) == (theirs is theirs_x)
    assert (ours.grad_fn is None) == (theirs.grad_fn is None)
    if theirs.grad_fn is not None:
        assert ours.grad_fn.name() == theirs.grad_fn.name()


def test_identity_returns_its_input():
    x = nb.ones(2)
    assert nb.nn.Identity(54, unused="x")(x) is x


# ---------------------------------------------------------------------------------------- Dropout
def test_dropout_training_and_eval(torch):
    nb.manual_seed(0)
    layer = nb.nn.Dropout(0.25)
    x = nb.ones(200, 50, requires_grad=True)
    y = layer(x)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.75, rtol=1e-6)
    assert y.grad_fn.name() == torch.nn.Dropout(0.25)(torch.ones(2, requires_grad=True)).grad_fn.name()
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy(), rtol=1e-6)  # d(x·mask)/dx = mask
    layer.eval()
    assert layer(x) is x
    nb.manual_seed(3)
    first = nb.nn.Dropout()(nb.ones(10)).tolist()
    nb.manual_seed(3)
    assert nb.nn.Dropout()(nb.ones(10)).tolist() == first  # the package's generator decides the mask


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.Dropout(1.5), lambda lib: lib.nn.Dropout(-0.1),
    lambda lib: lib.nn.functional.dropout(lib.ones(2), 2.0),
    lambda lib: lib.nn.functional.dropout(lib.ones(3, dtype=lib.int64), 0.5),
])
def test_dropout_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


def test_dropout_edge_probabilities(torch):
    for lib in (nb, torch):
        x = lib.ones(3, requires_grad=True)
        assert lib.nn.functional.dropout(x, 0.0) is x
        zeros = lib.nn.functional.dropout(x, 1.0)
        assert zeros.tolist() == [0.0, 0.0, 0.0] and zeros.grad_fn.name() == "MulBackward0"
        y = lib.ones(4) * 1.0
        out = lib.nn.functional.dropout(y, 0.5, inplace=True)
        assert out is y


# ---------------------------------------------------------------------------------------- BatchNorm1d
@pytest.mark.parametrize("options", [
    {}, {"momentum": None}, {"momentum": 0.3, "eps": 1e-3}, {"affine": False}, {"track_running_stats": False},
    {"bias": False},
])
@pytest.mark.parametrize("shape", [(6, 4), (5, 4, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batchnorm_training_and_eval_match_pytorch(torch, options, shape, dtype):
    ours, theirs = twins(torch, lambda lib: lib.nn.BatchNorm1d(4, dtype=getattr(lib, dtype), **options))
    if ours.affine:
        with torch.no_grad():  # weights away from 1 and 0, the same in both
            theirs.weight.copy_(torch.linspace(0.5, 2.0, 4))
            if theirs.bias is not None:
                theirs.bias.copy_(torch.linspace(-1.0, 1.0, 4))
        ours.load_state_dict(theirs.state_dict())
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == "float32" else {"rtol": 1e-12, "atol": 1e-12}
    rng = np.random.default_rng(sum(shape))
    for step in range(3):
        x = (rng.standard_normal(shape) * (step + 1) + step).astype(dtype)
        ours_x, theirs_x = nb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours_y, theirs_y = ours(ours_x), theirs(theirs_x)
        close(ours_y, theirs_y, **tol)
        g = rng.standard_normal(shape).astype(dtype)
        ours_y.backward(nb.tensor(g))
        theirs_y.backward(torch.tensor(g))
        close(ours_x.grad, theirs_x.grad, **tol)
        for p, q in zip(ours.parameters(), theirs.parameters()):
            close(p.grad, q.grad, **tol)
    for (name, b), (_, c) in zip(ours.named_buffers(), theirs.named_buffers()):
        close(b, c, **tol)
        assert repr(b.dtype) == repr(c.dtype), name
    ours.eval()
    theirs.eval()
    x = rng.standard_normal(shape).astype(dtype)
    close(ours(nb.tensor(x)), theirs(torch.tensor(x)), **tol)
    if ours.track_running_stats:
        assert ours.num_batches_tracked.item() == theirs.num_batches_tracked.item() == 3


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(3)), lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)), lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3, 1)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(4, 5)),
    lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(4, 3, dtype=lib.int64)),
    lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), None, None, training=False),
])
def test_batchnorm_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


def test_batchnorm_state_dict_and_single_sample_eval(torch):
    ours, theirs = nb.nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours.num_batches_tracked) == repr(theirs.num_batches_tracked) == "tensor(0)"
    assert ours.eval()(nb.ones(1, 3)).shape == (1, 3)  # one sample is fine in evaluation
    none = nb.nn.BatchNorm1d(3, track_running_stats=False)
    assert none.running_mean is None and list(none.state_dict()) == ["weight", "bias"]


# ---------------------------------------------------------------------------------------- losses and softmax
LOGITS = RNG.standard_normal((5, 3))
TARGET = np.array([0, 2, 1, 2, 0])
PROBS = 1 / (1 + np.exp(-RNG.standard_normal((5, 3))))
LABELS = (RNG.random((5, 3)) > 0.5).astype(np.float64)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", [
    ("L1Loss", {}, lambda lib: (lib.tensor(LOGITS, requires_grad=True), lib.tensor(PROBS))),
    ("NLLLoss", {}, lambda lib: (lib.tensor(LOGITS, requires_grad=True).log_softmax(1), lib.tensor(TARGET))),
    ("NLLLoss", {"weight": [1.0, 2.0, 0.5]},
     lambda lib: (lib.tensor(LOGITS, requires_grad=True).log_softmax(1), lib.tensor(TARGET))),
    ("NLLLoss", {"ignore_index": 2, "weight": [1.0, 2.0, 0.5]},
     lambda lib: (lib.tensor(LOGITS, requires_grad=True).log_softmax(1), lib.tensor(TARGET))),
    ("CrossEntropyLoss", {"weight": [0.2, 1.0, 3.0]}, lambda lib: (lib.tensor(LOGITS, requires_grad=True),
                                                                   lib.tensor(TARGET))),
    ("BCELoss", {}, lambda lib: (lib.tensor(PROBS, requires_grad=True), lib.tensor(LABELS))),
    ("BCELoss", {"weight": [1.0, 2.0, 3.0]}, lambda lib: (lib.tensor(PROBS, requires_grad=True), lib.tensor(LABELS))),
    ("BCEWithLogitsLoss", {}, lambda lib: (lib.tensor(LOGITS, requires_grad=True), lib.tensor(LABELS))),
    ("BCEWithLogitsLoss", {"pos_weight": [3.0, 1.0, 0.5]},
     lambda lib: (lib.tensor(LOGITS, requires_grad=True), lib.tensor(LABELS))),
    ("BCEWithLogitsLoss", {"pos_weight": [3.0, 1.0, 0.5], "weight": [[2.0], [1.0], [0.0], [1.0], [0.5]]},
     lambda lib: (lib.tensor(LOGITS * 20, requires_grad=True), lib.tensor(LABELS))),
])
def test_loss_modules_match_pytorch(torch, case, reduction):
    name, options, data = case
    results = []
    for lib in (nb, torch):
        kwargs = {k: lib.tensor(v, dtype=lib.float64) for k, v in options.items() if k != "ignore_index"}
        kwargs.update({k: v for k, v in options.items() if k == "ignore_index"})
        loss_fn = getattr(lib.nn, name)(reduction=reduction, **kwargs)
        inp, target = data(lib)
        loss = loss_fn(inp, target)
        loss.backward(lib.ones_like(loss))
        leaf = inp if inp.is_leaf else inp.grad_fn.next_functions[0][0].variable
        results.append((loss, leaf.grad, [n for n, _ in loss_fn.named_buffers()], repr(loss_fn)))
    (ours, ours_grad, ours_buffers, ours_repr), (theirs, theirs_grad, theirs_buffers, theirs_repr) = results
    close(ours, theirs, rtol=1e-10, atol=1e-12)
    close(ours_grad, theirs_grad, rtol=1e-10, atol=1e-12)
    assert ours_buffers == theirs_buffers and ours_repr == theirs_repr


@pytest.mark.parametrize("name, dim", [("Softmax", 1), ("Softmax", 0), ("LogSoftmax", 1), ("LogSoftmax", -1)])
def test_softmax_modules_match_pytorch(torch, name, dim):
    ours_x, theirs_x = nb.tensor(LOGITS, requires_grad=True), torch.tensor(LOGITS, requires_grad=True)
    ours, theirs = getattr(nb.nn, name)(dim)(ours_x), getattr(torch.nn, name)(dim)(theirs_x)
    close(ours, theirs, rtol=1e-12)
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    ours.backward(nb.tensor(LABELS))
    theirs.backward(torch.tensor(LABELS))
    close(ours_x.grad, theirs_x.grad, rtol=1e-10, atol=1e-12)


def test_l1_loss_graph_and_warning_match_pytorch(torch):
    for reduction in ("mean", "sum", "none"):
        ours = nb.nn.functional.l1_loss(nb.ones(2, requires_grad=True), nb.zeros(2), reduction=reduction)
        theirs = torch.nn.functional.l1_loss(torch.ones(2, requires_grad=True), torch.zeros(2), reduction=reduction)
        assert ours.grad_fn.name() == theirs.grad_fn.name()
    messages = []
    for lib in (nb, torch):
        with pytest.warns(UserWarning) as record:
            lib.nn.functional.l1_loss(lib.ones(3, 1), lib.zeros(3))
        messages.append([str(w.message) for w in record])
    assert messages[0] == messages[1]


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.L1Loss(reduction="avg")(lib.ones(2), lib.zeros(2)),
    lambda lib: lib.nn.NLLLoss(weight=lib.ones(2))(lib.zeros(4, 3), lib.tensor([0, 1, 2, 0])),
    lambda lib: lib.nn.BCELoss(weight=lib.ones(2))(lib.full((4, 3), 0.5), lib.ones(4, 3)),
])
def test_loss_errors_match_pytorch(torch, call):
    assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))


def test_legacy_reduction_flags(torch):
    for kwargs in ({"size_average": False}, {"reduce": False}, {"size_average": True, "reduce": True}):
        found = []
        for lib in (nb, torch):
            with pytest.warns(UserWarning) as record:
                loss_fn = lib.nn.MSELoss(**kwargs)
            found.append((loss_fn.reduction, [str(w.message) for w in record]))
        assert found[0] == found[1]


# ---------------------------------------------------------------------------------------- init
def test_init_functions_fill_with_the_right_statistics():
    w = nb.nn.Parameter(nb.empty(300, 200, dtype=nb.float64))
    assert nb.nn.init.constant_(w, 0.25) is w and (w.detach().numpy() == 0.25).all()
    nb.nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
    assert w.detach().numpy().std() == pytest.approx(math.sqrt(2) / math.sqrt(300), rel=0.02)
    nb.nn.init.kaiming_normal_(w)
    assert w.detach().numpy().std() == pytest.approx(math.sqrt(2) / math.sqrt(200), rel=0.02)
    nb.nn.init.xavier_normal_(w, gain=nb.nn.init.calculate_gain("tanh"))
    assert w.detach().numpy().std() == pytest.approx(5 / 3 * math.sqrt(2 / 500), rel=0.02)
    assert abs(w.detach().numpy().mean()) < 0.005
    assert w.requires_grad and w.is_leaf
    g = nb.Generator().manual_seed(4)
    first = nb.nn.init.xavier_normal_(nb.empty(3, 3), generator=g).tolist()
    assert nb.nn.init.xavier_normal_(nb.empty(3, 3), generator=nb.Generator().manual_seed(4)).tolist() == first


def test_init_errors_and_warnings_match_pytorch(torch):
    for call in (lambda lib: lib.nn.init.xavier_normal_(lib.ones(3)),
                 lambda lib: lib.nn.init.kaiming_normal_(lib.ones(3)),
                 lambda lib: lib.nn.init.kaiming_normal_(lib.ones(3, 3), mode="fan")):
        assert error_of(lambda: call(nb)) == error_of(lambda: call(torch))
    for lib in (nb, torch):
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            lib.nn.init.kaiming_normal_(lib.empty(0, 3))
