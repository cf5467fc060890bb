"""Small pieces of HTML that every explorer shows: pictures, tables, code listings, error boxes.

Plain functions from data to an HTML string, so the models can be tested without Jupyter and the
widget shells only put the strings into ``widgets.HTML``. Every piece of text that comes from the
learner (tensor names, code, error messages) goes through ``html.escape``. No ids, no scripts, no
random numbers: the same data gives the same bytes.

Pictures are ``<img>`` tags with a ``data:`` URI (an SVG from ``viz`` or a PNG from matplotlib):
JupyterLab's sanitizer keeps those, where it would strip an inline ``<svg>``.
"""

import base64
import html

from ..language import Messages
from ..viz.style import FONT_FAMILY as FONT  # monospace, with fonts of Chinese glyphs to fall back on

WORDS = Messages(en={"error": "Error"}, zh={"error": "出错"})
CURRENT_LINE = "#ffe8f3"  # background of the code line being run (the viz highlight colour, light)


def escape(text):
    return html.escape(str(text), quote=True)


def error_box(message, title=None):
    """A red box with the message, shown inside a widget instead of a traceback."""
    title = WORDS["error"] if title is None else title
    return (
        '<div class="autograd-nb-error" style="border:1px solid #d9534f;background:#fdf2f2;'
        'color:#8a1f1b;padding:6px 10px;margin:4px 0;border-radius:4px;white-space:pre-wrap;'
        f'font-family:{FONT};font-size:12px">'
        f"<b>{escape(title)}</b>\n{escape(message)}</div>"
    )


def error_text(exc):
    """``RuntimeError: message``: the first line of what Python would print for ``exc``."""
    return f"{type(exc).__name__}: {exc}"


def note(text):
    """A grey line of explanation."""
    return f'<div style="color:#555555;font-size:12px;margin:2px 0">{escape(text)}</div>'


def success(text):
    """A green box: a check that passed."""
    return (
        '<div style="border:1px solid #5b7f1f;background:#f3fbe6;color:#2f4a08;padding:4px 10px;'
        f'margin:4px 0;border-radius:4px;font-family:{FONT};font-size:12px;white-space:pre-wrap">'
        f"{escape(text)}</div>"
    )


def preformatted(text):
    """Text in a monospace block, kept as written (``trace`` logs, histories)."""
    return (
        f'<pre style="font-family:{FONT};font-size:12px;line-height:1.35;margin:4px 0;'
        f'padding:6px 8px;background:#f7f7f7;border-radius:4px;white-space:pre-wrap">{escape(text)}</pre>'
    )


def table(header, rows):
    """A small table: ``header`` a list of column titles, ``rows`` lists of cell strings."""
    cell = "padding:2px 10px;border-bottom:1px solid #dddddd;text-align:left"
    head = "".join(f'<th style="{cell}">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td style="{cell}"><code>{escape(c)}</code></td>' for c in row) + "</tr>"
        for row in rows
    )
    return (f'<table style="border-collapse:collapse;font-size:12px;margin:4px 0">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def code_listing(lines, current=(), done=None, title=None):
    """Source lines with line numbers; the lines in ``current`` (0-based) on a coloured background.

    ``done``: how many lines have run (the rest are grey), or None to draw all in black.
    """
    out = []
    if title:
        out.append(f'<div style="font-size:12px;color:#555555">{escape(title)}</div>')
    out.append(f'<div style="font-family:{FONT};font-size:12px;line-height:1.5;'
               'background:#fafafa;border:1px solid #dddddd;border-radius:4px;padding:4px 0">')
    current = set(current)
    for i, line in enumerate(lines):
        colour = "#000000" if done is None or i < done or i in current else "#999999"
        background = f"background:{CURRENT_LINE};" if i in current else ""
        marker = "▶" if i in current else "&nbsp;"
        out.append(
            f'<div style="{background}color:{colour};white-space:pre;padding:0 8px">'
            f'<span style="color:#999999">{marker} {i + 1:>2} </span>{escape(line) or "&nbsp;"}</div>'
        )
    out.append("</div>")
    return "".join(out)


def image(data, mime, alt, width=None, height=None):
    """An ``<img>`` showing ``data`` (bytes) of type ``mime`` through a base64 ``data:`` URI."""
    encoded = base64.b64encode(data).decode("ascii")
    size = ""
    if width is not None and height is not None:
        size = f' width="{int(width)}" height="{int(height)}"'
    return (f'<img src="data:{mime};base64,{encoded}" alt="{escape(alt)}"{size}'
            ' style="max-width:100%;height:auto"/>')


def columns(*parts, widths=None):
    """Pieces of HTML side by side (they wrap below each other on a narrow page).

    ``widths``: per column, a CSS width ("40%"), "content" (as wide as its content, never
    narrower: a code listing), or None (the rest of the row).
    """
    widths = widths or [None] * len(parts)
    cells = []
    for i, (part, width) in enumerate(zip(parts, widths)):
        # each column gives up the 16px gap it leaves, so widths adding up to 100% fit on one row
        if width == "content":
            basis = "flex:0 0 auto;"
        elif width:
            basis = f"flex:0 1 calc({width} - 16px);"
        else:
            basis = "flex:1 1 320px;"
        gap = "margin-right:16px;" if i < len(parts) - 1 else ""
        cells.append(f'<div style="{basis}min-width:0;{gap}">{part}</div>')
    return f'<div style="display:flex;flex-wrap:wrap;align-items:flex-start">{"".join(cells)}</div>'


def numbers(array):
    """Values as PyTorch-like short text: ``[2., 4., 6.]`` (``viz``'s fixed 4-digit format)."""
    from ..viz.model import format_number

    if array is None:
        return "None"
    flat = [format_number(v) for v in array.reshape(-1).tolist()]
    if array.ndim == 0:
        return flat[0]
    if array.ndim == 1:
        return "[" + ", ".join(flat) + "]"
    rows = [numbers(row) for row in array]
    return "[" + ", ".join(rows) + "]"
