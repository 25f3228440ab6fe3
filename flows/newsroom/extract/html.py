"""HTML pages: trafilatura's body and metadata, htmldate for the date, and the page as text
for our own block classifier; extract/article.py chooses between the two bodies (trafilatura
where the page marks its article up, see `marked_up`)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import lxml.html
from lxml import etree

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "title",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "head", "select", "button"}


@dataclass
class HtmlResult:
    page_text: str  # every block's text on its own line, like a naive scraper saves a page
    body: str | None  # trafilatura's body, None when it found none
    title: str | None
    author: str | None
    sitename: str | None
    published: date | None
    marked_up: bool  # the page marks its article up (Open Graph, JSON-LD, <article>, itemprop=articleBody)


def page_text(html: str) -> str:
    """The page as plain text, one block a line (the same shape as a text-dump scrape)."""
    try:
        text = _tree_text(html)
    except RecursionError:
        text = ""
    # libxml2 gives up on a page nested deeper than it allows (100,000 <div>s: a tree of
    # nothing), and the walk below recurses: such a page is read by a streaming tokenizer.
    return text or streamed_page_text(html)


class _BlockTokenizer(HTMLParser):
    """page_text's blocks from the stdlib's streaming tokenizer: no tree, no depth limit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current.clear()

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.flush()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)


def streamed_page_text(html: str) -> str:
    """page_text by the stdlib's streaming tokenizer: no tree, so no depth limit, and a
    second reading of a page libxml2 misreads."""
    tokenizer = _BlockTokenizer()
    tokenizer.feed(html)
    tokenizer.close()
    tokenizer.flush()
    return "\n".join(tokenizer.lines)


def _tree_text(html: str) -> str:
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(element) -> None:
        if not isinstance(element.tag, str):  # a comment or processing instruction: not page text
            if element.tail:
                current.append(element.tail)
            return
        tag = element.tag
        if tag in _SKIP_TAGS:
            if element.tail:
                current.append(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if element.text and tag != "title":
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return "\n".join(lines)


# trafilatura's two candidates for the body, and one stated choice between them: its
# precision mode drops more furniture, and is taken unless it keeps under this share of the
# words its default mode keeps (then it cut story, not furniture). Chosen on the sites of one
# half of the dev sets and confirmed on the other's: AEB 0.966 -> 0.971, L3S-GN1 0.904 ->
# 0.905; any share from 0.5 to 0.7 scores the same (docs/evaluation.md, 2026-12-02). The
# second extraction costs about 20 ms a page (the default one 44 ms).
PRECISION_KEEPS = 0.7


def _precise_unless_cut(default: str | None, precise: str | None) -> str | None:
    if not default or not precise:
        return default
    return precise if len(precise.split()) >= PRECISION_KEEPS * len(default.split()) else default


def extract_html(html: str, url: str | None, today: date) -> HtmlResult:
    import trafilatura
    from htmldate import find_date

    body = title = author = sitename = None
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
        # the second candidate only where the first found a body (an index page costs one)
        precise = (
            trafilatura.bare_extraction(html, url=url, include_comments=False, favor_precision=True)
            if document is not None and document.text
            else None
        )
    except Exception:  # noqa: BLE001 - trafilatura raises assorted parser errors on broken markup
        document = precise = None
    if document is not None:
        body, title, author, sitename = document.text, document.title, document.author, document.sitename
        body = _precise_unless_cut(body, precise.text if precise is not None else None)
    published = None
    try:
        found = find_date(html, url=url, outputformat="%Y-%m-%d", original_date=True, max_date=today.isoformat())
        if found:
            published = date.fromisoformat(found)
    except Exception:  # noqa: BLE001 - htmldate, like trafilatura, raises assorted errors on broken pages
        published = None
    if published and published > today:
        published = None
    return HtmlResult(
        page_text(html), body or None, title or None, author or None, sitename or None, published, marked_up(html)
    )


_ARTICLE_MARKUP = re.compile(
    r"""property\s*=\s*["']og:|application/ld\+json|<article[\s>]|itemprop\s*=\s*["']articleBody""", re.IGNORECASE
)


def marked_up(html: str) -> bool:
    """Whether the page marks its article up for machines: Open Graph or JSON-LD metadata,
    an <article> element, schema.org's articleBody. trafilatura's heuristics are built for
    such pages; on pages without any (2008's table layouts: every L3S-GN1 page, 1 of AEB's
    88) it keeps comment threads and link lists, and the block classifier reads them better."""
    return _ARTICLE_MARKUP.search(html) is not None
