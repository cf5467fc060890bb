"""Planned: the graph widgets, clicked in JupyterLab (no tests here yet).

The test to come opens a notebook that shows one of the ``autograd_nb.widgets`` controls, runs
all cells (Run → Run All Cells) and waits for the kernel to go idle and the widget to appear. It
then ticks a checkbox (for example ``requires_grad`` on a leaf) and presses a step button, and
after each click asserts that the graph picture changed: the ``src`` of the widget's
``data:image/svg+xml`` image (or its inline SVG) differs from the one before the click, and the
new image is decoded (``naturalWidth > 0``). It will use the fixtures in ``conftest.py``
(``lab``, ``screenshot``) and take a screenshot before and after the clicks.
"""
