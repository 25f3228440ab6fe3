"""The clustering stage's reads and writes: story membership, merges and article links.

The stage itself (cluster/stage.py) computes on a records.WarehouseStories and returns a
records.Clustering; this module is the only one that knows the tables behind them.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from ..records import Clustering, Corpus, TermCounts, TextFeatures, WarehouseStories
from .warehouse import now

_PLACING_ORDER = "order by published_date nulls last, loaded_at, article_id"


def unclustered(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Articles in no story yet, in the order they are placed: oldest first."""
    return [
        row[0]
        for row in con.execute(f"""
            select article_id from landing.articles
            where article_id not in (select article_id from landing.story_members)
            {_PLACING_ORDER}""").fetchall()
    ]


def _open_window(con: duckdb.DuckDBPyConnection, new: list[str], window: int) -> tuple[list[str], frozenset[str]]:
    """The new articles with the `window` most recently loaded stored ones, in placing
    order, and the set of those stored ones."""
    new_ids = pa.table({"article_id": new})  # noqa: F841 - read by name below
    rows = con.execute(f"""
        with reopened as (
            select article_id from landing.articles
            where article_id in (select article_id from landing.story_members)
            order by loaded_at desc, article_id desc
            limit {int(window)}
        )
        select article_id, article_id in (select article_id from reopened) as reopened
        from landing.articles
        where article_id in (select article_id from reopened) or article_id in (select article_id from new_ids)
        {_PLACING_ORDER}""").fetchall()
    return [a for a, _ in rows], frozenset(a for a, reopened in rows if reopened)


def _stored_sources(con: duckdb.DuckDBPyConnection, reopened: frozenset[str]) -> dict[str, list[str]]:
    """The stored copy and rewrite sources of the reopened articles."""
    ids = pa.table({"article_id": list(reopened)})  # noqa: F841 - read by name below
    sources: dict[str, list[str]] = {}
    for article_id, linked in con.execute("""
            select article_id, linked_article_id from landing.article_links
            where relation in ('copy', 'rewrite') and article_id in (select article_id from ids)
            order by article_id, linked_article_id""").fetchall():
        sources.setdefault(article_id, []).append(linked)
    return sources


def articles_without_features(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(article_id, body_text) of articles stored without clustering features, or without
    those added since (loaded by an earlier version, or by a tool that does not annotate)."""
    return con.execute("""select article_id, body_text from landing.articles
                          where article_id not in (select article_id from landing.article_features
                                                   where years_named is not null and event_numbers is not null)""").fetchall()


_IN_ORDER = "order by loaded_at, article_id"  # the corpus's rows: load order
_ROWS = f"""rows as (
    select row_number() over ({_IN_ORDER}) - 1 as row, article_id
    from landing.articles join landing.article_features using (article_id))"""

# The labels of the entity blocks of clustering's similarity (cluster/similarity.py)
_NAMED_BLOCKS = {
    "entities": ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "PRODUCT"),
    "places_people": ("PERSON", "GPE", "LOC", "FAC"),
}


def _counted(con: duckdb.DuckDBPyConnection, terms_sql: str, n_rows: int) -> TermCounts:
    """The counts of the terms `terms_sql` gives as (row, term), columns numbered in the
    terms' sorted order."""
    found = con.sql(f"""
        with {_ROWS}, terms as ({terms_sql}),
        counted as (select row, term, count(*) as n from terms group by row, term)
        select row, dense_rank() over (order by term) - 1 as col, n from counted""").fetchnumpy()
    return TermCounts(found["row"], found["col"], found["n"], n_rows)


def _names_sql(labels: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{label}'" for label in labels)
    return f"""select row, lower(canonical_name) as term
               from landing.entity_mentions join rows using (article_id) where label in ({listed})"""


# cluster/protagonists.py in SQL: the surname (last word) of the person named most often, at
# least 3 times, the first named among those tied; and the words of every entity name
_PROTAGONISTS = rf"""
    with {_ROWS},
    surnames as (
        select row, mention_index, list_last(string_split_regex(trim(lower(canonical_name)), '\s+')) as surname
        from landing.entity_mentions join rows using (article_id)
        where label = 'PERSON' and trim(canonical_name) <> ''
    ),
    counted as (
        select row, surname, count(*) as n, min(mention_index) as first_named from surnames group by row, surname
    )
    select row, surname from counted
    qualify row_number() over (partition by row order by n desc, first_named) = 1 and n >= 3"""
_NAMED_WORDS = rf"""
    with {_ROWS},
    words as (
        select distinct row, unnest(string_split_regex(lower(canonical_name), '\s+')) as word
        from landing.entity_mentions join rows using (article_id)
    )
    select row, word from words where word in (select surname from protagonists) order by row, word"""


def corpus(con: duckdb.DuckDBPyConnection) -> Corpus:
    """Every article with clustering features, as clustering's similarity model reads them
    (records.Corpus): no text is read here, only the few compared ones later."""
    table = con.sql(f"""
        select article_id, published_date, wire_agency, years_named, signature,
               stem_ids, stem_counts, lead_ids, lead_counts
        from landing.articles join landing.article_features using (article_id) {_IN_ORDER}""").to_arrow_table()
    n = table.num_rows
    # a stem's column: its rank in sorted order among all stems (ids are in arrival order)
    ranked = con.execute(
        "select stem_id, row_number() over (order by stem) - 1 as rank from landing.stems"
    ).fetchnumpy()
    column_of = np.zeros(int(ranked["stem_id"].max()) + 1 if len(ranked["stem_id"]) else 0, dtype=np.int64)
    column_of[ranked["stem_id"]] = ranked["rank"]

    def stem_counts(ids: str, counts: str) -> TermCounts:
        ids_array, counts_array = table.column(ids).combine_chunks(), table.column(counts).combine_chunks()
        per_row = np.diff(ids_array.offsets.to_numpy())
        return TermCounts(
            np.repeat(np.arange(n), per_row), column_of[ids_array.values.to_numpy()], counts_array.values.to_numpy(), n
        )

    counts = {"text": stem_counts("stem_ids", "stem_counts"), "lead": stem_counts("lead_ids", "lead_counts")}
    for block, labels in _NAMED_BLOCKS.items():
        counts[block] = _counted(con, _names_sql(labels), n)
    counts["numbers"] = _counted(
        con, "select row, unnest(event_numbers) as term from landing.article_features join rows using (article_id)", n
    )
    protagonists: list[str | None] = [None] * n
    con.execute(f"create or replace temp table protagonists as {_PROTAGONISTS}")
    for row, surname in con.execute("select row, surname from protagonists").fetchall():
        protagonists[row] = surname
    named_words = [(int(row), word) for row, word in con.execute(_NAMED_WORDS).fetchall()]
    con.execute("drop table protagonists")
    values = table.column("signature").combine_chunks().values.to_numpy()
    signatures = values.reshape(n, -1) if n else values.reshape(0, 0)
    return Corpus(
        ids=table.column("article_id").to_pylist(),
        published=table.column("published_date").to_pylist(),
        agencies=table.column("wire_agency").to_pylist(),
        years=[frozenset(y) for y in table.column("years_named").to_pylist()],
        counts=counts,
        protagonists=protagonists,
        named_words=named_words,
        signatures=signatures,
        texts=lambda ids: texts(con, ids),
    )


def texts(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple[str, TextFeatures]]:
    """The body and text features of the articles asked."""
    asked = pa.table({"article_id": ids})  # noqa: F841 - read by name below
    table = con.sql("""
        select article_id, body_text, sentence_stems, shingles, signature
        from landing.articles join landing.article_features using (article_id)
        where article_id in (select article_id from asked)""").to_arrow_table()
    # the hash arrays as numpy slices of one buffer, not Python lists of ints
    shingles, signatures = (table.column(c).combine_chunks() for c in ("shingles", "signature"))
    shingle_values, shingle_offsets = shingles.values.to_numpy(), shingles.offsets.to_numpy()
    signature_values, signature_offsets = signatures.values.to_numpy(), signatures.offsets.to_numpy()
    found = {}
    for row, (article_id, body, sentence_stems) in enumerate(
        zip(*(table.column(c).to_pylist() for c in ("article_id", "body_text", "sentence_stems")), strict=True)
    ):
        hashes = shingle_values[shingle_offsets[row] : shingle_offsets[row + 1]].astype(np.uint32)
        signature = signature_values[signature_offsets[row] : signature_offsets[row + 1]]
        found[article_id] = (body, TextFeatures(sentence_stems, hashes, signature))
    return found


def read(con: duckdb.DuckDBPyConnection, new: list[str], window: int = 0) -> WarehouseStories:
    """The warehouse as the clustering stage sees it, to place the `new` articles and the
    `window` most recently loaded stored ones again. Texts are read on this connection when
    the stage asks for them: keep it open while the stage runs."""
    new_order, reopened = _open_window(con, new, window) if window else (new, frozenset())
    members = dict(con.execute("select article_id, story_id from landing.story_members").fetchall())
    story_age = {
        story: (str(first),)
        for story, first in con.execute(
            "select story_id, min(assigned_at) from landing.story_members group by story_id"
        ).fetchall()
    }
    return WarehouseStories(
        new_order=new_order,
        corpus=corpus(con),
        members=members,
        story_age=story_age,
        reopened=reopened,
        sources=_stored_sources(con, reopened) if reopened else {},
    )


def write(con: duckdb.DuckDBPyConnection, clustering: Clustering, run_id: str) -> None:
    """Store a run's clustering: new links, changed memberships, merges (within the caller's transaction)."""
    stamp = now()
    if clustering.reopened:  # their same-story evidence is decided again below
        reopened = pa.table({"article_id": list(clustering.reopened)})  # noqa: F841 - read by name below
        con.execute("""delete from landing.article_links
                       where relation = 'same_story' and article_id in (select article_id from reopened)""")
    if clustering.members:
        members = pa.table(  # noqa: F841 - read by name below
            {"article_id": list(clustering.members), "story_id": list(clustering.members.values())}
        )
        con.execute("delete from landing.story_members where article_id in (select article_id from members)")
        con.execute("insert into landing.story_members select article_id, story_id, ?, ? from members", [run_id, stamp])
        # a story id given again (a reopened article opening the story it had opened before)
        # is no longer a merged one
        con.execute("delete from landing.story_merges where merged_story_id in (select story_id from members)")
    for merged, survivor in clustering.merges:
        con.execute(
            "insert into landing.story_merges values (?, ?, ?, ?) on conflict do nothing",
            [merged, survivor, run_id, stamp],
        )
        con.execute(
            "update landing.story_merges set surviving_story_id = ? where surviving_story_id = ?", [survivor, merged]
        )
    if clustering.links:
        links = pa.Table.from_pylist([{**link, "run_id": run_id} for link in clustering.links])  # noqa: F841
        con.execute("""insert into landing.article_links by name select * from links
                       where (article_id, linked_article_id) not in
                             (select (article_id, linked_article_id) from landing.article_links)""")
