"""How a drawn autograd graph looks: one table of colours and sizes.

The colour language follows the usual PyTorch graph pictures:

======================  ===============================  =====================
kind                    what it is                       drawn as
======================  ===============================  =====================
``"output"``            a tensor that has a ``grad_fn``  green box
``"function"``          a ``grad_fn`` node, e.g.         light grey, rounded
                        ``MulBackward0``
``"accumulate"``        ``AccumulateGrad``: writes       darker grey, rounded
                        into a leaf's ``.grad``
``"leaf"``              a leaf tensor with               light blue box
                        ``requires_grad=True``
``"saved"``             a tensor a node saved for its    orange box
                        backward (``_saved_self``, ...)
``"nograd"``            a tensor that needs no grad:     white, dashed, grey
                        autograd never sees it           text
======================  ===============================  =====================

The grammar of the picture: the **nodes** of the graph are the Function nodes (rounded
boxes), and its **edges** are the arrows between them (``next_functions``). Tensors are
not nodes: each one is a square-cornered tag beside the node it belongs to (its
``grad_fn``, or the ``AccumulateGrad`` that fills a leaf's ``.grad``), tied to it by a
short dotted line with a dot, never by an arrow.

The layout, the SVG writer and the matplotlib painter all read this module, so
a picture saved as PNG matches the one shown in the notebook. The words they write
come from ``labels.py``.
"""

import unicodedata

from ..language import CJK_FONTS

# The order in which kinds are listed in legends and summaries.
KINDS = ("output", "function", "accumulate", "leaf", "saved", "nograd")


# fill, border, text colour, dash pattern (None = solid), corner radius
NODE_STYLE = {
    "output": {"fill": "#caff70", "stroke": "#5b7f1f", "text": "#000000", "dash": None,
               "radius": 2},
    "function": {"fill": "#d3d3d3", "stroke": "#6e6e6e", "text": "#000000", "dash": None,
                 "radius": 10},
    "accumulate": {"fill": "#a9a9a9", "stroke": "#4d4d4d", "text": "#000000", "dash": None,
                   "radius": 10},
    "leaf": {"fill": "#add8e6", "stroke": "#3f7f99", "text": "#000000", "dash": None,
             "radius": 2},
    "saved": {"fill": "#ffa500", "stroke": "#a86d00", "text": "#000000", "dash": None,
              "radius": 2},
    "nograd": {"fill": "#ffffff", "stroke": "#999999", "text": "#888888", "dash": "4 3",
               "radius": 2},
}

# How an edge looks, by what it means (see ``model.py``). Only "next" edges are arrows; the
# other kinds tie a tensor's tag to its node (a "tether", no arrowhead), in the tag's colour.
EDGE_STYLE = {
    "grad_fn": {"stroke": None, "dash": "2 3"},  # tensor -> its grad_fn
    "next": {"stroke": "#555555", "dash": None},  # node -> node in next_functions
    "variable": {"stroke": None, "dash": "2 3"},  # AccumulateGrad -> its leaf
    "saved": {"stroke": "#c27c00", "dash": "5 3"},  # node -> a tensor it saved
}
ATTACH_KINDS = ("grad_fn", "variable", "saved")  # edges drawn as tethers, not arrows
TETHER_WIDTH = 1.8
TETHER_DOT = 3.0  # radius of the dot where a tether meets its node
TAG_GAP = 22  # between a node and the tags tied to it
TAG_STACK_GAP = 6  # between two tags of one node

# Numbers written on edges (the gradient each one carries) and the rule line in nodes.
GRADIENT_COLOUR = "#b0005a"
RULE_COLOUR = "#3b3b3b"
LABEL_HALO = "#ffffff"  # drawn around edge labels so lines never cut through them

HIGHLIGHT = {"stroke": "#d6006f", "width": 3.5}
BACKGROUND = "#ffffff"

# Text.  A monospace font makes a label's width predictable from its length. Characters the first
# fonts lack (Chinese) come from the fonts with Chinese glyphs named after them, one em wide each.
FONT_FAMILY = ", ".join(["Menlo", "Consolas", "'DejaVu Sans Mono'"] + [f"'{name}'" for name in CJK_FONTS]
                        + ["monospace"])
FONT_SIZE = 12  # px
CHAR_WIDTH = 7.3  # px per character at FONT_SIZE in a typical monospace font
WIDE_CHAR_WIDTH = FONT_SIZE  # px per Chinese character (and full-width punctuation): one em
LINE_HEIGHT = 15  # px

# Boxes and spacing, in px.
PAD_X = 8
PAD_Y = 6
NODE_GAP = 24  # between neighbouring boxes in one layer
DUMMY_GAP = 10  # next to the bend points of long edges
LAYER_GAP = 44  # between layers
LABEL_PAD = 8  # around the rows of edge labels in a gap between layers
MARGIN = 16
ARROW_LENGTH = 8
ARROW_HALF_WIDTH = 4


def text_width(text):
    """Width in px of one line of ``text`` at ``FONT_SIZE``: ``CHAR_WIDTH`` per character, one em
    per wide (Chinese) one."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in ("W", "F"))
    return (len(text) - wide) * CHAR_WIDTH + wide * WIDE_CHAR_WIDTH


def box_size(label):
    """Width and height in px of the box that holds ``label`` (lines split at "\\n")."""
    lines = label.split("\n")
    width = int(max(text_width(line) for line in lines) + 2 * PAD_X + 0.999)
    height = len(lines) * LINE_HEIGHT + 2 * PAD_Y
    return width, height
