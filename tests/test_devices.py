"""Devices, the default device and dtype, and the dtype aliases, against PyTorch's CPU build."""
import copy
import pickle

import numpy as np
import pytest

import autograd_nb as nb


def error_of(fn):
    """(type name, message) of the exception ``fn()`` raises."""
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value).__name__, str(info.value)


# ---------------------------------------------------------------------------------------- torch.device
DEVICE_ARGS = [("cpu",), ("cpu:0",), ("cpu", 0), ("cpu", 3), ("cuda",), ("cuda:1",), ("cuda", 0), ("mps",),
               ("meta",), ("xpu:2",), ("cuda", None)]


@pytest.mark.parametrize("args", DEVICE_ARGS)
def test_device_matches_pytorch(torch, args):
    ours, theirs = nb.device(*args), torch.device(*args)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert repr(nb.device(ours)) == repr(ours) and nb.device(ours) == ours
    assert pickle.loads(pickle.dumps(ours)) == ours and copy.deepcopy(ours) == ours


def test_device_equality_and_hash(torch):
    for lib in (nb, torch):
        cpu, cpu0 = lib.device("cpu"), lib.device("cpu", 0)
        assert cpu == lib.device("cpu") and hash(cpu) == hash(lib.device("cpu"))
        assert cpu != cpu0 and cpu0 == lib.device("cpu:0")
        assert cpu != "cpu" and not (cpu == "cpu")  # a device is not equal to its string
        assert {cpu: 1}[lib.device("cpu")] == 1
        assert lib.device(type="cpu", index=0) == cpu0


@pytest.mark.parametrize("args", [
    ("gpu",), ("CPU",), ("",), ("cpu:x",), ("cpu:-1",), ("cpu:01",), ("cuda:0:1",), ("cuda:",),
    ("cpu", -1), ("cpu", "0"), ("cpu", True), ("cpu", 1.5), ("cpu:0", 0), (0,), (1.5,), (None,), ([],),
])
def test_device_errors_match_pytorch(torch, args):
    assert error_of(lambda: nb.device(*args)) == error_of(lambda: torch.device(*args))


def test_cuda_and_backends_answer_as_pytorch_cpu(torch):
    for name in ("is_available", "device_count", "is_initialized", "is_bf16_supported", "memory_allocated"):
        assert getattr(nb.cuda, name)() == getattr(torch.cuda, name)(), name
    assert nb.cuda.is_available() is False and nb.cuda.device_count() == 0
    for name in ("manual_seed", "manual_seed_all"):
        assert getattr(nb.cuda, name)(0) is None and getattr(torch.cuda, name)(0) is None
    for name in ("current_device", "get_device_name", "synchronize"):
        assert error_of(getattr(nb.cuda, name)) == error_of(getattr(torch.cuda, name)), name
    assert nb.backends.mps.is_available() is torch.backends.mps.is_available() is False
    assert nb.backends.mps.is_built() is torch.backends.mps.is_built()
    assert nb.backends.cudnn.is_available() is torch.backends.cudnn.is_available()
    for flag in ("enabled", "deterministic", "benchmark"):
        assert getattr(nb.backends.cudnn, flag) == getattr(torch.backends.cudnn, flag)


def test_the_tutorial_device_line_picks_the_cpu():
    torch = nb
    device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    x = torch.ones(2, 3, device=device)
    model = torch.nn.Linear(3, 1).to(device)
    assert model(x).shape == (2, 1)


# ---------------------------------------------------------------------------------------- device= on creation
CREATORS = {
    "zeros": lambda lib, d: lib.zeros(2, device=d),
    "ones": lambda lib, d: lib.ones(2, 3, device=d),
    "empty": lambda lib, d: lib.empty(2, device=d),
    "full": lambda lib, d: lib.full((2,), 1.0, device=d),
    "eye": lambda lib, d: lib.eye(2, device=d),
    "arange": lambda lib, d: lib.arange(3, device=d),
    "linspace": lambda lib, d: lib.linspace(0, 1, 3, device=d),
    "rand": lambda lib, d: lib.rand(2, device=d),
    "randn": lambda lib, d: lib.randn(2, device=d),
    "randint": lambda lib, d: lib.randint(3, (2,), device=d),
    "randperm": lambda lib, d: lib.randperm(3, device=d),
    "normal": lambda lib, d: lib.normal(0.0, 1.0, (2,), device=d),
    "tensor": lambda lib, d: lib.tensor([1.0], device=d),
    "as_tensor": lambda lib, d: lib.as_tensor([1.0], device=d),
    "zeros_like": lambda lib, d: lib.zeros_like(lib.ones(2), device=d),
    "ones_like": lambda lib, d: lib.ones_like(lib.ones(2), device=d),
    "full_like": lambda lib, d: lib.full_like(lib.ones(2), 2.0, device=d),
    "rand_like": lambda lib, d: lib.rand_like(lib.ones(2), device=d),
    "randn_like": lambda lib, d: lib.randn_like(lib.ones(2), device=d),
    "empty_like": lambda lib, d: lib.empty_like(lib.ones(2), device=d),
    "Linear": lambda lib, d: lib.nn.Linear(2, 2, device=d).weight,
}


@pytest.mark.parametrize("name", list(CREATORS))
def test_cpu_devices_are_accepted(torch, name):
    make = CREATORS[name]
    for d in ("cpu", "cpu:0", None):
        ours, theirs = make(nb, d if d is None else nb.device(d)), make(torch, d)
        assert ours.shape == theirs.shape and repr(ours.dtype) == repr(theirs.dtype)
        assert make(nb, d).shape == theirs.shape  # a string works as well as a device


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "xpu", "mps", "mps:0", "hip", "xla", "ve", "vulkan", 0, "gpu"])
@pytest.mark.parametrize("name", ["zeros", "rand", "randint", "tensor", "as_tensor", "zeros_like", "full_like",
                                  "Linear"])
def test_other_devices_raise_as_pytorch_cpu(torch, name, device):
    make = CREATORS[name]
    ours_type, ours_message = error_of(lambda: make(nb, device))
    theirs_type, theirs_message = error_of(lambda: make(torch, device))
    assert ours_type == theirs_type
    # PyTorch's "Could not run ..." goes on with the list of its C++ backends and their source files
    assert theirs_message.startswith(ours_message) and len(ours_message) > 20


def test_device_of_a_wrong_type_and_meta(torch):
    assert error_of(lambda: nb.zeros(2, device=1.5)) == error_of(lambda: torch.zeros(2, device=1.5))
    assert error_of(lambda: nb.zeros(2, device="meta")) == (
        "NotImplementedError", "autograd_nb keeps every tensor in numpy on the CPU: device type 'meta' is not supported")


def test_generator_devices(torch):
    assert repr(nb.Generator().device) == repr(torch.Generator().device) == "device(type='cpu')"
    assert repr(nb.Generator(device="cpu").device) == repr(torch.Generator(device="cpu").device)
    for d in ("cuda", "mps", "meta"):
        assert error_of(lambda: nb.Generator(device=d)) == error_of(lambda: torch.Generator(device=d))


# ---------------------------------------------------------------------------------------- default device
@pytest.fixture
def restore_defaults(torch):
    yield
    nb.set_default_device(None)
    torch.set_default_device(None)
    nb.set_default_dtype(nb.float32)
    torch.set_default_dtype(torch.float32)


def test_set_default_device(torch, restore_defaults):
    assert repr(nb.get_default_device()) == repr(torch.get_default_device()) == "device(type='cpu')"
    for lib in (nb, torch):
        lib.set_default_device("cpu:0")
    assert repr(nb.get_default_device()) == repr(torch.get_default_device())
    assert nb.zeros(2).shape == (2,)
    for d in ("cuda", "mps"):  # accepted, as by PyTorch's CPU build; making a tensor there fails
        for lib in (nb, torch):
            lib.set_default_device(d)
        assert nb.get_default_device() == nb.device(d)  # (PyTorch's asks the missing GPU for its index)
        for make in (lambda lib: lib.zeros(2), lambda lib: lib.tensor([1.0]), lambda lib: lib.randn(3)):
            ours, theirs = error_of(lambda: make(nb)), error_of(lambda: make(torch))
            assert ours[0] == theirs[0] and theirs[1].startswith(ours[1])
        # *_like functions follow their input's device, not the default one
        assert nb.zeros_like(nb.Tensor(np.ones(2))).shape == (2,)
    for lib in (nb, torch):
        lib.set_default_device(None)
    assert nb.get_default_device() == nb.device("cpu")
    assert error_of(lambda: nb.set_default_device("gpu")) == error_of(lambda: torch.set_default_device("gpu"))


def test_device_as_context_manager(torch, restore_defaults):
    for lib in (nb, torch):
        with lib.device("cuda"):
            if lib is nb:  # (PyTorch's asks the missing GPU for its index)
                assert lib.get_default_device().type == "cuda"
            with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
                lib.ones(1)
        assert lib.get_default_device().type == "cpu"
        assert lib.ones(1).shape == (1,)


# ---------------------------------------------------------------------------------------- default dtype
def test_default_dtype_changes_what_floats_become(torch, restore_defaults):
    def made(lib):
        return [lib.tensor([1.5]), lib.tensor(2.5), lib.tensor([]), lib.zeros(2), lib.ones(1), lib.empty(1),
                lib.rand(2), lib.randn(2), lib.full((2,), 1.5), lib.eye(2), lib.arange(3.0), lib.linspace(0, 1, 3),
                lib.normal(0.0, 1.0, (2,)), lib.tensor([1, 2]) * 1.5, lib.tensor([1, 2]) + 0.5,
                lib.as_tensor([1.0]), lib.nn.Linear(2, 2).weight, lib.tensor([True]), lib.arange(3),
                lib.full((2,), 3), lib.tensor(np.ones(2, np.float32)), lib.tensor([1.0], dtype=lib.float32)]

    assert nb.get_default_dtype() is nb.float32 and repr(torch.get_default_dtype()) == "torch.float32"
    for lib in (nb, torch):
        lib.set_default_dtype(lib.float64)
    assert nb.get_default_dtype() is nb.float64
    ours, theirs = made(nb), made(torch)
    assert [repr(t.dtype) for t in ours] == [repr(t.dtype) for t in theirs]
    random_ones = {5, 6, 7, 12, 16}  # (empty, rand, randn, normal, Linear's weight)
    assert [repr(t) for i, t in enumerate(ours) if i not in random_ones] == [
        repr(t) for i, t in enumerate(theirs) if i not in random_ones]  # dtype= shown for float32 now
    for lib in (nb, torch):
        lib.set_default_dtype(lib.float32)
    assert [repr(t.dtype) for t in made(nb)] == [repr(t.dtype) for t in made(torch)]


@pytest.mark.parametrize("name", ["int64", "bool", "float32", "float64"])
def test_set_default_dtype_errors(torch, restore_defaults, name):
    if name.startswith("float"):
        nb.set_default_dtype(getattr(nb, name))
        torch.set_default_dtype(getattr(torch, name))
        assert repr(nb.get_default_dtype()) == repr(torch.get_default_dtype())
    else:
        ours = error_of(lambda: nb.set_default_dtype(getattr(nb, name.rstrip("_"))))
        assert ours == error_of(lambda: torch.set_default_dtype(getattr(torch, name)))
    assert error_of(lambda: nb.set_default_dtype("float64")) == error_of(lambda: torch.set_default_dtype("float64"))


# ---------------------------------------------------------------------------------------- dtype aliases
def test_dtype_aliases_match_pytorch(torch):
    for name in ("float", "double", "long", "int", "half", "float16", "int32", "float32", "float64", "int64", "bool"):
        ours, theirs = getattr(nb, name), getattr(torch, name)
        assert repr(ours) == repr(theirs) == str(theirs), name
        assert (ours.is_floating_point, ours.is_complex, ours.is_signed, ours.itemsize) == (
            theirs.is_floating_point, theirs.is_complex, theirs.is_signed, theirs.itemsize), name
        assert pickle.loads(pickle.dumps(ours)) is ours
    assert nb.float is nb.float32 and nb.double is nb.float64 and nb.long is nb.int64
    assert nb.int is nb.int32 and nb.half is nb.float16


@pytest.mark.parametrize("make", [
    lambda lib, dt: lib.zeros(2, dtype=dt),
    lambda lib, dt: lib.tensor([1, 2], dtype=dt),
    lambda lib, dt: lib.arange(3, dtype=dt),
    lambda lib, dt: lib.ones_like(lib.ones(2), dtype=dt),
    lambda lib, dt: lib.randint(3, (2,), dtype=dt),
    lambda lib, dt: lib.nn.Linear(2, 2, dtype=dt),
    lambda lib, dt: lib.as_tensor([1.0], dtype=dt),
    lambda lib, dt: lib.full((2,), 1, dtype=dt),
])
@pytest.mark.parametrize("name", ["int32", "float16"])
def test_int32_and_half_are_names_only(make, name):
    with pytest.raises(TypeError) as info:
        make(nb, getattr(nb, name))
    instead = "torch.int64 (torch.long)" if name == "int32" else "torch.float32 (torch.float)"
    assert str(info.value) == (f"autograd_nb has no torch.{name} tensors (it stores float32, float64, int64 and "
                               f"bool): use {instead} instead")
    assert nb.get_default_dtype() is nb.float32


def test_module_to_int32_and_half(torch):
    # int32 is not floating: PyTorch's error; float16 PyTorch takes, but no tensor here holds it
    assert error_of(lambda: nb.nn.Linear(2, 2).to(nb.int32)) == error_of(lambda: torch.nn.Linear(2, 2).to(torch.int))
    assert error_of(lambda: nb.nn.Linear(2, 2).to(nb.half)) == (
        "TypeError", "autograd_nb has no torch.float16 tensors (it stores float32, float64, int64 and bool): use "
                     "torch.float32 (torch.float) instead")


@pytest.mark.parametrize("call", [
    lambda lib, m: m.to("cpu"), lambda lib, m: m.to(lib.device("cpu", 0)), lambda lib, m: m.to("cpu", lib.float64),
    lambda lib, m: m.to(device="cpu", dtype=lib.float64), lambda lib, m: m.to(lib.ones(1, dtype=lib.float64)),
    lambda lib, m: m.to(), lambda lib, m: m.cpu(), lambda lib, m: m.to("cuda"), lambda lib, m: m.to("mps"),
    lambda lib, m: m.to("mps:0"), lambda lib, m: m.cuda(), lambda lib, m: m.to(lib.int64),
])
def test_module_to_devices_and_dtypes(torch, call):
    ours, theirs = nb.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    try:
        theirs_result = call(torch, theirs)
    except Exception:
        ours_error, theirs_error = error_of(lambda: call(nb, ours)), error_of(lambda: call(torch, theirs))
        assert ours_error[0] == theirs_error[0] and theirs_error[1].startswith(ours_error[1])
    else:
        assert call(nb, ours) is ours and theirs_result is theirs
        assert repr(ours.weight.dtype) == repr(theirs.weight.dtype)


def test_default_dtype_int32_and_half(torch, restore_defaults):
    # int32 is not floating: PyTorch's error; float16 PyTorch would take, but no tensor here holds it
    assert error_of(lambda: nb.set_default_dtype(nb.int32)) == error_of(lambda: torch.set_default_dtype(torch.int32))
    assert error_of(lambda: nb.set_default_dtype(nb.half))[0] == "TypeError"
    assert nb.get_default_dtype() is nb.float32


def test_python_types_as_dtypes(torch):
    for py in (float, int, bool):
        assert repr(nb.zeros(2, dtype=py).dtype) == repr(torch.zeros(2, dtype=py).dtype)
    assert error_of(lambda: nb.zeros(2, dtype="float32")) == error_of(lambda: torch.zeros(2, dtype="float32"))
