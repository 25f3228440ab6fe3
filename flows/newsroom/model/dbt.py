"""Running `dbt build` on a warehouse file.

dbt runs in its own process: it opens the DuckDB file itself, and a separate process
guarantees every dbt-duckdb connection is closed (and the file unlocked) when it returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import DBT_DIR, DBT_TARGET_DIR
from ..processes import die_with_parent

# dbt's log folder, inside the build's target folder: one per warehouse, overwritten by its
# next build (a temporary folder was left behind in /tmp by every killed run).
LOGS = "logs"


# An increment's build leaves the views as they are: their SQL changes only with the project,
# and marts built by another project are rebuilt with --full-refresh, which creates them all.
# Re-creating the 13 views cost 1.0 s of model time, 0.4-0.5 s of the dbt stage, of a
# 30-article increment into a 20,000-article warehouse (2026-12-04). Their tests still run:
# `empty` indirect selection, as excluding a model otherwise drops the tests on it.
FULL_BUILD = ["build", "--full-refresh"]
INCREMENTAL_BUILD = [
    "build",
    "--exclude",
    "config.materialized:view,resource_type:model",
    "--indirect-selection",
    "empty",
]


class DbtBuildError(RuntimeError):
    pass


@dataclass
class DbtResult:
    passed: int
    warned: int
    failed: int
    skipped: int
    seconds: float
    warnings: list[str] = field(default_factory=list)  # "<test>: <message>" of each test that warned


def dbt_env(warehouse: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "DBT_PROFILES_DIR": str(DBT_DIR), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if warehouse is not None:
        env["NEWSROOM_DBT_WAREHOUSE"] = str(Path(warehouse).resolve())
    return env


def dbt_executable() -> list[str]:
    candidate = Path(sys.executable).with_name("dbt")
    return [str(candidate)] if candidate.exists() else [sys.executable, "-m", "dbt.cli.main"]


def dbt_command(args: list[str], target_path: Path | None = None) -> list[str]:
    command = dbt_executable() + args + ["--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return command


def run_dbt(args: list[str], warehouse: Path, target_path: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        dbt_command(args, target_path),
        env=dbt_env(warehouse),
        cwd=DBT_DIR,
        capture_output=True,
        text=True,
        preexec_fn=die_with_parent,
    )


def project_fingerprint() -> str:
    """A hash of everything that shapes the marts: the dbt project and the landing DDL."""
    from ..config import SQL_DIR

    digest = hashlib.sha256()
    files = [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    files += (
        sorted((DBT_DIR / "models").rglob("*"))
        + sorted((DBT_DIR / "macros").rglob("*"))
        + sorted(SQL_DIR.glob("*.sql"))
    )
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(DBT_DIR.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def target_path(warehouse: Path) -> Path:
    """dbt's target directory for builds of one warehouse. Kept between runs so that dbt
    re-parses only what changed (it re-parses everything when the profile's path changes,
    hence one directory per warehouse); the run lock keeps one build per warehouse at a time.
    The working copy's path is fixed per warehouse, so this is stable across runs."""
    digest = hashlib.sha256(str(Path(warehouse).resolve()).encode()).hexdigest()[:12]
    return DBT_TARGET_DIR / f"build-{digest}"


# A warehouse's dbt target directory unused this long is removed when another build starts:
# each warehouse path gets one (3-4 MB), and temporary warehouses (every `newsroom eval
# clusters`, every test) left theirs for good, 1.1 GB of them by 2026-12-05. Removing a live
# warehouse's costs its next build one full parse (~3 s).
STALE_TARGET_DAYS = 14


def prune_stale_targets(keep: Path, days: float = STALE_TARGET_DAYS) -> None:
    """Remove the build directories beside `keep` not touched for `days`."""
    cutoff = time.time() - days * 86400
    for stale in keep.parent.glob("build-*"):
        try:
            if stale != keep and stale.is_dir() and stale.stat().st_mtime < cutoff:
                shutil.rmtree(stale)
        except OSError:  # another process removed or is using it: not ours to insist on
            continue


class PrewarmedBuild:
    """A `dbt build` process started as soon as a run has something new: it imports dbt and
    parses the project (6 s of a 17 s build on 2026-12-02: 3 s importing, 3 s parsing)
    while the run annotates and clusters, then builds when asked. Used once; close() ends
    it if the run never asks (nothing to build, or a failure)."""

    def __init__(self, warehouse: Path):
        self.warehouse, self.target = Path(warehouse), target_path(warehouse)
        self.target.mkdir(parents=True, exist_ok=True)
        os.utime(self.target)  # in use: not stale for another warehouse's build
        prune_stale_targets(self.target)
        self._output = tempfile.TemporaryFile(mode="w+")  # not a pipe: nothing can fill and block it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsroom.model.prewarmed", str(self.target), str(self.target / LOGS)],
            stdin=subprocess.PIPE,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            env=dbt_env(warehouse),
            cwd=DBT_DIR,
            text=True,
            preexec_fn=die_with_parent,
        )
        self.used = False

    def ready_for(self, warehouse: Path) -> bool:
        """Started for `warehouse` and not used yet (a retry of the dbt task builds afresh)."""
        return not self.used and self.warehouse == Path(warehouse)

    def build(self, full_refresh: bool = False) -> subprocess.CompletedProcess:
        self.used = True
        try:
            self.process.stdin.write(" ".join(FULL_BUILD if full_refresh else INCREMENTAL_BUILD) + "\n")
            self.process.stdin.close()
        except BrokenPipeError:  # it died early: its output says why
            pass
        returncode = self.process.wait()
        self._output.seek(0)
        return subprocess.CompletedProcess(self.process.args, returncode, self._output.read(), "")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._output.close()


def build(warehouse: Path, prewarmed: PrewarmedBuild | None = None, full_refresh: bool = False) -> DbtResult:
    """`dbt build` (models and their tests) against `warehouse`, by `prewarmed` if it was
    started for this warehouse and not used yet; raises with the failing nodes' messages if
    anything fails. `full_refresh` rebuilds the incremental models whole and creates the
    views: needed whenever the marts were built by another dbt project (or none), whose rows
    they would otherwise keep and whose views an increment leaves as they are."""
    target = target_path(warehouse)
    results_file = target / "run_results.json"
    results_file.unlink(missing_ok=True)
    if prewarmed is None or not prewarmed.ready_for(warehouse):
        prewarmed = PrewarmedBuild(warehouse)  # the same process, parsing just before it builds
    try:
        completed = prewarmed.build(full_refresh)
    finally:
        prewarmed.close()
    if not results_file.exists():
        raise DbtBuildError(
            f"dbt build did not run (exit {completed.returncode}):\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    results = json.loads(results_file.read_text())
    statuses = [r["status"] for r in results["results"]]
    failures = [f"{r['unique_id']}: {r.get('message')}" for r in results["results"] if r["status"] in ("error", "fail")]
    outcome = DbtResult(
        passed=sum(s in ("success", "pass") for s in statuses),
        warned=sum(s == "warn" for s in statuses),
        failed=len(failures),
        skipped=sum(s == "skipped" for s in statuses),
        seconds=float(results.get("elapsed_time", 0.0)),
        warnings=[f"{r['unique_id']}: {r.get('message')}" for r in results["results"] if r["status"] == "warn"],
    )
    if failures or completed.returncode != 0:
        raise DbtBuildError("dbt build failed:\n" + "\n".join(failures or [completed.stdout[-3000:]]))
    return outcome


def generate_docs(warehouse: Path) -> Path:
    """`dbt docs generate` for a published warehouse; returns the site's directory.

    The catalog is read from a copy of the warehouse (same file name, so the same database
    name), so the docs never hold the warehouse open and a run can publish meanwhile; the
    copy is a consistent snapshot because runs publish by atomic rename."""
    site = DBT_TARGET_DIR / "docs-site"
    site.mkdir(parents=True, exist_ok=True)
    copy = site / Path(warehouse).name
    shutil.copyfile(warehouse, copy)
    try:
        completed = run_dbt(["docs", "generate", "--log-path", str(site / LOGS)], copy, site)
    finally:
        copy.unlink(missing_ok=True)
    if completed.returncode != 0 or not (site / "catalog.json").exists():
        raise DbtBuildError(f"dbt docs generate failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return site


def serve_docs(site: Path, port: int) -> None:
    """`dbt docs serve` on 127.0.0.1 only (replaces this process)."""
    command = dbt_command(["docs", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-browser"], site)
    os.execve(command[0], command, dbt_env())
