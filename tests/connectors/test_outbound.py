"""Outbound (portal/connectors/http.py), the one client of every call the portal makes, against
recording servers on loopback: only the configured hosts (refused before any connection,
redirects included), a User-Agent naming the portal, a cap on what is read, retries with
backoff on 503/429 (Retry-After honoured), a bounded time against a server that hangs."""

from __future__ import annotations

import time

import pytest

from portal import __version__
from portal.connectors.base import ConnectorConfig, OutboundLimits
from portal.connectors.http import (
    Outbound,
    OutboundFailed,
    OutboundHostRefused,
    OutboundTimeout,
    OutboundTooLarge,
)
from portal.settings import Settings
from tests.connectors.servers import Answer, RecordingServer

LOOPBACK = ["127.0.0.1"]


def quick(**limits: float) -> Outbound:
    return Outbound(LOOPBACK, **{"timeout": 2.0, "retries": 2, "backoff": 0.2, **limits})  # type: ignore[arg-type]


def test_a_host_not_configured_is_refused_before_connecting(
    recording_server: RecordingServer,
) -> None:
    outbound = Outbound(["orden.example.jp"])
    with pytest.raises(OutboundHostRefused) as refused:
        outbound.get(f"{recording_server.url}/catalog.csv")
    assert recording_server.requests == []  # nothing reached the server
    error = refused.value.to_dict()
    assert error["code"] == "outbound-refused-host" and "127.0.0.1" in error["message_en"]
    assert "127.0.0.1" in error["message_ja"] and error["hint_ja"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http:///x"])
def test_only_http_urls_with_a_host(url: str) -> None:
    with pytest.raises(OutboundHostRefused):
        quick().get(url)


def test_a_redirect_to_another_host_is_refused(recording_server: RecordingServer) -> None:
    elsewhere = f"http://localhost:{recording_server.port}/secret"
    recording_server.route("GET", "/moved", Answer(302, headers={"Location": elsewhere}))
    with pytest.raises(OutboundHostRefused) as refused:
        quick().get(f"{recording_server.url}/moved")
    assert "localhost" in refused.value.message_en
    assert [r.path for r in recording_server.requests] == ["/moved"]


def test_the_user_agent_names_the_portal(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/a.csv", Answer(200, "ID,名称\n1,公園\n"))
    fetched = quick().get(f"{recording_server.url}/a.csv", headers={"X-Extra": "1"})
    assert fetched.status == 200 and fetched.text() == "ID,名称\n1,公園\n"
    (request,) = recording_server.requests
    assert request.headers["user-agent"].startswith(f"municipal-open-data-portal/{__version__} (+")
    assert request.headers["x-extra"] == "1"


def test_etag_and_last_modified_make_a_conditional_get(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/a.csv", Answer(304, headers={"ETag": '"v1"'}))
    fetched = quick().get(f"{recording_server.url}/a.csv", etag='"v1"',
                          modified_since="Wed, 02 Dec 2026 00:00:00 GMT")  # fmt: skip
    assert fetched.not_modified and fetched.etag == '"v1"' and fetched.content == b""
    (request,) = recording_server.requests
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Wed, 02 Dec 2026 00:00:00 GMT"


@pytest.mark.parametrize("unsized", [False, True], ids=["content-length", "streamed"])
def test_an_answer_over_the_cap_is_not_read(
    recording_server: RecordingServer, unsized: bool
) -> None:
    recording_server.route("GET", "/big.csv", Answer(200, b"x" * 200_000, unsized=unsized))
    with pytest.raises(OutboundTooLarge) as too_large:
        quick(max_bytes=100_000).get(f"{recording_server.url}/big.csv")
    assert "100000" in too_large.value.message_en and too_large.value.message_ja
    assert len(recording_server.requests) == 1  # too large is not retried


def test_503_is_retried_with_backoff_then_succeeds(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/a.csv", Answer(503), Answer(503), Answer(200, "ok"))
    started = time.monotonic()
    fetched = quick(backoff=0.3).get(f"{recording_server.url}/a.csv")
    assert fetched.status == 200 and fetched.content == b"ok"
    assert len(recording_server.requests) == 3
    assert time.monotonic() - started >= 0.3 + 0.6  # waited 0.3 s, then twice that


def test_retry_after_is_honoured(recording_server: RecordingServer) -> None:
    recording_server.route("POST", "/v2/op/update", Answer(429, headers={"Retry-After": "1"}),
                           Answer(204))  # fmt: skip
    started = time.monotonic()
    sent = quick(backoff=0.01).send("POST", f"{recording_server.url}/v2/op/update",
                                    json={"actionType": "append", "entities": []})  # fmt: skip
    assert sent.status == 204 and time.monotonic() - started >= 1.0
    first, second = recording_server.requests
    assert first.json() == second.json() == {"actionType": "append", "entities": []}


def test_still_failing_after_the_retries_says_so(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/a.csv", Answer(503, "maintenance"))
    with pytest.raises(OutboundFailed) as failed:
        quick(retries=2, backoff=0.05).get(f"{recording_server.url}/a.csv")
    assert len(recording_server.requests) == 3
    assert failed.value.response_status == 503
    assert "3 attempt(s)" in failed.value.message_en and "HTTP 503" in failed.value.message_en
    assert "3 回" in failed.value.message_ja


def test_a_client_error_is_not_retried(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/gone.csv", Answer(404, {"error": "not found"}))
    with pytest.raises(OutboundFailed) as failed:
        quick().get(f"{recording_server.url}/gone.csv")
    assert failed.value.response_status == 404 and len(recording_server.requests) == 1


def test_a_hanging_server_costs_a_bounded_time(recording_server: RecordingServer) -> None:
    recording_server.route("GET", "/slow.csv", Answer(hang=True))
    outbound = quick(timeout=0.5, retries=1, backoff=0.1)
    started = time.monotonic()
    with pytest.raises(OutboundTimeout) as timed_out:
        outbound.get(f"{recording_server.url}/slow.csv")
    elapsed = time.monotonic() - started
    assert elapsed < outbound.total_seconds + 1.0 and elapsed < 3.0
    assert len(recording_server.requests) == 2  # tried again once
    assert timed_out.value.to_dict()["code"] == "outbound-timeout"


def test_a_connection_refused_is_outbound_failed() -> None:
    with pytest.raises(OutboundFailed) as failed:
        quick(retries=1, backoff=0.05).get("http://127.0.0.1:9/never")  # discard port: closed
    assert failed.value.response_status is None and "2 attempt(s)" in failed.value.message_en


def test_a_connector_calls_its_endpoints_hosts_within_its_limits() -> None:
    config = ConnectorConfig(name="orden", kind="orden",
                             endpoints={"catalog": "https://api.orden.example.jp/v1/catalogs"},
                             limits=OutboundLimits(timeout=3, retries=1, max_bytes=1000))  # fmt: skip
    outbound = Outbound.for_connector(config)
    outbound.check_host("https://API.orden.example.jp/other")
    with pytest.raises(OutboundHostRefused):
        outbound.check_host("https://orden.example.jp.evil.example/")
    assert (outbound.timeout, outbound.retries, outbound.max_bytes) == (3, 1, 1000)


@pytest.mark.parametrize("allow_private", [False, True])
def test_subscriber_hooks_go_to_public_https_hosts_unless_allowed(allow_private: bool) -> None:
    outbound = Outbound.for_subscriptions(Settings(subscriptions_allow_private=allow_private))
    outbound.check_host("https://hooks.example.org/portal")
    for private in ("http://127.0.0.1:8080/", "https://10.0.0.5/", "https://[::1]/",
                    "https://169.254.169.254/latest", "http://hooks.example.org/"):  # fmt: skip
        if allow_private:
            outbound.check_host(private)
        else:
            with pytest.raises(OutboundHostRefused):
                outbound.check_host(private)
