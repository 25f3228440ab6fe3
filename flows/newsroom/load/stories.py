"""The clustering stage's reads and writes: story membership, merges and article links.

The stage itself (cluster/stage.py) computes on a records.WarehouseStories and returns a
records.Clustering; this module is the only one that knows the tables behind them.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from ..records import Clustering, WarehouseStories
from .warehouse import now

_FETCH_ROWS = 20_000


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


def _rows(con: duckdb.DuckDBPyConnection, sql: str):
    """The rows of a query a slice at a time (see WarehouseStories)."""
    cursor = con.execute(sql)
    while rows := cursor.fetchmany(_FETCH_ROWS):
        yield from rows


_ORDERED = "from landing.articles join landing.article_features using (article_id) order by loaded_at, article_id"


def read(con: duckdb.DuckDBPyConnection, new: list[str], window: int = 0) -> WarehouseStories:
    """The warehouse as the clustering stage sees it, to place the `new` articles and the
    `window` most recently loaded stored ones again. The mentions and articles are read as
    they are consumed, in that order, on this connection."""
    new_order, reopened = _open_window(con, new, window) if window else (new, frozenset())
    features = con.sql(f"select shingles, signature {_ORDERED}").to_arrow_table()
    members = dict(con.execute("select article_id, story_id from landing.story_members").fetchall())
    story_age = {
        story: (str(first),)
        for story, first in con.execute(
            "select story_id, min(assigned_at) from landing.story_members group by story_id"
        ).fetchall()
    }
    return WarehouseStories(
        new_order=new_order,
        mentions=_rows(
            con,
            "select article_id, canonical_name, label from landing.entity_mentions order by article_id, mention_index",
        ),
        articles=_rows(
            con,
            "select article_id, body_text, published_date, wire_agency, sentence_stems, years_named, event_numbers "
            + _ORDERED,
        ),
        features=features,
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
