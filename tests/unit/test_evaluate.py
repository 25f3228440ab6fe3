"""The metrics behind the evaluation commands, and the extraction command on a tiny data
set laid out like the benchmark's."""
from __future__ import annotations

import gzip
import json

import pytest

from newsroom.evaluate import extraction
from newsroom.evaluate.scoring import bcubed, benchmark_prf, page_shingle_match

STORY = ("The city council voted on Tuesday to expand the bus network, a decision that officials said "
         "would add twelve routes and cost about four million dollars a year. Critics said fares would rise.")


def test_shingle_match_counts_overlap_normalised_per_page():
    assert page_shingle_match("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = page_shingle_match("a b c d e f", "a b c d x y")
    # 4-word shingles: abcd bcde cdef vs abcd bcdx cdxy -> tp 1, fp 2, fn 2, over 5
    assert (tp, fp, fn) == (pytest.approx(1 / 5), pytest.approx(2 / 5), pytest.approx(2 / 5))


def test_benchmark_averages_precision_and_recall_per_page():
    perfect, half = (1.0, 0.0, 0.0), (0.5, 0.5, 0.0)
    result = benchmark_prf([perfect, half])
    assert result.precision == pytest.approx(0.75) and result.recall == pytest.approx(1.0)
    assert result.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_bcubed_on_a_textbook_case():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y", "d": "y"}).f1 == pytest.approx(1.0)
    merged = bcubed(gold, dict.fromkeys(gold, "x"))
    assert merged.recall == pytest.approx(1.0) and merged.precision == pytest.approx(0.5)
    split = bcubed(gold, {k: k for k in gold})
    assert split.precision == pytest.approx(1.0) and split.recall == pytest.approx(0.5)


def test_extraction_command_scores_a_small_benchmark(tmp_path, capsys):
    (tmp_path / "html").mkdir()
    (tmp_path / "textdump").mkdir()
    truth = {}
    for n in range(2):
        page_id = f"page{n}"
        body = STORY.replace("Tuesday", ["Monday", "Friday"][n])
        truth[page_id] = {"articleBody": body, "url": f"https://example.com/{n}"}
        dump = "\n".join(["Home", "World", "Sign up for our newsletter", body, body.replace("bus", "tram"), "Copyright 2020 Example"])
        (tmp_path / "textdump" / f"{page_id}.txt").write_text(dump)
        html = f"<html><body><nav>Home World</nav><article><p>{body}</p></article><footer>Copyright</footer></body></html>"
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    results = extraction.run(tmp_path)
    out = capsys.readouterr().out
    assert "text dumps: newsroom" in out and "HTML: trafilatura alone" in out
    assert results["keep_all_text"].recall == pytest.approx(1.0)
    assert results["ours_text"].precision > results["keep_all_text"].precision
    assert results["ours_html"].f1 > 0.8


def test_evaluation_figures_are_kept_for_the_docs_one_block_per_command(tmp_path):
    from newsroom.evaluate import record

    figures, block = tmp_path / "evaluations.json", tmp_path / "evaluation_figures.md"
    record.save("clusters", "BCubed F1 0.878\n", tmp_path / "ecbplus.jsonl", figures, block)
    record.save("extraction", "F1 0.937\n", tmp_path / "aeb", figures, block)
    record.save("clusters", "BCubed F1 0.901\n", tmp_path / "ecbplus.jsonl", figures, block)
    text = block.read_text()
    assert text.startswith("{% docs evaluation_figures %}") and text.rstrip().endswith("{% enddocs %}")
    assert "0.901" in text and "0.878" not in text  # the latest figures replace the earlier ones
    assert text.index("eval extraction") < text.index("eval clusters")  # pipeline order
    assert set(json.loads(figures.read_text())) == {"clusters", "extraction"}
