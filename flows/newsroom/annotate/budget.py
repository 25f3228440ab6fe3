"""A per-article time budget for the newsroom passes (entities, quotes): the last resort.

Every pass is linear or n log n in the article's length (tests time doubling sizes), so a
page within the file limit should finish in seconds; the budget bounds what a pathological
page or a future regression could cost a worker. It is cooperative: the passes call
`check()` once per sentence, quotation or attribution (a clock read, ~50 ns), so it also
works in threads, where a signal cannot interrupt. spaCy's own parse is linear and runs on
pieces of at most 100,000 characters (annotator.PIECE_CHARS); it is not counted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("newsroom_annotation_deadline", default=None)


class OverBudget(Exception):
    """The article's newsroom passes ran past their time budget."""


@contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Passes run inside this block raise OverBudget once `seconds` have passed (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget
