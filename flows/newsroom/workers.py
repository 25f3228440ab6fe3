"""Where annotation runs: the run's worker processes, or this process for a small batch.

In a run, annotation happens in long-lived worker processes (one per core, each loading
the model once), fed chunks of articles while the flow reads, extracts and loads the
neighbouring batches. Starting spaCy's own `n_process` workers afresh for every batch, and
leaving the cores idle while the flow did the rest, were the largest costs beside spaCy.
The workers also compute the features clustering compares (cluster/features.py), so that
the clustering stage, on one core after annotation, only compares and assigns: this module
sits above both stages and joins them per chunk.

spaCy is imported only when there is work (it takes seconds): not at this module's import.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .processes import die_with_parent
from .records import Annotation, Article

CHUNK = 32  # articles per message to a worker: spaCy's batch size


ANNOTATED_LANGUAGES = {"en", None}  # the model's language; None: not detected (see extract/language.py)


def annotate_articles(articles: list[Article]) -> list[Annotation]:
    """Annotations of a chunk, in order, with the clustering features of each annotated text.
    An article in another language than the model's gets no entities or quotes (an English
    model on French text finds nonsense), only its clustering features and a flag."""
    from .annotate.annotator import annotate_each, annotated_text
    from .cluster.features import text_features

    english = [a for a in articles if a.language in ANNOTATED_LANGUAGES]
    annotated = annotate_each(english, batch_size=CHUNK) if english else []
    done = {id(a): ann for a, ann in zip(english, annotated, strict=True)}
    annotations = [
        done.get(id(a)) or Annotation(a.article_id, [], [], flags=[f"not_annotated:language={a.language}"])
        for a in articles
    ]
    for article, annotation in zip(articles, annotations, strict=True):
        if annotation.failure is None:
            annotation.features = text_features(annotated_text(article.body_text))
    return annotations


def _processes() -> int:
    from .annotate import nlp

    return nlp.processes()


def _load_in_worker(model: str | None) -> None:
    from .annotate.annotator import pipeline

    die_with_parent()  # a stopped or killed run takes its workers with it
    pipeline(model)  # at start-up, not on the first chunk
    gc.freeze()  # the model stays for the worker's life: out of every collection, and its exit's


_pool: ProcessPoolExecutor | None = None


def start_workers(processes: int | None = None) -> None:
    """Start the worker processes ahead of the first batch (they take seconds to load spaCy)."""
    processes = processes or _processes()
    if processes > 1 and _pool is None:
        pool = _workers(processes)
        for _ in range(processes):  # the executor spawns a process per waiting task
            pool.submit(_ready)


def _ready() -> bool:
    return True


def _workers(processes: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        from .annotate import nlp

        # spawn, not fork: the flow process runs threads (Prefect), and forking those is unsafe
        _pool = ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_in_worker,
            initargs=(nlp.model_name(),),
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
    processes = processes or _processes()
    if processes == 1 or (_pool is None and len(articles) < 2 * CHUNK):
        return annotate_articles(articles)
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    try:
        return [a for chunk in _workers(processes).map(annotate_articles, chunks) for a in chunk]
    except BrokenProcessPool:
        shutdown_workers()  # a worker died (killed, out of memory): the task's retry starts afresh
        raise
