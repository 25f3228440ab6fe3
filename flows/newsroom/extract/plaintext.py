"""Find the story in a plain-text page scrape (one block a line, no markup).

The page is read as a sequence of blocks. Each block gets a score from its shape: long,
sentence-shaped blocks score high; short lines, headline-like lines, runs of headlines,
credits and known furniture score low. The story is the contiguous run of blocks with
the highest total (maximum-sum subarray), never crossing an end-of-story marker
("Dear Reader", "Related stories", a copyright line). Inside that run, furniture lines
are dropped. Nothing here knows any particular site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import CAPTION, CREDIT, INLINE_FURNITURE, LIST_HEADER, is_boilerplate, is_end_of_story

_TERMINAL = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Chinese and Japanese write no spaces: count two ideographs or kana as a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PIPES = re.compile(r"\s[|»•·]\s")

# Block scores. Prose earns by length; everything else costs a little, furniture a lot.
SHORT_LINE = -0.5
HEADLINE_LINE = -0.6
LINK_LIST_LINE = -1.0
FURNITURE_LINE = -4.0
_LINK_BOX = -0.5  # score of an inline link-box header or ad marker
_LIST_ITEM = re.compile(
    r"^(?:\d{1,3}[.)]\s|[•▪◦·*–-]\s|\d+(?:[./]\d+)?\s?(?:tbsp|tsp|cups?|g|kg|ml|l|oz|lbs?|grams?)\b)", re.IGNORECASE
)


@dataclass
class Block:
    index: int
    text: str
    words: int
    score: float = 0.0
    kind: str = "prose"  # prose | short | headline | furniture | end


@dataclass
class Extraction:
    body: str
    blocks: list[Block]
    start: int  # index into blocks of the first body block
    end: int  # index one past the last body block
    kept: list[int]

    @property
    def before(self) -> list[Block]:
        return self.blocks[: self.start]

    @property
    def after(self) -> list[Block]:
        return self.blocks[self.end :]


def split_blocks(text: str) -> list[Block]:
    lines: list[str] = []
    previous_blank = True
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            previous_blank = True
            continue
        # Hard-wrapped prose: a line that stops mid-sentence continues on the next one.
        if not previous_blank and lines and _continues(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        previous_blank = False
    return [Block(i, line, count_words(line)) for i, line in enumerate(lines)]


def _continues(line: str, following: str) -> bool:
    return bool(following[:1].islower()) and not _TERMINAL.search(line) and not line.endswith((":", ";", "|"))


def count_words(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + (cjk + 1) // 2


def classify(blocks: list[Block]) -> None:
    """Give each block a kind and a score (in place): by its shape, then by its neighbours."""
    for block in blocks:
        block.kind, block.score = _kind_and_score(block.text, block.words)
    _discount_after_end(blocks)
    _link_box_lines(blocks)
    _headline_runs(blocks)
    _teaser_runs(blocks)


@lru_cache(maxsize=8192)
def _kind_and_score(text: str, words: int) -> tuple[str, float]:
    """One block's kind and score, from its shape alone. Memoised: a story's blocks are
    classified twice (the page's, then the body's by prose_words) and a site repeats its
    furniture lines; the regexes here were a third of extraction's time (2026-12-04)."""
    terminal = bool(_TERMINAL.search(text))
    if is_end_of_story(text):
        return "end", -50.0
    elif words < 25 and INLINE_FURNITURE.match(text.strip(" .:|»>")):
        # dropped, but barely held against the region: stories continue after these
        return "furniture", _LINK_BOX
    elif is_furniture(text, words, terminal):
        return "furniture", FURNITURE_LINE
    elif is_boilerplate(text):
        # a long sentence that mentions subscribers or cookies is usually still prose
        return "prose", 0.5 if terminal else -1.0
    elif _PIPES.search(text) and not terminal:
        return "furniture", LINK_LIST_LINE
    elif _LIST_ITEM.match(text) and words <= 30:
        # numbered or bulleted items, quantities: lists inside a story, near neutral
        return "item", -0.1
    elif words >= 12 and terminal:
        return "prose", 2.0 + words / 20
    elif words >= 20:
        return "prose", 1.0 + words / 30
    elif words >= 6 and terminal:
        return "prose", 0.5
    elif words <= 3:
        return "short", SHORT_LINE
    else:
        return "headline", HEADLINE_LINE


def _discount_after_end(blocks: list[Block]) -> None:
    # Text after an end-of-story marker that follows real prose ("Related stories",
    # "Dear Reader") is somebody else's: teasers, appeals, comments. It can still win if
    # the page has nothing better, but never against the story before the marker.
    prose_words, ended = 0, False
    for block in blocks:
        if ended and block.score > 0:
            block.score *= 0.2
        elif block.kind == "prose":
            prose_words += block.words
        elif block.kind == "end" and prose_words >= 80:
            ended = True


def _link_box_lines(blocks: list[Block]) -> None:
    # Lines after a link-box header ("Related stories", "Read more") up to the next
    # paragraph are the box's links, not subheadings.
    in_box = False
    for block in blocks:
        if block.kind == "furniture" and block.score == _LINK_BOX:
            in_box = True
        elif block.kind == "prose":
            in_box = False
        elif in_box and block.kind in ("headline", "short"):
            block.kind, block.score = "furniture", -1.0


def _headline_runs(blocks: list[Block]) -> None:
    # A run of three or more headline-like lines is a list of links to other stories.
    run: list[Block] = []
    for block in blocks + [Block(-1, "", 0, kind="sentinel")]:
        if block.kind in ("headline", "short") and block.words >= 4:
            run.append(block)
            continue
        if len(run) >= 3:
            for member in run:
                member.kind, member.score = "furniture", LINK_LIST_LINE
        run = []


TEASER_WORDS = 20  # a teaser under a headline is one short sentence; a paragraph under a subheading runs longer
TEASER_PAIRS = 3


def _teaser_runs(blocks: list[Block]) -> None:
    # Headline, one-sentence teaser, headline, teaser...: a list of other stories ("More
    # headlines", "Recent articles"), whose teasers score as prose one by one.
    run: list[Block] = []
    i = 0
    while i < len(blocks):
        if _is_teaser_pair(blocks, i):
            run += blocks[i : i + 2]
            i += 2
            continue
        _drop_teaser_run(run)
        run = []
        i += 1
    _drop_teaser_run(run)


def _is_teaser_pair(blocks: list[Block], i: int) -> bool:
    return (
        i + 1 < len(blocks)
        and blocks[i].kind in ("headline", "short")
        and blocks[i + 1].kind == "prose"
        and blocks[i + 1].words < TEASER_WORDS
    )


def _drop_teaser_run(run: list[Block]) -> None:
    if len(run) >= 2 * TEASER_PAIRS:
        for member in run:
            member.kind, member.score = "furniture", LINK_LIST_LINE


def is_furniture(text: str, words: int, terminal: bool, shouting: bool = True) -> bool:
    """Credits, list headers, and short lines made of furniture phrases (and, unless told
    otherwise, lines in capitals)."""
    if CREDIT.match(text) or LIST_HEADER.match(text) or (words < 25 and INLINE_FURNITURE.match(text.strip(" .:|»>"))):
        return True
    if words < 60 and CAPTION.search(text):
        return True
    if shouting and words >= 3 and not terminal and _is_shouting(text):
        return True  # "GET FOX BUSINESS ON THE GO": promos and related-story links
    if not is_boilerplate(text):
        return False
    # short lines, and editors' notes in parentheses ("(This story was auto-generated from
    # a syndicated feed.)"), whatever their length
    return words < 15 or (words < 25 and not terminal) or (text.startswith("(") and text.rstrip(".").endswith(")"))


def _is_shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.85


_HEADER_LINE = re.compile(
    r"^(?:by\b.{0,60}|(?:updated|published|posted)\b.{0,60}|.{0,40}\b(?:19|20)\d\d\b.{0,30}\b(?:[ap]\.?m\.?|et|gmt|utc|ist|[+-]\d\d:?\d\d)\b.{0,10})$",
    re.IGNORECASE,
)


def _skip_header(blocks: list[Block], start: int, end: int) -> int:
    """A standfirst is often followed by the byline and time stamp, then the story: when
    the first blocks of the region are [standfirst, byline/date lines...], start after them."""
    last = None
    for i in range(start, min(end, start + 7)):
        block = blocks[i]
        if block.words <= 14 and (_HEADER_LINE.match(block.text) or block.text.lower() == "by"):
            last = i
    if last is None:
        return start
    following = [b for b in blocks[last + 1 : end] if b.kind == "prose"]
    return last + 1 if following else start


def best_region(blocks: list[Block]) -> tuple[int, int, float]:
    """Maximum-sum contiguous run of block scores: (start, end, total)."""
    best = (0, 0, float("-inf"))
    start, total = 0, 0.0
    for i, block in enumerate(blocks):
        if total <= 0:
            start, total = i, 0.0
        total += block.score
        if total > best[2]:
            best = (start, i + 1, total)
    return best


def extract_body(text: str) -> Extraction:
    blocks = split_blocks(text)
    classify(blocks)
    if not blocks:
        return Extraction("", blocks, 0, 0, [])
    start, end, _ = best_region(blocks)
    # Leading short or headline lines only join the story if they are inside it.
    start = _skip_header(blocks, start, end)
    while start < end and blocks[start].kind != "prose":
        start += 1
    while end > start and blocks[end - 1].kind != "prose":
        end -= 1
    kept = [b.index for b in blocks[start:end] if b.kind in ("prose", "short", "headline", "item")]
    texts = [blocks[i].text for i in kept]
    # A standfirst repeated as the first paragraph is kept once.
    if len(texts) > 1 and texts[1].startswith(texts[0].rstrip(".")[:80]):
        kept, texts = kept[1:], texts[1:]
    return Extraction("\n\n".join(texts), blocks, start, end, kept)


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def tidy_body(body: str, title: str | None = None) -> str:
    """Furniture left inside an extracted body (by trafilatura, say): the headline repeated
    as the first line, share and newsletter prompts, credits, and everything from an
    end-of-story marker on. Short lines that are not furniture (subheadings) stay."""
    folded_title = _fold(title) if title else None
    kept, prose_words = [], 0
    for block in split_blocks(body):
        text = block.text
        if not kept and folded_title and _fold(text) == folded_title:
            continue
        if is_end_of_story(text):
            if prose_words >= 80:
                break
            continue
        # a line in capitals inside trafilatura's body is a subheading ("FORD MUSTANG MACH E"):
        # the promos in capitals are page furniture, which trafilatura has already left out
        # (AEB HTML, sites of half A 0.9684 -> 0.9692, half B 0.9676 -> 0.9694)
        if is_furniture(text, block.words, bool(_TERMINAL.search(text)), shouting=False):
            continue
        kept.append(text)
        prose_words += block.words
    return "\n\n".join(kept) if kept else body


def prose_words(body: str) -> int:
    """Words in sentence-shaped blocks: a list of headlines has none, a story has many."""
    blocks = split_blocks(body)
    classify(blocks)
    return sum(b.words for b in blocks if b.kind == "prose")
