"""The differential fuzzer's own checks (``tests/fuzz``): they hold whatever autograd_nb's state.

Programs are a function of (seed, index); PyTorch compared with itself shows no difference; a PyTorch
that dies is reported as such and its worker replaced; the comparison notices each recorded field; the
minimiser finds the statements a synthetic failure needs. Whether autograd_nb matches PyTorch is the
fuzzer's question, asked by ``tests/test_fuzz.py`` and ``python -m tests.fuzz``, not here.
"""
import copy
import json
import re
from collections import Counter

import numpy as np
import pytest

from tests.fuzz import known
from tests.fuzz.__main__ import Report, as_json, parse
from tests.fuzz.__main__ import render as render_report
from tests.fuzz.compare import Mismatch, compare
from tests.fuzz.generator import Program, Statement, generate, render
from tests.fuzz.minimise import ddmin, minimise
from tests.fuzz.pool import Pool
from tests.fuzz.runner import judge, programs_for, run_many
from tests.fuzz.worker import normalise, run_program


def test_programs_are_a_function_of_seed_and_index():
    assert [generate(7, i) for i in range(40)] == [generate(7, i) for i in range(40)]
    assert [generate(7, i).sources for i in range(40)] != [generate(8, i).sources for i in range(40)]
    for i in range(300):
        p = generate(7, i)
        assert 3 <= len(p.statements) <= 15 or p.statements[-1].wrong
        for s in p.statements:
            compile(s.src, "<statement>", "exec")
        compile(p.text(), "<program>", "exec")


def test_programs_cover_the_api():
    ops = Counter(s.op.split(" ")[0].split("(")[0] for i in range(1500) for s in generate(0, i).statements)
    for op in ("create", "+", "/", "**", "exp", "clamp", "sum", "max", "argmax", "view", "reshape", "permute",
               "expand", "squeeze", "unsqueeze", "flatten", "T", "[int]", "[list]", "[mask]", "setitem[slice]",
               "cat", "stack", "where", "softmax", "log_softmax", "mse_loss", "nll_loss", "cross_entropy",
               "binary_cross_entropy", "binary_cross_entropy_with_logits", "detach", "detach_", "clone",
               "no_grad:", "requires_grad_", "add_", "copy_", "zero_", "fill_", "clamp_", "+=", "retain_grad",
               "hook", "backward", "autograd.grad", "grad.zero_", "grad"):
        assert ops[op] > 0, op
    wrong = sum(generate(0, i).statements[-1].wrong for i in range(1500))
    assert 150 < wrong < 600  # some programs end in an error on purpose, most do not


def test_render_runs_under_either_name():
    p = Program(0, 0, (Statement("x = torch.ones(2)", "create"),
                       Statement("x.register_hook(lambda g: calls.append(1))", "hook")))
    assert render(p.sources).startswith("import torch\ncalls = []\n")
    assert p.text("autograd_nb").startswith("import autograd_nb as torch\n")


def test_messages_lose_addresses_and_source_locations():
    assert normalise("bad <Node object at 0x7f00aa> here\nsecond line") == "bad <Node object at 0x?> here"
    assert normalise("deprecated. (Triggered internally at /src/x.cpp:12.)") == "deprecated."


def test_comparison_notices_every_field(torch):
    sources = ["a = torch.tensor([1.0, -2.0], requires_grad=True)", "b = (a * 2).exp()", "b.sum().backward()"]
    ops = ["create", "*", "backward"]
    base = run_program("torch", sources)
    assert compare(ops, base, run_program("torch", sources)) == []

    def altered(step, var, key, value):
        r = copy.deepcopy(base)
        r["steps"][step]["state"][var][1][key] = value
        return compare(ops, base, r)

    assert altered(1, "b", "version", 3)[0].field == "version"
    assert altered(1, "b", "requires_grad", False)[0].field == "requires_grad"
    assert altered(1, "b", "grad_fn", ("ExpBackward0", ()))[0].field == "grad_fn"
    assert altered(1, "b", "values", np.array([1.0, 2.0], dtype=np.float32))[0].field == "values"
    assert altered(1, "b", "values", base["steps"][1]["state"]["b"][1]["values"] * (1 + 1e-7)) == []  # rounding
    grad = dict(base["steps"][2]["state"]["a"][1]["grad"], values=np.array([0.0, np.nan], dtype=np.float32))
    m = altered(2, "a", "grad", grad)[0]
    assert (m.field, m.var, m.op, m.step) == ("grad:values", "a", "backward", 2)
    assert altered(2, "a", "grad", None)[0].field == "grad:missing"

    raised = copy.deepcopy(base)
    raised["steps"][1]["error"] = ("RuntimeError", "boom")
    assert compare(ops, base, raised)[0].field == "error-only-ours:RuntimeError"
    assert compare(ops, raised, base)[0].field == "error-only-torch:RuntimeError"
    warned = copy.deepcopy(base)
    warned["steps"][0]["warnings"] = [("UserWarning", "careful")]
    assert compare(ops, base, warned)[0].kind == "warnings @ create"


@pytest.fixture(scope="module")
def pool():
    with Pool(jobs=2, lanes=2, timeout=20) as p:
        yield p


def test_pytorch_agrees_with_itself(torch, pool):
    outcomes = list(run_many(pool, programs_for(11, 60), self_test=True))
    assert [o.first.describe() for o in outcomes if o.mismatches and not o.torch_crashed] == []
    assert sum(o.statements_run for o in outcomes) > 200


def test_a_dead_pytorch_is_reported_and_replaced(torch, pool):
    p = Program(0, 0, (Statement("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", "crash"),))
    a = pool.submit("torch", p.sources, lane=0).result()
    b = pool.submit("autograd_nb", p.sources, lane=1).result()
    outcome = judge(p, a, b)
    assert "died" in a and outcome.torch_crashed and outcome.known_id == "torch-crashed" and not outcome.failed
    again = pool.submit("torch", ["x = torch.ones(2)"], lane=0).result()  # a fresh worker took its place
    assert again["steps"][0]["error"] is None


def test_ddmin_finds_the_needed_items():
    assert ddmin(list(range(12)), lambda xs: {3, 8} <= set(xs)) == [3, 8]
    assert ddmin([1], lambda xs: True) == [1]


def test_minimiser_shrinks_a_synthetic_failure():
    statements = tuple(Statement(src, op) for src, op in [
        ("a = torch.tensor([0.5, -2.0])", "create"), ("b = a * 3", "*"), ("c = a.exp()", "exp"),
        ("with torch.no_grad():\n    d = c + 1\n    e = b - 1", "no_grad: +; -"),
        ("f = d.sum(dim=0, keepdim=True)", "sum(dim)"), ("g = f * 2", "*")])
    program = Program(0, 0, statements)

    def still_fails(p):  # "fails" while d is made from a tensor literal and summed
        text = "\n".join(p.sources)
        return "torch.tensor(" in text and "d = c + 1" in text and "d.sum(" in text and "c = a.exp()" in text

    small, runs = minimise(program, still_fails)
    assert small.sources == ("a = torch.tensor([1.0, 1.0])", "c = a.exp()", "d = c + 1", "f = d.sum()")
    assert runs <= 250


def test_minimiser_takes_links_out_of_chains():
    statements = tuple(Statement(src, "op") for src in (
        "t0 = torch.ones(2)", "t1 = t0 * 2", "t2 = t1.exp()", "t3 = t2.sum()", "t4 = t3.log()"))

    def still_fails(p):  # "fails" while it runs and ends with a log of a sum of something made from ones
        defined = set()
        for src in p.sources:
            target, _, expression = src.partition(" = ")
            if not set(re.findall(r"t\d", expression)) <= defined:
                return False  # a NameError in both libraries: no difference
            defined.add(target)
        text = "\n".join(p.sources)
        return "torch.ones(2)" in text and ".sum()" in text and p.sources[-1].endswith(".log()")

    small, _ = minimise(Program(0, 0, statements), still_fails)
    assert small.sources == ("t0 = torch.ones(2)", "t3 = t0.sum()", "t4 = t3.log()")


def test_report_groups_differences_and_prints_snippets(torch, pool):
    args = parse(["--programs", "12", "--seed", "5", "--self-test", "--quiet"])
    report = Report(args)
    for outcome in run_many(pool, programs_for(5, 12), self_test=True):
        report.add(outcome)
    fake = generate(5, 0)  # a difference planted by hand, to see how the report shows one
    planted = judge(fake, *[run_program("torch", fake.sources)] * 2)
    planted.mismatches = [Mismatch(0, fake.statements[0].op, "values", "t0", "1.0", "2.0")]
    report.add(planted)
    text = render_report(report, 1.0, 0)
    assert report.programs == 13 and report.failures == 1 and list(report.groups) == ["values @ create"]
    assert "1. values @ create: 1 program (#0)" in text and "| import torch" in text
    data = as_json(report, 1.0, 0)
    assert data["different"] == 1 and data["groups"][0]["programs"] == [0]
    json.dumps(data)


def test_registry_holds_only_what_is_not_autograd_nbs():
    assert [k.id for k in known.KNOWN] == ["torch-crashed", "random-numbers", "torch-zerotensor"]
    for entry in known.DOCUMENTED:  # every difference accepted on request is written down for readers
        assert entry.reason.startswith("docs/differences.md: ")
