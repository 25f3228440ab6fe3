"""Writing batches of articles, annotations and rejections into the landing tables.

Rows go in as Arrow tables, one transaction per batch: row-by-row inserts cost ~50 ms an
article, Arrow costs next to nothing, and a batch is all-or-nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from ..config import SQL_DIR, Settings
from ..faults import article_fault
from ..records import Annotation, Article, Rejection


def connect(path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    config = {"memory_limit": Settings().duckdb_memory}  # why a limit: see config.Settings
    return duckdb.connect(str(path), read_only=read_only, config=config)


@contextmanager
def opened(path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for the length of a block: closed however the block ends (a connection
    left open holds the file's lock)."""
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("landing.sql", "ops.sql"):
        con.execute((SQL_DIR / name).read_text())
    _drop_features_key(con)


def _drop_features_key(con: duckdb.DuckDBPyConnection) -> None:
    """landing.article_features of a warehouse created before 2026-12-03 has a primary key,
    which made every run's checkpoint rewrite its index (see sql/landing.sql): rebuilt
    once without it, in one transaction."""
    keyed = con.execute("""select count(*) from duckdb_constraints()
                           where schema_name = 'landing' and table_name = 'article_features'
                             and constraint_type = 'PRIMARY KEY'""").fetchone()[0]
    if keyed:
        with transaction(con):
            con.execute("create table landing.article_features_rebuilt as select * from landing.article_features")
            con.execute("drop table landing.article_features")
            con.execute("alter table landing.article_features_rebuilt rename to article_features")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def known_article_ids(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> set[str]:
    ids = list(set(ids))
    if not ids:
        return set()
    probe = pa.table({"article_id": ids})
    rows = con.execute("select a.article_id from probe p join landing.articles a using (article_id)").fetchall()
    del probe
    return {r[0] for r in rows}


# One column list: the DDL in sql/. The Arrow schemas of the batches are read from the tables
# themselves (once per process), so a column added there is a column here.
_SCHEMAS: dict[str, pa.Schema] = {}


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    if table not in _SCHEMAS:
        _SCHEMAS[table] = con.sql(f"select * from {table} limit 0").to_arrow_table().schema
    return _SCHEMAS[table]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], where: str = "") -> None:
    if not rows:
        return
    batch = pa.Table.from_pylist(rows, schema=table_schema(con, table))  # noqa: F841 - read by name below
    con.execute(f"insert into {table} by name select * from batch {where}")


def load_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    articles: list[Article],
    annotations: list[Annotation],
    rejections: list[Rejection],
    ledger: list[tuple[str, str | None, str]],
) -> int:
    """Insert one batch atomically; articles already present are left as they are.
    Returns how many articles were new."""
    stamp = now()
    with transaction(con):
        present = known_article_ids(con, [a.article_id for a in articles])
        new = [a for a in articles if a.article_id not in present]
        for article in new:
            article_fault("load", article.body_text)
        new_ids = {a.article_id for a in new}
        annotations = [ann for ann in annotations if ann.article_id in new_ids]
        _insert(con, "landing.articles", _article_rows(con, new, run_id, stamp))
        _insert(con, "landing.entity_mentions", _annotation_rows(con, annotations, "mentions"))
        _insert(con, "landing.quotes", _annotation_rows(con, annotations, "quotes"))
        _insert(con, "landing.place_mentions", _place_mention_rows(annotations))
        _insert(con, "landing.places", _place_rows(annotations), where=_NEW_PLACE)
        insert_features(con, [(ann.article_id, ann.features) for ann in annotations if ann.features is not None])
        # A rejection is recorded once per input and reason, a file once per article: re-running
        # over the same input adds no rows.
        rows = [{**vars(r), "run_id": run_id, "seen_at": stamp} for r in rejections]
        _insert(con, "ops.rejected_inputs", rows, where=_NEW_REJECTION)
        rows = [dict(zip(("source_path", "article_id", "status"), entry, strict=True)) for entry in ledger]
        _insert(
            con, "ops.input_files", [{**r, "run_id": run_id, "seen_at": stamp} for r in rows], where=_NEW_INPUT_FILE
        )
    return len(new)


_NEW_REJECTION = """where not exists (
    select 1 from ops.rejected_inputs o
    where o.source_path = batch.source_path and o.reason = batch.reason
      and o.content_sha is not distinct from batch.content_sha)"""
_NEW_INPUT_FILE = """where not exists (
    select 1 from ops.input_files o
    where o.source_path = batch.source_path and o.article_id is not distinct from batch.article_id)"""


_NEW_PLACE = "where place_id not in (select place_id from landing.places)"


def _place_mention_rows(annotations: list[Annotation]) -> list[dict]:
    return [
        {
            "article_id": ann.article_id,
            **{k: getattr(m, k) for k in ("start_char", "end_char", "mention_text", "role", "status")},
            "place_id": m.place_id,
            "candidate_count": m.candidate_count,
        }
        for ann in annotations
        for m in ann.places
    ]


def _place_rows(annotations: list[Annotation]) -> list[dict]:
    """Each place the batch names, once."""
    places = {m.place.place_id: m.place for ann in annotations for m in ann.places if m.place is not None}
    return [vars(place) for place in places.values()]


def _article_rows(con, articles: list[Article], run_id: str, stamp: datetime) -> list[dict]:
    names = table_schema(con, "landing.articles").names
    fields = [name for name in names if name not in ("run_id", "loaded_at")]  # word_count: a property
    return [{**{name: getattr(a, name) for name in fields}, "run_id": run_id, "loaded_at": stamp} for a in articles]


def _annotation_rows(con, annotations: list[Annotation], kind: str) -> list[dict]:
    """Rows of landing.entity_mentions or landing.quotes: the record's fields that the
    table has, with the article and the item's position in it."""
    table, index = (
        ("landing.entity_mentions", "mention_index") if kind == "mentions" else ("landing.quotes", "quote_index")
    )
    fields = [name for name in table_schema(con, table).names if name not in ("article_id", index)]
    return [
        {"article_id": ann.article_id, index: i, **{name: getattr(item, name) for name in fields}}
        for ann in annotations
        for i, item in enumerate(getattr(ann, kind))
    ]


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after a failure, keeping the failure: where the commit itself failed (a
    full disk) DuckDB has already ended the transaction, and 'cannot rollback - no
    transaction is active' would hide the cause."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back (keeping the cause) on any failure."""
    con.execute("begin transaction")
    try:
        yield con
        con.execute("commit")
    except BaseException:
        rollback(con)
        raise


def insert_features(con: duckdb.DuckDBPyConnection, rows: list) -> None:
    """(article_id, TextFeatures) pairs into landing.article_features."""
    if not rows:
        return
    batch = pa.table(
        {
            "article_id": [article_id for article_id, _ in rows],
            "sentence_stems": [f.sentence_stems for _, f in rows],
            "shingles": [f.shingles.astype("uint32") for _, f in rows],
            "signature": [f.signature.astype("uint64") for _, f in rows],
            "years_named": [f.years for _, f in rows],
            "event_numbers": [f.numbers for _, f in rows],
            # counted in SQL below, against the stored stems
            **{column: [None] * len(rows) for column in ("stem_ids", "stem_counts", "lead_ids", "lead_counts")},
        },
        schema=table_schema(con, "landing.article_features"),
    )
    # a row stored before the last columns were added is replaced, never doubled
    con.execute("delete from landing.article_features where article_id in (select article_id from batch)")
    # its stems counted before the insert, so each row is written once (an UPDATE of the rows
    # just inserted looked costly under a profiler; a 4,000-article run's load stage measured
    # 11.7 s either way, 2026-12-04)
    con.register("feature_batch", batch)  # by name for _count_stems, which cannot see this frame
    try:
        _count_stems(con, "select article_id, sentence_stems from feature_batch")
        con.execute(f"""
            insert into landing.article_features by name
            select feature_batch.* exclude (stem_ids, stem_counts, lead_ids, lead_counts),
                   counted.stem_ids, counted.stem_counts, counted.lead_ids, counted.lead_counts
            from feature_batch left join ({_COUNTED}) as counted using (article_id)""")
    finally:
        con.unregister("feature_batch")
    con.execute("drop table pending_stems")


def _count_stems(con: duckdb.DuckDBPyConnection, articles_sql: str) -> None:
    """The temp table pending_stems: (article_id, stem, n, lead_n) of the articles
    `articles_sql` gives as (article_id, sentence_stems), a row that matches no stem for an
    article without a content word; and the stems new to landing.stems, numbered on."""
    con.execute(f"""
        create or replace temp table pending_stems as
        with pending as ({articles_sql}),
        sentences as (
            select article_id, unnest(sentence_stems) as sentence, generate_subscripts(sentence_stems, 1) as position
            from pending
        ),
        tokens as (select article_id, position, unnest(string_split(sentence, ' ')) as stem from sentences)
        select article_id, stem, count(*)::integer as n, (count(*) filter (where position <= 3))::integer as lead_n
        from tokens where stem <> '' group by article_id, stem
        union all  -- an article without a content word: a row that matches no stem
        select article_id, null, 0, 0 from pending where len(list_filter(sentence_stems, s -> s <> '')) = 0""")
    con.execute("""
        insert into landing.stems
        select stem, (select coalesce(max(stem_id), -1) from landing.stems) + row_number() over (order by stem)
        from (select distinct stem from pending_stems
              where stem is not null and stem not in (select stem from landing.stems))""")


# Each pending article's stem ids and counts, ids ascending (the lead's: its first three sentences)
_COUNTED = """
    select pending_stems.article_id,
           coalesce(list(stem_id order by stem_id) filter (where n > 0), []) as stem_ids,
           coalesce(list(n order by stem_id) filter (where n > 0), []) as stem_counts,
           coalesce(list(stem_id order by stem_id) filter (where lead_n > 0), []) as lead_ids,
           coalesce(list(lead_n order by stem_id) filter (where lead_n > 0), []) as lead_counts
    from pending_stems left join landing.stems using (stem)
    group by pending_stems.article_id"""


def index_stems(con: duckdb.DuckDBPyConnection, chunk: int = 2000) -> None:
    """Stem counts (ids of landing.stems, new stems numbered on) for the feature rows without
    them, rows of a warehouse from before 2026-12-03, `chunk` articles at a time (all 20,000
    at once overran DuckDB's memory limit; 8.3 s once for 20k). A load counts its own
    articles' stems as it inserts them (insert_features)."""
    while True:
        _count_stems(
            con,
            f"select article_id, sentence_stems from landing.article_features where stem_ids is null limit {int(chunk)}",
        )
        if not con.execute("select count(*) from pending_stems").fetchone()[0]:
            break
        con.execute(f"""
            update landing.article_features set
                stem_ids = counted.stem_ids, stem_counts = counted.stem_counts,
                lead_ids = counted.lead_ids, lead_counts = counted.lead_counts
            from ({_COUNTED}) as counted
            where article_features.article_id = counted.article_id""")
    con.execute("drop table pending_stems")


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None, input_path: str) -> None:
    con.execute(
        "insert into ops.runs (run_id, flow_run_id, started_at, status, input_path) values (?, ?, ?, 'running', ?)",
        [run_id, flow_run_id, now(), input_path],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict,
    stage_seconds: dict,
    error: str | None = None,
    dbt_fingerprint: str | None = None,
) -> None:
    con.execute(
        """update ops.runs set finished_at = ?, status = ?, files_seen = ?, articles_loaded = ?,
           articles_skipped = ?, rejected_inputs = ?, stories_created = ?, stories_updated = ?,
           stage_seconds = ?, error = ?, dbt_fingerprint = ? where run_id = ?""",
        [
            now(),
            status,
            counts.get("files_seen", 0),
            counts.get("articles_loaded", 0),
            counts.get("articles_skipped", 0),
            counts.get("rejected_inputs", 0),
            counts.get("stories_created", 0),
            counts.get("stories_updated", 0),
            json.dumps({k: round(v, 3) for k, v in stage_seconds.items()}),
            error,
            dbt_fingerprint,
            run_id,
        ],
    )


def marts_built_by(con: duckdb.DuckDBPyConnection) -> str | None:
    """The dbt fingerprint of the last successful run, if the marts it built are there."""
    has_marts = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = 'articles'"
    ).fetchone()[0]
    if not has_marts:
        return None
    row = con.execute("""select dbt_fingerprint from ops.runs where status = 'success'
                         order by finished_at desc limit 1""").fetchone()
    return row[0] if row else None


def story_countries(path) -> list[dict]:
    """Each story with a main country, for the map (model/storymap.py); read from the
    published file, read-only."""
    with opened(path, read_only=True) as con:
        rows = con.execute("""
            select story_id, headline, first_published::varchar as first_published, article_count,
                   lower(main_country_code) as country_code, main_country_name as country_name
            from marts.stories
            where main_country_code is not null
            order by first_published nulls last, story_id""")
        names = [d[0] for d in rows.description]
        return [dict(zip(names, row, strict=True)) for row in rows.fetchall()]
