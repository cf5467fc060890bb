"""The Tensor methods and torch functions tutorials reach for, each a one-line program compared with PyTorch
(``run_program``: the repr of ``r`` or the error, and the warnings): where a tensor lives and how it moves
(``device``, ``to``, ``cpu``, ``cuda``, ``type``), ``new_*``, the default float dtype in ops that make floats
from integers, and the names, views and messages of norm, std/var, prod, cumsum, masked_fill, gather,
split/chunk, maximum/minimum, allclose/isclose/equal. Values and gradients of these ops are checked by
hypothesis in test_ops.py."""
import pytest

import autograd_nb as nb
from tests.oracle import run_program

DEVICES = [
    'x = torch.ones(2); r = (x.device, str(x.device), x.is_cuda, x.is_cpu, x.get_device())',
    'x = torch.ones(2); r = (x.cpu() is x, x.to("cpu") is x, x.to(torch.device("cpu")) is x, x.to(x) is x)',
    'x = torch.ones(2); r = (x.to("cpu", copy=True) is x, x.to(torch.float32, copy=True) is x)',
    'x = torch.ones(2, requires_grad=True); r = (x.to("cpu", copy=True), x.to(torch.float64), x.to(None) is x)',
    'x = torch.ones(2); r = (x.to("cpu", torch.float64), x.to(device="cpu", dtype=torch.int64), x.to(float))',
    'x = torch.ones(2); r = (x.to(torch.float64, True, True), x.to("cpu", torch.float64, False, True))',
    'x = torch.ones(2); r = x.to(torch.tensor([1]), non_blocking=True)',
    'r = torch.ones(2).cuda()',
    'r = torch.ones(2).cuda(0)',
    'r = torch.ones(2).to("cuda")',
    'r = torch.ones(2).to("cuda:1", torch.float64)',
    'r = torch.ones(2).to(torch.device("cuda", 0))',
    'r = torch.ones(2).to(device="cuda")',
    'r = torch.ones(2).to("mps")',
    'r = torch.ones(2).to(3)',
    'r = torch.ones(2).to("gpu")',
    'r = torch.ones(2).to(torch.float64, torch.float32)',
    'r = torch.ones(2).to("cpu", "float64")',
    'r = torch.ones(2).to(dtype="float64")',
    'r = torch.ones(2).to(foo=1)',
    'r = torch.ones(2).to(torch.float64, dtype=torch.float32)',
    'r = torch.ones(2).to("cpu", non_blocking=1)',
    'r = torch.ones(2).to(torch.ones(1), torch.float64)',
    'device = "cuda" if torch.cuda.is_available() else "cpu"; r = torch.ones(2).to(device).device',
    'x = torch.ones(2); r = (x.type(), torch.tensor([1]).type(), torch.tensor([True]).type())',
    'x = torch.ones(2, requires_grad=True); r = (x.type(torch.float64), x.type("torch.DoubleTensor"), x.type(torch.float32) is x)',
    'r = torch.ones(2).type(dtype=torch.int64)',
    'r = torch.ones(2).type("torch.float64")',
    'r = torch.ones(2).type(float)',
    'r = torch.ones(2).type(3)',
    'r = torch.ones(2).type("torch.cuda.FloatTensor")',
    'x = torch.ones(2, 3); r = (torch.tensor([1, 2]).type_as(x), x.view_as(torch.zeros(3, 2)), torch.ones(3).expand_as(x))',
]

NEW_TENSORS = [
    'x = torch.ones(2, dtype=torch.float64); r = (x.new_zeros(2, 3), x.new_ones((2,)), x.new_zeros(size=(1, 2)))',
    'x = torch.arange(3); r = (x.new_full((2,), 7), x.new_empty(2).shape, x.new_tensor([1.5, 2.5]))',
    'x = torch.ones(2); r = (x.new_tensor([1, 2]), x.new_zeros(2, dtype=torch.int64), x.new_ones(2, requires_grad=True))',
    'x = torch.ones(2); r = x.new_tensor(torch.tensor([3, 4]))',
    'r = torch.ones(2).new_full(2, 3)',
    'r = torch.ones(2).new_full((2,), "a")',
    'r = torch.ones(2).new_zeros(2, device="cuda")',
    'r = torch.arange(3).new_ones(2, requires_grad=True)',
]

# ops that make floats out of integers give the default float dtype (float64 after set_default_dtype)
DEFAULT_DTYPE = [
    'torch.set_default_dtype(torch.float64); x = torch.arange(4); r = (x / 2, x.reciprocal(), x ** 0.5, 2.5 ** x)',
    'torch.set_default_dtype(torch.float64); x = torch.arange(4); r = (x.exp(), x.sqrt(), x.sigmoid(), x.sin(), x.log())',
    'torch.set_default_dtype(torch.float64); x = torch.arange(4); r = (x / x, 1 / x, x * 1.5, x.float().mean())',
    'torch.set_default_dtype(torch.float64); r = (torch.tensor([1, 2]).tanh(), torch.arange(0, 1, 0.25), torch.ones(2))',
]

OPS = [
    # norms
    'x = torch.tensor([[3., -4.], [0., 1.]], requires_grad=True); r = (x.norm(), x.norm(1), x.norm(dim=1), x.norm(p=float("inf"), dim=0, keepdim=True))',
    'x = torch.tensor([[3., -4.], [0., 1.]], requires_grad=True); y = x.norm(dim=1); y.sum().backward(); r = (y.grad_fn, x.grad)',
    'x = torch.zeros(3, requires_grad=True); x.norm().backward(); r = x.grad',
    'x = torch.tensor([1., 0., -2.], requires_grad=True); x.norm(0).backward(); r = (x.norm(0), x.grad)',
    'x = torch.tensor([1., -3., 3.], requires_grad=True); x.norm(float("inf")).backward(); r = x.grad',
    'x = torch.tensor([1., 0., -2.], requires_grad=True); x.norm(0.5).backward(); r = x.grad',
    'x = torch.ones(2, 2); r = (torch.norm(x), torch.norm(x, "fro"), torch.linalg.vector_norm(x, 3, (0, 1)), torch.linalg.norm(x))',
    'r = torch.tensor([1, 2]).norm()',
    'r = torch.ones(2, 2).norm("abc")',
    'r = torch.zeros(0).norm(float("inf"))',
    'x = torch.ones(2, requires_grad=True); r = x.norm(dtype=torch.float64).grad_fn.next_functions',
    # std and var
    'x = torch.tensor([[1., 2., 4.], [0., 0., 3.]], requires_grad=True); r = (x.std(), x.var(1), x.std(0, unbiased=False), x.var(dim=1, correction=0, keepdim=True))',
    'x = torch.tensor([[1., 2., 4.], [0., 0., 3.]], requires_grad=True); x.std(1).sum().backward(); r = x.grad',
    'x = torch.tensor([[1., 2., 4.], [0., 0., 3.]], requires_grad=True); x.var(False).backward(); r = x.grad',
    'x = torch.tensor([2., 2., 2.], requires_grad=True); x.std().backward(); r = (x.std(), x.grad)',
    'x = torch.tensor([5.], requires_grad=True); y = x.std(); y.backward(); r = (y, x.grad)',
    'x = torch.tensor([5., 6.], requires_grad=True); y = x.var(correction=2); y.backward(); r = (y, x.grad)',
    'x = torch.tensor([[5.], [6.]], requires_grad=True); y = x.var(1, correction=1); y.sum().backward(); r = (y, x.grad)',
    'r = torch.tensor([1, 2, 3]).std()',
    'r = (torch.std(torch.ones(3)), torch.var(torch.arange(4.), 0), torch.std(torch.arange(4.), correction=0))',
    # prod
    'x = torch.tensor([2., 3., 4.], requires_grad=True); x.prod().backward(); r = x.grad',
    'x = torch.tensor([2., 0., 4.], requires_grad=True); x.prod().backward(); r = x.grad',
    'x = torch.tensor([0., 0., 4.], requires_grad=True); x.prod().backward(); r = x.grad',
    'x = torch.tensor([[2., 0.], [3., 4.]], requires_grad=True); y = x.prod(1); y.sum().backward(); r = (y, x.grad)',
    'x = torch.tensor([[2., 0.], [0., 4.]], requires_grad=True); y = x.prod(0, keepdim=True); y.sum().backward(); r = (y, x.grad)',
    'x = torch.tensor([[2., 0.], [3., 0.]], requires_grad=True); g, = torch.autograd.grad(x.prod(), x, create_graph=True); r = (g, torch.autograd.grad(g.sum(), x))',
    'r = (torch.arange(1, 5).prod(), torch.tensor([True, False]).prod(), torch.prod(torch.ones(2, 3), 1))',
    'r = torch.ones(2, 2).prod((0, 1))',
    # cumsum
    'x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True); y = x.cumsum(1); y.backward(torch.tensor([[1., 0., 2.], [0., 1., 0.]])); r = (y, x.grad)',
    'r = (torch.arange(5).cumsum(0), torch.tensor([True, True]).cumsum(0), torch.cumsum(torch.ones(3), dim=0))',
    'r = torch.ones(2, 2).cumsum()',
    'r = torch.ones(2, 2).cumsum(2)',
    'r = torch.tensor(2.).cumsum(0)',
    # masked_fill
    'x = torch.tensor([1., 2., 3.], requires_grad=True); m = torch.tensor([True, False, True]); y = x.masked_fill(m, 0.); y.sum().backward(); r = (y, x.grad, y.grad_fn.next_functions)',
    'x = torch.tensor([1., 2., 3.], requires_grad=True); v = torch.tensor(5., requires_grad=True); y = x.masked_fill(x > 1, v); y.sum().backward(); r = (y, x.grad, v.grad)',
    'x = torch.tensor([1., 2., 3.], requires_grad=True); y = x * 1; v = y._version; y.masked_fill_(y > 1, -1.); y.sum().backward(); r = (y, y._version - v, x.grad, y.grad_fn)',
    'x = torch.ones(3, requires_grad=True); r = x.masked_fill_(x > 0, 0.)',
    'r = torch.ones(4).masked_fill(torch.tensor([[True], [False]]), 0.)',
    'r = torch.ones(4).masked_fill_(torch.tensor([[True], [False]]), 0.)',
    'r = torch.ones(4).masked_fill(torch.tensor([True, False]), 0.)',
    'r = torch.ones(2).masked_fill(torch.tensor([1, 0]), 0.)',
    'r = torch.ones(2).masked_fill(torch.tensor([True, False]), torch.tensor([1., 2.]))',
    'r = (torch.arange(3).masked_fill(torch.tensor([True, False, True]), 0.5), torch.masked_fill(torch.ones(2), torch.tensor([False, True]), 9))',
    # gather
    'x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True); i = torch.tensor([[0, 0], [2, 1]]); y = x.gather(1, i); y.sum().backward(); r = (y, x.grad, y.grad_fn.next_functions)',
    'x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True); y = torch.gather(x, 0, torch.tensor([[1, 1, 0]])); y.sum().backward(); r = (y, x.grad)',
    'x = torch.ones(2, 3, requires_grad=True); y = x.gather(1, torch.tensor([[0], [1]])); r = y.grad_fn._saved_index',
    'r = torch.ones(2, 3).gather(1, torch.tensor([[0], [3]]))',
    'r = torch.ones(2, 3).gather(1, torch.tensor([[0], [-1]]))',
    'r = torch.ones(2, 3).gather(1, torch.tensor([[0.], [1.]]))',
    'r = torch.ones(2, 3).gather(1, torch.tensor([0, 1]))',
    'r = torch.ones(2, 3).gather(1, torch.tensor([[0], [1], [1]]))',
    'r = torch.ones(2, 3).gather(2, torch.tensor([[0], [1]]))',
    # split and chunk
    'x = torch.arange(10.).reshape(5, 2).requires_grad_(); r = x.split(2)',
    'x = torch.arange(10.).reshape(5, 2).requires_grad_(); r = [(p.shape, p.output_nr, p._base is x, p.is_leaf) for p in x.split([1, 4])]',
    'x = torch.arange(10.).reshape(2, 5).requires_grad_(); r = (x.chunk(3, 1), torch.chunk(x, 2), torch.split(x, 4, dim=1))',
    'x = torch.arange(6.).requires_grad_(); a, b, c = x.chunk(3); (a * 1 + c * 3).sum().backward(); r = (x.grad, a.grad_fn is c.grad_fn)',
    'x = torch.arange(6.); a, b = x.split(3); a.mul_(10); r = (x, a._version, x._version)',
    'r = torch.zeros(0, 3).chunk(2)',
    'r = torch.ones(3).split(0)',
    'r = torch.ones(3).split(-1)',
    'r = torch.ones(3).split([1, 1])',
    'r = torch.ones(3).split([4, -1])',
    'r = torch.ones(3).chunk(0)',
    'r = torch.tensor(1.).split(1)',
    'r = torch.tensor(1.).chunk(1)',
    'r = torch.ones(3).split(2, dim=1)',
    # maximum and minimum
    'x = torch.tensor([1., 2., 3.], requires_grad=True); y = torch.tensor([3., 2., 1.], requires_grad=True); torch.maximum(x, y).sum().backward(); r = (x.grad, y.grad)',
    'x = torch.tensor([1., float("nan"), 3.], requires_grad=True); y = torch.tensor([[0.], [5.]], requires_grad=True); z = torch.minimum(x, y); z.sum().backward(); r = (z, x.grad, y.grad)',
    'r = (torch.maximum(torch.arange(3), torch.tensor([1.5, 0., 9.])), torch.ones(2).minimum(torch.zeros(1)), torch.maximum(torch.tensor([True]), torch.tensor([False])))',
    'r = torch.maximum(torch.ones(2), 1.)',
    # allclose, isclose, equal
    'r = (torch.allclose(torch.ones(2), torch.ones(2) + 1e-9), torch.ones(2).allclose(torch.tensor([1., 1.1]), rtol=0.2), torch.isclose(torch.tensor([1., float("nan")]), torch.tensor([1., float("nan")]), equal_nan=True))',
    'r = (torch.equal(torch.ones(2), torch.ones(2, dtype=torch.float64)), torch.equal(torch.ones(2), torch.ones(3)), torch.ones(2).equal(torch.ones(1).expand(2)))',
    'r = torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64))',
    'r = torch.isclose(torch.ones(2, dtype=torch.int64), torch.ones(2))',
    'r = torch.allclose(torch.ones(2), 1.)',
    'r = torch.ones(2).isclose(1.)',
    'r = torch.allclose(torch.ones(2), torch.ones(3))',
    'r = torch.isclose(torch.ones(2), torch.ones(2), rtol=-1)',
    'r = torch.equal(torch.ones(2), 1.)',
    'r = (torch.tensor([[1, 5], [7, 2]]).argmax(), torch.tensor([[1., 5.], [7., 2.]]).argmin(1, keepdim=True), torch.argmax(torch.tensor([3, 9, 9])))',
]


@pytest.fixture
def default_dtype_restored(torch):
    yield
    nb.set_default_dtype(nb.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("code", DEVICES + NEW_TENSORS + DEFAULT_DTYPE + OPS)
def test_same_as_pytorch(code, torch, default_dtype_restored):
    expected = run_program(torch, code)
    assert not expected[0].startswith(("SyntaxError", "NameError"))  # (a program that does not even run compares nothing)
    assert run_program(nb, code) == expected
