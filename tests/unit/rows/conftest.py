"""The rows store on each back end: SQLite (a local file) and PostgreSQL (the portal's own
database, a fresh schema per test: tests/conftest.py `database_url`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portal.rows import RowsStore, open_rows_store
from portal.store import Store

OpenRows = Callable[[], RowsStore]


@pytest.fixture
def open_rows(database_url: str, tmp_path: Path) -> Iterator[OpenRows]:
    """Opens a rows store on the test's database; each call is another process's view of
    the same rows (its own connections, its own in-process locks)."""
    stores: list[Store] = []

    def opened() -> RowsStore:
        store = Store.open(database_url)
        store.ensure_current()
        stores.append(store)
        return open_rows_store(store, tmp_path / "rows")

    yield opened
    for store in stores:
        store.close()


@pytest.fixture
def rows_store(open_rows: OpenRows) -> RowsStore:
    return open_rows()
