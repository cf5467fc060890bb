"""Build the static HTML edition of the course: every lesson as a web page that opens offline.

    python notebooks/book.py              # writes build/html/ (index.html, one page per lesson)
    python notebooks/book.py OUT          # writes OUT/ instead

The pages are the stored notebooks, outputs included (run ``build.py`` first if a source changed),
converted by nbconvert with JupyterLab's look. Everything a page needs sits beside it: the pictures
are inside the page (SVG ``data:`` images), the formulas are typeset by a copy of MathJax taken from
the ``jupyter-server-mathjax`` package (installed from PyPI with the test extras), and no page asks
the network for anything. Links between lessons (``03_backward_and_chain_rule.ipynb``) become links
between pages, and every page has links to the contents and to the lessons before and after it.
"""
import html
import json
import pathlib
import re
import shutil
import sys

import nbformat
from nbconvert import HTMLExporter

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "build" / "html"
MATHJAX = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
TITLE = "autograd_nb: how PyTorch's autograd works, by building it"
CONTENTS = "Contents"
LESSON_LINK = re.compile(r'href="((?:\d\d_[A-Za-z0-9_]+)|glossary)\.ipynb(#[^"]*)?"')


def lessons():
    """``[(stem, title)]``: the lessons in order, then the glossary."""
    paths = sorted(HERE.glob("[0-9][0-9]_*.ipynb")) + [HERE / "glossary.ipynb"]
    out = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        first = next(c.source for c in nb.cells if c.cell_type == "markdown")
        title = first.split("\n", 1)[0].lstrip("# ").strip()
        out.append((path.stem, re.sub(r"`([^`]*)`", r"\1", title)))
    return out


def mathjax_files():
    """The folder of MathJax's files inside the jupyter-server-mathjax package."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        sys.exit("the HTML edition needs MathJax: pip install jupyter-server-mathjax "
                 '(or pip install -e ".[test]")')
    return pathlib.Path(jupyter_server_mathjax.__file__).parent / "static"


def page(stem, position, order):
    """One lesson as an HTML page, with its links to the contents and its neighbours."""
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(HERE / "book_template")],
                            template_file="book.html.j2", mathjax_url=MATHJAX)
    neighbour = lambda i: (f"{order[i][0]}.html", order[i][1]) if 0 <= i < len(order) else None  # noqa: E731
    resources = {"book": {"previous": neighbour(position - 1), "next": neighbour(position + 1),
                          "contents": CONTENTS}}
    body, _ = exporter.from_notebook_node(nbformat.read(HERE / f"{stem}.ipynb", as_version=4),
                                          resources=resources)
    return LESSON_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def index(order):
    items = "\n".join(f'<li><a href="{stem}.html">{html.escape(title)}</a></li>' for stem, title in order)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title>
<style>body {{ font-family: sans-serif; max-width: 760px; margin: 40px auto; line-height: 1.6; }}
a {{ color: #1f5fbf; }}</style></head>
<body><h1>{html.escape(TITLE)}</h1>
<p>The lessons as pages, with their stored outputs: every picture and formula shows without Python or a
network. To run the code and use the explorers, open the notebooks in Jupyter.</p>
<ol start="0">
{items}
</ol></body></html>
"""


def main(out=DEFAULT_OUT):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(mathjax_files(), out / "mathjax", dirs_exist_ok=True)
    order = lessons()
    for position, (stem, _) in enumerate(order):
        (out / f"{stem}.html").write_text(page(stem, position, order), encoding="utf-8")
    (out / "index.html").write_text(index(order), encoding="utf-8")
    (out / "pages.json").write_text(json.dumps([stem for stem, _ in order]), encoding="utf-8")
    return out


if __name__ == "__main__":
    print("wrote", main(*sys.argv[1:2]) / "index.html")
