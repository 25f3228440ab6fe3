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
