"""``autograd_nb.utils.data``: feeding a training loop in batches, as ``torch.utils.data``.

* ``TensorDataset(x, y)``: sample i is ``(x[i], y[i])``;
* ``DataLoader(dataset, batch_size, shuffle, drop_last)``: iterating gives batches, the samples stacked
  along a new first dimension (``collate``).

Unlike PyTorch's, the loader is a plain loop in this process: no worker processes, no pinned memory, no
samplers to plug in. Shuffling draws a permutation from the package's generator (``manual_seed`` repeats
it; a ``generator=`` of your own works too), a new one each time you iterate.
"""
import math

from .. import creation, dtypes
from ..ops import stack
from ..tensor import Tensor


class Dataset:
    """Anything with ``__getitem__(i)`` and ``__len__()`` can be a dataset; this is their common base."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    """Sample i is ``tuple(t[i] for t in tensors)``: the tensors share their first dimension."""

    def __init__(self, *tensors):
        if any(t.size(0) != tensors[0].size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].size(0)


def collate(samples):
    """A batch from a list of samples, taken apart the way the samples are built: tensors are stacked, Python
    numbers become a tensor, tuples and lists are collated position by position (a list), dicts key by key."""
    first = samples[0]
    if isinstance(first, Tensor):
        return stack(samples)
    if isinstance(first, bool):
        return creation.tensor(samples, dtype=dtypes.bool_)
    if isinstance(first, int):
        return creation.tensor(samples, dtype=dtypes.int64)
    if isinstance(first, float):
        return creation.tensor(samples, dtype=dtypes.float64)  # (a Python float is a double, as in PyTorch)
    if isinstance(first, dict):
        return {key: collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        return [collate(list(column)) for column in zip(*samples)]
    return samples


class DataLoader:
    """Batches of ``batch_size`` samples of ``dataset`` (the last one smaller unless ``drop_last``), in order or
    shuffled. ``batch_size=None``: the samples one by one, not collated. A plain loop (see the module's docstring)."""

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, generator=None, collate_fn=None):
        if batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                                       or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator
        self.collate_fn = collate if collate_fn is None else collate_fn

    def _order(self):
        n = len(self.dataset)
        if self.shuffle:
            return creation.randperm(n, generator=self.generator).tolist()
        return list(range(n))

    def __iter__(self):
        order = self._order()
        if self.batch_size is None:
            for i in order:  # (a tuple sample comes as a list, as PyTorch's default_convert gives it)
                sample = self.dataset[i]
                yield list(sample) if type(sample) is tuple else sample
            return
        for start in range(0, len(order), self.batch_size):
            indices = order[start:start + self.batch_size]
            if len(indices) < self.batch_size and self.drop_last:
                return
            yield self.collate_fn([self.dataset[i] for i in indices])

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
