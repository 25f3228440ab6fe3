"""What the collect stage needs from the warehouse and what it leaves there: the pages it
must not fetch again, each feed's state (ops.feeds, one row a feed), every fetch (ops.fetches)."""

from __future__ import annotations

from dataclasses import fields

import duckdb
import pyarrow as pa

from ..records import Collection, FeedState
from .warehouse import table_schema, transaction

FAILED_RUNS_BEFORE_GIVING_UP = 3  # a page that timed out or hit a 5xx is tried in 3 runs at most

# A page is settled once fetched, refused for good (4xx, not HTML, too large, a redirect
# loop) or failed transiently in 3 runs; robots.txt refusals are asked again every run.
_SETTLED_PAGES = f"""
select url from ops.fetches
where kind = 'page'
group by url
having bool_or(error is null or error not in ('timeout', 'connect_error', 'server_error', 'network_error',
                                               'robots_disallowed', 'robots_unavailable'))
    or count(*) filter (where error in ('timeout', 'connect_error', 'server_error', 'network_error'))
       >= {FAILED_RUNS_BEFORE_GIVING_UP}
"""


def known_page_urls(con: duckdb.DuckDBPyConnection) -> list[str]:
    """URLs of articles in the warehouse and of pages settled by earlier fetches (as stored:
    the collect stage normalises them)."""
    rows = con.execute(f"select url from landing.articles where url is not null union {_SETTLED_PAGES}").fetchall()
    return [r[0] for r in rows]


def feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    names = [f.name for f in fields(FeedState)]
    rows = con.execute(f"select {', '.join(names)} from ops.feeds").fetchall()
    return {row[0]: FeedState(**dict(zip(names, row, strict=True))) for row in rows}


def write(con: duckdb.DuckDBPyConnection, run_id: str, collection: Collection) -> None:
    """The pass's feed states replace the old ones; its fetches are added. One transaction."""
    feeds = pa.Table.from_pylist(  # noqa: F841 - read by name below
        [{**vars(state), "run_id": run_id} for state in collection.feeds], schema=table_schema(con, "ops.feeds")
    )
    fetch_fields = [name for name in table_schema(con, "ops.fetches").names if name != "run_id"]
    fetches = pa.Table.from_pylist(  # noqa: F841 - read by name below
        [{**{name: getattr(f, name) for name in fetch_fields}, "run_id": run_id} for f in collection.fetches],
        schema=table_schema(con, "ops.fetches"),
    )
    with transaction(con):
        con.execute("delete from ops.feeds where feed_url in (select feed_url from feeds)")
        con.execute("insert into ops.feeds by name select * from feeds")
        con.execute("insert into ops.fetches by name select * from fetches")
