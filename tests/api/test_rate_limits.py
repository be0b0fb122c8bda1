"""The rate limit holds across `portal serve` processes: its counters live in the portal's
database (two apps on one SQLite file or one PostgreSQL schema count a client together), or
in Redis with PORTAL_REDIS_URL. Counters that cannot be reached let requests through, with a
warning in the log: never a 500."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from portal.server import create_app
from portal.settings import Settings
from tests.api.conftest import build_catalogue, free_port
from tests.conftest import TEST_DATA

ROWS = "/api/v1/datasets/272248-aed/rows"  # a heavy route: rate-limited
SETTSU = [TEST_DATA / "api" / "aed-settsu.yaml"]  # publishes 272248-aed
NOT_ENFORCED = "rate limits not enforced"


@contextmanager
def opened_apps(settings: Settings, count: int = 2) -> Iterator[list[FastAPI]]:
    """Apps on the same settings, each with its own Portal: as many `portal serve`."""
    apps = [create_app(settings) for _ in range(count)]
    try:
        yield apps
    finally:
        for app in apps:
            app.state.portal.close()


def alternating(clients: list[TestClient], times: int) -> list[int]:
    return [clients[i % len(clients)].get(ROWS).status_code for i in range(times)]


def test_two_apps_on_one_database_count_a_client_together(
    tmp_path: Path, database_url: str
) -> None:
    built = build_catalogue(tmp_path, SETTSU, database_url=database_url)
    settings = built.model_copy(update={"rate_limit": 3})
    with opened_apps(settings) as apps:
        first, second = (TestClient(app) for app in apps)
        assert alternating([first, second], 5) == [200, 200, 200, 429, 429]
        limited = second.get(ROWS)
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate-limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # Another client counts apart, on either app.
        other = TestClient(apps[0], client=("198.51.100.8", 50000))
        assert other.get(ROWS).status_code == 200


def test_two_apps_on_one_redis_count_a_client_together(
    api_settings: Settings, redis_url: str
) -> None:
    settings = api_settings.model_copy(update={"rate_limit": 3, "redis_url": redis_url})
    host = f"test-{uuid.uuid4().hex}"  # this test's client: its keys are the only ones cleared
    try:
        with opened_apps(settings) as apps:
            clients = [TestClient(app, client=(host, 50000)) for app in apps]
            assert alternating(clients, 5) == [200, 200, 200, 429, 429]
        with redis.Redis.from_url(redis_url) as client:
            assert client.keys(f"*{host}*"), "the counter is not in Redis"
    finally:
        with redis.Redis.from_url(redis_url) as client:
            for key in client.scan_iter(match=f"*{host}*"):
                client.delete(key)


def served_while_failing(app: FastAPI, caplog: pytest.LogCaptureFixture) -> list[int]:
    """Statuses of five requests (the limit is 3) and how many warnings were logged."""
    client = TestClient(app, raise_server_exceptions=False)  # a 500 seen as a user sees it
    with caplog.at_level(logging.WARNING, logger="portal.api.limits"):
        statuses = [client.get(ROWS).status_code for _ in range(5)]
    warnings = [r for r in caplog.records if NOT_ENFORCED in r.getMessage()]
    return [*statuses, len(warnings)]


def test_a_database_that_fails_lets_requests_through(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = build_catalogue(tmp_path, SETTSU).model_copy(update={"rate_limit": 3})
    with opened_apps(settings, 1) as [app]:
        with app.state.portal.store.engine.begin() as connection:
            connection.execute(text("DROP TABLE rate_limits"))  # the counters are gone
        # Every request served, unlimited; one warning, not one per request.
        assert served_while_failing(app, caplog) == [200] * 5 + [1]


def test_a_redis_that_does_not_answer_lets_requests_through(
    api_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    settings = api_settings.model_copy(update={"rate_limit": 3, "redis_url": nobody})
    with opened_apps(settings, 1) as [app]:
        assert served_while_failing(app, caplog) == [200] * 5 + [1]
