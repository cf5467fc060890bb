"""``autograd_nb.nn``: building blocks for networks.

* ``parameter.py``: ``Parameter``, a leaf tensor that modules register as a weight
* ``modules.py``: ``Module`` (the bookkeeping) and the layers ``Linear``, ``Sequential``, ``ReLU``,
  ``Tanh``, ``Sigmoid``, and the losses ``MSELoss``, ``CrossEntropyLoss``
* ``init.py``: the starting values of weights (``kaiming_uniform_``, ``xavier_uniform_``, ...)
* ``functional.py``: the same operations as plain functions (``F.relu``, ``F.cross_entropy``, ...)
"""
from . import functional, init
from .modules import CrossEntropyLoss, Linear, Module, MSELoss, ReLU, Sequential, Sigmoid, Tanh
from .parameter import Parameter
