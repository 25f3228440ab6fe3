"""The collect stage's parts alone: sources.toml validation, URL keys, feeds and sitemaps,
charset decoding, the WARC archive read back as input, language detection; and one pass
of the stage against the local news site (no Prefect, no warehouse)."""

from __future__ import annotations

import gzip
import json
import tomllib
from pathlib import Path

import pytest

from newsroom.collect.feeds import parse_feed
from newsroom.collect.sitemaps import parse_sitemap
from newsroom.collect.sources import SourcesError, load_sources, parse_sources
from newsroom.collect.stage import Known, collect
from newsroom.collect.urls import normalize_url
from newsroom.extract.decoding import decode_html
from newsroom.extract.inputs import read_documents
from newsroom.extract.language import article_language
from newsroom.load.archive import WarcArchive
from newsroom.records import Fetch, RawDocument, Rejection

from news_site import EVAL, Site, build, sources_toml


def test_sources_validation_names_every_bad_entry():
    data = tomllib.loads("""
        [fetch]
        timeout_seconds = -1
        colour = "blue"
        [[outlet]]
        name = "A"
        feeds = ["ftp://a.example/feed", "https://a.example/rss"]
        [[outlet]]
        feeds = ["https://b.example/rss"]
        [[outlet]]
        name = "C"
        [[outlet]]
        name = "D"
        feeds = ["https://d.example/rss"]
        language = "English"
        delay_seconds = "slow"
        user_agent = "mine"
    """)
    with pytest.raises(SourcesError) as caught:
        parse_sources(data, "sources.toml")
    lines = str(caught.value).splitlines()
    assert any("timeout_seconds must be positive" in line for line in lines)
    assert any("unknown setting 'colour'" in line for line in lines)
    assert any("outlet 1 (A) feeds: 'ftp://a.example/feed' is not an http(s) URL" in line for line in lines)
    assert any("outlet 2: needs a name" in line for line in lines)
    assert any("(C): lists no feeds and no sitemaps" in line for line in lines)
    assert any("(D): language must be a two-letter" in line for line in lines)
    assert any("(D): delay_seconds must be a number" in line for line in lines)
    assert any("(D): unknown key 'user_agent'" in line for line in lines)
    assert len(lines) == 8


def test_sources_file_is_optional_and_outlets_inherit_politeness(tmp_path):
    assert load_sources(tmp_path / "missing.toml").outlets == ()
    (tmp_path / "s.toml").write_text(
        '[fetch]\ndelay_seconds = 3\nuser_agent = "me"\n'
        '[[outlet]]\nname = "A"\nfeeds = ["https://a.example/rss"]\n'
        '[[outlet]]\nname = "B"\nsitemaps = ["https://b.example/news.xml"]\ndelay_seconds = 0.5\n'
    )
    a, b = load_sources(tmp_path / "s.toml").outlets
    assert (a.policy.delay_seconds, b.policy.delay_seconds) == (3.0, 0.5)
    assert a.policy.user_agent == b.policy.user_agent == "me"
    (tmp_path / "bad.toml").write_text("[[outlet]\nname=")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(tmp_path / "bad.toml")


def test_the_shipped_sources_file_is_valid():
    from newsroom.config import PROJECT_ROOT

    load_sources(PROJECT_ROOT / "warehouse" / "sources.toml")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/b?utm_source=x&id=3&fbclid=9#frag", "http://example.com/a/b?id=3"),
        ("https://example.com/a?b=1&a=2", "https://example.com/a?a=2&b=1"),
        ("/news/1.html?utm_medium=rss", "https://site.example/news/1.html"),
        ("mailto:desk@example.com", None),
        ("javascript:void(0)", None),
        ("http://[::1/x", None),
        ("https://exa mple.com/x", None),
    ],
)
def test_url_keys(url, expected):
    assert normalize_url(url, "https://site.example/section/") == expected


def test_feeds_rss_atom_json_and_malformed():
    base = "https://site.example/feed"
    rss = parse_feed(b"<rss><channel><item><title>a & b</title><link>/x?a=1&b=2</link></item>", base)
    assert [(i.url, i.title) for i in rss.items] == [("https://site.example/x?a=1&b=2", "a & b")]
    assert rss.error is None and "not well-formed" in rss.detail  # recovered, and says so
    atom = parse_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><link href="/y"/>'
        b"<updated>2026-12-01T10:00:00Z</updated></entry></feed>",
        base,
    )
    assert atom.items[0].url == "https://site.example/y" and atom.items[0].published.hour == 10
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "url": "/j", "title": "J"}, {"id": ""}],
    }
    assert [i.url for i in parse_feed(json.dumps(feed).encode(), base, "application/feed+json").items] == [
        "https://site.example/j"
    ]
    for garbage in (b"", b"<html><body>not a feed</body></html>", b"\x00\x01 nothing", b"{not json"):
        parsed = parse_feed(garbage, base)
        assert parsed.items == [] and parsed.error == "malformed_feed", garbage


def test_sitemaps_index_news_and_gzip():
    index = parse_sitemap(
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://site.example/s1.xml</loc></sitemap></sitemapindex>",
        "https://site.example/index.xml",
        10**6,
    )
    assert index.sitemaps == ["https://site.example/s1.xml"] and index.items == []
    news = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://site.example/a?utm_source=x</loc>'
        b"<news:news><news:publication><news:name>S</news:name><news:language>en</news:language></news:publication>"
        b"<news:publication_date>2026-12-01T10:00:00+01:00</news:publication_date><news:title>A</news:title>"
        b"</news:news></url></urlset>"
    )
    for body in (news, gzip.compress(news)):
        (item,) = parse_sitemap(body, "https://site.example/news.xml", 10**6).items
        assert (item.url, item.title, item.published.hour) == ("https://site.example/a", "A", 9)
    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    assert parse_sitemap(bomb, "https://site.example/x.xml.gz", 1_000_000).error == "malformed_sitemap"
    assert parse_sitemap(b"<html>no</html>", "https://site.example/x.xml", 10**6).error == "malformed_sitemap"


def test_charset_from_header_and_meta_and_mislabels():
    story = "Caf\u00e9 \u2019quoted\u2019"
    assert decode_html(f"<p>{story}</p>".encode(), "text/html; charset=iso-8859-1")[:2] == (f"<p>{story}</p>", "utf-8")
    text, encoding, _, flags = decode_html(f"<p>{story}</p>".encode("cp1252"), "text/html; charset=utf-8")
    assert text == f"<p>{story}</p>" and encoding == "cp1252" and flags == ["charset_mislabelled:utf-8"]
    page = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>\u041f\u0440\u0438\u0432\u0435\u0442</p>'
    assert decode_html(page.encode("cp1251"))[:2] == (page, "cp1251")


def test_archive_read_back_as_input(tmp_path):
    archive = WarcArchive(tmp_path, "run1", {"S": "en"})
    page = "<html><body><p>" + "The harbour reopened on Tuesday, officials said. " * 20 + "</p></body></html>"
    archive(
        Fetch(
            "https://site.example/a",
            "page",
            "S",
            status=200,
            body=page.encode(),
            fetched_at=_stamp(),
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        )
    )
    archive(Fetch("https://site.example/gone", "page", "S", status=404, body=b"not found", fetched_at=_stamp()))
    archive(
        Fetch(
            "https://site.example/report.pdf",
            "page",
            "S",
            status=200,
            body=b"%PDF",
            fetched_at=_stamp(),
            headers=[("Content-Type", "application/pdf")],
        )
    )
    archive(Fetch("https://site.example/feed", "feed", "S", status=200, body=b"<rss/>", fetched_at=_stamp()))
    (pages,) = archive.close()
    assert not list(tmp_path.rglob(".*.part"))  # renamed into place
    assert len(list(tmp_path.rglob("feeds-*.warc.gz"))) == 1
    items = list(read_documents(Path(pages)))
    documents = [i for i in items if isinstance(i, RawDocument)]
    reasons = sorted(i.reason for i in items if isinstance(i, Rejection))
    assert [(d.url, d.html, d.fetched_at) for d in documents] == [("https://site.example/a", page, _stamp())]
    assert (documents[0].outlet, documents[0].language) == ("S", "en")  # what sources.toml says of the outlet
    assert reasons == ["http_error", "unsupported_format"]
    (tmp_path / "junk.warc.gz").write_bytes(b"not a warc at all")
    assert [r.reason for r in read_documents(tmp_path / "junk.warc.gz")] == ["invalid_warc"]


def _stamp():
    from datetime import datetime

    return datetime(2026, 12, 1, 10, 30)


def test_language_detection_on_english_news_written_by_others():
    """Every PolNeAR dev article (84 political news stories, written by others) is English."""
    texts = sorted((EVAL / "quotes" / "polnear" / "dev" / "text").glob("*.txt"))
    assert len(texts) >= 80
    languages = [article_language(path.read_text(), None) for path in texts]
    assert languages.count("en") == len(texts)


def test_language_precedence():
    french = "Le port a rouvert mardi apr\u00e8s la temp\u00eate, a indiqu\u00e9 sa directrice aux journalistes. " * 3
    assert article_language(french, "en") == "fr"  # detection, when sure, beats what is given
    assert article_language("Obama", "en") == "en"  # unsure: what the input says
    assert article_language("Obama", None) is None


def test_one_pass_against_the_local_site():
    """Every page the site lists ends fetched or with its reason; the responses go to the sink."""
    with Site() as site:
        expect = build(site, 1.0)
        sources = parse_sources(tomllib.loads(sources_toml(site.url, 1.0, max_new_pages=40)))
        archived: list[str] = []
        result = collect(sources, Known(), lambda fetch: archived.append(fetch.url))
    outcome = {f.url.removeprefix(site.url): f.error for f in result.fetches if f.kind == "page"}
    for path, expected in expect.items():
        assert outcome[path] == (None if expected in ("loaded", "duplicate") else expected), path
    assert sum(1 for path in outcome if path.startswith("/bulk/")) == 25
    assert f"{site.url}/private/secret.html" not in archived  # never requested
    states = {s.feed_url.removeprefix(site.url): s for s in result.feeds}
    assert states["/broken-feed.xml"].consecutive_failures == 1
    assert states["/feed.xml"].etag == '"v1"' and states["/sitemap-index.xml"].items_seen == 2


def test_known_pages_are_not_fetched():
    with Site() as site:
        build(site, 1.0)
        sources = parse_sources(tomllib.loads(sources_toml(site.url, 1.0)))
        known = Known({f"{site.url}/news/{n}.html" for n in range(4)})
        collect(sources, known, lambda fetch: None)
        assert not [p for p, _ in site.requests if p.startswith("/news/")]


def _site_of(site, paths, delay=0.0):
    from news_site import Page, rss

    for path in paths:
        site.pages[path] = Page(b"<html><body><p>page</p></body></html>", "text/html", delay=delay)
    site.pages["/feed.xml"] = Page(rss(site.url, paths), "application/rss+xml")


def _policy_sources(site, **policy):
    from newsroom.collect.sources import FetchPolicy, Outlet, Sources

    fetch = FetchPolicy(**{"retries": 0, "timeout_seconds": 5, **policy})
    return Sources(fetch, (Outlet("S", (f"{site.url}/feed.xml",), policy=fetch),))


def test_politeness_one_request_at_a_time_a_delay_apart():
    with Site() as site:
        _site_of(site, [f"/p/{n}.html" for n in range(5)], delay=0.05)
        collect(_policy_sources(site, delay_seconds=0.3, per_host_connections=1), Known(), lambda f: None)
    spans = sorted(site.spans)
    assert len(spans) == 7  # robots.txt, the feed, five pages
    gaps = [start - end for (_, end), (start, _) in zip(spans, spans[1:], strict=False)]
    assert min(gaps) >= 0.3 * 0.95, gaps  # never overlapping, each delay_seconds after the last ended


def test_global_concurrency_limit_holds_over_connections():
    with Site() as site:
        _site_of(site, [f"/p/{n}.html" for n in range(12)], delay=0.2)
        collect(_policy_sources(site, delay_seconds=0, per_host_connections=8, concurrency=3), Known(), lambda f: None)
    events = sorted([(start, 1) for start, _ in site.spans] + [(end, -1) for _, end in site.spans])
    in_flight, most = 0, 0
    for _, step in events:
        in_flight += step
        most = max(most, in_flight)
    assert most == 3
