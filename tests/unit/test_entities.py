"""Canonical entity names: merge surface variants, never two different entities."""
from __future__ import annotations

from newsroom.annotate.entities import Mention, acronym_definitions, canonicalise, mentions_from_doc, normalise, trim_span


def _canon(text: str, spans: list[tuple[str, str]]) -> dict[str, str]:
    mentions, cursor = [], 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        mentions.append(Mention(start, cursor, surface, label))
    return {m.mention_text: m.canonical_name for m in canonicalise(mentions, text)}


def test_normalise_strips_possessives_leading_the_and_quotes():
    assert normalise("North Korea's") == "North Korea"
    assert normalise("the United States") == "United States"
    assert normalise("“Pyongyang’s”") == "Pyongyang"
    assert normalise("U.S.") == "U.S."


def test_trim_span_keeps_offsets_pointing_at_the_name():
    text = "said the United States' envoy to North Korea."
    start = text.index("the United")
    s, e = trim_span(text, start, start + len("the United States'"))
    assert text[s:e] == "United States"
    s, e = trim_span(text, text.index("North"), len(text))
    assert text[s:e] == "North Korea"


def test_curated_aliases_merge_country_names():
    text = "US, U.S. and the United States; North Korea, DPRK and the Democratic People’s Republic of Korea."
    canon = _canon(text, [("US", "GPE"), ("U.S.", "GPE"), ("United States", "GPE"), ("North Korea", "GPE"),
                          ("DPRK", "ORG"), ("Democratic People’s Republic of Korea", "ORG")])
    assert {canon[k] for k in ("US", "U.S.", "United States")} == {"United States"}
    assert {canon[k] for k in ("North Korea", "DPRK", "Democratic People’s Republic of Korea")} == {"North Korea"}


def test_acronym_defined_in_the_article_merges_with_its_name():
    text = "The Korean Central News Agency (KCNA) reported the launch. KCNA said it was a success."
    assert acronym_definitions(text) == {"kcna": "Korean Central News Agency"}
    canon = _canon(text, [("Korean Central News Agency", "ORG"), ("KCNA", "ORG")])
    assert set(canon.values()) == {"Korean Central News Agency"}


def test_short_person_name_extends_to_the_one_full_name_in_the_article():
    text = "Sung Kim met Kim Gunn. Later Gunn said talks went well."
    canon = _canon(text, [("Sung Kim", "PERSON"), ("Kim Gunn", "PERSON"), ("Gunn", "PERSON")])
    assert canon["Gunn"] == "Kim Gunn"


def test_ambiguous_short_name_is_not_merged():
    text = "Sung Kim met Kim Gunn. Kim said talks went well."
    mentions = [Mention(0, 8, "Sung Kim", "PERSON"), Mention(13, 21, "Kim Gunn", "PERSON"), Mention(23, 26, "Kim", "PERSON")]
    canon = [m.canonical_name for m in canonicalise(mentions, text)]
    assert canon[2] == "Kim"  # two people called Kim: precision first


def test_label_is_made_consistent_by_majority_within_an_article():
    text = "Acme Corp grew. Acme Corp hired. Acme Corp said."
    mentions = [Mention(0, 9, "Acme Corp", "ORG"), Mention(16, 25, "Acme Corp", "ORG"), Mention(33, 42, "Acme Corp", "PERSON")]
    assert {m.label for m in canonicalise(mentions, text)} == {"ORG"}


def test_spacy_mentions_have_offsets_into_the_text(nlp):
    doc = nlp("North Korea's envoy met U.S. officials in Seoul on Thursday, the ministry said.")
    mentions = mentions_from_doc(doc)
    assert all(doc.text[m.start_char : m.end_char] == m.mention_text for m in mentions)
    names = {m.canonical_name for m in mentions}
    assert {"North Korea", "United States", "Seoul"} <= names
    assert "Thursday" not in {m.mention_text for m in mentions}  # dates are not entities here
