"""Matrices as pictures: a Jacobian as a heatmap, with v beside its rows and vᵀJ below.

    heatmap(J)                          # J with its numbers, coloured by sign and size
    heatmap(J, v=[1.0, 0.5])            # plus v beside the rows and the row vᵀJ under them
    side_by_side([heatmap(A), heatmap(B)], ["numerical", "analytical"])

Pure functions from numbers to an SVG ``Figure``: no matplotlib, same numbers in, same bytes out.
Blue is negative, red positive, white zero; the scale is symmetric around zero.
"""

import numpy as np

from ..printing import format_number
from . import style
from .figure import Figure
from .svg import _open, escape, num

CELL_W = 64
CELL_H = 30
HEAD = 24  # room for column labels above the cells
LEFT = 44  # room for row labels left of the cells
V_W = 64  # the column that holds v
GAP = 14
TITLE_H = 22
NEGATIVE = (33, 102, 172)  # blue
POSITIVE = (178, 24, 43)  # red


def colour(value, limit):
    """The fill of a cell: white at 0, full blue at -limit, full red at +limit."""
    t = 0.0 if limit == 0 else max(-1.0, min(1.0, value / limit))
    end = POSITIVE if t > 0 else NEGATIVE
    rgb = [round(255 + (c - 255) * abs(t)) for c in end]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _ink(value, limit):
    return "#ffffff" if limit and abs(value) > 0.6 * limit else "#000000"


def heatmap(matrix, v=None, row_names=None, column_names=None, title="J = ∂y/∂x",
            result_name="vᵀJ", limit=None):
    """A matrix as coloured cells with its numbers. ``v``: weights for the rows, drawn left of
    them, with the weighted sum of the rows (``v @ matrix``) as an extra row below a line.
    ``limit``: the size drawn in full colour (default: the largest number shown); give two
    heatmaps the same one to compare them."""
    return Figure(*_heatmap(np.asarray(matrix, dtype=float), v, row_names, column_names, title,
                            result_name, limit))


def _heatmap(m, v, row_names, column_names, title, result_name, limit):
    if m.ndim == 1:
        m = m[None, :]
    rows, cols = m.shape
    row_names = row_names or [f"y{i}" for i in range(rows)]
    column_names = column_names or [f"x{j}" for j in range(cols)]
    grid = m
    if v is not None:
        v = np.asarray(v, dtype=float).reshape(-1)
        grid = np.concatenate([m, (v @ m)[None, :]], axis=0)
    if limit is None:
        limit = float(np.max(np.abs(grid))) if grid.size else 0.0
    left = style.MARGIN + LEFT + (V_W + GAP if v is not None else 0)
    top = style.MARGIN + TITLE_H + HEAD
    height = top + grid.shape[0] * CELL_H + (GAP if v is not None else 0) + style.MARGIN
    width = left + cols * CELL_W + style.MARGIN
    out = [_open(width, height, title)]
    out.append(f'<text x="{num(style.MARGIN)}" y="{num(style.MARGIN + 14)}" fill="#333333">'
               f"{escape(title)}</text>")
    for j, name in enumerate(column_names):
        out.append(f'<text x="{num(left + (j + 0.5) * CELL_W)}" y="{num(top - 8)}"'
                   f' text-anchor="middle" fill="#333333">{escape(name)}</text>')
    labels = list(row_names) + ([result_name] if v is not None else [])
    for i in range(grid.shape[0]):
        y = top + i * CELL_H + (GAP if v is not None and i == rows else 0)
        out.append(f'<text x="{num(left - (V_W + GAP if v is not None else 0) - 8)}"'
                   f' y="{num(y + CELL_H / 2 + 4)}" text-anchor="end" fill="#333333">'
                   f"{escape(labels[i])}</text>")
        if v is not None and i < rows:
            out.append(f'<text x="{num(left - GAP - V_W / 2)}" y="{num(y + CELL_H / 2 + 4)}"'
                       f' text-anchor="middle" fill="{style.GRADIENT_COLOUR}">'
                       f"×{escape(format_number(v[i]))}</text>")
        for j in range(cols):
            value = grid[i, j]
            out.append(f'<rect x="{num(left + j * CELL_W)}" y="{num(y)}" width="{CELL_W}"'
                       f' height="{CELL_H}" fill="{colour(value, limit)}" stroke="#ffffff"/>')
            out.append(f'<text x="{num(left + (j + 0.5) * CELL_W)}" y="{num(y + CELL_H / 2 + 4)}"'
                       f' text-anchor="middle" fill="{_ink(value, limit)}">'
                       f"{escape(format_number(value))}</text>")
    if v is not None:
        line_y = top + rows * CELL_H + GAP / 2
        out.append(f'<line x1="{num(left)}" y1="{num(line_y)}" x2="{num(left + cols * CELL_W)}"'
                   f' y2="{num(line_y)}" stroke="#333333" stroke-width="1.5"/>')
        out.append(f'<text x="{num(left - GAP - V_W / 2)}" y="{num(top - 8)}" text-anchor="middle"'
                   f' fill="{style.GRADIENT_COLOUR}">v</text>')
    out.append("</svg>")
    text = f"{title}: " + "; ".join(
        f"{labels[i]} = [{', '.join(format_number(x) for x in grid[i])}]" for i in range(grid.shape[0]))
    return "\n".join(out) + "\n", text


def side_by_side(figures, captions=None):
    """Several pictures (``Figure`` objects, ``draw``'s graphs) in one row, each under its caption
    (a ``Figure``)."""
    captions = captions or [""] * len(figures)
    svgs = [f.to_svg() for f in figures]
    sizes = [_size(svg) for svg in svgs]
    cap_h = TITLE_H if any(captions) else 0
    width = style.MARGIN + sum(w for w, _ in sizes) + GAP * (len(figures) - 1) + style.MARGIN
    height = cap_h + max(h for _, h in sizes) + style.MARGIN
    out = [_open(width, height, " | ".join(captions))]
    x = style.MARGIN
    for svg, (w, h), caption in zip(svgs, sizes, captions):
        if caption:
            out.append(f'<text x="{num(x)}" y="{num(style.MARGIN + 4)}" fill="#333333"'
                       f' font-weight="bold">{escape(caption)}</text>')
        inner = svg.split("\n", 1)[1].rsplit("</svg>", 1)[0]  # drop the outer <svg> tags
        out.append(f'<svg x="{num(x)}" y="{num(cap_h)}" width="{num(w)}" height="{num(h)}"'
                   f' viewBox="0 0 {num(w)} {num(h)}">')
        out.append(inner.rstrip("\n"))
        out.append("</svg>")
        x += w + GAP
    out.append("</svg>")
    text = "\n".join(f"{c}: {f!r}" if c else repr(f) for f, c in zip(figures, captions))
    return Figure("\n".join(out) + "\n", text)


def _size(svg):
    head = svg.split(">", 1)[0]
    width = float(head.split('width="', 1)[1].split('"', 1)[0])
    height = float(head.split('height="', 1)[1].split('"', 1)[0])
    return width, height
