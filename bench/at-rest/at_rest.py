"""Issue 9's at-rest bench, the orchestrator run.sh starts: a private Gantry server and router,
N apps of 3 health-checked replicas deployed and converged, then a window at rest with Gantry
running and one with Gantry stopped, for each N of --apps. Removes every app it deployed and stops
what it started however it ends. Exit 0 when every goal is met, 1 when one is missed, 2 when the
bench could not measure (a deploy failed, a process died)."""

import argparse
import concurrent.futures
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import probes
import report
import window
from gantry import GantryCli, GantryProcess, wait_http

COMPOSE = """\
# Written by bench/at-rest: one small web service, health-checked by the engine and by the router.
services:
  web:
    image: ${ATREST_IMAGE}
    x-gantry:
      host: ${ATREST_HOST}
      port: 8080
      health:
        path: /
        interval: %(router_health)s
        timeout: 5s
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
      interval: %(engine_health)s
      # Generous: on a machine shared with busy builds a replica can take seconds to answer.
      timeout: 5s
      retries: 3
    deploy:
      replicas: %(replicas)d
      resources:
        limits:
          memory: 16M
          # Not less: the engine's health check execs into the replica and runs inside its CPU quota;
          # at 0.05 on a loaded machine every check timed out. Limits are caps: at rest they cost nothing.
          cpus: "0.25"
"""


class BenchFailed(Exception):
    """The bench could not produce a measurement (as opposed to a goal being missed)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[at-rest {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Bench:
    def __init__(self, options: argparse.Namespace):
        self.o = options
        self.data = os.path.join(options.work, "data")
        self.server_url = f"http://127.0.0.1:{free_port()}"
        self.router_http = free_port()
        self.router_admin = free_port()
        self.router_internal = free_port()
        self.server: GantryProcess | None = None
        self.router: GantryProcess | None = None
        self.deployed: list[str] = []
        self.scales: list[report.Scale] = []
        self.cli = GantryCli(options.gantry, options.work, self.server_url, os.path.join(self.data, "admin-token"))
        self.app_dir = os.path.join(options.work, "app")
        os.makedirs(self.app_dir, exist_ok=True)
        with open(os.path.join(self.app_dir, "compose.yaml"), "w", encoding="utf-8") as f:
            f.write(COMPOSE % {"router_health": options.router_health_interval,
                               "engine_health": options.healthcheck_interval, "replicas": options.replicas})

    # --- processes -------------------------------------------------------------------------
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
        log(f"server {self.server_url} (pid {server.pid}, data {self.data}); router 127.0.0.1:{self.router_http} (pid {router.pid})")

    def stop(self) -> None:
        for process in (self.router, self.server):
            if process is not None and not process.terminate(30):
                log(f"{process.name} did not exit on SIGTERM within 30 s: killed")
        self.router = self.server = None

    # --- apps ------------------------------------------------------------------------------
    def app_name(self, number: int) -> str:
        return f"{self.o.prefix}-{number:02d}"

    def host(self, app: str) -> str:
        return f"{app}.at-rest.localhost"

    def deploy_up_to(self, count: int) -> None:
        wanted = [self.app_name(i) for i in range(len(self.deployed) + 1, count + 1)]
        log(f"deploying {len(wanted)} apps of {self.o.replicas} replicas ({self.o.parallel} at a time)")
        started = time.monotonic()
        # Recorded before the deploys: an interrupted or failed one may have created the app, and teardown removes it.
        self.deployed.extend(wanted)
        failures = []
        with concurrent.futures.ThreadPoolExecutor(self.o.parallel) as pool:
            for app, code, output in pool.map(self._deploy_one, wanted):
                if code != 0:
                    failures.append(f"{app}: exit {code}: {output.strip().splitlines()[-1] if output.strip() else ''}")
        if failures:
            raise BenchFailed("deploys failed (see cli.log):\n  " + "\n  ".join(failures))
        log(f"deployed {len(wanted)} apps in {time.monotonic() - started:.0f} s")

    def _deploy_one(self, app: str) -> tuple[str, int, str]:
        # The deploy uploads the first compose file's directory: the app directory holds only that file.
        code, output = self.cli.run(["deploy", "-f", os.path.join(self.app_dir, "compose.yaml"), "--app", app, "--timeout", "5m"],
                                    {"ATREST_IMAGE": self.o.image, "ATREST_HOST": self.host(app)}, timeout=420)
        return app, code, output

    def healthy_containers(self) -> int:
        owner = self.installation_id()
        out = subprocess.run(["docker", "ps", "-q", "--filter", f"label=gantry.owner={owner}", "--filter", "health=healthy"],
                             capture_output=True, text=True, check=True).stdout
        return len(out.split())

    def container_states(self) -> str:
        """This server's containers counted by state and health, for a failure message."""
        out = subprocess.run(["docker", "ps", "-a", "--filter", f"label=gantry.owner={self.installation_id()}", "--format", "{{.State}}|{{.Status}}"],
                             capture_output=True, text=True, check=False).stdout
        counts: dict[str, int] = {}
        for line in out.splitlines():
            state, _, status = line.partition("|")
            health = re.search(r"\((healthy|unhealthy|health: starting)\)", status)
            key = state + (f" {health.group(1)}" if health else "")
            counts[key] = counts.get(key, 0) + 1
        return ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "none"

    def installation_id(self) -> str:
        with open(os.path.join(self.data, "installation-id"), encoding="ascii") as f:
            return f.read().strip()

    def wait_converged(self, limit: float = 300) -> None:
        """Every app Running with all replicas, every container healthy, every host answered by the router."""
        want = len(self.deployed) * self.o.replicas
        deadline = time.monotonic() + limit
        state = ""
        while time.monotonic() < deadline:
            apps = {a["name"]: a for a in self.cli.apps()}
            lagging = [n for n in self.deployed if n not in apps or str(apps[n].get("phase")).lower() != "running"
                       or apps[n].get("replicasRunning") != apps[n].get("replicasDesired")]
            healthy = self.healthy_containers()
            state = f"{len(self.deployed) - len(lagging)}/{len(self.deployed)} apps running, {healthy}/{want} containers healthy"
            if lagging:
                state += "; " + "; ".join(f"{n}: {apps[n].get('phase')} {apps[n].get('replicasRunning')}/{apps[n].get('replicasDesired')} "
                                          f"{apps[n].get('message') or ''}".strip() if n in apps else f"{n}: missing" for n in lagging[:5])
                state += "; containers: " + self.container_states()
            if not lagging and healthy == want:
                unrouted = [n for n in self.deployed
                            if not wait_http(f"http://127.0.0.1:{self.router_http}/", 30, host=self.host(n))]
                if not unrouted:
                    log(f"converged: {state}, every host answered through the router")
                    return
                state += f"; the router did not answer {', '.join(unrouted)}"
            time.sleep(2)
        raise BenchFailed(f"not converged after {limit:.0f} s: {state}")

    def remove_apps(self) -> None:
        if not self.deployed:
            return
        log(f"removing {len(self.deployed)} apps")
        with concurrent.futures.ThreadPoolExecutor(self.o.parallel) as pool:
            for app, (code, output) in zip(self.deployed, pool.map(lambda a: self.cli.run(["rm", a, "--timeout", "3m"], timeout=240), self.deployed)):
                if code != 0 and "not found" not in output.lower():
                    log(f"gantry rm {app} failed (exit {code}): {output.strip()[-200:]}")
        self.deployed = []

    # --- measuring -------------------------------------------------------------------------
    def engine_pids(self) -> dict[str, int]:
        dockerd = probes.dockerd_pid()
        if dockerd is None:
            raise BenchFailed("dockerd's pid (/var/run/docker.pid) is not readable")
        pids = {"dockerd": dockerd}
        containerd = probes.child_named(dockerd, "containerd")
        if containerd:
            pids["containerd"] = containerd
        return pids

    def measure_scale(self, count: int) -> report.Scale:
        self.deploy_up_to(count)
        self.wait_converged()
        log(f"settling for {self.o.settle:.0f} s, then {self.o.duration:.0f} s at rest with Gantry running")
        time.sleep(self.o.settle)
        pids = {"server": self.server.pid, "router": self.router.pid, **self.engine_pids()}
        running = window.measure(self.o.duration, pids, os.path.join(self.data, "gantry.db"), self.data, progress=log)
        if running.died:
            raise BenchFailed(f"{', '.join(running.died)} exited during the window")
        log(f"server {running.cpu_percent('server'):.2f} % of a core; stopping server and router for {self.o.duration:.0f} s (apps keep running)")
        self.stop()
        time.sleep(self.o.settle / 2)
        stopped = window.measure(self.o.duration, self.engine_pids(), progress=log)
        log("starting server and router again")
        self.start()
        self.wait_converged()
        return report.Scale(count, self.o.replicas, running, stopped)

    def run(self) -> None:
        """Measures each size in turn; `scales` keeps what was measured even if a later size fails."""
        self.start()
        for count in self.o.apps:
            self.scales.append(self.measure_scale(count))

    def teardown(self) -> None:
        try:
            if (self.server is None or not self.server.running()) and self.deployed and os.path.exists(self.data):
                self.stop()
                self.start()  # the apps' containers are removed by the server that owns them
            self.remove_apps()
        except (BenchFailed, OSError, RuntimeError) as e:
            log(f"cleanup: {e} (run.sh removes what is left by this server's owner label)")
        finally:
            self.stop()


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--gantry", required=True, help="the gantry executable")
    p.add_argument("--work", required=True, help="work directory (data dir, logs)")
    p.add_argument("--image", required=True, help="the web image every app runs")
    p.add_argument("--prefix", required=True, help="app name prefix, unique to this run")
    p.add_argument("--apps", default="10,50", help="app counts to measure, ascending (default 10,50)")
    p.add_argument("--duration", type=float, default=300, help="seconds per window (default 300)")
    p.add_argument("--settle", type=float, default=20, help="seconds between convergence and the window (default 20)")
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--parallel", type=int, default=4, help="deploys at a time")
    p.add_argument("--healthcheck-interval", default="10s", help="the engine's HEALTHCHECK interval")
    p.add_argument("--router-health-interval", default="5s", help="the router's x-gantry health interval")
    p.add_argument("--json", help="also write the figures to this file")
    o = p.parse_args(argv)
    o.apps = sorted({int(a) for a in o.apps.split(",") if a.strip()})
    if not o.apps or o.apps[0] < 0:
        p.error("--apps takes counts of apps, e.g. 10,50 (0: a baseline with nothing deployed)")
    return o




def main(argv: list[str]) -> int:
    options = parse(argv)
    # run.sh stops the bench with SIGTERM: turn it into an exception so the teardown runs.
    bench = Bench(options)

    def interrupt(signum, frame):
        bench.cli.cancel()  # in-flight deploys would otherwise hold the interrupted bench for minutes
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
    scales = bench.scales
    if scales:
        print()
        print(report.render(scales, options.duration))
        if options.json:
            with open(options.json, "w", encoding="utf-8") as f:
                json.dump([{"apps": s.apps, **report.figures(s)} for s in scales], f, indent=2)
    if failure:
        print(f"\nat-rest bench FAILED: {failure}", file=sys.stderr)
        return 2
    return 0 if report.all_met(scales) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
