"""Is a backward formula right? Compare it with finite differences.

For ``f: ℝⁿ → ℝᵐ`` gradcheck builds the Jacobian twice and compares:

* **numerical**, column by column, from central differences (nudge one input element both ways)::

      J[:, k] ≈ (f(x + ε·e_k) − f(x − ε·e_k)) / 2ε          error O(ε²)

* **analytical**, row by row, from backward: a vector-Jacobian product with a one-hot vector::

      J[k, :] = e_kᵀ·J = autograd.grad(f(x), x, e_k)

and passes when ``|analytical − numerical| ≤ atol + rtol·|numerical|`` everywhere. With ε = 1e-6 the
rounding error of f in float32 (about 1e-7·|f|, divided by 2ε) is far larger than atol, so the inputs
that require grad should be float64 (gradcheck warns otherwise, as PyTorch does).

``gradgradcheck`` checks second derivatives the same way: it gradchecks the function
``(x, v) ↦ vᵀ·J(x)``, i.e. the backward pass itself (run with ``create_graph=True``).

PyTorch counterpart: ``torch.autograd.gradcheck`` / ``gradgradcheck``; a failure raises
``GradcheckError`` (a RuntimeError) with PyTorch's message. As in PyTorch, the matrices printed in that
message are *transposed* Jacobians: one row per input element, one column per output element.

With ``check_forward_ad=True`` the analytical Jacobian is also built **column by column with forward
mode**: one ``jvp`` per input element, a one-hot tangent on a dual input (``forward_ad.make_dual``), ``J·e_k``
read from the outputs' tangents.

What differs from PyTorch: no vmap, sparse or complex tensors, so ``check_batched_grad`` and
``check_batched_forward_grad`` raise NotImplementedError and ``masked`` is ignored; gradgradcheck's random ``grad_outputs`` and fast mode's random vectors come from a fixed-seed
numpy generator (the same numbers every run), not from the global RNG.
"""
import warnings

import numpy as np

from ..dtypes import float64
from ..engine import grad as _grad
from ..tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "numerical_jacobian", "analytical_jacobian"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` and :func:`gradgradcheck` (PyTorch: ``torch.autograd.gradcheck.GradcheckError``)."""


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """Check backward's gradients of ``func`` against finite differences; True if they agree.

    ``inputs``: a Tensor or a tuple of arguments; those that require grad are checked (make them
    float64). ``func`` returns a Tensor or a tuple of Tensors. ``eps`` is the finite-difference step,
    ``atol``/``rtol`` the tolerances. On a mismatch, raise ``GradcheckError`` saying which output and
    input disagree and showing both Jacobians, or return False when ``raise_exception=False``.
    ``nondet_tol``: how much two identical backward passes may differ. ``fast_mode``: compare only the
    number vᵀ·J·u for random unit vectors u, v (one backward and two evaluations per input instead of
    one per element). ``check_undefined_grad`` and ``check_grad_dtypes`` are accepted: here every
    missing output gradient reaches backward as zeros and every gradient is cast to its input's dtype,
    so the zero-gradient check below covers them.
    """
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad to be True")
    if check_batched_grad or check_batched_forward_grad:
        raise NotImplementedError("autograd_nb's gradcheck has no vmap: batched gradients cannot be checked")
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    try:
        if check_backward_ad:
            _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, fast_mode)
        if check_forward_ad:
            _forward_check(func, inputs, eps, atol, rtol)
        return True
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, fast_mode):
    func_out = _as_tuple(func(*inputs))
    if fast_mode:
        _fast_check(func, inputs, func_out, eps, atol, rtol, nondet_tol)
    else:
        _slow_check(func, inputs, func_out, eps, atol, rtol, nondet_tol)
    _check_backward_mul_by_grad_output(func_out, inputs)
    return True


# --------------------------------------------------------------------------- inputs and outputs
def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _diff_inputs(inputs):
    """The inputs gradcheck differentiates with respect to: tensors that require grad."""
    return [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]


def _check_inputs(inputs):
    """Warn for non-float64 inputs; refuse when nothing requires grad or an input overlaps itself."""
    any_input_requiring_grad = False
    for idx, inp in enumerate(inputs):
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            continue
        if inp.dtype is not float64:
            warnings.warn(
                f"Input #{idx} requires gradient and is not a double precision floating point or complex. "
                "This check will likely fail if all the inputs are not of double precision floating point "
                "or complex. ",
                stacklevel=4,  # the caller of gradcheck
            )
        # A stride-0 dimension (``expand``) means many elements share one memory cell: nudging one nudges all.
        array = inp.detach().numpy()
        if not all(st != 0 or sz <= 1 for st, sz in zip(array.strides, array.shape)):
            raise RuntimeError(
                f"The {idx}th input has a dimension with stride 0. gradcheck only supports inputs that are "
                "non-overlapping to be able to compute the numerical gradients correctly. You should call "
                ".contiguous on the input before passing it to gradcheck."
            )
        any_input_requiring_grad = True
    if not any_input_requiring_grad:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have "
            "requires_grad=True."
        )


def _differentiable_outputs(func_out):
    """``[(k, output)]`` for the outputs that require grad; k counts floating-point outputs only."""
    floats = [o for o in func_out if o.dtype.is_floating_point]
    return [(k, o) for k, o in enumerate(floats) if o.requires_grad]


def _values(outputs):
    """numpy copies of the floating-point outputs (what finite differences look at)."""
    return [o.detach().numpy().copy() for o in _as_tuple(outputs) if o.dtype.is_floating_point]


# --------------------------------------------------------------------------- the two Jacobians
def _nudged(func, inputs, inp, index, delta):
    """The outputs of ``func`` with ``inp[index] += delta`` (put back afterwards), as numpy arrays.

    Like PyTorch we change the input's memory in place and call ``func`` on the very same tensors, so a
    function that closes over its inputs sees the change too.
    """
    array = inp.detach().numpy()  # shares memory with inp
    original = array[index].copy()
    array[index] = original + delta
    try:
        return _values(func(*inputs))
    finally:
        array[index] = original


def numerical_jacobian(func, inputs, eps=1e-6):
    """``jac[j][i]``: the (n_j × m_i) transposed Jacobian of output i w.r.t. differentiable input j.

    Row k is the central difference (f(x + ε·e_k) − f(x − ε·e_k)) / 2ε, flattened.
    """
    inputs = _as_tuple(inputs)
    out_values = _values(func(*inputs))
    jacobians = []
    for inp in _diff_inputs(inputs):
        jac = [np.zeros((inp.numel(), out.size), dtype=out.dtype) for out in out_values]
        for k in range(inp.numel()):
            index = np.unravel_index(k, tuple(inp.shape))
            below = _nudged(func, inputs, inp, index, -eps)
            above = _nudged(func, inputs, inp, index, eps)
            for jac_i, a, b in zip(jac, below, above):
                jac_i[k] = ((b - a) / (2 * eps)).reshape(-1)
        jacobians.append(jac)
    return jacobians


def analytical_jacobian(inputs, output):
    """``jac[j]``: the (n_j × m) transposed Jacobian of ``output`` w.r.t. differentiable input j.

    Column k is e_kᵀ·J, one backward pass with a one-hot grad_output (input dtype, as PyTorch).
    """
    diff_inputs = _diff_inputs(_as_tuple(inputs))
    jac = [np.zeros((x.numel(), output.numel()), dtype=x.dtype.numpy_dtype) for x in diff_inputs]
    for k in range(output.numel()):
        v = np.zeros(output.numel(), dtype=output.dtype.numpy_dtype)
        v[k] = 1.0
        grads = _grad(output, diff_inputs, Tensor(v.reshape(tuple(output.shape))), retain_graph=True,
                      allow_unused=True)
        for jac_j, g in zip(jac, grads):
            if g is not None:
                jac_j[:, k] = g.detach().numpy().reshape(-1)
    return jac


def _reentrant_analytical_jacobian(inputs, output, nondet_tol):
    """Run the analytical Jacobian twice: backward must give the same numbers (up to ``nondet_tol``)."""
    first = analytical_jacobian(inputs, output)
    second = analytical_jacobian(inputs, output)
    for a, b in zip(first, second):
        if a.size and np.abs(a - b).max() > nondet_tol:
            raise GradcheckError(
                "Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
                "times gives different values, although analytical gradient matches numerical gradient."
                f"The tolerance for nondeterminism was {nondet_tol}."
            )
    return first


def _mismatch_message(analytical, numerical, output_idx, input_idx, mode=""):
    """PyTorch's message, with both matrices printed as tensors."""
    return (
        f"Jacobian {mode}mismatch for output {output_idx:d} with respect to input {input_idx:d},\n"
        f"numerical:{Tensor(numerical)}\nanalytical:{Tensor(analytical)}\n"
    )


def _slow_check(func, inputs, func_out, eps, atol, rtol, nondet_tol):
    """Whole Jacobians: every (output, input) pair must agree element by element."""
    numerical = numerical_jacobian(func, inputs, eps)  # [input][float output]
    outputs = _differentiable_outputs(func_out)  # [(index among float outputs, output)]
    if not outputs:  # nothing to backward through: then f must not depend on the inputs
        if any(np.any(n != 0) for per_input in numerical for n in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    for i, (k, o) in enumerate(outputs):
        analytical = _reentrant_analytical_jacobian(inputs, o, nondet_tol)
        for j, (a, per_input) in enumerate(zip(analytical, numerical)):
            n = per_input[k]
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(_mismatch_message(a, n, i, j))


def forward_jacobian(func, inputs):
    """``jac[j][i]``: like ``numerical_jacobian``, but row k is J·e_k from forward mode: ``func`` runs on a
    dual input whose tangent is the one-hot e_k (every other input plain), and the outputs' tangents are read."""
    from . import forward_ad  # (forward_ad imports the engine, as this module does)

    out_values = _values(func(*inputs))
    jacobians = []
    for j, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        jac = [np.zeros((x.numel(), out.size), dtype=out.dtype) for out in out_values]
        for k in range(x.numel()):
            tangent = np.zeros(x.numel(), dtype=x.dtype.numpy_dtype)
            tangent[k] = 1.0
            with forward_ad.dual_level():
                dual = forward_ad.make_dual(x.detach(), Tensor(tangent.reshape(tuple(x.shape))))
                out = _as_tuple(func(*inputs[:j], dual, *inputs[j + 1:]))
                tangents = [forward_ad.unpack_dual(o).tangent for o in out if o.dtype.is_floating_point]
            for jac_i, t in zip(jac, tangents):
                if t is not None:
                    jac_i[k] = t.detach().numpy().reshape(-1)
        jacobians.append(jac)
    return jacobians


def _forward_check(func, inputs, eps, atol, rtol):
    """Forward mode against finite differences, every (output, input) pair element by element."""
    numerical = numerical_jacobian(func, inputs, eps)
    for j, (per_input_fwd, per_input_num) in enumerate(zip(forward_jacobian(func, inputs), numerical)):
        for i, (a, n) in enumerate(zip(per_input_fwd, per_input_num)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                raise GradcheckError(_mismatch_message(a, n, i, j, mode="computed with forward mode "))


def _fast_check(func, inputs, func_out, eps, atol, rtol, nondet_tol):
    """Fast mode: compare one number per (output, input) pair, vᵀ·J·u for random unit vectors u, v.

    numerical: vᵀ·(f(x + ε·u) − f(x − ε·u)) / 2ε      analytical: (vᵀ·J from backward)·u
    atol is scaled by sum(u)·sum(v), the size of vᵀ·J·u when every entry of J is off by atol.
    """
    rng = np.random.default_rng(0)  # fixed: the same vectors every run
    diff_inputs = _diff_inputs(inputs)
    outputs = _differentiable_outputs(func_out)  # [(index among float outputs, output)]
    all_u = [_unit_vector(rng, x) for x in diff_inputs]
    all_v = [_unit_vector(rng, o) for _, o in outputs]
    # J·u for every float output, by central differences along u (all elements of the input nudged at once)
    all_Ju = []
    for inp, u in zip(diff_inputs, all_u):
        step = (eps * u).reshape(tuple(inp.shape))
        below = _nudged(func, inputs, inp, ..., -step)
        above = _nudged(func, inputs, inp, ..., step)
        all_Ju.append([((b - a) / (2 * eps)).reshape(-1) for a, b in zip(below, above)])
    if not outputs:
        if any(Ju.size and np.abs(Ju).max() > nondet_tol for per_input in all_Ju for Ju in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    for i, ((k, o), v) in enumerate(zip(outputs, all_v)):
        vJ = _grad(o, diff_inputs, Tensor(v.reshape(tuple(o.shape))), retain_graph=True, allow_unused=True)
        for j, (vJ_j, u, Ju) in enumerate(zip(vJ, all_u, all_Ju)):
            analytical = 0.0 if vJ_j is None else vJ_j.detach().numpy().reshape(-1) @ u
            numerical = v @ Ju[k]
            adjusted_atol = atol * u.sum() * v.sum()
            if not np.allclose(analytical, numerical, rtol=rtol, atol=adjusted_atol):
                raise GradcheckError(
                    _mismatch_message(np.asarray(analytical, dtype=u.dtype), np.asarray(numerical), i, j)
                    + _slow_mode_details(func, inputs, o, k, j, eps, atol, rtol)
                )


def _unit_vector(rng, like):
    """A random vector with non-negative entries and length 1, one entry per element of ``like``."""
    vec = rng.random(like.numel()).astype(like.dtype.numpy_dtype)
    return vec / np.linalg.norm(vec)


def _slow_mode_details(func, inputs, output, float_idx, input_idx, eps, atol, rtol):
    """After a fast-mode failure: the whole Jacobians of the failing pair, as PyTorch appends them."""
    numerical = numerical_jacobian(func, inputs, eps)[input_idx][float_idx]
    analytical = analytical_jacobian(inputs, output)[input_idx]
    max_diff = np.abs(numerical - analytical).max()
    message = (
        "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
        "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
        "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
        f"Numerical:\n {Tensor(numerical)}\n"
        f"Analytical:\n{Tensor(analytical)}\n\n"
        f"The max per-element difference (slow mode) is: {Tensor(np.asarray(max_diff))}.\n"
    )
    if np.allclose(analytical, numerical, rtol=rtol, atol=atol):
        message += ("Fast gradcheck failed but element-wise differences are small. This means that the\n"
                    "test might've passed in slow_mode!")
    return message


def _check_backward_mul_by_grad_output(func_out, inputs):
    """Backward is linear in the output gradient: zero in, zero out ("multiplied by grad_output")."""
    outputs = [o for o in func_out if o.requires_grad]
    diff_inputs = _diff_inputs(inputs)
    if not outputs:
        return
    zeros = [Tensor(np.zeros(tuple(o.shape), dtype=o.dtype.numpy_dtype)) for o in outputs]
    for g in _grad(outputs, diff_inputs, zeros, allow_unused=True):
        if g is not None and np.any(g.detach().numpy() != 0):
            raise GradcheckError("backward not multiplied by grad_output")


# --------------------------------------------------------------------------- second derivatives
def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """Check second derivatives: gradcheck the backward pass ``(inputs, v) ↦ vᵀ·J(inputs)``.

    ``grad_outputs`` are the vectors v (one per differentiable output); left out, they are random in
    [-1, 1) from a fixed-seed generator. The backward pass runs with ``create_graph=True``, so its own
    backward (the double backward) is what gets compared with finite differences of the gradient.
    PyTorch: ``torch.autograd.gradgradcheck``.
    """
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be True")
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        outputs = [o for o in _as_tuple(func(*tupled_inputs)) if o.requires_grad]
        tupled_grad_outputs = tuple(
            Tensor(rng.uniform(-1, 1, tuple(o.shape)).astype(
                o.dtype.numpy_dtype if o.dtype.is_floating_point else np.float64), requires_grad=True)
            for o in outputs
        )
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_input_args_indices = {i for i, x in enumerate(tupled_inputs) if isinstance(x, Tensor) and x.requires_grad}
    diff_grad_output_indices = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args):
        """vᵀ·J(x) for the differentiable inputs: the backward pass, as a function of (x, v)."""
        input_args = tuple(x.requires_grad_() if i in diff_input_args_indices else x
                           for i, x in enumerate(args[:-num_outputs]))
        outputs = [o for o in _as_tuple(func(*input_args)) if o.requires_grad]
        grad_outputs = tuple(x.requires_grad_() if i in diff_grad_output_indices else x
                             for i, x in enumerate(args[-num_outputs:]))
        diff_input_args = tuple(x for i, x in enumerate(input_args) if i in diff_input_args_indices)
        grad_inputs = _grad(outputs, diff_input_args, grad_outputs, create_graph=True, allow_unused=True)
        return tuple(g for g in grad_inputs if g is not None)

    return gradcheck(new_func, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                     check_batched_grad=check_batched_grad, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev, check_backward_ad=check_rev_over_rev, masked=masked)
