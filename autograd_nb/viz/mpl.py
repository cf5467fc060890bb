"""The same picture as ``svg.py``, painted with matplotlib (for PNG/PDF files and ``plt``).

It reads the same laid-out graph and the same ``style`` table, so shapes, colours and the
legend match the SVG. One layout unit (an SVG px) becomes one typographic point when the
figure is made here; in an ``ax`` you pass, everything is scaled to fit.
"""

from matplotlib.patches import Circle, FancyBboxPatch, PathPatch, Polygon
from matplotlib.path import Path

from ..language import matplotlib_family
from . import style
from .layout import edge_geometry
from .svg import (LABEL_FONT_SIZE, LEGEND_FONT_SIZE, LEGEND_ROW, LEGEND_SWATCH,
                  LINE_SWATCH, SAMPLES)
from .svg import (box_swatch_look, card_size, edge_label_colour, label_box, label_lines, page, tether_colour,
                  text_baseline)
from .text import in_order

# Caps that keep a huge graph's PNG within memory (and matplotlib's 2**16 px limit).
MAX_INCHES = 100  # a side
MAX_SQUARE_INCHES = 1500  # the area


def figure_size(width, height):
    """Inches for a picture of ``width`` x ``height`` layout units (1 unit = 1 pt, capped)."""
    inches_w, inches_h = max(width, 1) / 72, max(height, 1) / 72
    scale = min(1.0, MAX_INCHES / max(inches_w, inches_h),
                (MAX_SQUARE_INCHES / (inches_w * inches_h)) ** 0.5)
    return inches_w * scale, inches_h * scale


def plot(laid, ax=None):
    """Paint a graph returned by ``layout.layout`` into ``ax`` (a new figure if None)."""
    sheet = page(laid)
    ax = _prepare(ax, sheet["width"], sheet["height"])
    pt = _points_per_unit(ax, sheet["width"], sheet["height"])
    shift = sheet["shift"]
    rankdir = laid.graph["rankdir"]

    for _, _, edge in laid.edges(data=True):
        points = [(x + shift, y) for x, y in edge["points"]]
        if edge["kind"] in style.ATTACH_KINDS:
            colour = tether_colour(edge["kind"], laid.nodes[edge["tag"]]["kind"])
            _tether(ax, points, colour, style.EDGE_STYLE[edge["kind"]]["dash"], pt)
            continue
        look = style.EDGE_STYLE[edge["kind"]]
        start, segments, arrow = edge_geometry(points, rankdir)
        vertices, codes = [start], [Path.MOVETO]
        for c1, c2, end in segments:
            vertices += [c1, c2, end]
            codes += [Path.CURVE4] * 3
        ax.add_patch(PathPatch(Path(vertices, codes), facecolor="none", edgecolor=look["stroke"],
                               linewidth=1.2 * pt, linestyle=_dash(look["dash"])))
        ax.add_patch(Polygon(arrow, closed=True, facecolor=look["stroke"], edgecolor="none"))

    for key in in_order(laid):
        node = laid.nodes[key]
        look = style.NODE_STYLE[node["kind"]]
        left = node["x"] - node["width"] / 2 + shift
        top = node["y"] - node["height"] / 2
        stroke, width = look["stroke"], 1.2
        if node.get("highlight"):
            stroke, width = style.HIGHLIGHT["stroke"], style.HIGHLIGHT["width"]
        ax.add_patch(FancyBboxPatch(
            (left, top), node["width"], node["height"],
            boxstyle=f"round,pad=0,rounding_size={look['radius']}",
            facecolor=look["fill"], edgecolor=stroke, linewidth=width * pt,
            linestyle=_dash(look["dash"]),
        ))
        for i, (line, colour) in enumerate(label_lines(node)):
            ax.text(node["x"] + shift, text_baseline(top, i), line, ha="center", va="baseline",
                    fontsize=style.FONT_SIZE * pt, family=_mono(), color=colour)

    for _, _, edge in laid.edges(data=True):
        if (edge.get("label") or "").strip() and "label_at" in edge:
            x, y = edge["label_at"]
            left, top, width, height = label_box((x + shift, y), edge["label"].strip())
            ax.add_patch(FancyBboxPatch((left, top), width, height, boxstyle="round,pad=0,rounding_size=3",
                                        facecolor=style.LABEL_HALO, edgecolor="none"))
            ax.text(x + shift, y + 4, edge["label"], ha="center", va="baseline",
                    fontsize=LABEL_FONT_SIZE * pt, family=_mono(), color=edge_label_colour(laid))

    for r, row in enumerate(sheet["legend_rows"]):
        y = sheet["legend_top"] + r * LEGEND_ROW
        for swatch, kind, text, x, _ in row:
            x += style.MARGIN
            wide = _swatch(ax, swatch, kind, x, y, pt)
            ax.text(x + wide + 6, y + 11, text, fontsize=LEGEND_FONT_SIZE * pt,
                    family=_mono(), color="#333333", va="baseline")
    return ax


def _tether(ax, points, colour, dash, pt):
    (x0, y0), (x1, y1) = points
    ax.plot([x0, x1], [y0, y1], color=colour, linewidth=style.TETHER_WIDTH * pt,
            linestyle=_dash(dash))
    ax.add_patch(Circle((x0, y0), style.TETHER_DOT, facecolor=colour, edgecolor="none"))


def _swatch(ax, swatch, kind, x, y, pt):
    """Paint one legend swatch at (x, y); returns its width."""
    middle = y + LEGEND_SWATCH / 2
    if swatch in ("box", "highlight"):
        look, stroke, width = box_swatch_look(swatch, kind)
        ax.add_patch(FancyBboxPatch(
            (x, y), LEGEND_SWATCH, LEGEND_SWATCH,
            boxstyle=f"round,pad=0,rounding_size={min(look['radius'], 4)}",
            facecolor=look["fill"], edgecolor=stroke, linewidth=width * pt,
            linestyle=_dash(look["dash"]),
        ))
        return LEGEND_SWATCH
    if swatch == "arrow":
        colour = style.EDGE_STYLE["next"]["stroke"]
        tip = x + LINE_SWATCH
        ax.plot([x, tip - style.ARROW_LENGTH], [middle, middle], color=colour, linewidth=1.2 * pt)
        ax.add_patch(Polygon([(tip, middle), (tip - style.ARROW_LENGTH, middle - style.ARROW_HALF_WIDTH),
                              (tip - style.ARROW_LENGTH, middle + style.ARROW_HALF_WIDTH)],
                             closed=True, facecolor=colour, edgecolor="none"))
    elif swatch == "tether":
        colour = style.EDGE_STYLE["saved"]["stroke"] if kind == "saved" else "#555555"
        _tether(ax, [(x + style.TETHER_DOT, middle), (x + LINE_SWATCH, middle)], colour,
                style.EDGE_STYLE[kind]["dash"], pt)
    else:
        text, colour = SAMPLES[kind]
        ax.text(x + LINE_SWATCH / 2, y + 11, text, ha="center", va="baseline",
                fontsize=LEGEND_FONT_SIZE * pt, family=_mono(), color=colour)
    return LINE_SWATCH


def plot_card(lines, ax=None):
    """Paint the text card shown instead of a graph too large to draw."""
    width, height = card_size(lines)
    ax = _prepare(ax, width, height)
    pt = _points_per_unit(ax, width, height)
    half = style.MARGIN / 2
    ax.add_patch(FancyBboxPatch((half, half), width - style.MARGIN, height - style.MARGIN,
                                boxstyle="round,pad=0,rounding_size=6", facecolor="#f7f7f7",
                                edgecolor="#999999", linewidth=pt))
    for i, line in enumerate(lines):
        ax.text(style.MARGIN + style.PAD_X, text_baseline(style.MARGIN, i), line,
                fontsize=style.FONT_SIZE * pt, family=_mono(), va="baseline",
                fontweight="bold" if i == 0 else "normal")
    return ax


def _prepare(ax, width, height):
    if ax is None:
        import matplotlib.pyplot as plt  # only here: saving files needs no pyplot

        fig = plt.figure(figsize=figure_size(width, height))
        ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y grows downward, as in SVG
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_facecolor(style.BACKGROUND)
    return ax


def _points_per_unit(ax, width, height):
    """Font sizes and line widths are in points; this converts layout units to points."""
    fig = ax.figure
    box = ax.get_position()
    fig_width, fig_height = fig.get_size_inches()
    inches = min(box.width * fig_width / width, box.height * fig_height / height)
    return inches * 72


def _mono():
    """Monospace, with a font of Chinese glyphs to fall back on (``language.matplotlib_family``)."""
    return matplotlib_family("monospace")


def _dash(pattern):
    if not pattern:
        return "solid"
    return (0, tuple(float(p) for p in pattern.split()))
