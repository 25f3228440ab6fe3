"""Articles -> entity mentions and quotes, streamed through spaCy in batches.

Pure computation: articles in, Annotations out, in order. Where it runs (the run's worker
processes, this process, Dask) is workers.py's business, a layer above.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..config import Settings
from ..faults import article_fault, article_stall
from ..records import Annotation, Article, Mention, Quote
from . import budget
from . import nlp as nlp_models
from .entities import mentions_from_doc
from .quotes import extract_quotes


def annotate_doc(article_id: str, doc) -> Annotation:
    text = doc.text
    mentions = mentions_from_doc(doc, text)
    return Annotation(article_id, mentions, extract_quotes(doc, mentions, text))


@functools.cache
def _budget_seconds() -> float:
    return Settings().annotation_budget_seconds


@Language.component("newsroom_annotations")
def newsroom_annotations(doc: Doc) -> Doc:
    """Entities and quotes computed inside the spaCy pipeline, so that with n_process > 1
    they run in the worker processes too; results travel back as plain data. A failure or
    an overrun of the time budget is this doc's, never its batch's."""
    article_fault("annotate", doc.text, "crash")  # escapes: the whole pipe fails (tests)
    seconds = _budget_seconds()
    try:
        with budget.budget(seconds):
            article_fault("annotate", doc.text)
            article_stall("annotate", doc.text, budget.check)
            annotation = annotate_doc("", doc)
    except budget.OverBudget:
        doc.user_data["newsroom"] = {
            "failure": ("annotation_over_budget", f"entity and quote passes ran past the {seconds:g} s budget")
        }
        return doc
    except Exception as exc:  # noqa: BLE001 - any bug on one odd page is that page's rejection
        doc.user_data["newsroom"] = {"failure": ("annotation_error", f"{type(exc).__name__}: {exc}")}
        return doc
    doc.user_data["newsroom"] = {
        # by field name (msgpack-able, for spaCy's own worker processes): a positional tuple
        # would put a reordered field's value in another field without a word
        "mentions": [dict(vars(m)) for m in annotation.mentions],
        "quotes": [dict(vars(q)) for q in annotation.quotes],
    }
    return doc


def _from_user_data(article_id: str, doc) -> Annotation:
    data = doc.user_data["newsroom"]
    if "failure" in data:
        return Annotation(article_id, [], [], failure=data["failure"])
    return Annotation(article_id, [Mention(**m) for m in data["mentions"]], [Quote(**q) for q in data["quotes"]])


# Longer texts are annotated in pieces: spaCy refuses a text over nlp.max_length (1,000,000
# characters) with E088, and the parser's memory grows with the length of one doc. A news
# story is a few thousand characters; a piece this long is a page nobody cut into articles.
PIECE_CHARS = 100_000
# Beyond this only the beginning is annotated (the article keeps its whole text and the flag
# annotated_first_chars:N): spaCy parses ~30,000 characters a second a core here, so a 15 MB
# page would hold a core for ~8 minutes; this many characters (five pieces, ~80,000 words,
# longer than any news story) take ~15 s.
MAX_ANNOTATED_CHARS = 500_000
_PIECE_BREAKS = ("\n\n", "\n", ". ", " ")  # paragraph, line, sentence, word


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) covering the text, each at most `limit` characters, cut at the last
    paragraph break before the limit, else the last line, sentence end or space."""
    found, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = next((window.rfind(b) + len(b) for b in _PIECE_BREAKS if window.rfind(b) > limit // 2), limit)
        found.append((start, window[:cut]))
        start += cut
    found.append((start, text[start:]))
    return found


_QUOTE_OFFSETS = (
    "start_char",
    "end_char",
    "cue_start",
    "speaker_start",
    "speaker_end",
    "speaker_resolved_start",
    "speaker_resolved_end",
)


def _shift(annotation: Annotation, offset: int) -> Annotation:
    """A piece's annotation with offsets into the whole text."""
    if offset:
        for mention in annotation.mentions:
            mention.start_char += offset
            mention.end_char += offset
        for quote in annotation.quotes:
            for name in _QUOTE_OFFSETS:
                if getattr(quote, name) is not None:
                    setattr(quote, name, getattr(quote, name) + offset)
            quote.pieces = [(s + offset, e + offset) for s, e in quote.pieces]
    return annotation


def annotate(
    articles: Iterable[Article],
    model: str | None = None,
    n_process: int | None = None,
    batch_size: int = 32,
) -> Iterator[Annotation]:
    """Yield one Annotation per article, in order. Memory stays flat: spaCy streams.

    The dateline ('SEOUL, South Korea — ') is blanked before parsing (offsets kept): the
    parser otherwise takes the city for the subject of the first sentence's verb. A text
    longer than PIECE_CHARS is parsed as pieces whose annotations are put back together.
    """
    nlp = pipeline(model)
    n_process = n_process or nlp_models.processes()
    articles = list(articles)
    if len(articles) < 2 * batch_size:
        n_process = 1  # forking workers costs more than it saves on a small batch
    limit = min(PIECE_CHARS, nlp.max_length)
    texts = [annotated_text(a.body_text) for a in articles]
    split = [
        pieces(nlp_models.mask_prefix(text, a.dateline_end), limit) for a, text in zip(articles, texts, strict=True)
    ]
    docs = nlp.pipe((piece for parts in split for _, piece in parts), n_process=n_process, batch_size=batch_size)
    for article, text, parts in zip(articles, texts, split, strict=True):
        annotation = Annotation(article.article_id, [], [])
        if len(text) < len(article.body_text):
            annotation.flags.append(f"annotated_first_chars:{len(text)}")
        for n, (offset, _) in enumerate(parts, 1):
            piece = _shift(_from_user_data(article.article_id, next(docs)), offset)
            annotation.mentions += piece.mentions
            annotation.quotes += piece.quotes
            if piece.failure and not annotation.failure:
                where = f" (piece {n} of {len(parts)})" if len(parts) > 1 else ""
                annotation.failure = (piece.failure[0], piece.failure[1] + where)
        if annotation.failure:
            annotation.mentions, annotation.quotes = [], []
        yield annotation


def annotated_text(text: str) -> str:
    """The part of an article's text that is annotated: all of it up to MAX_ANNOTATED_CHARS,
    else the beginning, cut at a paragraph (line, sentence, word) break."""
    return text if len(text) <= MAX_ANNOTATED_CHARS else pieces(text, MAX_ANNOTATED_CHARS)[0][1]


def annotate_each(articles: list[Article], batch_size: int = 32) -> list[Annotation]:
    """annotate(), in order, where a failure of the whole pipe (spaCy raising on one doc of
    a batch) costs only the article that caused it: the batch is retried article by article."""
    try:
        return list(annotate(articles, n_process=1, batch_size=batch_size))
    except Exception:  # noqa: BLE001 - found and recorded per article below
        if len(articles) == 1:
            raise
    return [_annotate_alone(article) for article in articles]


def _annotate_alone(article: Article) -> Annotation:
    try:
        return next(annotate([article], n_process=1))
    except Exception as exc:  # noqa: BLE001
        return Annotation(article.article_id, [], [], failure=("annotation_error", f"{type(exc).__name__}: {exc}"))


def pipeline(model: str | None = None) -> Language:
    nlp = nlp_models.load(model)
    if "newsroom_annotations" not in nlp.pipe_names:
        nlp.add_pipe("newsroom_annotations", last=True)
    return nlp
