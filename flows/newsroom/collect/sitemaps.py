"""A sitemap's pages and sub-sitemaps, parsed by ultimate-sitemap-parser from a document the
fetcher already has (so that robots.txt, politeness and the archive apply to sitemaps too):
XML sitemaps and sitemap indexes, Google News sitemaps (<news:publication_date>), RSS/Atom
and plain-text sitemaps. A gzipped sitemap (sitemap.xml.gz) is unpacked here, within the
fetcher's size cap.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from datetime import UTC

from usp.objects.sitemap import InvalidSitemap
from usp.tree import sitemap_from_str

from .feeds import FeedItem
from .urls import normalize_url


@dataclass
class ParsedSitemap:
    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # the index's sitemaps, to fetch next
    error: str | None = None
    detail: str = ""


def parse_sitemap(body: bytes, url: str, max_bytes: int) -> ParsedSitemap:
    try:
        text = _unpacked(body, max_bytes).decode("utf-8", errors="replace")
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return ParsedSitemap(error="malformed_sitemap", detail=f"gzip: {exc}")
    parsed = sitemap_from_str(text)
    if isinstance(parsed, InvalidSitemap) and not parsed.sub_sitemaps:
        return ParsedSitemap(error="malformed_sitemap", detail=parsed.reason[:300])
    items = {}
    for page in parsed.all_pages():
        link = normalize_url(page.url, url)
        if link and link not in items:
            items[link] = FeedItem(link, _news_title(page), _page_time(page))
    subs = [u for s in parsed.sub_sitemaps if (u := normalize_url(s.url, url))]
    return ParsedSitemap(list(items.values()), subs)


def _unpacked(body: bytes, max_bytes: int) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"unpacks to more than {max_bytes} bytes")
    return data


def _news_title(page) -> str | None:
    return page.news_story.title if page.news_story else None


def _page_time(page):
    stamp = (page.news_story.publish_date if page.news_story else None) or page.last_modified
    if stamp is None:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
