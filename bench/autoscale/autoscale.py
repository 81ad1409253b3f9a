"""Issue 14's autoscale bench, the orchestrator run.sh starts: a private Gantry server and router, a routed service at
min 1 with an rps target, a load step through the router at a fixed rate well above it, the load back down, and a
service at min 0 woken by one request. Every request records who answered it (the replica's host name), so "the
first new replica serving traffic" is read from the answers themselves, not from Gantry's own account."""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "at-rest"))
from gantry import GantryCli, GantryProcess, wait_http  # noqa: E402  (shared with bench/at-rest)

COMPOSE = """services:
  web:
    image: %(image)s
    deploy:
      resources:
        limits: { memory: 32M, cpus: "0.5" }
    x-gantry:
      host: %(host)s
      port: 8080
      drain-timeout: 5s
      health: { path: /who, interval: 2s }
      autoscale: { %(policy)s }
"""


class BenchFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[autoscale {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Record:
    __slots__ = ("start", "end", "phase", "ok", "replica", "error")

    def __init__(self, start: float, end: float, phase: str, ok: bool, replica: str | None, error: str | None):
        self.start, self.end, self.phase, self.ok, self.replica, self.error = start, end, phase, ok, replica, error


class FixedRateLoad:
    """Open-loop load: request i is due at t0 + i/rate whatever the earlier ones did (late workers catch up), over
    keep-alive connections, one per worker. Failed = not 2xx, or any socket error or timeout."""

    def __init__(self, port: int, host: str, path: str, workers: int = 64, timeout: float = 10):
        self.port, self.host, self.path, self.timeout = port, host, path, timeout
        self.records: list[Record] = []
        self._lock = threading.Lock()
        self._rate = 0.0
        self._next = time.monotonic()
        self._phase = "idle"
        self._epoch = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        for t in self._threads:
            t.start()

    def set(self, rate: float, phase: str) -> float:
        with self._lock:
            now = time.monotonic()
            self._rate, self._phase, self._next = rate, phase, now
            self._epoch += 1
            return now

    def stop(self) -> None:
        self.set(0, "idle")
        self._stop.set()
        for t in self._threads:
            t.join(self.timeout + 2)

    def _slot(self) -> tuple[float, str, int] | None:
        with self._lock:
            if self._rate <= 0:
                return None
            due, phase = self._next, self._phase
            self._next += 1 / self._rate
            return due, phase, self._epoch

    def _wait_until(self, due: float, epoch: int) -> bool:
        """Sleeps until the slot is due; False when the rate changed meanwhile. At a low rate the 64 workers hold slots
        up to 64/rate seconds ahead: without this, the old phase's requests would go on well after a step (and the
        replicas that answer them would count as the old phase's)."""
        while True:
            delay = due - time.monotonic()
            if self._epoch != epoch:
                return False
            if delay <= 0:
                return True
            time.sleep(min(delay, 0.05))

    def _work(self) -> None:
        connection = None
        while not self._stop.is_set():
            slot = self._slot()
            if slot is None:
                time.sleep(0.05)
                continue
            due, phase, epoch = slot
            if not self._wait_until(due, epoch):
                continue
            start = time.monotonic()
            ok, replica, error = False, None, None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                connection.request("GET", self.path, headers={"Host": self.host})
                response = connection.getresponse()
                body = response.read().decode("utf-8", "replace")
                ok = 200 <= response.status < 300
                if ok and body.startswith("replica="):
                    replica = body.strip()[len("replica="):]
                elif not ok:
                    error = f"status {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as e:
                error = type(e).__name__ + (f": {e}" if str(e) else "")
                if connection is not None:
                    connection.close()
                connection = None
            record = Record(start, time.monotonic(), phase, ok, replica, error)
            with self._lock:
                self.records.append(record)


class Bench:
    def __init__(self, o: argparse.Namespace):
        self.o = o
        self.data = os.path.join(o.work, "data")
        self.server_url = f"http://127.0.0.1:{free_port()}"
        self.router_http, self.router_admin, self.router_internal = free_port(), free_port(), free_port()
        self.server: GantryProcess | None = None
        self.router: GantryProcess | None = None
        self.cli = GantryCli(o.gantry, o.work, self.server_url, os.path.join(self.data, "admin-token"))
        self.deployed: list[str] = []
        self.counts: list[tuple[float, int]] = []
        self.figures: dict = {}

    def start(self) -> None:
        self.server = GantryProcess("server", [self.o.gantry, "server", "--data", self.data, "--listen", self.server_url], self.o.work)
        server = self.server
        if not wait_http(self.server_url + "/healthz", 90, give_up=lambda: not server.running()) \
                or not os.path.exists(os.path.join(self.data, "admin-token")):
            raise BenchFailed(f"the server did not become healthy on {self.server_url}:\n{server.tail()}")
        self.router = GantryProcess("router", [
            self.o.gantry, "router", "--from", self.server_url, "--token-file", os.path.join(self.data, "admin-token"),
            "--state", os.path.join(self.o.work, "router-state"), "--http", f"127.0.0.1:{self.router_http}",
            "--internal", f"127.0.0.1:{self.router_internal}", "--admin", f"127.0.0.1:{self.router_admin}",
            "--access-log", os.path.join(self.o.work, "access.log")], self.o.work)
        router = self.router
        if not wait_http(f"http://127.0.0.1:{self.router_admin}/healthz", 60, give_up=lambda: not router.running()):
            raise BenchFailed(f"the router did not become healthy:\n{router.tail()}")
        log(f"server {self.server_url} (pid {server.pid}); router 127.0.0.1:{self.router_http} (pid {router.pid})")

    def stop(self) -> None:
        for process in (self.router, self.server):
            if process is not None:
                process.terminate(30)
        self.router = self.server = None

    def deploy(self, app: str, policy: str) -> str:
        directory = os.path.join(self.o.work, app)
        os.makedirs(directory, exist_ok=True)
        host = f"{app}.localhost"
        with open(os.path.join(directory, "compose.yaml"), "w", encoding="utf-8") as f:
            f.write(COMPOSE % {"image": self.o.image, "host": host, "policy": policy})
        self.deployed.append(app)
        code, output = self.cli.run(["deploy", "-f", os.path.join(directory, "compose.yaml"), "--app", app, "--timeout", "3m"], timeout=240)
        if code != 0:
            raise BenchFailed(f"gantry deploy {app} failed (exit {code}):\n{output[-800:]}")
        if not wait_http(f"http://127.0.0.1:{self.router_http}/who", 60, host=host):
            raise BenchFailed(f"{app} never answered through the router")
        return host

    def running(self, app: str) -> int:
        owner = open(os.path.join(self.data, "installation-id"), encoding="ascii").read().strip()
        out = subprocess.run(["docker", "ps", "-q", "--filter", f"label=gantry.owner={owner}", "--filter", f"label=gantry.app={app}"],
                             capture_output=True, text=True, check=True).stdout
        return len(out.split())

    def autoscale_messages(self, app: str) -> list[str]:
        code, output = self.cli.run(["events", app, "-o", "json"], timeout=60)
        if code != 0:
            return []
        events = json.loads(output)
        return [f"{e.get('time', '')[11:19]} {e.get('message', '')}" for e in events if e.get("reason") in ("Autoscaled", "AutoscaleLimited")]

    def step(self) -> None:
        o = self.o
        app = f"{o.prefix}-step"
        policy = f"min: 1, max: {o.max}, rps: {o.rps}, scale-in-delay: {o.scale_in_delay}"
        host = self.deploy(app, policy)
        log(f"{app}: {policy}; base {o.base_rate:g} req/s, step to {o.rate:g} req/s for {o.step:.0f} s")
        load = FixedRateLoad(self.router_http, host, "/who")
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                self.counts.append((time.monotonic(), self.running(app)))
                sampling.wait(1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            load.set(o.base_rate, "base")
            time.sleep(20)
            step_at = load.set(o.rate, "step")
            time.sleep(o.step)
            down_at = load.set(o.base_rate, "scale-in")
            delay = parse_seconds(o.scale_in_delay)
            deadline = down_at + delay + 180
            back_at = None
            while time.monotonic() < deadline:
                if self.counts and self.counts[-1][1] <= 1:
                    back_at = back_at or time.monotonic()
                    if time.monotonic() - back_at >= 10:
                        break
                else:
                    back_at = None
                time.sleep(1)
        finally:
            load.stop()
            sampling.set()
            sampler.join(3)
        self.figures.update(step_figures(load.records, self.counts, step_at, down_at, back_at))
        self.figures["decisions"] = self.autoscale_messages(app)

    def cold_start(self) -> None:
        app = f"{self.o.prefix}-zero"
        host = self.deploy(app, "min: 0, max: 1, rps: 50, idle: 10s")
        log(f"{app}: min 0, idle 10s; waiting for it to reach zero")
        deadline = time.monotonic() + 120
        while self.running(app) > 0:
            if time.monotonic() > deadline:
                raise BenchFailed(f"{app} never reached zero replicas")
            time.sleep(1)
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.router_http, timeout=60)
        connection.request("GET", "/who", headers={"Host": host})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        self.figures["cold_start_s"] = time.monotonic() - started
        self.figures["cold_start_status"] = response.status
        log(f"cold start: {self.figures['cold_start_s']:.2f} s, status {response.status} ({body.strip()})")

    def run(self) -> None:
        self.start()
        self.step()
        self.cold_start()

    def teardown(self) -> None:
        try:
            for app in self.deployed:
                self.cli.run(["rm", app, "--timeout", "2m"], timeout=180)
        finally:
            self.stop()


def parse_seconds(text: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for unit in ("ms", "s", "m", "h"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    return float(text)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]


def step_figures(records: list[Record], counts: list[tuple[float, int]], step_at: float, down_at: float, back_at: float | None) -> dict:
    base = {r.replica for r in records if r.phase == "base" and r.ok and r.start < step_at}
    first_new = min((r.end for r in records if r.start >= step_at and r.ok and r.replica not in base), default=None)
    by_phase = {}
    for phase in ("base", "step", "scale-in"):
        rs = [r for r in records if r.phase == phase]
        failed = [r for r in rs if not r.ok]
        by_phase[phase] = {
            "requests": len(rs), "failed": len(failed),
            "p50_ms": (percentile([r.end - r.start for r in rs], 0.5) or 0) * 1000,
            "p99_ms": (percentile([r.end - r.start for r in rs], 0.99) or 0) * 1000,
            "first_failures": sorted({r.error or "?" for r in failed})[:5],
        }
    timeline = []
    t0 = step_at - 20
    end = max((r.end for r in records), default=step_at)
    second = 0.0
    while t0 + second < end:
        lo, hi = t0 + second, t0 + second + 5
        window = [r for r in records if lo <= r.start < hi]
        running = [c for t, c in counts if lo <= t < hi]
        timeline.append({"t": second - 20, "running": max(running) if running else None,
                         "serving": len({r.replica for r in window if r.ok}), "rate": len(window) / 5,
                         "failed": sum(1 for r in window if not r.ok)})
        second += 5
    peak = max((c for _, c in counts), default=0)
    return {
        "first_new_replica_s": None if first_new is None else first_new - step_at,
        "peak_replicas": peak,
        "back_to_one_s": None if back_at is None else back_at - down_at,
        "phases": by_phase, "timeline": timeline,
    }


def render(f: dict, o: argparse.Namespace) -> tuple[str, bool]:
    lines = [f"== autoscale: rps target {o.rps}/replica, max {o.max}; load {o.base_rate:g} -> {o.rate:g} -> {o.base_rate:g} req/s through the router =="]
    lines.append("   t s  running  serving   req/s  failed")
    for row in f.get("timeline", []):
        lines.append(f"  {row['t']:4.0f}  {row['running'] if row['running'] is not None else '-':>7}  {row['serving']:>7}  {row['rate']:6.1f}  {row['failed']:6d}")
    for phase, p in f.get("phases", {}).items():
        lines.append(f"  {phase:9} {p['requests']:6d} requests, {p['failed']} failed, p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms"
                     + (f" ({'; '.join(p['first_failures'])})" if p["failed"] else ""))
    for d in f.get("decisions", []):
        lines.append(f"  decision {d}")
    met = True

    def goal(label: str, value, ok: bool, unit: str = "") -> None:
        nonlocal met
        met = met and ok
        shown = "none" if value is None else (f"{value:.1f}{unit}" if isinstance(value, float) else f"{value}{unit}")
        lines.append(f"  {label:58} {shown:>10}  {'met' if ok else 'MISSED'}")

    first = f.get("first_new_replica_s")
    goal("step -> first new replica serving traffic (goal < 15 s)", first, first is not None and first < 15, " s")
    goal("failed requests during scale-out (goal 0)", f["phases"]["step"]["failed"], f["phases"]["step"]["failed"] == 0)
    goal("failed requests during scale-in (goal 0)", f["phases"]["scale-in"]["failed"], f["phases"]["scale-in"]["failed"] == 0)
    lines.append(f"  {'peak replicas running':58} {f.get('peak_replicas')!s:>10}")
    back = f.get("back_to_one_s")
    lines.append(f"  {'load down -> back to 1 replica (includes the scale-in delay)':58} {'never' if back is None else f'{back:.1f} s':>10}")
    if "cold_start_s" in f:
        ok = f["cold_start_status"] == 200
        goal("cold start: first request at zero answered", f["cold_start_s"], ok, " s")
    return "\n".join(lines), met


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--gantry", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--rate", type=float, default=80, help="req/s during the step (default 80)")
    p.add_argument("--base-rate", type=float, default=5, help="req/s before and after the step (default 5)")
    p.add_argument("--step", type=float, default=60, help="seconds of the step (default 60)")
    p.add_argument("--rps", type=int, default=20, help="the service's rps target per replica (default 20)")
    p.add_argument("--max", type=int, default=4, help="the service's max replicas (default 4)")
    p.add_argument("--scale-in-delay", default="30s", help="the service's scale-in-delay (default 30s)")
    p.add_argument("--json", help="also write the figures to this file")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    o = parse(argv)
    bench = Bench(o)

    def interrupt(signum, frame):
        bench.cli.cancel()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    failure = None
    try:
        bench.run()
    except BenchFailed as e:
        failure = str(e)
    except KeyboardInterrupt:
        failure = "interrupted"
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        bench.cli.resume()
        bench.teardown()
    met = False
    if "phases" in bench.figures:
        text, met = render(bench.figures, o)
        print()
        print(text)
        if o.json:
            with open(o.json, "w", encoding="utf-8") as f:
                json.dump(bench.figures, f, indent=2)
    if failure:
        print(f"\nautoscale bench FAILED: {failure}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
