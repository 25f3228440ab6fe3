"""The WARC archive of everything the collect stage fetched (warcio writes it): a run can be
replayed offline, and nothing fetched is lost even where extraction later fails.

Two files a pass, gzip per record: `pages-*.warc.gz` holds the article responses, which the
ingest reads as input (extract/inputs.py); `feeds-*.warc.gz` the feeds, sitemaps and
robots.txt. Each is written under a hidden name and renamed when complete, so that nothing
reads a half-written archive (the input walk skips hidden files).
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..records import Fetch

# httpx hands over the body decoded: the archived headers must not claim an encoding or
# a length it no longer has (warcio writes the true Content-Length)
_DROPPED = {"content-encoding", "transfer-encoding", "content-length"}


# Extension fields (WARC 1.1 allows them) carrying what sources.toml says of the page's
# outlet, so that the ingest, or a replay years later, knows it without the config.
OUTLET_FIELD = "WARC-Newsroom-Outlet"
LANGUAGE_FIELD = "WARC-Newsroom-Language"


class WarcArchive:
    def __init__(self, folder: Path, run_id: str, languages: dict[str, str | None] | None = None):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.folder = folder / datetime.now(UTC).strftime("%Y/%m/%d")
        self.names = {kind: f"{kind}-{stamp}-{run_id}.warc.gz" for kind in ("pages", "feeds")}
        self._files: dict[str, tuple] = {}
        self.counts = {"pages": 0, "feeds": 0}
        self.languages = languages or {}  # outlet name -> its configured language

    def __call__(self, fetch: Fetch) -> None:
        kind = "pages" if fetch.kind == "page" else "feeds"
        writer = self._writer(kind)
        status = f"{fetch.status} {_reason(fetch.status)}"
        headers = StatusAndHeaders(
            status, [(k, v) for k, v in fetch.headers if k.lower() not in _DROPPED], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            fetch.final_url or fetch.url,
            "response",
            payload=io.BytesIO(fetch.body),
            http_headers=headers,
            warc_headers_dict=self._fields(fetch),
        )
        writer.write_record(record)
        self.counts[kind] += 1

    def _fields(self, fetch: Fetch) -> dict[str, str]:
        fields = {"WARC-Date": _warc_date(fetch.fetched_at), OUTLET_FIELD: fetch.outlet}
        if self.languages.get(fetch.outlet):
            fields[LANGUAGE_FIELD] = self.languages[fetch.outlet]
        return fields

    def _writer(self, kind: str) -> WARCWriter:
        if kind not in self._files:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / f".{self.names[kind]}.part", "wb")
            writer = WARCWriter(handle, gzip=True)
            writer.write_record(writer.create_warcinfo_record(self.names[kind], {"software": "newsroom collect"}))
            self._files[kind] = (handle, writer)
        return self._files[kind][1]

    def close(self) -> list[str]:
        """Finish the files (fsync, rename into place); the pages archives written. Called
        however the run ends: what was fetched is kept even when the run fails."""
        pages = []
        for kind, (handle, _) in self._files.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            final = self.folder / self.names[kind]
            os.replace(self.folder / f".{self.names[kind]}.part", final)
            if kind == "pages":
                pages.append(str(final))
        self._files.clear()
        return pages


def _warc_date(stamp: datetime | None) -> str:
    return (stamp or datetime.now(UTC).replace(tzinfo=None)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
