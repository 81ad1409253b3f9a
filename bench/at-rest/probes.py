"""What the at-rest bench reads from the machine: process CPU and memory from /proc, the store's
write counters from its SQLite file, and the size of the data directory. The parsers are pure
(text in, numbers out) so test_probes.py checks them without a server."""

import os
import sqlite3
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_cpu_ticks(stat_text: str) -> int:
    """utime + stime (fields 14 and 15 of /proc/PID/stat), all threads of the process.
    The command name (field 2) may hold spaces and parentheses, so split after its last ')'."""
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    # fields[0] is field 3 (state): utime is field 14, stime field 15.
    return int(fields[11]) + int(fields[12])


def parse_parent_pid(stat_text: str) -> int:
    return int(stat_text[stat_text.rindex(")") + 2:].split()[1])


def parse_rss_bytes(status_text: str) -> int:
    """VmRSS of /proc/PID/status (kB) in bytes; 0 for a zombie, which has none."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _read(path: str) -> str:
    with open(path, encoding="ascii", errors="replace") as f:
        return f.read()


def cpu_seconds(pid: int) -> float:
    return parse_cpu_ticks(_read(f"/proc/{pid}/stat")) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    return parse_rss_bytes(_read(f"/proc/{pid}/status"))


def alive(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}/stat")


def load_average() -> float:
    """The machine's 1-minute load average: how busy the cores were with everything else too."""
    return float(_read("/proc/loadavg").split()[0])


def dockerd_pid() -> int | None:
    """dockerd's pid from the engine's own pid file (read only: the bench never signals it)."""
    try:
        pid = int(_read("/var/run/docker.pid").strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def child_named(parent: int, name: str) -> int | None:
    """The first child of `parent` whose command name is `name` (dockerd's own containerd)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = _read(f"/proc/{entry}/stat")
        except OSError:
            continue
        if parse_parent_pid(stat) == parent and stat[stat.index("(") + 1:stat.rindex(")")] == name:
            return int(entry)
    return None


@dataclass(frozen=True)
class StoreCounters:
    """The store's write counters. `revision` is taken by every resource write (spec, status,
    deletion mark, delete); `events` is the events table's AUTOINCREMENT high-water mark, so
    both count writes even when compaction or retention deleted the rows since."""
    revision: int
    events: int
    change_rows: int
    event_rows: int


def store_counters(db_path: str) -> StoreCounters:
    # Read only, one short read transaction: in WAL mode this neither blocks nor is blocked by the server's writer.
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        revision = connection.execute("SELECT value FROM store_meta WHERE key = 'revision'").fetchone()[0]
        row = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        change_rows = connection.execute("SELECT COUNT(*) FROM changes").fetchone()[0]
        event_rows = connection.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        connection.close()
    return StoreCounters(int(revision), int(row[0]) if row else 0, int(change_rows), int(event_rows))


def tree_bytes(path: str) -> int:
    """Apparent size of a file or a directory tree (what `du -sb` counts, minus directory entries)."""
    if os.path.isfile(path) or os.path.islink(path):
        return os.lstat(path).st_size
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass  # removed while walking (a SQLite journal, a temp file)
    return total


def directory_parts(path: str) -> dict[str, int]:
    """Bytes per top-level entry of the data directory (gantry.db, gantry.db-wal, bundles, ...)."""
    return {name: tree_bytes(os.path.join(path, name)) for name in sorted(os.listdir(path))}
