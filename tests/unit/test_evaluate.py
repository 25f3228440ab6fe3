"""The metrics behind the evaluation commands, and the extraction command on a tiny data
set laid out like the benchmark's."""

from __future__ import annotations

import gzip
import json
from types import SimpleNamespace

import pytest

from newsroom.evaluate import extraction, quotes
from newsroom.evaluate.scoring import bcubed, benchmark_prf, page_shingle_match

STORY = (
    "The city council voted on Tuesday to expand the bus network, a decision that officials said "
    "would add twelve routes and cost about four million dollars a year. Critics said fares would rise."
)


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
        dump = "\n".join(
            ["Home", "World", "Sign up for our newsletter", body, body.replace("bus", "tram"), "Copyright 2020 Example"]
        )
        (tmp_path / "textdump" / f"{page_id}.txt").write_text(dump)
        html = (
            f"<html><body><nav>Home World</nav><article><p>{body}</p></article><footer>Copyright</footer></body></html>"
        )
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    results = extraction.run(tmp_path)[tmp_path.name]
    out = capsys.readouterr().out
    assert "text: newsroom" in out and "html: trafilatura alone" in out and "text: jusText" in out
    assert "real articles rejected as no_article_body: 0" in out
    assert results["text: keep everything"].recall == pytest.approx(1.0)
    assert results["text: newsroom"].precision > results["text: keep everything"].precision
    assert results["html: newsroom"].f1 > 0.8


def test_an_input_without_the_story_is_no_rejected_article_and_is_scored_apart(tmp_path, capsys):
    """L3S-GN1 has text dumps that are empty or navigation only: rejecting one is right, it
    scores 0 for every system, and a row scores the pages whose input holds the story."""
    (tmp_path / "textdump").mkdir()
    truth = {}
    for n, dump in enumerate([f"Home\nWorld\n{STORY}\nCopyright 2020 Example", "News |\nSports |\n" * 15]):
        truth[f"page{n}"] = {"articleBody": STORY, "url": f"https://example.com/{n}"}
        (tmp_path / "textdump" / f"page{n}.txt").write_text(dump)
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    results = extraction.run(tmp_path)[tmp_path.name]
    out = capsys.readouterr().out
    assert "real articles rejected as no_article_body: 0; 1 inputs do not hold the story" in out
    assert results["text: newsroom"].recall == pytest.approx(
        results["text: newsroom, pages whose input holds the story (1 pages)"].recall / 2
    )


def test_extraction_halves_split_by_site():
    assert extraction.site_half("https://www.example.com/a") == extraction.site_half("http://example.com/b/c")
    halves = {extraction.site_half(f"https://site{n}.example/x") for n in range(20)}
    assert halves == {"A", "B"}


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


ANN = (
    "T1\tSource 0 10\tThe mayor\n"
    "T2\tCue 11 15\tsaid\n"
    "T3\tContent 16 60\tthe buses\n"
    "would run on time\n"  # a span text with a line break continues on the next line
    "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    "E2\tAttribution:T2 Source:T1\n"  # no content: nothing to score
)


def test_brat_attributions_parse_spans_that_run_over_a_line():
    (gold,) = quotes.parse_ann(ANN)
    assert gold.content == [(16, 60)] and gold.source == [(0, 10)] and gold.cue == [(11, 15)]


def test_quote_scoring_matches_by_token_overlap_and_checks_speaker_and_cue():
    text = "The mayor said the new buses would run on time every single day."
    gold = [quotes.GoldAttribution(content=[(15, 64)], source=[(0, 9)], cue=[(10, 14)])]

    def quote(start, end, speaker=(0, 9)):
        return SimpleNamespace(
            start_char=start,
            end_char=end,
            speaker_start=speaker[0],
            speaker_end=speaker[1],
            speaker_resolved_start=None,
            speaker_resolved_end=None,
            cue_start=10,
        )

    exact = quotes.score([("a", text, gold)], [[quote(15, 64)]])
    assert exact.overlap.f1 == pytest.approx(1.0) and exact.exact.f1 == pytest.approx(1.0)
    assert exact.speaker == pytest.approx(1.0) and exact.cue == pytest.approx(1.0)
    # "the new buses would run on time": 7 of the gold's 11 tokens, all of its own: a match, not exact
    partial = quotes.score([("a", text, gold)], [[quote(15, 46, speaker=(50, 55))]])
    assert partial.overlap.f1 == pytest.approx(1.0) and partial.exact.f1 == 0.0
    assert partial.speaker == 0.0
    # "the new buses": 3 of 11 gold tokens is not half: a false positive and a miss
    missed = quotes.score([("a", text, gold)], [[quote(15, 28)]])
    assert missed.overlap.precision == 0.0 and missed.overlap.recall == 0.0


def _predicted(start, end, speaker, resolved=None, speaker_text="", quote_type="direct", cue_start=None):
    return SimpleNamespace(
        start_char=start,
        end_char=end,
        speaker_start=speaker[0],
        speaker_end=speaker[1],
        speaker_resolved_start=resolved[0] if resolved else None,
        speaker_resolved_end=resolved[1] if resolved else None,
        speaker_text=speaker_text,
        quote_type=quote_type,
        cue_start=cue_start,
    )


def test_quote_rows_split_quotations_from_indirect_speech():
    text = 'Smith said the plan would fail badly. "We will win this race," Jones said.'
    assert not quotes.is_quoted(text, [(11, 36)])
    assert quotes.is_quoted(text, [(39, 60)])  # the marks sit just outside the annotated span
    nyt = "Smith's plan would fail. ''We will win this race,'' Jones said."
    assert quotes.is_quoted(nyt, [(27, 49)]) and not quotes.is_quoted(nyt, [(0, 23)])  # two apostrophes, not one
    gold = [
        quotes.GoldAttribution(content=[(11, 36)], source=[(0, 5)], cue=[(6, 10)]),
        quotes.GoldAttribution(content=[(39, 60)], source=[(63, 68)], cue=[(69, 73)]),
    ]
    predicted = [
        _predicted(11, 36, (0, 5), quote_type="indirect"),
        _predicted(39, 60, (63, 68), quote_type="direct"),
    ]
    articles = [("a", text, gold)]
    by_kind = {kind: quotes.score(articles, [predicted], kind) for kind in quotes.KINDS}
    assert (by_kind["all"].n_gold, by_kind["quoted"].n_gold, by_kind["indirect"].n_gold) == (2, 1, 1)
    assert by_kind["quoted"].overlap.f1 == pytest.approx(1.0)
    # a quotation predicted as indirect speech counts against both rows
    wrong_type = [predicted[0], _predicted(39, 60, (63, 68), quote_type="indirect")]
    assert quotes.score(articles, [wrong_type], "quoted").overlap.recall == 0.0
    assert quotes.score(articles, [wrong_type], "indirect").overlap.precision == pytest.approx(0.5)


def test_strict_speaker_wants_a_gold_pronoun_resolved_to_the_person_named_before_it():
    text = 'Senator Warren spoke on Monday. "We will win this race," she said.'
    she = (57, 60)
    gold = [
        quotes.GoldAttribution(content=[(0, 14)], source=[(0, 14)], cue=[(15, 20)]),
        quotes.GoldAttribution(content=[(33, 54)], source=[she], cue=[(61, 65)]),
    ]
    articles = [("a", text, [gold[1]] + [gold[0]])]

    def strict(prediction):
        return quotes.score(articles, [[prediction]], "quoted").speaker_strict

    def lenient(prediction):
        return quotes.score(articles, [[prediction]], "quoted").speaker

    unresolved = _predicted(33, 54, she, speaker_text="she")
    resolved = _predicted(33, 54, she, resolved=(0, 14), speaker_text="Senator Warren")
    named_elsewhere = _predicted(33, 54, she, speaker_text="Elizabeth Warren")  # another mention of her
    someone_else = _predicted(33, 54, she, resolved=(80, 90), speaker_text="Mr. Brown")
    assert lenient(unresolved) == 1.0 and strict(unresolved) == 0.0
    assert strict(resolved) == 1.0 and strict(named_elsewhere) == 1.0
    assert lenient(someone_else) == 1.0 and strict(someone_else) == 0.0


def test_a_pronoun_with_nobody_named_before_it_is_right_as_written():
    text = '"I have never seen a race like this one," I said.'
    gold = [quotes.GoldAttribution(content=[(1, 40)], source=[(42, 43)], cue=[(44, 48)])]
    prediction = _predicted(1, 40, (42, 43), speaker_text="I")
    scores = quotes.score([("a", text, gold)], [[prediction]], "quoted")
    assert scores.speaker == 1.0 and scores.speaker_strict == 1.0


def test_a_quotation_interrupted_by_its_attribution_is_scored_on_its_pieces():
    text = '"We will rebuild the old bridge," the mayor of the town said on Monday. "It will take two years."'
    first, second = text.index("We will"), text.index("It will")
    pieces = [(first, text.index('"', first)), (second, len(text) - 1)]
    mayor = (text.index("the mayor"), text.index(" said"))
    gold = [quotes.GoldAttribution(content=pieces, source=[mayor], cue=[])]
    joined = _predicted(pieces[0][0], pieces[1][1], mayor, speaker_text="the mayor of the town")
    assert quotes.score([("a", text, gold)], [[joined]]).exact.f1 == 0.0  # the attribution between counted in
    joined.pieces = pieces
    assert quotes.score([("a", text, gold)], [[joined]]).exact.f1 == pytest.approx(1.0)


def test_places_command_scores_a_labelled_sample_through_the_product(tmp_path, capsys):
    from newsroom.evaluate import places

    texts = {
        "1_1ecb.xml": "Leaders from France met in Paris on Monday to discuss the new trade agreement.",
        "2_1ecb.xml": "Fire crews in Springfield worked through the night to save the old mill.",
    }
    (tmp_path / "ecb.jsonl").write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in texts.items()))
    rows = [
        ("1_1ecb.xml", "France", "3017382"),
        ("1_1ecb.xml", "Paris", "2988507"),
        ("2_1ecb.xml", "Springfield", "4250542"),  # Illinois' capital, but nothing in the text says which
    ]
    lines = ["# a comment line", "article\tstart\tend\tmention\ttruth"]
    for article, name, truth in rows:
        start = texts[article].index(name)
        lines.append(f"{article}\t{start}\t{start + len(name)}\t{name}\t{truth}")
    (tmp_path / "sample.tsv").write_text("\n".join(lines) + "\n")
    figures = places.run(tmp_path / "ecb.jsonl", tmp_path / "sample.tsv")
    out = capsys.readouterr().out
    assert "Places on 3 labelled mentions of 2 ECB+ articles" in out and "odd topics" in out
    assert figures["accuracy"] == pytest.approx(1.0) and figures["unresolved"] == pytest.approx(1 / 3)
    assert figures["odd_unresolved"] == 0.0 and figures["even_unresolved"] == pytest.approx(1.0)
