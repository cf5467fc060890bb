"""The lessons: stored notebooks match their sources, every exercise check works both ways, and each
lesson has the parts a learner relies on (goals, summary, pointers into the engine)."""
import importlib.util
import pathlib
import re

import nbformat
import pytest

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("*.py"))


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load("lesson_build", NOTEBOOKS / "build.py")
checks = _load("lesson_checks", NOTEBOOKS / "checks.py")

# One right and one wrong answer per exercise: the answer key the self-checks must agree with.
ANSWERS = {
    "00.zero_loss_grad": (0.0, 1.2),
    "01.which_require_grad": ({"c", "d"}, {"c", "d", "e"}),
    "01.leaves": ({"u", "w"}, {"u"}),
    "01.which_raise": ({"a", "c"}, {"a", "b", "c"}),
    "02.node_names": (["MulBackward0", "ExpBackward0"], ["ExpBackward0", "MulBackward0"]),
    "02.next_functions": (["MulBackward0", None], ["MulBackward0", "ExpBackward0"]),
    "03.grad_of_x": (7.0, -6.0),
    "04.jacobian_entry": (3.0, 12.0),
    "04.v_shape": ((2, 3), (3,)),
    "05.after_zero": ([5.0, 7.0], [9.0, 15.0]),
    "06.enable_inside_no_grad": (True, False),
    "06.detached_factor": (8.0, 12.0),
    "06.inplace_errors": ({"a", "c"}, {"a", "b", "c"}),
    "07.second_derivative": (27.0, 13.5),
    "07.mixed_partial": (6.0, 3.0),
    "07.cheaper_passes": (3, 1000),
    "08.node_name": ("CubeBackward", "CubeBackward0"),
    "08.needs_input_grad": ((False, True), (True, True)),
    "08.ste_grad": ([2.0, 0.0, 2.0], [2.0, 2.0, 2.0]),
    "09.equal_scores_three": (1.098612, 0.693147),
    "09.param_count": (114, 112),
    "09.no_zero_grad": ("b", "a"),
    "10.shared_leaf_edges": (3, 2),
    "10.pytorch_order": (["SumBackward0", "AddBackward0", "PowBackward0", "ExpBackward0", "MulBackward0",
                          "torch::autograd::AccumulateGrad", "AccumulateGrad"],
                         ["SumBackward0", "AddBackward0", "ExpBackward0", "PowBackward0", "MulBackward0",
                          "AccumulateGrad", "AccumulateGrad"]),
    "10.without_counting": (2, 1),
}


EDITIONS = [(source, language) for source in SOURCES
            for language in build.languages_of(source.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("source, language", EDITIONS, ids=[f"{s.stem}-{lang}" for s, lang in EDITIONS])
def test_stored_notebook_matches_its_source(source, language):
    path = build.EDITIONS[language] / f"{source.stem}.ipynb"
    stored = nbformat.read(path, as_version=4)
    expected = build.parse(source.read_text(encoding="utf-8"), language)
    got = [(c.cell_type, c.metadata.get("tags", []), c.source) for c in stored.cells]
    assert got == expected, f"run `python notebooks/build.py {language} {source.stem[:2]}` to rebuild {path}"
    for cell in stored.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, "stored notebooks keep their execution counts"


def test_every_exercise_used_is_defined_and_every_defined_one_is_used():
    used = set()
    for source in SOURCES:
        used |= set(re.findall(r'check\("([0-9]{2}\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert used == set(checks.EXERCISES) == set(ANSWERS)


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_self_checks_answer_in_chinese_when_the_lesson_is_chinese(key):
    from autograd_nb.language import using_language

    right, wrong = ANSWERS[key]
    with using_language("zh"):
        kind, message = checks.verdict(key, right)
        assert kind == "ok" and message == f"答对了。{checks.EXERCISES[key].explanation}"
        assert CJK.search(checks.EXERCISES[key].hint) and CJK.search(checks.EXERCISES[key].explanation)
        assert checks.verdict(key, wrong) == ("hint", f"还不对。提示：{checks.EXERCISES[key].hint}")


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_self_checks_confirm_right_answers_and_hint_at_wrong_ones(key):
    right, wrong = ANSWERS[key]
    kind, message = checks.verdict(key, right)
    assert kind == "ok" and message.startswith("Right.")
    kind, message = checks.verdict(key, wrong)
    assert kind == "hint" and message == f"Not yet. Hint: {checks.EXERCISES[key].hint}"
    assert checks.verdict(key, None)[0] == "todo"
    assert checks.verdict(key, object())[0] == "hint"  # nonsense is a wrong answer, not a crash


@pytest.mark.parametrize("source", [s for s in SOURCES if s.stem[:2].isdigit()], ids=lambda s: s.stem)
def test_each_lesson_has_goals_exercises_summary_and_engine_pointers(source):
    text = source.read_text(encoding="utf-8")
    assert re.search(r"^# # \d+ · ", text, re.M), "title line '# N · Title'"
    assert "**Goal" in text
    assert "## Summary" in text
    assert "**In the engine:**" in text or "**Where this lives in the engine:**" in text
    assert "check(" in text


# --- lessons point at living code ---------------------------------------------------------------------
PACKAGE_ROOT = NOTEBOOKS.parent


def _defined_names(path):
    """Every name a file defines: functions, classes, their methods and class attributes, as ``name`` and
    ``Class.name``."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                targets = []
                if isinstance(item, (ast.FunctionDef, ast.ClassDef)):
                    targets = [item.name]
                elif isinstance(item, ast.Assign):
                    targets = [t.id for t in item.targets if isinstance(t, ast.Name)]
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    targets = [item.target.id]
                for name in targets:
                    names |= {name, f"{node.name}.{name}"}
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):  # variables, locals included
            names.add(node.id)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "node_name" for t in node.targets):
            if isinstance(node.value, ast.Constant):  # PyTorch's node names: AddmmBackward0, ...
                names.add(node.value.value)
    return names


def _engine_pointers(text):
    """(files, code names) of each "In the engine" paragraph of a lesson source."""
    paragraphs = re.findall(r"^# \*\*(?:In the engine|Where this lives in the engine):\*\*(.*?)(?=^# ?$|^(?!#)|\Z)",
                            text, re.M | re.S)
    for paragraph in paragraphs:
        spans = re.findall(r"`([^`]+)`", paragraph)
        files = [s for s in spans if s.startswith("autograd_nb/")]
        names = [s for s in spans if re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)?", s)]
        yield files, names


@pytest.mark.parametrize("source", [s for s in SOURCES if s.stem[:2].isdigit()], ids=lambda s: s.stem)
def test_every_engine_name_a_lesson_mentions_exists(source):
    """Each file an "In the engine" paragraph names exists, and each code name in it (``run_backward``,
    ``Function.apply``) is defined in one of the files the paragraph names."""
    text = source.read_text(encoding="utf-8")
    checked = 0
    for files, names in _engine_pointers(text):
        assert files, "an engine pointer names at least one file"
        defined = set()
        for f in files:
            path = PACKAGE_ROOT / f
            assert path.exists(), f
            for p in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
                defined |= _defined_names(p)
        for name in names:
            assert name in defined, f"{source.stem}: `{name}` is not defined in {files}"
            checked += 1
    shown = re.findall(r"show_source\(([A-Za-z_][\w.]*)\)", text)
    checked += len(shown)
    assert checked, "the lesson points at some code by name"


def test_show_source_calls_in_lessons_resolve():
    """``show_source(x)`` in a lesson names something that exists (the lesson's own run checks it too)."""
    import autograd_nb

    env = {"torch": autograd_nb, "autograd_nb": autograd_nb}
    for source in SOURCES:
        for expr in re.findall(r"show_source\(([A-Za-z_][\w.]*)\)", source.read_text(encoding="utf-8")):
            obj = eval(expr, env)  # noqa: S307 (names from our own lesson sources)
            assert autograd_nb.show_source(obj).code, expr


def test_readme_states_the_measured_size_of_the_core():
    """README.md's figure for the core is what ``core_size()`` counts now, to within 5% (it is rounded)."""
    import autograd_nb

    readme = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"Together they are about ([\d,]+) lines", readme)
    assert stated, "README.md states the core's size"
    measured = sum(autograd_nb.source.core_size().values())
    assert abs(int(stated.group(1).replace(",", "")) - measured) <= 0.05 * measured, measured


# --- the Chinese edition --------------------------------------------------------------------------------
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese characters and punctuation


def _tokens(code):
    """The tokens of a cell's code, without comments, blank lines and the call of set_language("zh")."""
    import io
    import tokenize

    lines = [ln for ln in code.splitlines() if 'set_language("zh")' not in ln]
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL)]


def _same_code(en, zh):
    """The Chinese twin of a code cell is the same code: only its comments may differ, and string literals
    that it translates (a chart's labels), which then hold Chinese."""
    import tokenize

    a, b = _tokens(en), _tokens(zh)
    return len(a) == len(b) and all(x == y or (x[0] == y[0] == tokenize.STRING and CJK.search(y[1]))
                                    for x, y in zip(a, b))


@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_lesson_has_a_chinese_edition_paired_with_the_english_one(source):
    """Both editions: the same code (Chinese comments allowed), one Chinese paragraph for each English one,
    the same pointers into the engine, no Chinese left in the English edition, and the Chinese edition
    speaks Chinese from its first code cell."""
    text = source.read_text(encoding="utf-8")
    assert build.languages_of(text) == ["en", "zh"], f"{source.stem} has no Chinese edition yet"
    en, zh = build.parse(text, "en"), build.parse(text, "zh")
    assert [c[0] for c in en] == [c[0] for c in zh], "the editions have the same cells, prose for prose"
    for (kind, tags, en_text), (_, zh_tags, zh_text) in zip(en, zh):
        assert tags == zh_tags
        if kind == "code":
            assert _same_code(en_text, zh_text), f"the Chinese twin of a code cell differs:\n{zh_text}"
        else:
            assert CJK.search(zh_text), f"an English paragraph was not translated: {zh_text[:80]!r}"
            assert sorted(re.findall(r"`(autograd_nb/[^`]+)`", en_text)) == \
                sorted(re.findall(r"`(autograd_nb/[^`]+)`", zh_text))
    assert not any(CJK.search(c[2]) for c in en if c[0] == "markdown") or source.stem == "glossary"
    title = re.match(r"# (\d+) · ", en[0][2])
    assert title is None or zh[0][2].startswith(f"# {title.group(1)} · "), "the Chinese title: '# N · 标题'"
    first_code = next(c[2] for c in zh if c[0] == "code")
    assert 'set_language("zh")' in first_code
    for line in text.splitlines():
        if line.startswith("# %% [markdown]"):
            assert " lang=" in line, f"{source.stem}: a paragraph without its language: {line}"
