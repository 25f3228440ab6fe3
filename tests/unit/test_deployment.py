"""The scheduled deployment and the run report, without a server."""

from __future__ import annotations

from newsroom.config import DEFAULT_SCHEDULE
from newsroom.deploy import deployment_settings
from newsroom.pipeline import RunReport, ingest, run_report


def test_deployment_is_scheduled_hourly_on_the_inbox(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_INBOX", str(tmp_path / "inbox"))
    deployment = ingest.to_deployment(**deployment_settings())
    assert deployment.name == "hourly-inbox"
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == DEFAULT_SCHEDULE == "0 * * * *"
    assert deployment.parameters["input_path"] == str(tmp_path / "inbox")


def test_schedule_is_configurable(monkeypatch):
    monkeypatch.setenv("NEWSROOM_SCHEDULE", "*/15 * * * *")
    (schedule,) = ingest.to_deployment(**deployment_settings()).schedules
    assert schedule.schedule.cron == "*/15 * * * *"


def test_run_report_lists_counts_stages_and_rejections():
    report = RunReport(run_id="abc", status="success")
    report.counts.update(files_seen=3, articles_loaded=2, rejected_inputs=1)
    report.stage_seconds = {"annotate": 1.25, "dbt": 10.0}
    report.rejections = [("inbox/empty.txt", "empty_file", "no content")]
    markdown = run_report(report, "inbox")
    assert "| files seen | 3 |" in markdown and "| articles loaded | 2 |" in markdown
    assert "| seconds in dbt | 10.0 |" in markdown
    assert "| `inbox/empty.txt` | empty_file | no content |" in markdown
