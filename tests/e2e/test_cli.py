"""The `newsroom` command as its user meets it: refusals are one line with a documented exit
code, before Prefect starts and recording nothing; progress on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

NEWSROOM = str(Path(sys.executable).with_name("newsroom"))


def _newsroom(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    home = tmp_path / "prefect-home"
    environment = {**os.environ, "PREFECT_HOME": str(home), **env}
    environment.pop("PREFECT_API_URL", None)
    result = subprocess.run([NEWSROOM, *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=600)
    result.prefect_started = home.exists() and any(home.iterdir())
    return result


def _refused(result: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stderr.startswith("newsroom: ") and words in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not result.prefect_started


def test_a_missing_input_is_refused_before_prefect_and_records_nothing(tmp_path):
    warehouse = tmp_path / "news.duckdb"
    result = _newsroom(tmp_path, "run", "--input", str(tmp_path / "nonexistent"), "--warehouse", str(warehouse))
    _refused(result, 2, "no such input")
    assert not warehouse.exists() and not list(tmp_path.glob("news.duckdb*"))


def test_a_warehouse_folder_that_cannot_be_made_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _newsroom(tmp_path, "run", "--input", str(SAMPLE), "--warehouse", str(blocker / "news.duckdb"))
    _refused(result, 2, "cannot create the warehouse folder")


@pytest.mark.parametrize("name,value", [("NEWSROOM_LOCK_TIMEOUT", "abc"), ("NEWSROOM_BATCH_SIZE", "0")])
def test_a_bad_setting_is_one_line(tmp_path, name, value):
    result = _newsroom(tmp_path, "run", "--warehouse", str(tmp_path / "news.duckdb"), **{name: value})
    _refused(result, 2, name if name != "NEWSROOM_BATCH_SIZE" else "batch_size")


def test_a_warehouse_another_run_is_building_is_refused_at_once(tmp_path):
    from newsroom.load.publish import run_lock

    warehouse = tmp_path / "news.duckdb"
    with run_lock(warehouse):
        result = subprocess.run(
            [NEWSROOM, "run", "--input", str(SAMPLE), "--warehouse", str(warehouse)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")},
        )
    result.prefect_started = (tmp_path / "prefect-home").exists()
    _refused(result, 3, "another run is building")


def test_summary_of_a_missing_or_broken_warehouse_is_one_line(tmp_path):
    _refused(_newsroom(tmp_path, "summary", "--warehouse", str(tmp_path / "missing.duckdb")), 2, "no warehouse at")
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 100)
    _refused(_newsroom(tmp_path, "summary", "--warehouse", str(broken)), 4, "cannot open the warehouse")


def test_trigger_without_a_server_says_how_to_start_one(tmp_path):
    _refused(_newsroom(tmp_path, "trigger", NEWSROOM_PREFECT_PORT="9"), 2, "make serve")


def test_a_run_on_a_terminal_shows_stage_lines_and_progress_bars(tmp_path):
    """Under a pseudo-terminal, as a person at a shell sees it."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "COLUMNS": "120"}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [NEWSROOM, "run", "--input", str(SAMPLE), "--warehouse", str(tmp_path / "news.duckdb")],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=ROOT,
    )
    os.close(terminal)
    screen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        screen += chunk
    assert process.wait(timeout=600) == 0, screen.decode(errors="replace")
    text = screen.decode(errors="replace")
    assert "newsroom: read, extract, annotate and load 2 files" in text and "newsroom: cluster stories" in text
    assert "read: 100%" in text and "2/2" in text  # the files bar, drawn in place
    assert "annotated: 2 article" in text and "\r" in text
    assert "run " in text and "success: 2 files seen" in text


def test_a_warehouse_open_for_writing_elsewhere_is_refused_and_keeps_the_writers_rows(tmp_path):
    import duckdb

    warehouse = tmp_path / "news.duckdb"
    code = (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
        "con.execute('create table notes (n int)'); con.execute('insert into notes values (1), (2)'); "
        "print('ready', flush=True); time.sleep(120)"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        result = _newsroom(tmp_path, "run", "--input", str(SAMPLE), "--warehouse", str(warehouse))
    finally:
        writer.kill()
        writer.wait()
    _refused(result, 4, "open for writing in another process")
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from notes").fetchone()[0] == 2
    con.close()


def test_a_truncated_warehouse_is_refused_before_any_work(tmp_path):
    import duckdb

    warehouse = tmp_path / "news.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create table t as select range as n, repeat('x', 200) as pad from range(200000)")
    con.close()
    with warehouse.open("r+b") as handle:
        handle.truncate(warehouse.stat().st_size // 2)
    result = _newsroom(tmp_path, "run", "--input", str(SAMPLE), "--warehouse", str(warehouse))
    _refused(result, 4, "cannot open the warehouse")
    assert not warehouse.with_name("news.duckdb.building").exists()
