"""Shared fixtures. The suite runs on the real stack: a real spaCy model, real DuckDB files,
real dbt builds and Prefect flows against a temporary local Prefect API."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "warehouse" / "sample"
SEED_ORIGINAL = SAMPLE / "000_7f6db8f0b9f32e1f.txt"
SEED_REWRITE = SAMPLE / "002_d280f2439bfbc428.txt"


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
