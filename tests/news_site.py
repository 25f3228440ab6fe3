"""A news site on 127.0.0.1 for the collect tests: feeds, sitemaps and article pages built,
at test time, from pages of ../shared/eval (read there, never copied into the repo), and
every way a real site misbehaves: 404, 500 then 200, a response slower than the timeout, a
redirect loop, a robots.txt disallow, gzip, a page in UTF-8 labelled ISO-8859-1, a malformed
feed, a 10,000-item feed, one story at two URLs, a feed that answers 304 to
If-None-Match and a sitemap that answers 304 to If-Modified-Since.

The server logs every request (path, headers), so tests can check what was fetched how often.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EVAL = Path(os.environ.get("NEWSROOM_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval"))
L3S = EVAL / "extraction" / "l3s_gn1" / "html"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    fail_first: int = 0  # answer 500 this many times, then as above
    gzip: bool = False


class Site:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict]] = []
        self.spans: list[tuple[float, float]] = []  # (start, end) of each response, time.monotonic()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                started = time.monotonic()
                try:
                    self._get()
                finally:
                    site.spans.append((started, time.monotonic()))

            def _get(self):
                site.requests.append((self.path, dict(self.headers)))
                page = site.pages.get(self.path)
                if page is None:
                    return self._send(404, b"<html><body>not found</body></html>", "text/html", {})
                if page.fail_first > 0:
                    page.fail_first -= 1
                    return self._send(500, b"server error", "text/plain", {})
                if page.delay:
                    time.sleep(page.delay)
                etag, modified = page.headers.get("ETag"), page.headers.get("Last-Modified")
                if etag and self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", None, {"ETag": etag})
                if modified and self.headers.get("If-Modified-Since") == modified:
                    return self._send(304, b"", None, {"Last-Modified": modified})
                body, headers = page.body, dict(page.headers)
                if page.gzip:
                    body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
                self._send(page.status, body, page.content_type, headers)

            def _send(self, status, body, content_type, headers):
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
                    pass

        return Handler


def eval_pages(count: int) -> list[bytes]:
    """`count` real news pages (L3S-GN1), as their bytes."""
    files = sorted(L3S.glob("*.html.gz"))[:count]
    assert len(files) == count, f"needs {count} pages in {L3S}"
    return [gzip.decompress(f.read_bytes()) for f in files]


def rss(base: str, paths: list[str], title: str = "Feed") -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}{path}</link>"
        f"<pubDate>Tue, 01 Dec 2026 {n % 24:02d}:00:00 GMT</pubDate></item>"
        for n, path in enumerate(paths)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


def news_sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{path}</loc><news:news><news:publication><news:name>Site</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-12-01T10:00:00Z</news:publication_date>"
        f"<news:title>Story</news:title></news:news></url>"
        for path in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(base: str, paths: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{base}{path}</loc></sitemap>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


UTF8_STORY = (
    "<html><head><title>Harbour \u2019reopens\u2019 after storm</title></head><body><article>"
    + "".join(
        f"<p>The harbour at Sm\u00f8la reopened on Tuesday, {n} days after the storm, the port\u2019s "
        "director said. \u201cWe are back,\u201d she told reporters on the quay, where cranes were "
        "unloading the first ferry of the week while engineers checked the sea wall.</p>"
        for n in range(2, 8)
    )
    + "</article></body></html>"
)


FRENCH_STORY = (
    "<html><head><title>Le port rouvre apr\u00e8s la temp\u00eate</title></head><body><article>"
    + "".join(
        f"<p>Le port de Saint-Malo a rouvert mardi, {n} jours apr\u00e8s la temp\u00eate, a indiqu\u00e9 sa "
        "directrice. \u00ab Nous sommes de retour \u00bb, a-t-elle d\u00e9clar\u00e9 aux journalistes sur le "
        "quai, o\u00f9 les grues d\u00e9chargeaient le premier ferry de la semaine.</p>"
        for n in range(2, 8)
    )
    + "</article></body></html>"
)


def build(site: Site, timeout: float) -> dict:
    """Every route of the site; returns what the tests expect of each page path."""
    base = site.url
    pages = eval_pages(8)
    expect: dict[str, str] = {}
    for n, body in enumerate(pages[:4]):
        site.pages[f"/news/{n}.html"] = Page(body, "text/html")  # no charset: header-less like many sites
        expect[f"/news/{n}.html"] = "loaded"
    site.pages["/mirror/0.html"] = Page(pages[0], "text/html")  # the same story at a second URL
    expect["/mirror/0.html"] = "duplicate"
    site.pages["/gzip.html"] = Page(pages[4], "text/html", gzip=True)
    expect["/gzip.html"] = "loaded"
    site.pages["/wrong-charset.html"] = Page(UTF8_STORY.encode("utf-8"), "text/html; charset=iso-8859-1")
    expect["/wrong-charset.html"] = "loaded"
    site.pages["/fr/port.html"] = Page(FRENCH_STORY.encode("utf-8"), "text/html; charset=utf-8")
    expect["/fr/port.html"] = "loaded"
    site.pages["/flaky.html"] = Page(pages[5], "text/html", fail_first=1)
    expect["/flaky.html"] = "loaded"
    site.pages["/slow.html"] = Page(pages[6], "text/html", delay=timeout + 1.5)
    expect["/slow.html"] = "timeout"
    site.pages["/loop-a.html"] = Page(b"", status=302, headers={"Location": "/loop-b.html"})
    site.pages["/loop-b.html"] = Page(b"", status=302, headers={"Location": "/loop-a.html"})
    expect["/loop-a.html"] = "too_many_redirects"
    expect["/missing.html"] = "http_error"
    site.pages["/private/secret.html"] = Page(pages[7], "text/html")
    expect["/private/secret.html"] = "robots_disallowed"
    site.pages["/report.pdf"] = Page(b"%PDF-1.4 a report", "application/pdf")
    expect["/report.pdf"] = "not_html"
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")

    listed = [p for p in expect if p not in ("/gzip.html", "/wrong-charset.html")]
    main = rss(base, listed).replace(b"/news/1.html<", b"/news/1.html?utm_source=rss&amp;utm_medium=feed<")
    # the same item twice: once plain, once with tracking parameters and a fragment
    main = main.replace(b"</channel>", f"<item><link>{base}/news/1.html#top</link></item></channel>".encode())
    site.pages["/feed.xml"] = Page(main, "application/rss+xml", headers={"ETag": '"v1"'})
    site.pages["/broken-feed.xml"] = Page(b"<rss><channel><item><title>\x00\x01 not xml", "application/rss+xml")
    site.pages["/big-feed.xml"] = Page(rss(base, [f"/bulk/{n}.html" for n in range(10_000)]), "application/rss+xml")
    site.pages["/sitemap-index.xml"] = Page(
        sitemap_index(base, ["/news-sitemap.xml"]),
        "application/xml",
        headers={"Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
    )
    site.pages["/news-sitemap.xml"] = Page(news_sitemap(base, ["/gzip.html", "/wrong-charset.html"]), "application/xml")
    return expect


def small_build(site: Site) -> list[str]:
    """Two article pages in a feed, and a feed that is broken: the served deployment's site."""
    paths = ["/news/0.html", "/news/1.html"]
    for path, body in zip(paths, eval_pages(2), strict=True):
        site.pages[path] = Page(body, "text/html")
    site.pages["/feed.xml"] = Page(rss(site.url, paths), "application/rss+xml")
    site.pages["/broken-feed.xml"] = Page(b"<rss><channel><item>\x00 broken", "application/rss+xml")
    return paths


def small_sources_toml(base: str) -> str:
    return (
        '[fetch]\ndelay_seconds = 0\ntimeout_seconds = 5\n[[outlet]]\nname = "Local Site"\n'
        f'feeds = ["{base}/feed.xml", "{base}/broken-feed.xml"]\n'
    )


def sources_toml(base: str, timeout: float, max_new_pages: int = 40) -> str:
    return f"""
[fetch]
user_agent = "newsroom-test/1.0"
timeout_seconds = {timeout}
retries = 1
backoff_seconds = 0.05
delay_seconds = 0
concurrency = 8
max_new_pages = {max_new_pages}

[[outlet]]
name = "Local Site"
language = "en"
feeds = ["{base}/feed.xml", "{base}/broken-feed.xml"]
sitemaps = ["{base}/sitemap-index.xml"]

[[outlet]]
name = "Bulk Wire"
feeds = ["{base}/big-feed.xml"]
max_new_pages = 25
"""
