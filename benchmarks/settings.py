"""How big and how often: the full run (about 2 minutes on 2 cores) and ``--quick`` (about 20 s).

The smoke test (``tests/test_benchmarks_smoke.py``) makes a tiny one of its own with ``replace``.
"""
import dataclasses

from . import per_op


@dataclasses.dataclass(frozen=True)
class Settings:
    mode: str = "full"
    warmup: int = 3  # untimed runs before each block of timed runs (see timing.in_blocks)
    rounds: int = 3  # blocks per implementation, taking turns
    # 1. per-op overhead
    ops: tuple = per_op.OPS
    chain_k: int = 50
    per_op_repeats: int = 60
    # 2. MLP training step
    mlp_sizes: tuple = (784, 256, 10)
    mlp_batches: tuple = (64, 512)
    mlp_repeats: dict = dataclasses.field(default_factory=lambda: {64: 100, 512: 30})
    mlp_pause: float = 0.5  # seconds between blocks: idle BLAS threads of one library stop spinning
    # the same step on a tiny network, where the arithmetic is next to nothing: what is left is bookkeeping
    overhead_sizes: tuple = (8, 8, 2)
    overhead_batch: int = 4
    overhead_repeats: int = 300
    # 3. deep graphs
    deep_sizes: tuple = (10_000, 100_000)
    deep_repeats: int = 3
    # 4. rendering
    render_sizes: tuple = (100, 1_000, 2_000)
    render_repeats: int = 5
    # 5. notebooks
    notebooks: bool = True


FULL = Settings()

QUICK = Settings(
    mode="quick",
    warmup=1,
    rounds=1,
    per_op_repeats=15,
    mlp_repeats={64: 25, 512: 8},
    overhead_repeats=60,
    mlp_pause=0.25,
    deep_sizes=(10_000,),
    deep_repeats=1,
    render_sizes=(100, 1_000),
    render_repeats=1,
    notebooks=False,
)
