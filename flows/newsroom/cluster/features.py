"""What clustering needs of each article on its own, computed once where it is annotated.

The annotation workers compute these beside spaCy's output and the load stores them in
landing.article_features, so that the clustering stage, which runs once on one core after
annotation, only compares and assigns. Articles stored without them (by an earlier
version) get them computed by the clustering stage itself, with the same functions.
"""

from __future__ import annotations

import functools

import numpy as np

from ..records import TextFeatures
from ..text import content_stems, event_numbers, sentences, shingles
from .eventtime import years_mentioned

NUM_PERM = 128


def text_features(text: str) -> TextFeatures:
    """Everything clustering reads of one text. The years it names and its numbers are here
    rather than found at clustering time: reading the dates of every stored text was 15.7 s
    of a 30-article increment's 44.5 s clustering stage at 20k articles (2026-12-03)."""
    hashed = shingles(text)
    return TextFeatures(
        sentence_stems(text), hashed, signature(hashed), sorted(years_mentioned(text)), event_numbers(text)
    )


def sentence_stems(text: str) -> list[str]:
    """Content stems of each sentence, space-separated, in order."""
    return [" ".join(content_stems(s)) for s in sentences(text)]


def stems(sentence_stems: list[str], first: int | None = None) -> list[str]:
    """The content stems of the whole text (or of its first sentences), in order: what
    content_stems(text) gives, read from the stored sentences."""
    return " ".join(sentence_stems[:first]).split()


# datasketch takes a second to import (scipy): imported where used, so a run with nothing
# new to annotate or cluster does not pay for it.
@functools.cache
def _prototype():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM)  # its permutations, drawn once (per article cost ~0.5 ms)


def signature(values: np.ndarray) -> np.ndarray:
    from datasketch import MinHash

    prototype = _prototype()
    minhash = MinHash(
        num_perm=NUM_PERM, hashfunc=lambda x: x, permutations=prototype.permutations, scheme=prototype.scheme
    )
    if len(values):
        minhash.update_batch(values)
    return minhash.hashvalues
