"""Building in a working copy, publishing by atomic rename, one run at a time."""

from __future__ import annotations

from pathlib import Path

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
    import subprocess
    import sys

    warehouse = tmp_path / "news.duckdb"
    code = (
        "import sys, time; from pathlib import Path; from newsroom.load import publish\n"
        "with publish.run_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(publish.RunInProgress, match="another run is building"):
            with publish.run_lock(warehouse, timeout_seconds=0.6):
                pass
    finally:
        holder.kill()
        holder.wait()
    with publish.run_lock(warehouse):  # released: the next run gets it
        with publish.run_lock(warehouse):  # and the same process may take it again (the CLI, then the flow)
            pass


def test_publishing_an_unclean_working_copy_is_refused(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    work = publish.work_path(warehouse)
    work.write_bytes(b"")
    work.with_name(work.name + ".wal").write_bytes(b"x")
    with pytest.raises(RuntimeError, match="write-ahead log"):
        publish.publish(warehouse)


def _writer(path: Path):
    """Another process holding a read-write DuckDB connection on `path`, with a row of its own."""
    import subprocess
    import sys

    code = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
        "con.execute('create table if not exists analyst_notes (note varchar)'); "
        "con.execute(\"insert into analyst_notes values ('mine')\"); print('ready', flush=True); time.sleep(120)"
    )
    process = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def test_publishing_waits_for_no_writer_and_never_replaces_a_file_held_for_writing(tmp_path):
    import duckdb

    from newsroom.load.publish import WarehouseHeld, publish, wait_for_no_writer, work_path, writer_holding

    warehouse = tmp_path / "news.duckdb"
    duckdb.connect(str(warehouse)).close()
    reader = duckdb.connect(str(warehouse), read_only=True)  # in this process: readers never block
    reader.close()
    assert not writer_holding(warehouse)
    writer = _writer(warehouse)
    try:
        assert writer_holding(warehouse)
        duckdb.connect(str(work_path(warehouse))).close()
        with pytest.raises(WarehouseHeld, match="open for writing in another process"):
            publish(warehouse, timeout_seconds=1)
        assert work_path(warehouse).exists()  # nothing replaced
    finally:
        writer.kill()
        writer.wait()
    wait_for_no_writer(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select note from analyst_notes").fetchall() == [("mine",)]  # the writer's row kept
    con.close()
    publish(warehouse)
    assert not warehouse.with_name("news.duckdb.wal").exists()


def test_the_story_map_page_colours_each_stories_country_and_loads_nothing():
    from newsroom.model import storymap

    stories = [
        {"story_id": "s1", "headline": "Quake </script> hits", "first_published": "2024-01-02",
         "article_count": 3, "country_code": "ir", "country_name": "Iran"},
        {"story_id": "s2", "headline": "Vote", "first_published": None,
         "article_count": 1, "country_code": "us", "country_name": "United States"},
    ]  # fmt: skip
    page = storymap.render(stories)
    assert 'value="2024-01-02"' in page  # the range opens on the stories' days
    for code in ("ir", "us"):
        assert f'class="{code} country map-element color-0 serie-0 series"' in page
    assert 'class="fr country map-element"' in page  # a country without stories: outline only
    assert "Quake <\\/script> hits" in page and "Quake </script>" not in page
    import re

    assert not re.search(r'(src|href)="(https?:)?//', page) and "url(http" not in page and "@import" not in page
    assert "<script src" not in page
