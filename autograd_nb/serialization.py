"""``torch.save`` and ``torch.load``: keep a model's weights in a file and read them back.

    torch.save(model.state_dict(), "model.pth")
    model.load_state_dict(torch.load("model.pth", weights_only=True))

The file is a Python pickle in which every tensor is written as its values, its dtype and whether it
requires grad (a Parameter stays a Parameter); its history (``grad_fn``) is not kept, so a loaded tensor
is a leaf, as in PyTorch. The format is autograd_nb's own: PyTorch cannot read these files, nor
autograd_nb PyTorch's.

``weights_only=True`` (the default, as in PyTorch since 2.6) reads only tensors, numbers, strings and
the containers a state dict is made of, so that loading a file from elsewhere cannot run its code; a
file holding anything else is refused with PyTorch's message, and ``weights_only=False`` reads it.
"""
import collections
import io
import os
import pickle

import numpy as np

from . import dtypes
from .tensor import Tensor

__all__ = ["save", "load"]


def _rebuild_tensor(values, dtype_name, shape, requires_grad, parameter):
    """A tensor from what ``save`` wrote: its values (bytes), dtype, shape, requires_grad, and whether it was a
    Parameter."""
    data = np.frombuffer(values, dtype=getattr(dtypes, dtype_name).numpy_dtype).reshape(shape).copy()
    if parameter:
        from .nn.parameter import Parameter  # (nn imports this package's tensor module: imported when needed)

        return Parameter(Tensor(data), requires_grad=requires_grad)
    return Tensor(data, requires_grad=requires_grad)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            from .nn.parameter import Parameter

            return _rebuild_tensor, (np.ascontiguousarray(obj._data).tobytes(), obj.dtype.name, obj._data.shape,
                                     obj.requires_grad, isinstance(obj, Parameter))
        return NotImplemented


def save(obj, f):
    """Write ``obj`` (a state dict, a tensor, or containers of them) to the path or file ``f``."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as file:
            _Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    else:
        _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)


# What a file read with weights_only may name: besides numbers, strings, lists, tuples and dicts (which a
# pickle holds without naming anything), an OrderedDict (a state dict) and tensors.
_SAFE = {("collections", "OrderedDict"): collections.OrderedDict, (__name__, "_rebuild_tensor"): _rebuild_tensor}


class _WeightsUnpickler(pickle.Unpickler):
    """Reads only what a state dict is made of (see ``_SAFE``); anything else is refused."""

    def find_class(self, module, name):
        if (module, name) in _SAFE:
            return _SAFE[(module, name)]
        raise pickle.UnpicklingError(_WEIGHTS_ONLY_MESSAGE.format(what=f"{module}.{name}"))


_WEIGHTS_ONLY_MESSAGE = (
    "Weights only load failed. This file can still be loaded, to do so you have two options, do those steps "
    "only if you trust the source of the checkpoint. \n\t(1) In PyTorch 2.6, we changed the default value of the "
    "`weights_only` argument in `torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` "
    "set to `False` will likely succeed, but it can result in arbitrary code execution. Do it only if you got the "
    "file from a trusted source.\n\t(2) Alternatively, to load with `weights_only=True` please check the "
    "recommended steps in the following error message.\n\tWeightsUnpickler error: Unsupported global: GLOBAL "
    "{what} was not an allowed global by default.")


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Read what ``save`` wrote to the path or file ``f``. ``map_location`` may name the CPU (the only device);
    ``weights_only`` (True unless given False) reads tensors and containers only."""
    if map_location is not None and str(map_location).split(":")[0] != "cpu":
        raise RuntimeError("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is "
                           "False. If you are running on a CPU-only machine, please use torch.load with "
                           "map_location=torch.device('cpu') to map your storages to the CPU.")
    unpickler = _WeightsUnpickler if weights_only is None or weights_only else pickle.Unpickler
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as file:
            f = io.BytesIO(file.read())
    if _written_by_pytorch(f):
        raise RuntimeError("This file was written by PyTorch's torch.save (a zip archive); autograd_nb.load reads "
                           "the files autograd_nb.save writes. Load it with PyTorch and save its state dict again "
                           "with autograd_nb (the values as numpy arrays: {k: v.numpy() for k, v in ...}).")
    return unpickler(f).load()


def _written_by_pytorch(f):
    """PyTorch's torch.save writes a zip archive (it starts with "PK\\x03\\x04"); autograd_nb's a pickle."""
    if not f.seekable():
        return False
    start = f.tell()
    magic = f.read(4)
    f.seek(start)
    return magic == b"PK\x03\x04"
