"""A notified file is fetched from ORDEN as a poll is: with our credentials for ORDEN
(`options.outbound_auth`) and within the connector's `limits:` — a hanging file server fails
the intake job, never the notify request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from portal.connectors.intake import INTAKE_JOB, run_intake_job
from tests.connectors.orden.world import PASSWORD, SECRET, TOKEN, World, credentials, post
from tests.connectors.servers import Answer

OUTBOUND = {
    "bearer": ({"scheme": "bearer", "token_env": "ORDEN_TEST_TOKEN"}, f"Bearer {TOKEN}"),
    "basic": (
        {"scheme": "basic", "username": "portal", "password_env": "ORDEN_TEST_PASSWORD"},
        "Basic " + base64.b64encode(f"portal:{PASSWORD}".encode()).decode(),
    ),
}


@pytest.mark.parametrize("scheme", sorted(OUTBOUND))
def test_a_notified_file_is_fetched_with_our_credentials_for_orden(
    world: World, scheme: str
) -> None:
    outbound_auth, expected = OUTBOUND[scheme]
    portal, client = world.open("hmac", options={"outbound_auth": outbound_auth})
    body = world.notice("v1")
    job = post(client, body, credentials("hmac", body)).json()["job"]
    portal.jobs.run_until_idle()
    assert client.get(job["url"]).json()["job"]["state"] == "done"
    [fetched] = world.orden.received("GET", "/files/aed.csv")
    assert fetched.headers["authorization"] == expected


def test_a_notified_file_is_signed_as_an_empty_body_with_hmac(world: World) -> None:
    outbound_auth = {"scheme": "hmac", "secret_env": "ORDEN_TEST_SECRET", "header": "X-Sig"}
    portal, client = world.open("bearer", options={"outbound_auth": outbound_auth})
    body = world.notice("v1")
    post(client, body, credentials("bearer", body))
    portal.jobs.run_until_idle()
    [fetched] = world.orden.received("GET", "/files/aed.csv")
    empty = hmac.new(SECRET.encode(), b"", hashlib.sha256).hexdigest()
    assert fetched.headers["x-sig"] == "sha256=" + empty


def test_a_hanging_file_server_fails_the_intake_job_within_the_limits(world: World) -> None:
    world.orden.route("GET", "/files/hangs.csv", Answer(hang=True))
    outbound_auth, expected = OUTBOUND["bearer"]
    portal, client = world.open("hmac", options={"outbound_auth": outbound_auth})
    portal.jobs.register(INTAKE_JOB, run_intake_job, retries=0)  # see the failure at once
    body = world.notice("v1", file="hangs.csv")
    started = time.monotonic()
    answer = post(client, body, credentials("hmac", body))
    assert answer.status_code == 202 and time.monotonic() - started < 2.0  # at once
    job = answer.json()["job"]

    started = time.monotonic()
    portal.jobs.run_until_idle(timeout=30)
    assert time.monotonic() - started < 5.0  # limits: 1 s, no retry
    state = client.get(job["url"]).json()["job"]
    assert state["state"] == "failed" and state["error"]["code"] == "outbound-timeout"
    assert "/files/hangs.csv" in state["error"]["message_en"] and state["error"]["message_ja"]
    [asked] = world.orden.received("GET", "/files/hangs.csv")
    assert asked.headers["authorization"] == expected
    assert portal.catalogue.package_show("222127-aed") is None
