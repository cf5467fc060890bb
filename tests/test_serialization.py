"""torch.save / torch.load: a model's weights to a file and back, as the tutorials' "save and load" step does."""
import io
import pickle

import numpy as np
import pytest

import autograd_nb as nb


def test_a_state_dict_goes_to_a_file_and_back_into_a_new_model(tmp_path):
    nb.manual_seed(0)
    model = nb.nn.Sequential(nb.nn.Linear(3, 4), nb.nn.Tanh(), nb.nn.Linear(4, 2))
    path = tmp_path / "model.pth"
    nb.save(model.state_dict(), path)
    other = nb.nn.Sequential(nb.nn.Linear(3, 4), nb.nn.Tanh(), nb.nn.Linear(4, 2))
    assert repr(other.load_state_dict(nb.load(path, weights_only=True))) == "<All keys matched successfully>"
    x = nb.randn(5, 3)
    np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())
    loaded = nb.load(str(path))
    assert list(loaded) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(type(t) is nb.Tensor and t.is_leaf and not t.requires_grad for t in loaded.values())


def test_tensors_keep_values_dtype_and_requires_grad_but_not_their_history():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    buffer = io.BytesIO()
    nb.save({"x": x, "y": x * 2, "i": nb.tensor([3, 4]), "p": nb.nn.Parameter(nb.ones(2)), "n": 3,
             "l": [1.5, "a"]}, buffer)
    buffer.seek(0)
    d = nb.load(buffer)
    assert d["y"].requires_grad and d["y"].is_leaf and d["y"].grad_fn is None  # as PyTorch loads it
    assert d["y"].tolist() == [2.0, 4.0]
    assert d["i"].dtype is nb.int64 and not d["i"].requires_grad
    assert type(d["p"]).__name__ == "Parameter" and d["p"].requires_grad
    assert (d["n"], d["l"]) == (3, [1.5, "a"])
    d["x"].data.add_(1)  # a copy: the saved tensor is not the loaded one
    assert x.tolist() == [1.0, 2.0]


class _NotAWeight:
    pass


def test_weights_only_refuses_anything_else_with_pytorchs_message():
    buffer = io.BytesIO()
    nb.save({"a": _NotAWeight()}, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError, match=r"(?s)^Weights only load failed\. .*Unsupported global: GLOBAL "
                                                     r"tests\.test_serialization\._NotAWeight was not an allowed"):
        nb.load(buffer)
    buffer.seek(0)
    assert isinstance(nb.load(buffer, weights_only=False)["a"], _NotAWeight)


def test_map_location_may_only_name_the_cpu():
    buffer = io.BytesIO()
    nb.save({"w": nb.ones(2)}, buffer)
    for where in ("cpu", nb.device("cpu")):
        buffer.seek(0)
        assert nb.load(buffer, map_location=where)["w"].tolist() == [1.0, 1.0]
    buffer.seek(0)
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device but "
                                           r"torch.cuda.is_available\(\) is False"):
        nb.load(buffer, map_location="cuda:0")


def test_a_missing_file_is_pythons_error():
    with pytest.raises(FileNotFoundError):
        nb.load("/nonexistent/model.pth")


def test_a_file_pytorch_wrote_is_refused_with_a_message_that_says_so(torch):
    buffer = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buffer)
    buffer.seek(0)
    with pytest.raises(RuntimeError, match=r"written by PyTorch's torch.save \(a zip archive\)"):
        nb.load(buffer)
