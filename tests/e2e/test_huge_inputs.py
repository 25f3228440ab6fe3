"""Inputs of the sizes an operator can meet, at the default limits (20 MiB a file or record):
a 15 MB page of one paragraph is loaded whole, its first 500,000 characters annotated and the
rest flagged; a 50 MB JSON Lines record is rejected alone; the good articles beside them load."""

from __future__ import annotations

import json
import shutil

import duckdb

from conftest import SEED_ORIGINAL

SENTENCES = (
    "The river rose two metres overnight and flooded the lower town, officials said on Monday. "
    "Residents were moved to the school gym while engineers checked the old bridge for damage. "
    '"We have never seen it this high," the mayor said. '
)


def test_a_15_mb_paragraph_and_a_50_mb_record_cost_only_themselves(prefect_harness, tmp_path):
    from newsroom.annotate.annotator import MAX_ANNOTATED_CHARS
    from newsroom.pipeline import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "paragraph.txt").write_text((SENTENCES * (15_000_000 // len(SENTENCES) + 1))[:15_000_000])
    with open(inbox / "feed.jsonl", "w") as feed:
        feed.write(json.dumps({"id": "huge", "text": SENTENCES * (50_000_000 // len(SENTENCES) + 1)}) + "\n")
        feed.write(json.dumps({"id": "after", "text": "Pier " + SENTENCES * 4}) + "\n")
    shutil.copy(SEED_ORIGINAL, inbox / "seed.txt")
    warehouse = tmp_path / "news.duckdb"

    result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))

    assert result["status"] == "success" and result["articles_loaded"] == 3 and result["rejected_inputs"] == 1
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = dict(con.execute("select external_id, quality_flags from marts.articles").fetchall())
        assert set(rows) == {"paragraph", "after", "seed"} and rows["seed"] == [] and rows["after"] == []
        (flag,) = rows["paragraph"]
        annotated = int(flag.removeprefix("annotated_first_chars:"))
        assert MAX_ANNOTATED_CHARS * 0.9 < annotated <= MAX_ANNOTATED_CHARS
        length, last_quote, quotes = con.execute("""
            select length(a.body_text), max(q.end_char), count(q.quote_id) from marts.articles a
            join marts.quotes q using (article_id) where a.external_id = 'paragraph' group by all""").fetchone()
        assert length >= 14_999_000 and quotes > 1000 and last_quote <= annotated  # quotes found up to the cut
        assert con.execute("select reason from ops.rejected_inputs").fetchall() == [("record_too_large",)]
    finally:
        con.close()
