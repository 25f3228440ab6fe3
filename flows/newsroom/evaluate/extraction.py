"""`newsroom eval extraction`: body extraction scored on the article-extraction-benchmark
layout (ground-truth.json, html/*.html.gz, textdump/*.txt), with two reference rows
measured in the same run: trafilatura alone on the HTML, and keeping everything of the
text dumps."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import date
from pathlib import Path

from ..extract.article import build_article
from ..extract.inputs import split_seed_header
from ..records import Article, RawDocument
from .scoring import PRF, benchmark_prf, format_table, page_shingle_match


def _body(doc: RawDocument) -> str:
    result = build_article(doc, date.today())
    return result.body_text if isinstance(result, Article) else ""


def run(data: Path, worst: int = 0) -> dict[str, PRF]:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    truth = json.loads((data / "ground-truth.json").read_text())
    scores: dict[str, list] = {"ours_text": [], "keep_all_text": [], "ours_html": [], "trafilatura_html": []}
    per_page: list[tuple[float, str, str]] = []
    for page_id, gold in sorted(truth.items()):
        body, url = gold.get("articleBody", ""), gold.get("url")
        dump_path = data / "textdump" / f"{page_id}.txt"
        if dump_path.exists():
            dump = dump_path.read_text(encoding="utf-8", errors="replace")
            header_date, text = split_seed_header(dump)
            ours = _body(
                RawDocument(
                    source_path=str(dump_path), external_id=page_id, input_format="txt", text=text, date=header_date
                )
            )
            scores["ours_text"].append(page_shingle_match(body, ours))
            scores["keep_all_text"].append(page_shingle_match(body, text))
            per_page.append((benchmark_prf([scores["ours_text"][-1]]).f1, page_id, "text"))
        html_path = data / "html" / f"{page_id}.html.gz"
        if html_path.exists():
            html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
            ours = _body(
                RawDocument(source_path=str(html_path), external_id=page_id, input_format="html", html=html, url=url)
            )
            scores["ours_html"].append(page_shingle_match(body, ours))
            scores["trafilatura_html"].append(page_shingle_match(body, trafilatura.extract(html, url=url) or ""))
            per_page.append((benchmark_prf([scores["ours_html"][-1]]).f1, page_id, "html"))
    results = {name: benchmark_prf(pages) for name, pages in scores.items() if pages}
    rows = [
        ("text dumps: newsroom", results.get("ours_text"), "target F1 >= 0.93"),
        ("text dumps: keep everything", results.get("keep_all_text"), "reference"),
        ("HTML: newsroom", results.get("ours_html"), "target F1 >= 0.96"),
        ("HTML: trafilatura alone", results.get("trafilatura_html"), "reference"),
    ]
    print(
        format_table(
            [r for r in rows if r[1] is not None],
            f"Body extraction on {len(truth)} pages of {data} (4-word shingles, averaged per page)",
        )
    )
    if worst:
        print(f"\nworst {worst} pages:")
        for f1, page_id, kind in sorted(per_page)[:worst]:
            print(f"  {f1:.3f}  {kind:<4} {page_id}")
    return results
