"""Running `dbt build` on a warehouse file.

dbt runs in its own process: it opens the DuckDB file itself, and a separate process
guarantees every dbt-duckdb connection is closed (and the file unlocked) when it returns.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import DBT_DIR


class DbtBuildError(RuntimeError):
    pass


@dataclass
class DbtResult:
    passed: int
    warned: int
    failed: int
    skipped: int
    seconds: float


def dbt_env(warehouse: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSROOM_DBT_WAREHOUSE": str(Path(warehouse).resolve()),
        "DBT_PROFILES_DIR": str(DBT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PARTIAL_PARSE": "false",
    }


def dbt_executable() -> list[str]:
    candidate = Path(sys.executable).with_name("dbt")
    return [str(candidate)] if candidate.exists() else [sys.executable, "-m", "dbt.cli.main"]


def run_dbt(args: list[str], warehouse: Path, target_path: Path | None = None) -> subprocess.CompletedProcess:
    command = dbt_executable() + args + ["--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return subprocess.run(command, env=dbt_env(warehouse), cwd=DBT_DIR, capture_output=True, text=True)


def build(warehouse: Path) -> DbtResult:
    """`dbt build` (models and their tests) against `warehouse`; raises with the failing
    nodes' messages if anything fails."""
    with tempfile.TemporaryDirectory(prefix="newsroom-dbt-") as tmp:
        target = Path(tmp) / "target"
        completed = run_dbt(["build", "--log-path", str(Path(tmp) / "logs")], warehouse, target)
        results_file = target / "run_results.json"
        if not results_file.exists():
            raise DbtBuildError(f"dbt build did not run (exit {completed.returncode}):\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
        results = json.loads(results_file.read_text())
    statuses = [r["status"] for r in results["results"]]
    failures = [f"{r['unique_id']}: {r.get('message')}" for r in results["results"] if r["status"] in ("error", "fail")]
    outcome = DbtResult(
        passed=sum(s in ("success", "pass") for s in statuses),
        warned=sum(s == "warn" for s in statuses),
        failed=len(failures),
        skipped=sum(s == "skipped" for s in statuses),
        seconds=float(results.get("elapsed_time", 0.0)),
    )
    if failures or completed.returncode != 0:
        raise DbtBuildError("dbt build failed:\n" + "\n".join(failures or [completed.stdout[-3000:]]))
    return outcome
