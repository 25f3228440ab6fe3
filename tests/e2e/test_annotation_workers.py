"""The run's annotation worker processes give exactly what annotating in-process gives, in
order, and a dead worker does not poison the next attempt."""

from __future__ import annotations

import os
import signal

import pytest

from newsroom import workers as annotator
from newsroom.records import Article

SENTENCES = [
    '"We will rebuild the bridge by spring," said Mayor Ana Lopez of Springfield.',
    "The United Nations said on Monday that aid had reached Gaza, according to officials.",
    "Apple Inc. told reporters that the new iPhone would ship in March.",
    '"This is not over," warned Senator John Smith, adding that the vote would be close.',
]


def _articles(n: int) -> list[Article]:
    return [
        Article(
            article_id=f"a{i:03d}",
            external_id=str(i),
            source_path=f"{i}.txt",
            input_format="txt",
            body_text=f"Story number {i}. " + " ".join(SENTENCES[i % 4 :] + SENTENCES[: i % 4]),
        )
        for i in range(n)
    ]


@pytest.fixture
def pool():
    yield
    annotator.shutdown_workers()


def test_worker_processes_annotate_like_this_process_in_order(pool):
    articles = _articles(2 * annotator.CHUNK + 6)  # big enough to go to the workers
    in_process = annotator.annotate_batch(articles, processes=1)
    on_workers = annotator.annotate_batch(articles, processes=2)
    assert annotator._pool is not None  # it did use the workers
    assert [a.article_id for a in on_workers] == [a.article_id for a in articles]
    assert on_workers == in_process
    assert any(a.quotes for a in on_workers) and all(a.mentions for a in on_workers)


def test_a_killed_worker_fails_the_batch_and_the_retry_starts_fresh_workers(pool):
    from concurrent.futures.process import BrokenProcessPool

    articles = _articles(2 * annotator.CHUNK)
    annotator.start_workers(2)
    for pid in list(annotator._pool._processes):
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        annotator.annotate_batch(articles, processes=2)
    assert annotator._pool is None
    assert len(annotator.annotate_batch(articles, processes=2)) == len(articles)
