"""Turns measurement windows into the bench's figures, checks them against issue 9's goals and
prints the table. Pure: windows in, text out."""

from dataclasses import dataclass

from window import Window

MIB = 1024 * 1024


@dataclass(frozen=True)
class Goal:
    key: str
    label: str
    limit: float
    unit: str


# Issue 9's goals. "Data directory growth near zero" is read as under 1 MiB an hour, extrapolated
# from the window: the store may grow by a checkpoint or a log line, not by what a day would fill.
GOALS = [
    Goal("server_cpu", "server CPU", 1.0, "% of a core"),
    Goal("writes_per_app_min", "store writes per app per minute", 1.0, ""),
    Goal("dir_growth_mib_h", "data directory growth", 1.0, "MiB/h"),
    Goal("dockerd_extra", "Gantry's extra load on dockerd", 2.0, "% of a core"),
]


@dataclass(frozen=True)
class Scale:
    """One size of the bench: `apps` apps at rest, measured with Gantry running and then stopped."""
    apps: int
    replicas: int
    running: Window
    stopped: Window


def figures(scale: Scale) -> dict[str, float | None]:
    run, stop = scale.running, scale.stopped
    out: dict[str, float | None] = {
        "server_cpu": run.cpu_percent("server"),
        "server_rss_mib": run.rss_end["server"] / MIB,
        "server_rss_peak_mib": run.rss_peak["server"] / MIB,
        "router_cpu": run.cpu_percent("router"),
        "router_rss_mib": run.rss_end["router"] / MIB if "router" in run.rss_end else None,
    }
    if run.store_before and run.store_after:
        resource = run.store_after.revision - run.store_before.revision
        events = run.store_after.events - run.store_before.events
        out["resource_writes_min"] = run.per_minute(resource)
        out["events_min"] = run.per_minute(events)
        out["writes_min"] = run.per_minute(resource + events)
        out["writes_per_app_min"] = run.per_minute(resource + events) / scale.apps if scale.apps else None
        out["change_rows"] = run.store_after.change_rows
        out["event_rows"] = run.store_after.event_rows
    if run.dir_before is not None and run.dir_after is not None:
        growth = sum(run.dir_after.values()) - sum(run.dir_before.values())
        out["dir_growth_mib"] = growth / MIB
        out["dir_growth_mib_h"] = growth / MIB / run.seconds * 3600
        out["dir_size_mib"] = sum(run.dir_after.values()) / MIB
    out["load_running"] = run.load_average
    out["load_stopped"] = stop.load_average
    for engine in ("dockerd", "containerd"):
        on, off = run.cpu_percent(engine), stop.cpu_percent(engine)
        out[f"{engine}_running"] = on
        out[f"{engine}_stopped"] = off
        out[f"{engine}_extra"] = None if on is None or off is None else on - off
    return out


def verdicts(scale: Scale) -> list[tuple[Goal, float | None, bool]]:
    """The goals for one size; none for 0 apps, which is the baseline (a server with nothing deployed), not judged."""
    if scale.apps == 0:
        return []
    values = figures(scale)
    return [(goal, values.get(goal.key), values.get(goal.key) is not None and values[goal.key] < goal.limit) for goal in GOALS]


# (key, label, format, goal text): the table's rows in order; indented labels break down the one above.
ROWS = [
    ("server_cpu", "server CPU, % of one core", "{:.2f}", "< 1"),
    ("server_rss_mib", "server RSS at the end, MiB", "{:.0f}", ""),
    ("server_rss_peak_mib", "  peak during the window, MiB", "{:.0f}", ""),
    ("writes_min", "store writes per minute", "{:.1f}", ""),
    ("resource_writes_min", "  resource writes (revision)", "{:.1f}", ""),
    ("events_min", "  events appended", "{:.1f}", ""),
    ("writes_per_app_min", "store writes per app per minute", "{:.2f}", "< 1"),
    ("change_rows", "  rows in changes / events now", "{:.0f}", ""),
    ("dir_growth_mib", "data directory growth, MiB", "{:+.3f}", ""),
    ("dir_growth_mib_h", "  extrapolated, MiB per hour", "{:+.2f}", "< 1 (near 0)"),
    ("dir_size_mib", "  data directory size, MiB", "{:.2f}", ""),
    ("dockerd_running", "dockerd CPU, Gantry running, %", "{:.2f}", ""),
    ("dockerd_stopped", "dockerd CPU, Gantry stopped, %", "{:.2f}", ""),
    ("dockerd_extra", "Gantry's extra load on dockerd, %", "{:+.2f}", "< 2"),
    ("containerd_extra", "  same for containerd, %", "{:+.2f}", ""),
    ("router_cpu", "router CPU, % of one core", "{:.2f}", ""),
    ("router_rss_mib", "router RSS, MiB", "{:.0f}", ""),
    ("load_running", "machine load average (1 min), running", "{:.1f}", ""),
    ("load_stopped", "  same, Gantry stopped", "{:.1f}", ""),
]


def _cell(fmt: str, value: float | None) -> str:
    return "-" if value is None else fmt.format(value)


def render(scales: list[Scale], duration: float) -> str:
    cols = [figures(s) for s in scales]
    header = ["figure"] + [f"{s.apps} apps" for s in scales] + ["goal"]
    if len(scales) > 1:
        header.append(f"{scales[-1].apps}/{scales[0].apps} apps")
    rows = []
    for key, label, fmt, goal in ROWS:
        if key == "change_rows":
            cells = [f"{c.get('change_rows', 0):.0f} / {c.get('event_rows', 0):.0f}" if "change_rows" in c else "-" for c in cols]
        else:
            cells = [_cell(fmt, c.get(key)) for c in cols]
        row = [label] + cells + [goal]
        if len(scales) > 1:
            first, last = cols[0].get(key), cols[-1].get(key)
            row.append(f"x{last / first:.1f}" if first and last is not None and key != "change_rows" and abs(first) > 1e-9 else "")
        rows.append(row)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    out = [f"at rest, {duration:.0f} s windows (% of one core; the machine has its own other load, see README)", line(header),
           "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out.append("")
    out.append("goals (value / goal; PASS when under 1x):")
    for scale in scales:
        for goal, value, met in verdicts(scale):
            ratio = "-" if value is None else f"{value / goal.limit:.2f}x"
            shown = "-" if value is None else f"{value:.2f}"
            out.append(f"  {scale.apps:>3} apps  {goal.label:<34} {shown:>9} {goal.unit:<12} goal < {goal.limit:g}  {ratio:>8}  {'PASS' if met else 'FAIL'}")
    for scale in scales:
        growth = _growth_parts(scale.running)
        if growth:
            out.append(f"  {scale.apps:>3} apps  data directory growth by part: {growth}")
    return "\n".join(out)


def _growth_parts(run: Window) -> str:
    if run.dir_before is None or run.dir_after is None:
        return ""
    parts = []
    for name in sorted(set(run.dir_before) | set(run.dir_after)):
        delta = run.dir_after.get(name, 0) - run.dir_before.get(name, 0)
        if delta:
            parts.append(f"{name} {delta / 1024:+.1f} KiB")
    return ", ".join(parts) or "none"


def all_met(scales: list[Scale]) -> bool:
    return all(met for scale in scales for _, _, met in verdicts(scale))
