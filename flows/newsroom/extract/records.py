"""The records that flow between stages. Plain dataclasses so every stage is testable alone."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


def content_id(text: str, length: int = 16) -> str:
    """A stable id derived from content: the same text always gets the same id.

    Whitespace is folded first so that a copy saved with other line endings or
    trailing spaces is recognised as the same content.
    """
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:length]


@dataclass
class RawDocument:
    """One article's worth of raw input, decoded to text but not yet cleaned."""

    source_path: str
    external_id: str
    input_format: str  # txt | html | jsonl
    text: str | None = None  # plain-text page scrape or already-clean text
    html: str | None = None
    url: str | None = None
    date: str | None = None  # as given by the input (header, JSONL field)
    outlet: str | None = None
    title: str | None = None
    encoding: str | None = None
    encoding_guessed: bool = False

    @property
    def raw_content(self) -> str:
        return self.html if self.html is not None else (self.text or "")

    @property
    def article_id(self) -> str:
        return content_id(self.raw_content)


@dataclass
class Rejection:
    """An input that could not become an article, with a reason an operator can act on."""

    source_path: str
    reason: str  # short machine-friendly code, e.g. empty_file, binary_file
    detail: str = ""
    content_sha: str | None = None


@dataclass
class Article:
    article_id: str
    external_id: str
    source_path: str
    input_format: str
    body_text: str
    title: str | None = None
    published_date: date | None = None
    outlet: str | None = None
    wire_agency: str | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    encoding: str | None = None
    encoding_guessed: bool = False
    extraction_method: str = ""
    quality_flags: list[str] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.body_text.split())
