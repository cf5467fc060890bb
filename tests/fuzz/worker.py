"""Runs programs in a child process and records what every statement did.

The same code records both libraries, reading only their public API, so the two records can be compared
field by field. ``python -m tests.fuzz.worker`` is the child: it imports both libraries once, then answers
requests on stdin (framed pickles, see ``send``/``receive``) until stdin closes. Its stdout is kept for the
answers only; anything a program prints goes to stderr.
"""
import importlib
import os
import pickle
import re
import struct
import sys
import warnings

import numpy as np

GRAPH_DEPTH = 4  # levels of next_functions recorded below each grad_fn
GRAPH_NODES = 40  # and at most this many nodes, so that a diamond-shaped graph stays small

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TRIGGERED = re.compile(r"\s*\(Triggered internally at [^)]*\)\.?")
RESERVED = ("torch", "calls", "__builtins__")


def normalise(message):
    """The first line of a message, with memory addresses and PyTorch's C++ source locations taken out."""
    lines = str(message).strip().splitlines()
    line = lines[0] if lines else ""
    return _ADDRESS.sub("0x?", _TRIGGERED.sub("", line)).strip()


# --- recording a program -------------------------------------------------------------------------------
def run_program(library, sources):
    """Execute ``sources`` one statement at a time with ``torch`` bound to ``library``; return a record:
    ``{"steps": [...]}``, one step per statement run, each with its error (type, message) or None, the set
    of warnings it gave, and the state of every variable afterwards. A statement that raises ends the run."""
    torch = importlib.import_module(library)
    torch.set_grad_enabled(True)  # a program cannot leave grad mode off for the next one
    namespace = {"torch": torch, "calls": []}
    steps = []
    for i, src in enumerate(sources):
        error = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # every statement's warnings, not only the first of each kind
            try:
                exec(compile(src, f"<statement {i}>", "exec"), namespace)
            except Exception as e:  # noqa: BLE001  (any error is an outcome to compare)
                error = (type(e).__name__, normalise(e))
        found = sorted({(w.category.__name__, normalise(w.message)) for w in caught})
        steps.append({"error": error, "warnings": found, "state": snapshot(namespace, torch)})
        if error is not None:
            break
    torch.set_grad_enabled(True)
    return {"steps": steps}


def snapshot(namespace, torch):
    """Every variable of the program as plain data (the recording itself must not warn or change state)."""
    names = {id(v): k for k, v in namespace.items() if isinstance(v, torch.Tensor)}
    state = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, value in namespace.items():
            if name == "calls":
                state[name] = ("calls", _plain(value))
            elif name not in RESERVED:
                _record(state, name, value, torch, names)
    return state


def _record(state, name, value, torch, names):
    if isinstance(value, torch.Tensor):
        state[name] = ("tensor", tensor_state(value, names))
    elif value is None:
        state[name] = ("none",)
    elif isinstance(value, (bool, int, float)):
        state[name] = ("scalar", type(value).__name__, value)
    elif isinstance(value, (tuple, list)) and all(v is None or isinstance(v, torch.Tensor) for v in value):
        state[name] = ("tuple", len(value))  # e.g. max(dim)'s (values, indices), autograd.grad's result
        for k, item in enumerate(value):
            _record(state, f"{name}[{k}]", item, torch, names)
    # anything else (functions, hook handles) is not compared


def _field(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001  (a field that cannot be read is itself a result)
        return ("unreadable", type(e).__name__, normalise(e))


def tensor_state(t, names):
    return {
        "dtype": _field(lambda: str(t.dtype)),
        "shape": _field(lambda: tuple(t.shape)),
        "requires_grad": _field(lambda: t.requires_grad),
        "is_leaf": _field(lambda: t.is_leaf),
        "grad_fn": _field(lambda: graph(t.grad_fn, names)),
        "retains_grad": _field(lambda: t.retains_grad),
        "version": _field(lambda: t._version),
        "values": _field(lambda: np.array(t.detach().numpy(), copy=True)),
        "grad": _field(lambda: grad_state(t.grad)),
    }


def grad_state(g):
    if g is None:
        return None
    return {"dtype": str(g.dtype), "shape": tuple(g.shape), "requires_grad": g.requires_grad,
            "values": np.array(g.detach().numpy(), copy=True)}


def graph(node, names):
    """``grad_fn`` and what lies behind it, a few levels deep, as nested tuples of class names:
    ``(name, ((child, output_nr), ...))``; an AccumulateGrad names the program variable it fills."""
    budget = [GRAPH_NODES]

    def walk(node, depth):
        if node is None:
            return None
        name = type(node).__name__
        if name == "AccumulateGrad":
            variable = getattr(node, "variable", None)
            return (name, names.get(id(variable), "?"))
        budget[0] -= 1
        if depth == 0 or budget[0] < 0:
            return (name, "...")
        return (name, tuple((walk(child, depth - 1), nr) for child, nr in node.next_functions))

    return walk(node, GRAPH_DEPTH)


def _plain(value):
    """What hooks appended to ``calls``: sizes become tuples, tensors their values."""
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return np.array(value.detach().numpy(), copy=True)
    return value


# --- the child's side of the pipe --------------------------------------------------------------------
_HEADER = struct.Struct(">Q")


def send(stream, obj):
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (n,) = _HEADER.unpack(head)
    return pickle.loads(stream.read(n))


def main():
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # print() in a program must not corrupt the answers
    sys.stdout = sys.stderr
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)  # tiny tensors: threads would only fight over the cores
    torch.set_warn_always(True)  # PyTorch's warn-once warnings must not depend on what ran before
    import autograd_nb  # (imported once, here, not in the first program's time)

    autograd_nb.set_warn_always(True)  # (likewise)

    send(answers, ("ready", os.getpid()))
    requests = sys.stdin.buffer
    while True:
        request = receive(requests)
        if request is None:
            return
        library, sources = request
        send(answers, run_program(library, sources))


if __name__ == "__main__":
    main()
