"""``autograd_nb.optim``: update rules that use the gradients backward computed.

* ``optimizer.py``: ``Optimizer``, the shared part (parameter groups, state, ``zero_grad``)
* ``sgd.py``: ``SGD`` (plain, momentum, Nesterov, weight decay)
* ``adam.py``: ``Adam`` (bias-corrected moving averages; AMSGrad; AdamW-style decoupled decay)
"""
from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD
