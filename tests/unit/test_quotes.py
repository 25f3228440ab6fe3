"""Quote spans, attribution and speaker resolution on sentences written for each rule."""
from __future__ import annotations



from newsroom.annotate.entities import mentions_from_doc
from newsroom.annotate.quotes import extract_quotes, quoted_spans


def quotes_of(nlp, text):
    doc = nlp(text)
    return extract_quotes(doc, mentions_from_doc(doc))


def test_quoted_spans_straight_and_curly():
    text = 'He said "we will win" and “they will lose.”'
    assert [text[s:e] for s, e in quoted_spans(text)] == ["we will win", "they will lose."]


def test_unbalanced_marks_close_at_the_paragraph_and_never_raise():
    text = 'She said: "we will appeal the ruling\n\nThe court did not comment. He measured 12" of rain.'
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert spans[0] == "we will appeal the ruling"
    for odd in ['"', '“', '”', '"""', 'a " b “ c', "\n\n“\n\n"]:
        quoted_spans(odd)


def test_quote_running_over_paragraphs_is_one_quotation():
    text = '“We will rebuild the bridge.\n\n“It will take two years,” the mayor said.'
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert spans == ["We will rebuild the bridge.", "It will take two years,"]


def test_direct_quote_with_inverted_cue(nlp):
    (quote,) = quotes_of(nlp, '“We have never exported weapons to Russia,” said the official.')
    assert quote.quote_type == "direct"
    assert quote.quote_text.startswith("We have never exported weapons")
    assert quote.cue_text == "said" and quote.speaker_text == "the official"
    assert quote.speaker_kind == "anonymous_official"


def test_cue_before_a_colon(nlp):
    (quote,) = quotes_of(nlp, 'Mayor Anne Hidalgo said: "The games will be a success for everyone."')
    assert quote.quote_type == "direct" and "success" in quote.quote_text
    assert "Hidalgo" in quote.speaker_text and quote.speaker_kind == "named_person"
    assert quote.speaker_canonical == "Anne Hidalgo"


def test_indirect_speech(nlp):
    (quote,) = quotes_of(nlp, "The company said that profits would fall sharply next year because of higher costs.")
    assert quote.quote_type == "indirect"
    assert quote.quote_text.startswith("profits would fall")
    assert quote.speaker_text == "The company" and quote.speaker_kind == "organisation"


def test_according_to(nlp):
    (quote,) = quotes_of(nlp, "According to police, the suspect fled the scene in a stolen car before dawn.")
    assert quote.cue_text == "according to" and quote.speaker_text == "police"
    assert quote.quote_text.startswith("the suspect fled")


def test_mixed_quote(nlp):
    (quote,) = quotes_of(nlp, 'An unidentified official told the US to stop making "reckless remarks" and to "keep its mouth shut."')
    assert quote.quote_type == "mixed"
    assert "keep its mouth shut" in quote.quote_text and "stop making" in quote.quote_text
    assert quote.speaker_text == "An unidentified official"


def test_pronoun_resolves_to_the_earlier_person(nlp):
    text = "Prime Minister Jacinda Ardern visited the site on Monday. “We will rebuild,” she said."
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_mention_text == "she"
    assert "Ardern" in quote.speaker_text and quote.speaker_kind == "named_person"


def test_role_resolves_to_the_fuller_earlier_description(nlp):
    text = ("An unidentified North Korean defense official spoke to state media on Thursday.\n\n"
            "“We have never exported weapons or ammunition to Russia,” said the official, who was described as a vice director.")
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_mention_text == "the official"
    assert quote.speaker_text == "An unidentified North Korean defense official"
    assert quote.speaker_affiliation == "North Korean"


def test_anonymous_sources(nlp):
    (quote,) = quotes_of(nlp, "Sources said the deal would be announced on Friday after months of talks.")
    assert quote.speaker_kind == "anonymous_source"


def test_text_without_quotes_gives_none(nlp):
    assert quotes_of(nlp, "The river rose two metres overnight and flooded the lower town.") == []
