"""Article metadata read from the text around and at the start of the story.

Each reader returns None when the page does not say: a null is honest, a guess is not.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from urllib.parse import urlparse

from ..text import DATE_PATTERNS, MONTH_PATTERN, MONTHS, TITLE_STOPWORDS, dates_in
from .plaintext import Extraction

# Wire agencies and the spellings they are credited under, canonical name first.
WIRE_AGENCIES: dict[str, list[str]] = {
    "AP": ["AP", "Associated Press", "The Associated Press"],
    "Reuters": ["Reuters", "Thomson Reuters"],
    "AFP": ["AFP", "Agence France-Presse", "Agence France Presse"],
    "PTI": ["PTI", "Press Trust of India"],
    "IANS": ["IANS", "Indo-Asian News Service"],
    "ANI": ["ANI", "Asian News International"],
    "UPI": ["UPI", "United Press International"],
    "dpa": ["dpa", "DPA", "Deutsche Presse-Agentur"],
    "EFE": ["EFE"],
    "ANSA": ["ANSA"],
    "Xinhua": ["Xinhua"],
    "Yonhap": ["Yonhap"],
    "Kyodo": ["Kyodo", "Kyodo News"],
    "Bloomberg": ["Bloomberg", "Bloomberg News"],
    "CNA": ["CNA"],
    "TASS": ["TASS"],
}
_AGENCY_BY_NAME = {alias.casefold(): canon for canon, aliases in WIRE_AGENCIES.items() for alias in aliases}
_AGENCY_ALT = "|".join(
    sorted({re.escape(a) for aliases in WIRE_AGENCIES.values() for a in aliases}, key=len, reverse=True)
)

# "AP | Seoul (South Korea)", "Reuters | Washington"
_AGENCY_LINE = re.compile(rf"^(?P<agency>{_AGENCY_ALT})\s*[|/•-]\s*(?P<place>[A-Z][\w .'-]+?)(?:\s*\(.*\))?\s*$")
# "SEOUL (Reuters) -", "WASHINGTON (AP) —"
_AGENCY_PAREN = re.compile(rf"\((?P<agency>{_AGENCY_ALT})\)\s*[—–-]{{1,2}}")
# "The Associated Press contributed to this report", "With inputs from PTI", "-- Agence France-Presse"
_AGENCY_CREDIT = re.compile(
    rf"(?:(?P<a1>{_AGENCY_ALT})\s+(?:\w+\s+){{0,3}}contributed\s+to\s+this\s+report"
    rf"|(?:with\s+inputs?\s+from|source|via|courtesy|credit)\s*:?\s*(?P<a2>{_AGENCY_ALT})\b"
    rf"|^\s*[—–-]{{1,2}}\s*(?P<a3>{_AGENCY_ALT})\s*$"
    rf"|^(?P<a4>{_AGENCY_ALT})$)",
    re.IGNORECASE,
)

# "SEOUL, South Korea —", "Seoul, South Korea —", "WASHINGTON (AP) —", "LONDON:"
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z.'’-]+(?:\s[A-Z][A-Za-z.'’-]+){0,2})"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2})?"
    r"(?:\s*\([^)]{1,40}\))?"
    r"\s*(?:[—–]|--|-\s|:\s)"
)
_BYLINE = re.compile(
    r"^(?:by|written\s+by|words\s+by)\s+(?P<name>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|van|von|de|da|del|bin|al)){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)",
    re.IGNORECASE,
)

_PUBLISHED_CUE = re.compile(r"\b(?:published|posted|updated|last\s+modified|dated?)\b", re.IGNORECASE)
# What a line that only dates the page holds beside the date: weekdays, times, zones, cues.
_DATE_LINE_REST = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b\d{1,2}\s?:\s?\d\d(?:\s?:\s?\d\d)?\s*(?:[ap]\.?m\.?)?"
    r"|\b(?:[ap]m|[a-z]{1,2}[sd]t|gmt|utc|ist|cet|et|pt|on|at|by|first|last|published|posted|updated|dated?)\b"
    r"|[^\w]+",
    re.IGNORECASE,
)


def parse_date(text: str | None, today: date) -> date | None:
    """The first well-formed, non-future calendar date in text."""
    return next((found for found in dates_in(text or "") if found <= today), None)


def _date_line(text: str, today: date) -> date | None:
    """The date of a line that holds a date and nothing else of substance ("Friday, June 7,
    2013", "Updated 4/9/2007 6:04 PM"): a page's own dateline, wherever the block classifier
    put it (such lines look like furniture, or sit between the deck and the story)."""
    found = parse_date(text, today)
    if found is None:
        return None
    rest = text
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return found if not _DATE_LINE_REST.sub(" ", rest).split() else None


def date_from_page(extraction: Extraction, today: date) -> date | None:
    """A publication date printed on the page: a 'Published ...' line anywhere, else a date
    in the few lines right above the story (the byline area), else a line holding only a
    date among those or the story's first lines. Navigation is never read: headline lists
    are classified as furniture before we get here."""
    for block in extraction.blocks:
        if _PUBLISHED_CUE.search(block.text) and block.words <= 25:
            found = parse_date(block.text, today)
            if found:
                return found
    above = extraction.before[-6:]
    for block in above:
        if block.kind != "furniture" and block.words <= 25:
            found = parse_date(block.text, today)
            if found:
                return found
    opening = [extraction.blocks[i] for i in extraction.kept[:4]]
    for block in above + opening:
        if block.words <= 12:
            found = _date_line(block.text, today)
            if found:
                return found
    return None


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)} - TITLE_STOPWORDS


def title_from_page(extraction: Extraction) -> str | None:
    """The headline: a headline-shaped line above the story that shares most of its words
    with the story's opening paragraphs."""
    opening = _content_words(" ".join(extraction.blocks[i].text for i in extraction.kept[:4]))
    best, best_score = None, 0.0
    candidates = extraction.before[-15:]
    for distance, block in enumerate(reversed(candidates)):
        if not 3 <= block.words <= 25 or block.kind in ("end", "furniture"):
            continue
        if block.text.endswith(".") and block.words > 12:
            continue
        words = _content_words(block.text)
        if len(words) < 2:
            continue
        score = len(words & opening) / len(words) - distance * 0.01
        if score > best_score:
            best, best_score = block.text, score
    return best if best_score >= 0.4 else None


def wire_agency(extraction: Extraction) -> str | None:
    """The agency a story is credited to, from credit lines around it or its opening."""
    lines = [b.text for b in extraction.before[-12:]] + [extraction.blocks[i].text for i in extraction.kept[:1]]
    lines += [extraction.blocks[i].text for i in extraction.kept[-3:]] + [b.text for b in extraction.after[:6]]
    for line in lines:
        for pattern in (_AGENCY_LINE, _AGENCY_PAREN):
            match = pattern.search(line)
            if match:
                return _AGENCY_BY_NAME[match.group("agency").casefold()]
        match = _AGENCY_CREDIT.search(line)
        if match:
            name = next(g for g in match.groups() if g)
            return _AGENCY_BY_NAME[name.casefold()]
    return None


def dateline(extraction: Extraction) -> str | None:
    """The place a story was filed from, title-cased: 'SEOUL, South Korea —' -> 'Seoul'."""
    for block in extraction.before[-12:]:
        match = _AGENCY_LINE.match(block.text)
        if match:
            return _title_place(match.group("place"))
    if extraction.kept:
        match = _dateline_match(extraction.blocks[extraction.kept[0]].text)
        if match:
            return _title_place(match.group("city"))
    return None


_NOT_PLACES = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "This",
    "That",
    "Update",
    "Editor's",
    "Note",
}


def _looks_like_sentence_start(city: str) -> bool:
    return city.split()[0] in _NOT_PLACES


_LEAD_WORDS = 20  # "LONDON: " opens a story's first paragraph; "Lynch: ..." on a short line is a headline


def _dateline_match(text: str):
    match = _DATELINE.match(text)
    if match is None or _looks_like_sentence_start(match.group("city")):
        return None
    if match.group().rstrip().endswith(":") and len(text[match.end() :].split("\n", 1)[0].split()) < _LEAD_WORDS:
        return None
    return match


def dateline_prefix(body: str) -> int:
    """Length of the dateline that opens a body ('SEOUL, South Korea — '), 0 if none."""
    match = _dateline_match(body)
    return match.end() if match else 0


def _title_place(place: str) -> str:
    place = place.strip(" ,")
    return place.title() if place.isupper() else place


def byline(extraction: Extraction) -> str | None:
    """'By Jane Doe and John Roe' above the story (or on its first line)."""
    lines = [b.text for b in extraction.before[-10:]]
    if extraction.kept:
        lines.append(extraction.blocks[extraction.kept[0]].text)
    for line in lines:
        match = _BYLINE.match(line)
        if match and len(line.split()) <= 16:
            name = re.split(r"\s*[|,]\s*(?=[A-Z]{2,}|\d|Updated|Published)", match.group("name"))[0]
            return name.strip(" ,.")
    return None


_OUTLET_PATTERNS = [
    re.compile(
        r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[A-Z][\w&.'’ -]{1,40}?)(?:\.|,|\s+all rights|\s+ltd|\s+limited|\s+inc|$)",
        re.IGNORECASE,
    ),
    re.compile(r"\bsubscribe\s+to\s+(?P<name>(?:the\s+)?[A-Z][\w&'’]+(?:\s+[A-Z][\w&'’]+){0,3})"),
    re.compile(r"\bby\s+the\s+(?P<name>[A-Z][\w&'’]+(?:\s+[A-Z][\w&'’]+){0,3})\s+staff\b"),
    re.compile(r"^(?P<name>[A-Z][\w&'’]+(?:\s+[A-Z][\w&'’]+){0,3})\s+(?:has\s+always|is\s+committed|newsroom|staff)\b"),
]


def outlet(extraction: Extraction, url: str | None = None) -> str | None:
    """The publishing outlet: a name the page's own furniture repeats (masthead line,
    copyright, 'subscribe to X', 'the X staff'), else the URL's site name."""
    votes: Counter[str] = Counter()
    kept = set(extraction.kept)
    furniture = [b for b in extraction.blocks if b.index not in kept]
    for block in furniture:
        for pattern in _OUTLET_PATTERNS:
            for match in pattern.finditer(block.text):
                name = match.group("name").strip(" .,")
                if 1 <= len(name.split()) <= 4 and name.casefold() not in _AGENCY_BY_NAME:
                    votes[name] += 2
    # A masthead is a short capitalised line that the furniture names again.
    for block in extraction.before:
        if 1 <= block.words <= 4 and block.text[:1].isupper() and not block.text.endswith((".", "?", "!")):
            name = block.text.strip()
            mentions = sum(name in b.text for b in furniture if b is not block)
            if mentions:
                votes[name] += 1 + mentions
    if votes:
        name, score = votes.most_common(1)[0]
        if score >= 3:
            return name
    return outlet_from_url(url)


def _parse_url(url: str | None):
    """urlparse, or None for a missing or malformed URL ('http://[::1' raises): a bad URL
    field costs its metadata, never the article."""
    if not url:
        return None
    try:
        parts = urlparse(url)
        parts.hostname  # noqa: B018 - a malformed netloc raises only when read
    except ValueError:
        return None
    return parts


def outlet_from_url(url: str | None) -> str | None:
    """'https://www.business-standard.com/...' -> 'business-standard.com' (the site, as named
    by its domain: a readable label that never invents a spelling)."""
    parts = _parse_url(url if not url or "//" in url else f"//{url}")
    if parts is None:
        return None
    host = parts.hostname or ""
    host = re.sub(r"^(?:www\d?|m|amp|mobile|edition|news)\.", "", host.lower())
    return host or None


# /2009/04/28/, /2009-04-28-, /2013/may/03/ in a path: most news sites file stories by date
_URL_DATE = re.compile(
    rf"/(?P<y>(?:19|20)\d\d)[/_-](?:(?P<m>0?[1-9]|1[0-2])|{MONTH_PATTERN})[/_-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)",
    re.IGNORECASE,
)


def date_from_url(url: str | None, today: date) -> date | None:
    """The date a news site filed the story under in its URL, if it is a real, past one."""
    parts = _parse_url(url)
    match = _URL_DATE.search(parts.path) if parts else None
    if match is None:
        return None
    month = int(match["m"]) if match["m"] else MONTHS[match["mon"][:3].lower()]
    try:
        found = date(int(match["y"]), month, int(match["d"]))
    except ValueError:
        return None
    return found if found <= today else None
