"""A disk that fills during a run: the error names the cause, the published warehouse is as
it was (its marts unchanged, the failed run recorded), the working copy is removed, and the
next run, with space again, loads everything. The disk is a small tmpfs, which needs root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE, marts_snapshot, read_seed

NEWSROOM = str(Path(sys.executable).with_name("newsroom"))
ARTICLES = 150


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 64 MB tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _run(tmp_path: Path, input_path: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [NEWSROOM, "run", "--input", str(input_path), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )


def _fill(disk: Path, leave_kib: int) -> Path:
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free // 1024
    with open(filler, "wb") as out:
        out.truncate(0)
        block = b"\0" * (1 << 20)
        for _ in range(max(0, free - leave_kib) // 1024):
            out.write(block)
    return filler


def test_a_full_disk_fails_the_run_cleanly_and_the_next_run_is_fine(tmp_path, small_disk):
    warehouse = small_disk / "news.duckdb"
    first = _run(tmp_path, SAMPLE, warehouse)
    assert first.returncode == 0, first.stderr[-3000:]
    before = marts_snapshot(warehouse)

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stories = [read_seed(p) for p in sorted(SAMPLE.glob("*.txt"))]
    for i in range(ARTICLES):
        (inbox / f"a{i:03d}.txt").write_text(
            f"{stories[i % len(stories)]}\n\nEdition {i} of the story ran on page {i}.\n"
        )
    # room for the working copy of the published file (~8 MB) and 1.3 MB more: the run needs more
    filler = _fill(small_disk, leave_kib=warehouse.stat().st_size // 1024 + 1300)
    full = _run(tmp_path, inbox, warehouse)

    assert full.returncode == 1, full.stderr[-3000:]
    assert "No space left on device" in full.stderr.strip().splitlines()[-1]
    assert sorted(p.name for p in small_disk.iterdir()) == [
        "filler",
        "news.duckdb",
        "news.duckdb.lock",
    ]  # no working copy
    assert marts_snapshot(warehouse) == before
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        status, error = con.execute("select status, error from ops.runs order by started_at desc limit 1").fetchone()
    finally:
        con.close()
    assert status == "failed" and "No space left on device" in error

    filler.unlink()
    again = _run(tmp_path, inbox, warehouse)
    assert again.returncode == 0, again.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from marts.articles").fetchone() == (len(before["articles"]) + ARTICLES,)
        assert con.execute("select list(status order by started_at) from ops.runs").fetchone() == (
            ["success", "failed", "success"],
        )
    finally:
        con.close()
