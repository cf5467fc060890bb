"""Custom Functions written the ways PyTorch's documentation shows them, each program compared with PyTorch
(``run_program``): the setup_context style (``forward`` without ctx, ``setup_context(ctx, inputs, output)``,
defaults and keywords bound), the combined style, ``ctx.mark_dirty`` for in-place Functions,
``ctx.save_for_forward`` with ``jvp``, and an input handed back unchanged (a new tensor sharing its memory)."""
import textwrap

import pytest

import autograd_nb as nb
from tests.oracle import assert_same_as_pytorch

SETUP_CONTEXT_CUBE = """
class Power(torch.autograd.Function):
    @staticmethod
    def forward(x, k=3):
        seen.append(("forward", torch.is_grad_enabled()))
        return x ** k

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, k = inputs
        seen.append(("setup_context", type(inputs).__name__, len(inputs), output.requires_grad, output.grad_fn,
                     torch.is_grad_enabled()))
        ctx.save_for_backward(x)
        ctx.k = k

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * ctx.k * x ** (ctx.k - 1), None

seen = []
x = torch.tensor([1., 2., 3.], requires_grad=True)
"""

ADD_ONE_IN_PLACE = """
class AddOne_(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 3
"""

PROGRAMS = {
    "setup_context: defaults bound": SETUP_CONTEXT_CUBE + """
y = Power.apply(x)
y.sum().backward()
r = (y, x.grad, seen, y.grad_fn, y.grad_fn.needs_input_grad, len(y.grad_fn.next_functions))
""",
    "setup_context: keyword and positional": SETUP_CONTEXT_CUBE + """
r = (Power.apply(x, k=2), Power.apply(x, 4), Power.apply(x=x, k=1))
""",
    "setup_context: too many arguments": SETUP_CONTEXT_CUBE + "r = Power.apply(x, 2, 3)",
    "setup_context: double backward": SETUP_CONTEXT_CUBE + """
g, = torch.autograd.grad(Power.apply(x).sum(), x, create_graph=True)
r = (g, torch.autograd.grad(g.sum(), x))
""",
    "setup_context: no grad needed": SETUP_CONTEXT_CUBE + """
with torch.no_grad():
    y = Power.apply(x)
r = (y, seen)
""",
    "setup_context: forward mode with save_for_forward": """
fwAD = torch.autograd.forward_ad
class Exp(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)
        ctx.save_for_forward(output)

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * y

    @staticmethod
    def jvp(ctx, t):
        y, = ctx.saved_tensors
        return t * y

with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor([0., 1.]), torch.tensor([1., 2.]))
    out = fwAD.unpack_dual(Exp.apply(d))
x = torch.tensor([0., 1.], requires_grad=True)
Exp.apply(x).sum().backward()
r = (out.primal, out.tangent, x.grad)
""",
    "setup_context defined, forward takes ctx": """
class Both(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def setup_context(ctx, inputs, output):
        pass

    @staticmethod
    def backward(ctx, g):
        return g

r = Both.apply(torch.ones(2, requires_grad=True))
""",
    "forward without ctx, no setup_context": """
class NoCtx(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g

r = NoCtx.apply(torch.ones(2, requires_grad=True))
""",
    "the base setup_context": "r = torch.autograd.Function.setup_context(None, (), None)",
    "combined style: ctx features": """
class Clip(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lo):
        mask = x > lo
        ctx.mark_non_differentiable(mask)
        ctx.save_for_backward(mask)
        ctx.set_materialize_grads(False)
        return x.clamp(min=lo), mask

    @staticmethod
    def backward(ctx, g, g_mask):
        mask, = ctx.saved_tensors
        return g * mask, None

x = torch.tensor([-1., 0.5, 2.], requires_grad=True)
y, m = Clip.apply(x, 0.)
y.sum().backward()
r = (y, m, m.requires_grad, x.grad, y.grad_fn.needs_input_grad)
""",
    "mark_dirty: an in-place Function": ADD_ONE_IN_PLACE + """
leaf = torch.tensor([1., 2.], requires_grad=True)
a = leaf * 2
before = a._version
b = AddOne_.apply(a)
b.sum().backward()
r = (b is a, a._version - before, a, a.grad_fn, a.grad_fn.next_functions[0][0], leaf.grad)
""",
    "mark_dirty: a leaf that requires grad": ADD_ONE_IN_PLACE + """
x = torch.ones(2, requires_grad=True)
with torch.no_grad():
    AddOne_.apply(x)
r = (x, AddOne_.apply(torch.zeros(2)))
AddOne_.apply(x)
""",
    "mark_dirty: not returned": """
class Sneaky(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g

r = Sneaky.apply(torch.ones(2, requires_grad=True) * 1)
""",
    "an input handed back unchanged": """
class Same(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x, y * 2

    @staticmethod
    def backward(ctx, gx, gy):
        return gx * 5, gy * 2

x = torch.tensor([1., 2.], requires_grad=True)
y = torch.tensor([3.], requires_grad=True)
a, b = Same.apply(x, y)
(a.sum() + b.sum()).backward()
r = (a is x, x.is_leaf, x.grad_fn, a.grad_fn, a._base is x, a.output_nr, b.output_nr, x.grad, y.grad)
""",
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_same_as_pytorch(name, torch):
    assert_same_as_pytorch(nb, torch, textwrap.dedent(PROGRAMS[name]))
