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

import duckdb
import pytest

from conftest import ROOT, SAMPLE

MART_QUERIES = {
    "articles": "select external_id, title, published_date, outlet, wire_agency, dateline, body_text, story_id, syndication, derived_from_article_id from marts.articles order by external_id",
    "entities": "select entity_id, canonical_name, entity_type, mention_count from marts.entities order by entity_id",
    "mentions": "select article_id, entity_id, start_char, end_char from marts.entity_mentions order by all",
    "quotes": "select quote_id, quote_text, speaker_text, quote_type from marts.quotes order by quote_id",
    "stories": "select story_id, headline, article_count from marts.stories order by story_id",
    "sources": "select name, source_type, article_count from marts.sources order by all",
    "landing": "select count(*) from landing.articles",
}


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


def _marts(warehouse: Path) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in MART_QUERIES.items()}
    finally:
        con.close()


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
    return _marts(reference_warehouse)


def test_killed_runs_leave_nothing_half_built_and_the_next_run_completes(env, reference, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    for fault in ("extract:kill", "annotate:kill", "load:kill", "cluster:kill", "dbt:killafter=3"):
        code, out, err = _run(warehouse, env, fault)
        assert code == -9, f"{fault}: expected SIGKILL, got {code}\n{out}\n{err}"
        assert not warehouse.exists(), f"{fault}: a killed first run published something"
    code, out, err = _run(warehouse, env)
    assert code == 0, out + err
    assert _marts(warehouse) == reference


def test_killed_second_run_keeps_the_published_warehouse(env, reference, reference_warehouse, tmp_path):
    warehouse = tmp_path / "news.duckdb"
    shutil.copyfile(reference_warehouse, warehouse)  # a published warehouse, as a first run leaves it
    published = _marts(warehouse)
    code, _, _ = _run(warehouse, env, "dbt:killafter=3")
    assert code == -9
    assert _marts(warehouse) == published == reference


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
    assert _marts(warehouse) == reference
