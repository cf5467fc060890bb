"""autograd.gradcheck / gradgradcheck: finite differences against backward, with PyTorch's verdicts and messages."""
import warnings

import numpy as np
import pytest

import autograd_nb as nb
from autograd_nb.autograd import gradcheck, gradgradcheck
from autograd_nb.autograd.gradcheck import GradcheckError, analytical_jacobian, numerical_jacobian

RNG = np.random.default_rng(3)


def _both(torch, *shapes, low=0.5, high=1.5):
    """The same random float64 leaves (requires_grad=True) in autograd_nb and in PyTorch."""
    arrays = [RNG.uniform(low, high, size=s) for s in shapes]
    ours = tuple(nb.tensor(a, dtype=nb.float64, requires_grad=True) for a in arrays)
    theirs = tuple(torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays)
    return ours, theirs


# Correct operations: gradcheck and gradgradcheck pass in both libraries. (name, fn, input shapes)
CORRECT = [
    ("exp_times_x", lambda x: x.exp() * x, [(3,)]),
    ("matmul", lambda a, b: a @ b, [(2, 3), (3, 4)]),
    ("tanh_sum_dim", lambda x: x.tanh().sum(dim=0), [(3, 2)]),
    ("softmax", lambda x: x.softmax(-1), [(2, 4)]),
    ("sigmoid_pow", lambda x: x.sigmoid() ** 2, [(4,)]),
    ("div_and_mul_tuple_out", lambda x, y: (x / y, x * y), [(3,), (3,)]),
    ("broadcast_add", lambda x, b: (x + b).sin(), [(2, 3), (3,)]),
    ("scalar_out", lambda x: (x ** 3).mean(), [(2, 2)]),
]


@pytest.mark.parametrize("name, fn, shapes", CORRECT, ids=[c[0] for c in CORRECT])
def test_gradcheck_passes_on_correct_ops(torch, name, fn, shapes):
    ours, theirs = _both(torch, *shapes)
    assert torch.autograd.gradcheck(fn, theirs) is True
    assert gradcheck(fn, ours) is True
    assert gradcheck(fn, ours, fast_mode=True) is True


@pytest.mark.parametrize("name, fn, shapes", CORRECT[:5], ids=[c[0] for c in CORRECT[:5]])
def test_gradgradcheck_passes_on_correct_ops(torch, name, fn, shapes):
    ours, theirs = _both(torch, *shapes)
    assert torch.autograd.gradgradcheck(fn, theirs) is True
    assert gradgradcheck(fn, ours) is True


def test_numerical_and_analytical_jacobians_are_transposed_jacobians():
    W = nb.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=nb.float64)
    x = nb.tensor([1.0, -1.0, 2.0], dtype=nb.float64, requires_grad=True)
    fn = lambda a: W @ a  # noqa: E731
    (numerical,), = numerical_jacobian(fn, (x,))
    (analytical,) = analytical_jacobian((x,), fn(x))
    # one row per input element, one column per output element: Wᵀ
    np.testing.assert_allclose(numerical, W.numpy().T, atol=1e-8)
    np.testing.assert_allclose(analytical, W.numpy().T)


# --------------------------------------------------------------------------- a wrong backward
def _square(L, backward):
    """x ↦ x², as a custom Function whose backward is ``backward(grad, x)``."""
    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return backward(grad, x)

    return Square


def _error(call):
    with pytest.raises(Exception) as info:
        call()
    return info.value


def test_wrong_backward_fails_with_pytorchs_message(torch):
    wrong = lambda grad, x: grad * x  # noqa: E731  (forgot the factor 2)
    x = nb.tensor([1.0, 2.0, 3.0], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    ours = _error(lambda: gradcheck(_square(nb, wrong).apply, (x,)))
    theirs = _error(lambda: torch.autograd.gradcheck(_square(torch, wrong).apply, (tx,)))
    assert isinstance(ours, GradcheckError) and isinstance(ours, RuntimeError)
    assert str(ours) == str(theirs)
    assert str(ours) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[2.0000, 0.0000, 0.0000],\n"
        "        [0.0000, 4.0000, 0.0000],\n"
        "        [0.0000, 0.0000, 6.0000]], dtype=torch.float64)\n"
        "analytical:tensor([[1., 0., 0.],\n"
        "        [0., 2., 0.],\n"
        "        [0., 0., 3.]], dtype=torch.float64)\n"
    )
    assert gradcheck(_square(nb, wrong).apply, (x,), raise_exception=False) is False
    assert gradcheck(_square(nb, lambda grad, x: 2 * grad * x).apply, (x,)) is True


def test_message_names_the_failing_output_and_input(torch):
    wrong = lambda grad, x: grad * x  # noqa: E731
    ours_in, theirs_in = _both(torch, (2,), (2,))

    def make(L):
        square = _square(L, wrong).apply
        return lambda a, b: (a * b, square(b) + a)  # output 1 is wrong with respect to input 1

    ours = _error(lambda: gradcheck(make(nb), ours_in))
    theirs = _error(lambda: torch.autograd.gradcheck(make(torch), theirs_in))
    assert str(ours).startswith("Jacobian mismatch for output 1 with respect to input 1,\nnumerical:")
    assert str(ours) == str(theirs)


def test_fast_mode_failure_shows_the_slow_mode_jacobians(torch):
    wrong = lambda grad, x: grad * x  # noqa: E731
    x = nb.tensor([1.0, 2.0, 3.0], dtype=nb.float64, requires_grad=True)
    message = str(_error(lambda: gradcheck(_square(nb, wrong).apply, (x,), fast_mode=True)))
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:")
    assert "computed \nin fast mode" in message
    assert ("Numerical:\n tensor([[2.0000, 0.0000, 0.0000],\n        [0.0000, 4.0000, 0.0000],\n"
            "        [0.0000, 0.0000, 6.0000]], dtype=torch.float64)\n") in message
    assert ("Analytical:\ntensor([[1., 0., 0.],\n        [0., 2., 0.],\n"
            "        [0., 0., 3.]], dtype=torch.float64)\n") in message
    # the fast-mode numbers: vᵀ·J·u, with the numerical J twice the analytical one
    numerical = float(message.split("numerical:")[1].split("\n")[0])
    analytical = float(message.split("analytical:")[1].split("\n")[0])
    assert numerical == pytest.approx(2 * analytical, rel=1e-6)


def test_backward_not_multiplied_by_grad_output(torch):
    # right Jacobian up to 1e-9, but a zero grad_output does not give a zero gradient
    sloppy = lambda grad, x: 2 * grad * x + 1e-9  # noqa: E731
    x = nb.tensor([1.0, 2.0], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ours = _error(lambda: gradcheck(_square(nb, sloppy).apply, (x,)))
    theirs = _error(lambda: torch.autograd.gradcheck(_square(torch, sloppy).apply, (tx,)))
    assert isinstance(ours, GradcheckError)
    assert str(ours) == str(theirs) == "backward not multiplied by grad_output"


def test_gradgradcheck_catches_a_wrong_double_backward(torch):
    # the first derivative is right, but x.detach() hides ∂(2·x·grad)/∂x from the double backward
    detached = lambda grad, x: 2 * grad * x.detach()  # noqa: E731
    x = nb.tensor([1.0, 2.0], dtype=nb.float64, requires_grad=True)
    tx = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    v = nb.tensor([0.5, -1.0], dtype=nb.float64, requires_grad=True)
    tv = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    assert gradcheck(_square(nb, detached).apply, (x,)) is True
    ours = _error(lambda: gradgradcheck(_square(nb, detached).apply, (x,), (v,)))
    theirs = _error(lambda: torch.autograd.gradgradcheck(_square(torch, detached).apply, (tx,), (tv,)))
    assert isinstance(ours, GradcheckError)
    assert str(ours) == str(theirs)
    assert str(ours).startswith("Jacobian mismatch for output 0 with respect to input 0,\n")
    assert gradgradcheck(_square(nb, detached).apply, (x,), (v,), raise_exception=False) is False
    assert gradgradcheck(_square(nb, lambda grad, x: 2 * grad * x).apply, (x,), (v,)) is True


def test_gradgradcheck_default_grad_outputs_are_deterministic():
    x = nb.tensor([1.0, 2.0], dtype=nb.float64, requires_grad=True)
    detached = _square(nb, lambda grad, x: 2 * grad * x.detach()).apply
    first = str(_error(lambda: gradgradcheck(detached, (x,))))
    second = str(_error(lambda: gradgradcheck(detached, (x,))))
    assert first == second


# --------------------------------------------------------------------------- inputs gradcheck refuses
def test_float32_inputs_warn_as_in_pytorch(torch):
    def caught(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)  # float32
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                L.autograd.gradcheck(lambda a: a * 2, (x,))
            except RuntimeError as e:  # float32 differences are too coarse for the default tolerances
                message = str(e)
        return [(w.category, str(w.message)) for w in seen], message

    ours, our_message = caught(nb)
    theirs, their_message = caught(torch)
    assert ours == theirs
    assert ours[0][1].startswith("Input #0 requires gradient and is not a double precision floating point")
    assert our_message == their_message  # float32 arithmetic rounds the same way


def test_nothing_requires_grad(torch):
    ours = _error(lambda: gradcheck(lambda a: a * 2, (nb.ones(2, dtype=nb.float64),)))
    theirs = _error(lambda: torch.autograd.gradcheck(lambda a: a * 2, (torch.ones(2, dtype=torch.float64),)))
    assert type(ours) is type(theirs) is ValueError
    assert str(ours) == str(theirs)


def test_function_without_differentiable_outputs(torch):
    ours_in, theirs_in = _both(torch, (2,))
    fn = lambda a: a.detach() * 2  # noqa: E731  (depends on a, but autograd cannot see it)
    ours = _error(lambda: gradcheck(fn, ours_in))
    theirs = _error(lambda: torch.autograd.gradcheck(fn, theirs_in))
    assert str(ours) == str(theirs) == "Numerical gradient for function expected to be zero"
    constant = lambda a: a.detach() * 0  # noqa: E731
    assert gradcheck(constant, ours_in) is torch.autograd.gradcheck(constant, theirs_in) is True


def test_non_tensor_arguments_are_passed_through(torch):
    ours_in, theirs_in = _both(torch, (3,))
    fn = lambda a, k: a ** k  # noqa: E731
    assert gradcheck(fn, (ours_in[0], 3)) is torch.autograd.gradcheck(fn, (theirs_in[0], 3)) is True


def test_unsupported_options_say_so():
    x = nb.tensor([1.0], dtype=nb.float64, requires_grad=True)
    with pytest.raises(NotImplementedError):
        gradcheck(lambda a: a, (x,), check_batched_grad=True)
    with pytest.raises(AssertionError, match="check_forward_ad or check_backward_ad"):
        gradcheck(lambda a: a, (x,), check_backward_ad=False)


def test_inputs_are_restored_after_the_check():
    x = nb.tensor([0.1, 0.2, 0.3], dtype=nb.float64, requires_grad=True)
    before = x.detach().numpy().copy()
    gradcheck(lambda a: a.exp(), (x,))
    np.testing.assert_array_equal(x.detach().numpy(), before)
    assert x.grad is None


def _cube(jvp_factor):
    class Cube(nb.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2

        @staticmethod
        def jvp(ctx, t):
            (x,) = ctx.saved_tensors
            return t * jvp_factor * x ** 2

    return Cube


def test_forward_mode_is_checked_against_finite_differences():
    x = nb.tensor([0.5, -1.5, 2.0], dtype=nb.float64, requires_grad=True)
    assert gradcheck(_cube(3).apply, (x,), check_forward_ad=True)
    assert gradcheck(_cube(3).apply, (x,), check_forward_ad=True, check_backward_ad=False)
    with pytest.raises(GradcheckError, match="Jacobian computed with forward mode mismatch for output 0 with "
                                             "respect to input 0,\nnumerical:"):
        gradcheck(_cube(2).apply, (x,), check_forward_ad=True, check_backward_ad=False)
    assert not gradcheck(_cube(2).apply, (x,), check_forward_ad=True, raise_exception=False)
    assert gradcheck(_cube(2).apply, (x,))  # backward alone is right


def test_forward_mode_check_names_the_input_and_output_that_disagree():
    x = nb.tensor([0.5, 1.5], dtype=nb.float64, requires_grad=True)
    y = nb.tensor([2.0, 3.0], dtype=nb.float64, requires_grad=True)
    Wrong = _cube(2)
    with pytest.raises(GradcheckError, match="mismatch for output 1 with respect to input 1"):
        gradcheck(lambda a, b: (a * b, Wrong.apply(b)), (x, y), check_forward_ad=True, check_backward_ad=False)
