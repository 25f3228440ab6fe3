"""Place resolution (annotate/places.py) against the real gazetteer, and its evaluation's scoring."""

from __future__ import annotations

import pytest

from newsroom.annotate.places import gazetteer, resolve_places
from newsroom.evaluate import places as evaluation
from newsroom.records import Article, Mention

NORTH_KOREA, SOUTH_KOREA, GEORGIA_COUNTRY, GEORGIA_STATE = 1873107, 1835841, 614540, 4197000
WASHINGTON_DC, SPRINGFIELD_IL = 4140963, 4250542


def places_of(text: str, names: list[str], dateline: str | None = None, dateline_end: int = 0):
    mentions, at = [], 0
    for name in names:
        at = text.index(name, at)
        mentions.append(Mention(at, at + len(name), name, "GPE"))
        at += len(name)
    article = Article("a", "a", "a", "txt", text, dateline=dateline, dateline_end=dateline_end)
    return {(p.mention_text, p.role): p for p in resolve_places(article, mentions)}


def test_aliases_of_a_country_are_one_place():
    found = places_of(
        "North Korea, the DPRK, and the Democratic People’s Republic of Korea are one country.",
        ["North Korea", "DPRK", "Democratic People’s Republic of Korea"],
    )
    assert {p.place_id for p in found.values()} == {NORTH_KOREA}
    assert all(p.status == "resolved" for p in found.values())


def test_an_ambiguous_name_is_decided_by_the_articles_other_places():
    alone = places_of("Lawmakers in Georgia met on Monday.", ["Georgia"])
    assert alone[("Georgia", "mention")].place_id == GEORGIA_COUNTRY  # a country before a US state
    in_us = places_of("Lawmakers in Georgia met in Atlanta on Monday.", ["Georgia", "Atlanta"])
    assert in_us[("Georgia", "mention")].place_id == GEORGIA_STATE
    bloomington = places_of(
        "A driver hit a woman in Bloomington, police in Minneapolis said.", ["Bloomington", "Minneapolis"]
    )
    assert bloomington[("Bloomington", "mention")].place.admin1_code == "MN"


def test_the_capital_before_the_state_and_the_dominant_city_before_its_namesakes():
    found = places_of("Officials in Washington and Paris spoke.", ["Washington", "Paris"])
    assert found[("Washington", "mention")].place_id == WASHINGTON_DC
    assert found[("Paris", "mention")].place.country_code == "FR"
    # whatever else the article names: the climate deal of Paris in a story about Texas and Illinois
    found = places_of(
        "Texas and Illinois officials in Washington criticized the Paris deal.",
        ["Texas", "Illinois", "Washington", "Paris"],
    )
    assert found[("Washington", "mention")].place_id == WASHINGTON_DC
    assert found[("Paris", "mention")].place.country_code == "FR"


def test_names_no_context_decides_and_names_of_no_place_stay_unresolved_with_a_reason():
    found = places_of("Crews in Springfield and on the Gulf Coast were ready.", ["Springfield", "Gulf Coast"])
    springfield, coast = found[("Springfield", "mention")], found[("Gulf Coast", "mention")]
    assert springfield.place is None and springfield.status == "ambiguous" and springfield.candidate_count > 5
    assert coast.place is None and coast.status == "not_in_gazetteer" and coast.candidate_count == 0
    in_illinois = places_of("Crews in Springfield, Illinois, were ready.", ["Springfield", "Illinois"])
    assert in_illinois[("Springfield", "mention")].place_id == SPRINGFIELD_IL


def test_the_dateline_city_is_the_place_of_reporting_read_with_its_region():
    text = "PORTLAND, Ore. — Crews worked through the night."
    found = places_of(text, [], dateline="Portland", dateline_end=len("PORTLAND, Ore. — "))
    portland = found[("Portland", "dateline")]
    assert portland.place.admin1_code == "OR" and (portland.start_char, portland.end_char) == (0, 8)
    above = places_of("Crews worked through the night in South Korea.", ["South Korea"], dateline="Seoul")
    assert above[("Seoul", "dateline")].place.country_code == "KR"
    assert (above[("Seoul", "dateline")].start_char, above[("Seoul", "dateline")].end_char) == (0, 0)


def test_a_place_carries_what_a_map_needs():
    (seoul,) = gazetteer().candidates("Seoul")
    assert seoul.feature == "city" and seoul.country_name == "South Korea"
    assert 37 < seoul.latitude < 38 and 126 < seoul.longitude < 128 and seoul.population > 9_000_000
    (korea,) = gazetteer().candidates("South Korea")
    assert korea.place_id == SOUTH_KOREA and korea.latitude == pytest.approx(seoul.latitude)


def test_the_labelled_sample_has_enough_places_and_its_scoring_counts_each_outcome():
    sample = evaluation.load_sample()
    assert sum(item.truth.isdigit() for item in sample) >= 60
    assert {item.half for item in sample} == {"odd topics", "even topics"}
    labelled = [
        evaluation.Labelled("1_1ecb.xml", 0, 5, "Paris", "2988507"),
        evaluation.Labelled("1_1ecb.xml", 10, 20, "Springfield", "4250542"),
        evaluation.Labelled("1_1ecb.xml", 30, 36, "Palin", "not_a_place"),
        evaluation.Labelled("1_1ecb.xml", 40, 56, "the Gulf of Aden", "none"),
        evaluation.Labelled("1_1ecb.xml", 60, 66, "Berlin", "2950159"),
        evaluation.Labelled("2_1ecb.xml", 0, 4, "Rome", "3169070"),
    ]
    predicted = {"1_1ecb.xml": [(0, 5, 2988507), (10, 20, None), (30, 36, 3591833), (44, 56, None), (60, 66, 1)]}
    counts = evaluation.score(labelled, predicted)
    assert counts == {
        "places": 3,
        "right": 1,
        "unresolved": 1,
        "wrong": 1,
        "non_places": 2,
        "non_place_given_a_place": 1,
        "non_place_left": 1,
        "not_found": 1,
    }


def test_a_failure_resolving_places_costs_the_article_its_places_only(monkeypatch):
    from newsroom import pipeline
    from newsroom.records import Annotation

    monkeypatch.setenv("NEWSROOM_FAULT", "places:raise=POISON-PLACES")
    text = "Officials in Seoul spoke. POISON-PLACES"
    article = Article("a", "a", "a", "txt", text)
    annotation = Annotation("a", [Mention(13, 18, "Seoul", "GPE")], [])
    assert pipeline._places(article, annotation) == []
    assert annotation.flags == ["places_failed:InjectedFault"]
    healthy = Annotation("b", [Mention(13, 18, "Seoul", "GPE")], [])
    (seoul,) = pipeline._places(Article("b", "b", "b", "txt", text.replace("POISON-PLACES", "")), healthy)
    assert seoul.place.name == "Seoul" and healthy.flags == []


def test_the_last_name_of_a_person_the_article_names_is_no_place():
    text = "Alaska Gov. Sarah Palin spoke at the church. Palin said the fire was set."
    palin = text.index("Palin", text.index("church"))
    mentions = [
        Mention(0, 6, "Alaska", "GPE"),
        Mention(text.index("Sarah"), text.index(" spoke"), "Sarah Palin", "PERSON"),
        Mention(palin, palin + 5, "Palin", "GPE"),  # spaCy's mistake
    ]
    found = {p.mention_text: p for p in resolve_places(Article("a", "a", "a", "txt", text), mentions)}
    assert found["Palin"].place is None and found["Palin"].status == "person_name"
    assert found["Alaska"].place.feature == "admin1"


def test_the_gazetteer_is_built_once_then_read_from_its_cache_file(tmp_path, monkeypatch):
    from newsroom import config
    from newsroom.annotate import places

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    places._built.cache_clear()
    try:
        built = places.gazetteer()
        (cached,) = tmp_path.glob("gazetteer-*.pickle")
        places._built.cache_clear()
        read = places.gazetteer()
        assert read is not built and read.by_name == built.by_name and read.alternate == built.alternate
        assert [p.place_id for p in read.candidates("Springfield")] == [
            p.place_id for p in built.candidates("Springfield")
        ]

        cached.write_bytes(cached.read_bytes()[:1000])  # a truncated file (a run killed while writing)
        stale = tmp_path / "gazetteer-0000000000000000.pickle"  # built from other sources
        stale.write_bytes(b"old")
        places._built.cache_clear()
        assert places.gazetteer().by_name == built.by_name
        assert sorted(tmp_path.iterdir()) == [cached] and len(cached.read_bytes()) > 1000
    finally:
        places._built.cache_clear()


def test_reading_the_gazetteer_leaves_the_garbage_collector_on_and_the_gazetteer_out_of_it(tmp_path, monkeypatch):
    """It is read with collection off (unpickling set off full collections of the heap); a
    collector left off after it would leak every reference cycle a run makes."""
    import gc

    from newsroom import config
    from newsroom.annotate import places

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    places._built.cache_clear()
    try:
        gazetteer = places.gazetteer()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0 and gc.is_tracked(gazetteer.by_name)
        assert not any(o is gazetteer.by_name for o in gc.get_objects())  # frozen: no collection walks it
    finally:
        places._built.cache_clear()
