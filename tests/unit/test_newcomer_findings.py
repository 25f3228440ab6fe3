"""What a new user saw on three articles of their own (a drought story, a harbour-bridge
vote, a library's hours; tests/data/newcomer/, written for these tests): each finding as a
check on the stage it belongs to, through extraction and annotation as a run does them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsroom.annotate.annotator import annotate
from newsroom.extract.article import build_article
from newsroom.extract.inputs import read_documents

NEWCOMER = Path(__file__).resolve().parents[1] / "data" / "newcomer"


@pytest.fixture(scope="module")
def annotated(nlp):  # the nlp fixture loads the model once for the session
    articles = [
        build_article(d, date(2026, 12, 1)) for p in sorted(NEWCOMER.glob("*.txt")) for d in read_documents(p, 10**7)
    ]
    return {
        a.external_id: (a, annotation) for a, annotation in zip(articles, annotate(articles, n_process=1), strict=True)
    }


def test_quote_text_has_no_edge_whitespace_nor_the_blanked_dateline(annotated):
    article, annotation = annotated["drought"]
    assert article.body_text.startswith("FRESNO, Calif. — Farms")
    first = min(annotation.quotes, key=lambda q: q.start_char)
    assert (
        first.quote_text.startswith("Farms in the San Joaquin Valley")
        and first.speaker_text == "the state water agency"
    )
    assert article.body_text[first.start_char :].startswith("Farms")
    for _, annotation in annotated.values():
        for quote in annotation.quotes:
            assert quote.quote_text == quote.quote_text.strip(), quote


def test_a_speaker_and_cue_are_no_quotation_of_their_own(annotated):
    _, annotation = annotated["library"]
    texts = [q.quote_text for q in annotation.quotes]
    assert not any(t.rstrip(",. ").endswith(" said") for t in texts), texts
    (weekend,) = [q for q in annotation.quotes if q.quote_text.startswith("families had asked")]
    assert weekend.speaker_canonical == "Dana Whitcombe"


def test_capitalised_common_nouns_are_no_persons(annotated):
    persons = {m.canonical_name for _, a in annotated.values() for m in a.mentions if m.label == "PERSON"}
    assert {"Almond", "Reservoirs", "harbour bridge"}.isdisjoint(persons), persons
    assert {"Tina Nguyen", "Ray Castillo", "Dana Whitcombe", "Helen Brandt", "Marcus Lee"} <= persons


def test_a_surname_speaker_is_the_full_name_used_earlier(annotated):
    _, annotation = annotated["drought"]
    speakers = {q.speaker_canonical for q in annotation.quotes if "Castillo" in (q.speaker_text or "")}
    assert speakers == {"Ray Castillo"}
    assert all(q.speaker_kind == "named_person" for q in annotation.quotes if "Castillo" in (q.speaker_text or ""))
    castillo = [m for m in annotation.mentions if m.mention_text == "Castillo"]
    assert len(castillo) == 2 and {m.canonical_name for m in castillo} == {"Ray Castillo"}


@pytest.mark.xfail(
    strict=True,
    reason="blocked (issue 15; docs/evaluation.md): alone in a warehouse of three, the two Port Ellery stories score 0.30 "
    "(text 0.16, entities 0.38, places and people 0.41, times x1.3 for their common year) against a join "
    "threshold of 0.22: the town and the council member weigh as much as a shared event would, and ECB+ has no "
    "pair of two events in one place to learn otherwise from",
)
def test_two_events_of_one_town_with_one_council_member_stay_two_stories(annotated, tmp_path):
    """The bridge vote and the library's Sunday hours share their town, its council and a
    council member quoted in both, seven weeks apart: two stories, through the load and the
    clustering stage as a run does them (the drought story on its own beside them)."""
    from newsroom.load import warehouse
    from newsroom.pipeline import cluster_warehouse

    con = warehouse.connect(tmp_path / "news.duckdb")
    try:
        warehouse.ensure_schema(con)
        warehouse.start_run(con, "run0", None, "newcomer")
        articles = [annotated[name][0] for name in sorted(annotated)]
        annotations = [annotated[name][1] for name in sorted(annotated)]
        ledger = [(a.source_path, a.article_id, "loaded") for a in articles]
        warehouse.load_batch(con, "run0", articles, annotations, [], ledger)
        cluster_warehouse(con, "run0")
        story = dict(
            con.execute(
                "select external_id, story_id from landing.articles join landing.story_members using (article_id)"
            ).fetchall()
        )
    finally:
        con.close()
    assert set(story) == {"bridge", "drought", "library"}
    assert len(set(story.values())) == 3, story
