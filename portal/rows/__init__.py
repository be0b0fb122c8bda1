"""Published rows, queryable: the store behind the data API."""

from portal.rows.query import MAX_LIMIT, BadQuery, Page, Query, run
from portal.rows.store import Loaded, RowsStore, RowsUnavailable, open_rows_store

__all__ = [
    "MAX_LIMIT",
    "BadQuery",
    "Loaded",
    "Page",
    "Query",
    "RowsStore",
    "RowsUnavailable",
    "open_rows_store",
    "run",
]
