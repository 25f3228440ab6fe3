"""`newsroom serve`, `stop` and `trigger`: the Prefect server and the served deployment as two
background processes that one command starts and one command stops. A CLI run that finds no
server starts the same server alone, which stops itself once idle (see api_server.py); `serve`
adopts it.

Each process runs in its own session (so a terminal's Ctrl-C or hang-up does not reach it)
with a pid file and a log in PREFECT_HOME (`.prefect/` by default). A pid file whose process
is gone, or now belongs to another program, is stale: it is removed and said so, never
signalled.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import api_server
from .config import Settings
from .deploy import DEPLOYMENT, FLOW


@dataclass
class Service:
    name: str  # pid file and log name
    marker: str  # a word of its command line, to tell our process from a reused pid
    command: list[str]

    def pid_file(self, home: Path) -> Path:
        return home / f"{self.name}.pid"

    def log(self, home: Path) -> Path:
        return home / f"{self.name}.log"


def _server(settings: Settings, idle_minutes: float = 0) -> Service:
    """`prefect server start` under api_server's supervisor (which stops it when idle)."""
    command = [sys.executable, "-m", "newsroom.api_server", "--port", str(settings.prefect_port)]
    command += ["--home", str(settings.prefect_home), "--idle-minutes", f"{idle_minutes:g}"]
    return Service("server", "newsroom.api_server", command)


def _services(settings: Settings) -> list[Service]:
    return [_server(settings), Service("deployment", "newsroom.deploy", [sys.executable, "-m", "newsroom.deploy"])]


def _env(settings: Settings) -> dict:
    api = settings.local_api_url
    return {
        **os.environ,
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "INFO"),
    }


def running_pid(service: Service, home: Path) -> int | None:
    """The live process a pid file names, or None (a stale file is removed)."""
    path = service.pid_file(home)
    try:
        pid = int(path.read_text().split()[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (OSError, ValueError, IndexError):
        if path.exists():
            path.unlink()
            print(f"{service.name}: removed a stale pid file ({path.name})")
        return None
    if service.marker not in cmdline:
        path.unlink()
        print(f"{service.name}: removed a stale pid file (pid {pid} is another program now)")
        return None
    return pid


def _api(base: str, path: str, timeout: float = 5):
    with urllib.request.urlopen(f"{base}{path}", timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def _wait(what: str, check, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{what} exited with code {process.returncode}; its log {log} ends:\n" + _tail(log))
        try:
            if check():
                return
        except (OSError, ValueError):
            pass
        time.sleep(1)
    raise ServiceError(f"{what} did not come up within {timeout:.0f} s; its log {log} ends:\n" + _tail(log))


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class ServiceError(RuntimeError):
    pass


def _start(service: Service, settings: Settings) -> subprocess.Popen:
    log = service.log(settings.prefect_home)
    process = subprocess.Popen(
        service.command,
        env=_env(settings),
        stdin=subprocess.DEVNULL,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    service.pid_file(settings.prefect_home).write_text(f"{process.pid}\n")
    return process


def serve(settings: Settings | None = None, foreground: bool = False) -> int:
    settings = settings or Settings()
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    server, deployment = _services(settings)
    ui = f"http://127.0.0.1:{settings.prefect_port}"
    home = settings.prefect_home
    if running_pid(server, home) and running_pid(deployment, home):
        print(f"already serving: Prefect UI on {ui}; `make stop` stops it")
        return 0
    if running_pid(server, home):
        # the server a CLI run started (perhaps reporting to it now): kept, and kept up
        (home / api_server.KEEP).touch()
        print(f"the Prefect server on {ui} is running: the deployment is served against it", flush=True)
    else:
        stop(settings, quiet=True)  # a deployment alone: start both afresh
    try:
        if not running_pid(server, home):
            (home / api_server.KEEP).touch()
            process = _start(server, settings)
            print(f"starting the Prefect server on {ui} (log: {server.log(home)}) ...", flush=True)
            _wait("the Prefect server", lambda: _healthy(settings), process, server.log(home), 240)
        process = _start(deployment, settings)
        print(f"serving {FLOW}/{DEPLOYMENT} (log: {deployment.log(settings.prefect_home)}) ...", flush=True)
        _wait(
            "the served deployment",
            lambda: _api(settings.local_api_url, f"/deployments/name/{FLOW}/{DEPLOYMENT}"),
            process,
            deployment.log(settings.prefect_home),
            240,
        )
    except ServiceError as exc:
        stop(settings, quiet=True)
        print(f"newsroom: {exc}", file=sys.stderr)
        return 1
    print(
        f"Prefect UI: {ui}\n"
        f"deployment {FLOW}/{DEPLOYMENT}: ingests {settings.inbox} into {settings.warehouse} on the "
        f"schedule '{settings.schedule}'; `make trigger` runs it now"
    )
    if not foreground:
        print("both run in the background; `make stop` stops them")
        return 0
    return _in_foreground(process, settings)


def _in_foreground(process, settings: Settings) -> int:
    """Wait on the served deployment until it exits or Ctrl-C, then stop both."""
    print("in the foreground: Ctrl-C stops both", flush=True)
    try:
        while process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    stop(settings)
    return 0


def _healthy(settings: Settings) -> bool:
    try:
        return _api(settings.local_api_url, "/health", timeout=2) is not None
    except (OSError, ValueError):
        return False


@contextmanager
def _starting(home: Path) -> Iterator[None]:
    """One process at a time decides whether to start the server (two CLI runs at once would
    otherwise both start one, and the second's pid file would hide the first)."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "server.start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def start_local_api(settings: Settings) -> Callable[[], str]:
    """For a CLI run when no server answers: start the local server in the background (or
    find the one another command is starting), and return what waits for it to answer. The
    caller imports Prefect meanwhile: the server's start-up overlaps the run's own imports."""
    server, home = _server(settings, settings.local_api_idle_minutes), settings.prefect_home
    with _starting(home):
        pid = running_pid(server, home)
        if pid is None and not _healthy(settings):
            pid = _start(server, settings).pid
    api_server.touch_used(home)

    def wait() -> str:
        deadline = time.monotonic() + 240
        while not _healthy(settings):
            if pid is not None and not Path(f"/proc/{pid}").exists():
                raise ServiceError(
                    f"the Prefect server exited; its log {server.log(home)} ends:\n" + _tail(server.log(home))
                )
            if time.monotonic() > deadline:
                raise ServiceError(f"the Prefect server did not answer within 240 s; see {server.log(home)}")
            if pid is not None:
                _reap(pid)  # our child, if it exited: else /proc still shows it
            time.sleep(0.2)
        return settings.local_api_url

    return wait


def _terminate(pid: int, seconds: float = 20) -> str:
    """SIGTERM the process's group, SIGKILL what is left after `seconds`; says which ended it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return sig.name
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                return sig.name
            _reap(pid)
            time.sleep(0.2)
    return "SIGKILL, still exiting"


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)  # our own child when serve runs in the foreground
    except ChildProcessError:
        pass


def stop(settings: Settings | None = None, quiet: bool = False) -> int:
    """Stop the served deployment, then the server; tolerate pid files left by a crash."""
    settings = settings or Settings()
    stopped = []
    for service in reversed(_services(settings)):
        pid = running_pid(service, settings.prefect_home)
        if pid is not None:
            ended_by = _terminate(pid)
            stopped.append(f"{service.name} (pid {pid}, {ended_by})")
        service.pid_file(settings.prefect_home).unlink(missing_ok=True)
    (settings.prefect_home / api_server.KEEP).unlink(missing_ok=True)
    if not quiet:
        print("stopped " + " and ".join(stopped) if stopped else "nothing to stop: no server or deployment is running")
    return 0


def trigger(settings: Settings | None = None, wait: bool = False) -> int:
    """Ask the Prefect server for a run of the deployment now (what the schedule does hourly)."""
    settings = settings or Settings()
    api = settings.prefect_api_url
    try:
        _api(api, "/health", timeout=3)
    except (OSError, ValueError):
        print(f"newsroom: no Prefect server answers at {api}: start one with `make serve`", file=sys.stderr)
        return 2
    os.environ["PREFECT_API_URL"] = api  # before Prefect's settings are first read
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    try:
        run = run_deployment(f"{FLOW}/{DEPLOYMENT}", timeout=None if wait else 0, as_subflow=False)
    except ObjectNotFound:
        print(
            f"newsroom: the server at {api} has no deployment {FLOW}/{DEPLOYMENT}: `make serve` serves it",
            file=sys.stderr,
        )
        return 2
    ui = api.removesuffix("/api")
    print(
        f"flow run {run.name} ({run.id}): {run.state.name if run.state else 'scheduled'}; {ui}/runs/flow-run/{run.id}"
    )
    return 0 if not wait or (run.state and run.state.is_completed()) else 1
