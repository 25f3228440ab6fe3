"""Text utilities every stage shares, one of each: words, stop words, light stems,
sentences, shingles, numbers and calendar dates."""

from __future__ import annotations

import functools
import re
import zlib
from datetime import date

import numpy as np

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according mr mrs ms s t don didn doesn isn wasn weren won
""".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


@functools.lru_cache(maxsize=1 << 16)  # called for every word of every article; vocabularies repeat
def stem(word: str) -> str:
    """A deliberately light suffix-stripper: enough to match 'exported' with 'export' in a
    paraphrase, cheap enough for every word of every article."""
    word = word.split("'")[0]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit() or w.isdigit() and len(w) > 1]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


_ROLL = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit multiplier (golden ratio)


def shingles(text: str, k: int = 5) -> np.ndarray:
    """Hashed k-word shingles of the text, the unit of verbatim overlap: a sorted array of
    distinct 32-bit values (datasketch's MinHash permutes 32-bit hashes).

    Each word is hashed once (crc32, stable across processes: signatures are stored) and
    the k-word windows are combined by a rolling product in numpy: hashing every window's
    joined string in Python cost most of the clustering stage."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    hashed = np.fromiter((zlib.crc32(t.encode()) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = max(1, len(tokens) - k + 1)
    rolled = np.zeros(width, dtype=np.uint64)
    for offset in range(min(k, len(tokens))):
        rolled = rolled * _ROLL + hashed[offset : offset + width]  # wraps modulo 2**64, as meant
    return np.unique(rolled >> np.uint64(32))


# The words left out when a page's lines are matched against its title (extract/metadata.py).
TITLE_STOPWORDS = frozenset(
    "the and for with that this from was were are has have had its his her their they them will would not but say says said amid over into about after than what when who how why you your our".split()
)
_EVENT_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")


def event_numbers(text: str) -> list[str]:
    """The numbers a report gives, as the similarity of two reports compares them (every
    occurrence): years say little about which event it is, counts and measures a lot."""
    return [n for n in _EVENT_NUMBER.findall(text) if not (len(n) == 4 and n[:2] in ("19", "20"))]


def numbers(text: str) -> set[str]:
    """The distinct numbers written in a text, with their separators (syndication: a copy
    keeps the figures of its source)."""
    return set(re.findall(r"\b\d[\d,.]*\b", text))


# Calendar dates as news pages write them.
MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
MONTH_PATTERN = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# Separators may carry spaces ("12 / 16 / 08"): tokenised text and some templates write them so.
DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)\s?-\s?(?P<m>\d\d)\s?-\s?(?P<d>\d\d)\b"),
    re.compile(rf"\b{MONTH_PATTERN}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_PATTERN},?\s+(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE),
    # numeric: 12/16/08 and 4 / 9 / 2007 (month first unless it cannot be), 08.07.2012 (day first)
    re.compile(
        r"(?<![\d/.])\b(?P<a>\d{1,2})\s?(?P<sep>[/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<y>(?:19|20)?\d\d)\b(?![/.]?\d)"
    ),
]


def _numeric_date(parts: dict) -> tuple[int, int, int]:
    a, b, y = int(parts["a"]), int(parts["b"]), parts["y"]
    year = int(y) if len(y) == 4 else 2000 + int(y) if int(y) < 50 else 1900 + int(y)
    day_first = parts["sep"] == "." or a > 12
    return (year, b, a) if day_first else (year, a, b)


def dates_in(text: str):
    """Every well-formed calendar date written in text, pattern by pattern."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if parts.get("a"):
                if parts["sep"] == "." and len(parts["y"]) != 4:  # 1.2.10 is a version
                    continue
                year, month, day = _numeric_date(parts)
            else:
                month = int(parts["m"]) if parts.get("m") else MONTHS[parts["mon"][:3].lower()]
                year, day = int(parts["y"]), int(parts["d"])
            try:
                yield date(year, month, day)
            except ValueError:
                continue
