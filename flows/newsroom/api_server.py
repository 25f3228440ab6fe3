"""The local Prefect server, as `make serve` and the CLI run it: `prefect server start` on
127.0.0.1 under a small supervisor that stops it once it has been idle.

Why a server that outlives the command: Prefect's temporary API, started in each CLI process,
cost 22 s of a 28-31 s no-op re-run on this machine (2026-12-02), nearly all of it importing
Prefect's server modules in a fresh process (`import prefect.server.api.server`: 14 s on a
loaded machine); settings do not shorten an import. A server started once and reused costs
that once: later runs report to it in about 2 s beyond their own imports, and they show in its
UI. `newsroom run` starts one when none answers (NEWSROOM_LOCAL_API=temporary keeps Prefect's
temporary API instead), with an idle timeout so that a one-off command leaves no process
behind for long; `make serve` starts one without (or adopts the CLI's: `server.keep`).

Idle means: no CLI run has touched `server.used` in PREFECT_HOME for the timeout, no flow run is
pending or running, and `server.keep` is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .processes import stop

USED = "server.used"  # touched by each CLI run that reports to the server, at its start and end
KEEP = "server.keep"  # written by `make serve`: a served deployment keeps the server up
PID = "server.pid"


def touch_used(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / USED).touch()


def idle_seconds(home: Path, since: float, now: float | None = None) -> float:
    """Seconds since the last use of the server (or since `since`, its start)."""
    try:
        last = max(since, (home / USED).stat().st_mtime)
    except OSError:
        last = since
    return (now if now is not None else time.time()) - last


def busy(api: str) -> bool:
    """A flow run is pending or running on the server; an unanswered question counts as busy
    (a server still starting, or slow under load, is not stopped for it)."""
    body = {"flow_runs": {"state": {"type": {"any_": ["PENDING", "RUNNING"]}}}}
    request = urllib.request.Request(
        f"{api}/flow_runs/count",
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read()) > 0
    except (OSError, ValueError):
        return True


def _forget_pid(home: Path) -> None:
    path = home / PID
    try:
        if int(path.read_text().split()[0]) == os.getpid():
            path.unlink()
    except (OSError, ValueError, IndexError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsroom.api_server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--idle-minutes", type=float, default=0.0, help="0: never stop for idleness")
    args = parser.parse_args(argv)
    prefect = Path(sys.executable).parent / "prefect"
    child = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(args.port)])

    def on_term(signum, frame):  # `make stop` signals the whole process group; wait for the child
        stop(child)
        _forget_pid(args.home)
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    idle = args.idle_minutes * 60
    step = max(0.5, min(30.0, idle / 6)) if idle else 30.0
    started = time.time()
    api = f"http://127.0.0.1:{args.port}/api"
    while child.poll() is None:
        time.sleep(step)
        if not idle or (args.home / KEEP).exists() or idle_seconds(args.home, started) < idle or busy(api):
            continue
        print(f"newsroom: no run has used this server for {args.idle_minutes:g} minutes: stopping it", flush=True)
        stop(child)
        _forget_pid(args.home)
        return 0
    _forget_pid(args.home)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
