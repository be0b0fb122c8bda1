"""The store on both back ends: SQLite (a file per test) and PostgreSQL (a schema per test).

PostgreSQL comes from PORTAL_TEST_DATABASE_URL (scripts/portal-db-up.sh prints it).
Without it, or without an answer there, the PostgreSQL cases are skipped locally with the
reason shown, and fail under CI=true, so CI cannot pass without exercising PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from portal.store import Store

POSTGRES_ENV = "PORTAL_TEST_DATABASE_URL"


def missing(what: str, reason: str, fix: str) -> None:
    """Skip locally; fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: {fix}")
    pytest.skip(f"no {what}: {reason} ({fix})")


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'portal.db'}"
        return
    base: str = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store on an empty database (not yet migrated)."""
    opened = Store.open(database_url)
    try:
        yield opened
    finally:
        opened.close()
