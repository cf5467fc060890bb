"""``torch.profiler``: the teaching profiler of ``autograd/profiler.py`` under the newer API's names.

``with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:`` then
``prof.key_averages().table(sort_by="cpu_time_total")``. Activities, schedules and trace handlers are
accepted and change nothing: everything runs on the CPU, in one pass.
"""
import enum

from .autograd.profiler import EventList, record_function
from .autograd.profiler import profile as _profile


class ProfilerActivity(enum.Enum):
    """What to profile: ``CPU`` is all there is here (``CUDA`` is accepted and records nothing more)."""

    CPU = 0
    CUDA = 1

    def __repr__(self):
        return f"ProfilerActivity.{self.name}"


class profile(_profile):
    """``torch.profiler.profile``: records the block's forward operations and backward nodes."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes=False, **unused):
        super().__init__(record_shapes=record_shapes)

    def step(self):
        """(For schedules, which this profiler does not have: nothing to do.)"""


__all__ = ["EventList", "ProfilerActivity", "profile", "record_function"]
