"""`newsroom eval places`: place resolution on a hand-labelled sample of ECB+ place mentions
(tests/data/places_sample.tsv: ids and offsets only, the texts read from ../shared/eval).

The product's own path is measured: the articles' entities from the annotate stage, then
annotate/places.py. A labelled mention no place mention overlaps counts as "not found" (an
NER miss, not a resolution) and is left out of the accuracy.
Printed for the whole sample and for each half by ECB+ topic (odd, even): a constant is set
on one half and confirmed on the other.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..config import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "tests" / "data" / "places_sample.tsv"


@dataclass
class Labelled:
    article: str
    start: int
    end: int
    mention: str
    truth: str  # a GeoNames id, "none" (not in the gazetteer) or "not_a_place"

    @property
    def half(self) -> str:
        return "odd topics" if int(self.article.split("_")[0]) % 2 else "even topics"


def load_sample(path: Path = SAMPLE) -> list[Labelled]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [Labelled(a, int(s), int(e), m, t) for a, s, e, m, t in rows[1:]]


def score(labelled: list[Labelled], predicted: dict[str, list[tuple[int, int, int | None]]]) -> Counter:
    """Counts over the labelled mentions: `predicted` maps an article to its place mentions
    (start, end, place id or None when unresolved). A labelled mention is the predicted one
    that overlaps it most ("the Gulf of Aden" and "Gulf of Aden"); none overlapping: not found."""
    counts = Counter()
    for item in labelled:
        overlaps = [
            (min(end, item.end) - max(start, item.start), place_id)
            for start, end, place_id in predicted.get(item.article, [])
            if start < item.end and item.start < end
        ]
        if not overlaps:
            counts["not_found"] += 1
            continue
        got = max(overlaps, key=lambda o: o[0])[1]
        if item.truth.isdigit():
            counts["places"] += 1
            counts["unresolved" if got is None else ("right" if got == int(item.truth) else "wrong")] += 1
        else:
            counts["non_places"] += 1
            counts["non_place_given_a_place" if got is not None else "non_place_left"] += 1
    return counts


def report_line(name: str, c: Counter) -> str:
    resolved = c["right"] + c["wrong"]
    accuracy = c["right"] / resolved if resolved else 0.0
    unresolved = c["unresolved"] / c["places"] if c["places"] else 0.0
    false = c["non_place_given_a_place"] / c["non_places"] if c["non_places"] else 0.0
    return (
        f"{name:<12} {accuracy:>9.3f} {unresolved:>11.3f} {c['places']:>7} {resolved:>9} "
        f"{false:>15.3f} {c['non_places']:>11} {c['not_found']:>10}"
    )


def predict(labelled: list[Labelled], ecbplus: Path) -> dict[str, list[tuple[int, int, int | None]]]:
    from ..annotate.annotator import annotate_each
    from ..annotate.places import resolve_places
    from ..extract.metadata import dateline_prefix
    from ..records import Article

    wanted = {item.article for item in labelled}
    texts = {}
    with ecbplus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"]
    articles = [
        Article(name, name, name, "jsonl", text, dateline_end=dateline_prefix(text)) for name, text in texts.items()
    ]
    predicted = {}
    for article, annotation in zip(articles, annotate_each(articles), strict=True):
        predicted[article.article_id] = [
            (p.start_char, p.end_char, p.place_id) for p in resolve_places(article, annotation.mentions)
        ]
    return predicted


def run(ecbplus: Path, sample: Path = SAMPLE) -> dict[str, float]:
    labelled = load_sample(sample)
    predicted = predict(labelled, ecbplus)
    print(
        f"Places on {len(labelled)} labelled mentions of {len({i.article for i in labelled})} ECB+ articles ({sample.name})"
    )
    print(
        f"{'':<12} {'accuracy':>9} {'unresolved':>11} {'places':>7} {'resolved':>9} "
        f"{'non-place given':>15} {'non-places':>11} {'not found':>10}"
    )
    figures = {}
    for name in ("all", "odd topics", "even topics"):
        part = [i for i in labelled if name == "all" or i.half == name]
        c = score(part, predicted)
        print(report_line(name, c))
        resolved = c["right"] + c["wrong"]
        prefix = "" if name == "all" else name.split()[0] + "_"
        figures[f"{prefix}accuracy"] = c["right"] / resolved if resolved else 0.0
        figures[f"{prefix}unresolved"] = c["unresolved"] / c["places"] if c["places"] else 0.0
    print(
        "accuracy: right / resolved, on mentions of a place the gazetteer has (target >= 0.90); unresolved:"
        " their share left unresolved (target <= 0.15); non-place given: names of no place in the gazetteer"
        " (a sea, a county, a person spaCy took for a place) that were given one anyway"
    )
    return figures
