"""Who an article is about, as far as its entities say: two reports of one event share
their protagonist, while two events of one kind (two coaches fired, two rules changed by
two administrations, two fights of one boxer against two opponents) usually have
different ones, however alike their vocabulary.

An article's protagonist is the person it names most often, at least MIN_MENTIONS times
(the first named of those tied): a person named once or twice is as often a passer-by (a
quoted witness, a predecessor); ECB+ dev scored 0.935 with two, 0.938 with three. Two articles are in conflict when each has a protagonist and neither names
the other's at all, not even in passing. Names are compared by their last word, so that
"Klitschko" in one report is "Wladimir Klitschko" in another, and a shared surname is
never a conflict (precision first: a false conflict splits an event).

Kept as integer arrays: the similarity of one article to its few hundred candidates is
asked several times for every new article.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

MIN_MENTIONS = 3


def surname(name: str) -> str:
    return name.lower().split()[-1] if name.strip() else ""


def protagonist(entities: list[tuple[str, str]]) -> str | None:
    """The last name of the person named most often (at least MIN_MENTIONS times; the
    first named among those tied), or None. entities: (canonical name, label) in order."""
    counted = Counter(filter(None, (surname(name) for name, label in entities if label == "PERSON")))
    if not counted:
        return None
    name, mentions = counted.most_common(1)[0]  # most_common keeps first-seen order among ties
    return name if mentions >= MIN_MENTIONS else None


def name_words(entities: list[tuple[str, str]]) -> set[str]:
    """Every word of every entity name the article gives: where another article's
    protagonist would be found if this one names them."""
    return {word for name, _ in entities for word in name.lower().split()}


def named_protagonists(entity_lists: list[list[tuple[str, str]]]) -> tuple[list[str | None], list[tuple[int, str]]]:
    """(each article's protagonist, the (article, word) pairs of the words its entity names
    give that are somebody's protagonist): what Protagonists is built from, computed from
    entity lists in memory (load/stories.py computes the same in SQL)."""
    found = [protagonist(e) for e in entity_lists]
    wanted = set(filter(None, found))
    words = [(row, w) for row, entities in enumerate(entity_lists) for w in name_words(entities) if w in wanted]
    return found, words


class Protagonists:
    def __init__(self, protagonists: list[str | None], named_words: list[tuple[int, str]]):
        vocabulary: dict[str, int] = {}
        self.protagonist = np.array(
            [-1 if p is None else vocabulary.setdefault(p, len(vocabulary)) for p in protagonists], dtype=np.int64
        )
        # (article, word) pairs as sorted keys article * width + word, for membership tests
        # of many pairs at once; only words that are somebody's protagonist matter.
        self._width = max(1, len(vocabulary))
        keys = [row * self._width + vocabulary[w] for row, w in named_words if w in vocabulary]
        self._keys = np.unique(np.array(keys, dtype=np.int64))

    @classmethod
    def of_entities(cls, entity_lists: list[list[tuple[str, str]]]) -> Protagonists:
        return cls(*named_protagonists(entity_lists))

    def _names(self, rows: np.ndarray, words: np.ndarray) -> np.ndarray:
        """For each (row, word) pair: does that article name that word?"""
        if not len(self._keys):
            return np.zeros(len(rows), dtype=bool)
        query = rows * self._width + words
        found = np.minimum(np.searchsorted(self._keys, query), len(self._keys) - 1)
        return self._keys[found] == query

    def conflict(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """For each pair (left[k], right[k]) of rows: each has a protagonist and neither
        names the other's."""
        left, right = np.broadcast_arrays(np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64))
        p, q = self.protagonist[left], self.protagonist[right]
        both = (p >= 0) & (q >= 0)
        return both & ~self._names(right, np.maximum(p, 0)) & ~self._names(left, np.maximum(q, 0))
