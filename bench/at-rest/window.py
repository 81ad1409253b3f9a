"""One measurement window: CPU and RSS of named processes, the store's counters and the data
directory's size, read at the start and the end (RSS also sampled in between for its peak)."""

import time
from dataclasses import dataclass, field

import probes


@dataclass
class Window:
    seconds: float
    cpu_seconds: dict[str, float]
    rss_end: dict[str, int]
    rss_peak: dict[str, int]
    died: list[str] = field(default_factory=list)
    store_before: probes.StoreCounters | None = None
    store_after: probes.StoreCounters | None = None
    dir_before: dict[str, int] | None = None
    dir_after: dict[str, int] | None = None
    load_average: float | None = None

    def cpu_percent(self, name: str) -> float | None:
        """CPU used over the window as % of one core (100 = one core busy all the time)."""
        used = self.cpu_seconds.get(name)
        return None if used is None else used / self.seconds * 100

    def per_minute(self, delta: int) -> float:
        return delta / self.seconds * 60


def measure(duration: float, pids: dict[str, int], db_path: str | None = None, data_dir: str | None = None,
            sample_every: float = 5.0, progress=None) -> Window:
    """Measures for `duration` seconds. A process that exits during the window is reported in
    `died` and its figures cover only the part it lived (the bench treats that as a failure)."""
    store_before = probes.store_counters(db_path) if db_path else None
    dir_before = probes.directory_parts(data_dir) if data_dir else None
    start_cpu = {name: probes.cpu_seconds(pid) for name, pid in pids.items()}
    last_cpu = dict(start_cpu)
    peak = {name: probes.rss_bytes(pid) for name, pid in pids.items()}
    last_rss = dict(peak)
    started = time.monotonic()
    died: list[str] = []
    next_report = started + 60
    while (now := time.monotonic()) < started + duration:
        time.sleep(min(sample_every, started + duration - now))
        for name, pid in pids.items():
            if name in died:
                continue
            try:
                last_cpu[name] = probes.cpu_seconds(pid)
                last_rss[name] = probes.rss_bytes(pid)
                peak[name] = max(peak[name], last_rss[name])
            except OSError:
                died.append(name)
        if progress and time.monotonic() >= next_report and time.monotonic() < started + duration:
            progress(f"  ... {time.monotonic() - started:.0f} of {duration:.0f} s")
            next_report += 60
    seconds = time.monotonic() - started
    return Window(
        seconds=seconds,
        cpu_seconds={name: last_cpu[name] - start_cpu[name] for name in pids},
        rss_end=last_rss,
        rss_peak=peak,
        died=died,
        store_before=store_before,
        store_after=probes.store_counters(db_path) if db_path else None,
        dir_before=dir_before,
        dir_after=probes.directory_parts(data_dir) if data_dir else None,
        load_average=probes.load_average(),
    )
