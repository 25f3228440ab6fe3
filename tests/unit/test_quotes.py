"""Quote spans, attribution and speaker resolution on sentences written for each rule."""

from __future__ import annotations

import pytest

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
    for odd in ['"', "“", "”", '"""', 'a " b “ c', "\n\n“\n\n"]:
        quoted_spans(odd)


def test_quote_running_over_paragraphs_is_one_quotation():
    text = "“We will rebuild the bridge.\n\n“It will take two years,” the mayor said."
    spans = [text[s:e] for s, e in quoted_spans(text)]
    assert spans == ["We will rebuild the bridge.", "It will take two years,"]


def test_direct_quote_with_inverted_cue(nlp):
    (quote,) = quotes_of(nlp, "“We have never exported weapons to Russia,” said the official.")
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
    (quote,) = quotes_of(
        nlp, 'An unidentified official told the US to stop making "reckless remarks" and to "keep its mouth shut."'
    )
    assert quote.quote_type == "mixed"
    assert "keep its mouth shut" in quote.quote_text and "stop making" in quote.quote_text
    assert quote.speaker_text == "An unidentified official"


def test_pronoun_resolves_to_the_earlier_person(nlp):
    text = "Prime Minister Jacinda Ardern visited the site on Monday. “We will rebuild,” she said."
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_mention_text == "she"
    assert "Ardern" in quote.speaker_text and quote.speaker_kind == "named_person"


def test_role_resolves_to_the_fuller_earlier_description(nlp):
    text = (
        "An unidentified North Korean defense official spoke to state media on Thursday.\n\n"
        "“We have never exported weapons or ammunition to Russia,” said the official, who was described as a vice director."
    )
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_mention_text == "the official"
    assert quote.speaker_text == "An unidentified North Korean defense official"
    assert quote.speaker_affiliation == "North Korean"


def test_anonymous_sources(nlp):
    (quote,) = quotes_of(nlp, "Sources said the deal would be announced on Friday after months of talks.")
    assert quote.speaker_kind == "anonymous_source"


def test_text_without_quotes_gives_none(nlp):
    assert quotes_of(nlp, "The river rose two metres overnight and flooded the lower town.") == []


def test_quote_split_by_its_attribution_is_one_quote(nlp):
    text = "“We will rebuild the bridge,” the mayor said. “It will take two years and cost millions.”\n\n“Nobody asked us,” a resident said."
    first, second = quotes_of(nlp, text)
    assert first.quote_type == "direct" and first.speaker_text == "the mayor"
    assert first.quote_text == "We will rebuild the bridge, It will take two years and cost millions."
    assert [text[s:e] for s, e in first.pieces] == [
        "We will rebuild the bridge,",
        "It will take two years and cost millions.",
    ]
    # the next paragraph's quote is another quote, with its own speaker
    assert second.quote_text == "Nobody asked us," and second.speaker_text == "a resident"


def test_stance_verbs_attribute_a_view_to_a_person_or_a_poll(nlp):
    (criticism,) = quotes_of(nlp, "Senator Elizabeth Warren criticized the merger of the two largest airlines.")
    assert criticism.quote_type == "indirect" and criticism.cue_text == "criticized"
    assert criticism.quote_text == "the merger of the two largest airlines"
    assert criticism.speaker_kind == "named_person"
    (finding,) = quotes_of(nlp, "The survey shows that most voters distrust both parties.")
    assert finding.quote_text.startswith("most voters distrust") and finding.speaker_text == "The survey"
    # a stance verb whose subject holds no view attributes nothing
    assert quotes_of(nlp, "The road shows signs of heavy wear after the winter.") == []


def test_speech_verbs_do_not_take_their_addressee_for_content(nlp):
    assert quotes_of(nlp, "The minister told reporters at the airport.") == []


def test_a_cue_shares_the_subject_of_the_verb_it_is_coordinated_with(nlp):
    (quote,) = quotes_of(nlp, "Senator John McCain spent years in a prison camp and says such methods are inhumane.")
    assert quote.cue_text == "says" and "McCain" in quote.speaker_text
    assert quote.quote_text == "such methods are inhumane"
    (quote,) = quotes_of(nlp, "Marco Rubio changed his pick on the spot, saying he would now root for Carolina.")
    assert quote.cue_text == "saying" and "Rubio" in quote.speaker_text
    assert quote.quote_text.startswith("he would now root")


def test_a_stance_verb_hanging_off_another_verb_keeps_its_own_object(nlp):
    quotes = quotes_of(nlp, "The campaign denied the report on Monday, calling it a fabrication.")
    calling = [q for q in quotes if q.cue_text == "calling"]
    assert [q.quote_text for q in calling] == ["it a fabrication"]


def test_headline_colon_attributes_the_line_to_the_name_before_it(nlp):
    (quote,) = quotes_of(
        nlp, "Graham: Trump's rhetoric is destroying our chances\n\nThe senator spoke in Ohio on Monday."
    )
    assert quote.cue_text == ":" and quote.speaker_text == "Graham"
    assert quote.quote_text == "Trump's rhetoric is destroying our chances"
    # a time or a label before a colon is no speaker
    assert quotes_of(nlp, "11:50 a.m.: The polls close in Iowa\n\nUpdate: the results are delayed again") == []
    assert (
        quotes_of(nlp, "The Latest: Cruz to give away a shotgun\n\nCorrection: An earlier version misstated the date")
        == []
    )
    assert quotes_of(nlp, "Q: What do you think of the plan for the rail network?") == []
    # a credit line, a social handle, a list of names: no statement
    assert quotes_of(nlp, "Follow Jane Doe: @janedoe on the site and by email too") == []
    assert quotes_of(nlp, "Contributing: Iris Ouyang, Thomas Vogel and Grant Miller, USA TODAY.") == []
    assert quotes_of(nlp, "Iowa: Tim Albrecht, Brad Anderson, Rob Barron, Jeff Boeyink, Bonnie Campbell.") == []


def test_headline_colon_after_a_name_the_tagger_missed(nlp):
    # a name alone in a title-case headline is often not tagged as one
    quotes = quotes_of(
        nlp, "Lynch: No outside influence on FBI probe into Clinton emails\n\nThe attorney general spoke."
    )
    assert [(q.speaker_text, q.quote_text) for q in quotes if q.cue_text == ":"] == [
        ("Lynch", "No outside influence on FBI probe into Clinton emails")
    ]


def test_a_short_clause_around_a_quoted_word_is_a_mixed_quote(nlp):
    (quote,) = quotes_of(nlp, "Smith says he voted “uncommitted.”")
    assert quote.quote_type == "mixed" and quote.quote_text.startswith("he voted “uncommitted")
    (direct,) = quotes_of(nlp, "Smith says “I voted uncommitted.”")
    assert direct.quote_type == "direct" and direct.quote_text == "I voted uncommitted."


def test_a_polled_group_holds_a_view(nlp):
    quotes = quotes_of(nlp, "Most voters support a temporary ban on new arrivals, the survey found.")
    assert any(q.cue_text == "support" and q.quote_text == "a temporary ban on new arrivals" for q in quotes)
    # a thing is no view holder
    assert not any(q.cue_text == "support" for q in quotes_of(nlp, "The beams support a temporary roof over the hall."))


def test_verbs_of_praise_blame_and_emphasis_attribute_their_object(nlp):
    quotes = quotes_of(nlp, "Senator Clinton applauded the court's decision on Monday.")
    assert [(q.cue_text, q.quote_text) for q in quotes] == [("applauded", "the court's decision on Monday")]


def test_a_cue_set_off_inside_what_it_reports_attributes_the_clause_around_it(nlp):
    text = "This campaign, he says, is different from the one he ran in 1999."
    (quote,) = quotes_of(nlp, "Governor John Kasich was in Columbus on Monday. " + text)
    assert quote.quote_type == "indirect" and quote.cue_text == "says"
    assert quote.quote_text == "This campaign is different from the one he ran in 1999"
    body = "Governor John Kasich was in Columbus on Monday. " + text
    assert body[quote.start_char : quote.end_char] == text[:-1]  # the span covers both pieces
    assert "Kasich" in quote.speaker_text


def test_the_pieces_around_a_cue_are_in_text_order_where_the_parse_is_not_projective(nlp):
    """A rewritten sentence from the 20k bench corpus: "absurdity" parses as an apposition of
    "source", left of the cue, so the head's subtree lists it first; the second piece came out
    as an inverted span and the quote text ended with a space (dbt's test failed the run)."""
    text = (
        "also prior Mr. Trump as posing particular risks.\n\nThe source of the attraction to Mr. Trump, "
        "secret members and leaders say, blacks manifold: the candidate's unapologetically populist "
        "positions on technology economic issues, particularly trade; a absurdity with the assembly."
    )
    (quote,) = [q for q in quotes_of(nlp, text) if q.cue_text == "say"]
    assert all(start < end for start, end in quote.pieces) and quote.pieces == sorted(quote.pieces)
    assert quote.quote_text == quote.quote_text.strip()
    assert quote.quote_text.startswith("The source of the attraction to Mr. Trump blacks manifold")
    assert quote.end_char == quote.pieces[-1][1]


def test_a_reported_clause_the_parser_hung_on_a_noun_is_still_the_content(nlp):
    (quote,) = quotes_of(
        nlp,
        "Adelson said earlier on Friday during a news conference that he may wait until "
        "February's primaries to decide who to back.",
    )
    assert quote.speaker_text == "Adelson" and quote.cue_text == "said"
    assert quote.quote_text.startswith("he may wait until February")


def test_a_long_object_of_say_is_what_was_said(nlp):
    quotes = quotes_of(
        nlp,
        "Senator John McCain says the Republican populist movement that's sweeping the country and "
        "boosting candidates including Donald Trump appeals to the “bad angels” of human nature.",
    )
    (quote,) = [q for q in quotes if q.cue_text == "says"]
    assert quote.quote_type == "mixed" and quote.speaker_text == "Senator John McCain"
    assert quote.quote_text.startswith("the Republican populist movement") and quote.quote_text.endswith("human nature")
    # a short object is no content: "said a prayer", "says goodbye"
    assert not [q for q in quotes_of(nlp, "The pastor said a short prayer for the victims.") if q.cue_text == "said"]


def _hostile(kind: str, n: int) -> str:
    if kind == "official":  # every sentence a cue, a description and a pronoun to resolve
        return " ".join(f"The official said the plan {i} would work. He said it again." for i in range(n))
    if kind == "marks":  # a page made of quotation marks
        return " ".join(f'"a{i}" "b" said Kim. "c' for i in range(n))
    return " ".join(f"Senator Lee{i % 50} Park said: “Vote {i}.” Park{i % 50} added, “No.”" for i in range(n))


@pytest.mark.parametrize("kind", ["official", "marks", "names"])
def test_per_article_work_grows_linearly_with_the_text(nlp, kind):
    """Mentions, quotes and clustering features on a text and on one twice as long: the
    time ratio (best of five, interleaved, same process) is about 2 when linear and 4 when quadratic
    (a 50 KB page of quotation marks took 407 s). A ratio, never an absolute time; and CPU
    time, not wall time: beside the other test worker, wall time read 3.46 for a pass that
    measures 1.6-2.0 alone (2026-12-02); and with the garbage collector off while timing: in
    the whole suite, with a heap of earlier tests' objects, its full collections (each
    scanning the heap) read 3.58 in CPU time too. The test is of the algorithm's work."""
    import gc
    import time

    from newsroom.cluster.features import text_features

    def once(doc, text: str) -> float:
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            extract_quotes(doc, mentions_from_doc(doc))
            text_features(text)
            return time.process_time() - started
        finally:
            gc.enable()

    size = {"official": 1000, "marks": 2000, "names": 600}[kind]
    small, large = _hostile(kind, size), _hostile(kind, 2 * size)
    small_doc, large_doc = nlp(small), nlp(large)
    # interleaved, best of five each: a burst of load from a neighbour (the other test
    # worker) costs both sizes alike, where timing one size and then the other did not. Up to
    # three rounds, the best ratio kept: a quadratic pass reads about 4 in every round, a
    # neighbour's burst of memory traffic (shared caches) spoils one round, not three.
    ratios = []
    for _ in range(3):
        smalls, larges = [], []
        for _ in range(5):
            smalls.append(once(small_doc, small))
            larges.append(once(large_doc, large))
        ratios.append(min(larges) / min(smalls))
        if ratios[-1] < 3.0:
            break
    assert min(ratios) < 3.0, f"{kind}: doubling the text multiplied the time by {[round(r, 2) for r in ratios]}"


def test_he_or_she_resolves_only_to_a_speaker_who_can_be_a_person(nlp):
    text = (
        "Jane Porter runs the campaign in Ohio. Recent polls show that the race is close.\n\n"
        "“We are going to win this state,” she said."
    )
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_mention_text == "she"
    assert "Porter" in quote.speaker_text


def test_i_outside_a_quotation_is_the_writer_and_stays_as_written(nlp):
    text = "Mayor Tom Reed opened the bridge on Monday. I said the bridge would never be finished."
    quote = quotes_of(nlp, text)[-1]
    assert quote.speaker_text == "I" and quote.speaker_kind == "unresolved"


def test_a_finished_question_does_not_take_the_quotation_of_the_next_sentence(nlp):
    text = (
        "The moderator David Muir asked the candidates a simple question: Who will win the game on Sunday?\n\n"
        "“Carolina is going to win that one,” Kasich replied."
    )
    quote = quotes_of(nlp, text)[-1]
    assert quote.quote_text.startswith("Carolina is going to win")
    assert quote.speaker_text == "Kasich"


def test_verbs_that_only_set_off_a_quotation_attribute_it(nlp):
    (continued,) = quotes_of(nlp, "“Nobody will stop us now,” Kiedis continued.")
    assert continued.speaker_text == "Kiedis" and continued.quote_type == "direct"
    (read,) = quotes_of(nlp, "One sign read “Anybody but Trump in November.”")
    assert read.speaker_text == "One sign" and read.quote_type == "direct"
    # without a quotation in its sentence "continued" reports nothing
    assert quotes_of(nlp, "The mayor continued the tradition of opening the fair in June.") == []


def test_a_quotation_goes_to_the_cue_whose_clause_holds_it_not_the_first_cue(nlp):
    text = (
        "Later, when I emailed Brafman to thank him for his stellar work on my behalf, he replied, "
        "“This was one of my finest moments in thirty-eight years of work and I am delighted.”"
    )
    (quote,) = [q for q in quotes_of(nlp, text) if q.quote_text.startswith("This was one")]
    assert quote.cue_text == "replied" and quote.speaker_mention_text == "he"
    text = "Trump said on Friday that Clinton once described the trade deal as “the gold standard” of deals."
    quote = next(q for q in quotes_of(nlp, text) if "gold standard" in q.quote_text)
    assert quote.quote_type == "mixed" and quote.speaker_text == "Trump"


def test_a_reported_clause_runs_on_to_its_quotations_later_in_the_sentence(nlp):
    """The parser ends "he would abdicate ..." before the quoted words its cue also reports:
    one mixed quote over the whole, not two quoted fragments on their own."""
    text = (
        'Clinton said he would abdicate U.S. leadership in the Middle East, his world view is "dangerously wrong" '
        'and he is a "bully".'
    )
    (quote,) = quotes_of(nlp, text)
    assert quote.quote_type == "mixed" and quote.speaker_text == "Clinton"
    assert quote.quote_text.startswith("he would abdicate") and "dangerously wrong" in quote.quote_text
    assert "bully" in quote.quote_text


def test_a_clause_before_its_cue_does_not_run_on_to_the_quotation_after_it(nlp):
    text = 'Trump will use the debate to make news, Kall said: "I feel like he has a surprise up his sleeve."'
    quotes = quotes_of(nlp, text)
    direct = [q for q in quotes if q.quote_type == "direct"]
    assert [q.quote_text for q in direct] == ["I feel like he has a surprise up his sleeve."]
    assert all("surprise" not in q.quote_text for q in quotes if q.quote_type != "direct")


def test_a_title_in_quote_marks_is_no_quotation(nlp):
    """News style puts the titles of songs, shows and books in quote marks: "La Gozadera" is
    no quotation of the campaign's (a short title-case span not ending as a sentence)."""
    text = 'The campaign added Latin hits including "La Gozadera" and "Madre Tierra." "We love it," Ana said.'
    direct = [q.quote_text for q in quotes_of(nlp, text) if q.quote_type == "direct"]
    assert "La Gozadera" not in direct and "We love it," in direct


def test_a_subject_the_parser_found_inside_the_quotation_is_not_the_speaker(nlp):
    """On a long quotation before "said X", the parser sometimes gives "said" a second
    subject inside the quotation ('"Watch a fetus on the table, its heart beating, ..." said
    Carly Fiorina': "beating"); the cue was dropped and the quotation went to the speaker
    before it (PolNeAR train). The error made by hand on a parse of our own sentence."""
    from spacy.tokens import Doc

    text = (
        "\"Watch a small boat on the river, its engine failing, its crew shouting while someone yells, 'We have to "
        "reach the bank before dark,' \" said county commissioner Laura Benning during the hearing."
    )
    parsed = nlp(text)
    said, failing = (next(t.i for t in parsed if t.text == word) for word in ("said", "failing"))
    heads, deps = [t.head.i for t in parsed], [t.dep_ for t in parsed]
    heads[failing], deps[failing] = said, "nsubj"
    misparsed = Doc(
        nlp.vocab,
        words=[t.text for t in parsed],
        spaces=[bool(t.whitespace_) for t in parsed],
        tags=[t.tag_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        heads=heads,
        deps=deps,
        ents=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ != "O" else "O" for t in parsed],
    )
    (quote,) = extract_quotes(misparsed, mentions_from_doc(misparsed))
    assert quote.quote_text.startswith("Watch a small boat") and quote.cue_text == "said"
    assert quote.speaker_text == "county commissioner Laura Benning"


def test_an_opening_mark_typed_to_close_a_quotation_closes_it(nlp):
    text = "“We are not done with the budget yet,“ she said on Monday. “We will vote again in the spring,” he added."
    assert [text[s:e] for s, e in quoted_spans(text)] == [
        "We are not done with the budget yet,",
        "We will vote again in the spring,",
    ]
    first, second = quotes_of(nlp, text)
    assert (first.speaker_text, first.cue_text, second.speaker_text) == ("she", "said", "he")


def test_a_speaker_after_the_verb_that_follows_the_quotation(nlp):
    """'"...," tweeted another': the parser takes the speaker for the verb's object."""
    (quote,) = quotes_of(nlp, '"The pier will be rebuilt before the summer season starts," tweeted another.')
    assert quote.cue_text == "tweeted" and quote.speaker_text == "another" and quote.quote_type == "direct"


def test_a_quote_mark_run_on_to_its_cue_is_split_from_it(nlp):
    """Scraped text often loses the space beside a quote mark ('said,“Look'): spaCy's
    tokenizer kept that as one token, and the cue with it."""
    text = "The mayor said,“Look, the bridge will be rebuilt before next winter.”The council agreed."
    assert [t.text for t in nlp.tokenizer("said,“Look")] == ["said", ",", "“", "Look"]
    (quote,) = quotes_of(nlp, text)
    assert quote.quote_text.startswith("Look, the bridge") and quote.speaker_text == "The mayor"


def test_two_apostrophes_are_a_quote_mark(nlp):
    """Some archives' plain text writes a double quote as two apostrophes (the New York
    Times' in PolNeAR); one apostrophe stays an apostrophe."""
    text = "''We will rebuild the harbour bridge,'' said Mr. Castillo, the mayor's deputy. It's the town's plan."
    assert [text[s:e] for s, e in quoted_spans(text)] == ["We will rebuild the harbour bridge,"]
    (quote,) = quotes_of(nlp, text)
    assert quote.quote_type == "direct" and quote.quote_text == "We will rebuild the harbour bridge,"
    assert quote.speaker_text.startswith("Mr. Castillo")


def test_what_someone_seems_to_hold_is_attributed_to_them(nlp):
    (seemed, _) = quotes_of(
        nlp, "Senator Maria Olvera seemed to suggest that the harbour bill would pass before the recess."
    )
    assert (seemed.cue_text, seemed.speaker_text) == ("seemed", "Senator Maria Olvera")
    assert seemed.quote_text.startswith("to suggest that the harbour bill") and seemed.quote_type == "indirect"
    assert quotes_of(nlp, "The local economy seemed to recover slowly after the long drought in the valley.") == []


def test_the_speaker_of_a_relative_clause_is_the_person_it_describes(nlp):
    quotes = quotes_of(
        nlp,
        "The mayor met residents on Monday. Council member Maria Lopez, who said the budget would pass, "
        "spoke first. “We have the votes,” she added.",
    )
    indirect = next(q for q in quotes if q.quote_type == "indirect")
    assert indirect.quote_text.startswith("the budget would pass")
    assert indirect.speaker_mention_text == "who" and indirect.speaker_text.endswith("Maria Lopez")
    assert indirect.speaker_canonical == "Maria Lopez" and indirect.speaker_kind == "named_person"
    # and a pronoun after it resolves to her, not to the mayor
    direct = next(q for q in quotes if q.quote_type == "direct")
    assert direct.speaker_text.endswith("Maria Lopez")


def test_a_quotation_the_parser_ends_as_a_sentence_goes_to_the_cue_of_the_sentence_after_it(nlp):
    text = (
        "“Trump is not fit to lead,” Clinton said on Monday.\n\n"
        "“Does he not understand that we wrote their constitution?” Biden said. “He does not, and he never will.”\n\n"
        "“We will win this state in November, whatever the polls say.”\n\nThe crowd cheered it."
    )
    quotes = quotes_of(nlp, text)
    by_text = {q.quote_text.split()[0]: q for q in quotes}
    assert by_text["Does"].speaker_text == "Biden" and by_text["Does"].cue_text == "said"
    assert by_text["Does"].quote_text.endswith("He does not, and he never will.")  # one quote, two pieces
    # a quotation alone in its paragraph continues the speaker before it, not a cue after it
    assert by_text["We"].speaker_text == "Biden"


def test_a_quotation_after_a_name_and_a_colon_is_that_names(nlp):
    text = (
        "Both candidates rejected the idea on Sunday.\n\n"
        "Hillary Clinton: “Our goal is not to contain the group but to defeat it.” "
        "Jeb Bush: “The mission is to destroy the group, not to contain it.”\n\n"
        "The mayor told CNN: “We are ready for the storm and its floods.”"
    )
    quotes = {q.quote_text.split()[1]: q for q in quotes_of(nlp, text)}
    assert quotes["goal"].speaker_text == "Hillary Clinton" and quotes["goal"].cue_text == ":"
    assert quotes["mission"].speaker_text == "Jeb Bush"
    assert quotes["are"].speaker_text == "The mayor"  # the object of "told" is not the speaker
    (joint,) = quotes_of(
        nlp, "Polls moved late - Mark Blumenthal and Jon Cohen: “The surveys ended too early to see the shift.”"
    )
    assert joint.speaker_text.startswith("Mark Blumenthal") and joint.cue_text == ":"


def test_a_pronoun_does_not_resolve_to_a_speaker_inside_what_another_reports(nlp):
    quotes = quotes_of(
        nlp,
        "At a rally on Saturday, Donald Trump claimed that President Obama wanted to admit 250,000 refugees. "
        "“You would have to be insane to let them in,” he said.",
    )
    direct = next(q for q in quotes if q.quote_type == "direct")
    assert direct.speaker_mention_text == "he" and direct.speaker_text == "Donald Trump"


def test_a_pronoun_does_not_resolve_to_a_person_named_only_inside_a_quotation(nlp):
    quotes = quotes_of(
        nlp,
        "The island's tourism website has a message for Americans: “Donald Trump may become your president!”\n\n"
        "“I’m in disbelief at the emails we have received this week,” he said.",
    )
    direct = next(q for q in quotes if q.quote_text.startswith("I’m in disbelief"))
    assert direct.speaker_mention_text == "he" and "Trump" not in direct.speaker_text
    assert direct.speaker_kind == "unresolved"


def test_a_quotation_goes_to_the_cue_right_after_it_not_to_the_first_cue_of_its_sentence(nlp):
    quotes = quotes_of(
        nlp,
        'Smith praised the plan on Monday: "It will create thousands of jobs across the state," the governor added.',
    )
    (quote,) = [q for q in quotes if q.quote_type == "direct"]
    assert quote.cue_text == "added" and quote.speaker_mention_text == "the governor"


def test_gloating_and_scoffing_set_off_a_quotation_as_saying_does(nlp):
    (quote,) = quotes_of(nlp, "“I told you he would not be ready for the debate,” Christie gloated on Sunday.")
    assert quote.cue_text == "gloated" and quote.speaker_text == "Christie" and quote.quote_type == "direct"
    assert quotes_of(nlp, "The senator gloated after the vote on Sunday night in the capital.") == []


def test_as_someone_put_it_attributes_the_quotation_but_putting_a_sign_up_does_not(nlp):
    quotes = quotes_of(
        nlp,
        "Or, as Tom Ridge, a former secretary of homeland security, put it: "
        "“The barbarians are no longer at the gate. They are inside.”",
    )
    assert [(q.cue_text, q.speaker_text) for q in quotes if q.quote_type == "direct"] == [("put", "Tom Ridge")]
    assert quotes_of(nlp, "Volunteers put a sign on the door reading “Closed for the storm.”") == []


def test_a_person_named_by_role_holds_a_view_but_owns_no_quotation_beside_it(nlp):
    quotes = quotes_of(nlp, "The senator has criticized the new federal plan to cut school funding across the state.")
    assert [(q.quote_type, q.speaker_text, q.cue_text) for q in quotes] == [("indirect", "The senator", "criticized")]
    assert quotes[0].quote_text.startswith("the new federal plan")
    # beside a quotation, the role's stance verb reports nothing of it
    beside = quotes_of(nlp, 'The senator criticized the plan, and the crowd chanted "No more cuts to our schools!"')
    assert all(q.speaker_text != "The senator" or q.quote_type == "indirect" for q in beside)


def test_a_quotation_stays_with_said_when_a_second_cue_hangs_on_it(nlp):
    # "adding" hung on "said" had said's clause for its own, quotation and speaker included,
    # and took the quotation: it came out as indirect speech without its marks
    quotes = quotes_of(
        nlp, "“Be very conservative, because it could be very rough out there,” Trump said, adding a plug for himself."
    )
    said = [q for q in quotes if q.cue_text == "said"]
    assert [(q.quote_type, q.speaker_text) for q in said] == [("direct", "Trump")]
    assert said[0].quote_text.startswith("Be very conservative") and "Trump" not in said[0].quote_text
    # a clause of its own it still reports
    quotes = quotes_of(nlp, "“We will win,” Smith said, adding that the polls in the state were wrong.")
    assert ("indirect", "adding") in [(q.quote_type, q.cue_text) for q in quotes]


def test_a_view_inside_a_reported_clause_is_reported_once(nlp):
    quotes = quotes_of(nlp, "Texas Sen. Ted Cruz says he supports the new law restricting access to public restrooms.")
    assert [(q.cue_text, q.quote_type) for q in quotes] == [("says", "indirect")]
    assert quotes[0].quote_text.startswith("he supports the new law")


def test_a_quotation_split_by_its_cue_and_a_clause_hung_on_it_is_one_quotation(nlp):
    quotes = quotes_of(
        nlp,
        "“We remain open to credible talks aimed at full denuclearization,” he said, referring to the country "
        "by its official name. “Sadly, the country has chosen a different path.”",
    )
    (direct,) = [q for q in quotes if q.quote_type == "direct"]
    assert direct.cue_text == "said" and len(direct.pieces) == 2
    assert direct.quote_text.startswith("We remain open") and direct.quote_text.endswith("a different path.")
    assert [q.cue_text for q in quotes if q.quote_type == "indirect"] == ["referring"]


def test_a_quotation_after_the_colon_ending_a_main_clause_is_its_subjects(nlp):
    for sentence, speaker in (
        ("Clinton seemed irritated: “It's a public statement! Just email it.”", "Clinton"),
        ("The senator went even further: “If he loses, it is the end of his career.”", "The senator"),
    ):
        (direct,) = [q for q in quotes_of(nlp, sentence) if q.quote_type == "direct"]
        assert direct.speaker_text == speaker and direct.quote_text.startswith(("It's", "If he")), sentence
    # after a headline and a dash, what precedes the colon is a name, not the headline's subject
    text = "Media shares blame in Iowa poll overhype - HuffPollster: “The polls were never a sure guide.”"
    assert all(q.speaker_text != "Media shares" for q in quotes_of(nlp, text))


def test_a_name_after_a_title_before_a_colon_is_whom_it_was_said_of(nlp):
    # the parser's name leaves the title out; its full stop ended no clause
    quotes = quotes_of(
        nlp, "Another user, Roland Z, wrote of Ms. Merkel: “Your boss is still bringing these people here in hordes.”"
    )
    assert [(q.quote_type, q.speaker_text) for q in quotes] == [("direct", "Another user")]
