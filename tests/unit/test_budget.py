"""The per-article time budget: an article whose newsroom passes overrun it is that
article's failure (annotation_over_budget), and the rest of its batch is annotated."""

from __future__ import annotations

import time

import pytest

from newsroom import workers
from newsroom.annotate import annotator, budget
from newsroom.records import Article

from conftest import SEED_ORIGINAL, read_seed


def test_check_raises_only_past_the_deadline():
    with budget.budget(60):
        budget.check()
    with budget.budget(0.001):
        time.sleep(0.01)
        with pytest.raises(budget.OverBudget):
            budget.check()
    budget.check()  # outside a budget: no limit


def _article(article_id: str, text: str) -> Article:
    return Article(article_id, article_id, f"{article_id}.txt", "txt", text)


def test_an_article_over_budget_is_its_own_failure(nlp, monkeypatch):
    story = read_seed(SEED_ORIGINAL)  # ~5 ms of newsroom passes
    # A pathological page, stood for by a fault that spins in the passes until the budget stops it
    # (every real pass is linear: a 94 KB page of 1,500 attributed quotations takes ~0.1 s).
    heavy = story.replace("North Korea", "North Korea STALL-HERE", 3)
    monkeypatch.setenv("NEWSROOM_FAULT", "annotate:stall=STALL-HERE")
    monkeypatch.setenv("NEWSROOM_ANNOTATION_BUDGET", "1.5")
    annotator._budget_seconds.cache_clear()
    try:
        annotations = workers.annotate_articles([_article("a", story), _article("heavy", heavy), _article("b", story)])
    finally:
        monkeypatch.delenv("NEWSROOM_ANNOTATION_BUDGET")
        annotator._budget_seconds.cache_clear()
    assert [a.article_id for a in annotations] == ["a", "heavy", "b"]
    good_a, over, good_b = annotations
    assert over.failure is not None and over.failure[0] == "annotation_over_budget"
    assert "1.5 s" in over.failure[1] and over.mentions == [] and over.quotes == [] and over.features is None
    for good in (good_a, good_b):
        assert good.failure is None and good.quotes and good.features is not None


def test_a_bad_setting_is_refused():
    from newsroom.config import SettingError, Settings

    for bad in ("abc", "0", "-1"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NEWSROOM_ANNOTATION_BUDGET", bad)
            with pytest.raises(SettingError, match="NEWSROOM_ANNOTATION_BUDGET"):
                Settings()
