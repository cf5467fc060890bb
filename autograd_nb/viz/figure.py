"""How a finished picture shows in Jupyter, in exported HTML and on GitHub.

Every picture of the package (a graph, a chain-rule figure, a filmstrip, a heatmap, a chart) is
an SVG string. Jupyter asks for it through ``_repr_mimebundle_``; we answer with three forms:

* ``text/html``: an ``<img>`` whose ``src`` is the SVG as a base64 ``data:`` URI. JupyterLab
  shows HTML first, and its sanitizer, which cleans the outputs of notebooks you have not
  trusted, removes inline ``<svg>`` but keeps such an ``<img>``;
* ``image/svg+xml``: the SVG itself, for renderers that show images but not HTML;
* ``text/plain``: words, for a terminal or a screen reader.

No ids, no scripts, no dates: the same picture gives the same bytes, so a notebook that stores
it can be compared with a fresh run.
"""

import base64
import math
import re

from .svg import escape

_SIZE = re.compile(r'<svg [^>]*?width="([0-9.]+)" height="([0-9.]+)"')


def img_html(svg, alt, css_class="autograd-nb-graph"):
    """An ``<img>`` (inside a ``<div class=...>``) showing ``svg`` at its own size, shrinking to
    fit a narrow page."""
    width, height = (math.ceil(float(v)) for v in _SIZE.match(svg).groups())
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<div class="{css_class}">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}"'
        f' width="{width}" height="{height}" style="max-width:100%;height:auto"/>'
        "</div>"
    )


def mimebundle(svg, html, text, include=None, exclude=None):
    """The three forms of a picture, filtered as Jupyter asks."""
    bundle = {"text/plain": text, "text/html": html, "image/svg+xml": svg}
    if include is not None:
        bundle = {mime: data for mime, data in bundle.items() if mime in include}
    if exclude is not None:
        bundle = {mime: data for mime, data in bundle.items() if mime not in exclude}
    return bundle


class Figure:
    """A finished picture: ``.svg`` (the SVG string) and ``.text`` (what it shows, in words)."""

    def __init__(self, svg, text):
        self.svg = svg
        self.text = text

    def to_svg(self):
        return self.svg

    def __repr__(self):
        return self.text

    def _repr_html_(self):
        return img_html(self.svg, self.text, "autograd-nb-figure")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return mimebundle(self.svg, self._repr_html_(), self.text, include, exclude)

    def save(self, path):
        """Write the SVG to ``path``."""
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(self.svg)
