"""WARC archives as input (the collect stage's own, Common Crawl's CC-NEWS, any crawler's):
each HTML response becomes a RawDocument with its URL and fetch date from the record.

fastwarc reads them (measured by `make bench-collect` against warcio, which writes them).
Only response records are articles: request, metadata, warcinfo and revisit records are
the crawl's bookkeeping and are passed over; a response that is not a 2xx HTML page is
recorded with its reason, like any input that is not an article.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..records import PAGE_TYPES, RawDocument, Rejection, content_id
from .decoding import DecodeError, decode_html, open_binary

WARC_SUFFIXES = (".warc", ".warc.gz")


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | Rejection]:
    source = str(path)
    handle = open_binary(path)
    if isinstance(handle, Rejection):
        yield handle
        return
    responses = 0
    with handle:
        try:
            for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True):
                responses += 1
                yield _document(record, source, max_bytes)
        except (OSError, ValueError) as exc:  # fastwarc raises OSError on a bad header
            yield Rejection(source, "invalid_warc", f"after {responses} responses: {type(exc).__name__}: {exc}")
            return
    if responses == 0:
        yield Rejection(source, "invalid_warc", "no WARC response records (not a WARC file, or an empty one)")


def _document(record, source: str, max_bytes: int) -> RawDocument | Rejection:
    url = record.headers.get("WARC-Target-URI") or ""
    where = f"{source}#{record.stream_pos}"
    http = record.http_headers
    if http is None:
        return Rejection(
            where, "unsupported_format", f"response for {url} has no readable HTTP header (not HTTP, or truncated)"
        )
    if not 200 <= http.status_code < 300:
        return Rejection(where, "http_error", f"HTTP {http.status_code} for {url}")
    content_type = http.get("Content-Type") or "text/html"
    if content_type.split(";")[0].strip().lower() not in PAGE_TYPES:
        return Rejection(where, "unsupported_format", f"{content_type.split(';')[0]} response for {url}: not a page")
    body = record.reader.read(max_bytes + 1)
    if len(body) > max_bytes:
        return Rejection(where, "record_too_large", f"response for {url} exceeds the limit of {max_bytes} bytes")
    try:
        html, encoding, guessed, flags = decode_html(body, content_type)
    except DecodeError as exc:
        return Rejection(where, exc.reason, f"{url}: {exc.detail}", content_id(body.decode("latin-1")))
    if not html.strip():
        return Rejection(where, "empty_file", f"empty response for {url}")
    return RawDocument(
        source_path=where,
        external_id=url[:512] or where,
        input_format="html",
        html=html,
        url=url or None,
        encoding=encoding,
        encoding_guessed=guessed,
        flags=flags,
        fetched_at=_warc_date(record.headers.get("WARC-Date")),
        # written by this product's collect stage (load/archive.py): the outlet as sources.toml names it
        outlet=record.headers.get("WARC-Newsroom-Outlet") or None,
        language=record.headers.get("WARC-Newsroom-Language") or None,
    )


def _warc_date(value: str | None) -> datetime | None:
    try:
        stamp = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
