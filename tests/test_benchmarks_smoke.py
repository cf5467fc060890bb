"""The benchmark harness (``benchmarks/``) runs, and its numpy floor computes the right thing.

The benchmarks' own figures are never asserted here: timing depends on the machine. What is checked:

* the ``--quick`` benchmark functions, run with tiny sizes, produce every row of the table (none of
  them an error), the targets, ``results.json`` and ``results.png``;
* the hand-written numpy MLP step, the floor the MLP benchmark compares against, computes the same
  loss and gradients as autograd_nb's autograd (and as PyTorch's), and the same weights after SGD.
"""
import dataclasses
import json

import numpy as np
import pytest

import autograd_nb
from benchmarks import deep_graph, mlp, per_op, report
from benchmarks import run as bench
from benchmarks.settings import QUICK

TINY_MLP = (12, 8, 5)  # in, hidden, out

TINY = dataclasses.replace(
    QUICK, mode="smoke", warmup=0, chain_k=3, per_op_repeats=1,
    mlp_sizes=TINY_MLP, mlp_batches=(4, 6), mlp_repeats={4: 1, 6: 1}, mlp_pause=0, overhead_repeats=1,
    deep_sizes=(100, 300), deep_repeats=1,
    render_sizes=(20, 40), render_repeats=1, notebooks=False,
)


@pytest.fixture(scope="module")
def results():
    facts, rows = bench.run_all(TINY, log=lambda line: None)
    return facts, rows


def expected_rows():
    """(benchmark, case) of every row the tiny run must produce."""
    rows = [("per-op", op) for op in per_op.OPS]
    for size in TINY.mlp_batches:
        rows += [("MLP step", f"batch {size}"), ("MLP step", f"batch {size}, nn.Linear + optim.SGD")]
    rows.append(("MLP overhead", "8→8→2, batch 4"))
    for n in TINY.deep_sizes:
        name = f"{deep_graph.label(n)} chain"
        rows += [("deep graph", f"{name}: {what}") for what in (
            "build", "backward", "peak memory, build", "peak memory, backward", "held after backward",
            "left after del", "left after del + gc")]
    rows += [("render", f"{n:,} nodes") for n in TINY.render_sizes]
    rows.append(("notebooks", "python -m pytest notebooks/ -q"))
    return rows


def test_every_row_is_in_the_table(results):
    _, rows = results
    lines = report.table(rows).splitlines()
    for group, case in expected_rows():
        assert any(line.startswith(group) and f"  {case}  " in line for line in lines), \
            f"no row {group!r} / {case!r} in the table:\n" + "\n".join(lines)
    errors = [f"{r['group']} / {r['case']}: {r['note']}" for r in rows if r["status"] == "error"]
    assert not errors, "benchmarks that failed:\n" + "\n".join(errors)


def test_measured_rows_have_numbers(results):
    _, rows = results
    for r in rows:
        if r["status"] == "ok":
            assert r["autograd_nb"] is not None and r["autograd_nb"] >= 0, r
        if r["group"] in ("per-op", "MLP step") and r["status"] == "ok":
            assert r["numpy"] is not None and r["numpy"] > 0, r


def test_targets_json_and_plot(results, tmp_path):
    facts, rows = results
    checked = report.targets(rows)
    assert len(checked) == 8
    assert all(t["met"] in (True, False, None) for t in checked)
    assert report.targets_text(checked).count("\n") == len(checked) - 1

    bench.save(tmp_path, facts, TINY, rows, checked, log=lambda line: None)
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["group"], r["case"]) for r in saved["rows"]] == [(r["group"], r["case"]) for r in rows]
    assert saved["environment"]["numpy_blas"]
    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------ the numpy floor
@pytest.mark.parametrize("sizes, size", [(TINY_MLP, 6), (mlp.SIZES, 64)], ids=["tiny", "784-256-10"])
def test_numpy_mlp_gradients_match_autograd_nb(sizes, size):
    weights = mlp.initial_weights(sizes)
    x, y = mlp.batch(size, sizes)
    loss, grads = mlp.graph_grads(autograd_nb, weights, x, y)
    np_loss, np_grads = mlp.numpy_grads(weights, x, y)
    np.testing.assert_allclose(np_loss, loss, rtol=1e-5)
    for name, g in grads.items():
        assert np_grads[name].dtype == np.float32 and np_grads[name].shape == g.shape, name
        np.testing.assert_allclose(np_grads[name], g, rtol=1e-4, atol=1e-6, err_msg=name)


def test_numpy_mlp_steps_match_autograd_nb():
    weights = mlp.initial_weights(TINY_MLP)
    x, y = mlp.batch(6, TINY_MLP)
    params, step = mlp.functional_step(autograd_nb, weights, x, y)
    own = {name: w.copy() for name, w in weights.items()}
    for _ in range(3):
        loss = step()
        np_loss = mlp.numpy_step(own, x, y)
        np.testing.assert_allclose(np_loss, float(loss.detach().numpy()), rtol=1e-5)
    for name, p in zip(("w1", "b1", "w2", "b2"), params):
        np.testing.assert_allclose(own[name], p.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_numpy_mlp_gradients_match_pytorch(torch):
    weights = mlp.initial_weights(TINY_MLP)
    x, y = mlp.batch(6, TINY_MLP)
    loss, grads = mlp.graph_grads(torch, weights, x, y)
    np_loss, np_grads = mlp.numpy_grads(weights, x, y)
    np.testing.assert_allclose(np_loss, loss, rtol=1e-5)
    for name, g in grads.items():
        np.testing.assert_allclose(np_grads[name], g, rtol=1e-4, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("op", per_op.OPS)
def test_per_op_numpy_backward_matches_autograd_nb(op):
    """The numpy column of the per-op table runs the right backward formulas (checked on the grads)."""
    x_np, w_np = per_op.inputs(op)
    k = 4
    x = autograd_nb.tensor(x_np, requires_grad=True)
    w = autograd_nb.tensor(w_np, requires_grad=True)
    y = per_op.chain(op, x, w, k)
    y.backward(autograd_nb.ones(y.shape))
    gx, gw = per_op.numpy_grads(op, x_np, w_np, k)
    np.testing.assert_allclose(gx, x.grad.numpy(), rtol=1e-4, atol=1e-6)
    if op in ("add", "mul", "matmul"):
        np.testing.assert_allclose(gw, w.grad.numpy(), rtol=1e-4, atol=1e-6)
