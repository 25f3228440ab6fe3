"""Ctrl-C stops a run even where DuckDB turns it into an error of its own. DuckDB ends the
query a SIGINT interrupts with `Query interrupted` (an Exception); the load's per-article
fallback caught it, loaded the batch article by article, and the run went on to publish (the
SIGINT end-to-end test, flaky until 2026-12-07)."""

from __future__ import annotations

import os
import signal
import threading
from types import SimpleNamespace

import pytest


@pytest.fixture
def interruptible():
    """The CLI's SIGINT handler for the test's duration, and the test's own back after it."""
    from newsroom import processes

    previous = signal.getsignal(signal.SIGINT)
    processes.stop_on_interrupt()
    yield
    signal.signal(signal.SIGINT, previous)
    processes._interrupted.clear()


def test_ctrl_c_during_a_load_query_stops_the_run_instead_of_loading_article_by_article(
    tmp_path, monkeypatch, interruptible
):
    from newsroom import pipeline
    from newsroom.load import warehouse

    path = tmp_path / "work.duckdb"
    con = warehouse.connect(path)
    warehouse.ensure_schema(con)
    con.close()
    calls = []

    def load(con, run_id, articles, *rest):
        calls.append(len(articles))
        if len(articles) > 1:  # the batch's transaction: a query of ~5 s here, unless Ctrl-C stops it
            con.execute("select sum(hash(i)) from range(1000000000) t(i)").fetchone()
        return len(articles)

    monkeypatch.setattr(pipeline.warehouse, "load_batch", load)
    articles = [SimpleNamespace(article_id=f"a{i}", source_path=f"a{i}.txt") for i in range(2)]
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            pipeline.load_batch.fn(str(path), "r1", articles, [], [], [])
    finally:
        timer.cancel()
    assert calls == [2], "the interrupted batch was loaded again, article by article"


def test_a_ctrl_c_some_library_swallowed_still_ends_the_stage(interruptible):
    from newsroom.pipeline import RunReport

    report = RunReport(run_id="r1")
    with pytest.raises(KeyboardInterrupt):
        with report.stage("cluster", fault=False):
            try:
                os.kill(os.getpid(), signal.SIGINT)
                threading.Event().wait(5)  # the signal arrives here
            except KeyboardInterrupt:
                pass  # a library's broad except
    assert "cluster" in report.stage_seconds
