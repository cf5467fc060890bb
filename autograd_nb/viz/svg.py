"""A laid-out graph as a self-contained SVG string.

``to_svg(layout(graph))`` is a pure function: same graph in, same bytes out, in every process.
To keep it that way, and safe to paste into any page:

* every number is written with one decimal (``f"{v:.1f}"``);
* every piece of text (labels, names, tooltips) goes through ``escape``;
* no ``id=`` attributes: arrowheads are plain triangles, not ``<marker>``\\ s that need ids
  (two graphs on one page would clash, and ids would have to come from somewhere stable);
* no scripts, no external CSS or fonts; hovering a box shows its ``<title>`` tooltip.
"""

import html
import re

from . import style
from .layout import edge_geometry
from .text import in_order, kind_counts, summary

LEGEND_SWATCH = 14
LEGEND_GAP = 18
LEGEND_ROW = 22
LEGEND_FONT_SIZE = 11
LABEL_FONT_SIZE = 10

# Characters XML 1.0 does not allow at all; a tensor name could contain one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text):
    """Text safe inside an SVG/HTML element or a quoted attribute."""
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def num(v):
    """Coordinates are written with exactly one decimal, so output is byte-stable."""
    return f"{v:.1f}"


def to_svg(laid):
    """The SVG for a graph returned by ``layout.layout``."""
    rankdir = laid.graph["rankdir"]
    sheet = page(laid)
    out = [_open(sheet["width"], sheet["height"], f"autograd graph: {summary(laid)}")]
    out.append(f'<g class="graph" transform="translate({num(sheet["shift"])},0)">')
    out.append('<g class="edges">')
    for _, _, edge in laid.edges(data=True):
        out.extend(_edge(edge, rankdir))
    out.append("</g>")
    out.append('<g class="nodes">')
    for key in in_order(laid):
        out.extend(_node(laid.nodes[key]))
    out.append("</g>")
    out.append("</g>")
    out.append(f'<g class="legend" transform="translate({num(style.MARGIN)},'
               f'{num(sheet["legend_top"])})">')
    out.extend(_legend(sheet["legend_rows"]))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def page(laid):
    """The size of the whole picture and where its parts go.

    The legend lists only the kinds drawn, wrapped to the graph's width, below the graph;
    a graph narrower than its legend is centred (``shift``).
    """
    rows = []
    legend_width = legend_height = 0.0
    items = legend_items(list(kind_counts(laid)))
    if items:
        widest = max(width for _, _, width in items)
        rows = legend_rows(items, max(laid.graph["width"] - 2 * style.MARGIN, widest))
        legend_width = max(x + width for row in rows for _, _, x, width in row)
        legend_height = len(rows) * LEGEND_ROW + style.MARGIN
    width = max(laid.graph["width"], legend_width + 2 * style.MARGIN)
    return {
        "width": width,
        "height": laid.graph["height"] + legend_height,
        "shift": (width - laid.graph["width"]) / 2,
        "legend_rows": rows,
        "legend_top": laid.graph["height"],
    }


def _open(width, height, title):
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}"'
        f' viewBox="0 0 {num(width)} {num(height)}" font-family="{escape(style.FONT_FAMILY)}"'
        f' font-size="{style.FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}"'
        f' fill="{style.BACKGROUND}"/>',
    ])


def _node(node):
    look = style.NODE_STYLE[node["kind"]]
    left = node["x"] - node["width"] / 2
    top = node["y"] - node["height"] / 2
    stroke, stroke_width = look["stroke"], 1.2
    if node.get("highlight"):
        stroke, stroke_width = style.HIGHLIGHT["stroke"], style.HIGHLIGHT["width"]
    dash = f' stroke-dasharray="{look["dash"]}"' if look["dash"] else ""
    out = [f'<g class="node {node["kind"]}">', f"<title>{escape(node['tooltip'])}</title>"]
    out.append(
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(node["width"])}"'
        f' height="{num(node["height"])}" rx="{look["radius"]}" fill="{look["fill"]}"'
        f' stroke="{stroke}" stroke-width="{num(stroke_width)}"{dash}/>'
    )
    for i, line in enumerate(node["label"].split("\n")):
        out.append(
            f'<text x="{num(node["x"])}" y="{num(text_baseline(top, i))}" text-anchor="middle"'
            f' fill="{look["text"]}">{escape(line)}</text>'
        )
    out.append("</g>")
    return out


def text_baseline(top, line):
    """The baseline of the ``line``-th label line in a box whose top is at ``top``."""
    return top + style.PAD_Y + line * style.LINE_HEIGHT + 0.77 * style.LINE_HEIGHT


def _edge(edge, rankdir):
    look = style.EDGE_STYLE[edge["kind"]]
    start, segments, arrow = edge_geometry(edge["points"], rankdir)
    d = [f"M{_pair(start)}"]
    for c1, c2, end in segments:
        d.append(f"C{_pair(c1)} {_pair(c2)} {_pair(end)}")
    dash = f' stroke-dasharray="{look["dash"]}"' if look["dash"] else ""
    out = [f'<g class="edge {edge["kind"]}">', f"<title>{escape(edge.get('tooltip', ''))}</title>"]
    out.append(f'<path d="{" ".join(d)}" fill="none" stroke="{look["stroke"]}"'
               f' stroke-width="1.2"{dash}/>')
    points = " ".join(_pair(p) for p in arrow)
    out.append(f'<polygon points="{points}" fill="{look["stroke"]}"/>')
    if edge.get("label"):
        x, y = label_position(edge["points"], rankdir)
        out.append(f'<text x="{num(x)}" y="{num(y)}" font-size="{LABEL_FONT_SIZE}"'
                   f' fill="{look["stroke"]}">{escape(edge["label"])}</text>')
    out.append("</g>")
    return out


def _pair(point):
    return f"{num(point[0])},{num(point[1])}"


def label_position(points, rankdir):
    """Where an edge's small label goes: beside the middle of its first stretch."""
    (x0, y0), (x1, y1) = points[0], points[1]
    return ((x0 + x1) / 2 + 5, (y0 + y1) / 2 + 4) if rankdir == "TB" else \
        ((x0 + x1) / 2, (y0 + y1) / 2 - 5)


def legend_items(kinds):
    """(kind, text, width in px) for each legend entry."""
    items = []
    for kind in kinds:
        text = style.LEGEND[kind]
        char_width = style.CHAR_WIDTH * LEGEND_FONT_SIZE / style.FONT_SIZE
        width = LEGEND_SWATCH + 6 + len(text) * char_width
        items.append((kind, text, width))
    return items


def legend_rows(items, available):
    """Legend entries wrapped into rows no wider than ``available`` px:
    ``[[(kind, text, x, width), ...], ...]``."""
    rows, row, x = [], [], 0.0
    for kind, text, width in items:
        if row and x + width > available:
            rows.append(row)
            row, x = [], 0.0
        row.append((kind, text, x, width))
        x += width + LEGEND_GAP
    if row:
        rows.append(row)
    return rows


def _legend(rows):
    out = []
    for r, row in enumerate(rows):
        y = r * LEGEND_ROW
        for kind, text, x, _ in row:
            look = style.NODE_STYLE[kind]
            dash = f' stroke-dasharray="{look["dash"]}"' if look["dash"] else ""
            out.append(
                f'<rect x="{num(x)}" y="{num(y)}" width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}"'
                f' rx="{min(look["radius"], 4)}" fill="{look["fill"]}" stroke="{look["stroke"]}"'
                f' stroke-width="1.0"{dash}/>'
            )
            out.append(
                f'<text x="{num(x + LEGEND_SWATCH + 6)}" y="{num(y + 11)}"'
                f' font-size="{LEGEND_FONT_SIZE}" fill="#333333">{escape(text)}</text>'
            )
    return out


def card_svg(lines):
    """A plain card of text lines, drawn instead of a graph too large to show."""
    width, height = card_size(lines)
    out = [_open(width, height, lines[0])]
    out.append(
        f'<rect x="{num(style.MARGIN / 2)}" y="{num(style.MARGIN / 2)}"'
        f' width="{num(width - style.MARGIN)}" height="{num(height - style.MARGIN)}" rx="6"'
        f' fill="#f7f7f7" stroke="#999999" stroke-width="1.0"/>'
    )
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        out.append(
            f'<text x="{num(style.MARGIN + style.PAD_X)}" y="{num(text_baseline(style.MARGIN, i))}"'
            f' xml:space="preserve"{weight}>{escape(line)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def card_size(lines):
    """Width and height in px of the card that holds ``lines``."""
    width = max(len(line) for line in lines) * style.CHAR_WIDTH + 2 * style.MARGIN + 2 * style.PAD_X
    height = len(lines) * style.LINE_HEIGHT + 2 * style.MARGIN + 2 * style.PAD_Y
    return width, height
