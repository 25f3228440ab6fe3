"""A CLI run with no Prefect server up starts the local server and leaves it for the next run,
which reports to it; both runs show in its API; the server stops itself once idle."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE
from services import BIN, free_port

pytestmark = pytest.mark.timeout(900)


def _post(api: str, path: str, body: dict):
    request = urllib.request.Request(
        f"{api}{path}", method="POST", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _answers(api: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return "newsroom.api_server" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")


def test_a_cli_run_starts_the_local_server_the_next_run_reuses_and_idleness_stops(tmp_path):
    port, home, warehouse = free_port(), tmp_path / "prefect-home", tmp_path / "news.duckdb"
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "NEWSROOM_PREFECT_PORT": str(port),
        "NEWSROOM_LOCAL_API": "persistent",  # the default, which the suite otherwise turns off
        "NEWSROOM_LOCAL_API_IDLE_MINUTES": "0.5",
    }
    env.pop("PREFECT_API_URL", None)

    def run() -> subprocess.CompletedProcess:
        command = [str(BIN / "newsroom"), "run", "--input", str(SAMPLE), "--warehouse", str(warehouse)]
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)

    try:
        first = run()
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"starting the local Prefect server on http://127.0.0.1:{port}" in first.stderr
        pid = int((home / "server.pid").read_text())
        assert _alive(pid) and _answers(api), "the server is gone with the command that started it"

        second = run()
        assert second.returncode == 0, second.stdout + second.stderr
        assert f"reporting to the Prefect server at {api}" in second.stderr
        assert "0 new articles, 2 already loaded" in second.stdout
        assert int((home / "server.pid").read_text()) == pid  # the same server, not a second one

        runs = _post(api, "/flow_runs/filter", {"flows": {"name": {"any_": ["ingest-articles"]}}})
        assert sorted(r["state"]["type"] for r in runs) == ["COMPLETED", "COMPLETED"]
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            recorded = {row[0] for row in con.execute("select flow_run_id from ops.runs").fetchall()}
        finally:
            con.close()
        assert recorded == {r["id"] for r in runs}  # each run's row names its flow run on the server

        deadline = time.monotonic() + 180  # idle 30 s, then its next check
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(1)
        assert not _alive(pid), "the server did not stop after its idle timeout"
        assert not _answers(api)
        assert not (home / "server.pid").exists()
        assert "no run has used this server for 0.5 minutes: stopping it" in (home / "server.log").read_text()
    finally:
        subprocess.run([str(BIN / "newsroom"), "stop"], env=env, cwd=ROOT, capture_output=True, timeout=120)
