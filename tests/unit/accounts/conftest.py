"""Accounts on both back ends (database_url: a SQLite file, a PostgreSQL schema), and a clock
the tests move instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts import clock
from portal.accounts.service import Accounts
from portal.localgov.directory import load as load_directory
from portal.store import Store


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake.now)
    return fake


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    opened.ensure_current()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def accounts(store: Store) -> Accounts:
    return Accounts(store, load_directory())
