"""`portal jobs recover --older-than MINUTES`: jobs a stopped worker left `running` (huey had
already taken their task) are tried again while their kind's retries last, else failed with
`job-abandoned`; a job whose attempt began recently is left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from portal.cli import main
from portal.composition import Portal
from portal.jobs.models import JobRow
from portal.settings import load_settings


def abandoned(portal: Portal, kind: str, minutes_ago: int) -> str:
    """A job as a killed worker leaves it: running since `minutes_ago`, its task gone."""
    job = portal.jobs.enqueue(kind, {"n": minutes_ago})
    portal.jobs.huey.flush()  # huey had handed the task to the worker that died
    with portal.store.writing() as session:
        row = session.get(JobRow, job.id)
        assert row is not None
        row.state, row.attempts = "running", 1
        row.updated = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return job.id


def test_an_abandoned_job_is_run_again_and_a_recent_one_left_alone(portal: Portal) -> None:
    ran: list[int] = []

    def count(_portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
        ran.append(payload["n"])
        return {"n": payload["n"]}

    portal.jobs.register("test-count", count, retries=1, backoff_seconds=0.01)
    old, recent = abandoned(portal, "test-count", 90), abandoned(portal, "test-count", 5)

    recovered = portal.jobs.recover(timedelta(minutes=60))
    assert [(r.id, r.state, (r.error or {}).get("code")) for r in recovered] == [
        (old, "queued", "job-abandoned")
    ]
    portal.jobs.run_until_idle(timeout=10)
    done = portal.jobs.get(old)
    assert done is not None and done.state == "done" and done.attempts == 2
    assert ran == [90]
    still = portal.jobs.get(recent)
    assert still is not None and still.state == "running"  # maybe still at work: not asked


def test_an_abandoned_job_without_retries_left_fails_saying_why(portal: Portal) -> None:
    portal.jobs.register("test-once", lambda _p, _payload: {}, retries=0)
    job_id = abandoned(portal, "test-once", 120)
    assert portal.jobs.recover(timedelta(minutes=60))[0].state == "failed"
    assert portal.jobs.recover(timedelta(minutes=60)) == ()  # recovered once
    failed = portal.jobs.get(job_id)
    assert failed is not None and failed.state == "failed" and failed.error is not None
    assert failed.error["code"] == "job-abandoned"
    assert "its worker stopped" in failed.error["message_en"]
    assert "ワーカーが停止" in failed.error["message_ja"]


def test_the_operators_command_recovers_and_says_how_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("PORTAL_DATABASE_URL", "PORTAL_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)  # the data directory's SQLite, both
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PORTAL_CATALOGUE", "embedded")
    portal = Portal.open(load_settings())
    try:
        job_id = abandoned(portal, "ping", 30)  # ping: no retries
    finally:
        portal.close()
    assert main(["jobs", "recover", "--older-than", "10"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == [job_id, "ping", "failed"]
    assert "1 job(s) recovered" in err and "回復しました" in err
    assert main(["jobs", "recover", "--older-than", "0"]) == 2  # unusable input
    assert "--older-than" in capsys.readouterr().err
