"""Derivatives as functions: ``grad(f)`` is the function x ↦ ∇f(x), ``jacrev(f)`` the function x ↦ J_f(x).

Each transform calls ``f`` on fresh tensors that require grad, then asks the engine for the derivative
with ``autograd.grad``, always with ``create_graph=True``: the derivative is itself recorded, so
transforms compose (``grad(grad(f))``, ``jacrev(jacrev(f))``, ``vmap(grad(f))``). When the caller's
tensors (arguments, or weights ``f`` reads) require grad, the results stay on their graph, as in
PyTorch; otherwise they come back detached.

* ``vjp``: vᵀ·J, one backward pass per cotangent v;
* ``jvp``: J·v. PyTorch pushes v forward (forward-mode AD); here J·v comes from two backward passes, the
  *double-backward trick*: g(u) = uᵀJ is linear in u, so ∂(g·v)/∂u = J·v. Same numbers, and it nests
  with every other transform (the package's forward mode does not nest);
* ``jacrev``: J row by row (a vjp per output element); ``jacfwd``: column by column (a jvp per input
  element); ``hessian`` = ``jacfwd(jacrev(f))``, as in PyTorch.

PyTorch: ``torch.func.grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``, ``jacfwd``, ``hessian``.
"""
import functools

from .. import creation
from ..engine import grad as _grad
from ..grad_mode import enable_grad, is_grad_enabled
from ..ops import stack
from ..tensor import Tensor
from . import pytree


# --------------------------------------------------------------------------------------- inputs
def _argnums(argnums, n_args):
    """The positions to differentiate with respect to (negative ones count from the end)."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        numbers = (argnums,)
    elif isinstance(argnums, tuple) and all(isinstance(a, int) for a in argnums):
        if not argnums:
            raise RuntimeError("argnums must be non-empty")
        numbers = argnums
    else:
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    for a in numbers:
        if not -n_args <= a < n_args:
            raise RuntimeError(f"Got argnum={a}, but only {n_args} positional inputs")
    return tuple(a % n_args for a in numbers)


def _fresh(x):
    """A tensor to differentiate with respect to, standing for ``x``: a leaf of its own, or (when ``x``
    requires grad) a view of ``x``, so that derivatives stay connected to the caller's graph."""
    if not isinstance(x, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
    if not x.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    return x.view_as(x) if x.requires_grad else x.detach().requires_grad_()


class _Inputs:
    """``args`` with the pytrees at ``argnums`` replaced by fresh tensors; ``leaves[i]`` are those of
    argument ``argnums[i]``, ``specs[i]`` its structure."""

    def __init__(self, args, argnums):
        self.args, self.leaves, self.specs = list(args), [], []
        for i in argnums:
            leaves, spec = pytree.flatten(args[i])
            fresh = [_fresh(x) for x in leaves]
            self.args[i] = pytree.unflatten(fresh, spec)
            self.leaves.append(fresh)
            self.specs.append(spec)

    @property
    def flat(self):
        return [x for leaves in self.leaves for x in leaves]

    def regroup(self, values, single):
        """Values given per fresh leaf (in ``flat`` order) put back into the arguments' structures."""
        values, trees = iter(values), []
        for leaves, spec in zip(self.leaves, self.specs):
            trees.append(pytree.unflatten([next(values) for _ in leaves], spec))
        return trees[0] if single else tuple(trees)


# --------------------------------------------------------------------------------------- outputs
def _reaches_outside(t, inner):
    """Does ``t``'s graph reach a leaf that requires grad other than the transform's own (``inner``)?"""
    if t.grad_fn is None:
        return t.requires_grad and id(t) not in inner
    seen, todo = set(), [t.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        variable = getattr(node, "variable", None)  # AccumulateGrad: the end of a path, at a leaf
        if variable is not None:
            if id(variable) not in inner:
                return True
            continue
        todo.extend(edge[0] for edge in node.next_functions)
    return False


def _finish(tree, inputs, grad_was_enabled):
    """Results as the caller gets them: detached unless they depend on the caller's tensors."""
    inner = {id(x) for x in inputs.flat}

    def finish(t):
        if isinstance(t, Tensor) and t.requires_grad and not (grad_was_enabled and _reaches_outside(t, inner)):
            return t.detach()
        return t

    return pytree.tree_map(finish, tree)


def _split_aux(output, has_aux, api):
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True")
    return output


def _tensor_leaves(tree, api):
    leaves, spec = pytree.flatten(tree)
    for x in leaves:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type {type(x)}")
    return leaves, spec


def _check_aux(aux):
    for x in pytree.flatten(aux)[0]:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(x)}")


def _run(func, args, argnums, kwargs, has_aux, api):
    """``func`` called on fresh tensors for the arguments at ``argnums`` (grad mode on): the inputs, the
    output (and aux, checked to be tensors) and the output's tensors with its structure."""
    inputs = _Inputs(args, argnums)
    output, aux = _split_aux(func(*inputs.args, **kwargs), has_aux, api)
    outputs, out_spec = _tensor_leaves(output, api)
    if has_aux:
        _check_aux(aux)
    return inputs, output, aux, outputs, out_spec


def _vjp(outputs, inputs, cotangents):
    """vᵀ·J for each input (zeros where an input does not matter), recorded for further derivatives."""
    pairs = [(o, v) for o, v in zip(outputs, cotangents) if o.requires_grad]
    grads = [None] * len(inputs)
    if pairs:
        grads = _grad([o for o, _ in pairs], inputs, [v for _, v in pairs], retain_graph=True, create_graph=True,
                      allow_unused=True)
    return [creation.zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]


def _jvp_maker(outputs, inputs):
    """A function ``tangents ↦ J·tangents`` (one per output) by the double-backward trick: g(u) = uᵀJ is
    computed once, with u a dummy cotangent that requires grad; J·v is then the vjp of g with v."""
    live = [o for o in outputs if o.requires_grad]
    dummies = [creation.zeros_like(o, requires_grad=True) for o in live]
    g = _grad(live, inputs, dummies, create_graph=True, allow_unused=True) if live else [None] * len(inputs)
    pairs = [(gi, i) for i, gi in enumerate(g) if gi is not None and gi.requires_grad]

    def jvp_of(tangents):
        results = iter([])
        if pairs and dummies:
            results = iter(_grad([gi for gi, _ in pairs], dummies, [tangents[i] for _, i in pairs],
                                 retain_graph=True, create_graph=True, allow_unused=True))
        by_live = {id(o): next(results, None) for o in live}
        return [creation.zeros_like(o) if by_live.get(id(o)) is None else by_live[id(o)] for o in outputs]

    return jvp_of


# --------------------------------------------------------------------------------------- the transforms
def grad_and_value(func, argnums=0, has_aux=False):
    """A function that returns ``(gradient, value)`` of ``func`` (which must return a scalar tensor),
    the gradient with respect to argument ``argnums`` (a tuple of positions gives a tuple of gradients;
    an argument may be a dict/list/tuple of tensors, its gradient has the same structure). With
    ``has_aux``, ``func`` returns ``(value, aux)`` and the result is ``(gradient, (value, aux))``.
    PyTorch: ``torch.func.grad_and_value``."""
    api = "grad_and_value(f)(*args)"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grad_was_enabled = is_grad_enabled()
        with enable_grad():
            numbers = _argnums(argnums, len(args))
            inputs = _Inputs(args, numbers)
            output, aux = _split_aux(func(*inputs.args, **kwargs), has_aux, api)
            if not isinstance(output, Tensor):
                raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got {type(output)}")
            if output.dim() != 0:
                raise RuntimeError(f"{api}: Expected f(*args) to return a scalar Tensor, got tensor with "
                                   f"{output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
            grads = inputs.regroup(_vjp([output], inputs.flat, [creation.ones_like(output)]),
                                   isinstance(argnums, int))
        value = output if not has_aux else (output, aux)
        return _finish((grads, value), inputs, grad_was_enabled)

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """The gradient of ``func`` as a function: ``grad(f)(x)`` is ∇f(x) (see ``grad_and_value`` for
    ``argnums`` and ``has_aux``; with ``has_aux`` it returns ``(gradient, aux)``). PyTorch: ``torch.func.grad``."""
    both = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        gradient, value = both(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    return wrapper


def vjp(func, *primals, has_aux=False):
    """``(func(*primals), vjp_fn)``: ``vjp_fn(v)`` gives vᵀ·J for each primal (a tuple), v shaped as the
    output. With ``has_aux``: ``(output, vjp_fn, aux)``. PyTorch: ``torch.func.vjp``."""
    api = "vjp(f, *primals)"
    grad_was_enabled = is_grad_enabled()
    with enable_grad():
        inputs, output, aux, outputs, out_spec = _run(func, primals, range(len(primals)), {}, has_aux, api)

    def vjp_fn(cotangents):
        leaves, spec = pytree.flatten(cotangents)
        if spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of outputs "
                               f"to the function. cotangents: {spec.pprint()}, primal output: {out_spec.pprint()}")
        with enable_grad():
            grads = _vjp(outputs, inputs.flat, leaves)
        return _finish(inputs.regroup(grads, False), inputs, grad_was_enabled)

    result = _finish(output, inputs, grad_was_enabled)
    return (result, vjp_fn, _finish(aux, inputs, grad_was_enabled)) if has_aux else (result, vjp_fn)


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """``(func(*primals), J·tangents)``, ``tangents`` shaped as ``primals`` (a tuple). With ``has_aux``:
    ``(output, jvp_out, aux)``. Computed by the double-backward trick (see the module docstring).
    PyTorch: ``torch.func.jvp``."""
    api = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{api}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).")
    primal_leaves, primal_spec = pytree.flatten(primals)
    tangent_leaves, tangent_spec = pytree.flatten(tangents)
    if primal_spec != tangent_spec:
        raise RuntimeError(f"{api}: Expected primals and tangents to have the same python structure. For example, if "
                           "primals is a tuple of 3 tensors, tangents also must be. Got primals with structure "
                           f"{primal_spec} and tangents with structure {tangent_spec}")
    if not primal_leaves:
        raise RuntimeError(f"{api}: Expected primals to contain at least one Tensor.")
    for p, t in zip(primal_leaves, tangent_leaves):
        if isinstance(p, Tensor) and isinstance(t, Tensor) and p.shape != t.shape:
            raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                               f"Tensor, this is not supported. Tensor is of size [{', '.join(map(str, p.shape))}] while"
                               f" the given forward gradient is of size [{', '.join(map(str, t.shape))}].")
    grad_was_enabled = is_grad_enabled()
    with enable_grad():
        inputs, output, aux, outputs, out_spec = _run(func, primals, range(len(primals)), {}, has_aux, api)
        derivative = pytree.unflatten(_jvp_maker(outputs, inputs.flat)(tangent_leaves), out_spec)
    result = _finish((output, derivative), inputs, grad_was_enabled)
    return (*result, _finish(aux, inputs, grad_was_enabled)) if has_aux else result


def _jacobian(func, argnums, has_aux, columns):
    """The body of jacrev (``columns=False``: row by row) and jacfwd (column by column)."""
    api = "vjp(f, *primals)" if not columns else "jvp(f, primals, tangents)"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        grad_was_enabled = is_grad_enabled()
        with enable_grad():
            inputs, output, aux, outputs, out_spec = _run(func, args, _argnums(argnums, len(args)), kwargs, has_aux,
                                                          api)
            flat = inputs.flat
            blocks = _by_columns(outputs, flat) if columns else _by_rows(outputs, flat)
            per_output = [inputs.regroup(row, isinstance(argnums, int)) for row in blocks]
            jacobian = pytree.unflatten(per_output, out_spec)
        result = jacobian if not has_aux else (jacobian, aux)
        return _finish(result, inputs, grad_was_enabled)

    return wrapper


def _one_hot(like, k):
    e = creation.zeros(like.numel(), dtype=like.dtype)
    e[k] = 1.0
    return e.reshape(like.shape)


def _by_rows(outputs, inputs):
    """∂o/∂x for every output o and input x, of shape o.shape + x.shape: a vjp per element of o."""
    blocks = []
    for o in outputs:
        rows = [_vjp([o], inputs, [_one_hot(o, k)]) for k in range(o.numel())]
        blocks.append([stack([r[j] for r in rows]).reshape(o.shape + x.shape) if rows else
                       creation.zeros(o.shape + x.shape, dtype=o.dtype) for j, x in enumerate(inputs)])
    return blocks


def _by_columns(outputs, inputs):
    """The same Jacobian blocks, a jvp per element of each input (J·eₖ is column k)."""
    jvp_of = _jvp_maker(outputs, inputs)
    blocks = [[None] * len(inputs) for _ in outputs]
    for j, x in enumerate(inputs):
        columns = [jvp_of([_one_hot(x, k) if i == j else creation.zeros_like(y) for i, y in enumerate(inputs)])
                   for k in range(x.numel())]
        for n, o in enumerate(outputs):
            blocks[n][j] = (stack([c[n] for c in columns], dim=-1).reshape(o.shape + x.shape) if columns else
                            creation.zeros(o.shape + x.shape, dtype=o.dtype))
    return blocks


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    """The Jacobian of ``func`` as a function, by reverse mode (a vjp per output element): for an output
    of shape O and an input of shape I, a tensor of shape O + I. ``argnums`` and pytrees as in ``grad``;
    several outputs give one Jacobian each. ``chunk_size`` is accepted and ignored. PyTorch: ``torch.func.jacrev``."""
    return _jacobian(func, argnums, has_aux, columns=False)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """The Jacobian of ``func`` column by column (a jvp per input element), same shapes as ``jacrev``.
    PyTorch: ``torch.func.jacfwd``."""
    return _jacobian(func, argnums, has_aux, columns=True)


def hessian(func, argnums=0):
    """The Hessian of a scalar ``func``: ``jacfwd(jacrev(func))``, of shape I + I. PyTorch: ``torch.func.hessian``."""
    return jacfwd(jacrev(func, argnums), argnums)
