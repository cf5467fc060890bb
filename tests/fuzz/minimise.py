"""Shrinking a failing program to a small one that still fails the same way.

First delta debugging over the statements (Zeller's ddmin: drop chunks, then complements of chunks,
halving the chunk size until single statements); then a link taken out of a chain (``y = f(x)`` dropped,
later uses of ``y`` reading ``x``); then simpler statements: keyword arguments dropped, float literals
replaced by 1.0 or 0.0, a ``with`` block reduced to fewer lines or to its body. A candidate
is kept only if ``still_fails`` says it shows the same kind of difference. ``still_fails`` is called at
most ``budget`` times; answers are cached.
"""
import re

from .generator import Program, Statement

_FLOAT = re.compile(r"-?float\('(?:nan|inf)'\)|(?<![\w.])-?\d+\.\d+(?![\w.])")
_KWARG = re.compile(r"[(,]\s*(\w+)=(?!=)")


def ddmin(items, test):
    """A 1-minimal sublist of ``items`` (order kept) for which ``test`` holds; ``test(items)`` must hold."""
    n = 2
    while len(items) >= 2:
        size = -(-len(items) // n)
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for chunk in chunks:
            if len(chunk) < len(items) and test(chunk):
                items, n = chunk, 2
                break
        else:
            for k in range(len(chunks)):
                rest = [x for j, c in enumerate(chunks) if j != k for x in c]
                if rest and test(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    return items
                n = min(len(items), 2 * n)
    return items


def _kwarg_spans(src):
    """(start, end) of each keyword argument ``name=value`` in ``src``, with the comma that joins it to
    its neighbours, so that removing the span leaves a valid call."""
    spans = []
    for m in _KWARG.finditer(src):
        depth, i = 0, m.end()
        while i < len(src):  # the value runs to the next top-level , or )
            c = src[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif c in ",\n" and depth == 0:
                break
            i += 1
        if src[m.start()] == ",":
            spans.append((m.start(), i))
        elif i < len(src) and src[i] == ",":  # the first argument: take the comma after it instead
            spans.append((m.start() + 1, i + 1 + (src[i + 1:i + 2] == " ")))
        else:
            spans.append((m.start() + 1, i))
    return spans


def simpler(src):
    """Candidate simplifications of one statement, the boldest first."""
    lines = src.split("\n")
    if lines[0].startswith("with "):  # the block's body without the block
        yield "\n".join(line[4:] for line in lines[1:])
    body = 1 if lines[0].startswith("with ") else 0
    if len(lines) - body > 1:  # one line fewer
        for k in range(body, len(lines)):
            yield "\n".join(lines[:k] + lines[k + 1:])
    for start, end in reversed(_kwarg_spans(src)):
        yield src[:start] + src[end:]
    floats = [m for m in _FLOAT.finditer(src) if m.group() not in ("1.0", "0.0")]
    if len(floats) > 1:
        yield _FLOAT.sub(lambda m: "1.0", src)
    for m in floats:
        for simple in ("1.0", "0.0"):
            yield src[:m.start()] + simple + src[m.end():]


_ASSIGNED = re.compile(r"^(t\d+) = (.*)$", re.S)
_NAME = re.compile(r"\bt\d+\b")


def bypasses(statements):
    """Programs without one assignment ``x = f(y, ...)`` whose later statements read one of its inputs
    ``y`` where they read ``x``: a statement in the middle of a chain can go only this way, since its
    result has a name later statements use."""
    for i, s in enumerate(statements):
        m = _ASSIGNED.match(s.src)
        if not m:
            continue
        target = m.group(1)
        for source in dict.fromkeys(_NAME.findall(m.group(2))):  # each input once, in order
            if source == target:
                continue
            rename = re.compile(rf"\b{target}\b")
            yield statements[:i] + [Statement(rename.sub(source, t.src), t.op, t.wrong) for t in statements[i + 1:]]


def minimise(program, still_fails, budget=250):
    """The smallest program found that ``still_fails``; ``program`` itself must fail."""
    cache = {}
    calls = [0]

    def test(statements):
        key = tuple(s.src for s in statements)
        if key not in cache:
            if calls[0] >= budget:
                return False
            calls[0] += 1
            cache[key] = bool(still_fails(Program(program.seed, program.index, tuple(statements))))
        return cache[key]

    statements = list(program.statements)
    statements = ddmin(statements, test)
    changed = True
    while changed and calls[0] < budget:
        changed = False
        for trial in bypasses(statements):
            if test(trial):
                statements, changed = trial, True
                break
        for i, s in enumerate(statements):
            for candidate in simpler(s.src):
                trial = statements[:i] + [Statement(candidate, s.op, s.wrong)] + statements[i + 1:]
                if test(trial):
                    statements, changed = trial, True
                    break
        if changed:
            statements = ddmin(statements, test)
    return Program(program.seed, program.index, tuple(statements)), calls[0]
