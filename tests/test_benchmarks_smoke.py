"""The benchmark harness (``benchmarks/``) runs, and its numpy floor and its peers compute the right thing.

The benchmarks' own figures are never asserted here: timing depends on the machine. What is checked:

* the ``--quick`` benchmark functions, run with tiny sizes, produce every row of the table (none of
  them an error), the peers' columns, the targets, ``results.json`` and ``results.png``;
* the hand-written numpy MLP step, the floor the MLP benchmark compares against, computes the same
  loss and gradients as autograd_nb's autograd (and as PyTorch's), and the same weights after SGD;
* so do the steps written with the peers, HIPS autograd and mygrad, and their per-op chains give
  the same gradients as the numpy chain.

The peers are in the ``test`` extras: like PyTorch, a missing peer skips its tests, and fails them under CI.
"""
import dataclasses
import json

import numpy as np
import pytest

import autograd_nb
from benchmarks import deep_graph, mlp, per_op, report, timing
from benchmarks import run as bench
from benchmarks.settings import QUICK
from tests.oracle import _missing

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


@pytest.fixture(scope="module", params=report.PEERS)
def peer(request):
    """(key, module) of each peer engine: ``("hips", autograd)``, ``("mygrad", mygrad)``."""
    module = timing.import_peers()[request.param]
    if module is None:
        label = dict(report.IMPLEMENTATIONS)[request.param]
        _missing(label, f"{label} not installed (it is in the test extras: pip install -e '.[test]')")
    return request.param, module


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


TARGETS = (  # how each target's name starts, in order
    "faster than HIPS autograd and mygrad",
    "MLP step, batch 64: autograd_nb ≤ 1.3× PyTorch",
    "MLP step, batch 512: autograd_nb ≤ 1.15× hand-written numpy",
    "per recorded op: autograd_nb ≤ 2× PyTorch (median over the ops)",
    "100k-op chain: backward < 1 s",
    "deep chains: memory linear",
    "deep chains: nothing retained",
    "2,000-node graph",
)


def test_targets_json_and_plot(results, tmp_path):
    facts, rows = results
    checked = report.targets(rows)
    assert len(checked) == len(TARGETS)
    for t, start in zip(checked, TARGETS):
        assert t["target"].startswith(start), (t, start)
    assert all(t["met"] in (True, False, None) for t in checked)
    text = report.targets_text(checked)
    assert text.count("\n") == len(checked) - 1
    assert "≤ 1.5×" not in text and "every op" not in text  # the withdrawn targets

    bench.save(tmp_path, facts, TINY, rows, checked, log=lambda line: None)
    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert [(r["group"], r["case"]) for r in saved["rows"]] == [(r["group"], r["case"]) for r in rows]
    assert all({"hips", "mygrad"} <= r.keys() for r in saved["rows"])
    assert saved["environment"]["numpy_blas"]
    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


PEER_ROWS = [("per-op", op) for op in per_op.OPS] + [("MLP step", f"batch {size}") for size in TINY.mlp_batches] \
    + [("MLP overhead", "8→8→2, batch 4")]


def test_peer_columns_and_target(results, peer):
    """Each peer has its column and its ratio column, a figure on every per-op and MLP row, and the
    target that compares against the peers is measured."""
    facts, rows = results
    key, _ = peer
    label = dict(report.IMPLEMENTATIONS)[key]
    head = report.table(rows).splitlines()[0]
    assert label in head and dict(report.RATIOS)[key] in head
    assert facts[key] != "not installed"
    found = {(r["group"], r["case"]): r for r in rows}
    for group_case in PEER_ROWS:
        assert found[group_case][key] > 0, group_case
    assert all(r[key] is None for r in rows if (r["group"], r["case"]) not in PEER_ROWS)
    assert report.targets(rows)[0]["met"] in (True, False)


def test_missing_peers_leave_their_columns_empty():
    settings = dataclasses.replace(TINY, ops=("add",))
    rows = per_op.run(settings, autograd_nb, None, lambda line: None, peers={"hips": None, "mygrad": None})
    assert rows[0]["status"] == "ok" and rows[0]["hips"] is None and rows[0]["mygrad"] is None
    assert rows[0]["autograd_nb"] > 0
    assert report.targets(rows)[0]["met"] is None


# ------------------------------------------------------------------------------ the numpy floor
def assert_same_loss_and_grads(got, expected):
    """Two (loss, {name: gradient}) agree: float32 gradients of the same shapes, equal up to float32 rounding."""
    loss, grads = expected
    got_loss, got_grads = got
    np.testing.assert_allclose(got_loss, loss, rtol=1e-5)
    for name, g in grads.items():
        assert got_grads[name].dtype == np.float32 and got_grads[name].shape == g.shape, name
        np.testing.assert_allclose(got_grads[name], g, rtol=1e-4, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("sizes, size", [(TINY_MLP, 6), (mlp.SIZES, 64)], ids=["tiny", "784-256-10"])
def test_numpy_mlp_gradients_match_autograd_nb(sizes, size):
    weights = mlp.initial_weights(sizes)
    x, y = mlp.batch(size, sizes)
    assert_same_loss_and_grads(mlp.numpy_grads(weights, x, y), mlp.graph_grads(autograd_nb, weights, x, y))


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
    assert_same_loss_and_grads(mlp.numpy_grads(weights, x, y), mlp.graph_grads(torch, weights, x, y))


def assert_chain_grads_match_numpy(op, make_chain):
    """``make_chain(op, x, w, k)``'s chain gives the numpy chain's ∂L/∂x (and ∂L/∂w, where w is used)."""
    x, w = per_op.inputs(op)
    k = 4
    gx, gw = per_op.grads(make_chain(op, x, w, k))
    np_gx, np_gw = per_op.numpy_grads(op, x, w, k)
    assert mlp.as_numpy(gx).shape == np_gx.shape
    np.testing.assert_allclose(mlp.as_numpy(gx), np_gx, rtol=1e-4, atol=1e-6)
    if op in ("add", "mul", "matmul"):
        np.testing.assert_allclose(mlp.as_numpy(gw), np_gw, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("op", per_op.OPS)
def test_per_op_numpy_backward_matches_autograd_nb(op):
    """The numpy column of the per-op table runs the right backward formulas (checked on the grads)."""
    assert_chain_grads_match_numpy(op, lambda *args: per_op.graph_chain(autograd_nb, *args))


# ------------------------------------------------------------------------------ the peers
@pytest.mark.parametrize("op", per_op.OPS)
def test_per_op_peer_chain_matches_numpy(op, peer):
    key, module = peer
    assert_chain_grads_match_numpy(op, lambda *args: per_op.PEER_CHAINS[key](module, *args))


@pytest.mark.parametrize("sizes, size", [(TINY_MLP, 6), (mlp.SIZES, 64)], ids=["tiny", "784-256-10"])
def test_peer_mlp_gradients_match_autograd_nb(sizes, size, peer):
    key, module = peer
    weights = mlp.initial_weights(sizes)
    x, y = mlp.batch(size, sizes)
    assert_same_loss_and_grads(mlp.PEER_GRADS[key](module, weights, x, y),
                               mlp.graph_grads(autograd_nb, weights, x, y))


def test_peer_mlp_steps_match_autograd_nb(peer):
    key, module = peer
    weights = mlp.initial_weights(TINY_MLP)
    x, y = mlp.batch(6, TINY_MLP)
    params, step = mlp.functional_step(autograd_nb, weights, x, y)
    peer_params, peer_step = mlp.PEER_STEPS[key](module, weights, x, y)
    for _ in range(3):
        loss = step()
        np.testing.assert_allclose(float(peer_step()), float(loss.detach().numpy()), rtol=1e-5)
    for name, p, q in zip(mlp.NAMES, params, peer_params):
        np.testing.assert_allclose(mlp.as_numpy(q), mlp.as_numpy(p), rtol=1e-5, atol=1e-6, err_msg=name)
