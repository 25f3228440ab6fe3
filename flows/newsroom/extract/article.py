"""RawDocument -> Article (cleaned body + metadata) or Rejection. Pure: no I/O, no Prefect."""

from __future__ import annotations

import re
from datetime import date

from ..records import Article, RawDocument, Rejection
from ..text import sentences
from . import metadata
from .html import extract_html, streamed_page_text
from .language import article_language
from .plaintext import Extraction, extract_body, prose_words, split_blocks, tidy_body

MIN_BODY_WORDS = 25
MIN_PROSE_WORDS = 12
# A JSON record's text field is the story as its producer cut it, so a short one is a news
# brief ("The parliament election is over in Turkmenistan."), not the remains of an index
# page: it needs only a sentence.
MIN_RECORD_WORDS = 5


def _given_date(raw: str | None, today: date, flags: list[str]) -> date | None:
    if not raw:
        return None
    try:
        found = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        found = metadata.parse_date(raw.strip(), date.max)
    if found is None:
        flags.append("invalid_date_given")
        return None
    if found > today:
        flags.append("future_date_ignored")
        return None
    return found


def build_article(doc: RawDocument, today: date) -> Article | Rejection:
    flags: list[str] = list(doc.flags)
    if doc.encoding_guessed:
        flags.append(f"encoding_guessed:{doc.encoding}")
    published = _given_date(doc.date, today, flags)
    html_result = extract_html(doc.html, doc.url, today) if doc.html is not None else None
    extraction, body, method = _body(doc, html_result)
    rejection = _no_story(doc, extraction, body, method)
    if rejection is not None and doc.html is not None:
        extraction, body, rejection = _reparsed(doc, flags, (extraction, body, rejection))
    if rejection is not None:
        return rejection
    page = html_result or _NO_HTML
    # candidates for each field, then one stated precedence: what the input gives, what the
    # page's text says, what the HTML's metadata says, what the URL says
    published = (
        published
        or page.published
        or metadata.date_from_page(extraction, today)
        or metadata.date_from_url(doc.url, today)
        or _fetch_date(doc, flags)
    )
    title = doc.title or metadata.title_from_page(extraction) or page.title
    outlet = doc.outlet or metadata.outlet(extraction, None) or page.sitename or metadata.outlet_from_url(doc.url)
    byline = metadata.byline(extraction) or page.author
    return Article(
        article_id=doc.article_id,
        external_id=doc.external_id,
        source_path=doc.source_path,
        input_format=doc.input_format,
        body_text=body,
        title=_clean(title),
        published_date=published,
        outlet=_clean(outlet),
        wire_agency=metadata.wire_agency(extraction),
        byline=_clean(byline),
        dateline=metadata.dateline(extraction),
        url=doc.url,
        encoding=doc.encoding,
        encoding_guessed=doc.encoding_guessed,
        extraction_method=method,
        language=article_language(body, doc.language),
        fetched_at=doc.fetched_at,
        quality_flags=flags,
        dateline_end=metadata.dateline_prefix(body),
    )


def _fetch_date(doc: RawDocument, flags: list[str]) -> date | None:
    """The last resort for a fetched page without a date of its own: the day it was fetched
    (a page from a feed is hours old at most; flagged, as it may be later than the story)."""
    if doc.fetched_at is None:
        return None
    flags.append("date_from_fetch")
    return doc.fetched_at.date()


class _NoHtml:
    """Stands in for an HTML extraction's metadata where the input is text."""

    published = title = sitename = author = None


_NO_HTML = _NoHtml()


def _body(doc: RawDocument, html_result) -> tuple[Extraction, str, str]:
    """(the block extraction, the story's text, the method that found it)."""
    if html_result is None:
        extraction = extract_body(doc.text or "")
        return extraction, extraction.body, "blocks"
    extraction = extract_body(html_result.page_text)
    # one stated choice between the two candidates (docs/evaluation.md, 2026-12-07): on a page
    # that marks its article up, trafilatura (AEB 0.968 against the blocks' 0.933); on one
    # that does not, the block classifier where it finds a story (L3S-GN1 0.921 -> 0.954,
    # each site half +0.03); trafilatura wherever the other finds none.
    traf_words = len(html_result.body.split()) if html_result.body else 0
    if traf_words >= MIN_BODY_WORDS and (
        html_result.marked_up or _no_story(doc, extraction, extraction.body, "blocks") is not None
    ):
        body = tidy_body(html_result.body, html_result.title)
        return _align(extraction, body), body, "trafilatura"
    return extraction, extraction.body, "blocks"


def _reparsed(doc: RawDocument, flags: list[str], found: tuple) -> tuple[Extraction, str, Rejection | None]:
    """Before an HTML page is rejected, its blocks read again by the stdlib's tokenizer:
    libxml2, which trafilatura and page_text parse with, can lose the rest of a broken page
    (an L3S-GN1 page of two concatenated documents: a script string in the first swallowed
    the second, the story with it, so both saw 18 words of weather). Only pages about to be
    rejected pay for the second reading."""
    extraction = extract_body(streamed_page_text(doc.html))
    rejection = _no_story(doc, extraction, extraction.body, "blocks")
    if rejection is not None:
        return found
    flags.append("html_reparsed")
    return extraction, extraction.body, None


def sentence_words(body: str) -> int:
    """Words in sentences that end as sentences do (a full stop, a question or exclamation
    mark, a closing quote after one) and have six words or more: a list of headlines has none.
    A table's cell separators end a sentence: trafilatura writes a story laid out in a table
    as "| Munster star Ian Dowling is set to ... injury. |" (a 2008 L3S-GN1 article was
    rejected so)."""
    text = _CELL_SEPARATOR.sub("\n", body)
    return sum(n for s in sentences(text) if (n := len(s.split())) >= 6 and _SENTENCE_TERMINAL.search(s))


_SENTENCE_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_CELL_SEPARATOR = re.compile(r"[ \t]*\|[ \t]*")


def _no_story(doc: RawDocument, extraction: Extraction, body: str, method: str) -> Rejection | None:
    """A rejection where too little story was found; a story has at least one
    sentence-shaped paragraph (a list of links has none)."""
    words = len(body.split())
    given_text = doc.input_format == "jsonl" and doc.html is None
    least_words, least_prose = (MIN_RECORD_WORDS, MIN_RECORD_WORDS) if given_text else (MIN_BODY_WORDS, MIN_PROSE_WORDS)
    # trafilatura's body is prose when it holds sentences, however its blocks are shaped: a
    # 2008 page's story came back as one 394-word block with pipes in it, which the block
    # classifier calls furniture (39 of the 316 L3S-GN1 dev articles were rejected so)
    prose = sentence_words(body) if method == "trafilatura" else prose_words(body)
    if words >= least_words and prose >= least_prose:
        return None
    longest = max((b.words for b in extraction.blocks), default=0)
    return Rejection(
        doc.source_path,
        "no_article_body",
        f"no story text found: {words} words kept, longest block {longest} words (an index or empty page?)",
        doc.article_id,
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def _align(extraction: Extraction, body: str) -> Extraction:
    """Re-anchor the page's blocks on trafilatura's body, so the metadata readers see the
    furniture before and after the story that trafilatura chose."""
    blocks = extraction.blocks
    body_blocks = split_blocks(body)
    if not body_blocks:
        return extraction
    first, last = body_blocks[0].text[:60], body_blocks[-1].text[:60]
    starts = [b.index for b in blocks if b.text.startswith(first)]
    ends = [b.index for b in blocks if b.text.startswith(last)]
    if not starts:
        return extraction
    start = starts[0]
    end = next((e + 1 for e in ends if e >= start), start + len(body_blocks))
    return Extraction(body, blocks, start, min(end, len(blocks)), list(range(start, min(end, len(blocks)))))
