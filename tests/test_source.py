"""``show_source``: the engine's own code, as the lessons show it."""
import importlib
import inspect

import autograd_nb as nb
from autograd_nb import source

engine = importlib.import_module("autograd_nb.engine")
function = importlib.import_module("autograd_nb.function")


def test_shows_the_lines_of_the_file_it_names():
    shown = nb.show_source(engine.run_backward)
    assert shown.path == "autograd_nb/engine.py"
    lines = (source.PACKAGE / "engine.py").read_text(encoding="utf-8").splitlines()
    assert shown.code.splitlines() == lines[shown.first - 1:shown.last]
    assert lines[shown.first - 1].startswith("def run_backward(")
    assert repr(shown).splitlines()[0] == f"# autograd_nb/engine.py, lines {shown.first}–{shown.last}"


def test_methods_are_dedented_and_properties_work():
    method = nb.show_source(function.AccumulateGrad.apply)
    assert method.code.startswith("def apply(self, grads):")
    prop = nb.show_source(nb.Tensor.requires_grad)
    assert prop.code.startswith("@property\ndef requires_grad(self):")


def test_html_is_escaped_coloured_and_the_same_every_time():
    shown = nb.show_source(engine.count_dependencies)
    html = shown._repr_html_()
    assert html == nb.show_source(engine.count_dependencies)._repr_html_()
    assert '<span style="color:#008000;font-weight:bold">def</span>' in html
    assert "&quot;&quot;&quot;Step 1" in html and '"""' not in html  # strings are escaped
    assert "<style" not in html and "class=" not in html  # inline colours only (GitHub strips the rest)
    text = html.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    import re

    assert re.sub(r"<[^>]+>", "", text.split("</div>", 1)[1]) == shown.code


def test_a_fragment_that_does_not_tokenize_is_shown_plain():
    assert source._highlighted('x = """never closed') == ('<pre style="line-height:125%;font-size:85%;'
                                                          'margin:0.2em 0 0 0">x = &quot;&quot;&quot;never closed</pre>')


def test_core_size_counts_the_core_files():
    sizes = source.core_size()
    assert list(sizes) == ["tensor.py", "function.py", "engine.py", "grad_mode.py"]
    for name, lines in sizes.items():
        assert lines == len(inspect.getsource(importlib.import_module(f"autograd_nb.{name[:-3]}")).splitlines())
