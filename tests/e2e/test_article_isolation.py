"""One article's failure at any stage is that article's rejection, with its reason, and
never its batch's or the run's: faults are injected (NEWSROOM_FAULT) into four articles of
a batch big enough to be annotated on the worker processes, one at each stage
(and one that overruns the time budget)."""

from __future__ import annotations

import duckdb

from conftest import SEED_ORIGINAL, read_seed

STORY = read_seed(SEED_ORIGINAL)
LEAD = "In comments to state media on Thursday"  # in the body: the marker goes in the story
POISONED = {  # marker in the article -> the reason its rejection must carry
    "POISON-EXTRACT": "extraction_error",
    "POISON-ANNOTATE": "annotation_error",  # raised inside the newsroom passes of one doc
    "POISON-SPACY": "annotation_error",  # raised through spaCy's pipe: the chunk is retried one by one
    "POISON-STALL": "annotation_over_budget",  # spins in the passes until the time budget stops it
    "POISON-LOAD": "load_error",  # the batch's transaction fails: loaded again article by article
}
FAULTS = (
    "extract:raise=POISON-EXTRACT,annotate:raise=POISON-ANNOTATE,annotate:crash=POISON-SPACY,"
    "annotate:stall=POISON-STALL,load:raise=POISON-LOAD,places:raise=PLACES-FAIL"
)
GOOD = 65  # with the five poisoned, 70 new articles: annotated on the worker processes (>= 64)
# one of the good ones fails to have its places resolved: it loads all the same, flagged
PLACES_FAIL = "PLACES-FAIL"


def test_a_failing_article_at_each_stage_is_rejected_alone(prefect_harness, tmp_path, monkeypatch):
    from newsroom import workers
    from newsroom.pipeline import ingest

    monkeypatch.setenv("NEWSROOM_FAULT", FAULTS)
    monkeypatch.setenv("NEWSROOM_ANNOTATION_BUDGET", "2")
    workers.shutdown_workers()  # workers started by another test lack the variable
    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    for i in range(GOOD):
        edition = PLACES_FAIL if i == 0 else str(i)
        (inbox / f"good-{i:02d}.txt").write_text(STORY.replace(LEAD, f"{LEAD} (edition {edition})", 1))
    for marker in POISONED:
        (inbox / f"{marker.lower()}.txt").write_text(STORY.replace(LEAD, f"{LEAD} (edition {marker})", 1))

    try:
        result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
        assert result["status"] == "success"
        assert result["articles_loaded"] == GOOD and result["rejected_inputs"] == len(POISONED), result["rejections"]
        again = ingest(input_path=str(inbox), warehouse_path=str(warehouse))  # the poisoned are tried again
    finally:
        workers.shutdown_workers()
    assert again["status"] == "success" and again["articles_loaded"] == 0 and again["articles_skipped"] == GOOD

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rejected = con.execute("select source_path, reason, detail from ops.rejected_inputs").fetchall()
        assert sorted((path.rsplit("/", 1)[-1], reason) for path, reason, _ in rejected) == sorted(
            (f"{marker.lower()}.txt", reason) for marker, reason in POISONED.items()
        )  # once each, after two runs
        assert all("InjectedFault" in detail or "2 s budget" in detail for _, _, detail in rejected)
        assert con.execute("select count(*) from marts.articles").fetchone() == (GOOD,)
        for table in ("landing.articles", "landing.entity_mentions", "landing.quotes", "landing.article_features"):
            leaked = con.execute(f"""select count(*) from {table} t join landing.articles a using (article_id)
                                     where a.body_text like '%POISON-%'""").fetchone()[0]
            assert leaked == 0, table
        assert con.execute("select count(distinct article_id) from landing.entity_mentions").fetchone() == (GOOD,)
        loaded = con.execute("select count(*) from ops.input_files where status = 'loaded'").fetchone()[0]
        assert loaded == GOOD
        flagged = con.execute(f"""select a.quality_flags, count(p.article_id) from marts.articles a
                                  left join marts.place_mentions p using (article_id)
                                  where a.body_text like '%{PLACES_FAIL}%' group by all""").fetchall()
        assert flagged == [(["places_failed:InjectedFault"], 0)], flagged
        placed = con.execute("select count(distinct article_id) from marts.place_mentions").fetchone()[0]
        assert placed == GOOD - 1
    finally:
        con.close()
