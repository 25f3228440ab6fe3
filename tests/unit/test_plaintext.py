"""The plain-text block classifier and the metadata readers, on the seeds and on pages
written here to exercise one signal each."""

from __future__ import annotations

from datetime import date

import pytest

from newsroom.extract import metadata
from newsroom.extract.article import build_article
from newsroom.extract.html import page_text
from newsroom.extract.plaintext import extract_body, tidy_body
from newsroom.records import Article, RawDocument, Rejection

from conftest import SEED_FURNITURE, SEED_ORIGINAL, SEED_REWRITE, read_seed

TODAY = date(2026, 1, 1)
PARAGRAPH = (
    "The city council voted on Tuesday to expand the bus network, a decision that "
    "officials said would add twelve routes and cost about four million dollars a year."
)
PARAGRAPHS = [
    PARAGRAPH,
    PARAGRAPH.replace("Tuesday", "Monday"),
    PARAGRAPH.replace("twelve", "ten"),
    PARAGRAPH.replace("four", "five"),
]
FURNITURE = ["Home", "World", "Business", "Sign up for our newsletter", "Share this article"]


def test_seed_body_starts_at_the_story_and_drops_the_furniture():
    body = extract_body(read_seed(SEED_ORIGINAL)).body
    assert body.startswith("North Korea says it hasn't exported")
    for furniture in SEED_FURNITURE + ("Topics", "subscribe", "syndicated feed"):
        assert furniture not in body
    assert body.rstrip().endswith("Donetsk and Luhansk.")
    assert "keep its mouth shut" in body


def test_clean_text_is_kept_whole():
    text = read_seed(SEED_REWRITE)
    body = extract_body(text).body
    assert body.split() == text.split()


def test_headline_list_is_not_the_story_even_between_stories():
    headlines = [f"Minister {n} resigns after row over budget plans in capital" for n in range(6)]
    page = "\n".join(FURNITURE + headlines + PARAGRAPHS + headlines)
    body = extract_body(page).body
    assert body.split("\n\n") == PARAGRAPHS


def test_end_marker_stops_the_story_even_before_long_paragraphs():
    appeal = (
        "We rely on readers like you to keep our reporting going, and every contribution, "
        "however small, helps us cover the stories that matter to your community."
    )
    page = "\n".join(PARAGRAPHS[:3] + ["Dear Reader,", appeal, appeal.replace("small", "modest"), appeal.upper()])
    body = extract_body(page).body
    assert body.split("\n\n") == PARAGRAPHS[:3]


@pytest.mark.parametrize("header", ["Have your say", "Comments", None])
def test_readers_comments_after_the_story_are_not_the_story(header):
    """A 2008 page scraped with its comment thread: a comment's signature line ("Posted by
    ... on <date>", "Report this comment") ends the story, and so does "Have your say"; with
    no header at all the comment before the first signature still reads as story."""
    comments = [
        "What a marvellous decision by the council, and about time too, because the old routes never reached the estates.",
        "Posted by Idealist on January 10, 2008 5:58 PM",
        "Report this comment",
        "Twelve routes will not be enough for a city of this size, and the fares will rise again next year, you watch.",
        "Posted by: tc | Jan 10, 2008 6:02:53 PM",
    ]
    page = "\n".join(FURNITURE + PARAGRAPHS + ([header] if header else []) + comments)
    paragraphs = extract_body(page).body.split("\n\n")
    assert paragraphs[:4] == PARAGRAPHS
    assert not any("fares will rise" in p for p in paragraphs)  # after the first signature
    if header == "Have your say":
        assert paragraphs == PARAGRAPHS


@pytest.mark.parametrize(
    "marker",
    [
        "Comments are now closed for this story",
        "add new comment",
        "Comment viewing options",
        "Distributed by Internet Broadcasting. This material may not be published, broadcast, rewritten or redistributed.",
    ],
)
def test_comment_systems_and_wire_notices_end_the_story(marker):
    reply = "I could not agree more with the council, and I have said so at every meeting since the routes were cut in 2005."
    page = "\n".join(PARAGRAPHS + [marker, "Stephen B", reply, reply.replace("2005", "2006")])
    assert extract_body(page).body.split("\n\n") == PARAGRAPHS


def test_a_list_of_headlines_with_their_teasers_is_not_the_story():
    teasers = []
    for n, topic in enumerate(["bike sharing", "the marathon", "the golf course", "the new mayor"]):
        teasers += [f"Story {n} on {topic}", f"A former club president is making waves with {topic} in the city."]
    page = "\n".join(FURNITURE + PARAGRAPHS + ["More Headlines"] + teasers)
    assert extract_body(page).body.split("\n\n") == PARAGRAPHS


def test_subheadings_over_long_paragraphs_stay_in_the_story():
    page = "\n".join(["Routes", PARAGRAPHS[0], "Costs", PARAGRAPHS[1], "Fares", PARAGRAPHS[2], "Next", PARAGRAPHS[3]])
    assert extract_body(page).body.split("\n\n")[1:] == [
        "Costs",
        PARAGRAPHS[1],
        "Fares",
        PARAGRAPHS[2],
        "Next",
        PARAGRAPHS[3],
    ]


def test_a_comment_signature_ends_a_body_another_extractor_found():
    """trafilatura's body of an HTML page, tidied: from a comment's signature on, nothing is story."""
    comment = "Twelve routes will not be enough for a city of this size, and the fares will rise again, you watch."
    body = "\n\n".join(PARAGRAPHS + ["Posted by Idealist on January 10, 2008 5:58 PM", comment])
    assert tidy_body(body).split("\n\n") == PARAGRAPHS


def test_link_boxes_and_ads_inside_the_story_do_not_cut_it():
    page = "\n".join(
        FURNITURE
        + PARAGRAPHS[:2]
        + [
            "Advertisement",
            "Related stories",
            "Minister resigns after row over budget plans",
            "Floods hit the north for a third day running",
            "Read more: the bus network explained",
        ]
        + PARAGRAPHS[2:]
    )
    assert extract_body(page).body.split("\n\n") == PARAGRAPHS


def test_metadata_of_the_seed_original():
    extraction = extract_body(read_seed(SEED_ORIGINAL))
    assert (
        metadata.title_from_page(extraction)
        == "North Korea denies US claims of sending arms to Russia amid Ukraine war"
    )
    assert metadata.outlet(extraction) == "Business Standard"
    assert metadata.wire_agency(extraction) == "AP"
    assert metadata.dateline(extraction) == "Seoul"
    assert metadata.byline(extraction) is None
    assert metadata.date_from_page(extraction, TODAY) == date(2022, 9, 22)


def test_dateline_and_agency_from_the_first_line():
    page = "\n".join(FURNITURE + ["WASHINGTON (Reuters) - " + PARAGRAPH, PARAGRAPH, PARAGRAPH])
    extraction = extract_body(page)
    assert metadata.wire_agency(extraction) == "Reuters"
    assert metadata.dateline(extraction) == "Washington"


def test_a_colon_dateline_opens_a_paragraph_but_a_short_name_colon_line_is_a_headline():
    lead = "NEW DELHI: " + PARAGRAPH
    assert len(PARAGRAPH.split()) >= 20
    assert metadata.dateline_prefix(lead) == len("NEW DELHI: ")
    assert (
        metadata.dateline_prefix("Lynch: No outside influence on FBI probe into Clinton emails.\n\n" + PARAGRAPH) == 0
    )
    assert metadata.dateline_prefix("SEOUL, South Korea — North Korea said on Thursday.") > 0


def test_agency_from_a_contributed_line_and_a_byline():
    page = "\n".join(
        ["By Jane Doe and John Roe", PARAGRAPH, PARAGRAPH, "The Associated Press contributed to this report."]
    )
    extraction = extract_body(page)
    assert metadata.wire_agency(extraction) == "AP"
    assert metadata.byline(extraction) == "Jane Doe and John Roe"


def test_unknown_metadata_is_null_not_a_guess():
    extraction = extract_body("\n".join([PARAGRAPH] * 3))
    assert metadata.title_from_page(extraction) is None
    assert metadata.outlet(extraction) is None
    assert metadata.wire_agency(extraction) is None
    assert metadata.dateline(extraction) is None
    assert metadata.date_from_page(extraction, TODAY) is None


def test_a_line_holding_only_a_date_dates_the_page_above_or_at_the_top_of_the_story():
    above = extract_body("\n".join(["Friday, June 7, 2013", PARAGRAPH, PARAGRAPH, PARAGRAPH]))
    assert metadata.date_from_page(above, TODAY) == date(2013, 6, 7)
    below_the_deck = extract_body(
        "\n".join(
            [
                "Quake levels villages on island",
                "Ten people are killed and 50 hurt.",
                "Updated 11 / 27 / 2005 3: 41 PM",
                PARAGRAPH,
                PARAGRAPH,
            ]
        )
    )
    assert metadata.date_from_page(below_the_deck, TODAY) == date(2005, 11, 27)
    # a date inside a sentence of the story is the story's, not the page's
    in_prose = extract_body(
        "\n".join(["The vote on June 7, 2013 was close, officials said on Monday.", PARAGRAPH, PARAGRAPH])
    )
    assert metadata.date_from_page(in_prose, TODAY) is None


def test_numeric_dates_month_first_unless_it_cannot_be_and_dotted_day_first():
    assert metadata.parse_date("12/16/08 1:30 AM EST", TODAY) == date(2008, 12, 16)
    assert metadata.parse_date("27 / 09 / 2013", TODAY) == date(2013, 9, 27)
    assert metadata.parse_date("4/9/2007", TODAY) == date(2007, 4, 9)
    assert metadata.parse_date("posted on 08.07.2012", TODAY) == date(2012, 7, 8)
    assert metadata.parse_date("2013 - 09 - 26", TODAY) == date(2013, 9, 26)
    assert metadata.parse_date("version 1.2.10", TODAY) is None
    assert metadata.parse_date("a 3/4 majority", TODAY) is None


def test_a_record_without_a_date_is_dated_by_its_url_path():
    body = "\n".join([PARAGRAPH] * 3)
    doc = RawDocument(
        source_path="a.jsonl#L1",
        external_id="1",
        input_format="jsonl",
        text=body,
        url="https://www.example.com/world/2013/may/03/rehab-story",
    )
    article = build_article(doc, TODAY)
    assert isinstance(article, Article) and article.published_date == date(2013, 5, 3)
    assert metadata.date_from_url("https://example.com/2009-04-28/news/123", TODAY) == date(2009, 4, 28)
    assert metadata.date_from_url("https://example.com/2009/13/40/x", TODAY) is None
    assert metadata.date_from_url("https://example.com/2099/01/01/x", TODAY) is None
    assert metadata.date_from_url("https://example.com/news/2009-04-28x", TODAY) is None
    # a malformed URL costs its metadata, not the article
    broken = build_article(
        RawDocument(
            source_path="a.jsonl#L2", external_id="2", input_format="jsonl", text=body, url="http://[::1/2009/04/28/x"
        ),
        TODAY,
    )
    assert isinstance(broken, Article) and broken.published_date is None and broken.outlet is None


def test_dates_in_the_future_or_malformed_are_never_used():
    assert metadata.parse_date("Published March 3, 2031", TODAY) is None
    assert metadata.parse_date("2022-13-45", TODAY) is None
    assert metadata.parse_date("First Published: Thu, September 22 2022. 08:17 IST", TODAY) == date(2022, 9, 22)
    assert metadata.parse_date("22 Sept 2022", TODAY) == date(2022, 9, 22)


def _doc(text: str, **kw) -> RawDocument:
    return RawDocument(source_path="x.txt", external_id="x", input_format="txt", text=text, **kw)


def test_future_and_malformed_header_dates_are_flagged_and_dropped():
    body = "\n".join([PARAGRAPH] * 3)
    future = build_article(_doc(body, date="2099-01-01"), TODAY)
    malformed = build_article(_doc(body, date="2022-13-45"), TODAY)
    assert (
        isinstance(future, Article) and future.published_date is None and "future_date_ignored" in future.quality_flags
    )
    assert (
        isinstance(malformed, Article)
        and malformed.published_date is None
        and "invalid_date_given" in malformed.quality_flags
    )


def test_index_page_without_a_story_is_rejected_with_a_reason():
    page = "\n".join(FURNITURE + [f"Headline number {n} about the economy today" for n in range(30)])
    result = build_article(_doc(page), TODAY)
    assert isinstance(result, Rejection) and result.reason == "no_article_body"
    assert "words" in result.detail


def test_a_json_record_brief_is_a_story_but_the_same_words_in_a_page_scrape_are_not():
    brief = "The parliament election is over in Turkmenistan."
    record = build_article(
        RawDocument(source_path="a.jsonl#L1", external_id="1", input_format="jsonl", text=brief), TODAY
    )
    scrape = build_article(_doc(brief), TODAY)
    assert isinstance(record, Article) and record.body_text == brief
    assert isinstance(scrape, Rejection) and scrape.reason == "no_article_body"
    empty = build_article(
        RawDocument(source_path="a.jsonl#L2", external_id="2", input_format="jsonl", text="Home | News"), TODAY
    )
    assert isinstance(empty, Rejection) and empty.reason == "no_article_body"


def test_html_article_uses_trafilatura_and_htmldate():
    html = f"""<html><head><title>Council expands buses | City Times</title>
    <meta property="og:site_name" content="City Times">
    <meta property="article:published_time" content="2021-05-04T10:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Council expands buses</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH.replace("Tuesday", "Monday")}</p>
    <p>{PARAGRAPH.replace("twelve", "ten")}</p></article>
    <footer>Copyright 2021 City Times. All rights reserved.</footer></body></html>"""
    article = build_article(RawDocument(source_path="a.html", external_id="a", input_format="html", html=html), TODAY)
    assert isinstance(article, Article)
    assert article.extraction_method == "trafilatura"
    assert article.published_date == date(2021, 5, 4)
    assert article.title.startswith("Council expands buses")
    assert article.outlet == "City Times"
    assert "Home" not in article.body_text and "All rights reserved" not in article.body_text
    assert article.body_text.count("bus network") == 3


def test_a_page_without_article_markup_is_read_by_the_block_classifier_and_one_with_it_by_trafilatura():
    story = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    comments = "<h3>Have your say</h3>" + "".join(
        f"<p>I think the council should have asked us first, honestly.</p><p>Posted by: reader{n} on May 4, 2021 09:29 PM</p>"
        for n in range(3)
    )
    page = (
        "<html><head><title>Council expands buses</title>{meta}</head><body><div>{story}</div>{comments}</body></html>"
    )
    plain = page.format(meta="", story=story, comments=comments)
    marked = page.format(meta='<meta property="og:type" content="article">', story=story, comments=comments)
    read = {
        name: build_article(
            RawDocument(source_path=f"{name}.html", external_id=name, input_format="html", html=html), TODAY
        )
        for name, html in (("plain", plain), ("marked", marked))
    }
    assert read["plain"].extraction_method == "blocks" and read["marked"].extraction_method == "trafilatura"
    for article in read.values():
        assert article.body_text.count("bus network") == 4
    assert "Posted by" not in read["plain"].body_text and "asked us first" not in read["plain"].body_text


def test_a_subheading_in_capitals_stays_in_trafilaturas_body_but_a_promo_in_capitals_leaves_a_page_scrape():
    body = "\n\n".join([PARAGRAPHS[0], "FORD MUSTANG MACH E", PARAGRAPHS[1], PARAGRAPHS[2]])
    assert "FORD MUSTANG MACH E" in tidy_body(body)
    scrape = "\n".join(["Council expands buses", PARAGRAPHS[0], "GET FOX BUSINESS ON THE GO", *PARAGRAPHS[1:]])
    assert "GET FOX BUSINESS" not in extract_body(scrape).body


def test_truncated_html_does_not_raise():
    html = f"<html><body><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH[:60]}"
    article = build_article(RawDocument(source_path="t.html", external_id="t", input_format="html", html=html), TODAY)
    assert isinstance(article, Article) and "bus network" in article.body_text


def test_a_story_the_html_parser_loses_is_read_by_a_second_parser_before_the_page_is_rejected():
    # the shape of a 2008 L3S-GN1 page: two documents one after the other, a script in the
    # first whose strings hold markup; libxml2 reads the second document into that script
    first = (
        "<html><body><p>Weather: clear</p><script>var m = new Array(); "
        "m[0] = \"<font><a href='x'>Events</a></font>\"; document.writeln('</div>');</script></body></html>"
    )
    story = "".join(f"<br/>{paragraph}<br/>" for paragraph in PARAGRAPHS)
    second = f"<!DOCTYPE HTML><html><head><title>T</title></head><body><table><tr><td>{story}</td></tr></table></body></html>"
    html = first + "<SCRIPT LANGUAGE='JavaScript'><!-- Begin\nfunction f(){}\n// End --></script>" + second
    assert "bus network" not in page_text(html)  # the premise: the tree has lost the story
    article = build_article(RawDocument(source_path="c.html", external_id="c", input_format="html", html=html), TODAY)
    assert isinstance(article, Article) and article.body_text.count("bus network") == 4
    assert "html_reparsed" in article.quality_flags and "Weather" not in article.body_text
    # an index page is still rejected after its second reading
    index = "<html><body>" + "".join(f"<p><a href='/{n}'>Headline {n} about the economy</a></p>" for n in range(30))
    assert isinstance(
        build_article(RawDocument(source_path="i.html", external_id="i", input_format="html", html=index), TODAY),
        Rejection,
    )


def test_comments_in_the_markup_are_not_page_text():
    assert page_text("<html><body><!-- Weather Conditions --><p>Temperature: 25</p></body></html>") == "Temperature: 25"


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to our newsletter",
        "We use cookies to improve your experience",
        "© 2024 Example Media",
        "Click here to read more",
        "Share on Facebook, Twitter or email",
        "Please enable JavaScript",
        "This story was auto-generated from a syndicated feed.",
        "Skip to main content",
        "Sign up for alerts",
        "The president said on Tuesday that the talks would continue.",
        "Log in",
        "Breaking News Alerts",
        "Follow Reuters on X for updates",
        "Terms of Use",
        "Report an error",
        "Download our app",
        "Support independent journalism",
        "As you comment, be civil.",
        "Commenters must use real names",
        "He posted on Facebook and later on Instagram.",
        "She posted a statement on Facebook.",
        "The blog said the technology dialogue would follow the terms agreed.",
        "  © Example Media 2024",
    ],
)
def test_boilerplate_prefilter_agrees_with_the_regex(line):
    from newsroom.extract.lexicon import BOILERPLATE, is_boilerplate

    assert is_boilerplate(line) == (BOILERPLATE.search(line) is not None)
