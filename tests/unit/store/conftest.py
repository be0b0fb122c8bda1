"""The store on both back ends (database_url, from tests/conftest.py): SQLite (a file per
test) and PostgreSQL (a schema per test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.store import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store on an empty database (not yet migrated)."""
    opened = Store.open(database_url)
    try:
        yield opened
    finally:
        opened.close()
