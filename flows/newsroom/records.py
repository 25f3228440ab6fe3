"""The records that flow between stages, in one place at the bottom of the package: plain
dataclasses, so every stage is testable alone and takes and returns these.

collect: feeds and sitemaps -> Fetches (archived as WARC) and FeedStates;
raw input -> RawDocument -> (extract) Article | Rejection -> (annotate) Annotation holding
Mentions, Quotes and the TextFeatures clustering compares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

# The media types of a page: what collection fetches as an article and what the ingest reads
# from a WARC response record (anything else is recorded, never extracted).
PAGE_TYPES = ("text/html", "application/xhtml+xml")


def content_id(text: str, length: int = 16) -> str:
    """A stable id derived from content: the same text always gets the same id.

    Whitespace is folded first so that a copy saved with other line endings or
    trailing spaces is recognised as the same content.
    """
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:length]


@dataclass
class RawDocument:
    """One article's worth of raw input, decoded to text but not yet cleaned."""

    source_path: str
    external_id: str
    input_format: str  # txt | html | jsonl
    text: str | None = None  # plain-text page scrape or already-clean text
    html: str | None = None
    url: str | None = None
    date: str | None = None  # as given by the input (header, JSONL field)
    outlet: str | None = None
    title: str | None = None
    encoding: str | None = None
    encoding_guessed: bool = False
    language: str | None = None  # as given (the outlet's in sources.toml, a JSONL field)
    fetched_at: datetime | None = None  # when the page was fetched (a WARC record's date)
    flags: list[str] = field(default_factory=list)  # what decoding noticed (nul_bytes_removed, ...)

    @property
    def raw_content(self) -> str:
        return self.html if self.html is not None else (self.text or "")

    @property
    def article_id(self) -> str:
        return content_id(self.raw_content)


@dataclass
class Rejection:
    """An input that could not become an article, with a reason an operator can act on."""

    source_path: str
    reason: str  # short machine-friendly code, e.g. empty_file, binary_file
    detail: str = ""
    content_sha: str | None = None


@dataclass
class Article:
    article_id: str
    external_id: str
    source_path: str
    input_format: str
    body_text: str
    title: str | None = None
    published_date: date | None = None
    outlet: str | None = None
    wire_agency: str | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    encoding: str | None = None
    encoding_guessed: bool = False
    extraction_method: str = ""
    language: str | None = None  # ISO 639-1, detected from the body (extract/language.py)
    fetched_at: datetime | None = None
    quality_flags: list[str] = field(default_factory=list)
    dateline_end: int = 0  # length of the dateline opening body_text ('SEOUL, South Korea — ')

    @property
    def word_count(self) -> int:
        return len(self.body_text.split())


@dataclass
class Mention:
    start_char: int
    end_char: int
    mention_text: str
    label: str
    canonical_name: str = ""

    @property
    def entity_key(self) -> str:
        return self.canonical_name.casefold()


@dataclass
class Quote:
    start_char: int
    end_char: int
    quote_text: str
    quote_type: str  # direct | indirect | mixed
    cue_text: str | None
    cue_start: int | None
    speaker_text: str | None  # resolved: the fullest description of the speaker
    speaker_mention_text: str | None  # as written at the cue ("he", "the official")
    speaker_start: int | None
    speaker_end: int | None
    speaker_kind: str
    speaker_canonical: str | None  # canonical entity name when the speaker is an entity
    speaker_affiliation: str | None  # an entity named in the speaker's description
    speaker_resolved_start: int | None = None  # offsets of speaker_text (may be an earlier mention)
    speaker_resolved_end: int | None = None
    # a quotation interrupted by its attribution ("A," she said. "B."): the (start, end) of each
    # piece quote_text joins; empty when it is one span (start_char, end_char)
    pieces: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    """A GeoNames place (annotate/places.py); a country's coordinates are its capital's."""

    place_id: int  # GeoNames id
    name: str
    feature: str  # continent | country | admin1 (a US state) | city
    country_code: str | None  # ISO 3166-1 alpha-2
    admin1_code: str | None  # GeoNames admin1 code (a US state's postal code)
    latitude: float | None
    longitude: float | None
    population: int | None
    country_name: str | None = None
    admin1_name: str | None = None  # a US state's name; GeoNames admin1 names of other countries are not shipped


@dataclass
class PlaceMention:
    """A span of an article that names a place: a GPE/LOC entity mention or the dateline city."""

    start_char: int
    end_char: int
    mention_text: str
    role: str  # mention | dateline
    place: Place | None  # None: unresolved, for `status`
    status: str  # resolved | ambiguous | not_in_gazetteer | person_name
    candidate_count: int = 0

    @property
    def place_id(self) -> int | None:
        return self.place.place_id if self.place else None


@dataclass(eq=False)
class TextFeatures:
    sentence_stems: list[str]  # content stems of each sentence, space-separated, in order
    shingles: np.ndarray  # text.shingles(text): hashed 5-word shingles, sorted, distinct
    signature: np.ndarray  # MinHash (NUM_PERM uint64) of the shingles
    years: list[int] = field(default_factory=list)  # eventtime.years_mentioned(text), ascending
    numbers: list[str] = field(default_factory=list)  # text.event_numbers(text), in order

    def __eq__(self, other) -> bool:  # arrays compare element-wise: equal when all are
        return (
            isinstance(other, TextFeatures)
            and self.sentence_stems == other.sentence_stems
            and self.years == other.years
            and self.numbers == other.numbers
            and np.array_equal(self.shingles, other.shingles)
            and np.array_equal(self.signature, other.signature)
        )


@dataclass
class Annotation:
    article_id: str
    mentions: list[Mention]
    quotes: list[Quote]
    features: TextFeatures | None = None  # for clustering: computed here, in the worker processes
    # (reason, detail) when the article could not be annotated: the flow records it as the
    # article's rejection and loads the rest of the batch
    failure: tuple[str, str] | None = None
    flags: list[str] = field(default_factory=list)  # quality flags for the article (annotated_first_chars:N)
    places: list[PlaceMention] = field(default_factory=list)


@dataclass
class TermCounts:
    """How often each article uses each term of one feature block: (row, column, count)
    triples, columns numbered in the terms' sorted order (as scikit-learn's CountVectorizer
    numbers them)."""

    rows: np.ndarray
    columns: np.ndarray
    counts: np.ndarray
    n_rows: int


@dataclass
class Corpus:
    """Every article clustering compares with, as its similarity model reads them: one row
    an article, in one order (the warehouse's load order). Built from what the warehouse
    keeps by load/stories.py without reading any text (at 20k articles their texts and
    million entity mentions cost seconds to read), or in memory by cluster/similarity.py."""

    ids: list[str]
    published: list[date | None]
    agencies: list[str | None]
    years: list[frozenset[int]]  # TextFeatures.years of each
    # pair_model.BLOCKS name -> its TermCounts; "lead" (the first sentences) in the text's columns
    counts: dict[str, TermCounts]
    protagonists: list[str | None]  # cluster/protagonists.protagonist of each
    named_words: list[tuple[int, str]]  # (row, word): words of its entity names that are somebody's protagonist
    signatures: np.ndarray  # rows x NUM_PERM: MinHash of each one's shingles
    # ids -> {id: (body_text, TextFeatures)} of those asked (the few compared as copies)
    texts: Callable[[list[str]], dict[str, tuple[str, TextFeatures]]]


@dataclass
class WarehouseStories:
    """What the clustering stage reads of the warehouse (load/stories.py)."""

    new_order: list[str]  # the articles to place, oldest first: new ones and the reopened
    corpus: Corpus
    members: dict[str, str]  # stored article -> its story
    story_age: dict[str, tuple]  # stored story -> (when its first member was assigned,)
    reopened: frozenset[str] = frozenset()  # stored articles of new_order, placed again (see cluster/stage.py)
    sources: dict[str, list[str]] = field(default_factory=dict)  # reopened article -> its stored copy/rewrite sources


@dataclass
class ClusterCounts:
    articles_clustered: int = 0
    links: int = 0
    stories_created: int = 0
    stories_updated: int = 0
    stories_merged: int = 0


@dataclass
class Clustering:
    """What the clustering stage decided for a run's new articles, for load/stories.py to write."""

    links: list[dict] = field(default_factory=list)  # rows of landing.article_links, without run_id
    members: dict[str, str] = field(default_factory=dict)  # article -> story, new or changed
    reopened: frozenset[str] = frozenset()  # stored articles placed again: their same-story links replaced
    merges: list[tuple[str, str]] = field(default_factory=list)  # (merged story, surviving story)
    counts: ClusterCounts = field(default_factory=ClusterCounts)


@dataclass
class Fetch:
    """One HTTP fetch of the collect stage and its outcome (a row of ops.fetches)."""

    url: str  # as requested (normalised)
    kind: str  # robots | feed | sitemap | page
    outlet: str
    final_url: str | None = None  # after redirects
    status: int | None = None  # HTTP status of the last attempt; None when no response came
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""  # decoded from its Content-Encoding; emptied once archived
    nbytes: int = 0
    milliseconds: int = 0
    attempts: int = 0
    error: str | None = None  # reason code: timeout, http_error, too_large, not_html, ...
    detail: str = ""
    fetched_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass
class FeedState:
    """What the warehouse keeps about a feed or sitemap between runs (a row of ops.feeds)."""

    feed_url: str
    outlet: str
    kind: str = "feed"  # feed | sitemap
    etag: str | None = None
    last_modified: str | None = None
    last_fetched_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: int | None = None
    items_seen: int = 0  # items the feed listed at the last fetch
    new_items: int = 0  # of those, pages not in the warehouse and not fetched before
    consecutive_failures: int = 0
    last_error: str | None = None


@dataclass
class Collection:
    """What one collect pass did: the state of every feed, every fetch, and the WARC files
    written (page responses for the ingest; feeds, sitemaps and robots.txt beside them)."""

    feeds: list[FeedState] = field(default_factory=list)
    fetches: list[Fetch] = field(default_factory=list)
    page_archives: list[str] = field(default_factory=list)
    pages_archived: int = 0
