"""Interactive explorers for the lessons, and animations of the same steps.

    from autograd_nb.widgets import requires_grad_explorer
    requires_grad_explorer()          # in a notebook: tick boxes, watch the graph

=================================  ==============================  ======================
explorer (``explorers.py``)        model (plain Python, testable)  what you do with it
=================================  ==============================  ======================
``requires_grad_explorer()``       ``RequiresGradModel``           tick requires_grad per leaf
``graph_builder(program)``         ``ForwardSteps``                step through the forward pass
``backward_stepper(loss)``         ``BackwardReplay``              step through backward
``jacobian_explorer(fn)``          ``JacobianModel``               J, vᵀJ, VJPs vs JVPs
``accumulation_explorer()``        ``AccumulationModel``           backward twice, zero_grad
=================================  ==============================  ======================

Each model turns a state (flags, a frame number, a vector v, a button press) into HTML and
data, with no widgets involved; each explorer is a small ``ipywidgets`` shell that wires its
controls to the model and shows the model's HTML. ``animate_forward`` / ``animate_backward``
(``animate.py``) write the forward builder's and the backward stepper's frames as a GIF.

Importing this package does not import ipywidgets or matplotlib; the explorers and the
animations load them when first called.

Every explorer and animation takes ``language="zh"`` (or follows ``autograd_nb.set_language``):
its buttons, captions and explanations are then Chinese. PyTorch's own messages stay English.
"""

from .accumulation import AccumulationModel
from .backward import BackwardReplay
from .forward import LESSON_SOURCE, ForwardSteps
from .jacobian import BUILTINS, JacobianModel
from .requires_grad import RequiresGradModel, lesson_program

__all__ = [
    "AccumulationModel", "BUILTINS", "BackwardReplay", "ForwardSteps", "JacobianModel",
    "LESSON_SOURCE", "RequiresGradModel", "accumulation_explorer", "animate_backward",
    "animate_forward", "backward_stepper", "graph_builder", "jacobian_explorer", "lesson_program",
    "requires_grad_explorer",
]


def requires_grad_explorer(program=None, flags=None, target=None, language=None):
    """Tick requires_grad per leaf and watch the graph (see ``explorers.requires_grad_explorer``)."""
    from .explorers import requires_grad_explorer as explorer

    return explorer(program, flags, target, language=language)


def graph_builder(program=None, namespace=None, language=None):
    """Step through a program's forward pass (see ``explorers.graph_builder``)."""
    from .explorers import graph_builder as explorer

    return explorer(program, namespace, language=language)


def backward_stepper(loss, params=None, gradient=None, language=None):
    """Step through ``loss.backward()`` (see ``explorers.backward_stepper``)."""
    from .explorers import backward_stepper as explorer

    return explorer(loss, params, gradient, language=language)


def jacobian_explorer(fn=None, n=3, x=None, v=None, language=None):
    """J, vᵀJ and ``y.backward(v)`` side by side (see ``explorers.jacobian_explorer``)."""
    from .explorers import jacobian_explorer as explorer

    return explorer(fn, n, x, v, language=language)


def accumulation_explorer(language=None):
    """backward() twice, retain_graph, zero_grad (see ``explorers.accumulation_explorer``)."""
    from .explorers import accumulation_explorer as explorer

    return explorer(language=language)


def animate_forward(program, path, fps=1, dpi=100, language=None):
    """Write the forward builder's frames to a GIF (see ``animate.animate_forward``)."""
    from .animate import animate_forward as animate

    return animate(program, path, fps, dpi, language=language)


def animate_backward(loss, path, params=None, gradient=None, fps=1, dpi=100, language=None):
    """Write the backward stepper's frames to a GIF (see ``animate.animate_backward``)."""
    from .animate import animate_backward as animate

    return animate(loss, path, params, gradient, fps, dpi, language=language)
