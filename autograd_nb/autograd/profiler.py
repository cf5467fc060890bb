"""A teaching profiler: which operations ran, inside which, and how long each took.

Inside ``with profile() as prof:`` Python's own profiling hook (``sys.setprofile``) reports every call, and
the profiler keeps the ones autograd is made of:

* ``Function.apply``: one forward operation, named as PyTorch names it (``aten::mul``; a custom Function by
  its class name);
* the engine running a node (``autograd::engine::evaluate_function: MulBackward0``) and, inside it, the
  node's backward (``MulBackward0``), with the operations that backward calls inside that;
* the blocks you name with ``record_function("...")``.

Each is an event with a start, an end and a parent (the event it ran inside), so an event's *total* time
includes its children's and its *self* time does not. ``prof.key_averages().table()`` sums the events by name
in PyTorch's layout. The engine and the ops know nothing of the profiler: it only watches calls, and costs
nothing outside a ``profile`` block.

Differences from PyTorch: fewer events (PyTorch also reports the aten ops inside each op, such as
``aten::empty`` and ``aten::as_strided``, and the gradient it starts backward with), in-place operations are
named like their out-of-place twins, and there are no device or memory columns.

PyTorch: ``torch.autograd.profiler.profile``, ``record_function``; ``torch.profiler.profile``.
"""
import json
import re
import sys
import time

from .. import engine
from ..function import AccumulateGrad, BackwardNode, Function

_open = []  # the profile blocks that are recording; the innermost one gets the events


class FunctionEvent:
    """One call: ``name``, start and end (µs), the event it ran inside (``cpu_parent``) and those that ran
    inside it (``cpu_children``); ``input_shapes`` when the profile records shapes."""

    def __init__(self, id, name, start_us, parent, input_shapes):
        self.id, self.name, self.key = id, name, name
        self.start_us, self.end_us = start_us, start_us
        self.cpu_parent, self.cpu_children = parent, []
        self.input_shapes = input_shapes
        self.count = 1
        if parent is not None:
            parent.cpu_children.append(self)

    @property
    def cpu_time_total(self):
        """Microseconds from start to end, the children's included."""
        return self.end_us - self.start_us

    cpu_time = cpu_time_total

    @property
    def self_cpu_time_total(self):
        """Microseconds spent in this event itself, not in its children."""
        return self.cpu_time_total - sum(child.cpu_time_total for child in self.cpu_children)

    def __repr__(self):
        return (f"<FunctionEvent id={self.id} name={self.name} cpu_time={_format_time(self.cpu_time_total)} "
                f"cpu_children={[c.id for c in self.cpu_children]} input_shapes={self.input_shapes}>")


class FunctionEventAvg:
    """The events of one name (and input shapes, if grouped by them) added up."""

    device_time_total = self_device_time_total = 0

    def __init__(self, key, input_shapes):
        self.key, self.input_shapes = key, input_shapes
        self.count = 0
        self.cpu_time_total = self.self_cpu_time_total = 0.0

    def add(self, event):
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self):
        """The average total time of one call."""
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={_format_time(self.self_cpu_time_total)} "
                f"cpu_time={_format_time(self.cpu_time_total)} input_shapes={self.input_shapes}>")


class EventList(list):
    """A list of events (or of their averages) that prints as PyTorch's table."""

    def key_averages(self, group_by_input_shape=False):
        """One row per name (and per input shapes with ``group_by_input_shape``), in order of first appearance."""
        rows = {}
        for event in self:
            shapes = str(event.input_shapes) if group_by_input_shape else None
            key = (event.key, shapes)
            if key not in rows:
                rows[key] = FunctionEventAvg(event.key, event.input_shapes if group_by_input_shape else None)
            rows[key].add(event)
        return EventList(rows.values())

    def total_average(self):
        total = FunctionEventAvg("Total", None)
        for event in self:
            total.add(event)
        return total

    @property
    def self_cpu_time_total(self):
        return sum(event.self_cpu_time_total for event in self)

    def table(self, sort_by=None, row_limit=100, max_name_column_width=55, header=None,
              top_level_events_only=False, **unused):
        """PyTorch's table: Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time avg, # of Calls (and
        Input Shapes), largest first by ``sort_by`` (e.g. ``"self_cpu_time_total"``, ``"cpu_time_total"``)."""
        return _table(self, sort_by, row_limit, max_name_column_width, header, top_level_events_only)

    def export_chrome_trace(self, path):
        """The events as a Chrome trace (open it at chrome://tracing or ui.perfetto.dev)."""
        trace = [{"name": e.name, "ph": "X", "ts": e.start_us, "dur": e.cpu_time_total, "pid": 0, "tid": 0,
                  "cat": "cpu_op"} for e in self if isinstance(e, FunctionEvent)]
        with open(path, "w") as f:
            json.dump({"traceEvents": trace}, f)


class profile:
    """``with profile() as prof:`` records the events of the block; then ``prof.key_averages().table()``.

    ``record_shapes=True`` keeps each operation's input shapes (see ``key_averages(group_by_input_shape=True)``).
    The other arguments of PyTorch's profilers (``use_cuda``, ``profile_memory``, ``with_stack``,
    ``activities``, ...) are accepted and change nothing: everything runs on the CPU."""

    def __init__(self, enabled=True, *, record_shapes=False, **unused):
        self.enabled, self.record_shapes = enabled, record_shapes
        self.function_events = EventList()
        self._stack = []  # the events that have started and not yet ended, innermost last

    def __enter__(self):
        if self.enabled:
            self._start = time.perf_counter_ns()
            self._previous_hook = sys.getprofile()
            _open.append(self)
            sys.setprofile(_watch)
        return self

    def __exit__(self, *exc):
        if self.enabled:
            sys.setprofile(self._previous_hook)
            _open.remove(self)
        return False

    def _begin(self, name, marker, inputs=()):
        parent = self._stack[-1][0] if self._stack else None
        shapes = [list(getattr(a, "shape", ())) for a in inputs] if self.record_shapes else None
        event = FunctionEvent(len(self.function_events) + 1, name, self._now(), parent, shapes)
        self.function_events.append(event)
        self._stack.append((event, marker))

    def _end(self, marker):
        if self._stack and self._stack[-1][1] is marker:
            event, _ = self._stack.pop()
            event.end_us = self._now()

    def _now(self):
        return (time.perf_counter_ns() - self._start) / 1000.0

    def key_averages(self, group_by_input_shape=False, **unused):
        return self.function_events.key_averages(group_by_input_shape)

    def events(self):
        return self.function_events

    def table(self, *args, **kwargs):
        return self.key_averages().table(*args, **kwargs)

    def export_chrome_trace(self, path):
        self.function_events.export_chrome_trace(path)

    @property
    def self_cpu_time_total(self):
        return self.function_events.self_cpu_time_total

    def __str__(self):
        return self.table()


class record_function:
    """``with record_function("name"):`` — a block of your own, shown as one event with everything it ran
    inside it. Also a decorator."""

    def __init__(self, name, args=None):
        self.name = name

    def __enter__(self):
        if _open:
            _open[-1]._begin(self.name, self)
        return self

    def __exit__(self, *exc):
        if _open:
            _open[-1]._end(self)
        return False

    def __call__(self, fn):
        def wrapper(*args, **kwargs):
            with record_function(self.name):
                return fn(*args, **kwargs)

        return wrapper


# --- watching the calls ----------------------------------------------------------------------------------
def _forward_name(cls):
    """``aten::mul`` for Mul (PyTorch's op name, from its node's name MulBackward0), a custom Function's class name."""
    node_name = cls.__dict__.get("node_name")
    if node_name is None:
        return cls.__name__ if not cls.__module__.startswith("autograd_nb.") else "aten::" + _snake(cls.__name__)
    base = node_name.split("Backward")[0] or node_name
    return "aten::" + _ATEN_NAMES.get(base, _snake(base))


# PyTorch's names of the ops whose node is named otherwise
_ATEN_NAMES = {"ToCopy": "_to_copy", "ReshapeAlias": "_reshape_alias", "UnsafeView": "_unsafe_view",
               "Softmax": "_softmax", "LogSoftmax": "_log_softmax", "Copy": "copy_", "NotImplemented": "floor_divide",
               "CopySlices": "copy_"}


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _watch(frame, what, arg):
    """``sys.setprofile``'s callback: start an event when a watched function is called, end it when it returns."""
    if what == "call":
        kind = _WATCHED.get(frame.f_code)
        if kind is not None:
            local = frame.f_locals
            if kind == "forward":
                cls = local["cls"]
                _open[-1]._begin(_forward_name(cls), frame, local.get("args", ()))
            elif kind == "engine":
                _open[-1]._begin("autograd::engine::evaluate_function: " + local["node"].name(), frame)
            else:
                _open[-1]._begin(local["self"].name(), frame)
    elif what == "return" and frame.f_code in _WATCHED:
        _open[-1]._end(frame)


_WATCHED = {Function.apply.__func__.__code__: "forward", engine._run_node.__code__: "engine",
            BackwardNode.apply.__code__: "node", AccumulateGrad.apply.__code__: "node"}

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]


def _format_time(us):
    """PyTorch's: µs below a millisecond, then ms, then s, three decimals."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


def _format_share(us, total):
    return "NaN" if total == 0 else f"{us * 100.0 / total:.2f}%"


def _table(events, sort_by, row_limit, max_name_width, header, top_level_only):
    if not events:
        return ""
    if sort_by is not None:
        key = sort_by.replace("cuda", "device").replace("xpu", "device")
        events = sorted(events, key=lambda e: getattr(e, key), reverse=True)
    with_shapes = any(e.input_shapes for e in events)
    name_width = min(max(len(e.key) for e in events) + 4, max_name_width)
    widths = [name_width] + [12] * 6
    headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]
    if with_shapes:
        headers.append("Input Shapes")
        widths.append(min(max(len(str(e.input_shapes)) for e in events) + 4, 80))
    line = "".join("-" * w + "  " for w in widths)

    def row(values):
        return "".join(f"{str(v):>{w}}  " for v, w in zip(values, widths))

    total = sum(e.self_cpu_time_total for e in events)
    lines = []
    if header is not None:
        lines += ["=" * (sum(widths) + 2 * len(widths) - 2), header]
    lines += [line, row(headers), line]
    shown = 0
    for e in events:
        if shown == row_limit:
            break
        if top_level_only and getattr(e, "cpu_parent", None) is not None:
            continue
        shown += 1
        name = e.key if len(e.key) < max_name_width - 3 else e.key[:max_name_width - 3] + "..."
        values = [name, _format_share(e.self_cpu_time_total, total), _format_time(e.self_cpu_time_total),
                  _format_share(e.cpu_time_total, total), _format_time(e.cpu_time_total), _format_time(e.cpu_time),
                  e.count]
        if with_shapes:
            values.append(str(e.input_shapes)[:widths[-1]])
        lines.append(row(values))
    lines += [line, f"Self CPU time total: {_format_time(total)}"]
    return "".join(text + "\n" for text in lines)

