"""Articles -> entity mentions and quotes, streamed through spaCy in batches.

In a run, annotation happens in long-lived worker processes (one per core, each loading
the model once), fed chunks of articles while the flow reads, extracts and loads the
neighbouring batches. Starting spaCy's own `n_process` workers afresh for every batch, and
leaving the cores idle while the flow did the rest, were the largest costs beside spaCy.
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from ..cluster.features import TextFeatures, text_features
from ..config import Settings
from ..extract.metadata import dateline_prefix
from ..extract.records import Article
from ..faults import article_fault, article_stall
from ..processes import die_with_parent
from . import budget
from . import nlp as nlp_models
from .entities import Mention, mentions_from_doc
from .quotes import Quote, extract_quotes


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
        "mentions": [
            tuple(vars(m).values()) for m in annotation.mentions
        ],  # flat dataclasses: astuple's deep copy is not needed
        "quotes": [tuple(vars(q).values()) for q in annotation.quotes],
    }
    return doc


def _from_user_data(article_id: str, doc) -> Annotation:
    data = doc.user_data["newsroom"]
    if "failure" in data:
        return Annotation(article_id, [], [], failure=data["failure"])
    return Annotation(article_id, [Mention(*m) for m in data["mentions"]], [Quote(*q) for q in data["quotes"]])


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
    nlp = _pipeline(model)
    n_process = n_process or nlp_models.processes()
    articles = list(articles)
    if len(articles) < 2 * batch_size:
        n_process = 1  # forking workers costs more than it saves on a small batch
    limit = min(PIECE_CHARS, nlp.max_length)
    texts = [annotated_text(a.body_text) for a in articles]
    split = [pieces(nlp_models.mask_prefix(text, dateline_prefix(text)), limit) for text in texts]
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
        else:
            annotation.features = text_features(text)
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


def _pipeline(model: str | None = None) -> Language:
    nlp = nlp_models.load(model)
    if "newsroom_annotations" not in nlp.pipe_names:
        nlp.add_pipe("newsroom_annotations", last=True)
    return nlp


CHUNK = 32  # articles per message to a worker: spaCy's batch size


def _annotate_chunk(articles: list[Article]) -> list[Annotation]:
    return annotate_each(articles, batch_size=CHUNK)


def _load_in_worker(model: str | None) -> None:
    die_with_parent()  # a stopped or killed run takes its workers with it
    _pipeline(model)  # at start-up, not on the first chunk


_pool: ProcessPoolExecutor | None = None


def start_workers(processes: int | None = None) -> None:
    """Start the worker processes ahead of the first batch (they take seconds to load spaCy)."""
    processes = processes or nlp_models.processes()
    if processes > 1 and _pool is None:
        pool = _workers(processes)
        for _ in range(processes):  # the executor spawns a process per waiting task
            pool.submit(_ready)


def _ready() -> bool:
    return True


def _workers(processes: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the flow process runs threads (Prefect), and forking those is unsafe
        _pool = ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_in_worker,
            initargs=(nlp_models.model_name(),),
        )
        atexit.register(shutdown_workers)
    return _pool


def shutdown_workers() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


def annotate_batch(articles: list[Article], processes: int | None = None) -> list[Annotation]:
    """Annotations for a batch, in order: on the run's worker processes when the batch is
    worth it and there is more than one core, else in this process."""
    processes = processes or nlp_models.processes()
    if processes == 1 or (_pool is None and len(articles) < 2 * CHUNK):
        return annotate_each(articles, batch_size=CHUNK)
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    try:
        return [a for chunk in _workers(processes).map(_annotate_chunk, chunks) for a in chunk]
    except BrokenProcessPool:
        shutdown_workers()  # a worker died (killed, out of memory): the task's retry starts afresh
        raise
