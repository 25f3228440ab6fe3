"""Canonical entity names: merge surface variants, never two different entities."""

from __future__ import annotations

from newsroom.annotate.entities import (
    Mention,
    acronym_definitions,
    canonicalise,
    mentions_from_doc,
    normalise,
    trim_span,
)


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
    canon = _canon(
        text,
        [
            ("US", "GPE"),
            ("U.S.", "GPE"),
            ("United States", "GPE"),
            ("North Korea", "GPE"),
            ("DPRK", "ORG"),
            ("Democratic People’s Republic of Korea", "ORG"),
        ],
    )
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
    mentions = [
        Mention(0, 8, "Sung Kim", "PERSON"),
        Mention(13, 21, "Kim Gunn", "PERSON"),
        Mention(23, 26, "Kim", "PERSON"),
    ]
    canon = [m.canonical_name for m in canonicalise(mentions, text)]
    assert canon[2] == "Kim"  # two people called Kim: precision first


def test_a_surname_the_model_took_for_an_organisation_is_the_person_the_article_names_in_full():
    text = "Bob Menendez backed the bill. Menendez said the vote would come soon. Washington waited."
    mentions = [
        Mention(0, 12, "Bob Menendez", "PERSON"),
        Mention(30, 38, "Menendez", "ORG"),
        Mention(71, 81, "Washington", "GPE"),
    ]
    read = {m.mention_text: m for m in canonicalise(mentions, text)}
    assert read["Menendez"].canonical_name == "Bob Menendez" and read["Menendez"].label == "PERSON"
    # a place whose name is no full name's surname stays the place
    assert read["Washington"].canonical_name == "Washington" and read["Washington"].label == "GPE"


def test_a_first_name_the_model_took_for_a_place_stays_the_place():
    text = "Jordan Peterson spoke. Jordan closed its border."
    mentions = [Mention(0, 15, "Jordan Peterson", "PERSON"), Mention(23, 29, "Jordan", "GPE")]
    read = {m.mention_text: m for m in canonicalise(mentions, text)}
    assert read["Jordan"].canonical_name == "Jordan" and read["Jordan"].label == "GPE"


def test_label_is_made_consistent_by_majority_within_an_article():
    text = "Acme Corp grew. Acme Corp hired. Acme Corp said."
    mentions = [
        Mention(0, 9, "Acme Corp", "ORG"),
        Mention(16, 25, "Acme Corp", "ORG"),
        Mention(33, 42, "Acme Corp", "PERSON"),
    ]
    assert {m.label for m in canonicalise(mentions, text)} == {"ORG"}


def test_spacy_mentions_have_offsets_into_the_text(nlp):
    doc = nlp("North Korea's envoy met U.S. officials in Seoul on Thursday, the ministry said.")
    mentions = mentions_from_doc(doc)
    assert all(doc.text[m.start_char : m.end_char] == m.mention_text for m in mentions)
    names = {m.canonical_name for m in mentions}
    assert {"North Korea", "United States", "Seoul"} <= names
    assert "Thursday" not in {m.mention_text for m in mentions}  # dates are not entities here


def test_a_text_longer_than_the_model_takes_is_annotated_in_pieces_with_its_offsets(nlp):
    """spaCy refuses a text over nlp.max_length (E088); such an article is parsed in pieces
    and its mentions and quotes point into the whole text. Here the limit is lowered, as a
    2 MB page would meet the real one."""
    from newsroom.annotate import annotator
    from newsroom.records import Article

    paragraph = (
        'Senator Maria Lopez visited Chicago on Monday. "We will fund the new bridge," '
        "Lopez said. The city council met in the evening."
    )
    long_paragraph = " ".join([paragraph] * 60)  # one paragraph longer than a piece
    text = "\n\n".join([paragraph] * 200 + [long_paragraph])
    pipeline, limit = annotator.pipeline(), None
    limit, pipeline.max_length = pipeline.max_length, 6_000
    try:
        article = Article("a1", "long", "long.txt", "txt", text)
        (annotation,) = list(annotator.annotate([article], n_process=1))
    finally:
        pipeline.max_length = limit
    assert all(len(p) <= 6_000 for _, p in annotator.pieces(text, 6_000))
    assert "".join(p for _, p in annotator.pieces(text, 6_000)) == text
    names = {m.mention_text for m in annotation.mentions}
    assert {"Maria Lopez", "Chicago"} <= names
    assert all(text[m.start_char : m.end_char] == m.mention_text for m in annotation.mentions)
    assert annotation.mentions[-1].start_char > len(text) - len(long_paragraph)
    assert len(annotation.quotes) >= 200
    for quote in annotation.quotes:
        assert text[quote.start_char : quote.end_char] in quote.quote_text or quote.quote_text.startswith(
            text[quote.start_char : quote.start_char + 10]
        )
        assert text[quote.cue_start : quote.cue_start + len(quote.cue_text)] == quote.cue_text


def test_the_pipeline_runs_only_the_components_annotation_uses():
    """Loaded without the tagger, attribute ruler, lemmatizer and sentence recogniser (a
    third of spaCy's time), their names read from the package rather than a first load."""
    from newsroom.annotate import nlp as nlp_models

    assert nlp_models.load().pipe_names == ["tok2vec", "paragraph_breaks", "parser", "ner"]
    assert nlp_models.load().component_names == ["tok2vec", "paragraph_breaks", "parser", "ner"]
