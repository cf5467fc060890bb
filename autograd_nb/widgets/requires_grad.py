"""Which tensors require grad, and which part of the graph does backward visit?

The model behind ``requires_grad_explorer``. A *program* is a function that makes some leaf
tensors, with ``requires_grad`` read from the mapping it is given, and returns the tensors worth
looking at, by name::

    def program(requires_grad):
        x = torch.ones(3, requires_grad=requires_grad["x"])
        w = torch.full((3,), 2.0, requires_grad=requires_grad["w"])
        return {"x": x, "w": w, "y": x * w, "loss": (x * w).sum()}

The explorer finds the leaf names by calling the program once and noting the names it asks for
(``requires_grad["x"]`` asks with default True, ``requires_grad.get("x", False)`` with default
False). The last tensor returned is the one whose ``backward()`` the explorer imagines.

``RequiresGradModel(program).state({"z": False})`` runs the program with those flags on fresh
tensors and returns what the explorer shows; nothing you own is touched.

PyTorch rule on show: a result requires grad exactly when at least one input does; a tensor that
does not is recorded nowhere (the dashed boxes), and backward never visits it.
"""

from .. import random as _random
from ..autograd import trace
from ..creation import ones_like, randn
from ..language import Messages
from ..tensor import Tensor
from ..viz import draw
from ..viz.backward import reachable
from . import panels

__all__ = ["RequiresGradModel", "lesson_program", "LESSON_FLAGS"]

SEED = 0

WORDS = Messages(
    en={
        "raised": "The program raised",
        "no_target": "KeyError: no tensor named {target!r} among {names}",
        "visited": "thick pink border: the nodes {target}.backward() visits; ",
        "dashed": "dashed boxes: tensors that do not require grad (autograd recorded nothing for them)",
        "header": ["tensor", "requires_grad", "is_leaf", "grad_fn"],
        "outside": "outside the graph: ",
        "runs": lambda target, n: f"{target}.backward() runs {n} node{'s' if n != 1 else ''}:",
        "fills": "and fills .grad of: ",
        "nothing": "nothing",
    },
    zh={
        "raised": "程序报错",
        "no_target": "KeyError：在 {names} 中没有名为 {target!r} 的张量",
        "visited": "粗粉色边框：{target}.backward() 会经过的节点；",
        "dashed": "虚线框：不需要求导的张量（autograd 没有为它们记录任何东西）",
        "header": ["张量", "requires_grad", "is_leaf", "grad_fn"],
        "outside": "不在图中：",
        "runs": lambda target, n: f"{target}.backward() 运行了 {n} 个节点：",
        "fills": "并填好这些张量的 .grad：",
        "nothing": "（没有）",
    },
)


def lesson_program(requires_grad):
    """The lesson's example (PyTorch's "Autograd mechanics" notes): ``a = x + y``, ``b = a + z``."""
    generator = _random.Generator().manual_seed(SEED)
    x = randn(5, 5, requires_grad=requires_grad["x"], generator=generator)
    y = randn(5, 5, requires_grad=requires_grad["y"], generator=generator)
    z = randn(5, 5, requires_grad=requires_grad["z"], generator=generator)
    a = x + y
    b = a + z
    return {"x": x, "y": y, "z": z, "a": a, "b": b}


LESSON_FLAGS = {"x": False, "y": False, "z": True}  # as in the notes: only z requires grad


class Flags(dict):
    """The ``requires_grad`` mapping a program reads: remembers which names it asked for.

    A name that was not set answers with the default: True for ``flags[name]``, or the one given
    to ``flags.get(name, default)``.
    """

    def __init__(self, values=()):
        super().__init__(values)
        self.asked = {}  # name -> the default the program would use, in the order asked

    def __getitem__(self, name):
        return self.get(name, True)

    def get(self, name, default=None):
        self.asked.setdefault(name, bool(default))
        return bool(dict.get(self, name, default))


class RequiresGradModel:
    """``state(flags)``: the picture, table and backward summary for one choice of flags.

    ``program``: see the module docstring (default: ``lesson_program``).
    ``flags``: starting values; names not given start from the program's defaults.
    ``target``: the name of the tensor to imagine calling ``backward()`` on (default: the last).
    """

    def __init__(self, program=None, flags=None, target=None):
        self.program = program or lesson_program
        if program is None and flags is None:
            flags = LESSON_FLAGS
        self.error = None
        self.leaves = {}  # leaf name -> starting flag
        probe = Flags()
        try:
            self.program(probe)
        except Exception as exc:  # shown in the widget, not raised
            self.error = panels.error_text(exc)
        self.leaves = dict(probe.asked)
        for name, value in (flags or {}).items():
            self.leaves[name] = bool(value)
        self.target = target

    def state(self, flags=None):
        """Run the program with ``flags`` (``{leaf: bool}``, missing ones at their start value).

        Returns a dict: ``html`` (all of it, for the widget), ``svg``, ``graph`` (the ``viz``
        Graph), ``table`` (rows name, requires_grad, is_leaf, grad_fn), ``kinds`` (name ->
        ``viz`` kind: "leaf", "output" or "nograd"), ``visits`` (the backward nodes that
        ``target.backward()`` runs, in the engine's order), ``backward`` (a sentence about it),
        ``excluded`` (names of tensors outside the graph) and ``error`` (None or a message).
        """
        values = dict(self.leaves)
        values.update(flags or {})
        empty = dict(html="", svg=None, graph=None, table=[], kinds={}, visits=[], backward="",
                     excluded=[], target=None, error=None)
        try:
            named = self.program(Flags(values))
            named = _check_named(named)
        except Exception as exc:
            message = panels.error_text(exc)
            return {**empty, "error": message, "html": panels.error_box(message, WORDS["raised"])}
        target = self.target if self.target is not None else list(named)[-1]
        if target not in named:
            message = WORDS["no_target"].format(target=target, names=sorted(named))
            return {**empty, "error": message, "html": panels.error_box(message)}
        out = named[target]

        visited = _reachable(out.grad_fn)
        graph = draw(list(named.values()), params=named, highlight=visited)
        kinds = {}
        for key, attrs in graph.nx.nodes(data=True):
            if attrs.get("name") is not None and attrs["kind"] in ("leaf", "output", "nograd"):
                kinds.setdefault(attrs["name"], attrs["kind"])
        rows = [[name, str(t.requires_grad), str(t.is_leaf),
                 "None" if t.grad_fn is None else f"<{type(t.grad_fn).__name__}>"]
                for name, t in named.items()]
        excluded = [name for name, t in named.items() if not t.requires_grad]
        visits, sentence = _backward_visits(out, target, named)

        parts = [graph._repr_html_()]
        visited = WORDS["visited"].format(target=target) if visits else ""
        parts.append(panels.note(visited + WORDS["dashed"]))
        side = [panels.table(WORDS["header"], rows)]
        if visits:
            side.append(panels.preformatted(sentence))
        else:
            side.append(panels.error_box(sentence, f"{target}.backward()"))
        if excluded:
            side.append(panels.note(WORDS["outside"] + ", ".join(excluded)))
        return dict(html=panels.columns("".join(parts), "".join(side)), svg=graph.to_svg(),
                    graph=graph, table=rows, kinds=kinds, visits=visits, backward=sentence,
                    excluded=excluded, target=target, error=None)


def _check_named(named):
    """The program's result as ``{name: Tensor}``, or a TypeError that says what was wrong."""
    if not isinstance(named, dict) or not named:
        raise TypeError("the program must return a non-empty dict {name: tensor}, "
                        f"got {type(named).__name__}")
    for name, value in named.items():
        if not isinstance(value, Tensor):
            raise TypeError(f"the program returned {name!r} = a {type(value).__name__}, "
                            "not a tensor")
    return {str(name): value for name, value in named.items()}


def _reachable(node):
    """Every backward node reachable from ``node`` through ``next_functions`` (what backward runs)."""
    return [] if node is None else reachable(node)


def _backward_visits(out, target, named):
    """Run ``out.backward()`` (on these fresh tensors) in a trace: the nodes it ran, and a summary.

    A non-scalar ``out`` gets v = ones, as ``out.sum().backward()`` would.
    """
    try:
        with trace(params=named) as record:
            out.backward(None if out.numel() == 1 else ones_like(out))
    except RuntimeError as exc:
        return [], panels.error_text(exc)
    visits = []
    for event in record.events:
        if event.kind == "start":
            continue
        visits.append(event.name if event.kind == "node" else f"{event.name} ({event.leaf}.grad)")
    leaves = [name for name, t in named.items()
              if t.is_leaf and t.requires_grad and t.grad is not None]
    lines = [WORDS["runs"](target, len(visits))]
    lines += [f"  {i + 1}. {name}" for i, name in enumerate(visits)]
    lines.append(WORDS["fills"] + (", ".join(leaves) if leaves else WORDS["nothing"]))
    return visits, "\n".join(lines)

