"""The run's dbt process imports dbt and parses the project while the flow still writes the
working copy (parsing never opens the file), then builds on that manifest when asked; a
run that never asks leaves no process and builds nothing."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def empty_warehouse(tmp_path):
    from newsroom.load import warehouse

    path = tmp_path / "work.duckdb"
    con = warehouse.connect(path)
    warehouse.ensure_schema(con)
    con.close()
    return path


def _wait_for_parse(prewarmed, since: float) -> None:
    manifest = prewarmed.target / "manifest.json"
    deadline = time.monotonic() + 180
    while not (manifest.exists() and manifest.stat().st_mtime >= since):
        assert prewarmed.process.poll() is None, "the dbt process exited before it was asked to build"
        assert time.monotonic() < deadline, "dbt never finished parsing"
        time.sleep(0.2)


def test_dbt_parses_while_the_flow_writes_and_builds_on_that_manifest(empty_warehouse):
    from newsroom.load import warehouse
    from newsroom.model import dbt

    writer = warehouse.connect(empty_warehouse)  # the flow's write lock, held throughout the parse
    started = time.time() - 1
    prewarmed = dbt.PrewarmedBuild(empty_warehouse)
    try:
        _wait_for_parse(prewarmed, started)
        writer.execute("insert into ops.runs (run_id, started_at, status) values ('r1', now(), 'running')")
        writer.close()  # the flow is done writing: now dbt may open the file
        result = dbt.build(empty_warehouse, prewarmed, full_refresh=True)  # as the flow builds a new warehouse
    finally:
        prewarmed.close()
    assert prewarmed.process.returncode == 0
    assert not prewarmed.ready_for(empty_warehouse), "used once: a retry of the dbt task builds afresh"
    assert result.failed == 0 and result.passed > 50, result
    con = warehouse.connect(empty_warehouse)
    try:
        assert con.execute("select count(*) from marts.articles").fetchone() == (0,)
    finally:
        con.close()


def test_a_run_that_never_builds_ends_its_dbt_process_and_builds_nothing(empty_warehouse):
    from newsroom.model import dbt

    prewarmed = dbt.PrewarmedBuild(empty_warehouse)
    assert prewarmed.ready_for(empty_warehouse) and not prewarmed.ready_for(empty_warehouse.with_name("other.duckdb"))
    prewarmed.close()
    assert prewarmed.process.returncode is not None
    assert not (prewarmed.target / "run_results.json").exists()


def test_a_build_removes_the_target_directories_of_warehouses_unused_for_two_weeks(empty_warehouse):
    """Every warehouse path gets a dbt target directory; those of temporary warehouses (an
    eval's, a test's) are removed once stale, when any other build starts."""
    import os
    import shutil
    import time

    from newsroom.model import dbt

    root = dbt.target_path(empty_warehouse).parent
    stale, recent = root / "build-stale0test", root / "build-recent0test"
    for folder, days in ((stale, dbt.STALE_TARGET_DAYS + 1), (recent, dbt.STALE_TARGET_DAYS - 1)):
        (folder / "logs").mkdir(parents=True, exist_ok=True)
        (folder / "manifest.json").write_text("{}")
        then = time.time() - days * 86400
        os.utime(folder, (then, then))
    try:
        prewarmed = dbt.PrewarmedBuild(empty_warehouse)
        prewarmed.close()
        assert not stale.exists()
        assert recent.exists() and prewarmed.target.exists()
    finally:
        for folder in (stale, recent):
            if folder.exists():
                shutil.rmtree(folder)
