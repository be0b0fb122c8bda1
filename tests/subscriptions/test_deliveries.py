"""A subscriber's webhook receives a signed notice after a publish (the recording server on
127.0.0.1 checks the body and the signature with the secret); a failing one is tried again
with growing delays, then disabled after DISABLE_AFTER_FAILURES, as its delivery history
shows; a repeated job sends nothing twice."""

from __future__ import annotations

from datetime import datetime

from portal.subscriptions.delivery import DELIVERY_KIND, DISABLE_AFTER_FAILURES
from portal.subscriptions.signing import verify
from tests.connectors.servers import Answer, RecordingServer
from tests.subscriptions.conftest import BACKOFF, NAME, SLUG, World, bearer, publish_changed


def subscribe(world: World, url: str, **target: str) -> dict[str, object]:
    answer = world.client.post("/api/v1/subscriptions", headers=bearer(world.key),
                               json={**(target or {"dataset": NAME}), "url": url})  # fmt: skip
    assert answer.status_code == 201, answer.text
    made: dict[str, object] = answer.json()
    return made


def test_a_publish_sends_a_signed_notice_with_the_changes(
    world: World, recording_server: RecordingServer
) -> None:
    recording_server.route("POST", "/hook", Answer(204))
    made = subscribe(world, recording_server.url + "/hook")
    secret, subscription = str(made["secret"]), made["subscription"]
    assert isinstance(subscription, dict) and "secret" not in subscription
    change = publish_changed(world.portal, "a")
    world.portal.jobs.run_until_idle(timeout=20)

    [received] = recording_server.received("POST", "/hook")
    assert verify(secret, received.body, received.headers)
    assert not verify("whsec_another", received.body, received.headers)
    notice = received.json()
    assert notice["dataset"]["name"] == NAME and notice["dataset"]["standard"] == SLUG
    assert notice["version"]["number"] == change.version
    assert notice["version"]["previous"] == change.version - 1
    changes = notice["changes"]
    assert changes["compared_by"] == "id" and changes["id_field"] == "ID"
    assert changes["ids"]["added"] == [change.added]
    assert changes["ids"]["removed"] == [change.removed]
    assert changes["ids"]["changed"] == [change.changed]
    assert (changes["added"], changes["removed"], changes["changed"]) == (1, 1, 1)
    csv_name = next(f for f in notice["downloads"]["current"] if f.endswith(".csv"))
    assert notice["downloads"]["current"][csv_name].endswith(f"/files/{NAME}/{csv_name}")
    version_url = notice["downloads"]["version"][csv_name]
    assert version_url.endswith(f"/files/{NAME}/versions/{change.version}/{csv_name}")
    path = version_url.removeprefix("http://testserver")
    assert world.client.get(path).status_code == 200  # the links work

    history = world.client.get(f"/api/v1/subscriptions/{subscription['id']}/deliveries",
                               headers=bearer(world.key)).json()["deliveries"]  # fmt: skip
    assert [(d["version"], d["attempt"], d["ok"], d["status_code"]) for d in history] == [
        (change.version, 1, True, 204)
    ]
    # The same (subscription, version) again: the queue keeps one job, the job sends nothing.
    job = world.portal.jobs.enqueue(
        DELIVERY_KIND, {"subscription": subscription["id"], "dataset": NAME,
                        "version": change.version},
        key=f"{subscription['id']}:{NAME}@{change.version}")  # fmt: skip
    assert job.state == "done"
    world.portal.jobs.run_until_idle(timeout=5)
    assert len(recording_server.received("POST", "/hook")) == 1
    deleted = world.client.delete(f"/api/v1/subscriptions/{subscription['id']}",
                                  headers=bearer(world.key))  # fmt: skip
    assert deleted.status_code == 200


def test_a_failing_subscriber_is_retried_with_backoff_then_disabled(
    world: World, recording_server: RecordingServer
) -> None:
    recording_server.route("POST", "/down", Answer(503, "down for maintenance"))
    made = subscribe(world, recording_server.url + "/down", standard=SLUG)
    subscription = made["subscription"]
    assert isinstance(subscription, dict)
    publish_changed(world.portal, "b")
    world.portal.jobs.run_until_idle(timeout=30)

    assert len(recording_server.received("POST", "/down")) == DISABLE_AFTER_FAILURES
    history = world.client.get(f"/api/v1/subscriptions/{subscription['id']}/deliveries",
                               headers=bearer(world.key)).json()["deliveries"]  # fmt: skip
    assert [d["attempt"] for d in history] == list(range(DISABLE_AFTER_FAILURES, 0, -1))
    assert all(d["status_code"] == 503 and not d["ok"] for d in history)
    assert all("outbound-failed" in d["error"] and "503" in d["error"] for d in history)
    moments = sorted(datetime.fromisoformat(d["at"]) for d in history)
    gaps = [(b - a).total_seconds() for a, b in zip(moments, moments[1:], strict=False)]
    # Each wait at least doubles (seconds are whole in the history: allow one's rounding).
    assert all(gap >= BACKOFF * 2**n - 1 for n, gap in enumerate(gaps)), gaps
    assert sum(gaps) >= BACKOFF * (2 ** len(gaps) - 1) - 1, gaps

    listed = world.client.get("/api/v1/subscriptions", headers=bearer(world.key)).json()
    mine = next(s for s in listed["subscriptions"] if s["id"] == subscription["id"])
    assert mine["enabled"] is False and mine["consecutive_failures"] == DISABLE_AFTER_FAILURES
    publish_changed(world.portal, "c")  # disabled: nothing more is sent
    world.portal.jobs.run_until_idle(timeout=5)
    assert len(recording_server.received("POST", "/down")) == DISABLE_AFTER_FAILURES
