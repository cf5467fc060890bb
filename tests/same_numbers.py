"""Run one program under autograd_nb and under PyTorch with the same random numbers, and compare what it prints.

* ``pytorch_draws_from_autograd_nb(torch)``: inside the block, PyTorch's random functions (``manual_seed``,
  ``randn``, ``rand``, ``randint``, ``randperm``, ``*_like``, ``normal``) and the ``nn.init`` fills that
  layers use to start their weights draw from autograd_nb's numpy generator instead of their own. Run a
  program once with autograd_nb and once with PyTorch inside the block, each after the same
  ``manual_seed``, and both see the same numbers.
* ``printed(fn, *args)``: what ``fn`` prints, as lines, memory addresses blanked.
* ``assert_same_lines(ours, theirs)``: line by line, the text must be equal and the numbers equal to within
  float32 rounding (the last printed digit may differ by one, or the relative difference be below 1e-4).
"""
import contextlib
import io
import math
import re

import autograd_nb as nb

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")
_RANDOM_FUNCTIONS = ("manual_seed", "randn", "rand", "randint", "randperm", "randn_like", "rand_like", "normal")
_INIT_FUNCTIONS = ("uniform_", "normal_", "kaiming_uniform_", "kaiming_normal_", "xavier_uniform_", "xavier_normal_")


def _to_nb(value, torch):
    """A PyTorch dtype or tensor as autograd_nb's; anything else as it is."""
    if isinstance(value, torch.dtype):
        return getattr(nb, str(value).split(".")[1])
    if isinstance(value, torch.Tensor):
        return nb.tensor(value.detach().numpy())
    if isinstance(value, (tuple, list)):
        return type(value)(_to_nb(v, torch) for v in value)
    return value


def _drawn_by_nb(torch, name):
    def draw(*args, requires_grad=False, device=None, generator=None, **kwargs):
        out = getattr(nb, name)(*[_to_nb(a, torch) for a in args], **{k: _to_nb(v, torch) for k, v in kwargs.items()})
        if name == "manual_seed":
            return out
        return torch.tensor(out.numpy(), requires_grad=requires_grad)

    return draw


def _filled_by_nb(torch, name):
    def fill(tensor, *args, generator=None, **kwargs):
        ours = nb.zeros(tuple(tensor.shape), dtype=_to_nb(tensor.dtype, torch))
        getattr(nb.nn.init, name)(ours, *args, **kwargs)
        with torch.no_grad():
            tensor.copy_(torch.tensor(ours.numpy()))
        return tensor

    return fill


@contextlib.contextmanager
def pytorch_draws_from_autograd_nb(torch):
    """PyTorch's random functions and ``nn.init`` fills draw from autograd_nb's generator inside the block."""
    saved = [(torch, name, getattr(torch, name)) for name in _RANDOM_FUNCTIONS]
    saved += [(torch.nn.init, name, getattr(torch.nn.init, name)) for name in _INIT_FUNCTIONS]
    try:
        for name in _RANDOM_FUNCTIONS:
            setattr(torch, name, _drawn_by_nb(torch, name))
        for name in _INIT_FUNCTIONS:
            setattr(torch.nn.init, name, _filled_by_nb(torch, name))
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def printed(fn, *args):
    """The lines ``fn(*args)`` prints, memory addresses blanked."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(*args)
    return blank_addresses(out.getvalue()).splitlines()


def blank_addresses(text):
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", text)


def same_line(ours, theirs):
    """Equal text, and numbers equal to within float32 rounding of what was printed."""
    if _NUMBER.sub("#", ours) != _NUMBER.sub("#", theirs):
        return False
    for a, b in zip(_NUMBER.findall(ours), _NUMBER.findall(theirs)):
        if a == b:
            continue
        x, y = float(a), float(b)
        if math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y):
            return False
        decimals = len(a.split(".")[1].split("e")[0].split("E")[0]) if "." in a else 0
        exponent = int(re.split("[eE]", a)[1]) if re.search("[eE]", a) else 0
        last_digit = 10.0 ** (exponent - decimals)
        if abs(x - y) > max(1.01 * last_digit, 1e-4 * max(abs(x), abs(y))):
            return False
    return True


def assert_same_lines(ours, theirs, what="output"):
    """Line by line, ``same_line``; the first line that differs is shown with its neighbours."""
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert same_line(a, b), (f"{what}, line {i + 1} differs:\n  autograd_nb: {a!r}\n  PyTorch:     {b!r}\n"
                                 + "\n".join(f"    {line}" for line in theirs[max(0, i - 3):i + 2]))
    assert len(ours) == len(theirs), f"{what}: {len(ours)} lines, PyTorch printed {len(theirs)}:\n" + "\n".join(
        (ours if len(ours) > len(theirs) else theirs)[min(len(ours), len(theirs)):])
