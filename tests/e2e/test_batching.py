"""Batches are of documents, not files: a JSON Lines file holding more articles than a batch
streams through in several batches beside other files, with every article loaded once and
every bad line recorded, in the order the queue of in-flight batches lets through."""

from __future__ import annotations

import json

import duckdb

from conftest import SEED_ORIGINAL, read_seed

STORY = read_seed(SEED_ORIGINAL)


def test_a_feed_larger_than_a_batch_streams_through_in_batches(prefect_harness, tmp_path, monkeypatch):
    from newsroom.pipeline import ingest

    monkeypatch.setenv("NEWSROOM_BATCH_SIZE", "2")
    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    lines = [json.dumps({"id": f"feed-{i}", "text": f"Edition {i}.\n\n{STORY}"}) for i in range(5)]
    lines.insert(3, "{not json")
    (inbox / "feed.jsonl").write_text("\n".join(lines) + "\n")
    (inbox / "late.txt").write_text(" date 2022-09-23 " + STORY.replace("Seoul", "Busan"))

    result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    assert result["status"] == "success" and result["files_seen"] == 2
    assert result["articles_loaded"] == 6 and result["rejected_inputs"] == 1
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert sorted(r[0] for r in con.execute("select external_id from marts.articles").fetchall()) == [
            "feed-0",
            "feed-1",
            "feed-2",
            "feed-3",
            "feed-4",
            "late",
        ]
        assert con.execute("select reason from ops.rejected_inputs").fetchall() == [("invalid_json",)]
        assert con.execute(
            "select count(*), count(distinct article_id) from ops.input_files where status = 'loaded'"
        ).fetchone() == (6, 6)
    finally:
        con.close()
