"""The child process of dbt.PrewarmedBuild: import dbt and parse the project at once, then
build when the run writes a `build` command line on stdin (dbt.FULL_BUILD or
dbt.INCREMENTAL_BUILD; end of input: exit without building).

Run as `python -m newsroom.model.prewarmed TARGET_PATH LOG_PATH` with the dbt environment
(model/dbt.py dbt_env). Parsing never opens the warehouse file, so it may run while the
flow writes the working copy; the build runs on the manifest parsed, not parsing again."""

from __future__ import annotations

import sys


def main(target: str, logs: str) -> int:
    from dbt.cli.main import dbtRunner

    from ..config import DBT_DIR
    from ..faults import dbt_callbacks

    common = ["--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--target-path", target]
    common += ["--log-path", logs]
    parsed = dbtRunner().invoke(["parse", *common])
    command = sys.stdin.readline().split()
    if command[:1] != ["build"]:
        return 0
    # a failed parse leaves no manifest: build then parses (and reports) on its own
    manifest = parsed.result if parsed.success else None
    runner = dbtRunner(manifest=manifest, callbacks=dbt_callbacks())
    return 0 if runner.invoke([*command, *common]).success else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
