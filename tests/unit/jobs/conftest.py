"""Fixtures of the jobs' tests: a queue on each storage huey offers the portal — SQLite in
the data directory, and Redis (database 14 of 127.0.0.1:6379, or PORTAL_TEST_JOBS_REDIS_URL;
skipped locally without it, a failure under CI=true), each test on a queue of its own name."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from portal.composition import Portal
from portal.jobs import Jobs, make_huey
from portal.jobs.kinds import register_all
from portal.settings import Settings
from tests.conftest import missing

JOBS_REDIS_ENV = "PORTAL_TEST_JOBS_REDIS_URL"
JOBS_REDIS_DEFAULT = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="session")
def jobs_redis_url() -> str:
    url = os.environ.get(JOBS_REDIS_ENV) or JOBS_REDIS_DEFAULT
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except (redis.RedisError, ValueError) as exc:
        missing("Redis", f"{shown} does not answer ({type(exc).__name__}: {exc})",
                f"start Redis on 127.0.0.1:6379, or set {JOBS_REDIS_ENV}")  # fmt: skip
    return url


@pytest.fixture(params=["sqlite", "redis"])
def queue_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings whose queue is huey on SQLite, or on Redis."""
    redis_url = request.getfixturevalue("jobs_redis_url") if request.param == "redis" else None
    return Settings(data_dir=tmp_path / "var", redis_url=redis_url, catalogue="embedded")


@pytest.fixture
def portal(queue_settings: Settings) -> Iterator[Portal]:
    """A portal whose queue has a name of its own (test runs never share a Redis queue)."""
    opened = Portal.open(queue_settings)
    huey = make_huey(queue_settings, name=f"test-{uuid.uuid4().hex[:12]}")
    opened._jobs = Jobs(opened.store, huey, opened)
    register_all(opened._jobs)
    try:
        yield opened
    finally:
        huey.flush()  # the queue's keys on Redis (a file on SQLite)
        opened.close()
