"""Random numbers: one seeded generator, as ``torch.manual_seed`` expects.

The numbers come from numpy's PCG64, so they differ from PyTorch's (which uses a Mersenne Twister in its
own way); the *behaviour* is the same: the same seed gives the same tensors, run after run. Unlike
PyTorch, the generator starts from a fixed seed, so a notebook prints the same numbers every time even
before it calls ``manual_seed``.
"""
import numpy as np

DEFAULT_SEED = 67280421310721  # the constant PyTorch's C++ default generator is built with


class Generator:
    """A source of random numbers with a seed you can set."""

    def __init__(self, seed=DEFAULT_SEED):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self):
        return self._seed

    def seed(self):
        return self.manual_seed(np.random.SeedSequence().entropy % (2**63))._seed


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def _rng(generator):
    return (generator or default_generator).rng
