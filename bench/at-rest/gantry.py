"""The Gantry processes the bench starts (a private server and router, by pid) and the CLI it
runs against them. Nothing here finds a process by name: every signal goes to a pid the bench
started itself, and every pid is also written to WORK/NAME.pid for run.sh's last-resort cleanup."""

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request


class GantryProcess:
    """A long-running `gantry server` or `gantry router`, its output appended to WORK/NAME.log."""

    def __init__(self, name: str, args: list[str], work: str):
        self.name = name
        self.log = os.path.join(work, name + ".log")
        self._pid_file = os.path.join(work, name + ".pid")
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=work)
        with open(self._pid_file, "w", encoding="ascii") as f:
            f.write(str(self._process.pid))

    @property
    def pid(self) -> int:
        return self._process.pid

    def running(self) -> bool:
        return self._process.poll() is None

    def terminate(self, grace: float = 30) -> bool:
        """SIGTERM, then SIGKILL after `grace` seconds. True when it exited on SIGTERM."""
        graceful = True
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(grace)
            except subprocess.TimeoutExpired:
                graceful = False
                self._process.kill()
                self._process.wait()
        if os.path.exists(self._pid_file):
            os.remove(self._pid_file)
        return graceful

    def tail(self, lines: int = 15) -> str:
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"


def wait_http(url: str, limit: float, host: str | None = None, give_up=None) -> bool:
    """Polls `url` (with an optional Host header) until it answers 2xx; False after `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if give_up and give_up():
            return False
        request = urllib.request.Request(url, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if 200 <= response.status < 300:
                    return True
        except (urllib.error.URLError, OSError):
            pass  # not up yet
        time.sleep(0.3)
    return False


class GantryCli:
    """Runs `gantry` verbs against the private server; token and config isolated in the work directory."""

    def __init__(self, binary: str, work: str, server_url: str, token_file: str):
        self._binary = binary
        self._work = work
        self._server_url = server_url
        self._token_file = token_file
        self._log = os.path.join(work, "cli.log")
        self._lock = threading.RLock()  # reentrant: the SIGTERM handler may run while the main thread holds it
        self._running: set[subprocess.Popen] = set()
        self._cancelled = False

    def cancel(self) -> None:
        """Stops the verbs in flight (deploys waiting for their rollout) and refuses new ones: an
        interrupted bench goes straight to its teardown. `resume` allows verbs again for it."""
        with self._lock:
            self._cancelled = True
            for process in self._running:
                process.terminate()

    def resume(self) -> None:
        with self._lock:
            self._cancelled = False

    def run(self, args: list[str], env: dict[str, str] | None = None, timeout: float = 600) -> tuple[int, str]:
        with open(self._token_file, encoding="ascii") as f:
            token = f.read().strip()
        environment = dict(os.environ, GANTRY_SERVER=self._server_url, GANTRY_TOKEN=token,
                           XDG_CONFIG_HOME=os.path.join(self._work, "config"), **(env or {}))
        started = time.monotonic()
        with self._lock:
            if self._cancelled:
                return 130, "(cancelled)"
            process = subprocess.Popen([self._binary, *args], env=environment, cwd=self._work, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
            self._running.add(process)
        try:
            output, _ = process.communicate(timeout=timeout)
            code = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            code, output = 124, f"{output}\n(timed out after {timeout:.0f} s)"
        finally:
            with self._lock:
                self._running.discard(process)
        with self._lock, open(self._log, "a", encoding="utf-8") as log:
            log.write(f"$ gantry {' '.join(args)}\n{output}[exit {code} after {time.monotonic() - started:.1f} s]\n\n")
        return code, output

    def apps(self) -> list[dict]:
        code, output = self.run(["apps", "-o", "json"], timeout=60)
        if code != 0:
            raise RuntimeError(f"gantry apps failed (exit {code}): {output.strip()[-300:]}")
        return json.loads(output)
