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
    strict_ok: int = 0

    @property
    def speaker(self) -> float:
        return self.speaker_ok / self.speaker_n if self.speaker_n else 0.0

    @property
    def speaker_strict(self) -> float:
        return self.strict_ok / self.speaker_n if self.speaker_n else 0.0

    @property
    def cue(self) -> float:
        return self.cue_ok / self.cue_n if self.cue_n else 0.0


# Quotation marks only: a single quote is far more often an apostrophe ("don't", "Obama's");
# two apostrophes are the New York Times' quote mark in PolNeAR ("''We will win,'' he said").
QUOTE_MARKS = ('"', "\u201c", "\u201d", "''")
PRONOUNS = frozenset("i me my we us our you he him his she her they them their it its who one someone".split())
NEAREST_NAMED = 2
KINDS = ("all", "quoted", "indirect")  # the rows of `newsroom eval quotes`


def is_quoted(text: str, spans) -> bool:
    """A gold content is a quotation when a quote mark is inside it or just around it
    (annotators often leave the marks out of the span: '"We will win," he said')."""
    return any(any(mark in text[max(0, s - 2) : e + 2] for mark in QUOTE_MARKS) for s, e in spans)


def _is_pronoun(text: str) -> bool:
    return text.strip().lower() in PRONOUNS


def _antecedents(text: str, gold: list[GoldAttribution], source) -> list[tuple[int, int]]:
    """Where the gold speaker's entity may be for a pronoun source, as far as the annotation
    tells (PolNeAR has no coreference): the gold sources before it that carry a name, the
    NEAREST_NAMED nearest distinct ones ("Mr. Obama", "Clinton's campaign"; not "the letter", not another pronoun)."""
    start = source[0][0]
    earlier = sorted({span for g in gold for span in g.source if span[1] <= start}, reverse=True)
    chosen, seen = [], []
    for span in earlier:  # nearest first; the same speaker named again counts once
        names = _names(text[span[0] : span[1]])
        if names and not any(names & other for other in seen):
            chosen.append(span)
            seen.append(names)
        if len(chosen) == NEAREST_NAMED:
            break
    return chosen


_NOT_NAMES = frozenset("the a an this that these those his her their its our my mr mrs ms dr".split())


def _names(text: str) -> set[str]:
    return {w.lower() for w in _TOKEN.findall(text) if w[:1].isupper() and len(w) > 1 and w.lower() not in _NOT_NAMES}


def _speaker_right(text: str, quote, truth: GoldAttribution, gold, strict: bool) -> bool:
    """Lenient: the speaker at the cue or as resolved overlaps the gold source, or names the
    same person (another mention of "Caddell" is Caddell). Strict: the same, except that a
    gold pronoun is right only when it was resolved to the gold speaker's entity."""
    at_cue = (quote.speaker_start, quote.speaker_end)
    resolved = (quote.speaker_resolved_start, quote.speaker_resolved_end)
    speaker = getattr(quote, "speaker_text", None) or ""
    gold_text = " ".join(text[s:e] for s, e in truth.source)
    if not strict or not _is_pronoun(gold_text):
        return any(s is not None and _overlaps((s, e), truth.source) for s, e in (at_cue, resolved)) or bool(
            _names(speaker) & _names(gold_text)
        )
    # A pronoun is right only when it was resolved to the gold speaker's entity.
    antecedents = _antecedents(text, gold, truth.source)
    if not antecedents:  # nothing named before it ("I" in a column): as written
        return at_cue[0] is not None and _overlaps(at_cue, truth.source)
    if _is_pronoun(speaker):
        return False
    if resolved[0] is not None and _overlaps(resolved, antecedents):
        return True
    return any(_names(speaker) & _names(text[s:e]) for s, e in antecedents)


def _kind_of(quote) -> str:
    return "indirect" if getattr(quote, "quote_type", "indirect") == "indirect" else "quoted"


def score(articles, predictions, kind: str = "all") -> QuoteScores:
    """Predicted quotes (one list per article, in order) against the gold attributions; kind
    "quoted" scores direct and mixed quotations only (gold contents with a quote mark, predictions
    of type direct or mixed), "indirect" the rest."""
    tp_overlap = tp_exact = n_pred = n_gold = 0
    speaker_ok = strict_ok = speaker_n = cue_ok = cue_n = 0
    for (_name, text, all_gold), all_predicted in zip(articles, predictions, strict=True):
        gold = [g for g in all_gold if kind == "all" or (kind == "quoted") == is_quoted(text, g.content)]
        predicted = [q for q in all_predicted if kind == "all" or _kind_of(q) == kind]
        n_pred += len(predicted)
        n_gold += len(gold)
        # a quotation interrupted by its attribution is its pieces, as its quote_text is
        pred_tokens = [_tokens(text, getattr(q, "pieces", None) or [(q.start_char, q.end_char)]) for q in predicted]
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
                speaker_ok += _speaker_right(text, quote, truth, all_gold, strict=False)
                strict_ok += _speaker_right(text, quote, truth, all_gold, strict=True)
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
        strict_ok=strict_ok,
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
    predictions = [annotation.quotes for annotation in annotate(docs)]
    by_kind = {kind: score(articles, predictions, kind) for kind in KINDS}
    print(report(by_kind, f"Quotes on {len(articles)} articles of {data}"))
    figures = {}
    for kind, scores in by_kind.items():
        prefix = "" if kind == "all" else f"{kind}_"
        figures |= {
            f"{prefix}overlap_f1": scores.overlap.f1,
            f"{prefix}overlap_precision": scores.overlap.precision,
            f"{prefix}overlap_recall": scores.overlap.recall,
            f"{prefix}exact_f1": scores.exact.f1,
            f"{prefix}speaker_accuracy": scores.speaker,
            f"{prefix}speaker_strict": scores.speaker_strict,
            f"{prefix}cue_accuracy": scores.cue,
        }
    return figures


LABELS = {
    "all": ("all attributions", "target F1 >= 0.65, speaker (strict) kept"),
    "quoted": ("direct + mixed quotations", "target F1 >= 0.85, speaker (strict) >= 0.92"),
    "indirect": ("indirect only", ""),
}


def report(by_kind: dict[str, QuoteScores], title: str) -> str:
    """One block per kind: content P/R/F1 by token overlap and exact, speaker accuracy as the
    annotation's span (lenient) and with pronouns counted only when resolved (strict), cue."""
    rows, speakers = [], []
    for kind, scores in by_kind.items():
        label, note = LABELS[kind]
        rows.append((f"{label}, overlap >= 0.5", scores.overlap, note))
        rows.append((f"{label}, exact", scores.exact, f"{scores.n_gold} gold, {scores.n_pred} predicted"))
        speakers.append(
            f"{label:<26} speaker {scores.speaker:.3f} lenient, {scores.speaker_strict:.3f} strict"
            f" ({scores.speaker_n} matched contents with a gold source); cue {scores.cue:.3f}"
            f" ({scores.cue_ok}/{scores.cue_n})"
        )
    return "\n".join([format_table(rows, title), *speakers])
