"""Term counts and their TF-IDF weights, as scikit-learn's TfidfVectorizer(sublinear_tf=True)
computes them (1 + ln tf, times the smoothed idf ln((1 + n) / (1 + df)) + 1, rows
l2-normalised; columns the block's terms in sorted order), from counts rather than texts.

Why not the vectorizer itself: it counts every token of every stored article in Python
each run (4.7-5.6 s of a 30-article increment's clustering at 20k articles, 2026-12-03).
The warehouse keeps each article's stem counts and counts its entities and numbers in SQL
(load/stories.py); only the weighting, which depends on the whole warehouse, is done here.
A test checks these weights against the vectorizer's.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..records import TermCounts


def vocabulary_of(token_lists: list[list[str]]) -> dict[str, int]:
    """CountVectorizer's columns: the distinct tokens, sorted."""
    return {token: i for i, token in enumerate(sorted({t for tokens in token_lists for t in tokens}))}


def from_tokens(token_lists: list[list[str]], columns: dict[str, int] | None = None) -> TermCounts:
    """CountVectorizer's counts of token lists: one row a list, in `columns` (their own
    vocabulary_of unless given)."""
    columns = vocabulary_of(token_lists) if columns is None else columns
    rows, cols, data = [], [], []
    for row, tokens in enumerate(token_lists):
        for col, n in Counter(columns[token] for token in tokens).items():
            rows.append(row)
            cols.append(col)
            data.append(n)
    return TermCounts(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(data), len(token_lists))


def matrix(counts: TermCounts):
    """The counts as a CSR matrix (float64, at least one column), column indices sorted
    within each row as CountVectorizer's are."""
    from scipy.sparse import csr_matrix

    n_cols = int(counts.columns.max()) + 1 if len(counts.columns) else 1
    result = csr_matrix(
        (counts.counts.astype(np.float64), (counts.rows, counts.columns)), shape=(counts.n_rows, n_cols)
    )
    result.sum_duplicates()  # sorts the indices
    return result


def document_idf(counts) -> np.ndarray:
    """Smoothed inverse document frequency of each column, over the rows of `counts`."""
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, counts.shape[0] + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def tfidf(counts: TermCounts, idf: np.ndarray | None = None, width: int | None = None):
    """(the l2-normalised TF-IDF rows of `counts`, the idf used): the counts' own document
    frequencies unless an idf is given (the lead block is weighed by the whole text's, and
    has its width)."""
    weighted = matrix(counts)
    if width is not None and weighted.shape[1] < width:
        weighted.resize((weighted.shape[0], width))
    idf = document_idf(weighted) if idf is None else idf
    np.log(weighted.data, weighted.data)
    weighted.data += 1.0
    weighted.data *= idf[weighted.indices]
    return l2_rows(weighted), idf


def l2_rows(m):
    """The CSR matrix `m` with each row scaled to unit length (rows of zeros left), in place:
    scikit-learn's normalize(norm="l2"), without importing scikit-learn for it (0.5 s of
    every run's start-up, 2026-12-04)."""
    per_row = np.diff(m.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(m.shape[0]), per_row), weights=m.data**2, minlength=m.shape[0]))
    norms[norms == 0.0] = 1.0
    m.data /= np.repeat(norms, per_row)
    return m
