"""Scale-out: with NEWSROOM_DASK=local the flow annotates on a Dask LocalCluster through
prefect-dask's DaskTaskRunner, and builds the same marts as the default runner."""

from __future__ import annotations

import os
import threading

import pytest

from conftest import SAMPLE, marts_snapshot
from services import listening_sockets


@pytest.fixture(scope="module")
def default_marts(prefect_harness, tmp_path_factory) -> dict:
    from newsroom.pipeline import configured_ingest

    warehouse = tmp_path_factory.mktemp("threads") / "news.duckdb"
    configured_ingest()(input_path=str(SAMPLE), warehouse_path=str(warehouse))
    return marts_snapshot(warehouse)


def test_annotation_on_a_dask_local_cluster_builds_the_same_marts(default_marts, tmp_path, monkeypatch):
    from prefect_dask import DaskTaskRunner

    from newsroom.pipeline import configured_ingest

    monkeypatch.setenv("NEWSROOM_DASK", "local")
    monkeypatch.setenv("NEWSROOM_DASK_WORKERS", "2")
    monkeypatch.setenv("NEWSROOM_BATCH_SIZE", "1")  # one seed per batch: both workers get one
    flow = configured_ingest()
    assert isinstance(flow.task_runner, DaskTaskRunner)

    before = listening_sockets([os.getpid()])
    seen: set[tuple[int, str, int]] = set()
    done = threading.Event()

    def watch() -> None:  # what the cluster listens on while it runs
        while not done.is_set():
            seen.update(listening_sockets([os.getpid()]))
            done.wait(0.5)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = flow(input_path=str(SAMPLE), warehouse_path=str(tmp_path / "news.duckdb"))
    finally:
        done.set()
        watcher.join()
    assert result["status"] == "success" and result["articles_loaded"] == 2
    assert marts_snapshot(tmp_path / "news.duckdb") == default_marts
    cluster = seen - before
    # a scheduler and two workers (with their nannies) came up, all on loopback only
    assert len({pid for pid, _, _ in cluster}) >= 3, cluster
    assert {ip for _, ip, _ in seen} == {"127.0.0.1"}
