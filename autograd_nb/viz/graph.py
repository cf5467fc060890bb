"""``Graph``: what ``draw`` returns, and how Jupyter shows it.

Jupyter asks an object for its pictures through ``_repr_mimebundle_``; we answer with

* ``text/plain``: the indented tree from ``text.py`` (always there, readable anywhere);
* ``text/html``: an ``<img>`` whose ``src`` is the SVG as a base64 ``data:`` URI;
* ``image/svg+xml``: the SVG itself.

Why an ``<img>`` and not the ``<svg>`` itself: JupyterLab sanitizes the HTML output of
notebooks you have not trusted and removes inline ``<svg>``, but keeps ``<img>`` with a
``data:image/svg+xml`` source; exported HTML shows both. An image also keeps the SVG apart
from the page, so nothing in it can clash with anything else on the page (``figure.py``).
"""

import os

from .figure import img_html, mimebundle
from .layout import layout
from .svg import card_svg, to_svg
from ..language import get_language, using_language
from . import labels
from .text import card_lines, summary, to_text

ALT_LINES = 40  # how much of the text tree goes into the image's alt text


class Graph:
    """A drawn autograd graph.

    ``.nx`` is the ``networkx.DiGraph`` (see ``model.py`` for its attributes); ``.to_svg()``,
    ``.save(path)``, ``.plot(ax)`` and ``print(graph)`` show it in different ways. Its words are in
    the language that was current when it was made (``autograd_nb.set_language``).
    """

    def __init__(self, nx_graph, rankdir="TB", max_nodes=300):
        if rankdir not in ("TB", "LR"):
            raise ValueError(f'rankdir must be "TB" or "LR", got {rankdir!r}')
        self.nx = nx_graph
        self.rankdir = rankdir
        self.max_nodes = max_nodes
        self._laid = None
        self.language = get_language()

    @property
    def collapsed(self):
        """True when the graph has too many nodes to draw and shows a summary card instead."""
        return self.nx.number_of_nodes() > self.max_nodes

    def layout(self):
        """The graph with positions (computed once, on first use)."""
        if self._laid is None:
            self._laid = layout(self.nx, self.rankdir)
        return self._laid

    def to_svg(self):
        """The picture as an SVG string (the summary card if the graph is too large)."""
        with using_language(self.language):
            if self.collapsed:
                return card_svg(card_lines(self.nx, self.max_nodes))
            return to_svg(self.layout())

    def to_text(self):
        """The graph as an indented tree of lines."""
        with using_language(self.language):
            if self.collapsed:
                return "\n".join(card_lines(self.nx, self.max_nodes))
            return to_text(self.nx)

    def __repr__(self):
        return self.to_text()

    def _repr_html_(self):
        with using_language(self.language):
            alt = labels.GRAPH_ALT.format(summary=summary(self.nx)) + "\n" + to_text(self.nx, max_lines=ALT_LINES)
        return img_html(self.to_svg(), alt)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return mimebundle(self.to_svg(), self._repr_html_(), self.to_text(), include, exclude)

    def plot(self, ax=None):
        """Paint the graph with matplotlib; returns the ``Axes``."""
        from .mpl import plot, plot_card

        with using_language(self.language):
            if self.collapsed:
                return plot_card(card_lines(self.nx, self.max_nodes), ax)
            return plot(self.layout(), ax)

    def save(self, path):
        """Write the picture to ``path``: ``.svg`` as is, ``.png`` or ``.pdf`` via matplotlib."""
        extension = os.path.splitext(str(path))[1].lower()
        if extension == ".svg":
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(self.to_svg())
            return
        if extension not in (".png", ".pdf"):
            raise ValueError(f"can save .svg, .png or .pdf, not {extension or str(path)!r}")
        from matplotlib.figure import Figure

        figure = Figure()
        with using_language(self.language):
            self._paint(figure)
        # No timestamps or version strings, so saving twice gives the same file.
        metadata = {"Software": None} if extension == ".png" else {
            "Creator": None, "Producer": None, "CreationDate": None}
        figure.savefig(path, dpi=144 if extension == ".png" else 72, metadata=metadata)

    def _paint(self, figure):
        from .mpl import figure_size, plot, plot_card
        from .svg import card_size, page

        if self.collapsed:
            lines = card_lines(self.nx, self.max_nodes)
            figure.set_size_inches(figure_size(*card_size(lines)))
            plot_card(lines, figure.add_axes((0, 0, 1, 1)))
        else:
            sheet = page(self.layout())
            figure.set_size_inches(figure_size(sheet["width"], sheet["height"]))
            plot(self.layout(), figure.add_axes((0, 0, 1, 1)))
