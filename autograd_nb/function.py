"""Function: an operation with its forward and backward side by side, and the node it records.

``Function.apply`` is the path every operation takes (``a * b`` is ``Mul.apply(a, b)``):

1. ``forward`` runs with grad mode off, so nothing inside it is recorded, and computes the result.
2. If grad mode is on and some input requires grad, the operation is recorded. Its node is an instance
   of the Function's node class (``MulBackward0`` for ``Mul``) and it *is* the ``ctx`` that forward saw,
   so whatever forward saved is there when backward runs (PyTorch works the same way).
3. The node's ``next_functions`` get one edge per tensor input, pointing from the output back to that
   input: ``(input.grad_fn, output_nr)`` for a computed input, ``(AccumulateGrad, 0)`` for a leaf that
   requires grad, ``(None, 0)`` for an input that needs no gradient.
4. Each output gets ``grad_fn = node``: it requires grad now, and it is not a leaf.

The engine (``engine.py``) later walks these edges from the root to the leaves, calling each node.

**One op style.** Every operation, built-in or yours, is a ``Function`` subclass written the same way::

    class Mul(Function):
        '''z = x · y      ∂z/∂x = y, ∂z/∂y = x'''   # the math on one line
        node_name = "MulBackward0"                  # PyTorch's name for the node
        saved_names = ("self", "other")             # PyTorch's names for what forward saves

        @staticmethod
        def forward(ctx, x, y):                     # tensors in (grad mode is off in here)
            ctx.save_for_backward(x, y)             # what backward will need
            return x._data * y._data                # the result: a numpy array (or a tensor)

        @staticmethod
        def backward(ctx, grad):                    # ∂L/∂z in; ∂L/∂(each argument of forward) out
            x, y = ctx.saved_tensors
            return unbroadcast(grad * y, x.shape), unbroadcast(grad * x, y.shape)

* ``forward`` is where numpy does the work: a built-in op reads its inputs' arrays (``x._data``) and
  returns an array. Yours may use tensor operations instead (lesson 8): they are not recorded here.
* ``backward`` uses tensor operations only, so that ``create_graph=True`` can record and differentiate
  it again. It returns one gradient per argument of forward, ``None`` for a non-tensor argument or an
  input whose gradient is not needed (``ctx.needs_input_grad``).
* ``jvp`` (forward mode, optional) comes last; see ``Function.jvp``.
"""
import inspect
import itertools

import numpy as np

from . import forward_mode
from .grad_mode import _set_grad_enabled, is_grad_enabled, no_grad
from .hooks import add_hook
from .quiet import quiet
from .saved_tensor import FREED_MESSAGE, FREED_SAVED_TENSOR, SavedTensor, hooks as saved_tensor_hooks, pack_with_hooks

_sequence_nrs = itertools.count()  # numbers the recorded nodes in order: the engine runs later ones first


class Function:
    """Base class of every operation: subclass it with static ``forward`` and ``backward``, call ``.apply``."""

    node_name = None  # PyTorch's name of the node (``"MulBackward0"``); by default the class name + "Backward"
    cpp_name = None  # what the node's name() says, where PyTorch gives the C++ name (``torch::autograd::...``)
    saved_names = ()  # PyTorch's names of the saved tensors, read as ``grad_fn._saved_self``, ...
    is_view = False  # True when the output looks into the first input's memory (reshape, transpose, x[0], ...)

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward``; if grad mode is on and an input requires grad, record a node for ``backward``."""
        if kwargs or cls._setup_context_style:  # (arguments by keyword, defaults filled in: see _bind_arguments)
            args = _bind_arguments(cls, args, kwargs)
        ctx = cls._backward_cls()  # the node-to-be: forward sees it as ctx
        ctx.needs_input_grad = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])
        record = is_grad_enabled() and True in ctx.needs_input_grad
        tangents = _tangents(args)  # forward mode: the inputs' tangents (None when there are none)
        ctx._keeps_saved = record or tangents is not None  # else nobody will ask for what forward saves

        result = _run_forward(cls, ctx, args, tangents is not None)
        outputs = _as_tensors(cls, ctx, args, result)

        if record:  # the node joins the graph: edges back to the inputs, grad_fn on the outputs
            ctx.next_functions = tuple([a._edge() for a in args if isinstance(a, Tensor)])
            for nr, out in enumerate(outputs):
                if _differentiable(ctx, out):
                    out._grad_fn, out._output_nr = ctx, nr
            _remember_for_backward(ctx, args, outputs)
        if tangents is not None:
            _push_tangents(cls, ctx, tangents, outputs)
        return outputs if type(result) is tuple else outputs[0]

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement the backward function for custom autograd.Function.")

    @staticmethod
    def jvp(ctx, *tangents):
        """Forward mode: the tangent of each output, J·(the tangents of the inputs), one per argument of forward
        (None for a non-tensor argument). It runs right after forward, with what forward saved."""
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """PyTorch's other style: ``forward(*args)`` computes without a ctx, then ``setup_context`` saves what
        backward needs from the inputs (a tuple) and the output. Define it, and ``apply`` calls both."""
        raise NotImplementedError("setup_context is not implemented.")

    def __init_subclass__(cls, **kwargs):
        # As in PyTorch, each Function gets a node class of its own, so that ``type(y.grad_fn).__name__`` is
        # ``MulBackward0`` and ``print(y.grad_fn)`` says so.
        super().__init_subclass__(**kwargs)
        cls._setup_context_style = cls.setup_context is not Function.setup_context
        name = cls.__dict__.get("node_name") or cls.__name__ + "Backward"
        cls._backward_cls = type(name, (BackwardNode,), {
            "_forward_cls": cls, "_names_of_saved": tuple(cls.saved_names), "__module__": cls.__module__,
            "_cpp_name": cls.__dict__.get("cpp_name"), "_repr_prefix": "" if cls.__dict__.get("node_name") else "torch.autograd.function.",
        })


# --- Function.apply's steps ---------------------------------------------------------------------------
def _run_forward(cls, ctx, args, pause_forward_mode):
    """``forward`` with grad mode off (nothing inside it is recorded) and numpy's float warnings off."""
    if quiet.depth and not is_grad_enabled() and not pause_forward_mode:
        return _forward(cls, ctx, args)  # optimization: both are off already, as for every op of a backward
        # pass (per-op benchmark: matmul 24.5 → 22.2 µs, mul 19 → 18 µs)
    grad_mode_was = is_grad_enabled()
    _set_grad_enabled(False)
    try:
        with quiet:
            if pause_forward_mode:  # this op's jvp computes its tangents (from what forward saves), not the ops inside
                ctx._forward_mode = True
                with forward_mode.paused():
                    return _forward(cls, ctx, args)
            return _forward(cls, ctx, args)
    finally:
        _set_grad_enabled(grad_mode_was)


def _forward(cls, ctx, args):
    """``forward(ctx, *args)``. A Function in PyTorch's setup_context style has ``forward(*args)`` instead, and
    ``setup_context(ctx, inputs, output)`` fills the ctx right after it."""
    if not cls._setup_context_style:
        return cls.forward(ctx, *args)
    output = cls.forward(*args)
    cls.setup_context(ctx, args, output)
    return output


def _bind_arguments(cls, args, kwargs):
    """The arguments of ``forward`` by position, those given by keyword and the defaults included, as PyTorch
    passes them to a setup_context-style Function (its ``inputs``)."""
    signature = inspect.signature(cls.forward)
    if not cls._setup_context_style:  # forward(ctx, ...): ctx is not an argument of apply
        return signature.bind(None, *args, **kwargs).args[1:]
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.args


def _as_tensors(cls, ctx, args, result):
    """Forward's result (one, or a tuple) as a tuple of tensors. A view op's outputs share its input's memory."""
    if type(result) is tuple:
        outputs = tuple([r if isinstance(r, Tensor) else Tensor(r) for r in result])
    else:
        outputs = (result if isinstance(result, Tensor) else Tensor(result),)
    if cls.is_view:
        for nr, out in enumerate(outputs):
            if out._data is args[0]._data:  # numpy handed the same array back (nothing to change): a view of it
                out._data = out._data.view()
            if out._data.base is not None:  # (a reshape that had to copy is not a view)
                _share_memory(out, args[0], cls)
            if len(outputs) > 1 and is_grad_enabled():  # (split, unbind: PyTorch refuses to change these in place)
                op = cls._backward_cls.__name__
                out._multi_output_view = f"Output {nr} of {op[:op.rfind('Backward')]}"
    elif ctx._dirty or _hands_back_an_input(outputs, args):
        outputs = _inputs_handed_back(cls, ctx, args, outputs)
    return outputs


def _hands_back_an_input(outputs, args):
    for out in outputs:
        for a in args:
            if out is a:
                return True
    return False


def _inputs_handed_back(cls, ctx, args, outputs):
    """A custom Function returned some of its inputs. One it changed in place and marked dirty is an output
    itself (its history continues from this node); any other becomes a new tensor that shares its memory, so
    that the input keeps its own place in the graph (as in PyTorch)."""
    dirty = ctx._dirty
    for t in dirty:
        if not any(t is out for out in outputs):
            raise RuntimeError("Some elements marked as dirty during the forward method were not returned as output. "
                               "The inputs that are modified inplace must all be outputs of the Function.")
        if is_grad_enabled() and True in ctx.needs_input_grad and t.grad_fn is None and t._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
        t._bump_version()  # (PyTorch counts the marking as a change too)
    fresh = []
    for out in outputs:
        if any(out is a for a in args) and not any(out is t for t in dirty):
            alias = Tensor(out._data.view())
            _share_memory(alias, out, cls)
            out = alias
        fresh.append(out)
    return tuple(fresh)


def _share_memory(view, source, cls):
    """``view`` looks into ``source``'s memory: an in-place change to one is seen by the other, so they share
    one version counter, and ``view._base`` is the tensor that owns the memory (see views.py)."""
    base = source._base if source._base is not None else source
    view._base = base
    view._version_counter = base._version_counter
    view._view_version = base._version_counter[0]
    if not is_grad_enabled():  # (views made under no_grad: PyTorch's messages say where they came from)
        view._no_grad_view = "A view was created in no_grad mode"
    elif source._base is not None and source._no_grad_view:  # (the message names the view's node, if it has one)
        op = cls._backward_cls.__name__
        view._no_grad_view = (f"Output 0 of {op[:op.rfind('Backward')]} is a view of a view which was created in "
                              "no_grad mode" if source.requires_grad else "A view was created in no_grad mode")


def _differentiable(ctx, out):
    """Can a gradient flow into this output? Not into integers or bools, nor into what forward marked."""
    return out.dtype.is_floating_point and not (ctx._non_differentiable and any(out is t for t in ctx._non_differentiable))


def _remember_for_backward(node, args, outputs):
    """What the engine needs later: the node's place in the recording order, the shape and dtype of each
    gradient it takes (one per output), which arguments were tensors, and which saved tensors it made."""
    node.sequence_nr = next(_sequence_nrs)
    node._input_metadata = tuple([(o._data.shape, o.dtype) for o in outputs])
    if len(node.next_functions) != len(args):  # some arguments were not tensors (a dim, a shape): no edge
        node._tensor_args = tuple([i for i, a in enumerate(args) if isinstance(a, Tensor)])
    for saved in node._saved:  # PyTorch's messages call a saved output "output nr of this node" (if it is one)
        for nr, out in enumerate(outputs):
            if saved is not None and saved.tensor is out and out._grad_fn is node:
                saved.output_of = (node, nr)
    if saved_tensor_hooks:  # inside saved_tensors_hooks: what the node saved goes through the pack hook now
        pack_with_hooks(node._saved)


def _tangents(args):
    """Forward mode: a tangent per argument (zeros for a tensor without one), or None when no input has one."""
    if not forward_mode.is_active() or not any(isinstance(a, Tensor) and a._tangent is not None for a in args):
        return None
    return tuple([(Tensor(np.zeros_like(a._data)) if a._tangent is None else a._tangent)
                  if isinstance(a, Tensor) else None for a in args])


def _push_tangents(cls, ctx, tangents, outputs):
    """Forward mode: each output's tangent, from ``jvp``. As in PyTorch, the formula is recorded when grad mode
    is on (a tangent depends on the primal values, and backward can go through it: forward-over-reverse)."""
    with forward_mode.paused():
        result = cls.jvp(ctx, *tangents)
    ctx._kept_for_jvp = None  # (what save_for_forward kept was for this jvp only)
    for out, t in zip(outputs, result if type(result) is tuple else (result,)):
        if t is not None and out.dtype.is_floating_point:
            forward_mode.attach(out, t if t.shape == out.shape else t.expand(out.shape).clone())


# --- the ctx: what forward and backward see -------------------------------------------------------------
class FunctionCtx:
    """The ``ctx`` of ``forward`` and ``backward``: what forward keeps for backward (PyTorch's ``FunctionCtx``).

    A recorded node is its Function's ctx too: ``BackwardNode`` below is both a ``FunctionCtx`` and a ``Node``.
    """

    needs_input_grad = ()  # one bool per argument of forward: is it a tensor that requires grad?
    _saved = ()  # a SavedTensor (or None) per tensor given to save_for_backward
    _kept_for_jvp = None  # what save_for_forward kept, for jvp only
    _keeps_saved = True  # False when nothing will ever ask for what forward saves: then nothing is kept
    _forward_mode = False  # True when jvp will run after forward (then it may need anything forward saves)
    _freed = False  # True once backward has let the saved tensors go
    _non_differentiable = ()
    _dirty = ()  # inputs that forward changed in place (mark_dirty)
    _materialize_grads = True
    _inner_nodes = ()  # nodes whose backward this one's backward calls (CopySlices: the in-place op's node)

    def save_for_backward(self, *tensors):
        """Keep tensors for backward; ``ctx.saved_tensors`` gives them back, checked for in-place changes."""
        if self._keeps_saved:
            self._saved = tuple([None if t is None else SavedTensor(t) for t in tensors])

    def save_for_forward(self, *tensors):
        """Keep tensors for ``jvp`` only: during jvp, ``ctx.saved_tensors`` gives these instead (as in PyTorch)."""
        if self._keeps_saved:
            self._kept_for_jvp = tensors

    @property
    def saved_tensors(self):
        if self._kept_for_jvp is not None:
            return self._kept_for_jvp
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        return tuple([None if s is None else s.unpack() for s in self._saved])

    def differentiates(self, i):
        """Will a derivative with respect to argument ``i`` be asked for (a gradient, or a tangent in forward
        mode)? Forward uses it to save only what some derivative will use, as PyTorch does: ``x * y`` keeps
        ``y`` (which x's gradient needs) only when ``x`` requires grad."""
        return self._keeps_saved and (self.needs_input_grad[i] or self._forward_mode)

    def mark_dirty(self, *tensors):
        """Inputs that forward changed in place (and returns): their history continues from this node."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors):
        """Outputs that never get a gradient (e.g. the indices of ``max``)."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With False, backward receives None instead of zeros for outputs that got no gradient."""
        self._materialize_grads = bool(value)

    def __getattr__(self, name):  # (only called for attributes the ctx does not have)
        # PyTorch's nodes show their saved values as ``_saved_self``, ``_saved_other``, ... (graph painters read
        # them); ours map those names onto ``saved_tensors``.
        names = getattr(type(self), "_names_of_saved", ())
        if name.startswith("_saved_") and name[7:] in names:
            return self.saved_tensors[names.index(name[7:])]
        if name.startswith("_raw_saved_") and name[11:] in names:  # the SavedTensor itself (its register_hooks)
            return self._saved[names.index(name[11:])] if not self._freed else FREED_SAVED_TENSOR
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self):
        names = [f"_saved_{n}" for n in getattr(type(self), "_names_of_saved", ())[: len(self._saved)]]
        return sorted(set(super().__dir__()) | set(names))


# --- the nodes: what the engine runs --------------------------------------------------------------------
class Node:
    """A node of the backward graph. The engine calls ``apply(grads)`` with one gradient per output of the
    forward operation, and gets back one gradient per edge in ``next_functions``.

    Two kinds exist: ``BackwardNode`` (one per recorded operation, ``MulBackward0``) and ``AccumulateGrad``
    (one per leaf that requires grad; it adds into ``leaf.grad``).
    """

    next_functions = ()  # one (node, output_nr) edge per tensor input, set when the node is recorded
    sequence_nr = None  # its number in the recording order (PyTorch reads it with ``_sequence_nr()``)
    _input_metadata = ()  # (shape, dtype) of each gradient it takes: the gradients sent to it must fit
    # Hooks are rare, so their tables are made on first use (None until then).
    _pre_hooks = None  # node.register_prehook: see the gradients flowing into the node
    _post_hooks = None  # node.register_hook: see what it computed, too
    _tensor_pre_hooks = None  # output_nr -> {id: hook}: tensor.register_hook on the tensors it made
    _retained = None  # output_nr -> weak reference to a tensor it made that called retain_grad()
    _repr_prefix = ""  # custom Functions' nodes print as PyTorch's do: <torch.autograd.function.MyOpBackward ...>

    _cpp_name = None

    def name(self):
        """The PyTorch name of this node, e.g. ``'MulBackward0'``."""
        return self._cpp_name or type(self).__name__

    def __call__(self, *grads):
        """``node(grad)``: the node's backward by hand, as in PyTorch (one gradient per edge; a single one
        comes back as a tensor, several as a tuple). Nothing is freed: the engine does that."""
        out = self.apply(grads)
        return out[0] if len(out) == 1 else out

    def _sequence_nr(self):
        return self.sequence_nr

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; it may return new ``grad_inputs``."""
        if self._post_hooks is None:
            self._post_hooks = {}
        return add_hook(self._post_hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return new ``grad_outputs``."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return add_hook(self._pre_hooks, fn)

    def free_saved_tensors(self):
        """Let go of what forward saved (the engine calls this after the node ran, unless ``retain_graph``)."""

    def __repr__(self):
        return f"<{type(self)._repr_prefix}{type(self).__name__} object at {hex(id(self))}>"

    def _repr_html_(self):
        """In a notebook a node shows the graph behind it (its plain repr stays PyTorch's)."""
        from .viz import node_html  # (viz brings networkx and matplotlib: loaded only for pictures)

        return node_html(self)


class BackwardNode(FunctionCtx, Node):
    """The node ``Function.apply`` records: the ctx that forward filled, and the node the engine calls."""

    _forward_cls = None  # the Function whose backward this node runs
    _names_of_saved = ()  # PyTorch's names for the saved tensors, e.g. ("self", "other")
    _tensor_args = None  # which arguments of forward were tensors (they have edges); None: all of them

    def apply(self, grads):
        """Run the Function's backward: ∂L/∂(each output) in, ∂L/∂(each tensor input) out, one per edge."""
        if self._materialize_grads and any([g is None for g in grads]):  # backward sees zeros, not None
            grads = tuple([Tensor(np.zeros(shape, dtype.numpy_dtype)) if g is None else g
                           for g, (shape, dtype) in zip(grads, self._input_metadata)])
        result = self._forward_cls.backward(self, *grads)
        result = result if type(result) is tuple else (result,)
        if len(result) != len(self.needs_input_grad):
            result = _one_per_argument(self, result)
        return result if self._tensor_args is None else tuple([result[i] for i in self._tensor_args])

    def free_saved_tensors(self):
        if self._saved:
            self._saved = ()
            self._freed = True
        for inner in self._inner_nodes:
            inner.free_saved_tensors()


def _one_per_argument(node, result):
    """Backward must return a gradient per argument of forward (extra trailing Nones are allowed)."""
    n = len(node.needs_input_grad)
    if len(result) > n and all(r is None for r in result[n:]):
        return result[:n]
    raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                       f"(expected {n}, got {len(result)})")


class AccumulateGrad(Node):
    """The node at the end of every path to a leaf that requires grad: it adds the gradient into ``leaf.grad``."""

    sequence_nr = float("inf")  # PyTorch runs these as soon as they are ready

    def __init__(self, variable):
        self.variable = variable
        self._input_metadata = ((variable._data.shape, variable.dtype),)  # it takes the leaf's gradient

    def name(self):
        return "torch::autograd::AccumulateGrad"  # the C++ name PyTorch reports for this node

    def apply(self, grads):
        """``leaf.grad += grad``. The first gradient is copied into a new ``.grad``, so that adding into it
        later changes no one else's tensor. Nothing flows further: the leaf is the end of the path."""
        (grad,) = grads
        variable = self.variable
        if variable._grad_fn is not None:  # an in-place op recorded a node for it since: no longer a leaf
            raise RuntimeError("leaf variable has been moved into the graph interior")
        if not variable.requires_grad:  # it stopped requiring grad (requires_grad_(False), detach_()) after
            return ()  # the graph was recorded: PyTorch leaves its .grad alone
        if variable.grad is None:
            if is_grad_enabled() and grad.requires_grad:  # create_graph=True: a copy that stays in the graph
                variable.grad = ops.Copy.apply(Tensor(np.zeros_like(grad._data)), grad)  # (CopyBackwards)
            else:
                variable.grad = _copy_like(grad, variable)
        elif is_grad_enabled():
            variable.grad = variable.grad + grad  # create_graph=True: the sum stays in the graph
        else:
            variable.grad.add_(grad)
        return ()


def _copy_like(grad, variable):
    """A copy of ``grad`` laid out in memory as ``variable`` is (PyTorch's "gradient layout contract")."""
    out = np.empty_like(variable._data)
    np.copyto(out, grad._data)
    return Tensor(out)


from . import ops  # noqa: E402  (imported last: ops and tensor need the classes above)
from .tensor import Tensor  # noqa: E402
