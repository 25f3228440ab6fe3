"""Stories are stable: a story's id survives when articles join it and when the same input
is ingested again."""

from __future__ import annotations

import shutil

import duckdb

from conftest import SEED_ORIGINAL, SEED_REWRITE


def _stories(path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("select external_id, story_id from marts.articles").fetchall())
    finally:
        con.close()


def test_story_id_survives_additions_and_reruns(prefect_harness, tmp_path):
    from newsroom.pipeline import ingest

    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    shutil.copy(SEED_ORIGINAL, inbox)
    ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    (first_story,) = set(_stories(warehouse).values())

    shutil.copy(SEED_REWRITE, inbox)  # the rewrite arrives in a later run
    result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    assert result["articles_loaded"] == 1 and result["stories_updated"] == 1 and result["stories_created"] == 0
    assert set(_stories(warehouse).values()) == {first_story}

    before = _stories(warehouse)
    ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    assert _stories(warehouse) == before

    # a batch with nothing new runs no task for it, but a copy under a new name in it is
    # still recorded as a duplicate of the stored article
    shutil.copy(SEED_ORIGINAL, inbox / "copy_of_the_original.txt")
    result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    assert result["articles_loaded"] == 0 and result["articles_skipped"] == 3
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ledger = dict(con.execute("select source_path, status from ops.input_files").fetchall())
    finally:
        con.close()
    assert ledger[str(inbox / "copy_of_the_original.txt")] == "duplicate"
    assert _stories(warehouse) == before


def test_articles_stored_without_clustering_features_get_them_on_the_next_run(prefect_harness, tmp_path):
    """A warehouse from before the annotation workers computed the clustering features
    (it kept MinHash signatures alone): the next run computes what is missing and still
    finds the rewrite of the stored original."""
    from newsroom.pipeline import ingest

    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    shutil.copy(SEED_ORIGINAL, inbox)
    ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    con = duckdb.connect(str(warehouse))
    assert con.execute("select count(*) from landing.article_features").fetchone()[0] == 1
    con.execute("delete from landing.article_features")
    con.execute("create table landing.article_signatures (article_id varchar primary key, shingles ubigint[])")
    con.close()

    shutil.copy(SEED_REWRITE, inbox)
    ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        featured = con.execute("""select count(*), min(len(sentence_stems)), min(len(shingles)), min(len(signature))
                                  from landing.article_features""").fetchone()
        assert featured[0] == 2 and featured[1] > 5 and featured[2] > 100 and featured[3] == 128
        assert (
            con.execute("select syndication from marts.articles where external_id = ?", [SEED_REWRITE.stem]).fetchone()[
                0
            ]
            == "rewrite"
        )
        assert not con.execute("""select count(*) from information_schema.tables
                                  where table_schema = 'landing' and table_name = 'article_signatures'""").fetchone()[0]
    finally:
        con.close()


def _stale_mentions(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select count(*) from intermediate.int_entity_mentions where canonical_name = 'stale'"
        ).fetchone()[0]
    finally:
        con.close()


def test_marts_built_by_another_dbt_project_are_rebuilt_whole(prefect_harness, tmp_path):
    """The incremental models rewrite only the articles whose inputs changed: rows an older
    dbt project wrote (here: every stored mention renamed) are rebuilt only because the next
    run sees that the marts were built by another project. The same warehouse with the
    project's own fingerprint keeps them: what the rebuild undoes is the refresh's doing."""
    from newsroom.pipeline import ingest

    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    shutil.copy(SEED_ORIGINAL, inbox)
    ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    con = duckdb.connect(str(warehouse))
    con.execute("update intermediate.int_entity_mentions set canonical_name = 'stale'")
    con.close()
    same_project = tmp_path / "same" / "news.duckdb"
    same_project.parent.mkdir()
    shutil.copy(warehouse, same_project)
    con = duckdb.connect(str(warehouse))
    con.execute("update ops.runs set dbt_fingerprint = 'an older project'")
    con.close()

    shutil.copy(SEED_REWRITE, inbox)
    for path in (warehouse, same_project):
        assert ingest(input_path=str(inbox), warehouse_path=str(path))["articles_loaded"] == 1
    assert _stale_mentions(warehouse) == 0
    assert _stale_mentions(same_project) > 0
