"""Standard metrics, written once and shared by the evaluation commands."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, p: float, r: float) -> PRF:
        """Precision, recall and their harmonic mean."""
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)

    @classmethod
    def from_counts(cls, tp: float, fp: float, fn: float) -> PRF:
        return cls.of(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def shingle_counts(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_shingle_match(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """The article-extraction-benchmark's per-page score: (tp, fp, fn) over n-word shingles
    (with multiplicity), normalised to sum to 1 so long pages weigh no more than short ones."""
    t, p = shingle_counts(true, n), shingle_counts(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def benchmark_prf(pages: list[tuple[float, float, float]]) -> PRF:
    """Precision and recall averaged over pages, F1 of the two averages (the benchmark's way)."""

    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [precision(*x) for x in pages if x[0] + x[1] > 0]
    rs = [recall(*x) for x in pages if x[0] + x[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return PRF.of(p, r)


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> PRF:
    """BCubed precision/recall/F1 over items (Bagga & Baldwin), items in both mappings."""
    items = [i for i in gold if i in predicted]
    by_gold: dict[str, set] = {}
    by_pred: dict[str, set] = {}
    for item in items:
        by_gold.setdefault(gold[item], set()).add(item)
        by_pred.setdefault(predicted[item], set()).add(item)
    p = r = 0.0
    for item in items:
        same_pred, same_gold = by_pred[predicted[item]], by_gold[gold[item]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = (p / len(items), r / len(items)) if items else (0.0, 0.0)
    return PRF.of(p, r)


def format_table(rows: list[tuple[str, PRF, str]], title: str) -> str:
    width = max(len(r[0]) for r in rows) + 2
    lines = [title, f"{'':<{width}}{'precision':>10}{'recall':>10}{'F1':>10}  note"]
    for name, prf, note in rows:
        lines.append(f"{name:<{width}}{prf.precision:>10.3f}{prf.recall:>10.3f}{prf.f1:>10.3f}  {note}")
    return "\n".join(lines)
