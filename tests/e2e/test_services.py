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

from newsroom.processes import stop

from conftest import ROOT, SAMPLE
from news_site import Site, small_build, small_sources_toml
from services import BIN, chromium, free_port, listening_addresses, wait_for_http, wait_for_text

pytestmark = pytest.mark.timeout(1200)


def _api(base: str, path: str, body: dict | None = None):
    request = urllib.request.Request(
        f"{base}{path}",
        method="POST" if body is not None else "GET",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _screenshot(driver, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("NEWSROOM_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / f"{name}.png"))


def _newsroom(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "newsroom"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def _wait_for_run(api: str, deployment_id: str, accept, timeout: float) -> dict:
    """The first run of the deployment that `accept` takes, once it has finished."""
    deadline = time.monotonic() + timeout
    runs = []
    while time.monotonic() < deadline:
        runs = _api(api, "/flow_runs/filter", {"deployments": {"id": {"any_": [deployment_id]}}})
        done = [r for r in runs if accept(r) and r["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")]
        if done:
            return done[0]
        time.sleep(2)
    raise AssertionError(
        f"no run finished within {timeout:.0f} s: "
        f"{[(r['name'], r['auto_scheduled'], r['state']['type']) for r in runs]}"
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`newsroom serve` (what `make serve` runs) with a schedule of every minute on an inbox
    holding the two seeds: the server's scheduler creates a run and the served deployment runs
    it; then the schedule is paused and `newsroom trigger` (the README's command) runs the
    deployment once more. `newsroom stop` at the end."""
    root = tmp_path_factory.mktemp("served")
    site = Site().__enter__()  # the outlet the deployment collects from, on 127.0.0.1
    small_build(site)
    (root / "sources.toml").write_text(small_sources_toml(site.url))
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    home, inbox, warehouse = root / "prefect-home", root / "inbox", root / "news.duckdb"
    inbox.mkdir()
    for seed in SAMPLE.iterdir():
        shutil.copy(seed, inbox / seed.name)
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "NEWSROOM_PREFECT_PORT": str(port),
        "NEWSROOM_INBOX": str(inbox),
        "NEWSROOM_WAREHOUSE": str(warehouse),
        "NEWSROOM_SCHEDULE": "* * * * *",
        "NEWSROOM_SOURCES": str(root / "sources.toml"),
        "NEWSROOM_ARCHIVE": str(root / "archive"),
    }
    env.pop("PREFECT_API_URL", None)

    def logs() -> str:
        return "".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}\n" for p in home.glob("*.log"))

    started = _newsroom(env, "serve")
    try:
        assert started.returncode == 0, started.stdout + started.stderr + logs()
        pids = {name: int((home / f"{name}.pid").read_text()) for name in ("server", "deployment")}
        (deployment,) = _api(api, "/deployments/filter", {})
        scheduled = _wait_for_run(api, deployment["id"], lambda r: r["auto_scheduled"], 300)
        _api(api, f"/deployments/{deployment['id']}/pause_deployment", {})
        triggered = _newsroom(env, "trigger", "--wait")
        addresses = listening_addresses(list(pids.values()))
        yield {
            "api": api,
            "ui": f"http://127.0.0.1:{port}",
            "deployment": deployment,
            "scheduled": scheduled,
            "triggered": triggered,
            "warehouse": warehouse,
            "addresses": addresses,
            "logs": logs,
            "started": started,
            "pids": pids,
            "env": env,
            "home": home,
        }
    finally:
        _newsroom(env, "stop", timeout=120)
        site.__exit__(None, None, None)


def test_scheduler_creates_a_run_that_completes_with_its_report(served):
    assert "Prefect UI: " + served["ui"] in served["started"].stdout
    assert served["deployment"]["name"] == "hourly-inbox"
    run = served["scheduled"]
    assert run["auto_scheduled"] and run["state"]["type"] == "COMPLETED", served["logs"]()
    artifacts = _api(served["api"], "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    # the two seeds of the inbox and the two pages the run collected from the local site
    assert any("| articles loaded | 4 |" in (a.get("data") or "") for a in artifacts), artifacts
    assert any("broken-feed.xml` | Local Site | 1 | malformed_feed" in (a.get("data") or "") for a in artifacts)
    con = duckdb.connect(str(served["warehouse"]), read_only=True)
    try:
        assert con.execute("select count(*) from marts.articles").fetchone()[0] == 4
        assert con.execute("select count(*) from marts.articles where fetched_at is not null").fetchone()[0] == 2
        failing = con.execute("select feed_url from marts.feed_health where is_failing").fetchall()
        assert [url.rsplit("/", 1)[1] for (url,) in failing] == ["broken-feed.xml"]
        first = con.execute("select flow_run_id from ops.runs order by started_at limit 1").fetchone()[0]
        assert first == run["id"]
    finally:
        con.close()


def test_trigger_runs_the_deployment_now(served):
    triggered = served["triggered"]
    assert triggered.returncode == 0, triggered.stdout + triggered.stderr + served["logs"]()
    assert "Completed" in triggered.stdout and "/runs/flow-run/" in triggered.stdout
    runs = _api(served["api"], "/flow_runs/filter", {"deployments": {"id": {"any_": [served["deployment"]["id"]]}}})
    assert any(not r["auto_scheduled"] and r["state"]["type"] == "COMPLETED" for r in runs)


def test_a_cli_run_reports_to_the_running_server(served, tmp_path):
    """With `make serve` up, `newsroom run` uses its API (shown in its UI) instead of starting
    Prefect's temporary one."""
    warehouse = tmp_path / "cli.duckdb"
    done = _newsroom(served["env"], "run", "--input", str(SAMPLE), "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"reporting to the Prefect server at {served['api']}" in done.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        (flow_run_id,) = con.execute("select flow_run_id from ops.runs").fetchone()
    finally:
        con.close()
    run = _api(served["api"], f"/flow_runs/{flow_run_id}")
    assert run["state"]["type"] == "COMPLETED" and run["deployment_id"] is None


def test_prefect_ui_shows_the_deployment_schedule_and_completed_run(served, tmp_path):
    driver = chromium()
    try:
        driver.get(f"{served['ui']}/deployments")
        page = wait_for_text(driver, ["hourly-inbox", "ingest-articles"])
        assert "Every minute" in page or "* * * * *" in page, page[:2000]
        _screenshot(driver, tmp_path, "prefect-deployments")
        driver.get(f"{served['ui']}/runs/flow-run/{served['scheduled']['id']}")
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
    process = subprocess.Popen(
        [str(BIN / "newsroom"), "docs", "--warehouse", str(served["warehouse"]), "--port", str(port)],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
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


def test_the_map_beside_the_docs_shows_stories_per_country_for_the_range_picked(served, docs_site, tmp_path):
    """Each story with a main country is coloured on the map and counted in the table for a
    range that holds its day, and for no range that does not."""
    con = duckdb.connect(str(served["warehouse"]), read_only=True)
    try:
        stories = con.execute("""select lower(main_country_code), first_published::varchar from marts.stories
                                 where main_country_code is not null""").fetchall()
    finally:
        con.close()
    assert ("kp", "2022-09-22") in stories  # the seed story, about North Korea
    countries = {code for code, _ in stories}
    driver = chromium()
    try:
        driver.get(f"{docs_site['url']}/#!/overview")
        wait_for_text(driver, ["map of stories per country"])
        driver.get(f"{docs_site['url']}/map.html")
        page = wait_for_text(driver, ["Stories per country", f"{len(stories)} stor", "North Korea"])
        assert "North Korea denies US claims" in page
        _screenshot(driver, tmp_path, "stories-map")

        def pick(start: str, end: str) -> tuple[str, set[str], set[str]]:
            return driver.execute_script(
                """for (const [id, value] of [["start", arguments[0]], ["end", arguments[1]]]) {
                     const input = document.getElementById(id); input.value = value;
                     input.dispatchEvent(new Event("change")); }
                   return [document.getElementById("summary").textContent,
                           [...document.querySelectorAll(".map g.in-range")].map(g => g.id || g.classList[0]),
                           [...document.querySelectorAll("#countries tbody tr")].map(r => r.dataset.country)];""",
                start,
                end,
            )

        summary, coloured, listed = pick("1990-01-01", "2100-12-31")
        assert set(coloured) == set(listed) == countries and summary.startswith(f"{len(stories)} stor")
        summary, coloured, listed = pick("1990-01-01", "1990-12-31")
        assert (summary, coloured, listed) == ("0 stories in 0 countries", [], [])
        seed_day = sorted(code for code, day in stories if day == "2022-09-22")
        summary, coloured, listed = pick("2022-09-22", "2022-09-22")
        assert sorted(listed) == sorted(set(seed_day)) and "kp" in coloured
    finally:
        driver.quit()


def test_stop_stops_the_server_and_the_deployment_and_tolerates_stale_pid_files(served):
    import psutil

    stopped = _newsroom(served["env"], "stop", timeout=120)
    assert stopped.returncode == 0 and "deployment" in stopped.stdout and "server" in stopped.stdout, stopped
    assert stopped.stdout.count("SIGTERM") == 2 and "SIGKILL" not in stopped.stdout, stopped  # both exit on SIGTERM
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in served["pids"].values()):
        time.sleep(0.5)
    assert not any(psutil.pid_exists(p) for p in served["pids"].values())
    assert not list(served["home"].glob("*.pid"))
    (served["home"] / "server.pid").write_text("999999\n")  # gone
    (served["home"] / "deployment.pid").write_text(f"{os.getpid()}\n")  # another program now
    again = _newsroom(served["env"], "stop")
    assert again.returncode == 0 and again.stdout.count("stale pid file") == 2, again
    assert psutil.pid_exists(os.getpid()) and not list(served["home"].glob("*.pid"))
