"""The portal's queue (portal/jobs) on huey, on SQLite and on Redis: a job enqueued twice
with one key runs once; a failure that may pass is retried with a growing wait; bad input
fails at once; the state is in the database for anyone holding the id."""

from __future__ import annotations

import time
from typing import Any

import pytest

from portal.composition import Portal
from portal.errors import PortalError
from portal.jobs.service import JobCrashed


class BadNotice(PortalError):
    code = "bad-notice"
    status = 400
    template_en = "the notice is unreadable: {why}"
    template_ja = "通知を読み取れません: {why}"


def test_a_key_enqueued_twice_is_one_job_run_once(portal: Portal) -> None:
    runs: list[dict[str, Any]] = []

    def handler(_portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
        runs.append(payload)
        return {"took": payload["catalog"]}

    portal.jobs.register("intake", handler)
    first = portal.jobs.enqueue("intake", {"catalog": "c1"}, key="c1@3", owner="orden")
    again = portal.jobs.enqueue("intake", {"catalog": "c1"}, key="c1@3", owner="orden")
    other = portal.jobs.enqueue("intake", {"catalog": "c1"}, key="c1@4")
    assert again.id == first.id and other.id != first.id
    assert first.state == "queued" and first.attempts == 0

    portal.jobs.run_until_idle(timeout=10)

    assert runs == [{"catalog": "c1"}, {"catalog": "c1"}]  # c1@3 once, c1@4 once
    done = portal.jobs.get(first.id)
    assert done is not None and done.state == "done" and done.attempts == 1
    assert done.result == {"took": "c1"} and done.error is None and done.owner == "orden"
    # Enqueued again after it ran: still the same job, nothing runs.
    assert portal.jobs.enqueue("intake", {"catalog": "c1"}, key="c1@3").id == first.id
    portal.jobs.run_until_idle(timeout=5)
    assert len(runs) == 2


def test_a_failure_that_may_pass_is_retried_with_backoff(portal: Portal) -> None:
    moments: list[float] = []

    def flaky(_portal: Portal, _payload: dict[str, Any]) -> dict[str, Any]:
        moments.append(time.monotonic())
        if len(moments) < 3:
            raise ConnectionError("peer down")
        return {"ok": True}

    portal.jobs.register("flaky", flaky, retries=3, backoff_seconds=0.3)
    job = portal.jobs.enqueue("flaky", {})
    portal.jobs.run_until_idle(timeout=15)

    done = portal.jobs.get(job.id)
    assert done is not None and done.state == "done" and done.attempts == 3
    assert done.result == {"ok": True} and done.error is None
    waits = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert waits[0] >= 0.3 and waits[1] >= 0.6, waits  # 0.3 s, then twice that


def test_retries_run_out_and_the_job_fails_with_why(portal: Portal) -> None:
    def down(_portal: Portal, _payload: dict[str, Any]) -> dict[str, Any]:
        raise TimeoutError("no answer")

    portal.jobs.register("down", down, retries=2, backoff_seconds=0.05)
    job = portal.jobs.enqueue("down", {})
    portal.jobs.run_until_idle(timeout=10)

    failed = portal.jobs.get(job.id)
    assert failed is not None and failed.state == "failed" and failed.attempts == 3
    assert failed.error is not None and failed.error["code"] == JobCrashed.code
    assert "TimeoutError" in failed.error["message_en"] and failed.error["message_ja"]


def test_bad_input_fails_at_once_without_retry(portal: Portal) -> None:
    calls: list[int] = []

    def strict(_portal: Portal, _payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        raise BadNotice(why="no catalog id")

    portal.jobs.register("strict", strict, retries=3, backoff_seconds=0.05)
    job = portal.jobs.enqueue("strict", {})
    portal.jobs.run_until_idle(timeout=5)

    failed = portal.jobs.get(job.id)
    assert calls == [1]
    assert failed is not None and failed.state == "failed" and failed.attempts == 1
    assert failed.error == BadNotice(why="no catalog id").to_dict()


def test_a_kind_this_process_does_not_know_fails_with_what_to_do(portal: Portal) -> None:
    job = portal.jobs.enqueue("from-a-newer-server", {})
    portal.jobs.run_until_idle(timeout=5)
    failed = portal.jobs.get(job.id)
    assert failed is not None and failed.state == "failed"
    assert failed.error is not None and failed.error["code"] == "job-kind-unknown"
    assert "portal worker" in failed.error["hint_en"]


def test_state_is_queryable_by_id_kind_and_state(portal: Portal) -> None:
    portal.jobs.register("ok", lambda _p, payload: {"n": payload["n"]})
    made = [portal.jobs.enqueue("ok", {"n": n}) for n in range(3)]
    assert {j.id for j in portal.jobs.list(kind="ok", state="queued")} == {j.id for j in made}
    assert portal.jobs.get("0" * 32) is None

    portal.jobs.run_until_idle(timeout=10)

    assert portal.jobs.list(kind="ok", state="queued") == []
    done = portal.jobs.list(kind="ok", state="done")
    assert sorted(j.result["n"] for j in done if j.result) == [0, 1, 2]
    shown = done[0].to_dict()
    assert set(shown) == {
        "id",
        "kind",
        "state",
        "attempts",
        "result",
        "error",
        "created",
        "updated",
    }


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_key_is_unique_in_the_database_too(database_url: str, tmp_path: Any) -> None:
    """Two servers enqueueing the same notice at once: the second insert meets the unique
    (kind, key) constraint and answers the first's job."""
    from portal.jobs import Jobs, make_huey
    from portal.settings import Settings
    from portal.store import Store

    store = Store.open(database_url)
    store.ensure_current()
    settings = Settings(data_dir=tmp_path / "var")
    one, two = (Jobs(store, make_huey(settings, name=f"q{i}")) for i in (1, 2))
    first = one.enqueue("intake", {}, key="k")
    looked = two._by_key
    seen: list[str] = []

    def not_seen_yet(kind: str, key: str) -> Any:  # the first look finds nothing, as in a race
        seen.append(key)
        return None if len(seen) == 1 else looked(kind, key)

    two._by_key = not_seen_yet  # type: ignore[method-assign]
    second = two.enqueue("intake", {}, key="k")
    assert second.id == first.id
    store.close()
