"""The incremental models build what a full rebuild builds: the 84 PolNeAR dev articles
(read from ../shared/eval at test time) and two versions of a drought story annotated once,
loaded and clustered in three runs with an incremental `dbt build` after each, then every
model of the warehouse compared with a `dbt build --full-refresh` of a copy. The drought
story's first version names a farmer "Mr. Castillo" only; its second, a run later, "Ray
Castillo": the first version's stored rows must change with it, as they must wherever a
stored article's story changes its names (stories merging, reopened articles moving)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, polnear_dev_documents

DROUGHT = ROOT / "tests" / "data" / "newcomer" / "drought.txt"
SPLIT = [31, 31, 24]


@pytest.fixture(scope="module")
def corpus():
    from newsroom.annotate.annotator import annotate
    from newsroom.extract.article import build_article
    from newsroom.extract.inputs import read_documents

    documents = polnear_dev_documents()
    (in_full,) = read_documents(DROUGHT, 10**7)
    surname_only = dataclasses.replace(  # "Mr.": spaCy's small model tags a bare "Castillo" as no entity
        in_full, external_id="drought-first", text=in_full.text.replace("Ray Castillo", "Mr. Castillo")
    )
    documents.insert(0, surname_only)  # in the first run
    documents.insert(SPLIT[0], in_full)  # in the second
    articles = [build_article(d, date(2026, 12, 1)) for d in documents]
    return articles, list(annotate(articles, n_process=1))


def _contexts(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(
            con.execute("select article_id, name_context from intermediate.int_article_name_contexts").fetchall()
        )
    finally:
        con.close()


def _relations(con) -> list[str]:
    return [
        f"{schema}.{name}"
        for schema, name in con.execute("""select table_schema, table_name from information_schema.tables
                                           where table_schema in ('intermediate', 'marts') order by all""").fetchall()
    ]


def test_incremental_builds_equal_a_full_rebuild(corpus, tmp_path):
    from newsroom.load import warehouse
    from newsroom.model import dbt
    from newsroom.pipeline import cluster_warehouse

    articles, annotations = corpus
    path = tmp_path / "news.duckdb"
    start, rewritten = 0, 0
    for run, size in enumerate(SPLIT):
        con = warehouse.connect(path)
        try:
            warehouse.ensure_schema(con)
            part = slice(start, start + size)
            warehouse.start_run(con, f"run{run}", None, "polnear")
            ledger = [(a.source_path, a.article_id, "loaded") for a in articles[part]]
            warehouse.load_batch(con, f"run{run}", articles[part], annotations[part], [], ledger)
            cluster_warehouse(con, f"run{run}")
        finally:
            con.close()
        before = _contexts(path) if run else {}
        dbt.build(path, full_refresh=run == 0)
        if run:  # an increment re-creates no view, and still runs the tests on the views
            built = {
                r["unique_id"] for r in json.loads((dbt.target_path(path) / "run_results.json").read_text())["results"]
            }
            assert "model.newsroom.stg_quotes" not in built and "model.newsroom.int_quotes" in built
            assert "test.newsroom.quote_text_trimmed" in built  # on marts.quotes, a view
            assert any(r.startswith("test.newsroom.unique_stg_quotes_quote_id") for r in built)
        after = _contexts(path)
        rewritten += sum(after[a] != context for a, context in before.items())
        start += size
    # the test is only worth its name if stored articles' names did change between runs
    assert rewritten > 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = con.execute("""select distinct entities.canonical_name
                               from marts.entity_mentions as mentions
                               inner join marts.entities using (entity_id)
                               inner join marts.articles using (article_id)
                               where articles.external_id = 'drought-first' and mention_text = 'Castillo'""")
        assert names.fetchall() == [("Ray Castillo",)]
    finally:
        con.close()

    rebuilt = tmp_path / "rebuilt" / "news.duckdb"  # same file name: dbt's views name the database
    rebuilt.parent.mkdir()
    shutil.copyfile(path, rebuilt)
    dbt.build(rebuilt, full_refresh=True)

    # each file on its own connection: a dbt view names its database, which is `news` in both
    built, full = duckdb.connect(str(path), read_only=True), duckdb.connect(str(rebuilt), read_only=True)
    try:
        relations = _relations(built)
        assert {"intermediate.int_entity_mentions", "intermediate.int_quotes", "marts.quotes"} <= set(relations)
        assert relations == _relations(full)
        for relation in relations:
            rows = built.execute(f"select * from {relation} order by all").fetchall()
            assert rows == full.execute(f"select * from {relation} order by all").fetchall(), relation
    finally:
        built.close()
        full.close()
