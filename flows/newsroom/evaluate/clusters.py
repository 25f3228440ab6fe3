"""`newsroom eval clusters`: story clustering scored by BCubed on labelled events (JSON Lines
{id, cluster, text, url}), running the real pipeline (flow, annotation, clustering, dbt) into
a temporary warehouse. Reference row, measured in the same run: TF-IDF cosine with
average-link agglomerative clustering at its best threshold on the same data."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

from .scoring import PRF, bcubed, format_table


def _reference(rows: list[dict], gold: dict[str, str]) -> tuple[PRF, float]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ..text import content_stems

    vectors = (
        TfidfVectorizer(analyzer=content_stems, sublinear_tf=True).fit_transform([r["text"] for r in rows]).toarray()
    )
    best = (PRF(0, 0, 0), 0.0)
    for step in range(10, 100, 5):
        threshold = step / 100
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        ).fit_predict(vectors)
        score = bcubed(gold, {r["id"]: str(label) for r, label in zip(rows, labels, strict=True)})
        if score.f1 > best[0].f1:
            best = (score, threshold)
    return best


def _merged_events(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, int]:
    """Per topic: article pairs from different events of the topic put in one story."""
    confusion: dict[str, int] = defaultdict(int)
    items = sorted(i for i in gold if i in predicted)
    by_story = defaultdict(list)
    for item in items:
        by_story[predicted[item]].append(item)
    for members in by_story.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                topic_a, topic_b = gold[a].split("_")[0], gold[b].split("_")[0]
                if topic_a == topic_b and gold[a] != gold[b]:
                    confusion[topic_a] += 1
    return dict(confusion)


RUN_SIZE = 12  # articles a run in the figure of arrival run by run (an hourly schedule's share)


def _clustered_in_runs(warehouse: Path, run_size: int) -> dict[str, str]:
    """external_id -> story_id when the eval's articles, annotated as they are, arrive
    `run_size` at a time in the order they were loaded, as the scheduled runs add them: the
    clustering stage alone, run after run, on a copy of the eval warehouse."""
    from ..load import warehouse as store
    from ..pipeline import cluster_warehouse

    copy = warehouse.with_name("in-runs.duckdb")
    shutil.copyfile(warehouse, copy)
    con = store.connect(copy)
    try:
        for table in ("story_members", "story_merges", "article_links"):
            con.execute(f"delete from landing.{table}")
        con.execute("create temp table held as select * from landing.articles")
        con.execute("delete from landing.articles")
        ids = [a for (a,) in con.execute("select article_id from held order by loaded_at, article_id").fetchall()]
        for run, start in enumerate(range(0, len(ids), run_size)):
            arriving = pa.table({"article_id": ids[start : start + run_size]})  # noqa: F841 - read by name
            con.execute("insert into landing.articles select * from held where article_id in (select * from arriving)")
            cluster_warehouse(con, f"eval-run-{run}")
        return dict(
            con.execute(
                "select external_id, story_id from landing.articles join landing.story_members using (article_id)"
            ).fetchall()
        )
    finally:
        con.close()


def _by_topic_half(gold: dict[str, str], predicted: dict[str, str]) -> list[tuple[str, PRF]]:
    """BCubed on topics 1-11 and on topics 12-22 (ids' clusters read 'topic_event')."""
    halves = []
    for name, first in (("topics 1-11", True), ("topics 12-22", False)):
        part = {i: c for i, c in gold.items() if c.split("_")[0].isdigit() and (int(c.split("_")[0]) <= 11) == first}
        halves.append((name, bcubed(part, {i: predicted[i] for i in part})))
    return halves


def run(path: Path) -> dict[str, PRF]:
    from ..pipeline import ingest

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {r["id"]: r["cluster"] for r in rows}
    with tempfile.TemporaryDirectory(prefix="newsroom-eval-") as tmp:
        inputs = Path(tmp) / "articles.jsonl"
        inputs.write_text("\n".join(json.dumps({"id": r["id"], "text": r["text"], "url": r.get("url")}) for r in rows))
        warehouse = Path(tmp) / "eval.duckdb"
        result = ingest(input_path=str(inputs), warehouse_path=str(warehouse))
        con = duckdb.connect(str(warehouse), read_only=True)
        loaded = dict(con.execute("select external_id, story_id from marts.articles").fetchall())
        con.close()
        in_runs = _clustered_in_runs(warehouse, RUN_SIZE)
    # an article the pipeline did not load is scored as a story of its own, not left out
    predicted = {item: loaded.get(item, f"not loaded: {item}") for item in gold}
    predicted_in_runs = {item: in_runs.get(item, f"not loaded: {item}") for item in gold}
    ours, ours_in_runs = bcubed(gold, predicted), bcubed(gold, predicted_in_runs)
    reference, threshold = _reference(rows, gold)
    missing = len(set(gold) - set(loaded))
    print(
        format_table(
            [
                ("newsroom stories, one run", ours, "target F1 >= 0.93"),
                *((f"  {half}", score, "") for half, score in _by_topic_half(gold, predicted)),
                (f"newsroom stories, {RUN_SIZE} articles a run", ours_in_runs, "as scheduled runs add them"),
                *((f"  {half}", score, "") for half, score in _by_topic_half(gold, predicted_in_runs)),
                (f"TF-IDF average-link @ {threshold:.2f}", reference, "reference, best threshold on this data"),
            ],
            f"Story clusters (BCubed) on {len(rows)} articles, {len(set(gold.values()))} events, of {path}",
        )
    )
    print(
        f"stories: {len(set(loaded.values()))}; articles not loaded (each scored as its own story): {missing}; "
        f"clustering stage {result['stage_seconds'].get('cluster', 0):.1f} s"
    )
    merged = _merged_events(gold, predicted)
    print(
        "within-topic confusion (pairs of articles from two events of a topic in one story): "
        + (
            ", ".join(
                f"topic {t}: {n}" for t, n in sorted(merged.items(), key=lambda x: int(x[0]) if x[0].isdigit() else 0)
            )
            or "none"
        )
    )
    return {"newsroom": ours, "newsroom_in_runs": ours_in_runs, "reference": reference}
