"""The Prefect flows: (collect ->) input files -> extract -> annotate -> load -> cluster ->
dbt build -> publish; and collect alone.

Tasks are thin: each wires pure functions from extract/, annotate/, cluster/ and load/ over
a batch of inputs (one task per article would cost ~40 ms of orchestration each). Batches
are passed `quote`d: Prefect otherwise walks every object of every argument to track
dependencies, which cost seconds a batch.
Everything is built into a working copy of the warehouse and published by atomic rename
(see load/publish.py), so analysts reading the warehouse never block or see a half-built run.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE as NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from . import workers
from .annotate import places
from .cluster.features import text_features
from .cluster.stage import REOPEN_WINDOW, cluster
from .cluster.stage import prewarm as prewarm_clustering
from .collect.sources import SourcesError
from .config import Settings
from .extract import language
from .extract.article import build_article
from .extract.inputs import iter_input_files, read_documents
from .faults import article_fault, fault_point
from .load import publish, warehouse
from .load import stories as stories_store
from .model import dbt
from .processes import raise_if_interrupted
from .progress import Progress
from .records import Article, ClusterCounts, Collection, RawDocument, Rejection


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
    failing_feeds: list[tuple[str, str, int, str]] = field(default_factory=list)  # url, outlet, failures, error
    dbt_warnings: list[str] = field(default_factory=list)  # tests of severity warn that found rows

    def rejected(self, rejections: list[Rejection]) -> None:
        self.counts["rejected_inputs"] += len(rejections)
        self.rejections += [(r.source_path, r.reason, r.detail) for r in rejections]

    @contextmanager
    def stage(self, name: str, fault: bool = True) -> Iterator[None]:
        """Time a stage into stage_seconds (added up over batches); its fault point on entry."""
        started = time.perf_counter()
        try:
            if fault:
                fault_point(name)
            yield
        except Exception:
            raise_if_interrupted()  # the error a Ctrl-C became (DuckDB's `Query interrupted`) is the Ctrl-C
            raise
        finally:
            self.stage_seconds[name] = self.stage_seconds.get(name, 0.0) + time.perf_counter() - started
        raise_if_interrupted()  # a Ctrl-C some library caught and turned into a result


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
    if report.failing_feeds:
        lines += ["", "| failing feed | outlet | failures in a row | last error |", "|---|---|---|---|"]
        lines += [
            f"| `{url}` | {outlet} | {n} | {error.replace('|', '/')} |"
            for url, outlet, n, error in report.failing_feeds
        ]
    if report.dbt_warnings:
        lines += ["", "dbt warnings:", ""] + [f"- {warning}" for warning in report.dbt_warnings]
    if report.rejections:
        lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
        lines += [
            f"| `{path}` | {reason} | {detail.replace('|', '/')} |" for path, reason, detail in report.rejections[:200]
        ]
    return "\n".join(lines)


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(input_paths: list[str]) -> tuple[list[str], list[Rejection]]:
    paths, rejections = [], []
    for input_path in input_paths:
        for item in iter_input_files(Path(input_path)):
            (rejections if isinstance(item, Rejection) else paths).append(
                item if isinstance(item, Rejection) else str(item)
            )
    return paths, rejections


@task(name="collect", cache_policy=NO_CACHE)
def collect_news(work: str, run_id: str, settings: Settings) -> Collection:
    """Read the outlets' feeds and sitemaps and fetch their new pages into the WARC archive;
    the feeds' states and every fetch go into the working copy."""
    # imported here: feedparser, usp, warcio and courlan cost 0.4 s of every run's start-up,
    # and most runs (a no-op re-run above all) collect nothing
    from .collect.sources import load_sources
    from .collect.stage import Known, collect
    from .collect.urls import normalize_url
    from .load import collection as collection_store
    from .load.archive import WarcArchive

    sources = load_sources(settings.sources)
    with warehouse.opened(work) as con:
        urls = collection_store.known_page_urls(con)
        states = collection_store.feed_states(con)
    known = Known({url for raw in urls if (url := normalize_url(raw))}, states)
    archive = WarcArchive(settings.archive, run_id, {outlet.name: outlet.language for outlet in sources.outlets})
    try:
        result = collect(sources, known, archive)
    finally:
        pages = archive.close()  # what was fetched is kept, however the pass ended
    result.page_archives, result.pages_archived = pages, archive.counts["pages"]
    with warehouse.opened(work) as con:
        collection_store.write(con, run_id, result)
    return result


def _collect_into(work: Path, settings: Settings, report: RunReport) -> list[str]:
    """The collect stage of a run: its counts and failing feeds in the report; the pages
    archives it wrote, for the ingest to read."""
    with report.stage("collect"):
        Progress(logger=get_run_logger()).stage(f"collect from the outlets in {settings.sources}")
        result = collect_news(str(work), report.run_id, quote(settings))
    pages = [f for f in result.fetches if f.kind == "page"]
    report.counts["pages_fetched"] = sum(1 for f in pages if f.ok)
    report.counts["pages_failed"] = sum(1 for f in pages if not f.ok)
    report.counts["feeds_failing"] = sum(1 for feed in result.feeds if feed.consecutive_failures)
    report.failing_feeds = [
        (feed.feed_url, feed.outlet, feed.consecutive_failures, feed.last_error or "")
        for feed in result.feeds
        if feed.consecutive_failures
    ]
    return result.page_archives


def _collect_for_ingest(work: Path, settings: Settings, report: RunReport) -> tuple[list[str], list[Rejection]]:
    """The hourly run's collection: a sources.toml that cannot be used costs the collection
    alone, recorded with its problems as a rejection (`bad_sources`); the inbox is still
    ingested and the run succeeds. (`newsroom run --collect` refuses such a file up front.)"""
    try:
        return _collect_into(work, settings, report), []
    except SourcesError as exc:
        get_run_logger().error("collection skipped: %s", exc)
        try:
            sha = hashlib.sha256(settings.sources.read_bytes()).hexdigest()
        except OSError:
            sha = None
        detail = "; ".join(str(exc).splitlines())
        return [], [Rejection(str(settings.sources), "bad_sources", detail, sha)]


def _document_batches(paths: list[str], settings: Settings, bar) -> Iterator[tuple[list[RawDocument], list[Rejection]]]:
    """(documents, rejections found while reading them) in batches of `batch_size`, however
    the documents are spread over files (a JSON Lines file may hold thousands): the run holds
    a few batches in memory, never the whole input, and annotation overlaps the rest from the
    first batch on. The last batch may be of rejections alone."""
    batch: list[RawDocument] = []
    rejections: list[Rejection] = []
    for path in paths:
        for item in read_documents(Path(path), settings.max_file_bytes):
            if isinstance(item, Rejection):
                rejections.append(item)
                continue
            batch.append(item)
            if len(batch) >= settings.batch_size:
                yield batch, rejections
                batch, rejections = [], []
        bar.update(1)
    if batch or rejections:
        yield batch, rejections


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
    with warehouse.opened(work) as con:
        try:
            return warehouse.load_batch(con, run_id, articles, annotations, rejections, ledger), []
        except Exception:  # noqa: BLE001 - found per article below
            raise_if_interrupted()  # DuckDB's `Query interrupted` is Ctrl-C, not the batch's fault
        return _load_one_by_one(con, run_id, articles, annotations, rejections, ledger)


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
            raise_if_interrupted()  # not this article's load error
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
    with warehouse.opened(work) as con:
        return cluster_warehouse(con, run_id)


def cluster_warehouse(con, run_id: str) -> ClusterCounts:
    """The clustering stage over a warehouse, in one transaction: articles stored without
    clustering features get them first (computed with the workers' function)."""
    new_order = stories_store.unclustered(con)
    if not new_order:
        return ClusterCounts()
    with warehouse.transaction(con):
        missing = stories_store.articles_without_features(con)
        warehouse.insert_features(con, [(article_id, text_features(text)) for article_id, text in missing])
        warehouse.index_stems(con)  # rows stored before stem counts were kept
        clustering = cluster(stories_store.read(con, new_order, REOPEN_WINDOW))
        stories_store.write(con, clustering, run_id)
    return clustering.counts


@task(name="dbt-build", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def dbt_build(work: str, prewarmed: dbt.PrewarmedBuild | None = None, full_refresh: bool = False) -> dbt.DbtResult:
    return dbt.build(Path(work), prewarmed, full_refresh)  # a retry builds afresh: prewarmed is used once


def _places(article: Article, annotation) -> list:
    """The article's places (annotate/places.py), resolved here in the flow's process: one
    gazetteer a run, not one a worker (0.05 ms an article against ~56 ms annotating it). A
    failure costs the article its places only, flagged, never the article."""
    if annotation.failure is not None:
        return []
    try:
        article_fault("places", article.body_text)
        return places.resolve_places(article, annotation.mentions)
    except Exception as error:  # noqa: BLE001 - one article's places are not worth its load
        annotation.flags.append(f"places_failed:{type(error).__name__}")
        return []


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


def _ingest_into(
    work: Path, input_paths: list[str], settings: Settings, report: RunReport, today: date, rejected: list[Rejection]
) -> None:
    shown = Progress(logger=get_run_logger())
    with report.stage("discover"):
        shown.stage(f"discover inputs in {', '.join(input_paths)}")
        paths, walk_rejections = discover_inputs(input_paths)
    report.counts["files_seen"] = len(paths)
    shown.stage(f"read, extract, annotate and load {len(paths)} files")
    batches = _Batches(work, settings, report, today, shown)
    try:
        batches.run(paths, rejected + walk_rejections)
        _cluster_and_build(work, report, shown, batches.dbt)
    finally:
        if batches.dbt is not None:
            batches.dbt.close()


def _cluster_and_build(work: Path, report: RunReport, shown: Progress, prewarmed: dbt.PrewarmedBuild | None) -> None:
    with report.stage("cluster"):
        shown.stage("cluster stories")
        clustered = cluster_stories(str(work), report.run_id)
    report.counts["stories_created"] = clustered.stories_created
    report.counts["stories_updated"] = clustered.stories_updated
    with report.stage("dbt"):
        with warehouse.opened(work) as con:
            built_by = warehouse.marts_built_by(con)
        report.dbt_fingerprint = dbt.project_fingerprint()
        if clustered.articles_clustered == 0 and built_by == report.dbt_fingerprint:
            # nothing the marts read has changed, and the same project built them: a re-run
            # over seen input costs next to nothing
            shown.stage("no new articles and the dbt project is unchanged: marts are current, dbt build skipped")
        else:
            shown.stage("dbt build (models and their tests)")
            # the incremental models keep rows only while the project that built them is the same
            refresh = built_by != report.dbt_fingerprint
            _dbt_warnings(report, dbt_build(str(work), quote(prewarmed), refresh))


class _Batches:
    """read -> extract -> annotate -> load over a run's files, a batch at a time. Batches
    flow through a short queue (`in_flight`): while one is annotated (on the worker processes
    or the Dask cluster), the flow reads and extracts the next and loads the previous one.
    Rejections wait in `pending` to be written with the next batch loaded."""

    def __init__(self, work: Path, settings: Settings, report: RunReport, today: date, shown: Progress):
        self.work, self.settings, self.report, self.today, self.shown = work, settings, report, today, shown
        self.on_dask = bool(settings.dask)
        self.in_flight: deque[tuple[object, list[Article], list]] = deque()  # (future, articles, ledger)
        self.pending: list[Rejection] = []
        self.pending_ledger: list = []  # duplicates of batches with nothing new, loaded with the next
        self.seen: set[str] = set()  # article ids read in this run
        self.annotated = shown.bar("annotated", "article")
        self.dbt: dbt.PrewarmedBuild | None = None  # started with the first new article

    def run(self, paths: list[str], walk_rejections: list[Rejection]) -> None:
        self.pending += walk_rejections
        bar = self.shown.bar("read", "file", total=len(paths))
        batches = _document_batches(paths, self.settings, bar)
        while True:
            with self.report.stage("read", fault=False):
                documents, rejections = next(batches, (None, []))
                self.pending += rejections
                if documents is None:
                    break
                fresh, ledger = self._fresh(documents)
            if documents:
                self._submit(fresh, ledger)
            while len(self.in_flight) > self.settings.batches_in_flight:
                self._load_oldest()
        while self.in_flight:
            self._load_oldest()
        bar.close()
        self.annotated.close()
        if self.pending or self.pending_ledger:  # nothing left to load with them
            load_batch(str(self.work), self.report.run_id, [], [], quote(self.pending), quote(self.pending_ledger))
            self.report.rejected(self.pending)

    def _fresh(self, documents: list[RawDocument]) -> tuple[list[RawDocument], list]:
        """The documents not in the warehouse nor read before in this run, and the ledger
        entries of the others (duplicates)."""
        with warehouse.opened(self.work) as con:
            known = warehouse.known_article_ids(con, [d.article_id for d in documents])
        fresh, ledger = [], []
        for document in documents:
            if document.article_id in known or document.article_id in self.seen:
                self.report.counts["articles_skipped"] += 1
                ledger.append((document.source_path, document.article_id, "duplicate"))
                continue
            self.seen.add(document.article_id)
            fresh.append(document)
        return fresh, ledger

    def _submit(self, fresh: list[RawDocument], ledger: list) -> None:
        if not fresh:  # a batch seen before (a re-run): no task runs for it (~0.1 s each)
            self.pending_ledger += ledger
            return
        if not self.on_dask and len(fresh) >= 64:
            workers.start_workers()  # spaCy's workers load while this batch is extracted
        if self.dbt is None:  # the marts will need building: dbt imports and parses meanwhile
            self.dbt = dbt.PrewarmedBuild(self.work)
            places.prewarm()  # and the gazetteer builds (~1.5 s) while the first batch is annotated
            prewarm_clustering()  # and clustering's libraries are imported
        with self.report.stage("extract"):
            articles, rejections = extract_batch(quote(fresh), self.today)
        self.pending += rejections
        fault_point("annotate")
        batch = (
            articles if self.on_dask else quote(articles)
        )  # prefect-dask hands a quoted argument over as a bare tuple
        future = annotate_batch.submit(batch, 1 if self.on_dask else None) if articles else None
        ledger += [(a.source_path, a.article_id, "loaded") for a in articles]
        self.in_flight.append((future, articles, ledger))

    def _load_oldest(self) -> None:
        future, articles, ledger = self.in_flight.popleft()
        with self.report.stage("annotate", fault=False):
            annotations = future.result() if future is not None else []
            self.annotated.update(len(articles))
        with self.report.stage("places", fault=False):  # before the flags go on the articles
            for article, annotation in zip(articles, annotations, strict=True):
                annotation.places = _places(article, annotation)
        articles, annotations, ledger, failed = _without_failed(articles, annotations, ledger)
        self.pending += failed
        with self.report.stage("load", fault=False):
            rejections, self.pending = self.pending, []
            ledger, self.pending_ledger = self.pending_ledger + ledger, []
            loaded, refused = load_batch(
                str(self.work),
                self.report.run_id,
                quote(articles),
                quote(annotations),
                quote(rejections),
                quote(ledger),
            )
            self.report.counts["articles_loaded"] += loaded
            fault_point("load")  # after the batch is written to the working copy
            self.report.rejected(rejections + refused)
        get_run_logger().info(
            "batch: %d new articles, %d rejected so far", len(articles), self.report.counts["rejected_inputs"]
        )


@flow(name="ingest-articles", log_prints=True)
def ingest(input_path: str | None = None, warehouse_path: str | None = None, collect: bool = False) -> dict:
    """Ingest a file or folder of articles into the warehouse and rebuild the marts; with
    `collect`, first fetch the configured outlets' new pages and ingest those too."""
    settings = Settings()
    input_path = str(input_path or settings.input_path)
    if not os.path.exists(input_path):  # nothing to record: a typo, or an inbox not mounted
        raise FileNotFoundError(f"no such input: {input_path}")
    target = Path(warehouse_path or settings.warehouse).resolve()
    report = RunReport(run_id=uuid.uuid4().hex[:12])
    flow_run_id = flow_run.get_id()
    language.prewarm()  # while the working copy is made and the input read
    with publish.run_lock(target, settings.lock_timeout_seconds):
        publish.wait_for_no_writer(target, settings.lock_timeout_seconds)  # before any work, not after it
        work = publish.prepare_working_copy(target)
        with warehouse.opened(work) as con:
            warehouse.ensure_schema(con)
            warehouse.start_run(con, report.run_id, flow_run_id, input_path)
        try:
            collected, rejected = _collect_for_ingest(work, settings, report) if collect else ([], [])
            _ingest_into(work, [input_path, *collected], settings, report, date.today(), rejected)
            workers.shutdown_workers()
            _publish_success(work, target, report, settings)
        except BaseException as exc:
            workers.shutdown_workers()
            report.status, report.error = "failed", f"{type(exc).__name__}: {exc}"
            publish.discard_working_copy(target)
            _record_failed_run(target, report, flow_run_id, input_path, traceback.format_exc())
            raise
        Progress().stage(f"published {target}")
    _report_artifact(report, input_path)
    return {
        "run_id": report.run_id,
        "status": report.status,
        **report.counts,
        "stage_seconds": report.stage_seconds,
        "rejections": report.rejections,
        "failing_feeds": report.failing_feeds,
    }


def _dbt_warnings(report: RunReport, result: dbt.DbtResult) -> None:
    report.dbt_warnings = result.warnings
    for warning in result.warnings:
        get_run_logger().warning("dbt: %s", warning)


def _build_marts_if_stale(work: Path, report: RunReport) -> None:
    """dbt build where the marts are missing (a new warehouse) or built by another project."""
    with warehouse.opened(work) as con:
        built_by = warehouse.marts_built_by(con)
    report.dbt_fingerprint = dbt.project_fingerprint()
    if built_by != report.dbt_fingerprint:
        with report.stage("dbt"):
            _dbt_warnings(report, dbt_build(str(work), full_refresh=True))


def _publish_success(work: Path, target: Path, report: RunReport, settings: Settings) -> None:
    """Record the run as a success in the working copy, then publish it."""
    raise_if_interrupted()  # never publish a run that was asked to stop
    report.status = "success"
    with warehouse.opened(work) as con:
        warehouse.finish_run(
            con, report.run_id, "success", report.counts, report.stage_seconds, None, report.dbt_fingerprint
        )
        con.execute("checkpoint")
    publish.publish(target, settings.lock_timeout_seconds)


def _report_artifact(report: RunReport, input_path: str) -> None:
    create_markdown_artifact(
        markdown=run_report(report, input_path),
        key="ingest-run-report",
        description="Files seen, articles loaded, rejections with reasons, stories, failing feeds, stage times",
    )


@flow(name="collect-news", log_prints=True)
def collect_only(warehouse_path: str | None = None) -> dict:
    """Fetch the configured outlets' new pages into the WARC archive and record the feeds'
    states and every fetch in the warehouse; ingesting the archived pages is left to
    `newsroom run --input <archive>` (or to a run with collect on)."""
    settings = Settings()
    target = Path(warehouse_path or settings.warehouse).resolve()
    report = RunReport(run_id=uuid.uuid4().hex[:12])
    with publish.run_lock(target, settings.lock_timeout_seconds):
        publish.wait_for_no_writer(target, settings.lock_timeout_seconds)
        work = publish.prepare_working_copy(target)
        try:
            with warehouse.opened(work) as con:
                warehouse.ensure_schema(con)
                warehouse.start_run(con, report.run_id, flow_run.get_id(), str(settings.sources))
            archives = _collect_into(work, settings, report)
            _build_marts_if_stale(work, report)  # feed_health is a view: current once the marts exist
            _publish_success(work, target, report, settings)
        except BaseException:
            publish.discard_working_copy(target)
            raise
    _report_artifact(report, str(settings.sources))
    return {"run_id": report.run_id, **report.counts, "archives": archives, "failing_feeds": report.failing_feeds}


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
        nothing_published = {"articles_loaded": 0, "stories_created": 0, "stories_updated": 0}
        with warehouse.opened(work) as con:
            warehouse.ensure_schema(con)
            warehouse.start_run(con, report.run_id, flow_run_id, input_path)
            counts, error = {**report.counts, **nothing_published}, f"{report.error}\n{trace[-2000:]}"
            warehouse.finish_run(con, report.run_id, "failed", counts, report.stage_seconds, error)
            con.execute("checkpoint")
        publish.publish(target)
    except Exception:  # noqa: BLE001 - recording the failure must not hide the failure itself
        publish.discard_working_copy(target)
