"""Shared fixtures. The suite runs on the real stack: a real spaCy model, real DuckDB files,
real dbt builds and Prefect flows against a temporary local Prefect API."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# A CLI run under test uses Prefect's temporary API, as a one-off process should: the default
# (a local server kept for later runs) would leave one server per test behind for its idle
# timeout. tests/e2e/test_local_api.py runs the default.
os.environ.setdefault("NEWSROOM_LOCAL_API", "temporary")
# ... and never finds a developer's `make serve` server on the default port 4200: a port
# nothing listens on unless a test starts a server there.
if "NEWSROOM_PREFECT_PORT" not in os.environ:
    with socket.socket() as _probe:
        _probe.bind(("127.0.0.1", 0))
        os.environ["NEWSROOM_PREFECT_PORT"] = str(_probe.getsockname()[1])

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "warehouse" / "sample"
SEED_ORIGINAL = SAMPLE / "000_7f6db8f0b9f32e1f.txt"
SEED_REWRITE = SAMPLE / "002_d280f2439bfbc428.txt"
# page furniture around the story in the Business Standard seed: never in its body
SEED_FURNITURE = ("JUST IN", "You are here", "Photo: Unsplash", "Dear Reader", "First Published", "RECOMMENDED FOR YOU")


def pytest_collection_modifyitems(items):
    """Tests under tests/e2e are marked e2e: `pytest -m "not e2e"` is the unit tier (under a
    minute: pure functions and the real spaCy model, no Prefect, dbt or servers)."""
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def nlp():
    from newsroom.annotate.nlp import load

    return load()


def read_seed(path: Path) -> str:
    from newsroom.extract.inputs import split_seed_header

    return split_seed_header(path.read_text())[1]


POLNEAR_DEV = ROOT.parent / "shared" / "eval" / "quotes" / "polnear" / "dev"


def polnear_dev_documents() -> list:
    """The 84 PolNeAR dev articles as RawDocuments (read from ../shared/eval at test time;
    the test skips where it is not)."""
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"{POLNEAR_DEV} is not here")
    from newsroom.evaluate.quotes import load_split
    from newsroom.records import RawDocument

    return [
        RawDocument(source_path=f"polnear/{name}", external_id=name, input_format="jsonl", text=text)
        for name, text, _ in load_split(POLNEAR_DEV)
    ]


MART_QUERIES = {
    "articles": "select external_id, title, published_date, outlet, wire_agency, dateline, body_text, story_id, syndication, derived_from_article_id from marts.articles order by external_id",
    "entities": "select entity_id, canonical_name, entity_type, mention_count from marts.entities order by entity_id",
    "mentions": "select article_id, entity_id, start_char, end_char from marts.entity_mentions order by all",
    "quotes": "select quote_id, quote_text, speaker_text, quote_type from marts.quotes order by quote_id",
    "stories": "select story_id, headline, article_count from marts.stories order by story_id",
    "sources": "select name, source_type, article_count from marts.sources order by all",
    "landing": "select count(*) from landing.articles",
}


def marts_snapshot(warehouse: Path) -> dict:
    """The marts' contents that do not depend on when or how often a run happened."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in MART_QUERIES.items()}
    finally:
        con.close()
