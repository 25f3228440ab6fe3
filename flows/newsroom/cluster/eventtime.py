"""When an article's event happened, as far as the article says: two reports whose times
cannot be the same are unlikely to be one event, however alike their words, and two that
name the same year are likelier to be.

Evidence of different times:
- publication dates: two articles published more than WINDOW_DAYS apart;
- years the text mentions, where a publication date is missing (scraped pages without
  one, archives): disjoint sets of years (a dated article counts its own year too). The
  years of its dates ("March 4, 2009", "12/16/08") where it writes any, else its bare years
  ("in 2008"): a report names its event's year more often than not, and a date is the
  report's or the event's time where a bare year is as often background.
Evidence of the same time: a common year (named, or of publication) and no evidence of
different times.

Kept as bit masks and day numbers in numpy arrays: the similarity of one article to its
few hundred candidates is asked several times for every new article.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..text import dates_in

WINDOW_DAYS = 60  # coverage of one event, follow-ups included
FIRST_YEAR = 1950  # years 1950-2077 are kept, in two 64-bit masks
_YEAR = re.compile(r"(?<![\d.,$£€])\b(?:19[5-9]\d|20[0-7]\d)\b(?![.,]\d)")


def years_mentioned(text: str) -> frozenset[int]:
    """The years of the text's dates ("March 4, 2009", "12/16/08") where it writes any, else
    every year it names: a year written as a date is the time of the report or its event,
    a bare one as often background ("his 2006 accident", "hosted in 1987")."""
    dated = frozenset(d.year for d in dates_in(text))
    return dated or frozenset(int(y) for y in _YEAR.findall(text))


def _masks(years) -> tuple[int, int]:
    bits = 0
    for year in years:
        if FIRST_YEAR <= year < FIRST_YEAR + 128:
            bits |= 1 << (year - FIRST_YEAR)
    return bits & (2**64 - 1), bits >> 64


CONFLICT, NEUTRAL, MATCH = -1, 0, 1


@dataclass
class GroupTime:
    """The time of a group of articles (a story): the years most of its year-bearing members
    name (and are dated in), and the span of its publication dates."""

    years: tuple[int, int]  # masks of the years named in the texts and of publication
    first: int  # date ordinals; 0 when no member has a date
    last: int


class EventTimes:
    def __init__(self, years: list[frozenset[int]], published: list[date | None]):
        """years: each article's years_mentioned (computed where it is annotated)."""
        self.years = [named | ({d.year} if d else set()) for named, d in zip(years, published, strict=True)]
        self._years = _mask_arrays(self.years)
        self.day = np.array([d.toordinal() if d else 0 for d in published], dtype=np.int64)

    def relation(self, i: int, rows: np.ndarray) -> np.ndarray:
        """For each of `rows`, CONFLICT if its event time and row i's cannot be the same,
        else MATCH if they share a year, else NEUTRAL."""
        dated = (self.day[i] > 0) & (self.day[rows] > 0)
        apart = np.abs(self.day[rows] - self.day[i]) > WINDOW_DAYS
        conflict = np.where(dated, apart, _disjoint(self._years, i, rows))
        match = _overlap(self._years, i, rows)
        return np.where(conflict, CONFLICT, np.where(match, MATCH, NEUTRAL))

    def group(self, rows: list[int]) -> GroupTime:
        days = [int(self.day[r]) for r in rows if self.day[r] > 0]
        return GroupTime(_majority(self.years, rows), min(days, default=0), max(days, default=0))


def group_relation(a: GroupTime, b: GroupTime) -> int:
    if a.first and b.first:
        conflict = a.first - b.last > WINDOW_DAYS or b.first - a.last > WINDOW_DAYS
    else:
        conflict = any(a.years) and any(b.years) and not (a.years[0] & b.years[0] or a.years[1] & b.years[1])
    if conflict:
        return CONFLICT
    return MATCH if a.years[0] & b.years[0] or a.years[1] & b.years[1] else NEUTRAL


def _majority(years: list[frozenset], rows: list[int]) -> tuple[int, int]:
    """Masks of the years named by at least half of the rows that name any."""
    counted = Counter(y for r in rows for y in years[r])
    bearing = sum(1 for r in rows if years[r])
    return _masks(y for y, n in counted.items() if 2 * n >= bearing)


def _mask_arrays(years: list[frozenset]) -> tuple[np.ndarray, np.ndarray]:
    masks = [_masks(y) for y in years]
    return np.array([m[0] for m in masks], dtype=np.uint64), np.array([m[1] for m in masks], dtype=np.uint64)


def _overlap(masks, i: int, rows: np.ndarray) -> np.ndarray:
    low, high = masks
    return ((low[rows] & low[i]) | (high[rows] & high[i])) != 0


def _disjoint(masks, i: int, rows: np.ndarray) -> np.ndarray:
    low, high = masks
    both = ((low[i] | high[i]) != 0) & ((low[rows] | high[rows]) != 0)
    return both & ~_overlap(masks, i, rows)
