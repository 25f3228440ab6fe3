"""Crashes and overlapping runs, on real `newsroom run` processes: a run SIGKILLed in any
stage leaves the published warehouse as it was, and the next run builds exactly what an
uninterrupted run builds; a second run started during another exits with a clear message."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, marts_snapshot

def _run(warehouse: Path, env: dict, fault: str | None = None, wait: bool = True):
    env = dict(env)
    if fault:
        env["NEWSROOM_FAULT"] = fault
    command = [str(Path(sys.executable).with_name("newsroom")), "run", "--input", str(SAMPLE), "--warehouse", str(warehouse)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


@pytest.fixture(scope="module")
def env(prefect_harness):
    """The subprocesses talk to the test's Prefect API instead of each starting its own."""
    from prefect.settings import PREFECT_API_URL

    environment = {k: v for k, v in os.environ.items() if k != "NEWSROOM_FAULT"}
    environment["PREFECT_API_URL"] = PREFECT_API_URL.value()
    return environment


@pytest.fixture(scope="module")
def reference_warehouse(env, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("reference") / "news.duckdb"
    code, out, err = _run(warehouse, env)
    assert code == 0, out + err
    return warehouse


@pytest.fixture(scope="module")
def reference(reference_warehouse) -> dict:
    return marts_snapshot(reference_warehouse)


def test_killed_runs_leave_nothing_half_built_and_the_next_run_completes(env, reference, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    for fault in ("extract:kill", "annotate:kill", "load:kill", "cluster:kill", "dbt:killafter=3"):
        code, out, err = _run(warehouse, env, fault)
        assert code == -9, f"{fault}: expected SIGKILL, got {code}\n{out}\n{err}"
        assert not warehouse.exists(), f"{fault}: a killed first run published something"
    code, out, err = _run(warehouse, env)
    assert code == 0, out + err
    assert marts_snapshot(warehouse) == reference


def test_killed_second_run_keeps_the_published_warehouse(env, reference, reference_warehouse, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    shutil.copyfile(reference_warehouse, warehouse)  # a published warehouse, as a first run leaves it
    published = marts_snapshot(warehouse)
    code, _, _ = _run(warehouse, env, "dbt:killafter=3")
    assert code == -9
    assert marts_snapshot(warehouse) == published == reference


def test_overlapping_run_exits_with_a_clear_message_and_corrupts_nothing(env, reference, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    first = _run(warehouse, env, "annotate:sleep=12", wait=False)
    lock = warehouse.with_name(warehouse.name + ".lock")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (lock.exists() and "pid" in lock.read_text()):
        time.sleep(0.5)
    code, out, err = _run(warehouse, env)
    assert code == 3
    assert "another run is building" in err
    first_out, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_out + first_err
    assert marts_snapshot(warehouse) == reference
