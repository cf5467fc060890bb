"""The swap test: each English lesson, run with PyTorch in place of autograd_nb, gives the outputs it stored.

The README promises that a lesson's code runs unchanged with ``import torch`` instead of
``import autograd_nb as torch``. This test reads the code cells of ``notebooks/NN_*.ipynb`` (lessons 00 to 10,
stored with the outputs autograd_nb gave), runs them in order in one namespace per lesson with ``torch`` bound
to PyTorch (in this process, no kernel), and compares what each cell gives with what the notebook stored.

How a cell is run
    * ``autograd_nb`` in an import is read as ``torch``: ``from autograd_nb import nn`` runs as
      ``from torch import nn``, ``import autograd_nb.autograd.forward_ad as fwAD`` as
      ``import torch.autograd.forward_ad as fwAD``.
    * What only autograd_nb has is left out, with ``ast`` (``PACKAGE_ADDITIONS``, each entry with its reason):
      an import of a listed module, and any statement that names a listed attribute of the package or a name
      such a left-out statement bound (``sizes = torch.source.core_size()`` takes ``print(sizes)`` with it;
      ``from checks import check`` takes every ``check(...)``). Compound statements are looked into, so a
      ``for``/``try``/``def`` keeps its other statements; a ``with`` whose context manager is an addition
      (``with torch.autograd.trace() as t:``) is replaced by its body. A cell left with nothing is not run.
    * The line magic ``%xmode minimal`` is not Python: it is left out, and the line it printed is taken out of
      the stored output. Any other magic fails the test (add it to ``MAGICS``).
    * Random draws: inside ``same_numbers.pytorch_draws_from_autograd_nb``, PyTorch's ``manual_seed``,
      ``randn`` … and the ``nn.init`` fills behind ``nn.Linear`` use autograd_nb's generator, which each
      lesson starts from its default seed, as in a fresh kernel. ``torch.manual_seed(0)`` seeds that
      generator, so the lessons' random numbers are the stored ones.
    * Cells in ``SKIPPED_CELLS`` (each with its reason) are not run at all.
    * Warnings are ignored; ``display`` is a stub; matplotlib draws with Agg.

What is compared, cell by cell
    * stdout with the stored ``stream`` output, line by line (``same_numbers.assert_same_lines``: numbers equal
      to within float32 print rounding; memory addresses blanked; PyTorch's "(Triggered internally at
      <C++ file>:<line>.)" after a warning's text taken out, as tests/oracle.py and the fuzzer do). **Rule:**
      not compared when a left-out statement calls ``print`` (the stored text then holds lines PyTorch
      cannot give), nor in a cell tagged ``nbval-ignore-output`` (its lesson says the output varies).
      Left-out statements that do not call ``print`` (imports, assignments, pictures, explorers, ``check``:
      all shown with ``display``, not printed) leave stdout compared.
    * The value of a final bare expression, as IPython shows it (``IPython.lib.pretty``), with the stored
      ``execute_result`` (and no value where none was stored); not compared when the stored one is a picture
      or HTML (autograd_nb's figures, explorers and source listings) or the final expression was left out.
    * A cell stored with an error (tag ``raises-exception``) must raise an exception of the same class name,
      with the same message (same lines and numbers, as above); any other cell must raise nothing.
"""
import ast
import contextlib
import io
import json
import pathlib
import re
import sys
import warnings

import pytest
from IPython.lib.pretty import pretty

from autograd_nb import random as nb_random
from tests.same_numbers import assert_same_lines, blank_addresses, pytorch_draws_from_autograd_nb

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[01][0-9]_*.ipynb"))

# What only autograd_nb has, as the lessons spell it (after ``import autograd_nb as torch``): a module, whose
# imports are left out with every use of the names they bind, or an attribute of the package.
PACKAGE_ADDITIONS = {
    "autograd_nb.viz": "pictures (draw, chain_rule, filmstrip, chart, heatmap, side_by_side): PyTorch draws none",
    "autograd_nb.widgets": "the interactive explorers (ipywidgets), autograd_nb's own",
    "checks": "notebooks/checks.py, the exercises' self-check check(name, answer): the lessons', not torch's",
    "torch.show_source": "shows autograd_nb's own source code",
    "torch.source": "autograd_nb's own files and their sizes (source.core_size)",
    "torch.autograd.trace": "autograd_nb's log of its engine's steps; PyTorch's engine runs in C++ and has none",
}

# Whole cells not run under PyTorch: (lesson number, a line of the cell) -> why. None at present: every cell
# that is not only additions runs under PyTorch (lesson 10's engine calls nodes, node(grad), which PyTorch's
# nodes allow too; lesson 08's gradcheck cells use only the public torch.autograd.gradcheck).
SKIPPED_CELLS = {}

# Line magics the lessons use, and the line each printed into the stored output.
MAGICS = {"%xmode minimal": "Exception reporting mode: Minimal"}

PICTURE = ("image/svg+xml", "image/png", "text/html")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)")


# --- Leaving out the package's additions -----------------------------------------------------------------


def _listed(dotted):
    """The PACKAGE_ADDITIONS entries ``dotted`` (``torch.autograd.trace``, ``autograd_nb.viz``) is or is in."""
    return {name for name in PACKAGE_ADDITIONS if dotted == name or dotted.startswith(name + ".")}


def _dotted(node):
    """``torch.autograd.trace`` for that chain of attributes on a name; None for any other expression."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _bound_names(node):
    """The names a statement, import alias or assignment target binds."""
    if isinstance(node, ast.alias):
        return {node.asname or node.name.split(".")[0]}
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, ast.alias):
            names.add(sub.asname or sub.name.split(".")[0])
    return names


def _header(stmt):
    """A compound statement's parts outside its bodies (condition, iterable, target, decorators, bases)."""
    parts = []
    for field in ("test", "iter", "target", "decorator_list", "bases", "keywords"):
        value = getattr(stmt, field, None)
        parts.extend(value if isinstance(value, list) else [] if value is None else [value])
    return ast.Module(body=[ast.Expr(value=part) for part in parts if isinstance(part, ast.expr)], type_ignores=[])


def _as_torch(module):
    if module == "autograd_nb" or (module or "").startswith("autograd_nb."):
        return "torch" + module[len("autograd_nb"):]
    return module


class LeaveOut:
    """Rewrites one lesson's cells, in order, for PyTorch (see the module's docstring)."""

    def __init__(self):
        self.names = set()  # names bound by left-out statements
        self.used = set()  # the PACKAGE_ADDITIONS entries that left something out

    def _uses_addition(self, node):
        if isinstance(node, ast.AugAssign) and _dotted(node.target) in self.names:
            return True  # (t += 1 reads t)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.names and not isinstance(sub.ctx, ast.Store):
                return True
            listed = _listed(_dotted(sub) or "") if isinstance(sub, ast.Attribute) else set()
            if listed:
                self.used |= listed
                return True
        return False

    def statements(self, body, dropped):
        """``body`` without the additions; the statements left out are appended to ``dropped``."""
        kept = []
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                new = self._import(stmt, dropped)
            elif isinstance(stmt, ast.With):
                new = self._with(stmt, dropped)
            elif self._uses_addition(_header(stmt) if hasattr(stmt, "body") else stmt):
                self.names |= _bound_names(stmt)
                dropped.append(stmt)
                new = None
            else:
                new = stmt
                for field in ("body", "orelse", "finalbody"):
                    if getattr(stmt, field, None):
                        setattr(stmt, field, self.statements(getattr(stmt, field), dropped) or [ast.Pass()])
                for handler in getattr(stmt, "handlers", ()):
                    handler.body = self.statements(handler.body, dropped) or [ast.Pass()]
            for stmt in new if isinstance(new, list) else [new] if new is not None else []:
                self.names -= _bound_names(stmt)  # bound again by code that runs: no longer an addition
                kept.append(stmt)
        return kept

    def _with(self, stmt, dropped):
        kept_items = []
        for item in stmt.items:
            if self._uses_addition(item.context_expr):
                dropped.append(ast.With(items=[item], body=[]))
                if item.optional_vars is not None:
                    self.names |= _bound_names(item.optional_vars)
            else:
                kept_items.append(item)
        body = self.statements(stmt.body, dropped)
        if not kept_items:
            return body  # the with's body, without the with
        stmt.items, stmt.body = kept_items, body or [ast.Pass()]
        return stmt

    def _import(self, stmt, dropped):
        """The import with ``autograd_nb`` read as ``torch``, without the listed modules (None if nothing is left)."""
        module = stmt.module if isinstance(stmt, ast.ImportFrom) else None
        aliases = []
        for alias in stmt.names:
            listed = _listed(f"{module}.{alias.name}" if module else alias.name) | _listed(module or "")
            if listed:
                self.used |= listed
                self.names |= _bound_names(alias)
                dropped.append(ast.ImportFrom(module=module, names=[alias], level=0) if module else
                               ast.Import(names=[alias]))
            else:
                aliases.append(alias if module else ast.alias(name=_as_torch(alias.name), asname=alias.asname))
        if not aliases:
            return None
        if module is not None or isinstance(stmt, ast.ImportFrom):
            return ast.ImportFrom(module=_as_torch(module), names=aliases, level=stmt.level)
        return ast.Import(names=aliases)


def _calls_print(statements):
    return any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "print"
               for stmt in statements for sub in ast.walk(stmt))


# --- Reading the lessons --------------------------------------------------------------------------------


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def code_cells(path):
    """(index in the notebook, cell) for each code cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, cell) for i, cell in enumerate(cells) if cell["cell_type"] == "code"]


def _skip_reason(lesson, source):
    lines = source.splitlines()
    reasons = [reason for (number, line), reason in SKIPPED_CELLS.items() if number == lesson and line in lines]
    return reasons[0] if reasons else None


class Cell:
    """One code cell, rewritten for PyTorch."""

    def __init__(self, where, cell, leave_out):
        self.where, self.cell = where, cell
        lines = _text(cell["source"]).splitlines()
        unknown = [line for line in lines if line.startswith(("%", "!")) and line not in MAGICS]
        assert not unknown, f"{where}: a magic or shell line this test does not know: {unknown}"
        self.magics = [line for line in lines if line in MAGICS]
        tree = ast.parse("\n".join("" if line in MAGICS else line for line in lines))
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        self.dropped = []
        self.body = leave_out.statements(tree.body, self.dropped)
        self.final_dropped = last is not None and last in self.dropped
        self.shows_last = last is not None and bool(self.body) and self.body[-1] is last

    def run(self, namespace):
        """Run it: (stdout, the shown value of its final expression or None, the exception it raised or None)."""
        body = self.body[:-1] if self.shows_last else self.body
        code = compile(ast.fix_missing_locations(ast.Module(body=body, type_ignores=[])), self.where, "exec")
        final = (compile(ast.fix_missing_locations(ast.Expression(body=self.body[-1].value)), self.where, "eval")
                 if self.shows_last else None)
        out, shown, error = io.StringIO(), None, None
        try:
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(code, namespace)
                if final is not None:
                    value = eval(final, namespace)
                    shown = None if value is None else pretty(value)
        except Exception as e:  # noqa: BLE001 - the cell's own error, compared with the stored one
            error = e
        return out.getvalue(), shown, error

    def check(self, stdout, shown, error):
        """Compare a run with the stored outputs (see the module's docstring); True if anything was compared."""
        outputs = self.cell.get("outputs", [])
        compared = False
        stored_error = next((o for o in outputs if o["output_type"] == "error"), None)
        if stored_error is None:
            if error is not None:
                raise AssertionError(f"{self.where}: PyTorch raised {type(error).__name__}: {error}") from error
        else:
            assert error is not None, f"{self.where}: stored {stored_error['ename']}; PyTorch raised nothing"
            assert type(error).__name__ == stored_error["ename"], (
                f"{self.where}: stored {stored_error['ename']}: {stored_error['evalue']}\n"
                f"PyTorch raised {type(error).__name__}: {error}")
            assert_same_lines(_lines(stored_error["evalue"]), _lines(str(error)), f"{self.where}, error message")
            compared = True
        if "nbval-ignore-output" in self.cell.get("metadata", {}).get("tags", []):
            return compared
        if not _calls_print(self.dropped):
            stored = "".join(_text(o["text"]) for o in outputs
                             if o["output_type"] == "stream" and o["name"] == "stdout")
            for magic in self.magics:
                line = MAGICS[magic] + "\n"
                assert stored.startswith(line), f"{self.where}: no {line!r} from {magic} in the stored output"
                stored = stored[len(line):]
            assert_same_lines(_lines(stored), _lines(stdout), f"{self.where}, stdout")
            compared = True
        result = next((o for o in outputs if o["output_type"] == "execute_result"), None)
        if self.final_dropped or (result is not None and any(kind in result["data"] for kind in PICTURE)):
            return compared
        stored = None if result is None else _text(result["data"]["text/plain"])
        if stored is None or shown is None:
            assert stored == shown, f"{self.where}: final expression: stored {stored!r}, PyTorch shows {shown!r}"
        else:
            assert_same_lines(_lines(stored), _lines(shown), f"{self.where}, final expression")
            compared = True
        return compared


def _lines(text):
    """Text to compare, as lines: memory addresses blanked, PyTorch's C++ source locations taken out."""
    return blank_addresses(_TRIGGERED.sub("", text)).splitlines()


def lesson_cells(path):
    """(cell or None, where, reason it is not run or None) for each code cell of a lesson, in order."""
    leave_out, cells = LeaveOut(), []
    for index, cell in code_cells(path):
        where = f"{path.name}, cell {index} ({cell.get('id')})"
        reason = _skip_reason(path.name[:2], _text(cell["source"]))
        if reason is not None:
            cells.append((None, where, f"skipped by the table: {reason}"))
            continue
        rewritten = Cell(where, cell, leave_out)
        cells.append((rewritten, where, None if rewritten.body else "only additions"))
    return cells, leave_out.used


# --- Running a lesson -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _fresh_generator():
    """autograd_nb's generator as in a fresh kernel; its state is put back afterwards."""
    generator = nb_random.default_generator
    seed, state = generator._seed, generator.rng.bit_generator.state
    generator.manual_seed(nb_random.DEFAULT_SEED)
    try:
        yield
    finally:
        generator._seed, generator.rng.bit_generator.state = seed, state


def run_lesson(path, torch, log=None):
    """Run one lesson with PyTorch and compare; returns its counts. ``log``: a list to get a line per cell."""
    import matplotlib

    matplotlib.use("Agg")
    counts = {"code cells": 0, "run": 0, "compared": 0, "skipped by table": 0, "only additions": 0}
    namespace = {"__name__": "__main__", "display": lambda *args, **kwargs: None}
    cells, _ = lesson_cells(path)
    try:
        with _fresh_generator(), pytorch_draws_from_autograd_nb(torch):
            for cell, where, reason in cells:
                counts["code cells"] += 1
                if reason is not None:
                    counts["skipped by table" if cell is None else "only additions"] += 1
                    note = reason
                else:
                    compared = cell.check(*cell.run(namespace))
                    counts["run"] += 1
                    counts["compared"] += compared
                    note = (f"run, {'compared' if compared else 'not compared'}; {len(cell.dropped)} left out"
                            + (", one of them prints" if _calls_print(cell.dropped) else ""))
                if log is not None:
                    log.append(f"{where}: {note}")
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    return counts


# --- The tests --------------------------------------------------------------------------------------------


def test_the_lessons_are_found():
    assert [path.name[:2] for path in LESSONS] == [f"{n:02d}" for n in range(11)]


def test_every_table_entry_is_needed():
    """Each listed addition leaves something out of some lesson, each skipped cell is found once."""
    used = set()
    for path in LESSONS:
        used |= lesson_cells(path)[1]
    assert used == set(PACKAGE_ADDITIONS), f"not used by any lesson: {set(PACKAGE_ADDITIONS) - used}"
    for (lesson, line), reason in SKIPPED_CELLS.items():
        found = [i for path in LESSONS if path.name.startswith(lesson) for i, cell in code_cells(path)
                 if line in _text(cell["source"]).splitlines()]
        assert len(found) == 1, f"SKIPPED_CELLS entry {(lesson, line)!r} matches {len(found)} cells"


def test_additions_are_left_out_and_the_rest_kept():
    source = ("import autograd_nb as torch\nfrom autograd_nb.viz import draw\nfrom autograd_nb import nn\n"
              "sizes = torch.source.core_size()\nprint(sizes)\n"
              "with torch.autograd.trace() as t:\n    loss.backward()\nprint(t.dump())\n"
              "for p in ps:\n    draw(p)\n    print(p)\n"
              "t = torch.ones(2)\nprint(t)\ndraw(t)")
    cell = Cell("example", {"source": source, "outputs": []}, LeaveOut())
    assert ast.unparse(ast.Module(body=cell.body, type_ignores=[])).splitlines() == [
        "import torch as torch", "from torch import nn", "loss.backward()",
        "for p in ps:", "    print(p)", "t = torch.ones(2)", "print(t)"]
    assert cell.final_dropped and not cell.shows_last and _calls_print(cell.dropped)


def test_a_different_output_is_caught(tmp_path, torch):
    """The comparison is not vacuous: a stored number PyTorch does not print fails the test."""
    notebook = {"cells": [{"cell_type": "code", "id": "c", "metadata": {}, "source": "import autograd_nb as torch\n"
                           "print(torch.tensor([1.0, 2.0]).exp())",
                           "outputs": [{"output_type": "stream", "name": "stdout",
                                        "text": "tensor([2.7183, 7.3900])\n"}]}]}
    path = tmp_path / "99_example.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(AssertionError, match="7.3900"):
        run_lesson(path, torch)
    notebook["cells"][0]["outputs"][0]["text"] = "tensor([2.7183, 7.3891])\n"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert run_lesson(path, torch)["compared"] == 1


@pytest.mark.torch
@pytest.mark.parametrize("path", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_gives_its_stored_outputs_with_pytorch(path, torch):
    counts = run_lesson(path, torch)
    print(path.name, counts)
    # Every cell with code PyTorch has is run (none is in SKIPPED_CELLS today), and nearly all are compared.
    runnable = counts["code cells"] - counts["only additions"]
    assert counts["run"] >= 0.75 * runnable and counts["compared"] >= 0.75 * counts["run"], counts
