"""The engine's own source, shown in a notebook: ``show_source(autograd_nb.engine.run_backward)``.

The lessons send you into the engine's code. Rather than quote it by hand (a quote goes stale the day
the code changes), they show it with ``show_source``: the real source of a function, class or method,
with the file and line numbers it comes from, highlighted in a notebook and as plain text elsewhere.
"""
import html
import inspect
import io
import keyword
import pathlib
import textwrap
import tokenize

from .language import get_language

PACKAGE = pathlib.Path(__file__).resolve().parent

# The files a learner follows from ``a * b`` to ``.grad``: the Tensor, Function.apply and its node, the
# engine, and the grad-mode switch.
CORE = ("tensor.py", "function.py", "engine.py", "grad_mode.py")


TITLE = {"en": "{path}, lines {first}–{last}", "zh": "{path}，第 {first}–{last} 行"}


class Source:
    """The source of one object: ``path`` (from the repository root), ``first`` and ``last`` line, ``code``."""

    def __init__(self, obj):
        target = inspect.unwrap(obj.fget if isinstance(obj, property) else obj)
        lines, first = inspect.getsourcelines(target)
        path = pathlib.Path(inspect.getsourcefile(target)).resolve()
        try:
            self.path = path.relative_to(PACKAGE.parent).as_posix()
        except ValueError:  # not part of autograd_nb (your own code, say): the file name is enough
            self.path = path.name
        self.first, self.last = first, first + len(lines) - 1
        self.code = textwrap.dedent("".join(lines)).rstrip("\n")

    @property
    def title(self):
        return TITLE[get_language()].format(path=self.path, first=self.first, last=self.last)

    def __repr__(self):
        return f"# {self.title}\n{self.code}"

    def _repr_html_(self):
        return (f'<div style="font-size:85%;color:#555;font-family:sans-serif">{html.escape(self.title)}</div>'
                + _highlighted(self.code))


def show_source(obj):
    """The source of ``obj`` (a function, class, method or property), to display in a notebook."""
    return Source(obj)


def core_size():
    """Lines in each of the core's files (docstrings and comments included), as ``{file: lines}``."""
    return {name: len((PACKAGE / name).read_text(encoding="utf-8").splitlines()) for name in CORE}


# Colours of the kinds of token (in the spirit of the usual notebook theme); everything else stays black.
_COLOURS = {"keyword": "color:#008000;font-weight:bold", "string": "color:#ba2121",
            "comment": "color:#3d7b7b;font-style:italic", "number": "color:#666666", "name": "color:#0000ff"}


def _highlighted(code):
    """Python source as HTML with inline colours (no stylesheet, so it survives GitHub and nbconvert).

    A pure function of the text, made with Python's own tokenizer, so the same code always gives the same
    HTML (notebooks store it, and nbval compares it)."""
    lines = code.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    spans, after_def = [], False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            kind = None
            if tok.type == tokenize.NAME and keyword.iskeyword(tok.string):
                kind = "keyword"
            elif tok.type == tokenize.NAME and after_def:
                kind = "name"
            elif tok.type == tokenize.STRING:
                kind = "string"
            elif tok.type == tokenize.COMMENT:
                kind = "comment"
            elif tok.type == tokenize.NUMBER:
                kind = "number"
            after_def = tok.type == tokenize.NAME and tok.string in ("def", "class")
            if kind:
                start = offsets[tok.start[0] - 1] + tok.start[1]
                end = offsets[tok.end[0] - 1] + tok.end[1]
                spans.append((start, end, kind))
    except (tokenize.TokenError, IndentationError, SyntaxError):  # (a fragment that does not parse: plain)
        spans = []
    parts, at = [], 0
    for start, end, kind in spans:
        parts.append(html.escape(code[at:start]))
        parts.append(f'<span style="{_COLOURS[kind]}">{html.escape(code[start:end])}</span>')
        at = end
    parts.append(html.escape(code[at:]))
    return ('<pre style="line-height:125%;font-size:85%;margin:0.2em 0 0 0">' + "".join(parts) + "</pre>")
