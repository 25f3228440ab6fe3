"""Quote provenance: a verbatim reprint of the seed story in another outlet, a day later,
carries the seed's quotations; each is one quote group whose first carrier is the seed's
outlet, carried by two outlets."""
from __future__ import annotations

import json

import duckdb

from conftest import SEED_ORIGINAL, read_seed


def test_a_reprinted_quote_is_one_group_first_carried_by_the_original_outlet(prefect_harness, tmp_path):
    from newsroom.extract.plaintext import extract_body
    from newsroom.pipeline import ingest

    inbox, warehouse = tmp_path / "inbox", tmp_path / "news.duckdb"
    inbox.mkdir()
    (inbox / SEED_ORIGINAL.name).write_text(read_seed(SEED_ORIGINAL), encoding="utf-8")
    reprint = {"id": "reprint-1", "text": extract_body(read_seed(SEED_ORIGINAL)).body, "date": "2022-09-23",
               "outlet": "Seoul Reprint Daily", "url": "https://reprints.example.org/2022/09/23/north-korea-weapons"}
    (inbox / "reprints.jsonl").write_text(json.dumps(reprint) + "\n", encoding="utf-8")
    result = ingest(input_path=str(inbox), warehouse_path=str(warehouse))
    assert result["articles_loaded"] == 2 and result["rejected_inputs"] == 0

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (original,) = con.execute("select article_id from marts.articles where external_id = ?", [SEED_ORIGINAL.stem]).fetchone()
        copy = con.execute("select syndication, derived_from_article_id from marts.articles where external_id = 'reprint-1'").fetchone()
        assert copy == ("copy", original)
        quotes_in_original = con.execute("select count(*) from marts.quotes where article_id = ?", [original]).fetchone()[0]
        groups = con.execute("""
            select first_article_id, first_outlet, first_published::varchar, last_published::varchar,
                   article_count, outlet_count, outlets
            from marts.quote_groups
            where quote_group_id in (select quote_group_id from marts.quotes where article_id = ?)""", [original]).fetchall()
    finally:
        con.close()
    assert quotes_in_original >= 5 and len(groups) >= 5
    for group in groups:
        assert group == (original, "Business Standard", "2022-09-22", "2022-09-23", 2, 2,
                         ["Business Standard", "Seoul Reprint Daily"])
