"""1. Per-op overhead: what recording one operation and running its backward costs.

On 8×8 float32 tensors the arithmetic takes a few hundred nanoseconds, so what is measured is the
bookkeeping around it: ``Function.apply``, the node, the saved tensors, the engine's loop. One run
builds a chain of K operations of one kind, ``y = op(y)``, then calls ``y.backward(ones)``; the time of
the run divided by K is the cost per recorded op. PyTorch runs the same chain. The numpy column is the
floor: the same K forward calls and the backward formulas written out by hand, with no graph at all.

The two peers run the same chain on their own arrays. HIPS autograd records it while ``make_vjp``
evaluates the chain written with ``autograd.numpy`` (build), and backward is the call of the returned
vjp with the seed. mygrad builds it on ``mg.tensor``s and runs ``y.backward(seed)``. Neither has
``.exp()`` or ``.tanh()`` methods on its arrays, so their chains call ``anp.exp(y)``, ``mg.tanh(y)``.

* ``add``, ``mul``, ``matmul``: ``y = y + w``, ``y * w``, ``y @ w`` with a leaf ``w`` that requires
  grad, so each backward step also sends a gradient to ``w`` (``w`` is orthogonal for ``matmul``,
  so the values neither vanish into subnormals nor blow up).
* ``exp``, ``tanh``: ``y = y.exp()``, ``y.tanh()``. The exp chain overflows to inf after a few links;
  that changes nothing in the timing on x86 (only subnormal numbers are slow), and numpy's overflow
  warnings are switched off for every implementation alike.
* ``sum``: ``y = y.sum()``: the first link reduces the 8×8 tensor, the others work on a 0-d tensor.
"""
import operator
import typing

import numpy as np

from .timing import clock, guarded, import_peers, in_blocks, row

OPS = ("add", "mul", "exp", "tanh", "sum", "matmul")
SIZE = 8


def inputs(op, seed=0):
    """The starting ``x`` and the second operand ``w`` (numpy, float32) for a chain of ``op``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 0.0, (SIZE, SIZE)).astype(np.float32)
    if op == "add":
        w = rng.uniform(-0.01, 0.01, (SIZE, SIZE))
    elif op == "matmul":
        w, _ = np.linalg.qr(rng.standard_normal((SIZE, SIZE)))  # orthogonal: keeps the scale of y
    else:
        w = rng.uniform(0.99, 1.01, (SIZE, SIZE))
    return x, w.astype(np.float32)


def chain(op, x, w, k, functions=None):
    """``k`` links of ``op`` starting from ``x``; the same code for every implementation.

    ``y.exp()``, ``y.tanh()``, ``y.sum()`` are method calls, or calls of ``functions.exp`` etc. when a
    module is given (HIPS autograd's and mygrad's arrays lack some of the methods).
    """
    y = x
    if op == "add":
        for _ in range(k):
            y = y + w
    elif op == "mul":
        for _ in range(k):
            y = y * w
    elif op == "matmul":
        for _ in range(k):
            y = y @ w
    elif op in ("exp", "tanh", "sum"):
        f = getattr(functions, op) if functions is not None else operator.methodcaller(op)
        for _ in range(k):
            y = f(y)
    else:
        raise ValueError(f"unknown op {op!r}")
    return y


class Chain(typing.NamedTuple):
    """One implementation's chain, in the phases that are timed apart.

    ``build()`` records the chain and returns what ``backward`` needs; ``backward(built)`` runs the
    backward pass with a ones seed and returns (∂L/∂x, ∂L/∂w); ``reset()``, untimed, runs before each
    build (clearing the gradients that would otherwise accumulate).
    """
    build: typing.Callable
    backward: typing.Callable
    reset: typing.Callable = lambda: None


def seed(op):
    """The ones ∂L/∂y (numpy, float32): 0-d for ``sum``, 8×8 for the others."""
    return np.ones(() if op == "sum" else (SIZE, SIZE), np.float32)


def graph_chain(lib, op, x_np, w_np, k):
    """The chain in autograd_nb or PyTorch: leaf tensors, ``y.backward(seed)``, ``.grad``."""
    x = lib.tensor(x_np, requires_grad=True)
    w = lib.tensor(w_np, requires_grad=True)
    ones = lib.tensor(seed(op))

    def backward(y):
        y.backward(ones)
        return x.grad, w.grad

    def reset():
        x.grad = None
        w.grad = None

    return Chain(lambda: chain(op, x, w, k), backward, reset)


def hips_chain(autograd, op, x, w, k):
    """The chain in HIPS autograd: evaluating it under ``make_vjp`` records it, the vjp runs backward."""
    record = autograd.make_vjp(lambda x, w: chain(op, x, w, k, autograd.numpy), argnum=(0, 1))
    ones = seed(op)
    return Chain(lambda: record(x, w)[0], lambda vjp: vjp(ones))


def mygrad_chain(mg, op, x_np, w_np, k):
    """The chain on mygrad tensors; mygrad clears a tensor's gradient itself when it enters a new graph."""
    x, w = mg.tensor(x_np), mg.tensor(w_np)
    ones = seed(op)

    def backward(y):
        y.backward(ones)
        return x.grad, w.grad

    return Chain(lambda: chain(op, x, w, k, mg), backward)


def numpy_forward(op, x, w, k):
    """The chain in numpy: (result, what the backward needs from each link)."""
    y, saved = x, []
    if op in ("mul", "matmul"):  # their backward needs each link's input
        for _ in range(k):
            saved.append(y)
            y = y * w if op == "mul" else y @ w
    elif op in ("exp", "tanh"):  # theirs needs each link's result
        f = np.exp if op == "exp" else np.tanh
        for _ in range(k):
            y = f(y)
            saved.append(y)
    elif op == "sum":  # the shape to spread the gradient back to
        for _ in range(k):
            saved.append(np.shape(y))
            y = y.sum()
    else:
        y = chain(op, x, w, k)
    return y, saved


def numpy_backward(op, y, saved, w, k):
    """The backward formulas written out: (∂L/∂x, ∂L/∂w) for ∂L/∂y = ones."""
    g, gw = np.ones_like(y), np.zeros_like(w)
    if op == "add":  # ∂(y + w)/∂y = ∂(y + w)/∂w = 1
        for _ in range(k):
            gw = gw + g
    elif op == "mul":  # ∂(y·w)/∂y = w, ∂(y·w)/∂w = y
        for y_in in reversed(saved):
            gw = gw + g * y_in
            g = g * w
    elif op == "exp":  # ∂eʸ/∂y = eʸ
        for z in reversed(saved):
            g = g * z
    elif op == "tanh":  # ∂tanh y/∂y = 1 - tanh²y
        for z in reversed(saved):
            g = g * (1 - z * z)
    elif op == "sum":  # the gradient of a sum is spread back over the summed elements
        for shape in reversed(saved):
            g = np.broadcast_to(g, shape)
    elif op == "matmul":  # ∂L/∂y = G wᵀ, ∂L/∂w = yᵀ G
        for y_in in reversed(saved):
            gw = gw + y_in.T @ g
            g = g @ w.T
    return g, gw


def numpy_chain(op, x, w, k):
    """The chain in numpy, with its backward written out by hand: no graph at all."""
    return Chain(lambda: numpy_forward(op, x, w, k), lambda built: numpy_backward(op, *built, w, k))


def grads(c):
    """(∂L/∂x, ∂L/∂w) of one run of the chain ``c`` (the smoke test compares them across implementations)."""
    c.reset()
    with np.errstate(over="ignore", invalid="ignore"):
        return c.backward(c.build())


def numpy_grads(op, x, w, k):
    """∂L/∂x and ∂L/∂w of the numpy chain."""
    return grads(numpy_chain(op, x, w, k))


def timed_run(c):
    """A run for ``in_blocks``: ``{"build": seconds, "backward": seconds}`` of the chain ``c``."""
    def run():
        c.reset()
        with np.errstate(over="ignore", invalid="ignore"):
            start = clock()
            built = c.build()
            middle = clock()
            c.backward(built)
            done = clock()
        return {"build": middle - start, "backward": done - middle}

    return run


def graph_run(lib, op, x_np, w_np, k):
    """A run for ``in_blocks``: build the chain with ``lib`` (autograd_nb or torch), then backward."""
    return timed_run(graph_chain(lib, op, x_np, w_np, k))


PEER_CHAINS = {"hips": hips_chain, "mygrad": mygrad_chain}


def chains(nb, torch, peers, op, x, w, k):
    """Every implementation's chain, in the order of the table (None: not installed)."""
    found = {
        "autograd_nb": graph_chain(nb, op, x, w, k),
        "pytorch": graph_chain(torch, op, x, w, k) if torch is not None else None,
        "numpy": numpy_chain(op, x, w, k),
    }
    for name, module in peers.items():
        found[name] = PEER_CHAINS[name](module, op, x, w, k) if module is not None else None
    return found


def run(settings, nb, torch, log, peers=None):
    """One row per op: µs per recorded op (build + backward) for every implementation.

    ``peers`` is ``timing.import_peers()``'s answer, imported here when not given.
    """
    peers = import_peers() if peers is None else peers
    rows = []
    k = settings.chain_k
    for op in settings.ops:
        def measure(op=op):
            x, w = inputs(op)
            runs = {name: timed_run(c) if c is not None else None
                    for name, c in chains(nb, torch, peers, op, x, w, k).items()}
            medians = in_blocks(runs, settings.per_op_repeats, settings.warmup, settings.rounds)
            per_op = {name: 1e6 * (m["build"] + m["backward"]) / k for name, m in medians.items()}
            split = {f"{name}_{phase}_us": 1e6 * m[phase] / k
                     for name, m in medians.items() for phase in ("build", "backward")}
            log(f"  {op:8s} {per_op['autograd_nb']:8.2f} µs/op")
            return [row("per-op", op, "µs/op", **per_op, note=f"chain of {k}, 8×8 float32", k=k, **split)]

        rows += guarded("per-op", op, "µs/op", measure, log)
    return rows
