"""Small line charts as SVG: how a number changes over steps, for one or more runs.

    chart({"with zero_grad": [2., 2., 2.], "without": [2., 4., 6.]}, x_label="call",
          y_label="w.grad[0]")

A pure function from numbers to a ``Figure``: no matplotlib, fixed formats, same numbers in,
same bytes out. Each series is a line with a dot per step, labelled at its end.
"""

import math

from ..printing import format_number
from . import labels, style
from ..language import with_language
from .figure import Figure
from .svg import _open, escape, num

PLOT_W = 420
PLOT_H = 200
LEFT = 64
BOTTOM = 40
RIGHT_PAD = 24  # beyond the longest series name, written at the end of its line
TOP = 34
# A few colours that stay apart for readers with a colour-vision deficiency (blue, orange, ...)
COLOURS = ["#1f5fbf", "#d1700f", "#2a8a4a", "#8e3ba6"]


@with_language
def chart(series, x_label=None, y_label="", title="", x_start=1):
    """``series``: ``{name: [y at step x_start, y at x_start + 1, ...]}`` (a ``Figure``).

    ``x_label``: what the steps are (default: "step", in the current language). ``language="zh"``:
    its words in Chinese.
    """
    x_label = labels.STEP if x_label is None else x_label
    values = [y for ys in series.values() for y in ys]
    low, high = min(values + [0.0]), max(values + [0.0])
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    steps = max(len(ys) for ys in series.values())
    width = LEFT + PLOT_W + 10 + max(style.text_width(name) for name in series) + RIGHT_PAD
    height = TOP + PLOT_H + BOTTOM

    def x_at(i):
        return LEFT + (PLOT_W * i / (steps - 1) if steps > 1 else PLOT_W / 2)

    def y_at(value):
        return TOP + PLOT_H * (1 - (value - low) / (high - low or 1.0))

    out = [_open(width, height, title or y_label)]
    if title:
        out.append(f'<text x="{num(LEFT)}" y="{num(TOP - 14)}" fill="#333333">{escape(title)}</text>')
    for tick in ticks:
        y = y_at(tick)
        out.append(f'<line x1="{num(LEFT)}" y1="{num(y)}" x2="{num(LEFT + PLOT_W)}" y2="{num(y)}"'
                   f' stroke="{"#999999" if tick == 0 else "#e4e4e4"}" stroke-width="1"/>')
        out.append(f'<text x="{num(LEFT - 6)}" y="{num(y + 4)}" text-anchor="end" fill="#333333">'
                   f"{escape(format_number(tick))}</text>")
    for i in range(steps):
        out.append(f'<text x="{num(x_at(i))}" y="{num(TOP + PLOT_H + 16)}" text-anchor="middle"'
                   f' fill="#333333">{x_start + i}</text>')
    out.append(f'<text x="{num(LEFT + PLOT_W / 2)}" y="{num(TOP + PLOT_H + 34)}" text-anchor="middle"'
               f' fill="#333333">{escape(x_label)}</text>')
    if y_label:
        out.append(f'<text x="{num(14)}" y="{num(TOP + PLOT_H / 2)}" text-anchor="middle"'
                   f' fill="#333333" transform="rotate(-90 {num(14)} {num(TOP + PLOT_H / 2)})">'
                   f"{escape(y_label)}</text>")
    ends = []
    for k, (name, ys) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{num(x_at(i))},{num(y_at(y))}" for i, y in enumerate(ys))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, y in enumerate(ys):
            out.append(f'<circle cx="{num(x_at(i))}" cy="{num(y_at(y))}" r="3.5" fill="{colour}"/>')
        ends.append([y_at(ys[-1]), name, colour, x_at(len(ys) - 1)])
    ends.sort()
    for k in range(1, len(ends)):  # names at the line ends, never on top of each other
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + style.LINE_HEIGHT)
    for y, name, colour, x in ends:
        out.append(f'<text x="{num(x + 10)}" y="{num(y + 4)}" fill="{colour}">{escape(name)}</text>')
    out.append("</svg>")
    text = (f"{title}\n" if title else "") + "\n".join(
        f"{name}: " + ", ".join(format_number(y) for y in ys) for name, ys in series.items())
    return Figure("\n".join(out) + "\n", text)


def _ticks(low, high, count=5):
    """Round numbers spanning [low, high]: steps of 1, 2 or 5 times a power of ten."""
    span = (high - low) or 1.0
    raw = span / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks
