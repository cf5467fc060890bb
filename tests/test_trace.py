"""autograd.trace: the recorded steps are the ones the engine runs, in PyTorch's order, with the real values."""
import numpy as np
import pytest

import autograd_nb as nb
from autograd_nb import engine
from autograd_nb.autograd import trace
from autograd_nb.autograd.trace import AccumulateEvent, NodeEvent, StartEvent


def lesson(L):
    """The lesson example: leaves x and w, y = (x * w).sum()."""
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = L.tensor([4.0, 5.0, 6.0], requires_grad=True)
    return (x, w), (x * w).sum()


def branches(L):
    """x used three times, w twice, b broadcast: sums in buffers, a 0-d leaf, two paths to the root."""
    x = L.tensor([1.0, 2.0], requires_grad=True)
    w = L.tensor([3.0, 4.0], requires_grad=True)
    b = L.tensor(0.5, requires_grad=True)
    h = (x * w + b).tanh()
    return (x, w, b), (h * x).sum() + w.sum() + (x.exp() * x.sin()).sum()


GRAPHS = [lesson, branches]


def _copy(t):
    return None if t is None else t.detach().numpy().copy()


def torch_hook_record(torch, root):
    """PyTorch's execution order: a ``Node.register_hook`` on every node of its graph, in call order.

    Each entry: (node class name, grads flowing in, grads flowing out), as numpy arrays.
    """
    record, seen, stack = [], set(), [root.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        node.register_hook(lambda grad_inputs, grad_outputs, node=node: record.append(
            (type(node).__name__, [_copy(g) for g in grad_outputs], [_copy(g) for g in grad_inputs])))
        stack.extend(nxt for nxt, _ in node.next_functions)
    root.backward()
    return record


def our_record(events):
    """The trace in the same shape as ``torch_hook_record``."""
    out = []
    for e in events:
        if isinstance(e, NodeEvent):
            out.append((e.name, list(e.grad_outputs), [edge.grad for edge in e.grad_inputs]))
        elif isinstance(e, AccumulateEvent):
            out.append((e.name, [e.grad], []))
    return out


def assert_arrays_equal(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)  # float32: tanh backward near 1


@pytest.mark.parametrize("build", GRAPHS, ids=[g.__name__ for g in GRAPHS])
def test_steps_run_in_pytorchs_order_with_pytorchs_gradients(torch, build):
    theirs = torch_hook_record(torch, build(torch)[1])
    _, loss = build(nb)
    with trace() as t:
        loss.backward()
    ours = our_record(t.events)
    assert [name for name, _, _ in ours] == [name for name, _, _ in theirs]
    for (name, ins, outs), (_, tins, touts) in zip(ours, theirs):
        assert_arrays_equal(ins, tins)
        assert_arrays_equal(outs, touts)


@pytest.mark.parametrize("build", GRAPHS, ids=[g.__name__ for g in GRAPHS])
def test_recorded_accumulations_are_the_real_grads(build):
    leaves, loss = build(nb)
    params = {f"p{i}": leaf for i, leaf in enumerate(leaves)}
    with trace(params=params) as t:
        loss.backward()
    accumulations = [e for e in t.events if isinstance(e, AccumulateEvent)]
    assert sorted(e.leaf for e in accumulations) == sorted(params)  # each leaf once
    for e in accumulations:
        assert e.before is None  # first backward: .grad was None
        np.testing.assert_array_equal(e.after, e.grad)
        np.testing.assert_array_equal(e.after, params[e.leaf].grad.numpy())
    # and what arrived there is what the nodes sent along the edges into that AccumulateGrad
    for e in accumulations:
        sent = [edge.grad for n in t.events if isinstance(n, NodeEvent) for edge in n.grad_inputs
                if edge.key == e.key]
        np.testing.assert_allclose(sum(sent), e.grad, rtol=1e-6)


def test_lesson_events_in_detail():
    (x, w), y = lesson(nb)
    with trace(params={"x": x, "w": w}) as t:
        y.backward()
    start, sum_node, mul_node, acc_x, acc_w = t.events
    assert isinstance(start, StartEvent) and start.step == 0
    (root,) = start.roots
    assert (root.key, root.name, root.output_nr) == (0, "SumBackward0", 0)
    np.testing.assert_array_equal(root.grad, 1.0)  # the implicit v = 1 of a scalar loss

    assert (sum_node.key, sum_node.name) == (0, "SumBackward0")
    (edge,) = sum_node.grad_inputs
    assert (edge.key, edge.name, edge.output_nr) == (1, "MulBackward0", 0)
    np.testing.assert_array_equal(edge.grad, [1.0, 1.0, 1.0])

    assert (mul_node.key, mul_node.name) == (1, "MulBackward0")
    np.testing.assert_array_equal(mul_node.grad_outputs[0], [1.0, 1.0, 1.0])
    to_x, to_w = mul_node.grad_inputs
    assert (to_x.key, to_x.name, to_w.key, to_w.name) == (2, "AccumulateGrad", 3, "AccumulateGrad")
    np.testing.assert_array_equal(to_x.grad, [4.0, 5.0, 6.0])  # ∂y/∂x = w
    np.testing.assert_array_equal(to_w.grad, [1.0, 2.0, 3.0])  # ∂y/∂w = x

    assert (acc_x.key, acc_x.leaf, acc_w.key, acc_w.leaf) == (2, "x", 3, "w")
    np.testing.assert_array_equal(acc_x.after, x.grad.numpy())
    np.testing.assert_array_equal(acc_w.after, w.grad.numpy())
    assert [e.step for e in t.events] == [0, 1, 2, 3, 4]
    assert [e.kind for e in t.events] == ["start", "node", "node", "accumulate", "accumulate"]


LESSON_LOG = """\
step 0: backward starts
  root -> #0 SumBackward0 [0]  f32[] 1.
step 1: #0 SumBackward0
  in  [0] f32[] 1.
  out [0] -> #1 MulBackward0 [0]  f32[3] [1., 1., 1.]
step 2: #1 MulBackward0
  in  [0] f32[3] [1., 1., 1.]
  out [0] -> #2 AccumulateGrad [0]  f32[3] [4., 5., 6.]
  out [1] -> #3 AccumulateGrad [0]  f32[3] [1., 2., 3.]
step 3: #2 AccumulateGrad  (x.grad)
  grad   f32[3] [4., 5., 6.]
  before None
  after  f32[3] [4., 5., 6.]
step 4: #3 AccumulateGrad  (w.grad)
  grad   f32[3] [1., 2., 3.]
  before None
  after  f32[3] [1., 2., 3.]"""


def test_dump_of_the_lesson_example(capsys):
    (x, w), y = lesson(nb)
    with trace(params={"x": x, "w": w}) as t:
        y.backward()
    assert t.dump() == LESSON_LOG
    print(t)
    assert capsys.readouterr().out == LESSON_LOG + "\n"
    assert repr(t) == "<trace: 5 events>"


@pytest.mark.parametrize("build", GRAPHS, ids=[g.__name__ for g in GRAPHS])
def test_dump_is_identical_across_runs(build):
    dumps = []
    for _ in range(2):
        leaves, loss = build(nb)
        with trace(params={f"p{i}": p for i, p in enumerate(leaves)}) as t:
            loss.backward()
        dumps.append(t.dump().encode())
    assert dumps[0] == dumps[1]
    assert b"0x" not in dumps[0]  # no addresses


def test_second_backward_accumulates_before_and_after():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    with trace() as t:
        (x * x).sum().backward()
        (3 * x).sum().backward()
    first, second = [e for e in t.events if isinstance(e, AccumulateEvent)]
    np.testing.assert_array_equal(first.after, [2.0, 4.0])
    np.testing.assert_array_equal(second.before, [2.0, 4.0])
    np.testing.assert_array_equal(second.grad, [3.0, 3.0])
    np.testing.assert_array_equal(second.after, [5.0, 7.0])
    np.testing.assert_array_equal(second.after, x.grad.numpy())
    assert sum(isinstance(e, StartEvent) for e in t.events) == 2
    assert first.key == second.key  # the same AccumulateGrad node keeps its key within the trace


def test_record_is_immune_to_later_in_place_changes():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    with trace() as t:
        (x * 2).sum().backward()
    text = t.dump()
    x.grad.zero_()
    x.grad.add_(nb.tensor([9.0, 9.0]))
    (acc,) = [e for e in t.events if isinstance(e, AccumulateEvent)]
    np.testing.assert_array_equal(acc.after, [2.0, 2.0])
    assert t.dump() == text
    with pytest.raises(ValueError):
        acc.after[0] = 5.0  # read-only copies


def test_listener_removed_after_the_block_even_on_error():
    assert engine._tracers == []
    x = nb.tensor([1.0], requires_grad=True)
    with trace():
        assert len(engine._tracers) == 1
    assert engine._tracers == []
    with pytest.raises(ZeroDivisionError):
        with trace():
            (x * 2).sum().backward()
            1 / 0
    assert engine._tracers == []
    with pytest.raises(RuntimeError, match="does not require grad"):
        with trace():
            nb.tensor([1.0]).sum().backward()
    assert engine._tracers == []


def test_nested_traces_innermost_wins():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    with trace() as outer:
        (x * 2).sum().backward()
        with trace() as inner:
            (x * 3).sum().backward()
        (x * 4).sum().backward()
    assert engine._tracers == []
    outer_grads = [e.grad.tolist() for e in outer.events if isinstance(e, AccumulateEvent)]
    inner_grads = [e.grad.tolist() for e in inner.events if isinstance(e, AccumulateEvent)]
    assert outer_grads == [[2.0, 2.0], [4.0, 4.0]]
    assert inner_grads == [[3.0, 3.0]]


def test_no_tracing_costs_nothing():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    with trace() as t:
        pass
    (x * 2).sum().backward()  # outside the block: nothing recorded, no listener consulted
    assert t.events == [] and engine._tracers == []


def test_multiple_roots_and_explicit_gradients():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    b = x.exp()
    with trace() as t:
        nb.autograd.backward([a, b], [nb.tensor([1.0, 0.0]), nb.tensor([0.0, 1.0])])
    start = t.events[0]
    assert [(r.key, r.name) for r in start.roots] == [(0, "MulBackward0"), (1, "ExpBackward0")]
    np.testing.assert_array_equal(start.roots[1].grad, [0.0, 1.0])
    names = [e.name for e in t.events[1:]]
    assert names == ["ExpBackward0", "MulBackward0", "AccumulateGrad"]  # latest first, then the leaf
    np.testing.assert_allclose(t.events[-1].after, [2.0, np.exp(2.0)], rtol=1e-6)


def test_inputs_without_grad_get_no_gradient_along_their_edge():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    c = nb.tensor([3.0, 4.0])  # needs no grad: next_functions has (None, 0) for it
    with trace() as t:
        (x * c).sum().backward()
    mul = t.events[2]
    assert mul.name == "MulBackward0"
    assert [(e.key, e.name, e.grad is None) for e in mul.grad_inputs] == [(2, "AccumulateGrad", False),
                                                                        (None, None, True)]
    assert "-> None" in t.dump()


def test_trace_of_create_graph_and_autograd_grad():
    x = nb.tensor([1.0, 2.0], requires_grad=True)
    with trace() as t:
        (g,) = nb.autograd.grad((x ** 3).sum(), x, create_graph=True)
    # autograd.grad writes no .grad: node steps only, the captured gradient is what flows to AccumulateGrad
    assert [e.kind for e in t.events] == ["start", "node", "node"]
    np.testing.assert_array_equal(t.events[-1].grad_inputs[0].grad, g.detach().numpy())
    with trace() as t2:
        g.sum().backward()
    assert t2.events[-1].kind == "accumulate"
    np.testing.assert_allclose(t2.events[-1].after, [6.0, 12.0])  # d²/dx² of x³ summed: 6x


def test_tensor_hooks_and_retain_grad_are_seen_in_the_flowing_gradients(torch):
    def run(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        h = x * 3
        h.register_hook(lambda g: g * 10)
        h.retain_grad()
        return x, h, (h * h).sum()

    _, _, tloss = run(torch)
    theirs = torch_hook_record(torch, tloss)
    x, h, loss = run(nb)
    with trace() as t:
        loss.backward()
    ours = our_record(t.events)
    assert [n for n, _, _ in ours] == [n for n, _, _ in theirs]
    for (_, ins, outs), (_, tins, touts) in zip(ours, theirs):
        assert_arrays_equal(ins, tins)
        assert_arrays_equal(outs, touts)
