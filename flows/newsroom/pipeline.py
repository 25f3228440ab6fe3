"""The Prefect flow: input files -> extract -> annotate -> load -> cluster -> dbt build -> publish.

Tasks are thin: each wires pure functions from extract/, annotate/, cluster/ and load/ over
a batch of inputs (one task per article would cost ~40 ms of orchestration each). Batches
are passed `quote`d: Prefect otherwise walks every object of every argument to track
dependencies, which cost seconds a batch.
Everything is built into a working copy of the warehouse and published by atomic rename
(see load/publish.py), so analysts reading the warehouse never block or see a half-built run.
"""

from __future__ import annotations

import os
import time
import traceback
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from . import workers
from .cluster.features import text_features
from .cluster.stage import cluster
from .config import Settings
from .extract.article import build_article
from .extract.inputs import iter_input_files, read_documents
from .faults import article_fault, fault_point
from .load import publish, warehouse
from .load import stories as stories_store
from .model import dbt
from .progress import Progress
from .records import Article, ClusterCounts, RawDocument, Rejection


@dataclass
class RunReport:
    run_id: str
    status: str = "running"
    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            (
                "files_seen",
                "articles_loaded",
                "articles_skipped",
                "rejected_inputs",
                "stories_created",
                "stories_updated",
            ),
            0,
        )
    )
    stage_seconds: dict = field(default_factory=dict)
    rejections: list[tuple[str, str, str]] = field(default_factory=list)
    error: str | None = None
    dbt_fingerprint: str | None = None

    def rejected(self, rejections: list[Rejection]) -> None:
        self.counts["rejected_inputs"] += len(rejections)
        self.rejections += [(r.source_path, r.reason, r.detail) for r in rejections]

    def timed(self, stage: str, started: float) -> None:
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + time.perf_counter() - started


def run_report(report: RunReport, input_path: str) -> str:
    """The run as a markdown table, published as a Prefect artifact."""
    lines = [
        f"### Ingest run `{report.run_id}`: {report.status}",
        "",
        f"Input: `{input_path}`",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    lines += [f"| {name.replace('_', ' ')} | {value} |" for name, value in report.counts.items()]
    lines += [f"| seconds in {stage} | {seconds:.1f} |" for stage, seconds in report.stage_seconds.items()]
    if report.rejections:
        lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
        lines += [
            f"| `{path}` | {reason} | {detail.replace('|', '/')} |" for path, reason, detail in report.rejections[:200]
        ]
    return "\n".join(lines)


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(input_path: str) -> tuple[list[str], list[Rejection]]:
    paths, rejections = [], []
    for item in iter_input_files(Path(input_path)):
        (rejections if isinstance(item, Rejection) else paths).append(
            item if isinstance(item, Rejection) else str(item)
        )
    return paths, rejections


def _document_batches(
    paths: list[str], settings: Settings, rejections: list[Rejection], bar
) -> Iterator[list[RawDocument]]:
    """Documents in batches of `batch_size` however they are spread over files (a JSON Lines
    file may hold thousands): the run holds a few batches in memory, never the whole input,
    and annotation overlaps the rest from the first batch on. Rejections go to `rejections`."""
    batch: list[RawDocument] = []
    for path in paths:
        for item in read_documents(Path(path), settings.max_file_bytes):
            if isinstance(item, Rejection):
                rejections.append(item)
                continue
            batch.append(item)
            if len(batch) >= settings.batch_size:
                yield batch
                batch = []
        bar.update(1)
    if batch:
        yield batch


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(documents: list[RawDocument], today: date) -> tuple[list[Article], list[Rejection]]:
    articles, rejections = [], []
    for document in documents:
        try:
            article_fault("extract", document.raw_content)
            result = build_article(document, today)
        except Exception as exc:  # noqa: BLE001 - one bad page must not cost the batch
            result = Rejection(
                document.source_path, "extraction_error", f"{type(exc).__name__}: {exc}", document.article_id
            )
        (rejections if isinstance(result, Rejection) else articles).append(result)
    return articles, rejections


@task(name="annotate-batch", cache_policy=NO_CACHE, retries=1)
def annotate_batch(articles: list[Article], processes: int | None = None) -> list:
    return workers.annotate_batch(articles, processes)


@task(name="load-batch", cache_policy=NO_CACHE)
def load_batch(work: str, run_id: str, articles, annotations, rejections, ledger) -> tuple[int, list[Rejection]]:
    """(articles loaded, articles rejected by the load). A batch whose transaction fails is
    loaded again article by article, so that one article the warehouse refuses is rejected
    alone (`load_error`); an error every article hits (a full disk) still fails the run."""
    con = warehouse.connect(work)
    try:
        try:
            return warehouse.load_batch(con, run_id, articles, annotations, rejections, ledger), []
        except Exception:  # noqa: BLE001 - found per article below
            pass
        return _load_one_by_one(con, run_id, articles, annotations, rejections, ledger)
    finally:
        con.close()


def _load_one_by_one(con, run_id: str, articles, annotations, rejections, ledger) -> tuple[int, list[Rejection]]:
    by_id = {a.article_id: [a] for a in annotations}
    loaded, refused, error = 0, [], None
    for article in articles:
        try:
            loaded += warehouse.load_batch(
                con,
                run_id,
                [article],
                by_id.get(article.article_id, []),
                [],
                [entry for entry in ledger if entry[1] == article.article_id],
            )
        except Exception as exc:  # noqa: BLE001
            error = exc
            refused.append(
                Rejection(article.source_path, "load_error", f"{type(exc).__name__}: {exc}", article.article_id)
            )
    if not loaded and len(refused) > 1:
        raise error  # no article of several loads: the warehouse's fault (a full disk), not theirs
    article_ids = {a.article_id for a in articles}
    warehouse.load_batch(
        con, run_id, [], [], rejections + refused, [entry for entry in ledger if entry[1] not in article_ids]
    )
    return loaded, refused


@task(name="cluster-stories", cache_policy=NO_CACHE)
def cluster_stories(work: str, run_id: str) -> ClusterCounts:
    con = warehouse.connect(work)
    try:
        return cluster_warehouse(con, run_id)
    finally:
        con.close()


def cluster_warehouse(con, run_id: str) -> ClusterCounts:
    """The clustering stage over a warehouse, in one transaction: articles stored without
    clustering features get them first (computed with the workers' function)."""
    new_order = stories_store.unclustered(con)
    if not new_order:
        return ClusterCounts()
    with warehouse.transaction(con):
        missing = stories_store.articles_without_features(con)
        warehouse.insert_features(con, [(article_id, text_features(text)) for article_id, text in missing])
        clustering = cluster(stories_store.read(con, new_order))
        stories_store.write(con, clustering, run_id)
    return clustering.counts


@task(name="dbt-build", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def dbt_build(work: str) -> dbt.DbtResult:
    return dbt.build(Path(work))


def _without_failed(articles, annotations, ledger):
    """The batch without the articles annotation failed on, and those as rejections; the
    annotation's quality flags (a text annotated in part) go on the articles."""
    flags = {a.article_id: a.flags for a in annotations if a.flags}
    for article in articles:
        article.quality_flags += flags.get(article.article_id, [])
    failed = {a.article_id: a.failure for a in annotations if a.failure}
    if not failed:
        return articles, annotations, ledger, []
    rejections = [
        Rejection(a.source_path, *failed[a.article_id], a.article_id) for a in articles if a.article_id in failed
    ]
    return (
        [a for a in articles if a.article_id not in failed],
        [a for a in annotations if not a.failure],
        [entry for entry in ledger if entry[1] not in failed],
        rejections,
    )


def _ingest_into(work: Path, input_path: str, settings: Settings, report: RunReport, today: date) -> None:
    logger = get_run_logger()
    shown = Progress(logger=logger)
    run_id = report.run_id
    started = time.perf_counter()
    shown.stage(f"discover inputs in {input_path}")
    paths, walk_rejections = discover_inputs(input_path)
    report.timed("discover", started)
    report.counts["files_seen"] = len(paths)
    shown.stage(f"read, extract, annotate and load {len(paths)} files")
    annotated = shown.bar("annotated", "article")
    pending_rejections = list(walk_rejections)
    seen_this_run: set[str] = set()
    # Batches flow through a short queue: while one is annotated (on the worker processes or
    # the Dask cluster), the flow reads and extracts the next and loads the previous one.
    on_dask = bool(settings.dask)
    in_flight: deque = deque()

    def load_oldest() -> None:
        nonlocal pending_rejections
        future, articles, ledger = in_flight.popleft()
        started = time.perf_counter()
        annotations = future.result() if future is not None else []
        annotated.update(len(articles))
        articles, annotations, ledger, failed = _without_failed(articles, annotations, ledger)
        pending_rejections += failed
        report.timed("annotate", started)
        started = time.perf_counter()
        loaded, refused = load_batch(
            str(work), run_id, quote(articles), quote(annotations), quote(pending_rejections), quote(ledger)
        )
        report.counts["articles_loaded"] += loaded
        fault_point("load")  # after the batch is written to the working copy
        report.rejected(pending_rejections + refused)
        pending_rejections = []
        report.timed("load", started)
        logger.info("batch: %d new articles, %d rejected so far", len(articles), report.counts["rejected_inputs"])

    read_rejections: list[Rejection] = []
    bar = shown.bar("read", "file", total=len(paths))
    batches = _document_batches(paths, settings, read_rejections, bar)
    while True:
        started = time.perf_counter()
        documents = next(batches, None)
        pending_rejections += read_rejections
        read_rejections.clear()
        if documents is None:
            break
        con = warehouse.connect(work)
        try:
            known = warehouse.known_article_ids(con, [d.article_id for d in documents])
        finally:
            con.close()
        ledger, fresh = [], []
        for document in documents:
            if document.article_id in known or document.article_id in seen_this_run:
                report.counts["articles_skipped"] += 1
                ledger.append((document.source_path, document.article_id, "duplicate"))
                continue
            seen_this_run.add(document.article_id)
            fresh.append(document)
        report.timed("read", started)
        if not on_dask and len(fresh) >= 64:
            workers.start_workers()  # spaCy's workers load while this batch is extracted

        started = time.perf_counter()
        fault_point("extract")
        articles, rejections = extract_batch(quote(fresh), today)
        pending_rejections += rejections
        report.timed("extract", started)

        fault_point("annotate")
        batch = articles if on_dask else quote(articles)  # prefect-dask hands a quoted argument over as a bare tuple
        future = annotate_batch.submit(batch, 1 if on_dask else None) if articles else None
        ledger += [(a.source_path, a.article_id, "loaded") for a in articles]
        in_flight.append((future, articles, ledger))
        while len(in_flight) > settings.batches_in_flight:
            load_oldest()
    while in_flight:
        load_oldest()
    bar.close()
    annotated.close()
    if pending_rejections:  # nothing to read, but the walk itself found bad paths
        load_batch(str(work), run_id, [], [], quote(pending_rejections), [])
        report.rejected(pending_rejections)

    started = time.perf_counter()
    shown.stage("cluster stories")
    fault_point("cluster")
    clustered = cluster_stories(str(work), run_id)
    report.counts["stories_created"] = clustered.stories_created
    report.counts["stories_updated"] = clustered.stories_updated
    report.timed("cluster", started)

    started = time.perf_counter()
    fault_point("dbt")
    con = warehouse.connect(work)
    built_by = warehouse.marts_built_by(con)
    con.close()
    report.dbt_fingerprint = dbt.project_fingerprint()
    if clustered.articles_clustered == 0 and built_by == report.dbt_fingerprint:
        # nothing the marts read has changed, and the same project built them: a re-run
        # over seen input costs next to nothing
        shown.stage("no new articles and the dbt project is unchanged: marts are current, dbt build skipped")
    else:
        shown.stage("dbt build (models and their tests)")
        dbt_build(str(work))
    report.timed("dbt", started)


@flow(name="ingest-articles", log_prints=True)
def ingest(input_path: str | None = None, warehouse_path: str | None = None) -> dict:
    """Ingest a file or folder of articles into the warehouse and rebuild the marts."""
    settings = Settings()
    input_path = str(input_path or settings.input_path)
    if not os.path.exists(input_path):  # nothing to record: a typo, or an inbox not mounted
        raise FileNotFoundError(f"no such input: {input_path}")
    target = Path(warehouse_path or settings.warehouse).resolve()
    report = RunReport(run_id=uuid.uuid4().hex[:12])
    flow_run_id = flow_run.get_id()
    with publish.run_lock(target, settings.lock_timeout_seconds):
        publish.wait_for_no_writer(target, settings.lock_timeout_seconds)  # before any work, not after it
        work = publish.prepare_working_copy(target)
        con = warehouse.connect(work)
        warehouse.ensure_schema(con)
        warehouse.start_run(con, report.run_id, flow_run_id, input_path)
        con.close()
        try:
            _ingest_into(work, input_path, settings, report, date.today())
            workers.shutdown_workers()
            report.status = "success"
            con = warehouse.connect(work)
            warehouse.finish_run(
                con,
                report.run_id,
                "success",
                report.counts,
                report.stage_seconds,
                dbt_fingerprint=report.dbt_fingerprint,
            )
            con.execute("checkpoint")
            con.close()
            publish.publish(target, settings.lock_timeout_seconds)
        except BaseException as exc:
            workers.shutdown_workers()
            report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"
            publish.discard_working_copy(target)
            _record_failed_run(target, report, flow_run_id, input_path, traceback.format_exc())
            raise
        Progress().stage(f"published {target}")
    create_markdown_artifact(
        markdown=run_report(report, input_path),
        key="ingest-run-report",
        description="Files seen, articles loaded, rejections with reasons, stories, stage times",
    )
    return {
        "run_id": report.run_id,
        "status": report.status,
        **report.counts,
        "stage_seconds": report.stage_seconds,
        "rejections": report.rejections,
    }


def task_runner(settings: Settings | None = None):
    """The task runner the settings ask for: None for Prefect's default (threads here, with
    annotation on this machine's worker processes), or prefect-dask's DaskTaskRunner."""
    settings = settings or Settings()
    if not settings.dask:
        return None
    from prefect_dask import DaskTaskRunner

    if settings.dask == "local":
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": settings.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "host": "127.0.0.1",
                "dashboard_address": None,
            },
        )  # nothing listens beyond loopback
    return DaskTaskRunner(address=settings.dask)


def configured_ingest():
    """The ingest flow with the configured task runner (what the CLI and the deployment run)."""
    runner = task_runner()
    return ingest.with_options(task_runner=runner) if runner is not None else ingest


def _record_failed_run(target: Path, report: RunReport, flow_run_id, input_path: str, trace: str) -> None:
    """A failed run publishes nothing it built, but the published warehouse does record
    that it ran and why it failed (a fresh copy with only the run row added). Where nothing
    is published yet, nothing is: a warehouse of one failed run and no marts is no warehouse."""
    if not target.exists():
        return
    try:
        work = publish.prepare_working_copy(target)
        con = warehouse.connect(work)
        warehouse.ensure_schema(con)
        warehouse.start_run(con, report.run_id, flow_run_id, input_path)
        counts = {
            **report.counts,
            "articles_loaded": 0,
            "stories_created": 0,
            "stories_updated": 0,
        }  # nothing was published
        warehouse.finish_run(
            con, report.run_id, "failed", counts, report.stage_seconds, f"{report.error}\n{trace[-2000:]}"
        )
        con.execute("checkpoint")
        con.close()
        publish.publish(target)
    except Exception:  # noqa: BLE001 - recording the failure must not hide the failure itself
        publish.discard_working_copy(target)
