"""Fixtures shared by every test.

CKAN: tests marked `ckan` get a `ckanapi.RemoteCKAN` built from CKAN_URL and
CKAN_API_TOKEN (scripts/ckan-up.sh writes them to /tmp/ckan-local/env.sh).
Without a reachable CKAN they are skipped locally with the reason shown, and
fail under CI=true, so CI cannot pass without exercising a real CKAN.

PostgreSQL: `database_url` is a new empty database on each back end — a SQLite file, or a
schema of PORTAL_TEST_DATABASE_URL (scripts/portal-db-up.sh prints it) dropped afterwards;
without a reachable PostgreSQL its cases skip locally and fail under CI=true, as for CKAN.

Redis: `redis_url` is PORTAL_TEST_REDIS_URL (default: database 15 of the Redis on
127.0.0.1:6379 that scripts/ckan-up.sh starts; CKAN uses database 0); skipped locally
without it, a failure under CI=true. Tests that use it clear only the keys they made.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import ckanapi
import pytest
import redis
from sqlalchemy import create_engine, make_url, text

from portal.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"
SAMPLES_DIR = PROJECT_ROOT.parent / "shared" / "samples"
DATASETS_DIR = PROJECT_ROOT / "datasets"
TEST_DATA = Path(__file__).parent / "data"


CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    # The machine's network is closed: without these Chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(what: str, reason: str, fix: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: {fix}")
    pytest.skip(f"no {what}: {reason} ({fix})")


def _no_ckan(reason: str) -> None:
    missing(
        "CKAN",
        reason,
        "scripts/test.sh starts it: scripts/ckan-up.sh, then source /tmp/ckan-local/env.sh",
    )


@pytest.fixture(scope="session")
def ckan() -> ckanapi.RemoteCKAN:
    url, token = os.environ.get("CKAN_URL"), os.environ.get("CKAN_API_TOKEN")
    if not (url and token):
        _no_ckan("CKAN_URL / CKAN_API_TOKEN are not set")
    client = ckanapi.RemoteCKAN(url, apikey=token, user_agent="portal-tests/0.1")
    try:
        client.action.status_show()
    except Exception as exc:  # any failure to reach it means the same thing here
        _no_ckan(f"CKAN at {url} does not answer ({type(exc).__name__}: {exc})")
    return client


POSTGRES_ENV = "PORTAL_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    fix = f"run scripts/portal-db-up.sh and export the {POSTGRES_ENV} it prints"
    if not url:
        missing("PostgreSQL", f"{POSTGRES_ENV} is not set", fix)
        raise AssertionError("unreachable")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach it means the same thing here
        shown = make_url(url).render_as_string(hide_password=True)
        missing("PostgreSQL", f"{shown} does not answer ({type(exc).__name__}: {exc})", fix)
    finally:
        engine.dispose()
    return url


@contextmanager
def new_postgres_schema(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL schema, dropped at the end: a database of its own
    (the schema is the connections' search_path, so unqualified names land in it)."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_schema(postgres_url: str) -> Iterator[str]:
    with new_postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.db'}"
    url: str = request.getfixturevalue("postgres_schema")
    return url


REDIS_ENV = "PORTAL_TEST_REDIS_URL"
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV) or REDIS_DEFAULT
    parts = urlsplit(url)  # shown without the password it may hold
    shown = f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except (redis.RedisError, ValueError) as exc:  # unreachable, or not a Redis URL
        missing(
            "Redis",
            f"{shown} does not answer ({type(exc).__name__}: {exc})",
            f"scripts/ckan-up.sh starts one on 127.0.0.1:6379; else set {REDIS_ENV}",
        )
    return url


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    assert (REFERENCE_DIR / "standard-datasets" / "fields.csv").is_file(), (
        f"the reference material must sit beside the project: {REFERENCE_DIR}"
    )
    return REFERENCE_DIR


@pytest.fixture
def datasets_copy(tmp_path: Path) -> Path:
    """A scratch copy of datasets/ that a test may change."""
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS_DIR, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, datasets_copy: Path, reference_dir: Path) -> Settings:
    return Settings(
        datasets_dir=datasets_copy, reference_dir=reference_dir, data_dir=tmp_path / "var"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's), driven by Playwright."""
    if not Path(CHROMIUM).is_file():
        missing("Chromium", f"{CHROMIUM} not found", "scripts/test.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
