"""2. One training step of a small MLP: forward, cross-entropy, backward, SGD update.

The network is 784 → 256 → ReLU → 10 (an MNIST-sized classifier), float32, SGD with lr = 0.1, batch
64 and 512. Every implementation starts from the same weights (made with numpy, fixed seed):

* autograd_nb and PyTorch run the same code, ``F.linear``/``F.relu``/``F.cross_entropy`` and a
  hand-rolled update under ``no_grad`` (``p -= lr * p.grad``); ``.grad`` is reset to None before
  each backward, as ``optimizer.zero_grad()`` does by default;
* plain numpy computes the same step with the backward formulas written out (``numpy_grads``):
  no graph, no bookkeeping. That is the floor a graph-recording engine on numpy can approach;
* the two peers, engines on numpy a learner could pick instead, each written as its users write it:
  HIPS autograd differentiates a loss function of the parameter list written with ``autograd.numpy``
  (``autograd.value_and_grad``), then SGD updates the numpy arrays; mygrad builds the graph on
  ``mg.tensor`` parameters with ``mg.nnet.relu`` and ``mg.nnet.softmax_crossentropy``, runs
  ``loss.backward()``, updates ``p.data`` and clears each gradient with ``p.null_grad()``.

When ``nn.Linear`` and ``optim.SGD`` import, the step is timed a second time written with them
(``model(x)``, ``loss_fn``, ``opt.zero_grad()``, ``opt.step()``), for autograd_nb and PyTorch (the
peers have no such modules).

A last row (``overhead``) times the same step on a tiny network (8 → 8 → 2, batch 4), where the arithmetic
costs next to nothing: what it measures is each library's bookkeeping per step (Python, or PyTorch's
dispatcher and autograd), the part of the big step that does not shrink with the arrays.
"""
import functools

import numpy as np

from .timing import guarded, import_peers, in_blocks, row, timed

LR = 0.1
SIZES = (784, 256, 10)
NAMES = ("w1", "b1", "w2", "b2")


def initial_weights(sizes=SIZES, seed=0):
    """Weights and biases as numpy arrays, drawn as ``nn.Linear`` draws them: U(-1/√fan_in, 1/√fan_in).

    Weights are (out_features, in_features), PyTorch's layout.
    """
    n_in, n_hidden, n_out = sizes
    rng = np.random.default_rng(seed)

    def uniform(shape, fan_in):
        bound = 1 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape).astype(np.float32)

    return {"w1": uniform((n_hidden, n_in), n_in), "b1": uniform((n_hidden,), n_in),
            "w2": uniform((n_out, n_hidden), n_hidden), "b2": uniform((n_out,), n_hidden)}


def batch(size, sizes=SIZES, seed=1):
    """Inputs ``x`` (float32, standard normal) and class labels ``y`` (int64)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((size, sizes[0])).astype(np.float32), rng.integers(0, sizes[2], size)


# ------------------------------------------------------------------------------ numpy by hand
def numpy_grads(p, x, y):
    """Loss and gradients of the MLP, the backward pass written out: (loss, {name: gradient})."""
    n = x.shape[0]
    rows = np.arange(n)
    h = x @ p["w1"].T + p["b1"]
    a = np.maximum(h, 0)
    logits = a @ p["w2"].T + p["b2"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -(shifted[rows, y] - np.log(total[:, 0])).mean()

    d_logits = e / total  # ∂L/∂logits = (softmax - one_hot) / n
    d_logits[rows, y] -= 1
    d_logits /= n
    d_a = d_logits @ p["w2"]
    d_h = d_a * (h > 0)  # ReLU lets the gradient through where its input was positive
    grads = {"w1": d_h.T @ x, "b1": d_h.sum(axis=0), "w2": d_logits.T @ a, "b2": d_logits.sum(axis=0)}
    return loss, grads


def numpy_step(p, x, y, lr=LR):
    """One SGD step on the numpy weights ``p`` (updated in place); returns the loss."""
    loss, grads = numpy_grads(p, x, y)
    for name, g in grads.items():
        p[name] -= lr * g
    return loss


# ------------------------------------------------------------------------------ with a graph
def functional_model(lib, weights, x, y):
    """The parameters (leaf tensors of ``lib``, copies of ``weights``), x, y, and ``loss()``."""
    F = lib.nn.functional
    params = [lib.tensor(weights[name].copy(), requires_grad=True) for name in NAMES]
    x, y = lib.tensor(x), lib.tensor(y)

    def loss():
        w1, b1, w2, b2 = params
        return F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)

    return params, loss


def functional_step(lib, weights, x, y, lr=LR):
    """(params, ``step()``): one training step with ``F.*`` and a hand-rolled update under ``no_grad``."""
    params, loss_fn = functional_model(lib, weights, x, y)

    def step():
        loss = loss_fn()
        for p in params:
            p.grad = None
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss

    return params, step


def as_numpy(a):
    """A tensor of autograd_nb, PyTorch or mygrad as a numpy array (HIPS autograd's arrays already are)."""
    return np.asarray(a.detach().numpy() if hasattr(a, "detach") else a)


def graph_grads(lib, weights, x, y, model=functional_model):
    """Loss and gradients from ``lib``'s ``loss.backward()``, as numpy arrays (to check ``numpy_grads``).

    ``model`` makes the parameters and ``loss()``: ``functional_model``, or ``mygrad_model`` for mygrad.
    """
    params, loss_fn = model(lib, weights, x, y)
    loss = loss_fn()
    loss.backward()
    grads = {name: as_numpy(p.grad) for name, p in zip(NAMES, params)}
    return float(as_numpy(loss)), grads


# ------------------------------------------------------------------------------ the peers
def hips_model(autograd, weights, x, y):
    """The parameters (numpy copies of ``weights``) and ``loss(params)`` written with ``autograd.numpy``."""
    anp = autograd.numpy
    rows = np.arange(len(y))

    def loss(params):
        w1, b1, w2, b2 = params
        logits = anp.maximum(x @ w1.T + b1, 0) @ w2.T + b2
        shifted = logits - anp.max(logits, axis=1, keepdims=True)  # exp of large logits would overflow
        log_p = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        return -anp.mean(log_p[rows, y])

    return [weights[name].copy() for name in NAMES], loss


def hips_step(autograd, weights, x, y, lr=LR):
    """(params, ``step()``): HIPS autograd's gradient of the loss function, then SGD on the numpy arrays."""
    params, loss = hips_model(autograd, weights, x, y)
    loss_and_grads = autograd.value_and_grad(loss)

    def step():
        value, grads = loss_and_grads(params)
        for p, g in zip(params, grads):
            p -= lr * g
        return value

    return params, step


def hips_grads(autograd, weights, x, y):
    """Loss and gradients from HIPS autograd (to check them against autograd_nb's)."""
    params, loss = hips_model(autograd, weights, x, y)
    value, grads = autograd.value_and_grad(loss)(params)
    return float(value), dict(zip(NAMES, grads))


def mygrad_model(mg, weights, x, y):
    """The parameters (``mg.tensor`` copies of ``weights``) and ``loss()`` built from mygrad's ops."""
    params = [mg.tensor(weights[name]) for name in NAMES]
    x = mg.tensor(x, constant=True)

    def loss():
        w1, b1, w2, b2 = params
        return mg.nnet.softmax_crossentropy(mg.nnet.relu(x @ w1.T + b1) @ w2.T + b2, y)

    return params, loss


def mygrad_step(mg, weights, x, y, lr=LR):
    """(params, ``step()``): ``loss.backward()``, SGD on each ``p.data``, ``p.null_grad()``."""
    params, loss_fn = mygrad_model(mg, weights, x, y)

    def step():
        loss = loss_fn()
        loss.backward()  # also clears the graph, which makes the parameters' arrays writeable again
        for p in params:
            p.data -= lr * p.grad
            p.null_grad()
        return loss

    return params, step


PEER_STEPS = {"hips": hips_step, "mygrad": mygrad_step}
PEER_GRADS = {"hips": hips_grads, "mygrad": functools.partial(graph_grads, model=mygrad_model)}


# ------------------------------------------------------------------------------ with modules
def module_step(lib, weights, x, y, lr=LR):
    """``step()`` written with ``nn.Sequential(nn.Linear, nn.ReLU, nn.Linear)`` and ``optim.SGD``."""
    nn, optim = lib.nn, lib.optim
    n_hidden, n_in = weights["w1"].shape
    model = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, weights["w2"].shape[0]))
    with lib.no_grad():
        for layer, (w, b) in ((model[0], ("w1", "b1")), (model[2], ("w2", "b2"))):
            layer.weight.copy_(lib.tensor(weights[w]))
            layer.bias.copy_(lib.tensor(weights[b]))
    opt = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    x, y = lib.tensor(x), lib.tensor(y)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def has_modules(lib):
    """True when ``lib`` has ``nn.Linear``, ``nn.Sequential`` and ``optim.SGD`` (they are recent here)."""
    try:
        import importlib

        optim = importlib.import_module(lib.__name__ + ".optim")
        return all(hasattr(lib.nn, n) for n in ("Linear", "Sequential", "ReLU", "CrossEntropyLoss")) and \
            hasattr(optim, "SGD")
    except ImportError:
        return False


def functional_seconds(settings, nb, torch, peers, weights, x, y, repeats, pause):
    """Median seconds per step: the functional step of autograd_nb, PyTorch and the peers, the numpy step."""
    own = {name: w.copy() for name, w in weights.items()}
    runs = {
        "autograd_nb": timed(functional_step(nb, weights, x, y)[1]),
        "pytorch": timed(functional_step(torch, weights, x, y)[1]) if torch is not None else None,
        "numpy": timed(lambda: numpy_step(own, x, y)),
    }
    for name, module in peers.items():
        runs[name] = timed(PEER_STEPS[name](module, weights, x, y)[1]) if module is not None else None
    medians = in_blocks(runs, repeats, settings.warmup, settings.rounds, pause)
    return {name: m["total"] for name, m in medians.items()}


def run(settings, nb, torch, log, peers=None):
    """Rows ``batch N`` (functional step) and ``batch N, nn.Linear + optim.SGD``: ms per step.

    ``peers`` is ``timing.import_peers()``'s answer, imported here when not given.
    """
    peers = import_peers() if peers is None else peers
    rows = []
    weights = initial_weights(settings.mlp_sizes)
    for size in settings.mlp_batches:
        x, y = batch(size, settings.mlp_sizes)
        repeats = settings.mlp_repeats.get(size, min(settings.mlp_repeats.values()))
        floor = {}

        def measure(size=size, x=x, y=y, repeats=repeats):
            seconds = functional_seconds(settings, nb, torch, peers, weights, x, y, repeats, settings.mlp_pause)
            ms = {name: 1e3 * s for name, s in seconds.items()}
            floor["numpy"] = ms["numpy"]
            log(f"  batch {size:4d}: {ms['autograd_nb']:8.3f} ms/step")
            return [row("MLP step", f"batch {size}", "ms/step", **ms, note="F.linear/relu/cross_entropy, SGD by hand",
                        batch=size, sizes=list(settings.mlp_sizes))]

        rows += guarded("MLP step", f"batch {size}", "ms/step", measure, log)

        case = f"batch {size}, nn.Linear + optim.SGD"
        if not has_modules(nb):
            rows.append(row("MLP step", case, "ms/step", status="not available",
                            note="autograd_nb.nn.Linear / optim.SGD do not import"))
            continue

        def measure_modules(size=size, x=x, y=y, repeats=repeats):
            medians = in_blocks({
                "autograd_nb": timed(module_step(nb, weights, x, y)),
                "pytorch": timed(module_step(torch, weights, x, y)) if torch is not None else None,
            }, repeats, settings.warmup, settings.rounds, settings.mlp_pause)
            ms = {name: 1e3 * m["total"] for name, m in medians.items()}
            return [row("MLP step", case, "ms/step", ms["autograd_nb"], ms.get("pytorch"), floor.get("numpy"),
                        note="numpy: the same hand-written step", batch=size, sizes=list(settings.mlp_sizes))]

        rows += guarded("MLP step", case, "ms/step", measure_modules, log)
    rows += guarded("MLP overhead", _overhead_case(settings), "µs/step",
                    lambda: overhead(settings, nb, torch, peers, log), log)
    return rows


def _overhead_case(settings):
    return "→".join(map(str, settings.overhead_sizes)) + f", batch {settings.overhead_batch}"


def overhead(settings, nb, torch, peers, log):
    """The row ``MLP overhead``: the functional step on a tiny network, in µs per step."""
    weights = initial_weights(settings.overhead_sizes)
    x, y = batch(settings.overhead_batch, settings.overhead_sizes)
    seconds = functional_seconds(settings, nb, torch, peers, weights, x, y, settings.overhead_repeats, 0)
    us = {name: 1e6 * s for name, s in seconds.items()}
    log(f"  overhead: {us['autograd_nb']:8.1f} µs/step ({_overhead_case(settings)})")
    return [row("MLP overhead", _overhead_case(settings), "µs/step", **us,
                note="tiny arrays: the bookkeeping per step", sizes=list(settings.overhead_sizes),
                batch=settings.overhead_batch)]
