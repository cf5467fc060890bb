"""Build the static HTML edition of the course: every lesson as a web page that opens offline.

    python notebooks/book.py              # writes build/html/ (index.html, one page per lesson)
    python notebooks/book.py OUT          # writes OUT/ instead

The Chinese edition (``notebooks/zh/``) goes to ``build/html/zh/``; each index links to the other.

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
LESSON_LINK = re.compile(r'href="((?:\d\d_[A-Za-z0-9_]+)|glossary)\.ipynb(#[^"]*)?"')


class Edition:
    """One language's pages: where its notebooks are, where its pages go, and the words around them."""

    def __init__(self, folder, subfolder, lang, title, contents, intro, other):
        self.folder, self.subfolder, self.lang = folder, subfolder, lang
        self.title, self.contents, self.intro, self.other = title, contents, intro, other


EDITIONS = [
    Edition(HERE, "", "en", "autograd_nb: how PyTorch's autograd works, by building it", "Contents",
            "The lessons as pages, with their stored outputs: every picture and formula shows without Python "
            "or a network. To run the code and use the explorers, open the notebooks in Jupyter.",
            ("zh/index.html", "简体中文版")),
    Edition(HERE / "zh", "zh/", "zh-CN", "autograd_nb：亲手实现一遍，看懂 PyTorch 的 autograd", "目录",
            "课程的网页版，带有保存好的输出：每张图、每个公式都无需 Python 或网络即可显示。"
            "要运行代码、使用探索器，请在 Jupyter 中打开 notebook。",
            ("../index.html", "English edition")),
]


def lessons(edition=EDITIONS[0]):
    """``[(stem, title)]``: the lessons in order, then the glossary."""
    paths = sorted(edition.folder.glob("[0-9][0-9]_*.ipynb")) + [edition.folder / "glossary.ipynb"]
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


def page(stem, position, order, edition=EDITIONS[0]):
    """One lesson as an HTML page, with its links to the contents and its neighbours."""
    up = "../" * edition.subfolder.count("/")  # (MathJax sits beside the English pages)
    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(HERE / "book_template")],
                            template_file="book.html.j2", mathjax_url=up + MATHJAX)
    neighbour = lambda i: (f"{order[i][0]}.html", order[i][1]) if 0 <= i < len(order) else None  # noqa: E731
    resources = {"book": {"previous": neighbour(position - 1), "next": neighbour(position + 1),
                          "contents": edition.contents}}
    body, _ = exporter.from_notebook_node(nbformat.read(edition.folder / f"{stem}.ipynb", as_version=4),
                                          resources=resources)
    return LESSON_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def index(order, edition=EDITIONS[0]):
    items = "\n".join(f'<li><a href="{stem}.html">{html.escape(title)}</a></li>' for stem, title in order)
    other_href, other_name = edition.other
    return f"""<!DOCTYPE html>
<html lang="{edition.lang}"><head><meta charset="utf-8"><title>{html.escape(edition.title)}</title>
<style>body {{ font-family: sans-serif; max-width: 760px; margin: 40px auto; line-height: 1.6; }}
a {{ color: #1f5fbf; }}</style></head>
<body><p><a href="{other_href}">{html.escape(other_name)}</a></p>
<h1>{html.escape(edition.title)}</h1>
<p>{html.escape(edition.intro)}</p>
<ol start="0">
{items}
</ol></body></html>
"""


def main(out=DEFAULT_OUT):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(mathjax_files(), out / "mathjax", dirs_exist_ok=True)
    for edition in EDITIONS:
        folder = out / edition.subfolder
        folder.mkdir(parents=True, exist_ok=True)
        order = lessons(edition)
        for position, (stem, _) in enumerate(order):
            (folder / f"{stem}.html").write_text(page(stem, position, order, edition), encoding="utf-8")
        (folder / "index.html").write_text(index(order, edition), encoding="utf-8")
        (folder / "pages.json").write_text(json.dumps([stem for stem, _ in order]), encoding="utf-8")
    return out


if __name__ == "__main__":
    print("wrote", main(*sys.argv[1:2]) / "index.html")
