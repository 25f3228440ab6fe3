"""Quoted spans: the text between quote marks (straight, curly, or two apostrophes), tolerant
of unbalanced or wrongly turned marks and of quotes that run over several paragraphs."""

from __future__ import annotations

_OPEN = {"“", "«", "„"}
_CLOSE = {"”", "»"}
_STRAIGHT = '"'
# Two apostrophes stand for a straight double quote in some archives' plain text (the New
# York Times' in PolNeAR: "''He shook hands with everybody,'' said Mr. Trump"): 116 of
# its 840 train articles quote only that way.
TWO_APOSTROPHES = "''"
CLOSING_MARKS = _CLOSE | {_STRAIGHT, TWO_APOSTROPHES}  # the token texts a quotation may end with
_OPENING_CONTEXT = set(" \t\n([{—–-:/") | {""}


def _mark_at(text: str, i: int) -> tuple[str, int]:
    """The character at i as a quote mark reads (two apostrophes as a straight double
    quote), and how many characters it takes."""
    return (_STRAIGHT, 2) if text.startswith(TWO_APOSTROPHES, i) else (text[i], 1)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of text between quote marks. An opening mark left open at the end of a
    paragraph closes there, unless the next paragraph opens with a quote mark, which in news
    style continues the same quotation."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch, width = _mark_at(text, i)
        if ch == "\n":
            j = i
            while j < n and text[j] in " \t\n":
                j += 1
            if open_at is not None:
                mark, width = _mark_at(text, j) if j < n else ("", 0)
                if mark in _OPEN or mark == _STRAIGHT:
                    spans.append((open_at, i))
                    open_at = i = j + width
                    continue
                spans.append((open_at, i))
                open_at = None
            i = j
            continue
        prev = text[i - 1] if i else ""
        # An opening mark right after a word or punctuation while a quotation is open closes
        # it: a typist's “Apparently not,“ he said.
        wrong_way = ch in _OPEN and open_at is not None and prev not in _OPENING_CONTEXT
        if not wrong_way and (ch in _OPEN or (ch == _STRAIGHT and open_at is None and prev in _OPENING_CONTEXT)):
            if open_at is None:
                open_at = i + width
        elif ch in _CLOSE or ch == _STRAIGHT or wrong_way:
            if open_at is not None:
                spans.append((open_at, i))
                open_at = None
        i += width
    if open_at is not None:
        spans.append((open_at, n))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _alpha(text: str) -> int:
    return sum(ch.isalpha() for ch in text)
