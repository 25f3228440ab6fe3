"""Readers never break runs, and never see a half-built warehouse.

A run builds into a private working copy of the published file and, when everything
(load, clustering, dbt build and its tests) has succeeded, swaps it into place with one
atomic rename. Analysts holding the published file open (read-only) keep reading the
version they opened; new connections see the new one. A run that dies leaves the
published file untouched; its working copy is discarded by the next run, which starts
over from the published state and so completes what the dead run began.

Only one run may build at a time: a lock file (flock, released by the OS even on
SIGKILL) makes a second run wait or exit with a clear message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    pass


class WarehouseHeld(RuntimeError):
    """Another process has the published warehouse open for writing (DuckDB's lock)."""


def writer_holding(warehouse: Path) -> bool:
    """Whether another process holds DuckDB's write lock on the file. DuckDB takes a POSIX
    record lock on the whole file: exclusive for a read-write connection, shared for a
    read-only one, so a shared lock that cannot be had means a writer. (POSIX locks are
    per process: this process must not have the file open itself.)"""
    try:
        handle = open(warehouse, "rb")
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.lockf(handle, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        handle.close()


def wait_for_no_writer(warehouse: Path, timeout_seconds: float = 0) -> None:
    """Return once no other process writes to the published warehouse, or raise after
    timeout_seconds: replacing a file that a read-write connection holds would lose what it
    wrote, and its write-ahead log would then be replayed against the new file."""
    deadline = time.monotonic() + timeout_seconds
    while writer_holding(warehouse):
        if time.monotonic() >= deadline:
            raise WarehouseHeld(
                f"{warehouse} is open for writing in another process (a read-write DuckDB connection); "
                "close it (analysts: open it read-only, and keep tables of your own in another file) "
                "or set NEWSROOM_LOCK_TIMEOUT to wait"
            )
        time.sleep(0.5)


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def work_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".building")


_held: dict[Path, int] = {}  # locks this process holds, and how deep


@contextmanager
def run_lock(warehouse: Path, timeout_seconds: float = 0) -> Iterator[None]:
    """Hold the warehouse's run lock; wait up to timeout_seconds for another run to end.
    Re-entrant within a process: the CLI takes the lock before Prefect starts (so a second
    run fails in a second, not after Prefect's start-up), and the flow takes it again."""
    key = lock_path(warehouse).resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path(warehouse), "a+")
    deadline = time.monotonic() + timeout_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RunInProgress(
                        f"another run is building {warehouse} ({holder}); "
                        f"this run did nothing. Wait for it to finish or set NEWSROOM_LOCK_TIMEOUT to wait."
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        _held[key] = 1
        yield
    finally:
        _held.pop(key, None)
        handle.close()  # closing releases the flock


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


def prepare_working_copy(warehouse: Path) -> Path:
    """A fresh working copy of the published warehouse (empty if none is published yet).
    Call with the run lock held."""
    work = work_path(warehouse)
    _remove(work)  # left by a run that died: its work is redone from the published state
    if warehouse.exists():
        shutil.copyfile(warehouse, work)
    return work


def publish(warehouse: Path, timeout_seconds: float = 0) -> None:
    """Atomically replace the published warehouse with the working copy (same directory,
    so the rename is atomic), once no other process writes to it. The working copy must be
    closed and checkpointed."""
    work = work_path(warehouse)
    wal = work.with_name(work.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{work} still has a write-ahead log: close and checkpoint it before publishing")
    wait_for_no_writer(warehouse, timeout_seconds)
    os.replace(work, warehouse)
    # A log left beside the published file by a writer that died belongs to the old file:
    # replayed against the new one, it fails ("checkpoint iteration does not match").
    warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
    directory = os.open(warehouse.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def discard_working_copy(warehouse: Path) -> None:
    _remove(work_path(warehouse))
