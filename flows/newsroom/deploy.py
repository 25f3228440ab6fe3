"""The scheduled deployment: ingest new files from the inbox every hour (cron configurable).

`make serve` starts a local Prefect server on 127.0.0.1:4200 and runs this, which serves the
deployment: the schedule triggers runs, the Prefect UI shows them with their run reports.
Files already ingested are skipped by content, so the inbox can keep everything it received.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from .config import PROJECT_ROOT
from .pipeline import configured_ingest

DEPLOYMENT = "hourly-inbox"
DEFAULT_CRON = "0 * * * *"


def deployment_settings() -> dict:
    inbox = Path(os.environ.get("NEWSROOM_INBOX", PROJECT_ROOT / "warehouse" / "inbox"))
    warehouse = Path(os.environ.get("NEWSROOM_WAREHOUSE", PROJECT_ROOT / "warehouse" / "news.duckdb"))
    return {
        "name": DEPLOYMENT,
        "cron": os.environ.get("NEWSROOM_SCHEDULE", DEFAULT_CRON),
        "parameters": {"input_path": str(inbox), "warehouse_path": str(warehouse)},
        "description": "Ingest new article files from the inbox into the warehouse and rebuild the marts.",
        "tags": ["newsroom"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    settings = deployment_settings()
    Path(settings["parameters"]["input_path"]).mkdir(parents=True, exist_ok=True)
    configured_ingest().serve(**settings)


if __name__ == "__main__":
    main()
