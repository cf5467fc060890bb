"""``autograd_nb.nn``: building blocks for networks."""
from . import functional
