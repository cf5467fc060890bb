"""Whole derivatives of a function: Jacobians, Hessians, and their products with vectors.

PyTorch counterpart: ``torch.autograd.functional`` (same names, arguments, return structures and error
messages). Everything here is built from the one thing the engine does, the vector-Jacobian product
``autograd.grad(outputs, inputs, v) = vᵀ·J``, where for ``f: ℝⁿ → ℝᵐ`` the Jacobian is the m×n matrix
``J[i, j] = ∂f_i/∂x_j``:

* ``vjp(f, x, v)``  = vᵀ·J           one backward pass
* ``jvp(f, x, v)``  = J·v            forward mode: one pass of f with v riding along (``_forward_mode``);
                                     with ``create_graph=True`` or ``strict=True`` the *double-backward
                                     trick* instead: g(u) = uᵀ·J is linear in u, so ∂/∂u [g(u)·v] = J·v
                                     (``_jvp_column``)
* ``jacobian(f, x)`` = J             ``strategy="reverse-mode"``: row by row, m VJPs with one-hot v;
                                     ``strategy="forward-mode"``: column by column, n forward-mode JVPs
* ``hessian(f, x)``  = H = ∂²f/∂x²   the Jacobian of the gradient (f scalar)
* ``vhp(f, x, v)``   = vᵀ·H          the VJP of the gradient
* ``hvp(f, x, v)``   = H·v           the JVP of the gradient (double-backward trick again)

Reverse mode costs one backward per *output* element, forward mode one pass per *input* element: use
reverse mode for "many inputs, few outputs" (a loss), forward mode for "few inputs, many outputs".

Inputs and outputs may be a Tensor or a tuple of Tensors; results keep that structure: with a tuple of
outputs and a tuple of inputs, ``jacobian(...)[i][j]`` is ∂output_i/∂input_j, of shape
``output_i.shape + input_j.shape``.

What differs from PyTorch: ``vectorize=True`` is accepted and ignored (PyTorch batches the VJPs with
vmap; the numbers are the same), and ``strategy="forward-mode"`` works without ``vectorize=True`` (PyTorch
raises NotImplementedError there, because its forward mode is built on vmap). Its results are tuples and
detached like reverse mode's (PyTorch's vmap path returns lists, and its forward-over-reverse Hessian
stays attached to a graph).
"""
from .. import grad_mode
from ..creation import zeros, zeros_like
from ..engine import grad as _grad
from ..ops import stack
from ..tensor import Tensor
from . import forward_ad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


# --------------------------------------------------------------------------- tuples in, tuples out
def _as_tuple(inp, arg_name, fn_name):
    """``(was_it_a_tuple, tuple_of_tensors)``, with PyTorch's TypeError for anything else."""
    is_tuple = isinstance(inp, tuple)
    if not is_tuple:
        inp = (inp,)
    for i, el in enumerate(inp):
        if not isinstance(el, Tensor):
            if is_tuple:
                raise TypeError(
                    f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but the"
                    f" value at index {i} has type {type(el)}."
                )
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of Tensors but the"
                f" given {arg_name} has type {type(el)}."
            )
    return is_tuple, inp


def _tuple_postprocess(res, to_unpack):
    """Undo ``_as_tuple``: unwrap the results the user gave as single tensors.

    ``to_unpack`` is one flag (a tuple of results) or two flags (outputs, inputs) for a tuple of tuples.
    """
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _grad_preprocess(inputs, create_graph, need_graph):
    """Fresh tensors to differentiate with respect to (never the caller's own objects).

    With ``create_graph`` an input that requires grad is passed through ``view_as`` so the results stay
    connected to it (you can differentiate them again); otherwise it is detached and made a leaf.
    """
    res = []
    for inp in inputs:
        if create_graph and inp.requires_grad:
            res.append(inp.view_as(inp))
        else:
            res.append(inp.detach().requires_grad_(need_graph))
    return tuple(res)


def _grad_postprocess(inputs, create_graph):
    """Detach the results unless the caller asked for a graph (``create_graph=True``)."""
    if isinstance(inputs[0], Tensor):
        return inputs if create_graph else tuple(inp.detach() for inp in inputs)
    return tuple(_grad_postprocess(inp, create_graph) for inp in inputs)


def _validate_v(v, other, is_other_tuple):
    """``v`` must have one tensor per tensor of ``other``, each of the same size."""
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(
                f"{prepend}v has invalid size: should be {el_other.size()} but got {el_v.size()}."
            )


def _check_requires_grad(inputs, input_type, strict):
    """With ``strict=True``: refuse results that do not depend on the inputs at all."""
    if not strict:
        return
    for i, inp in enumerate(inputs):
        if inp is None:  # only for grad_inputs
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}."
                " This is not allowed in strict mode."
            )
        if inp.requires_grad:
            continue
        if input_type == "hessian":
            raise RuntimeError(
                f"The hessian of the user-provided function with respect to input {i}"
                " is independent of the input. This is not allowed in strict mode."
                " You should ensure that your function is thrice differentiable and that"
                " the hessian depends on the inputs."
            )
        if input_type == "jacobian":
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided"
                f" function with respect to input {i} is independent of the input. This is not"
                " allowed in strict mode. You should ensure that your function is twice"
                " differentiable and that the jacobian depends on the inputs (this would be"
                " violated by a linear function for example)."
            )
        if input_type == "grad_inputs":
            raise RuntimeError(
                f"The gradient with respect to input {i} is independent of the inputs of the"
                " user-provided function. This is not allowed in strict mode."
            )
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients."
            " The outputs must be computed in a differentiable manner from the input"
            " when running in strict mode."
        )


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` that skips outputs without a graph; unused inputs get None.

    Those outputs cannot contribute anything, and the engine would refuse them ("does not require grad").
    """
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(out, g) for out, g in zip(outputs, grad_outputs) if out is not None and out.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    new_outputs, new_grad_outputs = zip(*pairs)
    return _grad(new_outputs, inputs, new_grad_outputs, allow_unused=True, create_graph=create_graph,
                 retain_graph=retain_graph)


_STRICT_MESSAGES = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in "
            "strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in "
                  "strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not "
                   "allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the "
                         "double backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Replace None (no path from the input) by zeros, the mathematically right value; strict refuses."""
    res = ()
    for i, grads_i in enumerate(grads):
        if grads_i is None:
            if strict:
                raise RuntimeError(_STRICT_MESSAGES[stage].format(i=i))
            grads_i = zeros_like(refs[i])
        elif strict and create_graph and not grads_i.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This is not allowed "
                "in strict mode when create_graph=True."
            )
        res += (grads_i,)
    return res


def _one_hot(like, index):
    """The basis vector e_index shaped like ``like``: zeros, and a 1 at flat position ``index``."""
    e = zeros(like.numel(), dtype=like.dtype)
    e[index] = 1.0
    return e.view(like.shape)


# --------------------------------------------------------------------------- vector products
def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), vᵀ·J)``: the vector-Jacobian product, one backward pass.

    ``v`` has the shape of the output (it may be left out when the output has a single element: v = 1);
    the result has the shape of the inputs. PyTorch: ``torch.autograd.functional.vjp``.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        if v is not None:
            _, v = _as_tuple(v, "v", "vjp")
            v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
            _validate_v(v, outputs, is_outputs_tuple)
        elif len(outputs) != 1 or outputs[0].nelement() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single Tensor with a "
                "single element."
            )
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        grad_res = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "back")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, is_outputs_tuple), _tuple_postprocess(result, is_inputs_tuple)


def _jvp_column(outputs, inputs, tangents, create_graph=False, strict=False):
    """J·t: how the ``outputs`` move when the ``inputs`` move along the tangents ``t`` (one per input).

    With a one-hot ``t`` this is one column of the Jacobian. The engine only runs backward, so we use the
    **double-backward trick**: pick a dummy u (any value; zeros here) with the outputs' shapes and take

        g(u) = uᵀ·J        (one backward pass, with create_graph=True so g is a function of u)
        ∂/∂u [g(u)·t] = J·t  (a second backward pass, from g to u, with vector t)

    because g is linear in u. PyTorch's ``functional.jvp`` always works this way. Here forward mode
    (``_forward_mode``) computes J·t where it can; this trick is used where the result must itself be
    differentiable (``create_graph=True``), where ``strict=True`` needs the graph for its checks, and for
    ``hvp`` (the JVP of a gradient).

    ``outputs`` must have been computed from ``inputs`` (their graph is used twice, so it is kept).
    Returns one tensor per output (None where the output does not depend on the tangents).
    """
    with grad_mode.enable_grad():
        dummy = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        vjps = _autograd_grad(outputs, inputs, dummy, create_graph=True)  # uᵀ·J, a function of u
        _check_requires_grad(vjps, "grad_inputs", strict=strict)
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        return _autograd_grad(vjps, dummy, tangents, create_graph=create_graph)  # ∂/∂u (uᵀ·J·t) = J·t


def _forward_mode(func, inputs, tangents):
    """Run ``func`` once in forward mode: ``(outputs, J·t)`` with the tangents riding along the values.

    This is true forward-mode AD (``autograd.forward_ad``): no graph, no backward pass, one evaluation
    of ``func`` per direction t. Returns the raw outputs (tensor or tuple) and one tangent per output
    (None where the output does not depend on the inputs).
    """
    with forward_ad.dual_level():
        # keep requires_grad, so that func may itself run backward (forward-over-reverse: Hessians)
        duals = tuple(forward_ad.make_dual(x.detach().requires_grad_(x.requires_grad), t)
                      for x, t in zip(inputs, tangents))
        raw = func(*duals)
        outs = raw if isinstance(raw, tuple) else (raw,)
        unpacked = [forward_ad.unpack_dual(o) if isinstance(o, Tensor) else (o, None) for o in outs]
    primals = tuple(p for p, _ in unpacked)
    return (primals if isinstance(raw, tuple) else primals[0]), tuple(t for _, t in unpacked)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), J·v)``: the Jacobian-vector product (how the output moves when x moves along v).

    ``v`` has the shape of the inputs (it may be left out when the input has a single element); the
    result has the shape of the outputs. Computed in forward mode (``_forward_mode``); with
    ``create_graph=True`` or ``strict=True`` with the double-backward trick (``_jvp_column``), which is
    how PyTorch's ``torch.autograd.functional.jvp`` always computes it (the numbers are the same).
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is not None:
            _, v = _as_tuple(v, "v", "jvp")
            v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
            _validate_v(v, inputs, is_inputs_tuple)
        elif len(inputs) != 1 or inputs[0].nelement() != 1:
            raise RuntimeError(
                "The vector v can only be None if the input to the user-provided function is a single Tensor "
                "with a single element."
            )
        if not create_graph and not strict and v is not None:
            # forward mode proper: one pass of func with v riding along (autograd/forward_ad.py)
            raw, grad_res = _forward_mode(func, inputs, v)
            is_outputs_tuple, outputs = _as_tuple(raw, "outputs of the user-provided function", "jvp")
        else:
            outputs = func(*inputs)
            is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
            _check_requires_grad(outputs, "outputs", strict=strict)
            grad_res = None
    if grad_res is None:  # create_graph / strict: the double-backward trick keeps a differentiable graph
        grad_res = _jvp_column(outputs, inputs, v, create_graph=create_graph, strict=strict)
    result = _fill_in_zeros(grad_res, outputs, strict, create_graph, "back_trick")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, is_outputs_tuple), _tuple_postprocess(result, is_outputs_tuple)


# --------------------------------------------------------------------------- whole Jacobians
_STRATEGY_MESSAGE = (
    'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more '
    'outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".'
)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: ``J[i][j]`` = ∂output_i/∂input_j.

    Each block has shape ``output_i.shape + input_j.shape``; a single tensor in and out gives a single
    tensor, a tuple on either side a tuple, tuples on both sides a tuple of tuples (PyTorch's layout).

    ``strategy="reverse-mode"`` fills J row by row: one VJP (a backward pass) per output element, with a
    one-hot v. ``strategy="forward-mode"`` fills it column by column: one JVP per input element, with a
    one-hot tangent (see ``_forward_mode``). Both give the same matrix; compare their costs.
    ``vectorize`` is accepted and ignored (PyTorch uses it to batch the passes with vmap).
    PyTorch: ``torch.autograd.functional.jacobian``.
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(_STRATEGY_MESSAGE)
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and `strategy=\"forward-mode\"` are "
                "not supported together (yet). Please either set `create_graph=False` or "
                "`strategy=\"reverse-mode\"`."
            )
        return _jacobian_forward(func, inputs, strict)
    return _jacobian_reverse(func, inputs, create_graph, strict)


def _jacobian_reverse(func, inputs, create_graph, strict):
    """Row by row: row k of ∂output_i/∂inputs is e_kᵀ·J, one backward pass each."""
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict=strict)

        jac = ()
        for i, out in enumerate(outputs):
            rows = tuple([] for _ in inputs)  # rows[j]: the rows of ∂out/∂input_j
            for k in range(out.nelement()):
                vj = _autograd_grad((out,), inputs, (_one_hot(out, k),), retain_graph=True,
                                    create_graph=create_graph)
                for j, (rows_j, vj_j, inp) in enumerate(zip(rows, vj, inputs)):
                    if vj_j is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of input {j}. "
                                "This is not allowed in strict mode."
                            )
                        vj_j = zeros_like(inp)
                    elif strict and create_graph and not vj_j.requires_grad:
                        raise RuntimeError(
                            f"The jacobian of the user-provided function is independent of input {i}. This is "
                            "not allowed in strict mode when create_graph=True."
                        )
                    rows_j.append(vj_j)
            jac += (tuple(stack(rows_j, dim=0).view(out.shape + inp.shape)
                          for rows_j, inp in zip(rows, inputs)),)
        jac = _grad_postprocess(jac, create_graph)
    return _tuple_postprocess(jac, (is_outputs_tuple, is_inputs_tuple))


def _jacobian_forward(func, inputs, strict):
    """Column by column: column (j, k) of J is J·e_k for the k-th element of input j, one JVP each.

    As forward-mode AD would, every column runs ``func`` again with the tangent riding along.
    """
    if strict:
        raise RuntimeError(
            "torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` are not "
            "supported together (yet). Please either set `strict=False` or `strategy=\"reverse-mode\"`."
        )
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=False, need_graph=True)
        columns = [[] for _ in inputs]  # columns[j][k]: J·e_k for input j, one tensor per output
        outputs = None
        for j, inp in enumerate(inputs):
            for k in range(inp.nelement()):
                tangents = tuple(_one_hot(x, k) if n == j else zeros_like(x) for n, x in enumerate(inputs))
                raw, column = _forward_mode(func, inputs, tangents)  # one forward pass per column
                is_outputs_tuple, outputs = _as_tuple(raw, "outputs of the user-provided function", "jacobian")
                columns[j].append(_fill_in_zeros(column, outputs, False, False, "back_trick"))
        if outputs is None:  # no input elements at all: still call func once for the output shapes
            is_outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                                  "jacobian")
    jac = tuple(
        tuple(_stack_columns([col[i] for col in columns[j]], out, inp) for j, inp in enumerate(inputs))
        for i, out in enumerate(outputs)
    )
    jac = _grad_postprocess(jac, False)
    return _tuple_postprocess(jac, (is_outputs_tuple, is_inputs_tuple))


def _stack_columns(columns, out, inp):
    """Columns J·e_k (each shaped like ``out``) side by side, shaped ``out.shape + inp.shape``."""
    if not columns:
        return zeros(out.shape + inp.shape, dtype=out.dtype)
    return stack([c.reshape(-1) for c in columns], dim=1).view(out.shape + inp.shape)


# --------------------------------------------------------------------------- second derivatives
def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar ``func``: ``H[i][j]`` = ∂²f/∂input_i∂input_j.

    Computed as the Jacobian of the gradient: the inner Jacobian (the gradient) is always reverse mode,
    with ``create_graph=True`` so it can be differentiated again; ``outer_jacobian_strategy`` picks the
    outer one. Each block has shape ``input_i.shape + input_j.shape``. ``vectorize`` is ignored.
    PyTorch: ``torch.autograd.functional.hessian``.
    """
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp):
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict=strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.nelement() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single element")
        return out.squeeze()

    def jac_func(*inp):
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_function_and_gradient(func, inputs, v, create_graph, strict, fn_name):
    """Shared start of vhp and hvp: checked inputs and v, f(x), and ∇f(x) with its graph kept."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
    inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
        _validate_v(v, inputs, is_inputs_tuple)
    elif len(inputs) != 1 or inputs[0].nelement() != 1:
        raise RuntimeError(
            "The vector v can only be None if the input to the user-provided function is a single Tensor "
            "with a single element."
        )
    outputs = func(*inputs)
    is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict=strict)
    if is_outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single element")
    jac = _autograd_grad(outputs, inputs, create_graph=True)  # ∇f, differentiable again
    _check_requires_grad(jac, "jacobian", strict=strict)
    return is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), vᵀ·H)`` for a scalar ``func``: the VJP of the gradient, two backward passes.

    PyTorch: ``torch.autograd.functional.vhp``.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac = _scalar_function_and_gradient(
            func, inputs, v, create_graph, strict, "vhp")
    with grad_mode.set_grad_enabled(create_graph or grad_mode.is_grad_enabled()):
        grad_res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, is_outputs_tuple), _tuple_postprocess(result, is_inputs_tuple)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), H·v)`` for a scalar ``func``: the JVP of the gradient (``_jvp_column``).

    For a twice continuously differentiable f, H is symmetric and hvp equals vhp, which is cheaper.
    PyTorch: ``torch.autograd.functional.hvp``.
    """
    with grad_mode.enable_grad():
        is_inputs_tuple, inputs, v, is_outputs_tuple, outputs, jac = _scalar_function_and_gradient(
            func, inputs, v, create_graph, strict, "hvp")
        _check_requires_grad(jac, "hessian", strict=strict)
    grad_res = _jvp_column(jac, inputs, v, create_graph=create_graph)  # H·v: the JVP of the gradient
    result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back_trick")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, is_outputs_tuple), _tuple_postprocess(result, is_inputs_tuple)
