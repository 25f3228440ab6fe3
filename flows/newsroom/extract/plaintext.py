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

from .lexicon import BOILERPLATE, CREDIT, END_OF_STORY, LIST_HEADER

_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_PIPES = re.compile(r"\s[|»•·]\s")

MIN_BODY_WORDS = 40


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
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [Block(i, line, len(_WORD.findall(line))) for i, line in enumerate(x for x in lines if x)]


def classify(blocks: list[Block]) -> None:
    """Give each block a kind and a score (in place)."""
    for block in blocks:
        text, words = block.text, block.words
        terminal = bool(_TERMINAL.search(text))
        if END_OF_STORY.match(text.strip(" .:")) or END_OF_STORY.match(text):
            block.kind, block.score = "end", -50.0
        elif CREDIT.match(text) or LIST_HEADER.match(text) or (BOILERPLATE.search(text) and words < 60):
            block.kind, block.score = "furniture", -4.0
        elif _PIPES.search(text) and not terminal:
            block.kind, block.score = "furniture", -2.0
        elif words >= 12 and terminal:
            block.kind, block.score = "prose", 2.0 + words / 20
        elif words >= 20:
            block.kind, block.score = "prose", 1.0 + words / 30
        elif words >= 6 and terminal:
            block.kind, block.score = "prose", 0.5
        elif words <= 3:
            block.kind, block.score = "short", -0.5
        else:
            block.kind, block.score = "headline", -1.0
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
    # A run of three or more headline-like lines is a list of links to other stories.
    run: list[Block] = []
    for block in blocks + [Block(-1, "", 0, kind="sentinel")]:
        if block.kind in ("headline", "short") and block.words >= 4:
            run.append(block)
            continue
        if len(run) >= 3:
            for member in run:
                member.kind, member.score = "furniture", -2.0
        run = []


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
    while start < end and blocks[start].kind != "prose":
        start += 1
    while end > start and blocks[end - 1].kind != "prose":
        end -= 1
    kept = [b.index for b in blocks[start:end] if b.kind in ("prose", "short", "headline")]
    texts = [blocks[i].text for i in kept]
    # A standfirst repeated as the first paragraph is kept once.
    if len(texts) > 1 and texts[1].startswith(texts[0].rstrip(".")[:80]):
        kept, texts = kept[1:], texts[1:]
    return Extraction("\n\n".join(texts), blocks, start, end, kept)
