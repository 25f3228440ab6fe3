"""The story pair model: what ships, how it is fitted, and that clustering obeys it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsroom.cluster.pair_model import BLOCKS, PairModel, fitted


def test_the_shipped_model_is_complete_and_round_trips():
    model = fitted()
    assert set(model.weights) == set(BLOCKS) and abs(sum(model.weights.values()) - 1) < 1e-3
    assert 0 < model.time_conflict <= 1 <= model.time_match and 0 < model.protagonist_conflict <= 1
    assert 0 < model.merge <= model.join < 1
    assert PairModel.from_json(model.to_json()) == model
    broken = model.to_json().replace('"numbers"', '"digits"')
    with pytest.raises(ValueError, match="numbers"):
        PairModel.from_json(broken)


def test_the_pair_fit_finds_the_block_and_the_time_evidence_that_decide():
    """Synthetic pairs where sameness shows in the text cosine and in conflicting times, and
    the other blocks are noise: the fit weighs text most and scales conflicts down."""
    from newsroom.cluster.eventtime import CONFLICT, MATCH, NEUTRAL
    from newsroom.evaluate.pairs import fit_pairs

    rng = np.random.default_rng(7)
    n = 4000
    same = rng.random(n) < 0.3
    features = rng.random((n, len(BLOCKS))) * 0.3
    features[:, 0] = np.where(same, rng.normal(0.45, 0.1, n), rng.normal(0.15, 0.1, n)).clip(0, 1)
    relation = np.where(same, rng.choice([NEUTRAL, MATCH], n), rng.choice([NEUTRAL, CONFLICT, CONFLICT], n))
    model = fit_pairs(features, relation, np.zeros(n, dtype=bool), same)
    assert max(model.weights, key=model.weights.get) == "text" and model.weights["text"] > 0.5
    assert model.time_conflict < 0.9
    assert 0.1 < model.join < 0.45  # even odds fall between the two classes' text cosines


def test_thresholds_are_taken_from_a_plateau_not_a_lone_peak():
    from newsroom.evaluate import pairs

    def score(model: PairModel) -> float:
        if model.join == 0.14 and abs(model.merge - 0.14 * 0.85) < 1e-6:
            return 0.99  # one point of the grid, its neighbours far below: a fit to the sample
        return 0.9 if 0.22 <= model.join <= 0.28 else 0.5

    chosen, grid = pairs.choose_thresholds(score, fitted())
    assert 0.22 <= chosen.join <= 0.28 and grid == {"best": 0.99, "chosen": 0.9}


def _state(texts: list[str]):
    from newsroom.cluster.similarity import ArticleFeatures, corpus_of
    from newsroom.records import WarehouseStories

    ids = [f"a{i:02d}" for i in range(len(texts))]
    corpus = corpus_of([ArticleFeatures(i, t, []) for i, t in zip(ids, texts, strict=True)])
    return WarehouseStories(new_order=ids, corpus=corpus, members={}, story_age={})


def test_clustering_follows_the_model_it_is_given():
    """Two reports of one fire, told in other words, are one story under a model whose
    thresholds their similarity clears, and two under one whose thresholds it does not."""
    from newsroom.cluster import stage

    texts = [
        "A fire destroyed a warehouse in the port of Valdora on Tuesday night. Firefighters from three "
        "towns fought the blaze for six hours. Officials said nobody was hurt in the Valdora warehouse fire.",
        "Flames gutted a Valdora port warehouse late Tuesday, and crews from neighbouring towns needed six "
        "hours to control the blaze. The Valdora warehouse fire hurt nobody, the harbour master said; the "
        "fire's cause and the blaze's cost to the warehouse owners are not yet known in Valdora.",
    ]
    lenient = dataclasses.replace(fitted(), join=0.02, merge=0.02)
    together = stage.cluster(_state(texts), lenient)
    assert len(set(together.members.values())) == 1
    strict = dataclasses.replace(fitted(), join=0.99, merge=0.99)
    apart = stage.cluster(_state(texts), strict)
    assert len(set(apart.members.values())) == 2
