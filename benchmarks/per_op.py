"""1. Per-op overhead: what recording one operation and running its backward costs.

On 8×8 float32 tensors the arithmetic takes a few hundred nanoseconds, so what is measured is the
bookkeeping around it: ``Function.apply``, the node, the saved tensors, the engine's loop. One run
builds a chain of K operations of one kind, ``y = op(y)``, then calls ``y.backward(ones)``; the time of
the run divided by K is the cost per recorded op. PyTorch runs the same chain. The numpy column is the
floor: the same K forward calls and the backward formulas written out by hand, with no graph at all.

* ``add``, ``mul``, ``matmul``: ``y = y + w``, ``y * w``, ``y @ w`` with a leaf ``w`` that requires
  grad, so each backward step also sends a gradient to ``w`` (``w`` is orthogonal for ``matmul``,
  so the values neither vanish into subnormals nor blow up).
* ``exp``, ``tanh``: ``y = y.exp()``, ``y.tanh()``. The exp chain overflows to inf after a few links;
  that changes nothing in the timing on x86 (only subnormal numbers are slow), and numpy's overflow
  warnings are switched off for all three implementations alike.
* ``sum``: ``y = y.sum()``: the first link reduces the 8×8 tensor, the others work on a 0-d tensor.
"""
import numpy as np

from .timing import clock, guarded, in_blocks, row

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


def chain(op, x, w, k):
    """``k`` links of ``op`` starting from ``x``; the same code for autograd_nb, PyTorch and numpy."""
    y = x
    if op == "add":
        for _ in range(k):
            y = y + w
    elif op == "mul":
        for _ in range(k):
            y = y * w
    elif op == "exp":
        for _ in range(k):
            y = y.exp()
    elif op == "tanh":
        for _ in range(k):
            y = y.tanh()
    elif op == "sum":
        for _ in range(k):
            y = y.sum()
    elif op == "matmul":
        for _ in range(k):
            y = y @ w
    else:
        raise ValueError(f"unknown op {op!r}")
    return y


def graph_run(lib, op, x_np, w_np, k):
    """A run for ``in_blocks``: build the chain with ``lib`` (autograd_nb or torch), then backward."""
    x = lib.tensor(x_np, requires_grad=True)
    w = lib.tensor(w_np, requires_grad=True)
    seed = lib.ones(()) if op == "sum" else lib.ones(SIZE, SIZE)

    def run():
        x.grad = None
        w.grad = None
        with np.errstate(over="ignore", invalid="ignore"):
            start = clock()
            y = chain(op, x, w, k)
            built = clock()
            y.backward(seed)
            done = clock()
        return {"build": built - start, "backward": done - built}

    return run


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


def numpy_grads(op, x, w, k):
    """∂L/∂x and ∂L/∂w of the numpy chain (the smoke test checks them against autograd_nb)."""
    with np.errstate(over="ignore", invalid="ignore"):
        y, saved = numpy_forward(op, x, w, k)
        return numpy_backward(op, y, saved, w, k)


def numpy_run(op, x, w, k):
    """A run for ``in_blocks``: the chain in numpy, and its backward written out by hand."""
    def run():
        with np.errstate(over="ignore", invalid="ignore"):
            start = clock()
            y, saved = numpy_forward(op, x, w, k)
            built = clock()
            numpy_backward(op, y, saved, w, k)
            done = clock()
        return {"build": built - start, "backward": done - built}

    return run


def run(settings, nb, torch, log):
    """One row per op: µs per recorded op (build + backward) for the three implementations."""
    rows = []
    k = settings.chain_k
    for op in settings.ops:
        def measure(op=op):
            x, w = inputs(op)
            medians = in_blocks({
                "autograd_nb": graph_run(nb, op, x, w, k),
                "pytorch": graph_run(torch, op, x, w, k) if torch is not None else None,
                "numpy": numpy_run(op, x, w, k),
            }, settings.per_op_repeats, settings.warmup, settings.rounds)
            per_op = {name: 1e6 * (m["build"] + m["backward"]) / k for name, m in medians.items()}
            split = {f"{name}_{phase}_us": 1e6 * m[phase] / k
                     for name, m in medians.items() for phase in ("build", "backward")}
            log(f"  {op:8s} {per_op['autograd_nb']:8.2f} µs/op")
            return [row("per-op", op, "µs/op", per_op["autograd_nb"], per_op.get("pytorch"), per_op["numpy"],
                        note=f"chain of {k}, 8×8 float32", k=k, **split)]

        rows += guarded("per-op", op, "µs/op", measure, log)
    return rows
