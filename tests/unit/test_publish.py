"""Building in a working copy, publishing by atomic rename, one run at a time."""
from __future__ import annotations

import duckdb
import pytest

from newsroom.load import publish


def _write(path, value):
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select ? as v", [value])
    con.execute("checkpoint")
    con.close()


def test_reader_keeps_its_snapshot_while_a_new_version_is_published(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    _write(warehouse, 1)
    reader = duckdb.connect(str(warehouse), read_only=True)
    with publish.run_lock(warehouse):
        work = publish.prepare_working_copy(warehouse)
        _write(work, 2)  # writing while a reader holds the published file: no lock error
        publish.publish(warehouse)
    assert reader.execute("select v from t").fetchone()[0] == 1
    reader.close()
    fresh = duckdb.connect(str(warehouse), read_only=True)
    assert fresh.execute("select v from t").fetchone()[0] == 2
    fresh.close()
    assert not publish.work_path(warehouse).exists()


def test_leftover_working_copy_of_a_dead_run_is_discarded(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    _write(warehouse, 1)
    _write(publish.work_path(warehouse), 99)  # a run died after writing this
    with publish.run_lock(warehouse):
        work = publish.prepare_working_copy(warehouse)
    con = duckdb.connect(str(work), read_only=True)
    assert con.execute("select v from t").fetchone()[0] == 1
    con.close()


def test_second_run_is_refused_with_a_clear_message(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    with publish.run_lock(warehouse):
        with pytest.raises(publish.RunInProgress, match="another run is building"):
            with publish.run_lock(warehouse, timeout_seconds=0.6):
                pass
    with publish.run_lock(warehouse):  # released: the next run gets it
        pass


def test_publishing_an_unclean_working_copy_is_refused(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    work = publish.work_path(warehouse)
    work.write_bytes(b"")
    work.with_name(work.name + ".wal").write_bytes(b"x")
    with pytest.raises(RuntimeError, match="write-ahead log"):
        publish.publish(warehouse)
