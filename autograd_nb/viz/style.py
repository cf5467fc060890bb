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

The layout, the SVG writer and the matplotlib painter all read this module, so
a picture saved as PNG matches the one shown in the notebook.
"""

# The order in which kinds are listed in legends and summaries.
KINDS = ("output", "function", "accumulate", "leaf", "saved", "nograd")

LEGEND = {
    "output": "tensor with grad_fn",
    "function": "Function node (grad_fn)",
    "accumulate": "AccumulateGrad",
    "leaf": "leaf tensor, requires_grad",
    "saved": "saved for backward",
    "nograd": "tensor without grad",
}

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

# How an edge looks, by what the arrow means (see ``model.py``).
EDGE_STYLE = {
    "grad_fn": {"stroke": "#555555", "dash": None},  # tensor -> its grad_fn
    "next": {"stroke": "#555555", "dash": None},  # node -> node in next_functions
    "variable": {"stroke": "#555555", "dash": None},  # AccumulateGrad -> its leaf
    "saved": {"stroke": "#c27c00", "dash": "5 3"},  # node -> a tensor it saved
}

HIGHLIGHT = {"stroke": "#d6006f", "width": 3.5}
BACKGROUND = "#ffffff"

# Text.  A monospace font makes a label's width predictable from its length.
FONT_FAMILY = "Menlo, Consolas, 'DejaVu Sans Mono', monospace"
FONT_SIZE = 12  # px
CHAR_WIDTH = 7.3  # px per character at FONT_SIZE in a typical monospace font
LINE_HEIGHT = 15  # px

# Boxes and spacing, in px.
PAD_X = 8
PAD_Y = 6
NODE_GAP = 24  # between neighbouring boxes in one layer
DUMMY_GAP = 10  # next to the bend points of long edges
LAYER_GAP = 44  # between layers
MARGIN = 16
ARROW_LENGTH = 8
ARROW_HALF_WIDTH = 4


def box_size(label):
    """Width and height in px of the box that holds ``label`` (lines split at "\\n")."""
    lines = label.split("\n")
    longest = max(len(line) for line in lines)
    width = int(longest * CHAR_WIDTH + 2 * PAD_X + 0.999)
    height = len(lines) * LINE_HEIGHT + 2 * PAD_Y
    return width, height
