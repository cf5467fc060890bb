"""``autograd_nb.optim``: update rules that use the gradients backward computed.

* ``optimizer.py``: ``Optimizer``, the shared part (parameter groups, state, ``zero_grad``)
* ``sgd.py``: ``SGD`` (plain, momentum, Nesterov, weight decay)
* ``adam.py``: ``Adam`` (bias-corrected moving averages; AMSGrad; AdamW-style decoupled decay), ``AdamW``
* ``rmsprop.py``: ``RMSprop``; ``adagrad.py``: ``Adagrad``
* ``lr_scheduler.py``: ``StepLR``, ``ExponentialLR``: change the learning rate as training goes
"""
from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
