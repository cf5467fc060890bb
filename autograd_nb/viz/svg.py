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

from . import labels, style
from .layout import edge_geometry
from .text import in_order, kind_counts, summary

LEGEND_SWATCH = 14  # a box in the legend
LINE_SWATCH = 28  # a line or a sample of text in the legend
LEGEND_GAP = 18
LEGEND_ROW = 22
LEGEND_FONT_SIZE = style.FONT_SIZE  # words in a picture are never smaller than node text
LABEL_FONT_SIZE = style.FONT_SIZE

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
    sheet = page(laid)
    out = [_open(sheet["width"], sheet["height"], labels.GRAPH_TITLE.format(summary=summary(laid)))]
    out.extend(body(laid, sheet))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def body(laid, sheet):
    """The SVG elements of a graph and its legend (without the ``<svg>`` around them)."""
    rankdir = laid.graph["rankdir"]
    out = [f'<g class="graph" transform="translate({num(sheet["shift"])},0)">', '<g class="edges">']
    for _, _, edge in laid.edges(data=True):
        if edge["kind"] in style.ATTACH_KINDS:
            out.extend(_tether(edge, laid.nodes[edge["tag"]]["kind"]))
        else:
            out.extend(_edge(edge, rankdir))
    out.append("</g>")
    out.append('<g class="nodes">')
    for key in in_order(laid):
        out.extend(_node(laid.nodes[key]))
    out.append("</g>")
    out.append('<g class="labels">')
    for _, _, edge in laid.edges(data=True):
        if edge.get("label") and "label_at" in edge:
            out.append(_label(edge["label_at"], edge["label"], edge_label_colour(laid)))
    out.append("</g>")
    out.append("</g>")
    out.extend(legend_group(sheet["legend_rows"], sheet["legend_top"]))
    return out


def legend_group(rows, top):
    """The legend's rows (``legend_rows``) as an SVG group whose top is at ``top``."""
    if not rows:
        return []
    return ([f'<g class="legend" transform="translate({num(style.MARGIN)},{num(top)})">']
            + _legend(rows) + ["</g>"])


def page(laid, legend=True):
    """The size of the whole picture and where its parts go.

    The legend lists only what is drawn, wrapped to the graph's width, below the graph;
    a graph narrower than its legend is centred (``shift``).
    """
    rows = []
    legend_width = legend_height = 0.0
    items = legend_items(laid) if legend else []
    if items:
        widest = max(width for *_, width in items)
        rows = legend_rows(items, max(laid.graph["width"] - 2 * style.MARGIN, widest))
        legend_width = max(x + width for row in rows for *_, x, width in row)
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
    for i, (line, colour) in enumerate(label_lines(node)):
        out.append(
            f'<text x="{num(node["x"])}" y="{num(text_baseline(top, i))}" text-anchor="middle"'
            f' fill="{colour}" xml:space="preserve">{escape(line)}</text>'
        )
    out.append("</g>")
    return out


def label_lines(node):
    """``[(text, colour)]``: a node's label lines, coloured as its ``line_colours`` say."""
    default = style.NODE_STYLE[node["kind"]]["text"]
    colours = node.get("line_colours") or []
    lines = node["label"].split("\n")
    return [(line, colours[i] if i < len(colours) and colours[i] else default)
            for i, line in enumerate(lines)]


def text_baseline(top, line):
    """The baseline of the ``line``-th label line in a box whose top is at ``top``."""
    return top + style.PAD_Y + line * style.LINE_HEIGHT + 0.77 * style.LINE_HEIGHT


def edge_label_colour(laid):
    """Gradients written on edges are in the gradient colour; other labels (×2) dark grey."""
    return style.GRADIENT_COLOUR if laid.graph.get("gradients") else "#333333"


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
    out.append("</g>")
    return out


def tether_colour(edge_kind, tag_kind):
    """A tether is drawn in its tag's border colour (orange for saved tensors)."""
    return style.EDGE_STYLE[edge_kind]["stroke"] or style.NODE_STYLE[tag_kind]["stroke"]


def _tether(edge, tag_kind):
    """A tensor tied to its node: a dotted line, a dot on the node's side, no arrowhead."""
    look = style.EDGE_STYLE[edge["kind"]]
    colour = tether_colour(edge["kind"], tag_kind)
    (x0, y0), (x1, y1) = edge["points"]
    return [
        f'<g class="tether {edge["kind"]}">', f"<title>{escape(edge.get('tooltip', ''))}</title>",
        f'<line x1="{num(x0)}" y1="{num(y0)}" x2="{num(x1)}" y2="{num(y1)}" stroke="{colour}"'
        f' stroke-width="{num(style.TETHER_WIDTH)}" stroke-dasharray="{look["dash"]}"/>',
        f'<circle cx="{num(x0)}" cy="{num(y0)}" r="{num(style.TETHER_DOT)}" fill="{colour}"/>',
        "</g>",
    ]


def label_box(at, text):
    """``(left, top, width, height)`` of the background under an edge label centred at ``at``."""
    width = style.text_width(text) + 6
    return at[0] - width / 2, at[1] - style.LINE_HEIGHT / 2, width, style.LINE_HEIGHT


def _label(at, text, colour):
    """Text on a line, on a patch of background colour so the line does not cut through it."""
    x, y = at
    left, top, width, height = label_box(at, text.strip() or text)
    patch = "" if not text.strip() else (
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(width)}" height="{num(height)}"'
        f' rx="3" fill="{style.LABEL_HALO}"/>')
    return (f'{patch}<text x="{num(x)}" y="{num(y + 4)}" text-anchor="middle" fill="{colour}"'
            f' xml:space="preserve">{escape(text)}</text>')


def _pair(point):
    return f"{num(point[0])},{num(point[1])}"


def legend_items(laid):
    """``(swatch, kind, text, width in px)`` for each legend entry: the kinds of boxes drawn,
    then the kinds of lines, then what numbers and borders mean, if the picture has them."""
    entries = [("box", kind, labels.KIND[kind]) for kind in kind_counts(laid)]
    edge_kinds = {kind for _, _, kind in laid.edges(data="kind")}
    if "next" in edge_kinds:
        entries.append(("arrow", "next", labels.LINE["next"]))
    if edge_kinds & {"grad_fn", "variable"}:
        entries.append(("tether", "grad_fn", labels.LINE["attach"]))
    if "saved" in edge_kinds:
        entries.append(("tether", "saved", labels.LINE["saved"]))
    if laid.graph.get("gradients"):
        entries.append(("sample", "gradient", labels.LINE["gradient"]))
    if laid.graph.get("rules"):
        entries.append(("sample", "rule", labels.RULE_LEGEND))
    meaning = laid.graph.get("highlight_meaning")
    if meaning and any(laid.nodes[k].get("highlight") for k in laid.nodes):
        entries.append(("highlight", "function", labels.HIGHLIGHT[meaning]))
    items = []
    for swatch, kind, text in entries:
        wide = LEGEND_SWATCH if swatch in ("box", "highlight") else LINE_SWATCH
        items.append((swatch, kind, text, wide + 6 + style.text_width(text)))
    return items


# A sample of what a number on an edge and a rule line in a node look like, for the legend.
SAMPLES = {"gradient": ("0.5", style.GRADIENT_COLOUR), "rule": ("∂/∂a", style.RULE_COLOUR)}


def legend_rows(items, available):
    """Legend entries wrapped into rows no wider than ``available`` px:
    ``[[(swatch, kind, text, x, width), ...], ...]``."""
    rows, row, x = [], [], 0.0
    for swatch, kind, text, width in items:
        if row and x + width > available:
            rows.append(row)
            row, x = [], 0.0
        row.append((swatch, kind, text, x, width))
        x += width + LEGEND_GAP
    if row:
        rows.append(row)
    return rows


def _legend(rows):
    out = []
    for r, row in enumerate(rows):
        y = r * LEGEND_ROW
        for swatch, kind, text, x, _ in row:
            wide = LEGEND_SWATCH if swatch in ("box", "highlight") else LINE_SWATCH
            out.extend(_swatch(swatch, kind, x, y))
            out.append(
                f'<text x="{num(x + wide + 6)}" y="{num(y + 11)}"'
                f' font-size="{LEGEND_FONT_SIZE}" fill="#333333">{escape(text)}</text>'
            )
    return out


def box_swatch_look(swatch, kind):
    """``(node style, border colour, border width)`` of a box in the legend."""
    look = style.NODE_STYLE[kind]
    if swatch == "highlight":
        return look, style.HIGHLIGHT["stroke"], style.HIGHLIGHT["width"] - 1
    return look, look["stroke"], 1.0


def _swatch(swatch, kind, x, y):
    middle = y + LEGEND_SWATCH / 2
    if swatch in ("box", "highlight"):
        look, stroke, width = box_swatch_look(swatch, kind)
        dash = f' stroke-dasharray="{look["dash"]}"' if look["dash"] else ""
        return [f'<rect x="{num(x)}" y="{num(y)}" width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}"'
                f' rx="{min(look["radius"], 4)}" fill="{look["fill"]}" stroke="{stroke}"'
                f' stroke-width="{num(width)}"{dash}/>']
    if swatch == "arrow":
        colour = style.EDGE_STYLE["next"]["stroke"]
        tip = x + LINE_SWATCH
        return [f'<line x1="{num(x)}" y1="{num(middle)}" x2="{num(tip - style.ARROW_LENGTH)}"'
                f' y2="{num(middle)}" stroke="{colour}" stroke-width="1.2"/>',
                f'<polygon points="{_pair((tip, middle))} '
                f'{_pair((tip - style.ARROW_LENGTH, middle - style.ARROW_HALF_WIDTH))} '
                f'{_pair((tip - style.ARROW_LENGTH, middle + style.ARROW_HALF_WIDTH))}"'
                f' fill="{colour}"/>']
    if swatch == "tether":
        colour = style.EDGE_STYLE["saved"]["stroke"] if kind == "saved" else "#555555"
        dash = style.EDGE_STYLE[kind]["dash"]
        return [f'<line x1="{num(x + style.TETHER_DOT)}" y1="{num(middle)}" x2="{num(x + LINE_SWATCH)}"'
                f' y2="{num(middle)}" stroke="{colour}" stroke-width="{num(style.TETHER_WIDTH)}"'
                f' stroke-dasharray="{dash}"/>',
                f'<circle cx="{num(x + style.TETHER_DOT)}" cy="{num(middle)}"'
                f' r="{num(style.TETHER_DOT)}" fill="{colour}"/>']
    text, colour = SAMPLES[kind]
    return [f'<text x="{num(x + LINE_SWATCH / 2)}" y="{num(y + 11)}" text-anchor="middle"'
            f' fill="{colour}">{escape(text)}</text>']


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
    width = max(style.text_width(line) for line in lines) + 2 * style.MARGIN + 2 * style.PAD_X
    height = len(lines) * style.LINE_HEIGHT + 2 * style.MARGIN + 2 * style.PAD_Y
    return width, height
