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


def _run(warehouse: Path, env: dict, fault: str | None = None, wait: bool = True, input_path: Path = SAMPLE):
    env = dict(env)
    if fault:
        env["NEWSROOM_FAULT"] = fault
    command = [
        str(Path(sys.executable).with_name("newsroom")),
        "run",
        "--input",
        str(input_path),
        "--warehouse",
        str(warehouse),
    ]
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
    for fault in ("extract:kill", "annotate:kill", "load:kill", "cluster:kill", "dbt:killbuild=3"):
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
    # new articles, so that the second run builds the marts again and dies doing it
    code, out, err = _run(warehouse, env, "dbt:killbuild=3", input_path=_variants(tmp_path / "new.jsonl", 3))
    assert code == -9, out + err
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


def _variants(path: Path, count: int) -> Path:
    """A JSON Lines file of `count` distinct articles made from the seeds (enough for the
    annotation worker processes to start)."""
    import json

    from conftest import SEED_ORIGINAL, read_seed

    text = read_seed(SEED_ORIGINAL)
    with path.open("w") as out:
        for i in range(count):
            out.write(
                json.dumps(
                    {"id": f"variant-{i}", "text": f"{text}\n\nUpdate {i}: figures revised.", "date": "2022-09-22"}
                )
                + "\n"
            )
    return path


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_stopped_run_exits_with_its_workers_and_leaves_the_warehouse_as_it_was(
    env, reference_warehouse, tmp_path, sig
):
    import signal

    import psutil

    warehouse = tmp_path / "news.duckdb"
    shutil.copyfile(reference_warehouse, warehouse)
    published = marts_snapshot(warehouse)
    command = [
        str(Path(sys.executable).with_name("newsroom")),
        "run",
        "--input",
        str(_variants(tmp_path / "variants.jsonl", 96)),
        "--warehouse",
        str(warehouse),
    ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    run = psutil.Process(process.pid)
    deadline = time.monotonic() + 300
    workers = []
    while time.monotonic() < deadline and process.poll() is None and not workers:
        workers = [c for c in run.children(recursive=True) if "multiprocessing" in " ".join(c.cmdline())]
        time.sleep(0.5)
    assert workers, "the annotation workers never started"
    process.send_signal(getattr(signal, sig))
    out, _ = process.communicate(timeout=60)  # stops at once (the run itself takes minutes)
    assert process.returncode != 0, out
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"workers outlived the run: {alive}"
    if sig == "SIGINT":
        assert out.rstrip().endswith("newsroom: interrupted; nothing was published"), out
    assert marts_snapshot(warehouse) == published
    assert not warehouse.with_name(warehouse.name + ".building").exists()
    code, out, err = _run(warehouse, env)  # the lock is free: the next run starts at once
    assert code == 0, out + err
