"""Turning result rows into the table, the targets, ``results.json`` and ``results.png``."""
import json
import math
import statistics

IMPLEMENTATIONS = (("autograd_nb", "autograd_nb"), ("pytorch", "PyTorch"), ("numpy", "numpy"),
                   ("hips", "autograd (HIPS)"), ("mygrad", "mygrad"))
# autograd_nb's time divided by each of these: (row key, column title)
RATIOS = (("pytorch", "nb/PyTorch"), ("numpy", "nb/numpy"), ("hips", "nb/HIPS"), ("mygrad", "nb/mygrad"))
PEERS = ("hips", "mygrad")
COLOURS = {"autograd_nb": "#d55e00", "pytorch": "#0072b2", "numpy": "#009e73",  # Okabe-Ito: colour-blind safe
           "hips": "#cc79a7", "mygrad": "#e69f00"}

RETAINED_LIMIT_KIB = 64  # "nothing retained": what may stay behind after del + gc (allocator noise)
LINEAR_TOLERANCE = 1.25  # "memory linear": bytes per op may differ this much between chain lengths


def ratio(a, b):
    return a / b if a is not None and b else None


def number(v):
    """Three significant digits without scientific notation: 0.123, 1.23, 12.3, 123, 1234."""
    if v is None:
        return ""
    if v == 0 or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{max(0, 2 - int(math.floor(math.log10(abs(v)))))}f}"


def times(v):
    return "" if v is None else f"{v:.2f}×"


# ------------------------------------------------------------------------------ table
def table(rows):
    """The results as a fixed-width text table, one line per row."""
    head = ["benchmark", "case", "unit", *(label for _, label in IMPLEMENTATIONS), *(label for _, label in RATIOS),
            "note"]
    lines = []
    for r in rows:
        ok = r["status"] in ("ok", "failed")
        values = [number(r[key]) if ok else "" for key, _ in IMPLEMENTATIONS]
        ratios = [times(ratio(r["autograd_nb"], r[key])) if ok else "" for key, _ in RATIOS]
        note = r["note"] if r["status"] == "ok" else f"{r['status'].upper()}: {r['note']}"
        lines.append([r["group"], r["case"], r["unit"], *values, *ratios, note])
    widths = [max(len(str(x)) for x in column) for column in zip(head, *lines)]
    numeric = set(range(3, len(head) - 1))

    def fmt(cells):
        return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(head), rule] + [fmt(line) for line in lines])


# ------------------------------------------------------------------------------ targets
def targets(rows):
    """Each target with what was measured and whether it is met (None: not measured in this run)."""
    found = {(r["group"], r["case"]): r for r in rows if r["status"] == "ok"}
    out = []

    def add(name, measured, met):
        out.append({"target": name, "measured": measured, "met": met})

    def mlp_ratio(size, against, limit, label):
        r = found.get(("MLP step", f"batch {size}"))
        value = ratio(r["autograd_nb"], r[against]) if r else None
        name = f"MLP step, batch {size}: autograd_nb ≤ {limit}× {label}"
        if value is None:
            add(name, "not measured", None)
        else:
            add(name, f"{value:.2f}× ({number(r['autograd_nb'])} vs {number(r[against])} ms)", value <= limit)

    labels = dict(IMPLEMENTATIONS)
    against_peers = [(ratio(r["autograd_nb"], r[key]), f"{labels[key]}, {r['group']} / {r['case']}")
                     for r in found.values() for key in PEERS if r[key]]
    name = "faster than HIPS autograd and mygrad wherever they were measured (autograd_nb / peer < 1)"
    if against_peers:
        worst = max(against_peers)
        add(name, f"worst {worst[0]:.2f}× (vs {worst[1]}), over {len(against_peers)} rows × peers", worst[0] < 1.0)
    else:
        add(name, "not measured", None)

    mlp_ratio(64, "pytorch", 1.3, "PyTorch")
    mlp_ratio(512, "numpy", 1.15, "hand-written numpy")

    per_op = [(ratio(r["autograd_nb"], r["pytorch"]), r["case"]) for r in found.values()
              if r["group"] == "per-op" and r["pytorch"]]
    name = "per recorded op: autograd_nb ≤ 2× PyTorch (median over the ops)"
    if per_op:
        median = statistics.median(v for v, _ in per_op)
        worst = max(per_op)
        add(name, f"median {median:.2f}× over {len(per_op)} ops, worst {worst[0]:.2f}× ({worst[1]})", median <= 2.0)
    else:
        add(name, "not measured", None)

    r = found.get(("deep graph", "100k chain: backward"))
    add("100k-op chain: backward < 1 s", f"{r['autograd_nb'] / 1e3:.2f} s" if r else "not measured",
        r["autograd_nb"] < 1e3 if r else None)

    peaks = sorted((r["extra"]["n"], r["extra"]["bytes_per_op"]) for r in rows
                   if r["group"] == "deep graph" and r["status"] == "ok" and "bytes_per_op" in r["extra"])
    name = f"deep chains: memory linear (bytes/op within {LINEAR_TOLERANCE}× across lengths)"
    if len(peaks) >= 2:
        values = [b for _, b in peaks]
        spread = max(values) / min(values)
        add(name, ", ".join(f"{n:,} ops: {b:,.0f} B/op" for n, b in peaks) + f" (spread {spread:.2f}×)",
            spread <= LINEAR_TOLERANCE)
    else:
        add(name, "needs two chain lengths", None)

    left = [(r["extra"]["n"], r["autograd_nb"]) for r in rows
            if r["group"] == "deep graph" and r["status"] == "ok" and r["case"].endswith("left after del + gc")]
    no_gc = {r["extra"]["n"]: r["autograd_nb"] for r in rows
             if r["group"] == "deep graph" and r["status"] == "ok" and r["case"].endswith("left after del")}
    name = f"deep chains: nothing retained after backward + del + gc (≤ {RETAINED_LIMIT_KIB} KiB)"
    if left:
        add(name, ", ".join(f"{n:,} ops: {kib:.1f} KiB (before gc: {no_gc.get(n, float('nan')):.1f} KiB)"
                            for n, kib in left),
            all(kib <= RETAINED_LIMIT_KIB for _, kib in left))
    else:
        add(name, "not measured", None)

    r = found.get(("render", "2,000 nodes"))
    add("2,000-node graph: draw(t).to_svg() < 1 s",
        f"{r['autograd_nb'] / 1e3:.2f} s ({r['extra']['nodes']} nodes)" if r else "not measured",
        r["autograd_nb"] < 1e3 if r else None)
    return out


def targets_text(checked):
    mark = {True: "met    ", False: "NOT met", None: "n/a    "}
    width = max(len(t["target"]) for t in checked)
    return "\n".join(f"  {mark[t['met']]}  {t['target'].ljust(width)}  {t['measured']}" for t in checked)


# ------------------------------------------------------------------------------ files
def write_json(path, facts, settings, rows, checked):
    document = {"environment": facts, "settings": settings, "rows": rows, "targets": checked}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(document, f, indent=1, ensure_ascii=False, default=str)
        f.write("\n")


def _bars(ax, rows, title, unit, implementations):
    rows = [r for r in rows if r["status"] == "ok"]
    if not rows:
        ax.set_title(f"{title}: nothing measured")
        ax.set_axis_off()
        return
    implementations = [(key, label) for key, label in implementations if any(r[key] for r in rows)]
    width = 0.8 / len(implementations)
    for i, (key, label) in enumerate(implementations):
        xs = [j + (i - (len(implementations) - 1) / 2) * width for j in range(len(rows))]
        heights = [r[key] if r[key] else 0 for r in rows]
        ax.bar(xs, heights, width, label=label, color=COLOURS[key])
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([r["case"].replace(", nn.Linear + optim.SGD", "\nnn+optim").replace(": ", "\n")
                        for r in rows], fontsize=8)
    ax.set_yscale("log")
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top * 10)  # room for the legend (two lines of three) above the tallest bar
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", ncols=3)
    ax.grid(axis="y", alpha=0.3)


def plot(path, rows, facts):
    """A 2×2 figure: per-op cost, MLP step, deep-chain times, render time against node count."""
    from matplotlib.figure import Figure  # no pyplot: no global state, no display needed

    figure = Figure(figsize=(13, 9), layout="constrained")
    (a, b), (c, d) = figure.subplots(2, 2)
    _bars(a, [r for r in rows if r["group"] == "per-op"], "1. per recorded op (build + backward)",
          "µs per op", IMPLEMENTATIONS)
    _bars(b, [r for r in rows if r["group"] == "MLP step"], "2. MLP 784→256→10 training step", "ms per step",
          IMPLEMENTATIONS)
    _bars(c, [r for r in rows if r["group"] == "deep graph" and r["unit"] == "ms"],
          "3. deep chains y = y * 1.0001", "ms", IMPLEMENTATIONS)
    render = [r for r in rows if r["group"] == "render" and r["status"] == "ok"]
    if render:
        for key, label in IMPLEMENTATIONS[:2]:
            points = [(r["extra"]["nodes"], r[key]) for r in render if r[key] is not None]
            if points:
                d.plot(*zip(*points), marker="o", label=label, color=COLOURS[key])
        d.axhline(1000, color="grey", linestyle="--", linewidth=1, label="target: 1 s at 2,000 nodes")
        d.set_xlabel("nodes in the drawn graph")
        d.set_ylabel("ms for draw(t).to_svg()")
        d.set_title("4. rendering")
        d.legend(fontsize=8)
        d.grid(alpha=0.3)
    else:
        d.set_title("4. rendering: not available")
        d.set_axis_off()
    # "2.13.0+cpu (torch.get_num_threads() = 2, ...)" → "2.13.0+cpu"; "not installed" stays
    others = [f"{label} {facts.get(key, 'not installed').split(' (')[0]}"
              for key, label in IMPLEMENTATIONS if key in ("pytorch", *PEERS)]
    figure.suptitle(f"autograd_nb, {', '.join(others)}, hand-written numpy "
                    f"({facts['cpu_count']} CPUs, {facts['mode']} run)")
    figure.savefig(path, dpi=100, metadata={"Software": None})
