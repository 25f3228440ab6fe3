"""The three ways people use the product, on real services on 127.0.0.1 looked at in headless
Chromium: a Prefect server with the scheduled deployment served and run, and the dbt docs
site. Screenshots go to $NEWSROOM_SCREENSHOTS when set (the README's come from here)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLE
from services import (BIN, chromium, free_port, listening_addresses, prefect_server_env, start_prefect_server,
                      stop, wait_for_http, wait_for_text)

pytestmark = pytest.mark.timeout(1200)


def _api(base: str, path: str, body: dict | None = None):
    request = urllib.request.Request(f"{base}{path}", method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _screenshot(driver, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}.png"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A Prefect server, the hourly-inbox deployment served against it, and one run of it
    triggered through the API on an inbox holding the two seeds."""
    root = tmp_path_factory.mktemp("served")
    port = free_port()
    server = start_prefect_server(root / "prefect-home", port, root / "server.log")
    api = f"http://127.0.0.1:{port}/api"
    inbox, warehouse = root / "inbox", root / "news.duckdb"
    inbox.mkdir()
    for seed in SAMPLE.iterdir():
        shutil.copy(seed, inbox / seed.name)
    env = {**prefect_server_env(root / "prefect-home", port), "NEWSROOM_INBOX": str(inbox),
           "NEWSROOM_WAREHOUSE": str(warehouse), "PREFECT_LOGGING_LEVEL": "INFO"}
    server_log = root / "serve.log"
    serving = subprocess.Popen([str(BIN / "python"), "-m", "newsroom.deploy"], env=env, cwd=ROOT,
                               stdout=server_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        deployments = []
        while not deployments and time.monotonic() < deadline:
            assert serving.poll() is None, server_log.read_text()
            deployments = _api(api, "/deployments/filter", {})
            time.sleep(1)
        assert deployments, "the deployment was not registered:\n" + server_log.read_text()
        (deployment,) = deployments
        run = _api(api, f"/deployments/{deployment['id']}/create_flow_run", {})
        deadline = time.monotonic() + 600
        state = run["state"]["type"]
        while state not in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") and time.monotonic() < deadline:
            time.sleep(2)
            state = _api(api, f"/flow_runs/{run['id']}")["state"]["type"]
        addresses = listening_addresses([server.pid, serving.pid])
        yield {"api": api, "ui": f"http://127.0.0.1:{port}", "deployment": deployment, "run_id": run["id"],
               "state": state, "warehouse": warehouse, "addresses": addresses, "log": server_log}
    finally:
        stop(serving)
        stop(server)


def test_deployment_is_served_with_its_hourly_schedule_and_the_run_completes(served):
    deployment = served["deployment"]
    assert deployment["name"] == "hourly-inbox"
    (schedule,) = deployment["schedules"]
    assert schedule["schedule"]["cron"] == "0 * * * *" and schedule["active"]
    assert served["state"] == "COMPLETED", served["log"].read_text()[-4000:]
    con = duckdb.connect(str(served["warehouse"]), read_only=True)
    try:
        assert con.execute("select count(*) from marts.articles").fetchone()[0] == 2
    finally:
        con.close()
    artifacts = _api(served["api"], "/artifacts/filter", {"artifacts": {"key": {"any_": ["ingest-run-report"]}}})
    assert any("| articles loaded | 2 |" in (a.get("data") or "") for a in artifacts)


def test_prefect_ui_shows_the_deployment_schedule_and_completed_run(served, tmp_path):
    driver = chromium()
    try:
        driver.get(f"{served['ui']}/deployments")
        page = wait_for_text(driver, ["hourly-inbox", "ingest-articles"])
        assert "Every hour" in page or "0 * * * *" in page, page[:2000]
        _screenshot(driver, tmp_path, "prefect-deployments")
        driver.get(f"{served['ui']}/runs/flow-run/{served['run_id']}")
        wait_for_text(driver, ["ingest-articles", "Completed"])
        _screenshot(driver, tmp_path, "prefect-flow-run")
    finally:
        driver.quit()


def test_prefect_services_listen_on_loopback_only(served):
    assert served["addresses"] == {"127.0.0.1"}


@pytest.fixture(scope="module")
def docs_site(served, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("docs") / "docs.log"
    process = subprocess.Popen([str(BIN / "newsroom"), "docs", "--warehouse", str(served["warehouse"]), "--port", str(port)],
                               cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", 300, process)
        yield {"url": f"http://127.0.0.1:{port}", "addresses": listening_addresses([process.pid])}
    finally:
        stop(process)


def test_dbt_docs_site_shows_the_marts_with_descriptions(docs_site, tmp_path):
    driver = chromium()
    try:
        driver.get(f"{docs_site['url']}/#!/overview")
        wait_for_text(driver, ["Newsroom warehouse", "marts"])
        _screenshot(driver, tmp_path, "dbt-docs-overview")
        driver.get(f"{docs_site['url']}/#!/model/model.newsroom.quotes")
        page = wait_for_text(driver, ["quotes", "speaker_kind", "quote_group_id"])
        assert "anonymous_official" in page  # the column description, not just its name
        _screenshot(driver, tmp_path, "dbt-docs-quotes")
        driver.get(f"{docs_site['url']}/#!/exposure/exposure.newsroom.evaluation_figures")
        wait_for_text(driver, ["Evaluation figures", "newsroom eval"])
        driver.get(f"{docs_site['url']}/#!/exposure/exposure.newsroom.most_quoted_speakers")
        wait_for_text(driver, ["Most quoted speakers", "most_quoted_speakers.sql"])
    finally:
        driver.quit()
    assert docs_site["addresses"] == {"127.0.0.1"}
