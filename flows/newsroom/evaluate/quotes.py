"""`newsroom eval quotes`: quote extraction and attribution scored on PolNeAR (brat
standoff: Source, Cue and Content spans linked by an Attribution event)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..annotate.annotator import annotate
from ..extract.metadata import dateline_prefix
from ..records import Article
from .scoring import PRF, format_table

_TOKEN = re.compile(r"\w+")


@dataclass
class GoldAttribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)


def parse_ann(text: str) -> list[GoldAttribution]:
    spans: dict[str, list[tuple[int, int]]] = {}
    events = []
    for line in text.splitlines():
        # A span whose text holds a line break continues on the next line: those
        # continuation lines carry no annotation of their own.
        if "\t" not in line:
            continue
        if line.startswith("T"):
            ident, middle, *_ = line.split("\t")
            _, offsets = middle.split(" ", 1)
            spans[ident] = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
        elif line.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in line.split("\t")[1].split()))
    gold = []
    for event in events:
        if "Content" not in event or event["Content"] not in spans:
            continue
        gold.append(
            GoldAttribution(
                content=spans[event["Content"]],
                source=spans.get(event.get("Source", ""), []),
                cue=spans.get(event.get("Cue", ""), []),
            )
        )
    return gold


def load_split(data: Path) -> list[tuple[str, str, list[GoldAttribution]]]:
    """(name, text, gold) per article; where several annotators annotated an article, the
    first file (by name) is used."""
    chosen: dict[str, Path] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        base = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        chosen.setdefault(base, ann)
    articles = []
    for base, ann in sorted(chosen.items()):
        text_path = data / "text" / f"{base}.txt"
        if text_path.exists():
            articles.append((base, text_path.read_text(encoding="utf-8"), parse_ann(ann.read_text(encoding="utf-8"))))
    return articles


def _tokens(text: str, spans) -> set[int]:
    found = set()
    for start, end in spans:
        found |= {m.start() for m in _TOKEN.finditer(text, start, end)}
    return found


def _overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


@dataclass
class QuoteScores:
    overlap: PRF
    exact: PRF
    speaker_ok: int
    speaker_n: int
    cue_ok: int
    cue_n: int
    n_gold: int
    n_pred: int

    @property
    def speaker(self) -> float:
        return self.speaker_ok / self.speaker_n if self.speaker_n else 0.0

    @property
    def cue(self) -> float:
        return self.cue_ok / self.cue_n if self.cue_n else 0.0


def score(articles, predictions) -> QuoteScores:
    """Predicted quotes (one list per article, in order) against the gold attributions."""
    tp_overlap = tp_exact = n_pred = n_gold = 0
    speaker_ok = speaker_n = cue_ok = cue_n = 0
    for (_name, text, gold), predicted in zip(articles, predictions, strict=True):
        n_pred += len(predicted)
        n_gold += len(gold)
        pred_tokens = [_tokens(text, [(q.start_char, q.end_char)]) for q in predicted]
        gold_tokens = [_tokens(text, g.content) for g in gold]
        pairs = []
        for i, p in enumerate(pred_tokens):
            for j, g in enumerate(gold_tokens):
                shared = len(p & g)
                if p and g and shared >= 0.5 * len(p) and shared >= 0.5 * len(g):
                    pairs.append((shared / len(p | g), i, j))
        used_p, used_g = set(), set()
        for _, i, j in sorted(pairs, reverse=True):
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            tp_overlap += 1
            tp_exact += pred_tokens[i] == gold_tokens[j]
            quote, truth = predicted[i], gold[j]
            if truth.source:
                speaker_n += 1
                spans = [
                    (quote.speaker_start, quote.speaker_end),
                    (quote.speaker_resolved_start, quote.speaker_resolved_end),
                ]
                speaker_ok += any(s is not None and _overlaps((s, e), truth.source) for s, e in spans)
            if truth.cue and quote.cue_start is not None:
                cue_n += 1
                cue_ok += any(s <= quote.cue_start < e for s, e in truth.cue)
    return QuoteScores(
        overlap=PRF.from_counts(tp_overlap, n_pred - tp_overlap, n_gold - tp_overlap),
        exact=PRF.from_counts(tp_exact, n_pred - tp_exact, n_gold - tp_exact),
        speaker_ok=speaker_ok,
        speaker_n=speaker_n,
        cue_ok=cue_ok,
        cue_n=cue_n,
        n_gold=n_gold,
        n_pred=n_pred,
    )


def run(data: Path) -> dict[str, float]:
    articles = load_split(data)
    docs = [
        Article(
            article_id=name,
            external_id=name,
            source_path=name,
            input_format="txt",
            body_text=text,
            dateline_end=dateline_prefix(text),
        )
        for name, text, _ in articles
    ]
    scores = score(articles, (annotation.quotes for annotation in annotate(docs)))
    overlap, exact = scores.overlap, scores.exact
    print(
        format_table(
            [
                ("content, token overlap >= 0.5", overlap, "target F1 >= 0.85"),
                ("content, exact (tokens)", exact, ""),
            ],
            f"Quotes on {len(articles)} articles of {data}: {scores.n_gold} gold contents, {scores.n_pred} predicted",
        )
    )
    print(
        f"speaker accuracy {scores.speaker:.3f} ({scores.speaker_ok}/{scores.speaker_n} matched contents with a gold source; target >= 0.87)"
    )
    print(f"cue accuracy     {scores.cue:.3f} ({scores.cue_ok}/{scores.cue_n})")
    return {
        "overlap_f1": overlap.f1,
        "exact_f1": exact.f1,
        "speaker_accuracy": scores.speaker,
        "cue_accuracy": scores.cue,
        "overlap_precision": overlap.precision,
        "overlap_recall": overlap.recall,
    }
