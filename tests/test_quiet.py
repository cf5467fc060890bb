"""``quiet``: inf and nan come out of operations without numpy's warnings, and numpy is left as it was."""
import warnings

import numpy as np
import pytest

import autograd_nb as nb
from autograd_nb import quiet as quiet_module


def test_operations_and_backward_give_inf_and_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning would fail the test
        x = nb.tensor([1000.0, -1.0], requires_grad=True)
        y = x.exp()
        z = x.log()
        (y * y).sum().backward()
    assert np.isinf(y.detach().numpy()[0]) and np.isnan(z.detach().numpy()[1])
    assert np.isinf(x.grad.numpy()[0])


def test_numpy_warns_again_outside_and_after_an_error_inside():
    with pytest.raises(RuntimeError):
        nb.ones(2) @ nb.ones(3)  # fails inside the operation
    assert quiet_module.quiet.depth == 0
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.exp(np.float32(1000.0))


def test_outermost_block_only_changes_numpy_settings():
    q = quiet_module.quiet
    with q:
        with q:
            assert q.depth == 2
            assert np.geterr()["over"] == "ignore"
        assert np.geterr()["over"] == "ignore"
    assert q.depth == 0
    assert np.geterr()["over"] == "warn"


def test_quiet_uses_only_numpys_public_errstate():
    """No private numpy names: the module reaches numpy through ``np.errstate`` alone."""
    import inspect

    source = inspect.getsource(quiet_module)
    assert "np._core" not in source and "_extobj" not in source and "numpy._" not in source
    before = np.geterr()
    with quiet_module.quiet:
        assert set(np.geterr().values()) == {"ignore"}
    assert np.geterr() == before
