"""Random numbers: one seeded generator, as ``torch.manual_seed`` expects.

The numbers come from numpy's PCG64, so they differ from PyTorch's (which uses a Mersenne Twister in its
own way); the *behaviour* is the same: the same seed gives the same tensors, run after run. Unlike
PyTorch, the generator starts from a fixed seed, so a notebook prints the same numbers every time even
before it calls ``manual_seed``.
"""
import numpy as np

from .devices import device as _device

DEFAULT_SEED = 67280421310721  # the constant PyTorch's C++ default generator is built with


_CUDA_GENERATOR = (
    "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into two shared libraries: a "
    "CPU library and a CUDA library; this error has occurred because you are trying to use some CUDA functionality, "
    "but the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA library MUST be "
    "loaded, EVEN IF you don't directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library dependencies if "
    "you don't depend on any of their symbols.  You can check if this has occurred by using ldd on your binary to "
    "see if there is a dependency on *_cuda.so library."
)


class Generator:
    """A source of random numbers with a seed you can set: ``Generator().manual_seed(0)``, then pass it
    as ``generator=`` to ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``nn.init`` and
    ``DataLoader``-style shuffling. PyTorch: ``torch.Generator`` (CPU only here)."""

    def __init__(self, device="cpu"):
        found = _device(device)
        if found.type == "cuda":
            raise RuntimeError(_CUDA_GENERATOR)
        if found.type != "cpu":
            raise RuntimeError(f"{found.type.upper()} device type not an accelerator." if found.type != "mps"
                               else "Cannot execute getNewGenerator() without MPS backend.")
        self.device = found
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed):
        """Restart the sequence from ``seed`` (an int; negative ones wrap around as in PyTorch); returns self."""
        if isinstance(seed, float) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self):
        return self._seed

    def seed(self):
        return self.manual_seed(np.random.SeedSequence().entropy % (2**63))._seed


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator; returns it. PyTorch: ``torch.manual_seed``."""
    return default_generator.manual_seed(int(seed))


def initial_seed():
    return default_generator.initial_seed()


def _rng(generator):
    return (generator or default_generator).rng
