"""`newsroom eval clusters`: story clustering scored by BCubed on labelled events (JSON Lines
{id, cluster, text, url}), running the real pipeline (flow, annotation, clustering, dbt) into
a temporary warehouse. Reference row, measured in the same run: TF-IDF cosine with
average-link agglomerative clustering at its best threshold on the same data."""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from pathlib import Path

import duckdb

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
    # an article the pipeline did not load is scored as a story of its own, not left out
    predicted = {item: loaded.get(item, f"not loaded: {item}") for item in gold}
    ours = bcubed(gold, predicted)
    reference, threshold = _reference(rows, gold)
    missing = len(set(gold) - set(loaded))
    print(
        format_table(
            [
                ("newsroom stories", ours, "target F1 >= 0.93"),
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
    return {"newsroom": ours, "reference": reference}
