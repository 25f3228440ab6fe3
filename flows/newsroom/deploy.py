"""The scheduled deployment: every hour (cron configurable), collect the new pages of the
outlets in sources.toml, then ingest them with the new files of the inbox.

`make serve` (newsroom serve) starts a local Prefect server on 127.0.0.1:4200 and runs this
module beside it, which serves the deployment: the server's scheduler creates a run every
hour, this process picks it up and runs the flow, the Prefect UI shows it with its run report.
Files already ingested are skipped by content, so the inbox can keep everything it received.
"""

from __future__ import annotations

import argparse
import signal
import sys

from .config import Settings, quiet_prefect

DEPLOYMENT = "hourly-inbox"
FLOW = "ingest-articles"


def deployment_settings(settings: Settings | None = None) -> dict:
    settings = settings or Settings()
    return {
        "name": DEPLOYMENT,
        "cron": settings.schedule,
        "parameters": {"input_path": str(settings.inbox), "warehouse_path": str(settings.warehouse), "collect": True},
        "description": "Collect the outlets' new pages (sources.toml), ingest them and the inbox's new files "
        "into the warehouse, and rebuild the marts.",
        "tags": ["newsroom"],
    }


def _exit_on_sigterm() -> None:
    # SIGTERM (make stop, a service manager) ends serving the way Ctrl-C does: the runner
    # cancels what it runs and pauses the schedule on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: signal.default_int_handler(signum, frame))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    quiet_prefect()
    from .pipeline import configured_ingest

    settings = Settings()
    settings.inbox.mkdir(parents=True, exist_ok=True)
    _exit_on_sigterm()
    try:
        # limit=1: one run at a time; a run due while another is still going waits for it
        # (the warehouse takes one writer anyway) instead of failing on the run lock.
        configured_ingest().serve(**deployment_settings(settings), limit=1)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
