"""Function and the graph nodes it leaves behind.

Every differentiable operation is a ``Function`` subclass with a ``forward`` (compute the result) and a
``backward`` (turn the gradient of the result into gradients of the inputs) written side by side.
``Function.apply`` runs ``forward`` and, when any input requires grad, records a node in the graph:

* the node *is* the ``ctx`` that ``forward`` saw (PyTorch works the same way), so whatever ``forward``
  saved with ``ctx.save_for_backward`` is there when ``backward`` runs;
* the node's class is named as PyTorch names it: ``MulBackward0`` for ``Mul``, ``MyOpBackward`` for a
  custom ``MyOp``; that is the ``grad_fn`` a learner sees on the result;
* ``node.next_functions`` holds one edge per tensor input, pointing from the output back to the input:
  ``(input.grad_fn, output_nr)`` for a computed input, ``(AccumulateGrad, 0)`` for a leaf that requires
  grad, and ``(None, 0)`` for an input that needs no gradient.

The engine (``engine.py``) later walks these edges from the root to the leaves.
"""
import itertools
import sys

import numpy as np

from . import grad_mode
from .quiet import quiet
from .autograd import forward_ad

# Each node gets the next number: later nodes run first in backward, as in PyTorch.
_sequence = itertools.count()

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call .backward() "
    "or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time "
    "or if you need to access saved tensors after calling backward."
)


class RemovableHandle:
    """Returned by ``register_hook``: ``handle.remove()`` takes the hook off again."""

    _ids = itertools.count()

    def __init__(self, hooks):
        self.hooks = hooks
        self.id = next(RemovableHandle._ids)

    def remove(self):
        self.hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Node:
    """A node of the backward graph: something the engine calls with gradients.

    Two kinds exist: ``BackwardNode`` (one per recorded operation, e.g. ``AddBackward0``) and
    ``AccumulateGrad`` (one per leaf tensor that requires grad; it adds into ``leaf.grad``).
    """

    # Hooks are rare, so their tables are made on first use (None until then).
    _pre_hooks = None  # hooks on the gradients flowing into this node (its outputs' grads)
    _post_hooks = None  # hooks seeing both the outputs' grads and the inputs' grads
    _tensor_pre_hooks = None  # output_nr -> {id: hook}: Tensor.register_hook of non-leaves
    _retained = None  # output_nr -> tensor that called retain_grad()

    next_functions = ()  # one (node, output_nr) edge per input, set when the node is recorded
    _seq = None  # its number in the order nodes were recorded (see _sequence), set when it is recorded

    def name(self):
        """The PyTorch name of this node, e.g. ``'MulBackward0'``."""
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self)._repr_prefix}{type(self).__name__} object at {hex(id(self))}>"

    _repr_prefix = ""  # custom Functions' nodes print as PyTorch's do: <torch.autograd.function.MyOpBackward ...>

    def _repr_html_(self):
        """In a notebook a node shows the graph behind it (its plain repr stays PyTorch's)."""
        from .viz import node_html

        return node_html(self)

    def _sequence_nr(self):
        return self._seq

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node; it may return new ``grad_inputs``."""
        if self._post_hooks is None:
            self._post_hooks = {}
        handle = RemovableHandle(self._post_hooks)
        self._post_hooks[handle.id] = fn
        return handle

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return new ``grad_outputs``."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        handle = RemovableHandle(self._pre_hooks)
        self._pre_hooks[handle.id] = fn
        return handle

    def __call__(self, *grads):
        return self.apply(grads)


class AccumulateGrad(Node):
    """The node at the end of every path to a leaf: ``leaf.grad += incoming gradient``."""

    def __init__(self, variable):
        self.variable = variable
        self._output_meta = ((variable._data.shape, variable.dtype),)  # the gradient it takes: the leaf's
        self._seq = float("inf")  # PyTorch runs these as soon as they are ready

    def name(self):
        return "torch::autograd::AccumulateGrad"  # the C++ name PyTorch reports for this node

    def apply(self, grads):
        """Add the gradient into ``variable.grad`` (creating it on first use)."""
        (grad,) = grads
        variable = self.variable
        if variable.grad is None:
            if grad_mode.is_grad_enabled() and grad.requires_grad:
                # create_graph=True: a copy that stays in the graph (PyTorch's CopyBackwards)
                from .creation import zeros_like
                from .ops.inplace import Copy

                variable.grad = Copy.apply(zeros_like(grad), grad)
            elif _can_keep(grad):
                grad._is_grad = True
                variable.grad = grad  # nothing else holds it: keep it, as PyTorch does, without a copy
            else:
                # A copy, so later in-place accumulation never writes into anyone else's tensor.
                variable.grad = grad.detach().clone()
                variable.grad._is_grad = True
        elif grad_mode.is_grad_enabled():
            variable.grad = variable.grad + grad  # keep the graph of the sum (create_graph=True)
        else:
            variable.grad.add_(grad)
        return ()


def _can_keep(grad):
    """May ``grad`` become ``.grad`` as it is, without a copy? (PyTorch "steals" gradients the same way.)

    Only if nobody else can see it, so that a later in-place ``.grad += ...`` changes no one else's
    tensor. Not when it already is some leaf's ``.grad`` (one op can send the same tensor to two leaves),
    when anything besides the engine holds the tensor (a hook may have kept it), when its numpy array is
    shared (the caller's own ``gradient`` argument), or when the array is a view into memory that someone
    else holds (``expand`` returns one). A view of a tensor that only this one holds is fine: the
    gradient of a weight, made as the transpose of a transpose, is such a view.

    ``sys.getrefcount`` says how many references there are; each limit below lists the expected ones
    (the last is always getrefcount's own argument).
    """
    if grad._is_grad or grad.grad_fn is not None:
        return False
    # the engine's list of gradients for this node, AccumulateGrad.apply's ``grad``, our ``grad``, argument
    if sys.getrefcount(grad) > 4:
        return False
    data = grad._data
    # the tensor, our ``data``, argument
    if sys.getrefcount(data) > 3 or not data.flags.writeable:
        return False
    memory = data.base
    if memory is None:
        return True
    base = grad._base
    if base is None:
        holders = 3  # the view, our ``memory``, argument
    elif base._data is memory and sys.getrefcount(base) <= 3:  # grad._base, our ``base``, argument
        holders = 4  # the view, the base tensor, our ``memory``, argument
    else:
        return False
    return type(memory) is np.ndarray and sys.getrefcount(memory) <= holders


class SavedTensor:
    """A tensor saved for backward, with the version it had then (to catch in-place changes)."""

    __slots__ = ("tensor", "version", "output_of")

    def __init__(self, tensor):
        self.tensor = tensor
        self.version = tensor._version_counter[0]
        self.output_of = None  # (node, nr) when the tensor is an output of the node that saved it

    def unpack(self, node):
        t = self.tensor
        if t._version_counter[0] != self.version:  # changed in place since it was saved
            # PyTorch names the node that made the tensor: for a saved output the saving node itself,
            # otherwise whatever grad_fn the tensor has now
            grad_fn, output_nr = self.output_of or (t.grad_fn, t._output_nr)
            raise RuntimeError(_modified_message(t, self.version, grad_fn, output_nr))
        return t


def _modified_message(t, expected, grad_fn, output_nr):
    where = ""
    if grad_fn is not None:
        op = grad_fn.name()
        op = op[: op.rfind("Backward")] if "Backward" in op else op
        where = f", which is output {output_nr} of {op},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [torch.{t.dtype.legacy_name} [{', '.join(map(str, t.shape))}]]{where} "
        f"is at version {t._version}; expected version {expected} instead. Hint: enable anomaly "
        "detection to find the operation that failed to compute its gradient, with "
        "torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class BackwardNode(Node):
    """The node ``Function.apply`` records; it doubles as the ``ctx`` of forward and backward."""

    _forward_cls = None  # the Function subclass whose backward this node runs
    _names_of_saved = ()  # PyTorch's names for the saved tensors, e.g. ("self", "other")

    # What every node starts with. These are class attributes, so making a node costs little; the ones
    # that change are set on the node itself (by Function.apply, or by forward through ctx).
    # ``needs_input_grad`` (one bool per argument of forward: does it require grad?) is set when the node
    # is recorded; otherwise ``__getattr__`` works it out from ``_args`` if forward asks for it.
    _args = ()
    _saved = ()  # a SavedTensor per tensor given to save_for_backward
    _keeps_saved = True  # False when nothing will ever run backward through this node
    _freed = False  # True once backward has let the saved tensors go
    _non_differentiable = ()
    _materialize_grads = True
    _output_meta = ()  # (shape, dtype) of each output: the gradients coming in must fit them
    _tensor_positions = None  # which forward arguments were tensors (they get edges); None: all of them

    # --- the ctx side: used inside forward and backward ---------------------------------------
    _forward_mode = False  # True while forward mode runs (dual tensors): its jvp may need anything saved

    def differentiates(self, i):
        """Will a derivative with respect to argument ``i`` be computed (a gradient in backward, or a
        tangent in forward mode)? Forward uses it to save only what some derivative will use, as PyTorch
        does: ``x * y`` keeps ``y`` (needed for x's gradient) only when ``x`` requires grad."""
        return self._keeps_saved and (self._forward_mode or self.needs_input_grad[i])

    def save_for_backward(self, *tensors):
        """Keep tensors for backward; ``backward`` gets them back from ``ctx.saved_tensors``."""
        if not self._keeps_saved:
            return  # nothing will run backward (or jvp) through this node: keep nothing
        self._saved = tuple([None if t is None else SavedTensor(t) for t in tensors])

    def save_for_forward(self, *tensors):
        """Keep tensors for ``jvp`` (forward mode); they come back from ``ctx.saved_tensors`` too."""
        if not self._saved:
            self.save_for_backward(*tensors)

    @property
    def saved_tensors(self):
        if self._freed:
            raise RuntimeError(_FREED_MESSAGE)
        return tuple([None if s is None else s.unpack(self) for s in self._saved])

    def mark_non_differentiable(self, *tensors):
        """Outputs that never get a gradient (e.g. the indices of ``max``)."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With False, backward receives None instead of zeros for outputs that got no gradient."""
        self._materialize_grads = bool(value)

    def _free_saved(self):
        if self._saved:
            self._saved = ()
            self._freed = True

    def __getattr__(self, name):  # (only called for attributes the node does not have)
        if name == "needs_input_grad":  # a node that is not recorded: worked out when forward asks
            self.needs_input_grad = _requires_grad_flags(self._args)
            return self.needs_input_grad
        # PyTorch nodes expose their saved values as ``_saved_self``, ``_saved_other``, ...
        # (graph painters read them); ours map those names onto ``saved_tensors``.
        if name.startswith("_saved_") and name[7:] in type(self)._names_of_saved:
            return self.saved_tensors[type(self)._names_of_saved.index(name[7:])]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self):
        names = [f"_saved_{n}" for n in type(self)._names_of_saved[: len(self._saved)]]
        return sorted(set(super().__dir__()) | set(names))

    # --- the engine side -------------------------------------------------------------------------
    def apply(self, grads):
        """Run the Function's backward; return one gradient per tensor input (None where unused)."""
        if self._materialize_grads:
            for g in grads:
                if g is None:  # an output that got no gradient: backward sees zeros of its shape
                    grads = tuple(_zeros(meta) if g is None else g for g, meta in zip(grads, self._output_meta))
                    break
        result = self._forward_cls.backward(self, *grads)
        if type(result) is not tuple:
            result = (result,)
        n_args = len(self.needs_input_grad)
        if len(result) != n_args:
            if len(result) > n_args and all(r is None for r in result[n_args:]):
                result = result[:n_args]
            else:
                raise RuntimeError(
                    f"function {self.name()} returned an incorrect number of gradients "
                    f"(expected {n_args}, got {len(result)})"
                )
        positions = self._tensor_positions
        if positions is None:  # every argument was a tensor: nothing to drop
            return result
        return tuple([result[i] for i in positions])


def _zeros(meta):
    shape, dtype = meta
    return _tensor_type()(np.zeros(shape, dtype=dtype.numpy_dtype))


_Tensor = None  # tensor.py imports this module, so the Tensor class is looked up once, on first use


def _tensor_type():
    global _Tensor
    if _Tensor is None:
        from .tensor import Tensor

        _Tensor = Tensor
    return _Tensor


class Function:
    """Base class of every operation: subclass it with static ``forward`` and ``backward``.

    ``forward(ctx, *args)`` computes the result (returning numpy arrays or tensors);
    ``backward(ctx, *grad_outputs)`` returns one gradient per argument of ``forward`` (None for
    arguments that are not tensors or need no gradient). Call it as ``MyOp.apply(*args)``.
    """

    node_name = None  # PyTorch's name of the node; default: class name + "Backward"
    is_view = False  # True when the output shares memory with the first input (reshape, transpose, ...)
    saved_names = ()  # names of the saved tensors as PyTorch exposes them (``_saved_self``, ...)

    def __init_subclass__(cls, **kwargs):
        # As PyTorch does, each Function gets its own node class, so that ``type(y.grad_fn).__name__``
        # is ``MulBackward0`` and ``print(y.grad_fn)`` says so. This is the one place it happens.
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("node_name") or cls.__name__ + "Backward"
        prefix = "" if cls.__dict__.get("node_name") else "torch.autograd.function."
        cls._backward_cls = type(
            name,
            (BackwardNode,),
            {"_forward_cls": cls, "_names_of_saved": tuple(cls.saved_names), "__module__": cls.__module__,
             "_repr_prefix": prefix},
        )

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement the backward function for custom autograd.Function.")

    @staticmethod
    def jvp(ctx, *tangents):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @classmethod
    def apply(cls, *args):
        """Run ``forward`` and, if any tensor input requires grad, record a node for ``backward``."""
        Tensor = _Tensor or _tensor_type()
        ctx = cls._backward_cls()
        record = grad_mode._state.enabled
        if record:
            ctx.needs_input_grad = _requires_grad_flags(args)
            record = True in ctx.needs_input_grad
        else:
            ctx._args = args  # (needs_input_grad is worked out only if forward asks for it)
        level = forward_ad._state.level
        if level is not None:
            ctx._forward_mode = True
        if not record and level is None:
            # Nothing to record or to follow (no input requires grad, or inside no_grad, or a formula
            # of a backward pass): forward is all there is to do, and it keeps nothing for backward.
            ctx._keeps_saved = False
            if quiet.depth:  # already inside an operation or a backward pass: numpy is quiet already
                raw = cls.forward(ctx, *args)
            else:
                with quiet:
                    raw = cls.forward(ctx, *args)
            return _as_outputs(cls, args, raw) if type(raw) is tuple else _as_output(cls, args, raw)

        previous = grad_mode._state.enabled
        grad_mode._state.enabled = False  # forward itself is never recorded ...
        forward_ad._state.level = None  # ... nor followed by forward mode: this op's jvp speaks for it
        try:
            with quiet:
                raw = cls.forward(ctx, *args)
        finally:
            grad_mode._state.enabled, forward_ad._state.level = previous, level
        outputs = _as_outputs(cls, args, raw) if type(raw) is tuple else (_as_output(cls, args, raw),)
        if level is not None and any(isinstance(a, Tensor) and a._tangent is not None for a in args):
            forward_ad.propagate(cls, ctx, args, outputs)
        if record:
            _record(ctx, args, outputs)
        else:
            ctx._saved = ()  # nothing will run backward: let the saved tensors go now
        return outputs if type(raw) is tuple else outputs[0]


def _requires_grad_flags(args):
    """For each argument: is it a tensor that requires grad?"""
    Tensor = _Tensor
    return tuple([isinstance(a, Tensor) and (a._requires_grad or a.grad_fn is not None) for a in args])


def _as_output(cls, args, raw):
    """Forward's one result (an array, or a tensor forward made to save it) as a tensor.

    The output of a view op looks into its input's memory: they share one version counter.
    """
    out = raw if isinstance(raw, _Tensor) else _Tensor(raw)
    if cls.is_view and out._data.base is not None:
        _share_memory(out, args[0])
    return out


def _as_outputs(cls, args, raw):
    """Forward's tuple of results as a tuple of tensors (the first one as ``_as_output`` makes it)."""
    rest = tuple([r if isinstance(r, _Tensor) else _Tensor(r) for r in raw[1:]])
    return (_as_output(cls, args, raw[0]),) + rest


def _share_memory(view, source):
    """``view`` looks into ``source``'s memory: in-place changes to either are seen by both, so they share
    one version counter (and ``view._base`` is the tensor that owns the memory)."""
    base = source._base if source._base is not None else source
    view._base = base
    view._version_counter = base._version_counter


def _record(ctx, args, outputs):
    """Connect ``ctx`` into the graph: edges to the inputs, ``grad_fn`` on the outputs."""
    Tensor = _Tensor
    edges = tuple([a._edge() for a in args if isinstance(a, Tensor)])
    if len(edges) != len(args):  # some arguments are not tensors (a dim, a shape): they get no edge
        ctx._tensor_positions = tuple([i for i, a in enumerate(args) if isinstance(a, Tensor)])
    ctx.next_functions = edges
    ctx._seq = next(_sequence)
    ctx._output_meta = tuple([(o._data.shape, o.dtype) for o in outputs])
    non_diff = ctx._non_differentiable
    for nr, out in enumerate(outputs):
        if (non_diff and any(out is t for t in non_diff)) or not out.dtype.is_floating_point:
            continue
        out.grad_fn = ctx
        out._output_nr = nr
        for saved in ctx._saved:  # an output saved by forward: it is "output nr of this node"
            if saved is not None and saved.tensor is out:
                saved.output_of = (ctx, nr)
