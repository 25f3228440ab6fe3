"""How alike two articles are as reports of one event.

A weighted sum of cosine similarities of TF-IDF vectors over: the content stems of the
whole text, of its lead (first three sentences: who, what, where), canonical entity
names, places and people alone, and the numbers it reports (death tolls, magnitudes),
scaled by a factor where the two cannot be about the same time (eventtime.py: published
more than two months apart, or naming disjoint years), another where they share a year
(named or of publication), and another where each is about a person the other never names
(protagonists.py). The weights and factors are the pair model's (pair_model.py: fitted on
ECB+ dev by `make train-stories`); document frequencies come from the whole warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..text import event_numbers
from . import features, terms
from .eventtime import CONFLICT, MATCH, EventTimes, GroupTime, group_relation, years_mentioned
from .pair_model import BLOCKS, PairModel, fitted
from .protagonists import Protagonists, named_protagonists

PLACE_PEOPLE = ("PERSON", "GPE", "LOC", "FAC")
EVENT_ENTITIES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "PRODUCT")


@dataclass
class ArticleFeatures:
    article_id: str
    text: str
    entities: list[tuple[str, str]]  # (canonical name, label)
    sentence_stems: list[str] | None = None  # features.TextFeatures.sentence_stems; from the text if None
    published: date | None = None
    years: frozenset[int] | None = None  # TextFeatures.years; from the text if None
    numbers: list[str] | None = None  # TextFeatures.numbers; from the text if None

    def __post_init__(self):
        if self.sentence_stems is None:
            self.sentence_stems = features.sentence_stems(self.text)
        if self.years is None:
            self.years = years_mentioned(self.text)
        if self.numbers is None:
            self.numbers = event_numbers(self.text)


LEAD_SENTENCES = 3


def _row_dot(matrix, i: int, j: int) -> float:
    """Dot product of two rows of a CSR matrix with sorted indices, straight from its arrays:
    slicing rows out as sparse matrices costs a hundred times more, once per linked pair."""
    a = slice(matrix.indptr[i], matrix.indptr[i + 1])
    b = slice(matrix.indptr[j], matrix.indptr[j + 1])
    return _sparse_dot(matrix.indices[a], matrix.data[a], matrix.indices[b], matrix.data[b])


def _sparse_dot(left_indices, left_data, right_indices, right_data) -> float:
    _, left, right = np.intersect1d(left_indices, right_indices, assume_unique=True, return_indices=True)
    return float(left_data[left] @ right_data[right])


def _row_dot_pair(a, b) -> float:
    """Dot product of two one-row CSR matrices (scipy's multiply-and-sum costs ten times more)."""
    return _sparse_dot(a.indices, a.data, b.indices, b.data)


@dataclass
class Centroid:
    vector: object  # 1 x features CSR
    time: GroupTime
    rows: np.ndarray  # the members' rows in the model


def corpus_of(articles: list[ArticleFeatures]):
    """The records.Corpus of articles in memory (tests, evaluations): the counts the
    warehouse keeps, counted here."""
    from ..records import Corpus, TextFeatures
    from ..text import shingles

    stems = [features.stems(a.sentence_stems) for a in articles]
    columns = terms.vocabulary_of(stems)
    hashed = [shingles(a.text) for a in articles]
    signatures = [features.signature(h) for h in hashed]
    protagonists, named_words = named_protagonists([a.entities for a in articles])
    texts = {
        a.article_id: (a.text, TextFeatures(a.sentence_stems, h, sig))
        for a, h, sig in zip(articles, hashed, signatures, strict=True)
    }
    return Corpus(
        ids=[a.article_id for a in articles],
        published=[a.published for a in articles],
        agencies=[None for _ in articles],
        years=[a.years for a in articles],
        counts={
            "text": terms.from_tokens(stems, columns),
            "lead": terms.from_tokens([features.stems(a.sentence_stems, LEAD_SENTENCES) for a in articles], columns),
            "entities": terms.from_tokens(
                [[n.lower() for n, label in a.entities if label in EVENT_ENTITIES] for a in articles]
            ),
            "places_people": terms.from_tokens(
                [[n.lower() for n, label in a.entities if label in PLACE_PEOPLE] for a in articles]
            ),
            "numbers": terms.from_tokens([a.numbers for a in articles]),
        },
        protagonists=protagonists,
        named_words=named_words,
        signatures=np.array(signatures, dtype=np.uint64).reshape(len(articles), features.NUM_PERM),
        texts=lambda ids: {i: texts[i] for i in ids},
    )


class SimilarityModel:
    """Weights of every article of the warehouse (document frequencies of the whole
    warehouse); gives row-normalised feature matrices, weighed by the pair model (the
    shipped one unless given)."""

    def __init__(self, corpus, pair_model: PairModel | None = None):
        """corpus: a records.Corpus (load/stories.py's, or corpus_of(articles))."""
        from scipy.sparse import hstack

        self.pair_model = pair_model or fitted()
        self.index = {a: i for i, a in enumerate(corpus.ids)}
        self.text, idf = terms.tfidf(corpus.counts["text"])
        # normalised again, as the TfidfVectorizer's transform followed by normalize() did
        self.lead = terms.l2_rows(terms.tfidf(corpus.counts["lead"], idf, width=self.text.shape[1])[0])
        self.entities = terms.tfidf(corpus.counts["entities"])[0]
        self.places_people = terms.tfidf(corpus.counts["places_people"])[0]
        self.numbers = terms.tfidf(corpus.counts["numbers"])[0]
        # Each feature block scaled by the square root of its weight: one dot product of two
        # rows is then the weighted sum of the five cosines.
        weights = self.pair_model.weights
        self.combined = hstack([self.block(name) * np.sqrt(weights[name]) for name in BLOCKS]).tocsr()
        for matrix in (self.combined, self.entities):
            matrix.sort_indices()  # _row_dot intersects sorted column indices
        self._query = np.zeros(self.combined.shape[1])  # one article's row, spread out; zero between calls
        self.times = EventTimes(corpus.years, corpus.published)
        self.protagonists = Protagonists(corpus.protagonists, corpus.named_words)

    @classmethod
    def of_articles(cls, articles: list[ArticleFeatures], pair_model: PairModel | None = None) -> SimilarityModel:
        return cls(corpus_of(articles), pair_model)

    def block(self, name: str):
        """One feature block's row-normalised matrix (pair_model.BLOCKS names them)."""
        return getattr(self, name)

    def _time_scale(self, relation):
        """The factor on similarity for each eventtime relation (an array, or one value)."""
        model = self.pair_model
        return np.where(relation == CONFLICT, model.time_conflict, np.where(relation == MATCH, model.time_match, 1.0))

    def _person_scale(self, i: int, rows: np.ndarray) -> np.ndarray:
        return np.where(self.protagonists.conflict(i, rows), self.pair_model.protagonist_conflict, 1.0)

    def similarity(self, article_id: str, others: list[str]) -> np.ndarray:
        """Similarity of one article to each of `others`: the dot products, gathered straight
        from the CSR arrays (scipy's row slicing and product cost ten times more, and the
        clustering stage asks this several times for every new article)."""
        if not others:
            return np.zeros(0)
        m, i = self.combined, self.index[article_id]
        columns = m.indices[m.indptr[i] : m.indptr[i + 1]]
        self._query[columns] = m.data[m.indptr[i] : m.indptr[i + 1]]
        try:
            rows = np.fromiter((self.index[o] for o in others), dtype=np.int64, count=len(others))
            starts, lengths = m.indptr[rows], m.indptr[rows + 1] - m.indptr[rows]
            # every stored value of those rows: each row's start, then consecutive positions
            positions = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
            products = m.data[positions] * self._query[m.indices[positions]]
            scores = np.bincount(np.repeat(np.arange(len(rows)), lengths), weights=products, minlength=len(rows))
        finally:
            self._query[columns] = 0.0
        return scores * self._time_scale(self.times.relation(i, rows)) * self._person_scale(i, rows)

    def entity_overlap(self, a: str, b: str) -> float:
        """Cosine similarity of two articles' (TF-IDF weighted) canonical entities."""
        return _row_dot(self.entities, self.index[a], self.index[b])

    def pair_similarity(self, a: str, b: str) -> float:
        """similarity(a, [b])[0], without the gathering machinery for one pair."""
        i, j = self.index[a], self.index[b]
        pair = np.array([j])
        return (
            _row_dot(self.combined, i, j)
            * float(self._time_scale(self.times.relation(i, pair))[0])
            * float(self._person_scale(i, pair)[0])
        )

    def centroid(self, ids: list[str]) -> Centroid:
        """Mean feature vector of a group, kept sparse (a dense one costs the whole
        vocabulary, which grows with the warehouse), with the group's time. Similarity is
        a dot product, so the mean similarity between two groups (average link) is that
        of their centroids, less what protagonist conflicts take from their pairs, scaled
        as one pair's is by how their times relate."""
        from scipy.sparse import csr_matrix

        rows = [self.index[x] for x in ids]
        weights = csr_matrix(np.full((1, len(ids)), 1.0 / len(ids)))
        vector = (weights @ self.combined[rows]).tocsr()
        vector.sum_duplicates()  # sorted, distinct column indices: centroid_similarity intersects them
        return Centroid(vector, self.times.group(rows), np.array(rows, dtype=np.int64))

    def centroid_similarity(self, a: Centroid, b: Centroid) -> float:
        average = _row_dot_pair(a.vector, b.vector)
        left, right = np.repeat(a.rows, len(b.rows)), np.tile(b.rows, len(a.rows))
        conflicts = self.protagonists.conflict(left, right)
        if conflicts.any():  # the mean of the pairs' products, each conflicting one scaled down
            lost = sum(
                _row_dot(self.combined, int(i), int(j)) for i, j in zip(left[conflicts], right[conflicts], strict=True)
            )
            average -= (1.0 - self.pair_model.protagonist_conflict) * lost / len(left)
        return average * float(self._time_scale(group_relation(a.time, b.time)))

    def keys(self, article_id: str, top: int = 12) -> list[int]:
        """Blocking keys: the article's highest-weighted terms (their columns, >= 0) and its
        entities (-1 - their columns). Articles about one event share several; unrelated
        ones rarely do. Read from the CSR arrays: slicing a row out as a matrix cost 3.2 s
        over a 20k-article warehouse, whose every article's keys a run indexes."""
        i = self.index[article_id]
        text, ents = self.text, self.entities
        weights = text.data[text.indptr[i] : text.indptr[i + 1]]
        terms = text.indices[text.indptr[i] : text.indptr[i + 1]][np.argsort(weights)[::-1][:top]]
        return terms.tolist() + (-1 - ents.indices[ents.indptr[i] : ents.indptr[i + 1]]).tolist()
