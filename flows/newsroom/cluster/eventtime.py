"""When an article's event happened, as far as the article says: two reports whose times
cannot be the same are unlikely to be one event, however alike their words.

Two kinds of evidence:
- publication dates: two articles published more than WINDOW_DAYS apart;
- years the text mentions ("March 4, 2009", "in 2008"), where a publication date is
  missing (scraped pages without one, archives): disjoint sets of years. A report names its
  event's year more often than not, and background years rarely cover both events.

Kept as bit masks and day numbers in numpy arrays: the similarity of one article to its
few hundred candidates is asked several times for every new article.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

WINDOW_DAYS = 30
FIRST_YEAR = 1950  # years 1950-2077 are kept, in two 64-bit masks
_YEAR = re.compile(r"(?<![\d.,$£€])\b(?:19[5-9]\d|20[0-7]\d)\b(?![.,]\d)")


def years_mentioned(text: str) -> frozenset[int]:
    return frozenset(int(y) for y in _YEAR.findall(text))


def _masks(years) -> tuple[int, int]:
    bits = 0
    for year in years:
        if FIRST_YEAR <= year < FIRST_YEAR + 128:
            bits |= 1 << (year - FIRST_YEAR)
    return bits & (2**64 - 1), bits >> 64


@dataclass
class GroupTime:
    """The time of a group of articles (a story): the years most of its year-bearing members
    mention, and the span of its publication dates."""
    low: int
    high: int
    first: int  # date ordinals; 0 when no member has a date
    last: int


class EventTimes:
    def __init__(self, texts: list[str], published: list[date | None]):
        # a dated article's own year counts beside those it names, against undated ones
        self.years = [years_mentioned(t) | ({d.year} if d else set()) for t, d in zip(texts, published)]
        masks = [_masks(y) for y in self.years]
        self.low = np.array([m[0] for m in masks], dtype=np.uint64)
        self.high = np.array([m[1] for m in masks], dtype=np.uint64)
        self.day = np.array([d.toordinal() if d else 0 for d in published], dtype=np.int64)

    def conflicts(self, i: int, rows: np.ndarray) -> np.ndarray:
        """For each of `rows`, whether its event time and row i's cannot be the same."""
        dated = (self.day[i] > 0) & (self.day[rows] > 0)
        apart = np.abs(self.day[rows] - self.day[i]) > WINDOW_DAYS
        low, high = self.low[rows], self.high[rows]
        both_years = ((self.low[i] | self.high[i]) != 0) & ((low | high) != 0)
        disjoint = ((low & self.low[i]) | (high & self.high[i])) == 0
        return np.where(dated, apart, both_years & disjoint)

    def group(self, rows: list[int]) -> GroupTime:
        counted = Counter(y for r in rows for y in self.years[r])
        bearing = sum(1 for r in rows if self.years[r])
        low, high = _masks(y for y, n in counted.items() if 2 * n >= bearing)
        days = [int(self.day[r]) for r in rows if self.day[r] > 0]
        return GroupTime(low, high, min(days, default=0), max(days, default=0))


def groups_conflict(a: GroupTime, b: GroupTime) -> bool:
    if a.first and b.first:
        return a.first - b.last > WINDOW_DAYS or b.first - a.last > WINDOW_DAYS
    return bool(a.low | a.high) and bool(b.low | b.high) and not (a.low & b.low or a.high & b.high)
