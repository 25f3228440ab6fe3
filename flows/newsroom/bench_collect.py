"""`newsroom bench collect` (`make bench-collect`): the collect stage against a site served
from this process on 127.0.0.1, politeness off, and the choices its libraries stand on, each
measured against its alternative in the same run (ratios; these machines are shared):

- pages fetched and archived per second, then extracted per second, from the local server;
- the same pages ingested from the WARC archive against read as HTML files (ratio);
- reading the archive with fastwarc against warcio;
- parsing a 10,000-item RSS feed with feedparser against fastfeedparser, and which of them
  keeps the links of malformed feeds right.

The pages are the HTML of ../shared/eval/extraction (AEB and L3S-GN1), read at run time.
"""

from __future__ import annotations

import gzip
import shutil
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .bench import EVAL
from .collect.feeds import parse_feed
from .collect.sources import FetchPolicy, Outlet, Sources
from .collect.stage import Known, collect
from .extract.article import build_article
from .extract.inputs import iter_input_files, read_documents
from .load.archive import WarcArchive
from .records import RawDocument


def _pages(eval_dir: Path) -> list[bytes]:
    folders = [eval_dir / "extraction" / name / "html" for name in ("aeb", "l3s_gn1")]
    return [gzip.decompress(p.read_bytes()) for folder in folders for p in sorted(folder.glob("*.html.gz"))]


def _serve(routes: dict[str, tuple[bytes, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body, content_type = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>Page {n}</title><link>{base}{p}</link></item>" for n, p in enumerate(paths))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}</channel></rss>'.encode()


def _extract_all(documents) -> tuple[int, float]:
    """(articles extracted, seconds) over RawDocuments and Rejections."""
    started, today, articles = time.perf_counter(), date.today(), 0
    for document in documents:
        if isinstance(document, RawDocument):
            articles += hasattr(build_article(document, today), "body_text")
    return articles, time.perf_counter() - started


def _collect_pages(pages: list[bytes], workdir: Path) -> tuple[str, float, int]:
    routes = {f"/p/{n}.html": (body, "text/html") for n, body in enumerate(pages)}
    server = _serve(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes["/feed.xml"] = (_rss(base, sorted(r for r in routes if r.startswith("/p/"))), "application/rss+xml")
    policy = FetchPolicy(delay_seconds=0, concurrency=8, per_host_connections=8, max_new_pages=len(pages), retries=0)
    sources = Sources(policy, (Outlet("bench", (f"{base}/feed.xml",), policy=policy),))
    archive = WarcArchive(workdir / "archive", "bench")
    started = time.perf_counter()
    result = collect(sources, Known(), archive)
    (pages_warc,) = archive.close()
    seconds = time.perf_counter() - started
    server.shutdown()
    return pages_warc, seconds, sum(1 for f in result.fetches if f.kind == "page" and f.ok)


def _warc_readers(path: str) -> tuple[float, float]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    started = time.perf_counter()
    with open(path, "rb") as handle:
        fast = sum(len(r.reader.read()) for r in ArchiveIterator(handle, record_types=WarcRecordType.response))
    fastwarc_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with open(path, "rb") as handle:
        slow = sum(len(r.content_stream().read()) for r in WarcioIterator(handle) if r.rec_type == "response")
    assert fast == slow, "the two readers disagree on the archive's bytes"
    return fastwarc_seconds, time.perf_counter() - started


MALFORMED_FEEDS = {  # a feed as found in the wild -> the links a parser must return
    "bare ampersand": (b"<rss><channel><item><title>a & b</title><link>http://a.example/x?p=1&q=2</link></item>", ["http://a.example/x?p=1&q=2"]),
    "unclosed items": (b"<rss><channel><item><link>http://a.example/1</link></item><item><link>http://a.example/2</link>", ["http://a.example/1", "http://a.example/2"]),
    "declared utf-8, written latin-1": ('<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>Caf\xe9</title><link>http://a.example/c</link></item></channel></rss>'.encode("latin-1"), ["http://a.example/c"]),
}  # fmt: skip


def _feed_parsers() -> dict:
    import fastfeedparser
    import feedparser

    big = _rss("https://a.example", [f"/news/{n}" for n in range(10_000)])
    timings = {}
    for name, parse in (("feedparser", feedparser.parse), ("fastfeedparser", fastfeedparser.parse)):
        started = time.perf_counter()
        entries = len(parse(big)["entries"])
        timings[name] = (time.perf_counter() - started, entries)
    right = {"feedparser": 0, "fastfeedparser": 0}
    for body, links in MALFORMED_FEEDS.values():
        right["feedparser"] += [e.get("link") for e in feedparser.parse(body).entries] == links
        try:
            right["fastfeedparser"] += [e.get("link") for e in fastfeedparser.parse(body)["entries"]] == links
        except ValueError:
            pass
    ours = sum(
        [i.url for i in parse_feed(body, "http://a.example/feed").items] == links
        for body, links in MALFORMED_FEEDS.values()
    )
    return {"timings": timings, "right": right, "ours": ours}


def run(workdir: Path, eval_dir: Path = EVAL) -> dict:
    shutil.rmtree(workdir / "archive", ignore_errors=True)
    shutil.rmtree(workdir / "html", ignore_errors=True)
    pages = _pages(eval_dir)
    warc, fetch_seconds, fetched = _collect_pages(pages, workdir)
    from_warc, warc_seconds = _extract_all(read_documents(Path(warc)))
    (workdir / "html").mkdir(parents=True)
    for n, body in enumerate(pages):
        (workdir / "html" / f"{n}.html").write_bytes(body)
    files = [p for p in iter_input_files(workdir / "html") if isinstance(p, Path)]
    from_html, html_seconds = _extract_all(d for p in files for d in read_documents(p))
    fastwarc_seconds, warcio_seconds = _warc_readers(warc)
    parsers = _feed_parsers()
    figures = {
        "pages": len(pages),
        "fetched_per_second": fetched / fetch_seconds,
        "fetched_and_extracted_per_second": fetched / (fetch_seconds + warc_seconds),
        "warc_ingest_vs_html_files": (from_warc / warc_seconds) / (from_html / html_seconds),
        "fastwarc_vs_warcio": warcio_seconds / fastwarc_seconds,
        **parsers,
    }
    _print(figures, fetched, from_warc, from_html)
    return figures


def _print(f: dict, fetched: int, from_warc: int, from_html: int) -> None:
    timings, right = f["timings"], f["right"]
    print(f"collect: {fetched}/{f['pages']} pages fetched and archived from 127.0.0.1 (politeness off)")
    print(f"  fetched and archived:     {f['fetched_per_second']:.0f} pages/s")
    print(f"  fetched, then extracted:  {f['fetched_and_extracted_per_second']:.1f} pages/s")
    print(f"  WARC ingest against the same pages as HTML files: {f['warc_ingest_vs_html_files']:.2f}x "
          f"({from_warc} and {from_html} articles)")  # fmt: skip
    print(f"  reading the archive: fastwarc {f['fastwarc_vs_warcio']:.1f}x faster than warcio")
    (fp, n1), (ffp, n2) = timings["feedparser"], timings["fastfeedparser"]
    print(f"feeds: 10,000 items: feedparser {fp:.2f} s ({n1}), fastfeedparser {ffp:.2f} s ({n2}): {fp / ffp:.0f}x")
    print(f"  malformed feeds with every link right, of {len(MALFORMED_FEEDS)}: feedparser {right['feedparser']}, "
          f"fastfeedparser {right['fastfeedparser']}, ours (feedparser + JSON Feed) {f['ours']}")  # fmt: skip
