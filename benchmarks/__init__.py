"""How fast autograd_nb is, next to PyTorch, next to numpy written by hand, and next to its peers on numpy
(HIPS autograd, mygrad).

Run ``python -m benchmarks`` (or ``--quick``) from the repository root; see ``README.md`` here for
what each benchmark measures and how to read the table. One file per benchmark:

* ``per_op.py``: the Python cost of recording one op and running its backward
* ``mlp.py``: one training step of a 784→256→10 MLP (and the same step in plain numpy)
* ``deep_graph.py``: 10k- and 100k-op chains: time, peak memory, memory released
* ``render.py``: drawing 100- to 2,000-node graphs with ``autograd_nb.viz``
* ``notebooks.py``: the lessons under nbval

``timing.py`` (medians of runs in alternating blocks), ``environment.py`` (the header), ``settings.py`` (sizes
and repeats), ``report.py`` (table, targets, json, plot) and ``run.py`` (the command) hold the rest;
``profiling.py`` profiles the MLP step and the per-op chain.
"""
