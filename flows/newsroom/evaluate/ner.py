"""`newsroom eval ner`: entity-level micro F1 for PER/ORG/LOC on CoNLL-2003 (IOB tags), the
product's entity layer against the bare spaCy model, both measured in the same run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..annotate import nlp as nlp_models
from ..annotate.entities import mentions_from_doc
from .scoring import PRF, format_table

# spaCy (OntoNotes) labels -> CoNLL labels; MISC and the rest are not scored.
TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
SCORED = ("PER", "ORG", "LOC")


def read_conll(path: Path) -> list[tuple[str, set[tuple[int, int, str]]]]:
    """Documents as (text, gold entities as (start_char, end_char, type)). Tokens are joined
    by spaces and sentences by newlines, so character offsets map back to tokens."""
    documents, sentences, sentence = [], [], []

    def close_document() -> None:
        if sentence:
            sentences.append(list(sentence))
            sentence.clear()
        if sentences:
            documents.append(_document(sentences))
            sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close_document()
        elif not line.strip():
            if sentence:
                sentences.append(list(sentence))
                sentence.clear()
        else:
            parts = line.split()
            sentence.append((parts[0], parts[-1]))
    close_document()
    return documents


def _document(sentences) -> tuple[str, set[tuple[int, int, str]]]:
    text_parts, gold, offset = [], set(), 0
    for sentence in sentences:
        current = None
        for token, tag in sentence:
            start = offset
            end = start + len(token)
            prefix, _, label = tag.partition("-")
            if current and (prefix in ("B", "O") or label != current[2]):
                gold.add(tuple(current))
                current = None
            if prefix in ("B", "I") and label in SCORED:
                current = [start, end, label] if current is None else [current[0], end, label]
            text_parts.append(token)
            offset = end + 1
        if current:
            gold.add(tuple(current))
        text_parts[-1] += "\n"
    text = ""
    for part in text_parts:
        text += part if part.endswith("\n") else part + " "
    return text, gold


def run(path: Path) -> dict[str, PRF]:
    documents = read_conll(path)
    nlp = nlp_models.load()
    counts = {"bare": Counter(), "newsroom": Counter()}
    docs = nlp.pipe((t for t, _ in documents), batch_size=32, n_process=nlp_models.processes())
    for (_text, gold), doc in zip(documents, docs, strict=True):
        bare = {(e.start_char, e.end_char, TO_CONLL[e.label_]) for e in doc.ents if e.label_ in TO_CONLL}
        ours = {(m.start_char, m.end_char, TO_CONLL[m.label]) for m in mentions_from_doc(doc) if m.label in TO_CONLL}
        for name, predicted in (("bare", bare), ("newsroom", ours)):
            counts[name]["tp"] += len(predicted & gold)
            counts[name]["fp"] += len(predicted - gold)
            counts[name]["fn"] += len(gold - predicted)
    results = {name: PRF.from_counts(c["tp"], c["fp"], c["fn"]) for name, c in counts.items()}
    print(
        format_table(
            [
                ("newsroom entities", results["newsroom"], "target: F1 >= bare + 0.02"),
                (f"bare {nlp_models.model_name()}", results["bare"], "reference"),
            ],
            f"Entities (PER/ORG/LOC, exact span and type) on {len(documents)} documents of {path}",
        )
    )
    print(f"difference: {results['newsroom'].f1 - results['bare'].f1:+.3f} F1")
    return results
