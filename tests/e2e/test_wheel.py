"""The package as a user installs it: the built wheel in a fresh virtual environment runs
`newsroom run` from a folder outside the checkout, with its SQL, dbt project and sample
carried as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import ROOT, SAMPLE

UV = str(Path(sys.executable).with_name("uv"))


def _ok(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_wheel_installed_in_a_fresh_venv_runs_from_another_folder(tmp_path):
    dist, venv, elsewhere = tmp_path / "dist", tmp_path / "venv", tmp_path / "elsewhere"
    _ok([UV, "build", "--wheel", "--out-dir", str(dist)], cwd=ROOT)
    (wheel,) = dist.glob("newsroom-*.whl")
    requirements = tmp_path / "requirements.txt"
    exported = _ok([UV, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", "-q"], cwd=ROOT)
    requirements.write_text(exported.stdout)  # the locked versions, as `make` installs them
    _ok([UV, "venv", "-q", "--python", sys.executable, str(venv)])
    _ok([UV, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "-r", str(requirements), str(wheel)])

    elsewhere.mkdir()
    shutil.copytree(SAMPLE, elsewhere / "articles")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PREFECT_", "NEWSROOM_", "VIRTUAL_ENV"))}
    env.update(
        XDG_CACHE_HOME=str(tmp_path / "cache"), PREFECT_HOME=str(tmp_path / "prefect"), PATH=f"{venv}/bin:/usr/bin:/bin"
    )
    where = _ok(
        [str(venv / "bin" / "python"), "-c", "import newsroom.config as c; print(c.INSTALLED, c.DBT_DIR)"],
        cwd=elsewhere,
        env=env,
    ).stdout.split()
    assert where[0] == "True" and str(venv) in where[1]  # the installed package, not the checkout

    _ok([str(venv / "bin" / "newsroom"), "run", "--input", "articles"], cwd=elsewhere, env=env)

    warehouse = elsewhere / "warehouse" / "news.duckdb"  # the default, relative to where it runs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from marts.articles").fetchone() == (2,)
        assert con.execute("select count(*) from marts.stories").fetchone() == (1,)
        assert con.execute("select count(*) from marts.quotes").fetchone()[0] > 10
    finally:
        con.close()
    assert any((tmp_path / "cache" / "newsroom" / "dbt").iterdir())  # dbt wrote to the cache, not the package
