"""Is article B a copy or a rewrite of article A, and which came first?

copy:    most of the shorter article's 5-word shingles occur in the other (verbatim or
         near-verbatim, give or take furniture and a changed headline);
rewrite: few shingles survive, but most of the shorter article's sentences have a close
         counterpart (same content stems) in the other: a paraphrase, possibly padded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..text import numbers, shingles
from .features import sentence_stems

COPY_CONTAINMENT = 0.7
REWRITE_ALIGNMENT = 0.5
REWRITE_MIN_SENTENCES = 3
SENTENCE_MATCH = 0.5  # Dice overlap of two sentences' content stems


@dataclass
class PairEvidence:
    shingle_containment: float
    shingle_jaccard: float
    sentence_alignment: float  # share of the shorter article's sentences aligned
    aligned_sentences: int
    number_overlap: float

    @property
    def relation(self) -> str | None:
        if self.shingle_containment >= COPY_CONTAINMENT:
            return "copy"
        if self.sentence_alignment >= REWRITE_ALIGNMENT and self.aligned_sentences >= REWRITE_MIN_SENTENCES:
            return "rewrite"
        return None


@dataclass(frozen=True)
class TextProfile:
    """What comparing an article needs, computed once per text however many pairs it is in."""

    shingles: np.ndarray
    sentences: tuple[frozenset, ...]  # content stems of each sentence of four or more
    numbers: frozenset


def profile(text: str, features=None) -> TextProfile:
    """features: the text's features.TextFeatures, if at hand (else computed from the text)."""
    if features is None:
        stemmed, hashed = sentence_stems(text), shingles(text)
    else:
        stemmed, hashed = features.sentence_stems, features.shingles
    stem_sets = (frozenset(s.split()) for s in stemmed)
    return TextProfile(hashed, tuple(s for s in stem_sets if len(s) >= 4), frozenset(numbers(text)))


def aligned_sentences(a: TextProfile, b: TextProfile) -> int:
    """Sentences of the shorter article with a close counterpart (Dice overlap of content
    stems >= SENTENCE_MATCH) in the other. Sentences of fewer than four content words are
    left out: they align with anything. Counterparts are looked up by shared stem, not
    tried one by one: a pair of long articles is otherwise a thousand set intersections."""
    shorter, longer = sorted((a.sentences, b.sentences), key=len)
    postings: dict[str, list[int]] = {}
    for j, sentence in enumerate(longer):
        for stem_ in sentence:
            postings.setdefault(stem_, []).append(j)
    aligned = 0
    for sentence in shorter:
        shared: dict[int, int] = {}
        for stem_ in sentence:
            for j in postings.get(stem_, ()):
                shared[j] = shared.get(j, 0) + 1
        size = len(sentence)
        if any(2 * n >= SENTENCE_MATCH * (size + len(longer[j])) for j, n in shared.items()):
            aligned += 1
    return aligned


def compare(a: TextProfile | str, b: TextProfile | str) -> PairEvidence:
    """Evidence that one of two articles (their texts or profiles) copies or rewrites the other."""
    a = profile(a) if isinstance(a, str) else a
    b = profile(b) if isinstance(b, str) else b
    sa, sb = a.shingles, b.shingles
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    containment = shared / min(len(sa), len(sb)) if len(sa) and len(sb) else 0.0
    union = len(sa) + len(sb) - shared
    jaccard = shared / union if union else 0.0
    aligned = aligned_sentences(a, b)
    shorter = min(len(a.sentences), len(b.sentences))
    na_, nb_ = a.numbers, b.numbers
    return PairEvidence(
        shingle_containment=round(containment, 4),
        shingle_jaccard=round(jaccard, 4),
        sentence_alignment=round(aligned / shorter, 4) if shorter else 0.0,
        aligned_sentences=aligned,
        number_overlap=round(len(na_ & nb_) / len(na_ | nb_), 4) if na_ | nb_ else 0.0,
    )


@dataclass
class ArticleFacts:
    article_id: str
    published_date: date | None
    wire_agency: str | None
    loaded_order: int  # position in load order: earlier loads count as seen first


def source_first(a: ArticleFacts, b: ArticleFacts) -> tuple[ArticleFacts, ArticleFacts]:
    """(source, derived). The earlier publication is the source; on a tie (or unknown
    dates) a credited wire copy is the source of an uncredited text; then load order."""

    def key(x: ArticleFacts):
        return (
            x.published_date or date.max,
            0 if x.wire_agency else 1,
            x.loaded_order,
            x.article_id,
        )

    return (a, b) if key(a) <= key(b) else (b, a)
