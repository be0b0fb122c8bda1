"""The rows store: every published dataset's rows, queryable — in the portal's PostgreSQL
database when it has one (every `portal serve` process sees a publish at once), else in a
local SQLite file, a read model of the catalogue that `portal rows rebuild` makes again.

Rows are loaded when a dataset is published (or rebuilt), never by a request; one that
cannot be loaded is a RowsUnavailable for its own queries, never for the others'.
"""

from __future__ import annotations

from pathlib import Path

from portal.rows.base import (
    LAT,
    LON,
    RETRY_AFTER_S,
    Loaded,
    RowsStore,
    RowsUnavailable,
    quote,
    table_name,
)
from portal.rows.sqlite import SqliteRowsStore
from portal.store import Store

__all__ = [
    "LAT",
    "LON",
    "RETRY_AFTER_S",
    "Loaded",
    "RowsStore",
    "RowsUnavailable",
    "SqliteRowsStore",
    "open_rows_store",
    "quote",
    "table_name",
]


def open_rows_store(store: Store, folder: Path) -> RowsStore:
    """The rows store beside the portal's database `store`: in it on PostgreSQL; otherwise
    the SQLite read model in `folder`. `folder` also keeps each dataset's published CSV."""
    if store.dialect == "postgresql":
        from portal.rows.postgres import PostgresRowsStore  # psycopg: only when it is used

        return PostgresRowsStore(store, folder)
    return SqliteRowsStore(folder)
