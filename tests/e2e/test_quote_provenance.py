"""Provenance across one story: the two seeds and a verbatim reprint of the original in a
second outlet a day later, with one sentence added that names a person by surname only.
The reprint carries the original's quotations: each is one quote group first carried by the
original's outlet. The surname is the person the story names in full."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import SEED_ORIGINAL, SEED_REWRITE, read_seed

ADDED = "Kim later flew to Tokyo to brief Japanese officials on the talks."


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    from newsroom.extract.plaintext import extract_body
    from newsroom.pipeline import ingest

    inbox = tmp_path_factory.mktemp("inbox")
    path = tmp_path_factory.mktemp("warehouse") / "news.duckdb"
    shutil.copy(SEED_ORIGINAL, inbox)
    shutil.copy(SEED_REWRITE, inbox)
    reprint = {
        "id": "reprint-1",
        "text": extract_body(read_seed(SEED_ORIGINAL)).body + "\n\n" + ADDED,
        "date": "2022-09-23",
        "outlet": "Seoul Reprint Daily",
        "url": "https://reprints.example.org/2022/09/23/north-korea-weapons",
    }
    (inbox / "reprints.jsonl").write_text(json.dumps(reprint) + "\n", encoding="utf-8")
    result = ingest(input_path=str(inbox), warehouse_path=str(path))
    assert result["articles_loaded"] == 3 and result["rejected_inputs"] == 0
    return path


def _query(path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_a_reprinted_quote_is_one_group_first_carried_by_the_original_outlet(warehouse):
    ((original,),) = _query(
        warehouse, "select article_id from marts.articles where external_id = ?", [SEED_ORIGINAL.stem]
    )
    assert _query(
        warehouse, "select syndication, derived_from_article_id from marts.articles where external_id = 'reprint-1'"
    ) == [("copy", original)]
    ((quotes_in_original,),) = _query(warehouse, "select count(*) from marts.quotes where article_id = ?", [original])
    groups = _query(
        warehouse,
        """
        select first_article_id, first_outlet, first_published::varchar, last_published::varchar,
               article_count, outlet_count, outlets
        from marts.quote_groups
        where quote_group_id in (select quote_group_id from marts.quotes where article_id = ?)""",
        [original],
    )
    assert quotes_in_original >= 5 and len(groups) >= 5
    for first, outlet, published, last, articles, outlets, names in groups:
        # the rewrite (no outlet) may carry a quotation word for word too
        assert (first, outlet, published, last) == (original, "Business Standard", "2022-09-22", "2022-09-23")
        assert articles in (2, 3) and outlets == 2 and names == ["Business Standard", "Seoul Reprint Daily"]


def test_a_surname_alone_is_the_person_the_story_names_in_full(warehouse):
    rows = _query(
        warehouse,
        """
        select e.canonical_name, e.entity_type
        from marts.entity_mentions m
        join marts.articles a using (article_id)
        join marts.entities e using (entity_id)
        where a.external_id = 'reprint-1' and m.mention_text = 'Kim'""",
    )
    assert rows == [("Sung Kim", "PERSON")]
    # the story's other Kim (Kim Gunn) keeps his own entity, and no entity is named "Kim" alone
    names = {
        name for (name,) in _query(warehouse, "select canonical_name from marts.entities where entity_type = 'PERSON'")
    }
    assert {"Sung Kim", "Kim Gunn"} <= names and "Kim" not in names
