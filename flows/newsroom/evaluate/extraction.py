"""`newsroom eval extraction`: body extraction scored on the article-extraction-benchmark
layout (ground-truth.json, html/*.html.gz, textdump/*.txt), on every set under the data
folder (AEB and L3S-GN1 by default), with reference extractors run in the same run on the
same pages: trafilatura alone on the HTML; keeping everything, jusText and trafilatura on
the text dumps (each line a paragraph).

Every page of these sets is a news article labelled by assessors, so a page the pipeline
rejects (no_article_body) is an error, and is counted, unless its input does not hold the
story: 28 of L3S-GN1's text dumps are empty or navigation only, and score 0 for every system
(their recall stays in the whole set's figure, which they cap near 0.95; a row beside it
scores the pages whose input holds the story). Each set is also scored on two halves split by
site (the URL's host, hashed): a figure that holds on one half and not the other is a fit to
the sample.
"""

from __future__ import annotations

import gzip
import hashlib
import html as html_lib
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..extract.article import build_article
from ..extract.inputs import split_seed_header
from ..records import Article, RawDocument
from .scoring import PRF, benchmark_prf, format_table, page_shingle_match

SYSTEMS = {
    "text": ["newsroom", "keep everything", "jusText", "trafilatura on lines"],
    "html": ["newsroom", "trafilatura alone"],
}
HOLDS_STORY = 0.5  # recall of keeping the whole input: 0 on L3S-GN1's 28, 0.8 or more on every other page of both sets
TARGETS = {("text", "newsroom"): "target F1 >= 0.93", ("html", "newsroom"): "target >= trafilatura + 0.01"}


@dataclass
class SetScores:
    name: str
    pages: int = 0
    # (format, system) -> per-page (p, r, f) triples; (format, half) -> newsroom's on that half
    scores: dict = field(default_factory=dict)
    rejected: dict = field(default_factory=lambda: {"text": [], "html": []})
    # inputs that hold under HOLDS_STORY of the gold story's shingles: nothing to find
    without_story: dict = field(default_factory=lambda: {"text": 0, "html": 0})
    per_page: list = field(default_factory=list)

    def add(self, key, triple) -> None:
        self.scores.setdefault(key, []).append(triple)


def _ours(doc: RawDocument) -> tuple[str, bool]:
    """(the body, whether the page was rejected)."""
    result = build_article(doc, date.today())
    return (result.body_text, False) if isinstance(result, Article) else ("", True)


def _as_html(text: str) -> str:
    lines = "".join(f"<p>{html_lib.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{lines}</body></html>"


def _justext(text: str) -> str:
    import justext

    paragraphs = justext.justext(_as_html(text), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _trafilatura(html: str, url: str | None = None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def site_half(url: str | None) -> str:
    """'A' or 'B' by the page's host, the same for every page of a site."""
    host = (urlsplit(url or "").hostname or "").removeprefix("www.")
    return "AB"[hashlib.sha256(host.encode()).digest()[0] % 2]


def _score_text(data: Path, page_id: str, gold: str, half: str, into: SetScores) -> None:
    path = data / "textdump" / f"{page_id}.txt"
    if not path.exists():
        return
    header_date, text = split_seed_header(path.read_text(encoding="utf-8", errors="replace"))
    ours, rejected = _ours(
        RawDocument(source_path=str(path), external_id=page_id, input_format="txt", text=text, date=header_date)
    )
    everything = page_shingle_match(gold, text)
    holds_story = everything[0] >= HOLDS_STORY * (everything[0] + everything[2])  # tp / (tp + fn)
    if not holds_story:
        into.without_story["text"] += 1
    elif rejected:
        into.rejected["text"].append(page_id)
    triple = page_shingle_match(gold, ours)
    into.add(("text", "newsroom"), triple)
    into.add(("text", f"half {half}"), triple)
    into.add(("text", "keep everything"), everything)
    reference = page_shingle_match(gold, _justext(text))
    into.add(("text", "jusText"), reference)
    into.add(("text", f"reference half {half}"), reference)
    if holds_story:
        into.add(("text", "half with story"), triple)
        into.add(("text", "reference half with story"), reference)
    into.add(("text", "trafilatura on lines"), page_shingle_match(gold, _trafilatura(_as_html(text))))
    into.per_page.append((benchmark_prf([triple]).f1, page_id, "text"))


def _score_html(data: Path, page_id: str, gold: str, url: str | None, half: str, into: SetScores) -> None:
    path = data / "html" / f"{page_id}.html.gz"
    if not path.exists():
        return
    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    ours, rejected = _ours(
        RawDocument(source_path=str(path), external_id=page_id, input_format="html", html=html, url=url)
    )
    if rejected:
        into.rejected["html"].append(page_id)
    triple = page_shingle_match(gold, ours)
    into.add(("html", "newsroom"), triple)
    into.add(("html", f"half {half}"), triple)
    reference = page_shingle_match(gold, _trafilatura(html, url))
    into.add(("html", "trafilatura alone"), reference)
    into.add(("html", f"reference half {half}"), reference)
    into.per_page.append((benchmark_prf([triple]).f1, page_id, "html"))


def score_set(data: Path) -> SetScores:
    truth = json.loads((data / "ground-truth.json").read_text())
    scored = SetScores(data.name, len(truth))
    for page_id, gold in sorted(truth.items()):
        body, url = gold.get("articleBody", ""), gold.get("url")
        half = site_half(url)
        _score_text(data, page_id, body, half, scored)
        _score_html(data, page_id, body, url, half, scored)
    return scored


def data_sets(data: Path) -> list[Path]:
    """The folder itself when it is a set, else every set below it."""
    if (data / "ground-truth.json").exists():
        return [data]
    return sorted(p.parent for p in data.glob("*/ground-truth.json"))


def _rows(scored: SetScores) -> list[tuple[str, PRF, str]]:
    rows = []
    for kind, systems in SYSTEMS.items():
        for system in systems:
            if (kind, system) in scored.scores:
                rows.append(
                    (
                        f"{kind}: {system}",
                        benchmark_prf(scored.scores[kind, system]),
                        TARGETS.get((kind, system), "reference"),
                    )
                )
        reference = "jusText" if kind == "text" else "trafilatura"
        subsets = {"A": "sites of half A", "B": "sites of half B", "with story": "pages whose input holds the story"}
        for half, label in subsets.items():
            pages = scored.scores.get((kind, f"half {half}"), [])
            if pages and (half != "with story" or scored.without_story[kind]):
                theirs = benchmark_prf(scored.scores[kind, f"reference half {half}"]).f1
                note = f"{reference} {theirs:.3f}"
                rows.append((f"{kind}: newsroom, {label} ({len(pages)} pages)", benchmark_prf(pages), note))
    return rows


def run(data: Path, worst: int = 0) -> dict[str, dict[str, PRF]]:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    results = {}
    for folder in data_sets(data):
        scored = score_set(folder)
        rows = _rows(scored)
        print(
            format_table(
                rows, f"Body extraction on {scored.pages} pages of {folder} (4-word shingles, averaged per page)"
            )
        )
        for kind, pages in scored.rejected.items():
            listed = f" ({', '.join(pages[:5])}{'...' if len(pages) > 5 else ''})" if pages else ""
            empty = scored.without_story[kind]
            note = f"; {empty} inputs do not hold the story (nothing to extract: 0 for every system)" if empty else ""
            print(f"  {kind}: real articles rejected as no_article_body: {len(pages)}{listed}{note}")
        print()
        if worst:
            print(f"worst {worst} pages of {scored.name}:")
            for f1, page_id, kind in sorted(scored.per_page)[:worst]:
                print(f"  {f1:.3f}  {kind:<4} {page_id}")
        results[scored.name] = {name: prf for name, prf, _ in rows}
    return results
