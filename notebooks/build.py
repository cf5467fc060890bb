"""Build the lesson notebooks, in English and in Chinese, from their sources and store fresh outputs.

    python notebooks/build.py            # every lesson, both editions
    python notebooks/build.py 03 04      # only lessons whose file name starts with these
    python notebooks/build.py zh 03      # only the Chinese edition (or: en)

Each lesson is written as a plain Python file in ``notebooks/src/`` ("percent" format):

    # %% [markdown]
    # # A heading
    # Some prose, each line behind "# ".

    # %% tags=["raises-exception"]
    x.backward()          # a code cell; tags go on its marker line

One source holds both languages. A cell marked ``lang=en`` or ``lang=zh`` belongs to that edition only,
a cell without a mark to both; so each paragraph of prose is written twice, one after the other, and the
code once:

    # %% [markdown] lang=en
    # Gradients **accumulate**.

    # %% [markdown] lang=zh
    # 梯度会**累加**。

A code cell may have a Chinese twin (``lang=en`` then ``lang=zh``) whose comments are Chinese; its code
must be the same (``tests/test_lessons.py`` compares them without comments; only string literals it translates, such
as a chart's labels, may differ), except that the first one
of the Chinese edition also calls ``torch.set_language("zh")``, so pictures and explorers speak Chinese.

The script turns each source into ``notebooks/<name>.ipynb`` (English) and ``notebooks/zh/<name>.ipynb``
(Chinese), runs each top to bottom in a fresh kernel (working directory: the notebook's folder), and saves
it with its outputs and execution counts. Everything a
cell prints is reproducible (seeded generators, no addresses in pictures; see ``tidy`` for the few
things rewritten on the way to disk), so running the script twice gives the same files, and nbval can
compare a new run against the stored outputs.
"""
import json
import pathlib
import re
import sys

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
SOURCES = HERE / "src"
MARKER = re.compile(r"^# %%(?P<kind> \[markdown\])?(?: lang=(?P<lang>en|zh))?(?: tags=(?P<tags>\[.*\]))?\s*$")
EDITIONS = {"en": HERE, "zh": HERE / "zh"}  # where each language's notebooks go


def parse(text, language="en"):
    """Split a percent-format source into the (kind, tags, source) cells of one language's edition."""
    cells, current = [], None
    for line in text.splitlines():
        m = MARKER.match(line)
        if m:
            current = ("markdown" if m.group("kind") else "code", json.loads(m.group("tags") or "[]"), [],
                       m.group("lang"))
            cells.append(current)
        elif current is not None:
            current[2].append(line)
    out = []
    for kind, tags, lines, lang in cells:
        if lang not in (None, language):
            continue
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if kind == "markdown":
            lines = [ln[2:] if ln.startswith("# ") else ln.lstrip("#") for ln in lines]
        out.append((kind, tags, "\n".join(lines)))
    return out


def to_notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, tags, source) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell.id = f"cell-{i:03d}"  # stable ids: the same source gives the same file
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "(An interactive explorer: run this cell in Jupyter to use it.)"
ADDRESS = re.compile(r"\bat 0x[0-9a-f]+")


def tidy(nb):
    """Make the stored file the same on every build, keeping everything a reader needs.

    * timings, kernel details and widget state go (they change every run and teach nothing);
    * a live widget's output keeps only what shows without a kernel: the explorers' static picture
      of their opening state (``text/html``) and a line of text (the widget's model id is random,
      and without a kernel the widget cannot be shown anyway);
    * memory addresses in reprs (``<MulBackward0 object at 0x7f...>``) become ``0x7f0000000000``;
    * an error keeps its message, not the traceback through the engine's files;
    * printed text that reached the kernel in several pieces is stored as one piece.
    """
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
        for out in cell.get("outputs", []):
            if WIDGET in out.get("data", {}):
                out["data"] = {"text/plain": out["data"].get("text/plain", WIDGET_NOTE),
                               **({"text/html": out["data"]["text/html"]} if "text/html" in out["data"] else {})}
            for key, value in out.get("data", {}).items():
                if key == "text/plain":
                    out["data"][key] = ADDRESS.sub("at 0x7f0000000000", value)
            if out.get("output_type") == "stream":
                out["text"] = ADDRESS.sub("at 0x7f0000000000", out["text"])
            if out.get("output_type") == "error":
                out["traceback"] = [f"\x1b[31m{out['ename']}\x1b[39m: {out['evalue']}"]
    return nb


def _merge_streams(outputs):
    merged = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None and prev.get("output_type") == "stream"
                and prev["name"] == out["name"]):
            prev["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def languages_of(text):
    """The editions a source has: English always, Chinese once it has a ``lang=zh`` cell."""
    return ["en", "zh"] if re.search(r"^# %%.* lang=zh", text, re.M) else ["en"]


def build(source, language="en"):
    nb = to_notebook(parse(source.read_text(encoding="utf-8"), language))
    folder = EDITIONS[language]
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    target = folder / (source.stem + ".ipynb")
    nbformat.write(tidy(nb), target)
    return target


def main(args):
    languages = [a for a in args if a in EDITIONS] or list(EDITIONS)
    prefixes = [a for a in args if a not in EDITIONS]
    sources = sorted(SOURCES.glob("*.py"))
    if prefixes:
        sources = [s for s in sources if any(s.stem.startswith(p) for p in prefixes)]
    for source in sources:
        for language in languages_of(source.read_text(encoding="utf-8")):
            if language in languages:
                print("built", build(source, language).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
