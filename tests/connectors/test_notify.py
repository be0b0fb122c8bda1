"""POST /api/v1/connectors/{connector}/notify with a tiny connector plugin (tests/connectors/
tiny.py) and a peer serving the files (a recording server): the connector's own auth (401),
202 at once with the job's URL, the same notice → the same job and one fetch, an unknown
catalog or connector 404, a file that fails validation kept as a draft (never published), a
peer that hangs fails the job in a bounded time — never the request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal.composition import Portal
from portal.connectors.intake import INTAKE_JOB, drafts, run_intake_job
from portal.server import create_app
from portal.settings import Settings
from tests.conftest import TEST_DATA
from tests.connectors import tiny
from tests.connectors.servers import Answer, RecordingServer

EVENT_CSV = (TEST_DATA / "convert" / "event-cp932.expected.csv").read_bytes()
# The same file with an impossible date: validation fails it.
INVALID_CSV = EVENT_CSV.replace(b"2026-05-28,2026-05-28", b"2026-13-45,2026-05-28", 1)
NOTIFY = "/api/v1/connectors/tiny/notify"
DATASET = "222127-event"
BEARER = {"Authorization": f"Bearer {tiny.TOKEN}"}


@dataclass
class Peer:
    client: TestClient
    portal: Portal
    server: RecordingServer

    def notice(self, version: str = "3", path: str = "/event.csv", catalog: str = "c-event",
               headers: dict[str, str] | None = None) -> Any:  # fmt: skip
        body = {"catalog_id": catalog, "version": version, "file_url": f"{self.server.url}{path}"}
        return self.client.post(NOTIFY, json=body, headers=BEARER if headers is None else headers)

    def fetches(self, path: str = "/event.csv") -> int:
        return len(self.server.received("GET", path))


@pytest.fixture
def peer(settings: Settings, recording_server: RecordingServer, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Peer]:  # fmt: skip
    monkeypatch.setenv(tiny.TOKEN_ENV, tiny.TOKEN)
    recording_server.route(
        "GET", "/event.csv", Answer(200, EVENT_CSV, {"Content-Type": "text/csv"})
    )
    recording_server.route("GET", "/invalid.csv", Answer(200, INVALID_CSV))
    recording_server.route("GET", "/hangs.csv", Answer(hang=True))
    tiny.write_config(tmp_path / "connectors", "tiny", recording_server.url,
                      [{"dataset": DATASET, "catalog_id": "c-event"}],
                      limits={"timeout": 0.5, "retries": 0})  # fmt: skip
    with tiny.installed():
        own = {
            "connectors_dir": tmp_path / "connectors",
            "catalogue": "embedded",
        }  # never $CKAN_URL
        app = create_app(settings.model_copy(update=own))
        with TestClient(app) as client:
            yield Peer(client, app.state.portal, recording_server)


def error_of(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["ok"] is False and body["error"]["message_ja"] and body["error"]["message_en"]
    return dict(body["error"])


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {tiny.TOKEN}"}])  # fmt: skip
def test_a_notice_without_the_connectors_credentials_is_refused(
    peer: Peer, headers: dict[str, str]
) -> None:
    error = error_of(peer.notice(headers=headers), 401)
    assert error["code"] == "connector-auth-failed" and "tiny" in error["message_en"]
    assert peer.portal.jobs.list() == [] and peer.server.requests == []


def test_a_notice_is_answered_202_at_once_and_published_by_its_job(peer: Peer) -> None:
    answer = peer.notice()
    assert answer.status_code == 202, answer.text
    job = answer.json()["job"]
    assert job["state"] == "queued" and job["url"].endswith(f"/api/v1/jobs/{job['id']}")
    assert answer.headers["location"] == job["url"]
    assert peer.server.requests == []  # nothing fetched while the peer waited
    assert peer.client.get(job["url"]).json()["job"]["state"] == "queued"

    peer.portal.jobs.run_until_idle(timeout=30)

    state = peer.client.get(job["url"]).json()["job"]
    assert state["state"] == "done" and state["attempts"] == 1 and state["error"] is None
    assert state["result"]["outcome"] == "published" and state["result"]["valid"] is True
    assert peer.client.get(f"/api/v1/datasets/{DATASET}").status_code == 200
    (fetch,) = peer.server.requests
    assert fetch.path == "/event.csv" and fetch.headers["user-agent"].startswith(
        "municipal-open-data-portal/"
    )


def test_the_same_notice_again_is_the_same_job_and_one_fetch(peer: Peer) -> None:
    first = peer.notice().json()["job"]
    again = peer.notice()
    assert again.status_code == 202 and again.json()["job"]["id"] == first["id"]
    peer.portal.jobs.run_until_idle(timeout=30)
    late = peer.notice().json()["job"]  # after it ran
    assert late["id"] == first["id"] and late["state"] == "done"
    peer.portal.jobs.run_until_idle(timeout=5)
    assert peer.fetches() == 1
    newer = peer.notice(version="4").json()["job"]
    assert newer["id"] != first["id"]


def test_an_unknown_catalog_or_connector_is_404(peer: Peer) -> None:
    error = error_of(peer.notice(catalog="c-unknown"), 404)
    assert error["code"] == "connector-unknown-catalog" and "c-unknown" in error["message_en"]
    missing = peer.client.post("/api/v1/connectors/nobody/notify", json={}, headers=BEARER)
    assert error_of(missing, 404)["code"] == "connector-not-found"
    assert peer.portal.jobs.list() == []


def test_an_unreadable_notice_is_400(peer: Peer) -> None:
    answer = peer.client.post(NOTIFY, content=b"catalog=c-event", headers=BEARER)
    assert error_of(answer, 400)["code"] == "connector-notice-invalid"


def test_a_file_that_fails_validation_is_kept_as_a_draft(peer: Peer) -> None:
    job = peer.notice(path="/invalid.csv").json()["job"]
    peer.portal.jobs.run_until_idle(timeout=30)
    state = peer.client.get(job["url"]).json()["job"]
    assert state["state"] == "done" and state["result"]["outcome"] == "draft"
    assert state["result"]["valid"] is False and state["result"]["errors"] >= 1
    assert error_of(peer.client.get(f"/api/v1/datasets/{DATASET}"), 404)["code"]
    (kept,) = drafts(peer.portal, "tiny")
    assert kept["key"] == "c-event@3" and kept["dataset"] == DATASET
    folder = Path(kept["draft"])
    assert (folder / "converted" / "222127_event.validation.html").is_file()
    assert (folder / "source" / "invalid.csv").read_bytes() == INVALID_CSV


def test_a_peer_that_hangs_fails_the_job_in_bounded_time_never_the_request(peer: Peer) -> None:
    peer.portal.jobs.register(INTAKE_JOB, run_intake_job, retries=0)  # see the failure at once
    started = time.monotonic()
    answer = peer.notice(path="/hangs.csv")
    assert answer.status_code == 202 and time.monotonic() - started < 2.0
    job = answer.json()["job"]

    started = time.monotonic()
    peer.portal.jobs.run_until_idle(timeout=30)
    assert time.monotonic() - started < 5.0  # the connector's limits: 0.5 s, no retry

    state = peer.client.get(job["url"]).json()["job"]
    assert state["state"] == "failed" and state["error"]["code"] == "outbound-timeout"
    assert "/hangs.csv" in state["error"]["message_en"] and state["error"]["message_ja"]


def test_a_job_url_that_names_nothing_is_404(peer: Peer) -> None:
    error = error_of(peer.client.get("/api/v1/jobs/" + "0" * 32), 404)
    assert error["code"] == "job-not-found"
