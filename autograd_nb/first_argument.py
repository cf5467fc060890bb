"""What PyTorch's functions say when their first argument is not a tensor (``torch.exp(None)``).

A function PyTorch writes in C++ raises a TypeError that names it, "exp(): argument 'input' (position 1)
must be Tensor, not NoneType" (without the position when the tensor was given by keyword, unless a Python
wrapper passed it on by position); one written in Python fails on the first attribute it reads,
"'NoneType' object has no attribute 'size'". ``torch.*`` and ``nn.functional`` wrap their functions with
``checks_first_argument`` so that ours say the same.
"""
import functools
import inspect

from .tensor import Tensor


def checks_first_argument(function, refusal):
    """``function``, refusing a first argument that is not a tensor with ``refusal(given, by_position)``."""
    first = next(iter(inspect.signature(function).parameters))

    @functools.wraps(function)
    def checked(*args, **kwargs):
        given = args[0] if args else kwargs.get(first)
        if not isinstance(given, Tensor):
            raise refusal(given, bool(args))
        return function(*args, **kwargs)
    return checked


def type_error(name, always_by_position=False):
    """The refusal of a C++ function called ``name``."""
    def refusal(given, by_position):
        where = " (position 1)" if by_position or always_by_position else ""
        return TypeError(f"{name}(): argument 'input'{where} must be Tensor, not {type(given).__name__}")
    return refusal


def attribute_error(attribute):
    """The refusal of a Python function whose first read of its argument is ``attribute``."""
    return lambda given, _by_position: AttributeError(f"'{type(given).__name__}' object has no attribute "
                                                      f"'{attribute}'")
