"""How ``Module.register_full_backward_hook`` sees a module's gradients, with the engine's own hooks.

A module is many graph nodes, so no single node's hook sees "the gradient of the module's output" and
"the gradient of its inputs" together. PyTorch's answer, rebuilt here: pass the module's tensor
arguments through an identity Function before forward, and its result through another one after.
Those two nodes (``BackwardHookFunctionBackward``) bracket the module in the graph:

* the node on the outputs receives ∂L/∂output first: its hook keeps them (``grad_output``) and runs the
  backward *pre*-hooks, which may change them;
* the node on the inputs runs last, with ∂L/∂input: its hook calls the user's hooks with
  ``(module, grad_input, grad_output)``, and what they return replaces ``grad_input``.

Non-tensor arguments appear as None in ``grad_input``. PyTorch: ``torch.utils.hooks.BackwardHook``.
"""
import warnings

from ..function import Function
from ..grad_mode import is_grad_enabled
from ..tensor import Tensor

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs since no inputs "
    "require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
    "#torch.nn.Module.register_full_backward_hook for more details."
)


class BackwardHookFunction(Function):
    """Identity: the same values out as in, and the gradients back unchanged. Tensors that do not require
    grad stay that way (marked non-differentiable)."""

    @staticmethod
    def forward(ctx, *tensors):
        outputs = tuple(Tensor(t._data) for t in tensors)  # new tensor objects over the same memory
        ctx.mark_non_differentiable(*[out for out, t in zip(outputs, tensors) if not t.requires_grad])
        return outputs

    @staticmethod
    def backward(ctx, *grads):
        return grads


def _with_none(indices, values, size):
    """The tensors' gradients put back at their argument positions, None for the other arguments."""
    result = [None] * size
    for i, value in zip(indices, values):
        result[i] = value
    return tuple(result)


class BackwardHook:
    """The two identity nodes of one call of a module with backward hooks, and what passes between them."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_tensors_index = self.output_tensors_index = None

    def _through_identity(self, args, on_node):
        """``args`` with its tensors replaced by the identity node's outputs, and the tensors' positions
        (None, and ``args`` unchanged, when no tensor requires grad or grad mode is off)."""
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensors = [args[i] for i in positions]
        if not (is_grad_enabled() and any(t.requires_grad for t in tensors)):
            return args, None
        new = BackwardHookFunction.apply(*tensors)
        on_node(next(t.grad_fn for t in new if t.grad_fn is not None))
        args = list(args)
        for i, t in zip(positions, new):
            args[i] = t
        return tuple(args), positions

    def setup_input_hook(self, args):
        def on_node(node):
            def hook(grad_input, _):
                if self.grad_outputs is None:  # the gradient reached the inputs without passing the outputs
                    return None
                result = _with_none(self.input_tensors_index, grad_input, self.n_inputs)
                for user_hook in self.user_hooks:
                    out = user_hook(self.module, result, self.grad_outputs)
                    if out is None:
                        continue
                    if len(out) != len(result):
                        raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                           f"got {len(out)}, but expected {len(result)}")
                    result = out
                self.grad_outputs = None
                return tuple(result[i] for i in self.input_tensors_index)

            node.register_hook(hook)

        args, self.input_tensors_index = self._through_identity(args, on_node)
        self.n_inputs = len(args)
        return args

    def setup_output_hook(self, result):
        def on_node(node):
            def hook(_, grad_output):
                self.grad_outputs = _with_none(self.output_tensors_index, grad_output, self.n_outputs)
                for pre_hook in self.user_pre_hooks:
                    out = pre_hook(self.module, self.grad_outputs)
                    if out is None:
                        continue
                    if len(out) != len(self.grad_outputs):
                        raise RuntimeError("Backward pre hook returned an invalid number of grad_output, "
                                           f"got {len(out)}, but expected {len(self.grad_outputs)}")
                    self.grad_outputs = out
                grad_outputs = self.grad_outputs
                if self.input_tensors_index is None:  # no input needs a gradient: call the hooks now
                    warnings.warn(_NO_INPUT_GRAD_WARNING, stacklevel=5)
                    grad_inputs = _with_none([], [], self.n_inputs)
                    for user_hook in self.user_hooks:
                        out = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if out is not None and not (isinstance(out, tuple) and all(g is None for g in out)):
                            raise RuntimeError("Backward hook for Modules where no input requires gradient should "
                                               "always return None or None for all gradients.")
                    self.grad_outputs = None
                return tuple(grad_outputs[i] for i in self.output_tensors_index)

            node.register_hook(hook)

        is_tuple = isinstance(result, tuple)
        outputs, self.output_tensors_index = self._through_identity(result if is_tuple else (result,), on_node)
        self.n_outputs = len(outputs)
        return outputs if is_tuple else outputs[0]
