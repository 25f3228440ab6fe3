"""Settings, from the environment with defaults that work from a fresh clone."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = PROJECT_ROOT / "sql"
DBT_DIR = PROJECT_ROOT / "dbt_project"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass
class Settings:
    warehouse: Path = field(default_factory=lambda: Path(os.environ.get("NEWSROOM_WAREHOUSE", PROJECT_ROOT / "warehouse" / "news.duckdb")))
    input_path: Path = field(default_factory=lambda: Path(os.environ.get("NEWSROOM_INPUT", PROJECT_ROOT / "warehouse" / "sample")))
    max_file_bytes: int = field(default_factory=lambda: _env_int("NEWSROOM_MAX_FILE_BYTES", 20 * 1024 * 1024))
    batch_size: int = field(default_factory=lambda: _env_int("NEWSROOM_BATCH_SIZE", 256))
    lock_timeout_seconds: int = field(default_factory=lambda: _env_int("NEWSROOM_LOCK_TIMEOUT", 0))
    # Annotation on Dask through prefect-dask: "" (off: worker processes on this machine),
    # "local" (a LocalCluster on 127.0.0.1) or a scheduler address such as tcp://10.0.0.5:8786.
    dask: str = field(default_factory=lambda: os.environ.get("NEWSROOM_DASK", ""))
    dask_workers: int = field(default_factory=lambda: _env_int("NEWSROOM_DASK_WORKERS", len(os.sched_getaffinity(0))))
    # batches submitted for annotation before the oldest is loaded: one keeps this machine's
    # workers busy; on Dask, one per worker
    batches_in_flight: int = field(default_factory=lambda: _env_int("NEWSROOM_BATCHES_IN_FLIGHT", 0))

    def __post_init__(self):
        if not self.batches_in_flight:
            self.batches_in_flight = self.dask_workers if self.dask else 1
