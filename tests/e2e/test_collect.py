"""Collection end to end: the real flow (collect on) against a news site served by the test on
127.0.0.1 (tests/news_site.py). Every page the feeds and sitemaps list ends loaded or recorded
with a reason; a failing feed is visible in the warehouse and in the run's result; the
archive replays offline; a re-run fetches no settled page again and asks the feed with its
ETag (304)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from news_site import Site, build, sources_toml

TIMEOUT = 1.0


@pytest.fixture(scope="module")
def collected(prefect_harness, tmp_path_factory):
    root = tmp_path_factory.mktemp("collect")
    inbox = root / "inbox"
    inbox.mkdir()
    with Site() as site:
        expect = build(site, TIMEOUT)
        (root / "sources.toml").write_text(sources_toml(site.url, TIMEOUT))
        env = {"NEWSROOM_SOURCES": str(root / "sources.toml"), "NEWSROOM_ARCHIVE": str(root / "archive")}
        previous = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            from newsroom.pipeline import ingest

            warehouse = root / "news.duckdb"
            first = ingest(input_path=str(inbox), warehouse_path=str(warehouse), collect=True)
            requests_first = list(site.requests)
            second = ingest(input_path=str(inbox), warehouse_path=str(warehouse), collect=True)
            requests_second = site.requests[len(requests_first) :]
        finally:
            for name, value in previous.items():
                os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    yield {
        "site": site.url,
        "expect": expect,
        "first": first,
        "second": second,
        "requests_first": requests_first,
        "requests_second": requests_second,
        "warehouse": warehouse,
        "root": root,
    }


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _paths(rows, base: str) -> dict:
    return {row[0].removeprefix(base): row[1:] for row in rows}


def test_every_listed_page_is_loaded_or_recorded_with_its_reason(collected):
    base, warehouse = collected["site"], collected["warehouse"]
    loaded = _paths(_query(warehouse, "select url, language, quality_flags from marts.articles"), base)
    fetched = _paths(
        _query(
            warehouse,
            "select url, error, attempts, status from ops.fetches where kind = 'page' and run_id = "
            f"'{collected['first']['run_id']}'",
        ),
        base,
    )
    duplicates = _query(warehouse, "select count(*) from ops.input_files where status = 'duplicate'")
    for path, outcome in collected["expect"].items():
        if outcome == "loaded" and path != "/news/0.html":
            assert path in loaded, f"{path} was not loaded (fetch: {fetched.get(path)})"
        elif path in ("/news/0.html", "/mirror/0.html"):  # one story at two URLs: whichever came first
            assert fetched[path][0] is None
            assert ("/news/0.html" in loaded) != ("/mirror/0.html" in loaded) and duplicates == [(1,)]
        else:
            assert fetched[path][0] == outcome, (path, fetched.get(path))
    assert collected["first"]["status"] == "success"


def test_retries_follow_timeouts_and_5xx_only(collected):
    base, warehouse = collected["site"], collected["warehouse"]
    first = collected["first"]["run_id"]
    attempts = _paths(_query(warehouse, f"select url, attempts from ops.fetches where run_id = '{first}'"), base)
    assert attempts["/flaky.html"] == (2,)  # 500, then 200
    assert attempts["/slow.html"] == (2,)  # timed out twice (retries = 1)
    assert attempts["/missing.html"] == (1,)  # a 404 is not retried


def test_robots_disallow_is_obeyed_without_a_request(collected):
    assert not [p for p, _ in collected["requests_first"] if p.startswith("/private/")]
    user_agents = {headers.get("User-Agent") for _, headers in collected["requests_first"]}
    assert user_agents == {"newsroom-test/1.0"}


def test_one_story_at_two_urls_and_tracking_parameters_fetch_once(collected):
    fetched = [p for p, _ in collected["requests_first"]]
    assert fetched.count("/news/1.html") == 1  # listed plain, with utm_* and with a #fragment
    assert fetched.count("/mirror/0.html") == 1  # fetched: a URL says nothing of the content
    rows = _query(
        collected["warehouse"],
        "select count(*) from marts.articles where url like '%/news/0.html' or url like '%/mirror/0.html'",
    )
    assert rows == [(1,)]  # same bytes at two URLs: one article


def test_compressed_and_mislabelled_pages_decode(collected):
    base = collected["site"]
    rows = _paths(
        _query(collected["warehouse"], "select url, body_text, quality_flags, encoding from marts.articles"), base
    )
    body, flags, encoding = rows["/wrong-charset.html"]
    assert "Sm\u00f8la" in body and "\u201cWe are back,\u201d" in body
    assert encoding == "utf-8" and "charset_mislabelled:cp1252" in flags
    assert "/gzip.html" in rows


def test_other_languages_are_loaded_not_annotated(collected):
    base, warehouse = collected["site"], collected["warehouse"]
    rows = _paths(_query(warehouse, "select url, language, quality_flags, article_id from marts.articles"), base)
    language, flags, article_id = rows["/fr/port.html"]
    assert language == "fr" and "not_annotated:language=fr" in flags
    assert _query(warehouse, f"select count(*) from marts.entity_mentions where article_id = '{article_id}'") == [(0,)]
    english = [r for path, r in rows.items() if path.startswith("/news/")]
    assert english and all(r[0] == "en" for r in english)
    outlets = {r[0] for r in _query(warehouse, "select outlet from marts.articles where fetched_at is not null")}
    assert outlets == {"Local Site"}  # the outlet as sources.toml names it, carried in the WARC record


def test_failing_feeds_are_visible(collected):
    base, warehouse = collected["site"], collected["warehouse"]
    health = _paths(
        _query(
            warehouse,
            "select feed_url, is_failing, consecutive_failures, last_error, items_seen from marts.feed_health",
        ),
        base,
    )
    failing, failures, error, _ = health["/broken-feed.xml"]
    assert failing and failures == 2 and error.startswith("malformed_feed")  # two runs, two failures
    assert not health["/feed.xml"][0] and not health["/sitemap-index.xml"][0]
    assert health["/big-feed.xml"][3] == 10_000
    reported = {url.removeprefix(base) for url, *_ in collected["second"]["failing_feeds"]}
    assert reported == {"/broken-feed.xml"}


def test_a_big_feed_is_fetched_a_slice_a_run(collected):
    first = [p for p, _ in collected["requests_first"] if p.startswith("/bulk/")]
    second = [p for p, _ in collected["requests_second"] if p.startswith("/bulk/")]
    assert len(first) == 25 and len(second) == 25 and not set(first) & set(second)


def test_a_rerun_fetches_no_settled_page_and_asks_feeds_conditionally(collected):
    again = [p for p, _ in collected["requests_second"] if not p.startswith("/bulk/")]
    transient = {"/slow.html"}  # a timeout is tried again (3 runs at most)
    pages = [p for p in again if p.endswith((".html", ".pdf")) and p not in transient]
    assert pages == []
    feed_headers = [h for p, h in collected["requests_second"] if p == "/feed.xml"]
    assert feed_headers and feed_headers[0].get("If-None-Match") == '"v1"'
    index_headers = [h for p, h in collected["requests_second"] if p == "/sitemap-index.xml"]
    assert index_headers[0].get("If-Modified-Since") == "Tue, 01 Dec 2026 10:00:00 GMT"
    rows = _query(
        collected["warehouse"],
        "select feed_url, last_status from ops.feeds where feed_url similar to '.*/(feed|sitemap-index)[.]xml'",
    )
    assert sorted(status for _, status in rows) == [304, 304]
    assert collected["second"]["articles_loaded"] == 0


def test_the_archive_replays_offline(collected):
    """The pages WARC of the first run, ingested into a new warehouse with no server: the same
    articles, with their URLs and fetch times."""
    from newsroom.pipeline import ingest

    archives = sorted(Path(collected["root"] / "archive").rglob("pages-*.warc.gz"))
    assert len(archives) == 2  # one a run
    replay = collected["root"] / "replay.duckdb"
    result = ingest(input_path=str(archives[0]), warehouse_path=str(replay))
    assert result["status"] == "success"
    original = _query(
        collected["warehouse"],
        f"select url from marts.articles where loaded_run_id = '{collected['first']['run_id']}' order by 1",
    )
    replayed = _query(replay, "select url from marts.articles order by 1")
    assert replayed == original
    assert _query(replay, "select count(*) from marts.articles where fetched_at is null") == [(0,)]
    rejected = dict(_query(replay, "select reason, count(*) from ops.rejected_inputs group by 1"))
    assert rejected.get("http_error", 0) >= 1  # the 404 page is archived too, and not an article


def test_collect_alone_records_feeds_and_archives_pages(prefect_harness, tmp_path, monkeypatch):
    """`newsroom collect`'s flow: the pages are archived, the feeds' states and the fetches
    are published in the warehouse (feed_health is current at once), nothing is ingested."""
    from newsroom.pipeline import collect_only

    from news_site import small_build, small_sources_toml

    with Site() as site:
        small_build(site)
        (tmp_path / "sources.toml").write_text(small_sources_toml(site.url))
        monkeypatch.setenv("NEWSROOM_SOURCES", str(tmp_path / "sources.toml"))
        monkeypatch.setenv("NEWSROOM_ARCHIVE", str(tmp_path / "archive"))
        result = collect_only(warehouse_path=str(tmp_path / "news.duckdb"))
    (archive,) = result["archives"]
    assert Path(archive).exists() and result["pages_fetched"] == 2
    failing = _query(tmp_path / "news.duckdb", "select feed_url from marts.feed_health where is_failing")
    assert failing == [(f"{site.url}/broken-feed.xml",)]
    assert _query(tmp_path / "news.duckdb", "select count(*) from landing.articles") == [(0,)]


def test_a_bad_sources_file_costs_the_hourly_run_its_collection_alone(prefect_harness, tmp_path, monkeypatch):
    """The deployment's run (collect on) with a broken sources.toml: the problems are recorded
    as a rejection, once however many runs meet them, and the inbox is still ingested."""
    import shutil

    from newsroom.pipeline import ingest

    from conftest import SEED_ORIGINAL

    inbox, warehouse, sources = tmp_path / "inbox", tmp_path / "news.duckdb", tmp_path / "sources.toml"
    inbox.mkdir()
    shutil.copy(SEED_ORIGINAL, inbox)
    sources.write_text('[[outlet]]\nname = "A"\nfeeds = ["ftp://x"]\n')
    monkeypatch.setenv("NEWSROOM_SOURCES", str(sources))
    monkeypatch.setenv("NEWSROOM_ARCHIVE", str(tmp_path / "archive"))
    for _ in range(2):
        result = ingest(input_path=str(inbox), warehouse_path=str(warehouse), collect=True)
    assert result["status"] == "success"
    assert _query(warehouse, "select count(*) from marts.articles") == [(1,)]
    rows = _query(warehouse, "select source_path, reason, detail from ops.rejected_inputs")
    assert [(path, reason) for path, reason, _ in rows] == [(str(sources), "bad_sources")]
    assert "'ftp://x' is not an http(s) URL" in rows[0][2]
    assert not (tmp_path / "archive").exists()  # nothing was fetched


def test_collect_refuses_a_bad_sources_file_naming_each_problem(tmp_path):
    import subprocess
    import sys

    (tmp_path / "sources.toml").write_text('[[outlet]]\nname = "A"\nfeeds = ["ftp://x"]\n[[outlet]]\nfeeds = []\n')
    env = {**os.environ, "NEWSROOM_SOURCES": str(tmp_path / "sources.toml")}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "newsroom"), "collect", "--warehouse", str(tmp_path / "w.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "'ftp://x' is not an http(s) URL" in done.stderr and "outlet 2: needs a name" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_dbt_warns_of_a_feed_failing_three_runs_in_a_row(collected, tmp_path):
    import shutil

    from newsroom.model import dbt

    copy = tmp_path / "copy.duckdb"
    shutil.copy(collected["warehouse"], copy)
    con = duckdb.connect(str(copy))
    con.execute("update ops.feeds set consecutive_failures = 3 where feed_url like '%/broken-feed.xml'")
    con.close()
    result = dbt.build(copy)
    assert [w.split(":")[0] for w in result.warnings] == ["test.newsroom.no_feed_failing_three_runs"]
    assert result.failed == 0
