"""The forward pass builds the graph: run a program one statement at a time and watch it grow.

The model behind ``graph_builder`` and ``animate_forward``. A program is source text of simple
statements; each runs in one shared namespace in which ``torch`` is ``autograd_nb``::

    steps = ForwardSteps('''
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * x).sum()
    ''')
    steps.frame(2)["new"]     # the nodes statement 2 added: ['y', 'SumBackward0', ...]

Everything runs once, when the model is made: after each statement the graph of every tensor
bound to a name is drawn (with ``viz``) and kept as plain data, so later statements (an in-place
change, a ``backward()``) cannot change an earlier frame. Frame 0 is the empty start; frame k
shows the graph after statement k, its new nodes highlighted. A statement that raises ends the
program: its frame shows the error, and the statements after it do not run.
"""

import ast
import contextlib
import io
import textwrap

import autograd_nb

from ..language import Messages
from ..tensor import Tensor
from ..viz import Graph
from ..viz.model import build
from . import panels

__all__ = ["ForwardSteps", "LESSON_SOURCE"]

LESSON_SOURCE = """\
x = torch.tensor([1., 2.], requires_grad=True)
w = torch.tensor([3., 4.], requires_grad=True)
y = x * w
z = y.exp()
loss = z.sum()
"""

WORDS = Messages(
    en={
        "raised": "The program raised",
        "line": "line {line}: {error}",
        "no_tensors": "(no tensors yet)",
        "new": "new (thick pink border): ",
        "new_short": "new: ",
        "start": "step 0/{n}: nothing has run yet",
        "step": "step {i}/{n}: {statement}{failed}",
        "failed": " (raised)",
    },
    zh={
        "raised": "程序报错",
        "line": "第 {line} 行：{error}",
        "no_tensors": "（还没有张量）",
        "new": "新加的（粗粉色边框）：",
        "new_short": "新加的：",
        "start": "第 0/{n} 步：还没有运行任何语句",
        "step": "第 {i}/{n} 步：{statement}{failed}",
        "failed": "（报错）",
    },
)


class ForwardSteps:
    """A program run statement by statement; ``frame(i)`` is the picture after statement ``i``.

    ``source``: the program text (default ``LESSON_SOURCE``). ``namespace``: extra names the
    program may use (``torch`` is always there).
    """

    def __init__(self, source=None, namespace=None):
        source = textwrap.dedent(LESSON_SOURCE if source is None else source).strip("\n")
        self.source = source
        self.lines = source.split("\n")
        self.statements = []  # (first line, last line, text), lines 0-based
        self._frames = []
        try:
            tree = ast.parse(source, filename="<program>")
        except SyntaxError as exc:
            self._frames.append(_Frame(None, [], [], "", panels.error_text(exc)))
            return
        for node in tree.body:
            text = ast.get_source_segment(source, node) or ""
            self.statements.append((node.lineno - 1, node.end_lineno - 1, text, node))
        namespace = dict(namespace or {})
        namespace["torch"] = autograd_nb
        self._seen = {}  # id -> object, for every tensor and node drawn so far (kept alive)
        self._frames.append(self._snapshot(namespace, ""))
        for node in (s[3] for s in self.statements):
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    exec(compile(ast.Module([node], []), "<program>", "exec"), namespace)
            except Exception as exc:
                before = self._frames[-1]
                message = WORDS["line"].format(line=node.lineno, error=panels.error_text(exc))
                self._frames.append(_Frame(before.graph, [], [], printed.getvalue(), message))
                break
            self._frames.append(self._snapshot(namespace, printed.getvalue()))
        self.statements = [s[:3] for s in self.statements]
        self._seen = {}

    def __len__(self):
        """The number of frames: one per statement that ran (or failed), plus the empty start."""
        return len(self._frames)

    def frame(self, i):
        """What to show after statement ``i`` (0: before anything ran).

        A dict: ``html`` (code beside picture), ``code_html``, ``svg`` (None while there are no
        tensors), ``graph`` (a ``viz.Graph`` or None), ``new`` (labels of the nodes this
        statement added, first line of each label), ``new_keys``, ``lines`` (the 0-based source
        lines of the statement), ``caption``, ``printed`` (what it printed) and ``error``.
        """
        if not 0 <= i < len(self._frames):
            raise IndexError(f"frame {i} out of range: there are {len(self._frames)} frames")
        f = self._frames[i]
        lines = []
        if 0 < i <= len(self.statements):
            first, last, _ = self.statements[i - 1]
            lines = list(range(first, last + 1))
        caption = self.caption(i)
        done = self.statements[i - 1][1] + 1 if 0 < i <= len(self.statements) else 0
        if f.error is not None:
            done = lines[0] if lines else 0
        code_html = panels.code_listing(self.lines, current=lines, done=done)
        parts = [panels.note(caption)]
        if f.error is not None:
            parts.append(panels.error_box(f.error, WORDS["raised"]))
        if f.graph is None:
            parts.append(panels.note(WORDS["no_tensors"]))
        else:
            parts.append(f.graph._repr_html_())
            if f.new:
                parts.append(panels.note(WORDS["new"] + ", ".join(f.new)))
        if f.printed:
            parts.append(panels.preformatted(f.printed))
        html = panels.columns(code_html, "".join(parts), widths=["content", None])
        return dict(html=html, code_html=code_html, svg=None if f.graph is None else f.graph.to_svg(),
                    graph=f.graph, new=list(f.new), new_keys=list(f.new_keys), lines=lines,
                    caption=caption, printed=f.printed, error=f.error)

    def caption(self, i):
        """``step 3/5: y = x * w`` (the statement's first line)."""
        n = len(self.statements)
        if i == 0:
            return WORDS["start"].format(n=n)
        first_line = self.statements[i - 1][2].split("\n")[0]
        failed = WORDS["failed"] if self._frames[i].error is not None else ""
        return WORDS["step"].format(i=i, n=n, statement=first_line, failed=failed)

    # -- one picture per statement ------------------------------------------------------------

    def _snapshot(self, namespace, printed):
        named = {name: value for name, value in namespace.items()
                 if isinstance(value, Tensor) and not name.startswith("_")}
        if not named:
            return _Frame(None, [], [], printed, None)
        # newest first: the latest result gets the first key and sits leftmost in its layer
        roots = list(named.values())[::-1]
        graph, key_of = build(roots, params=named, show_values=True, show_grads=True)
        new_keys = []
        for obj in _drawn_objects(roots):
            key = key_of(obj)
            if key is not None and id(obj) not in self._seen:
                new_keys.append(key)
            self._seen.setdefault(id(obj), obj)
        new_keys.sort(key=lambda k: graph.nodes[k]["order"])
        for key in new_keys:
            graph.nodes[key]["highlight"] = True
        new = [graph.nodes[k]["label"].split("\n")[0] for k in new_keys]
        return _Frame(Graph(graph), new, new_keys, printed, None)


class _Frame:
    __slots__ = ("graph", "new", "new_keys", "printed", "error")

    def __init__(self, graph, new, new_keys, printed, error):
        self.graph, self.new, self.new_keys = graph, new, new_keys
        self.printed, self.error = printed, error


def _drawn_objects(roots):
    """The tensors and backward nodes ``viz`` draws for ``roots``: roots, their ``grad_fn``,
    everything in ``next_functions``, and the leaf each ``AccumulateGrad`` writes into."""
    out, seen, stack = [], set(), list(roots)
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen:
            continue
        seen.add(id(obj))
        out.append(obj)
        if isinstance(obj, Tensor):
            stack.append(obj.grad_fn)
        else:
            stack.extend(nxt for nxt, _ in obj.next_functions)
            stack.append(getattr(obj, "variable", None))
    return out
