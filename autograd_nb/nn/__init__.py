"""``autograd_nb.nn``: building blocks for networks.

* ``parameter.py``: ``Parameter``, a leaf tensor that modules register as a weight
* ``modules.py``: ``Module`` (the bookkeeping: parameters, buffers, sub-modules, hooks) and the layers
  ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid``, ``LeakyReLU``, ``ELU``, ``SiLU``, ``Softplus``,
  ``GELU``, and the losses ``MSELoss``,
  ``CrossEntropyLoss``
* ``container.py``: ``ModuleList``, ``ModuleDict``
* ``layers.py``: ``Identity``, ``Flatten``, ``Dropout``, ``BatchNorm1d``, ``Softmax``, ``LogSoftmax``
* ``loss.py``: ``L1Loss``, ``NLLLoss``, ``BCELoss``, ``BCEWithLogitsLoss``
* ``backward_hooks.py``: how ``register_full_backward_hook`` sees a module's gradients
* ``init.py``: the starting values of weights (``kaiming_uniform_``, ``xavier_uniform_``, ...)
* ``functional.py``: the same operations as plain functions (``F.relu``, ``F.cross_entropy``, ...)
* ``utils.py``: gradient clipping (``clip_grad_norm_``, ``clip_grad_value_``)
"""
from . import functional, init, utils
from .container import ModuleDict, ModuleList
from .layers import BatchNorm1d, Dropout, Flatten, Identity, LogSoftmax, Softmax
from .loss import BCELoss, BCEWithLogitsLoss, L1Loss, NLLLoss
from .modules import (CrossEntropyLoss, ELU, GELU, LeakyReLU, Linear, Module, MSELoss, ReLU, Sequential, Sigmoid, SiLU,
                      Softplus, Tanh)
from .parameter import Parameter
