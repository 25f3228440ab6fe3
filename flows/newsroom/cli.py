"""`newsroom` command line: run the pipeline, show what the warehouse holds, evaluate."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .config import Settings


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The first start of the local (ephemeral) API migrates a new database: slow on 2 cores.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def summary(warehouse: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        def count(sql: str) -> int:
            return con.execute(sql).fetchone()[0]
        return {
            "articles": count("select count(*) from marts.articles"),
            "stories": count("select count(*) from marts.stories"),
            "entities": count("select count(*) from marts.entities"),
            "quotes": count("select count(*) from marts.quotes"),
            "rejected inputs": count("select count(*) from ops.rejected_inputs"),
            "runs": count("select count(*) from ops.runs"),
        }
    finally:
        con.close()


def cmd_run(args: argparse.Namespace) -> int:
    _quiet_prefect()
    from .load.publish import RunInProgress
    from .pipeline import configured_ingest

    try:
        result = configured_ingest()(input_path=args.input, warehouse_path=args.warehouse)
    except RunInProgress as exc:
        print(f"newsroom: {exc}", file=sys.stderr)
        return 3
    warehouse = Path(args.warehouse or Settings().warehouse)
    print(f"run {result['run_id']}: {result['status']}: {result['files_seen']} files seen, "
          f"{result['articles_loaded']} new articles, {result['articles_skipped']} already loaded, "
          f"{result['rejected_inputs']} rejected")
    for path, reason, detail in result["rejections"]:
        print(f"  rejected {path}: {reason} ({detail})")
    print(f"warehouse {warehouse}:")
    for name, value in summary(warehouse).items():
        print(f"  {name:<16}{value:>8}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    for name, value in summary(Path(args.warehouse or Settings().warehouse)).items():
        print(f"{name:<16}{value:>8}")
    return 0


DEFAULT_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


class _Tee:
    """stdout that is also kept: what an evaluation prints is what the docs show."""

    def __init__(self, stream):
        self.stream, self.kept = stream, []

    def write(self, text: str) -> int:
        self.kept.append(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def cmd_eval(args: argparse.Namespace) -> int:
    from contextlib import redirect_stdout

    from .evaluate import record

    defaults = {"extraction": DEFAULT_EVAL / "extraction" / "aeb", "quotes": DEFAULT_EVAL / "quotes" / "polnear",
                "ner": DEFAULT_EVAL / "ner" / "conll2003" / "eng.testa.valid.txt",
                "clusters": DEFAULT_EVAL / "clustering" / "ecbplus.jsonl"}
    data = Path(args.data or defaults[args.what])
    tee = _Tee(sys.stdout)
    with redirect_stdout(tee):
        if args.what == "extraction":
            from .evaluate import extraction

            extraction.run(data, worst=args.worst)
        elif args.what == "quotes":
            from .evaluate import quotes

            data = data / "dev" if (data / "dev").is_dir() else data
            quotes.run(data)
        elif args.what == "ner":
            from .evaluate import ner

            ner.run(data)
        elif args.what == "clusters":
            _quiet_prefect()
            from .evaluate import clusters

            clusters.run(data)
    if not args.no_record and not args.worst:  # a diagnostic run lists pages, not figures
        record.save(args.what, "".join(tee.kept), data)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from .model import dbt

    warehouse = Path(args.warehouse or Settings().warehouse)
    if not warehouse.exists():
        print(f"newsroom: no warehouse at {warehouse}: `make run` builds one", file=sys.stderr)
        return 2
    site = dbt.generate_docs(warehouse)
    print(f"dbt docs for {warehouse}: http://127.0.0.1:{args.port}", flush=True)
    dbt.serve_docs(site, args.port)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from . import bench

    if args.what == "clusters":
        bench.run_clusters(args.sizes, Path(args.workdir))
    else:
        bench.run(args.articles, Path(args.workdir))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest a file or folder of articles and rebuild the marts")
    run.add_argument("--input", help="file or folder (default: the bundled sample)")
    run.add_argument("--warehouse", help="DuckDB file to build (default: warehouse/news.duckdb)")
    run.set_defaults(func=cmd_run)

    show = commands.add_parser("summary", help="row counts of the published warehouse")
    show.add_argument("--warehouse")
    show.set_defaults(func=cmd_summary)

    evaluate = commands.add_parser("eval", help="score a stage on labelled data (../shared/eval by default)")
    evaluate.add_argument("what", choices=["extraction", "quotes", "ner", "clusters"])
    evaluate.add_argument("--data", help="data set path (default: the matching folder of ../shared/eval)")
    evaluate.add_argument("--worst", type=int, default=0, help="also list the N worst-scored items")
    evaluate.add_argument("--no-record", action="store_true",
                          help="do not replace the figures the dbt docs show (dbt_project/docs/evaluations.json)")
    evaluate.set_defaults(func=cmd_eval)

    docs = commands.add_parser("docs", help="generate the dbt docs site and serve it on 127.0.0.1")
    docs.add_argument("--warehouse")
    docs.add_argument("--port", type=int, default=8080)
    docs.set_defaults(func=cmd_docs)

    benchmark = commands.add_parser("bench", help="throughput against bare spaCy, re-run cost, peak memory")
    benchmark.add_argument("what", nargs="?", choices=["pipeline", "clusters"], default="pipeline",
                           help="the whole pipeline against bare spaCy (default), or the clustering stage alone")
    benchmark.add_argument("--articles", type=int, default=20000)
    benchmark.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000],
                           help="clusters: warehouse sizes to time")
    benchmark.add_argument("--workdir", default=str(Path(__file__).resolve().parents[2] / ".bench"))
    benchmark.set_defaults(func=cmd_bench)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
