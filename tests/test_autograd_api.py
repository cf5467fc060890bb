"""What ``torch.autograd`` offers around the graph, each program compared with PyTorch (``run_program``):
what unpacking a saved tensor gives back, ``autograd.graph.saved_tensors_hooks`` and ``save_on_cpu``,
``inference_mode`` and inference tensors, forward AD keeping the tangent it was given; then the profiler's
events and table (``autograd.profiler``, ``torch.profiler``), by structure rather than by times."""
import re
import textwrap

import pytest

import autograd_nb as nb
from tests.oracle import assert_same_as_pytorch

SQUARE = """
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return 2 * a * g
"""

HOOK_LOG = """
log = []
def pack(t):
    log.append(("pack", tuple(t.shape), t.requires_grad, type(t.grad_fn).__name__))
    return t
def unpack(p):
    log.append("unpack")
    return p
x = torch.tensor([1., 2.], requires_grad=True)
"""

SAVED = {
    "a saved output is a new tensor, a saved input the same one": """
x = torch.tensor([1., 2.], requires_grad=True)
y = x.exp()
z = x * 2
w = z * z
s = y.grad_fn._saved_result
r = (s is y, s, s.grad_fn is y.grad_fn, s.is_leaf, s.output_nr, y.grad_fn._saved_result is s,
     w.grad_fn._saved_self is z, (x * x).grad_fn._saved_self is x, x.sin().grad_fn._saved_self is x)
""",
    "a saved output shares the version counter": """
x = torch.tensor([1., 2.], requires_grad=True)
y = x.exp()
s = y.grad_fn._saved_result
y.add_(1)
r = (s._version, y._version)
y.sum().backward()
""",
    "hooks: what is packed, when, and backward": HOOK_LOG + """
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    a = x * x
    b = a.exp()
    c = b.sum()
packed = list(log)
c.backward()
r = (packed, log[len(packed):], x.grad, b.grad_fn._saved_result is b, a.grad_fn._saved_self is x)
""",
    "hooks: unpacked tensors keep their place in the graph": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach().clone(), lambda p: p):
    z = x * 2
    w = z * z
    m = x * x
    y = x.exp()
s, t, u = w.grad_fn._saved_self, m.grad_fn._saved_self, y.grad_fn._saved_result
g, = torch.autograd.grad(m.sum(), x, create_graph=True)
r = ((s is z, type(s.grad_fn).__name__, s.requires_grad), (t is x, t.grad_fn, t.requires_grad, t.is_leaf),
     (u is y, type(u.grad_fn).__name__), g, torch.autograd.grad(g.sum(), x))
""",
    "hooks: nothing is packed without a graph": HOOK_LOG + """
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    with torch.no_grad():
        x.exp()
    torch.ones(2).exp()
r = log
""",
    "hooks: the innermost block applies": """
log = []
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: log.append("outer") or t, lambda p: p):
    with torch.autograd.graph.saved_tensors_hooks(lambda t: log.append("inner") or t, lambda p: p):
        x.exp()
    x.exp()
r = log
""",
    "hooks: a custom Function's saved tensors": HOOK_LOG + SQUARE + """
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = Square.apply(x)
y.sum().backward()
r = (log, x.grad)
""",
    "hooks: unpack must give a tensor": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: 3, lambda p: p):
    y = (x * x).sum()
y.backward()
""",
    "hooks: unpack may give other values": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: None, lambda p: torch.ones(2)):
    y = (x * x).sum()
y.backward()
r = x.grad
""",
    "hooks: pack may not change its input": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.mul_(2), lambda p: p):
    y = (x.clone() * x).sum()
""",
    "hooks: no check for in-place changes": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda p: p):
    u = x.clone()
    v = (u * u).sum()
u.add_(1)
v.backward()
r = x.grad
""",
    "save_on_cpu": """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.autograd.graph.save_on_cpu(pin_memory=False):
    y = x.exp()
    u = x.clone()
    v = (u * u).sum()
u.add_(1)
v.backward()
r = (y.grad_fn._saved_result is y, y.grad_fn._saved_result, x.grad)
""",
}

INFERENCE = {
    "inside the block": """
w = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    a = torch.ones(2)
    b = w * 2
    v = w[0:1]
    inside = (torch.is_grad_enabled(), torch.is_inference_mode_enabled(), a.is_inference(), b.is_inference(),
              v.is_inference(), b.requires_grad, b.grad_fn, w.is_inference())
    a.add_(1)
r = (inside, a, torch.is_inference_mode_enabled(), torch.is_grad_enabled(), a.detach().is_inference(),
     a.clone().is_inference(), (a * 2).is_inference(), a.view(2).is_inference(), a[0].is_inference())
""",
    "saved for backward outside": """
w = torch.ones(2, requires_grad=True)
with torch.inference_mode():
    a = torch.ones(2)
r = (w + a).sum()
(w * a).sum()
""",
    "changed in place outside": """
with torch.inference_mode():
    a = torch.ones(2)
try:
    a.add_(1)
except RuntimeError as e:
    r = (str(e), a)
""",
    "inference_mode(False), nesting, no_grad": """
seen = []
with torch.inference_mode():
    with torch.inference_mode(False):
        seen.append((torch.is_inference_mode_enabled(), torch.is_grad_enabled(), torch.ones(1).is_inference()))
    seen.append(torch.is_inference_mode_enabled())
with torch.no_grad():
    with torch.inference_mode():
        seen.append(torch.is_grad_enabled())
    seen.append((torch.is_grad_enabled(), torch.is_inference_mode_enabled()))
r = seen
""",
    "as a decorator": """
@torch.inference_mode()
def f(x):
    return x * 2

@torch.inference_mode
def g(x):
    return x * 3

w = torch.ones(2, requires_grad=True)
r = (f(w), f(w).is_inference(), g(w).requires_grad, f.__name__, g.__name__, torch.is_grad_enabled())
""",
    "a model made and run inside": """
torch.manual_seed(0)
with torch.inference_mode():
    m = torch.nn.Linear(2, 1)
    out = m(torch.ones(1, 2))
r = (m.weight.is_inference(), out.is_inference(), out.requires_grad)
""",
}

FORWARD_AD = {
    "the tangent given is the tangent kept": """
fwAD = torch.autograd.forward_ad
x = torch.tensor([1., 2.])
t = torch.tensor([1., 0.])
g = torch.tensor([0., 1.], requires_grad=True)
v = torch.ones(4)[:2]
with fwAD.dual_level():
    d = fwAD.make_dual(x, t)
    same = fwAD.unpack_dual(d).tangent is t
    y = d * 2
    twice = fwAD.unpack_dual(y).tangent is fwAD.unpack_dual(y).tangent
    kept = fwAD.unpack_dual(fwAD.make_dual(x, g)).tangent is g
    copied = fwAD.unpack_dual(fwAD.make_dual(x, v)).tangent is v
    t.mul_(3)
    r = (same, twice, kept, copied, fwAD.unpack_dual(d).tangent, fwAD.unpack_dual(d).primal is x)
""",
}

ALL = {**SAVED, **INFERENCE, **FORWARD_AD}


@pytest.mark.parametrize("name", ALL)
def test_same_as_pytorch(name, torch):
    assert_same_as_pytorch(nb, torch, textwrap.dedent(ALL[name]))


# ------------------------------------------------------------------------------------------- the profiler
PROFILED = SQUARE + """
x = torch.tensor([1., 2., 3.], requires_grad=True)
w = torch.tensor([0.5, -1., 2.], requires_grad=True)
with profiler.profile(**options) as prof:
    with profiler.record_function("my_block"):
        y = (Square.apply(x) * w).exp().sum()
    y.backward()
"""


def _profile(lib, profiler, **options):
    env = {"torch": lib, "profiler": profiler, "options": options}
    exec(PROFILED, env)
    return env["prof"]


def _rows(table):
    """The table's rows as (name, calls), and its layout: each line with the numbers blanked."""
    lines = table.splitlines()
    rows = [(line[:55].strip(), line.split()[-1]) for line in lines[3:-2]]
    layout = [re.sub(r"\d+\.\d+(us|ms|s|%)", "#", line) for line in lines]
    return rows, layout


NAMED = {"my_block", "Square", "aten::mul", "aten::exp", "aten::sum", "SquareBackward", "MulBackward0",
         "ExpBackward0", "SumBackward0", "torch::autograd::AccumulateGrad"}


@pytest.mark.parametrize("api", ["autograd.profiler", "torch.profiler"])
def test_profiler_events_nest_as_pytorchs(api, torch):
    """The events PyTorch and autograd_nb both report (the ops, the nodes, the named block) come with the same
    parents and the same counts; PyTorch also reports the aten ops inside them (aten::empty, ...)."""
    ours = _profile(nb, nb.autograd.profiler if api == "autograd.profiler" else nb.profiler)
    theirs = _profile(torch, torch.autograd.profiler if api == "autograd.profiler" else torch.profiler)

    def structure(prof):
        events = prof.events() if api == "torch.profiler" else prof.function_events
        return [(e.name, e.cpu_parent.name if e.cpu_parent else None)
                for e in events if e.name in NAMED or e.name.startswith("autograd::engine")]

    assert structure(ours) == structure(theirs)
    assert structure(ours)[:3] == [("my_block", None), ("Square", "my_block"), ("aten::mul", "Square")]


def test_profiler_table_is_laid_out_as_pytorchs(torch):
    ours = _profile(nb, nb.autograd.profiler).key_averages().table(sort_by="self_cpu_time_total")
    theirs = _profile(torch, torch.autograd.profiler).key_averages().table(sort_by="self_cpu_time_total")
    (our_rows, our_layout), (their_rows, their_layout) = _rows(ours), _rows(theirs)
    assert our_layout[:3] == their_layout[:3]  # the rule, the column headers, the rule
    assert our_layout[-1].startswith("Self CPU time total: ") and their_layout[-1].startswith("Self CPU time total: ")
    assert {r for r in our_rows if r[0] in NAMED} == {r for r in their_rows if r[0] in NAMED}
    assert {len(line) for line in ours.splitlines()[:-1]} == {len(line) for line in theirs.splitlines()[:-1]}


def test_profiler_times_add_up_and_shapes_group():
    prof = _profile(nb, nb.autograd.profiler, record_shapes=True)
    events = prof.function_events
    for e in events:
        assert e.cpu_time_total >= 0 and e.self_cpu_time_total <= e.cpu_time_total + 1e-9
        assert e.self_cpu_time_total == pytest.approx(e.cpu_time_total - sum(c.cpu_time_total for c in e.cpu_children))
        if e.cpu_parent is not None:
            assert e.cpu_parent.start_us <= e.start_us <= e.end_us <= e.cpu_parent.end_us
    forward_muls = [e.input_shapes for e in events if e.name == "aten::mul"][:2]  # in Square, and * w
    assert forward_muls == [[[3], [3]], [[3], [3]]]
    grouped = prof.key_averages(group_by_input_shape=True).table()
    assert "Input Shapes" in grouped.splitlines()[1]
    rows = prof.key_averages().table(row_limit=2).splitlines()
    assert len(rows) == 3 + 2 + 2


def test_profiler_costs_nothing_outside_its_block():
    import sys

    before = sys.getprofile()
    with nb.autograd.profiler.profile() as prof:
        nb.ones(2).exp()
    assert sys.getprofile() is before and [e.name for e in prof.function_events] == ["aten::exp"]
    with nb.autograd.profiler.record_function("nothing is recording"):
        nb.ones(2).exp()
    assert len(prof.function_events) == 1
