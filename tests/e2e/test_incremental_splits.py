"""Incremental clustering is correct for any split of a corpus into runs: the 84 PolNeAR dev
articles (read from ../shared/eval at test time) annotated once, then clustered in one run
and in several splits, each into its own warehouse, at the clustering stage itself. The
60 + 24 split crashed (`KeyError` for a stored article after a story merge)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT

POLNEAR_DEV = ROOT.parent / "shared" / "eval" / "quotes" / "polnear" / "dev"
SPLITS = {"60+24": [60, 24], "30+30+24": [30, 30, 24], "10x8+4": [8] * 10 + [4], "1+83": [1, 83]}
# Where the order of arrival decides: a stored article never moves to another story, and a
# story merge is never undone, while each run's text model is fitted on the warehouse as it
# is then (a small early warehouse gives common words more weight, so early runs merge more).
# Measured 2026-12-01: 60+24 0.953, 30+30+24 0.947, 8-article runs 0.912, 1+83 1.000.
_ORDER_DECIDES = pytest.mark.xfail(strict=True, reason="finer splits merge more stories early (issue 16, open)")
PARAMS = [pytest.param(name, marks=_ORDER_DECIDES) if name in ("30+30+24", "10x8+4") else name for name in SPLITS]


@pytest.fixture(scope="module")
def corpus():
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"{POLNEAR_DEV} is not here")
    from newsroom.annotate.annotator import annotate
    from newsroom.evaluate.quotes import load_split
    from newsroom.extract.article import build_article
    from newsroom.records import RawDocument

    documents = [
        RawDocument(source_path=f"polnear/{name}", external_id=name, input_format="jsonl", text=text)
        for name, text, _ in load_split(POLNEAR_DEV)
    ]
    articles = [build_article(d, date(2026, 12, 1)) for d in documents]
    assert len(articles) == 84 and all(not hasattr(a, "reason") for a in articles)
    return articles, list(annotate(articles, n_process=1))


def _cluster_in_runs(path: Path, articles, annotations, sizes: list[int]) -> dict[str, str]:
    from newsroom.load import warehouse
    from newsroom.pipeline import cluster_warehouse

    con = warehouse.connect(path)
    try:
        warehouse.ensure_schema(con)
        start = 0
        for run, size in enumerate(sizes):
            part = slice(start, start + size)
            run_id = f"run{run}"
            warehouse.start_run(con, run_id, None, "polnear")
            ledger = [(a.source_path, a.article_id, "loaded") for a in articles[part]]
            warehouse.load_batch(con, run_id, articles[part], annotations[part], [], ledger)
            cluster_warehouse(con, run_id)
            start += size
        assert start == len(articles)
        return dict(con.execute("select article_id, story_id from landing.story_members").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def one_run(corpus, tmp_path_factory):
    articles, annotations = corpus
    return _cluster_in_runs(tmp_path_factory.mktemp("one") / "news.duckdb", articles, annotations, [len(articles)])


def test_every_split_completes(corpus, tmp_path):
    articles, annotations = corpus
    for split, sizes in SPLITS.items():
        stories = _cluster_in_runs(tmp_path / f"{split}.duckdb", articles, annotations, sizes)
        assert set(stories) == {a.article_id for a in articles}, split


@pytest.mark.parametrize("split", PARAMS)
def test_a_split_agrees_with_one_run(corpus, one_run, split, tmp_path):
    from newsroom.evaluate.scoring import bcubed

    articles, annotations = corpus
    stories = _cluster_in_runs(tmp_path / "news.duckdb", articles, annotations, SPLITS[split])
    assert set(stories) == set(one_run) == {a.article_id for a in articles}
    agreement = bcubed(one_run, stories)
    print(
        f"{split}: BCubed F1 against one run {agreement.f1:.3f}, {len(set(stories.values()))} stories "
        f"(one run: {len(set(one_run.values()))})"
    )
    assert agreement.f1 >= 0.95
