"""Random programs must run the same in autograd_nb as in PyTorch, save for what ``tests/fuzz/known.py`` lists:
what is PyTorch's (``KNOWN``) and the differences docs/differences.md states (``DOCUMENTED``). 600 fixed
programs, about 15 s on 2 cores; ``python -m tests.fuzz --programs 20000 --seed S`` runs many more.
"""
from collections import defaultdict

from tests.fuzz import known
from tests.fuzz.__main__ import snippet
from tests.fuzz.pool import Pool
from tests.fuzz.runner import programs_for, run_many

SEEDS = (2026, 7, 99)  # fixed: the same programs on every run
PROGRAMS_PER_SEED = 200
REGISTRY = known.KNOWN + known.DOCUMENTED


def test_random_programs_match_pytorch(torch):
    groups = defaultdict(list)
    with Pool(jobs=2) as pool:
        for seed in SEEDS:
            for outcome in run_many(pool, programs_for(seed, PROGRAMS_PER_SEED), registry=REGISTRY):
                if outcome.failed:
                    groups[outcome.first.kind].append(outcome)
    lines = []
    for kind, outcomes in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        o = min(outcomes, key=lambda o: len(o.program.statements))
        lines.append(f"{kind}: {len(outcomes)} programs; e.g. seed {o.program.seed}, program #{o.program.index}:")
        lines.append(snippet(o.program, o, self_test=False))
    assert not groups, f"{sum(map(len, groups.values()))} programs differ from PyTorch " \
                       f"(python -m tests.fuzz --seed S --programs N --minimise shrinks them):\n" + "\n".join(lines)
