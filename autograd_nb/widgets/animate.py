"""Animations for slides and web pages: the forward builder and the backward stepper as GIFs.

    animate_forward(LESSON_SOURCE, "forward.gif")            # one frame per statement (+ the start)
    animate_backward(loss, "backward.gif", params={"x": x})   # one frame per engine step

Each frame is the matplotlib picture of the graph (``viz.Graph.plot``, the same drawing as the
SVG in the notebook) under a caption line, painted into one figure by ``FuncAnimation`` and
written by ``PillowWriter``. A ``.mp4`` path uses ffmpeg, if it is installed.

The frames keep one scale: the figure is as large as the largest frame's graph, and each
graph is drawn at the top, centred, at the same size per layout unit, so boxes do not jump in
size from frame to frame. Nothing random or dated goes in: the same input writes the same file.
"""

import os

from ..language import matplotlib_family, with_language
from ..viz import style
from ..viz.mpl import figure_size
from ..viz.svg import card_size, page
from .backward import BackwardReplay
from .forward import WORDS as FORWARD_WORDS
from .forward import ForwardSteps

__all__ = ["animate_forward", "animate_backward", "write_animation"]

CAPTION_HEIGHT = 44  # layout units (points) above the graph for the caption
MIN_WIDTH = 480  # so a caption fits even beside a tiny graph
DPI = 100


@with_language
def animate_forward(program, path, fps=1, dpi=DPI):
    """Write an animation of ``graph_builder(program)``: frame 0 empty, then one per statement.

    ``program``: source text (None for the lesson's program). Returns the number of frames.
    """
    steps = ForwardSteps(program)
    frames = []
    for i in range(len(steps)):
        frame = steps.frame(i)
        if frame["error"]:
            detail = frame["error"]
        else:
            detail = FORWARD_WORDS["new_short"] + ", ".join(frame["new"]) if frame["new"] else ""
        frames.append((frame["graph"], [frame["caption"], detail], bool(frame["error"])))
    return write_animation(frames, path, fps, dpi)


@with_language
def animate_backward(loss, path, params=None, gradient=None, fps=1, dpi=DPI):
    """Write an animation of ``backward_stepper(loss, params)``: one frame per trace event.

    Records the pass as the stepper does (``retain_graph=True``, ``.grad`` put back after).
    Raises the engine's RuntimeError if backward cannot run. Returns the number of frames.
    """
    replay = BackwardReplay.record(loss, params, gradient)
    if replay.error is not None:
        raise RuntimeError(replay.error)
    frames = [(replay.frame(i)["graph"], [replay.caption(i), replay.detail(i)], False)
              for i in range(len(replay))]
    return write_animation(frames, path, fps, dpi)


def write_animation(frames, path, fps=1, dpi=DPI):
    """Write ``frames`` to ``path``: a list of ``(viz.Graph or None, [caption, detail], failed)``;
    the detail line is grey, or red when ``failed``.

    ``.gif``: Pillow; ``.mp4``: ffmpeg (a RuntimeError says so when it is missing).
    """
    from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter, writers
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    extension = os.path.splitext(str(path))[1].lower()
    if extension == ".gif":
        writer = PillowWriter(fps=fps)
    elif extension == ".mp4":
        if not writers.is_available("ffmpeg"):
            raise RuntimeError("writing .mp4 needs ffmpeg on the PATH; write a .gif instead")
        writer = FFMpegWriter(fps=fps, metadata={"encoder": ""})
    else:
        raise ValueError(f"can write .gif or .mp4, not {extension or str(path)!r}")
    if not frames:
        raise ValueError("no frames to write")

    sizes = [_size(graph) for graph, _, _ in frames]
    width = max([MIN_WIDTH] + [w for w, _ in sizes])
    graph_height = max(h for _, h in sizes)
    height = graph_height + CAPTION_HEIGHT
    figure = Figure(figsize=figure_size(width, height), facecolor=style.BACKGROUND)
    FigureCanvasAgg(figure)
    chars = int(width / (0.6 * style.FONT_SIZE))  # what fits on a caption line (monospace)
    mono = matplotlib_family("monospace")  # with a font of Chinese glyphs to fall back on

    def paint(i):
        figure.clear()
        graph, lines, failed = frames[i]
        colours = ["#000000", "#a94442" if failed else "#555555"]
        for k, line in enumerate(lines[:2]):
            text = line if len(line) <= chars else line[: chars - 1] + "…"
            figure.text(style.MARGIN / width, 1 - (14 + 16 * k) / height, text,
                        fontsize=style.FONT_SIZE - k, family=mono, va="baseline",
                        color=colours[k])
        w, h = sizes[i]
        if graph is None:
            figure.text(0.5, 1 - (CAPTION_HEIGHT + 30) / height, FORWARD_WORDS["no_tensors"],
                        ha="center", fontsize=style.FONT_SIZE, family=mono, color="#888888")
            return []
        ax = figure.add_axes(((width - w) / 2 / width, (graph_height - h) / height,
                              w / width, h / height))
        graph.plot(ax)
        return []

    animation = FuncAnimation(figure, paint, frames=len(frames), interval=1000 / fps, blit=False,
                              repeat=False, cache_frame_data=False)
    animation.save(str(path), writer=writer, dpi=dpi)
    return len(frames)


def _size(graph):
    """Width and height (layout units) of a graph's picture; a small blank for None."""
    if graph is None:
        return MIN_WIDTH, 80
    if graph.collapsed:
        from ..viz.text import card_lines

        return card_size(card_lines(graph.nx, graph.max_nodes))
    sheet = page(graph.layout())
    return sheet["width"], sheet["height"]
