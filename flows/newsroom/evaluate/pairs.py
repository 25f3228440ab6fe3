"""`newsroom train stories`: fit the story pair model (cluster/pair_model.py) on ECB+ dev,
cross-validated by topic half, and write it to cluster/pair_model.json.

The articles are annotated once by the real pipeline (as `eval clusters` does); each topic
half is then a warehouse of its own, as a held-back set is when it is scored. Two procedures
give a model on a half:
- the pair model: every pair of the half's articles, with the cosine of each feature block,
  how their event times relate and whether their protagonists conflict, labelled same event
  or not; the weights and factors by logistic regression of the label on the similarity
  they make (weights >= 0, factors bounded; L-BFGS-B, each class half the loss);
- the hand-set weights and factors of 2026-12-01, as they are.
Either way the thresholds come from the clustering stage itself, run on the half for every
(join, merge) of a grid and scored by BCubed F1: the point kept is the one whose grid
neighbours score best on average (a constant on a narrow ridge is a fit to the sample).
Each procedure fitted on topics 1-11 is scored on 12-22 and the reverse; the one with the
better mean of those two is refitted on all 22 topics and shipped, with the figures in its
provenance.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..cluster.eventtime import CONFLICT, MATCH
from ..cluster.pair_model import BLOCKS, FITTED, PairModel
from .scoring import PRF, bcubed, format_table

HAND_SET = PairModel(  # the constants of 2026-12-01, chosen by hand on all 22 topics
    weights={"text": 0.5, "entities": 0.2, "lead": 0.1, "numbers": 0.1, "places_people": 0.1},
    time_conflict=0.7,
    time_match=1.3,
    protagonist_conflict=0.75,
    join=0.20,
    merge=0.17,
)
# Each point of the grid is one clustering of a half (2 s here; 4 s for all 22 topics).
JOIN_GRID = np.round(np.arange(0.10, 0.341, 0.02), 3)
# The merge threshold as a share of the join threshold. Not below 0.8: a merge far below what
# joins would fuse stories none of whose articles would join the other, and it is the least
# determined constant (with 0.7 and 0.75 in the grid, the model fitted on topics 12-22 took
# 0.7 and scored 0.882 on topics 1-11, against 0.918; 2026-12-02).
MERGE_RATIOS = (0.8, 0.85, 0.9, 1.0)
L2 = 1e-3  # on the block weights: a block that says little gets little


@dataclasses.dataclass
class Half:
    name: str
    gold: dict[str, str]  # article_id -> event
    state: object  # records.WarehouseStories, its streams as lists (read again per clustering)


def annotated(rows: list[dict], warehouse: Path) -> None:
    """A warehouse of the rows, annotated by the real pipeline."""
    from ..pipeline import ingest

    inputs = warehouse.with_name("articles.jsonl")
    inputs.write_text("\n".join(json.dumps({"id": r["id"], "text": r["text"], "url": r.get("url")}) for r in rows))
    ingest(input_path=str(inputs), warehouse_path=str(warehouse))


def _half(warehouse: Path, name: str, gold_by_external: dict[str, str], keep) -> Half:
    """The topics for which keep(topic) holds, as a warehouse of their own, unclustered."""
    from ..load import stories as stories_store
    from ..load import warehouse as store

    copy = warehouse.with_name(f"{name.replace(' ', '_')}.duckdb")
    shutil.copyfile(warehouse, copy)
    con = store.connect(copy)
    try:
        ids = dict(con.execute("select article_id, external_id from landing.articles").fetchall())
        gold = {
            a: gold_by_external[e]
            for a, e in ids.items()
            if e in gold_by_external and keep(_topic(gold_by_external[e]))
        }
        con.execute("create temp table kept (article_id varchar)")
        con.executemany("insert into kept values (?)", [(a,) for a in gold])  # a few hundred rows, once
        for table in ("articles", "entity_mentions", "article_features"):
            con.execute(f"delete from landing.{table} where article_id not in (select article_id from kept)")
        for table in ("story_members", "story_merges", "article_links"):
            con.execute(f"delete from landing.{table}")
        state = stories_store.read(con, stories_store.unclustered(con))
        texts = state.corpus.texts(state.corpus.ids)  # read now: the state outlives the connection
        corpus = dataclasses.replace(state.corpus, texts=lambda ids: {a: texts[a] for a in ids})
        state = dataclasses.replace(state, corpus=corpus)
    finally:
        con.close()
    return Half(name, gold, state)


def _topic(event: str) -> int:
    return int(event.split("_")[0])


def cluster_score(half: Half, model: PairModel) -> PRF:
    """BCubed of the clustering stage run on the half with `model`."""
    from ..cluster import stage

    clustering = stage.cluster(half.state, model)
    return bcubed(half.gold, {a: clustering.members.get(a, f"alone {a}") for a in half.gold})


def pairs(half: Half) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of the half's articles: (block cosines n x 5, time relation, protagonist
    conflict, same event)."""
    from ..cluster import stage

    similarity = stage.similarity_model(half.state, HAND_SET)
    rows = {a: i for a, i in similarity.index.items() if a in half.gold}
    order = sorted(rows, key=rows.get)
    index = np.array([rows[a] for a in order])
    cosines = [(similarity.block(name)[index] @ similarity.block(name)[index].T).toarray() for name in BLOCKS]
    left, right = np.triu_indices(len(order), k=1)
    features = np.stack([c[left, right] for c in cosines], axis=1)
    relation = np.concatenate([similarity.times.relation(int(index[i]), index[i + 1 :]) for i in range(len(order))])
    conflict = similarity.protagonists.conflict(index[left], index[right])
    events = np.array([half.gold[a] for a in order])
    return features, relation, conflict, events[left] == events[right]


def fit_pairs(features, relation, conflict, same) -> PairModel:
    """Weights and factors by logistic regression of `same` on
    sum(w * cosines) * time factor * protagonist factor + b."""
    from scipy.optimize import minimize
    from scipy.special import log_expit

    is_conflict, is_match = (relation == CONFLICT).astype(float), (relation == MATCH).astype(float)
    person = conflict.astype(float)
    y = same.astype(float)
    balance = np.where(same, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))  # each class half the loss

    def loss(theta):
        w, (t_conflict, t_match, p_conflict, b) = theta[: len(BLOCKS)], theta[len(BLOCKS) :]
        scale = (1 + (t_conflict - 1) * is_conflict + (t_match - 1) * is_match) * (1 + (p_conflict - 1) * person)
        z = (features @ w) * scale + b
        return -np.mean(balance * (y * log_expit(z) + (1 - y) * log_expit(-z))) + L2 * float(w @ w)

    start = np.array([*(HAND_SET.weights[b] * 10 for b in BLOCKS), 0.7, 1.3, 0.75, -2.0])
    bounds = [(0, None)] * len(BLOCKS) + [(0.05, 1.0), (1.0, 3.0), (0.05, 1.0), (None, None)]
    theta = minimize(loss, start, method="L-BFGS-B", bounds=bounds).x
    w = theta[: len(BLOCKS)]
    total = float(w.sum())
    t_conflict, t_match, p_conflict, b = (float(v) for v in theta[len(BLOCKS) :])
    threshold = -b / total  # where the pair model says even odds, in the normalised similarity
    return PairModel(
        weights={name: round(float(v) / total, 4) for name, v in zip(BLOCKS, w, strict=True)},
        time_conflict=round(t_conflict, 4),
        time_match=round(t_match, 4),
        protagonist_conflict=round(p_conflict, 4),
        join=round(threshold, 4),
        merge=round(threshold, 4),
    )


def choose_thresholds(score: Callable[[PairModel], float], model: PairModel) -> tuple[PairModel, dict]:
    """The model with the (join, merge) of the grid whose neighbourhood (itself and the
    points one step either way on each axis) scores the best mean by `score` (the BCubed F1
    of a clustering), and what the grid scored."""
    grid = np.array([[score(_with(model, join, join * ratio)) for ratio in MERGE_RATIOS] for join in JOIN_GRID])
    padded = np.pad(grid, 1, constant_values=np.nan)  # beyond the grid: no neighbour
    rows, columns = grid.shape
    around = [padded[1 + i : 1 + i + rows, 1 + j : 1 + j + columns] for i in (-1, 0, 1) for j in (-1, 0, 1)]
    smooth = np.nanmean(np.stack(around), axis=0)
    i, j = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
    chosen = _with(model, JOIN_GRID[i], JOIN_GRID[i] * MERGE_RATIOS[j])
    return chosen, {"best": round(float(grid.max()), 4), "chosen": round(float(grid[i, j]), 4)}


def _with(model: PairModel, join: float, merge: float) -> PairModel:
    return dataclasses.replace(model, join=round(float(join), 4), merge=round(float(merge), 4))


# The two ways to a model, each cross-validated by topic half: the one with the better mean
# of the two held-out halves is refitted on all topics and shipped.
PROCEDURES = {
    "pair model (logistic weights and factors)": lambda half: fit_pairs(*pairs(half)),
    "hand-set weights and factors": lambda half: HAND_SET,
}


def train(procedure: str, half: Half) -> PairModel:
    """A model fitted on the half: its weights and factors by the procedure, its thresholds by
    the clustering of the half."""
    model, _ = choose_thresholds(lambda m: cluster_score(half, m).f1, PROCEDURES[procedure](half))
    return model


def cross_validate(first: Half, second: Half) -> tuple[dict[str, float], list]:
    """Per procedure the mean F1 of each half clustered by the model trained on the other,
    and the report's rows."""
    means, rows = {}, []
    for procedure in PROCEDURES:
        scores = []
        for train_on, score_on in ((first, second), (second, first)):
            model = train(procedure, train_on)
            score = cluster_score(score_on, model)
            scores.append(score.f1)
            rows.append((f"{score_on.name}, fitted on {train_on.name}", score, f"{procedure}: {_summary(model)}"))
        means[procedure] = float(np.mean(scores))
    return means, rows


def run(path: Path, write: bool = True, annotated_copy: Path | None = None, target: Path = FITTED) -> PairModel:
    """Cross-validate each procedure, refit the better one on every topic and (with `write`)
    ship it to `target`. annotated_copy: a file where the annotated articles are kept, and read from when
    it exists (annotation is the slow part)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {r["id"]: r["cluster"] for r in rows}
    with tempfile.TemporaryDirectory(prefix="newsroom-train-") as tmp:
        warehouse = Path(tmp) / "annotated.duckdb"
        if annotated_copy and annotated_copy.exists():
            shutil.copyfile(annotated_copy, warehouse)
        else:
            annotated(rows, warehouse)
            if annotated_copy:
                shutil.copyfile(warehouse, annotated_copy)
        first = _half(warehouse, "topics 1-11", gold, lambda t: t <= 11)
        second = _half(warehouse, "topics 12-22", gold, lambda t: t > 11)
        whole = _half(warehouse, "topics 1-22", gold, lambda t: True)
    means, report = cross_validate(first, second)
    chosen = max(means, key=means.get)
    shipped = train(chosen, whole)
    report.append(("topics 1-22, fitted on all (in sample)", cluster_score(whole, shipped), f"{chosen}: shipped"))
    print(format_table(report, f"Story pair model on {path}, cross-validated by topic half"))
    print("mean F1 of the held-out halves: " + "; ".join(f"{p} {f:.3f}" for p, f in means.items()))
    provenance = {
        "data": f"ECB+ topics 1-22 (CC BY 3.0), {len(rows)} articles",
        "procedure": chosen,
        "held_out_half_mean_f1": {p: round(f, 4) for p, f in means.items()},
        "fitted": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    shipped = dataclasses.replace(shipped, provenance=provenance)
    if write:
        target.write_text(shipped.to_json(), encoding="utf-8")
        print(f"written: {target}")
    return shipped


def _summary(model: PairModel) -> str:
    weights = " ".join(f"{b[:4]} {model.weights[b]:.2f}" for b in BLOCKS)
    return (
        f"{weights}; time x{model.time_conflict:.2f}/x{model.time_match:.2f}; person x{model.protagonist_conflict:.2f}; "
        f"join {model.join:.2f} merge {model.merge:.2f}"
    )
