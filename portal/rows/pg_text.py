"""The free-text index of a standard's rows on PostgreSQL: one GIN index with pg_trgm's
trigram operator class over the standard's text fields joined into one text (a separator no
query can hold between them).

As on SQLite (portal/rows/text_index.py), `q` is still answered by an ILIKE on each text
field, OR-ed; the index only narrows the rows those read: whatever one field contains, the
joined text contains, so `joined ILIKE '%q%'` holds for a superset of the rows. Used for a
query of three or more characters (a shorter one has no trigram to look up) when the index
exists — the pg_trgm extension must be installed in the database (scripts/portal-db-up.sh
does; `CREATE EXTENSION pg_trgm` needs a superuser). Without it, every row is read as before.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from sqlalchemy import Connection, text

from portal.rows.base import quote
from portal.rows.sql import PostgresSql, pg_name
from portal.rows.text_index import MIN_CHARS, text_fields
from portal.standards import Definition

log = logging.getLogger(__name__)

SEPARATOR = "\x1f"  # a control character: refused in any query (portal/api/guards.py)
KNOWN_SECONDS = 60.0  # how long a process trusts what it found out about an index


def joined(fields: list[str]) -> str:
    """The text fields joined, as an expression the index and the queries write alike."""
    sql = PostgresSql()
    return "(" + " || E'\\x1f' || ".join(f"coalesce({sql.ident(n)}, '')" for n in fields) + ")"


def index_name(table: str, fields: list[str]) -> str:
    """Named after the fields, so a definition that gains a text field gets a new index."""
    digest = hashlib.sha1("\n".join(fields).encode()).hexdigest()[:10]
    return pg_name(f"{table}__text_{digest}")


def missing(conn: Connection, table: str, definition: Definition) -> bool:
    """Whether the table lacks the index its definition's text fields want (and can have)."""
    fields = text_fields(definition)
    return (
        bool(fields)
        and _trgm_schema(conn) is not None
        and not index_exists(conn, index_name(table, fields))
    )


def ensure(conn: Connection, table: str, definition: Definition) -> None:
    """The index for the definition's text fields (older ones of the table dropped), when
    pg_trgm is installed: made on the table's next load (under the table's lock)."""
    if not missing(conn, table, definition):
        return
    fields = text_fields(definition)
    name = index_name(table, fields)
    stale = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = :t AND indexname LIKE :p"),
                         {"t": table, "p": f"{table}__text_%"}).scalars().all()  # fmt: skip
    for old in stale:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {quote(old)}")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                         f"USING gin ({joined(fields)} {quote(str(_trgm_schema(conn)))}.gin_trgm_ops)")  # fmt: skip


def _trgm_schema(conn: Connection) -> str | None:
    """The schema pg_trgm is installed in (its operator class is named with it: the portal's
    own schema may not be on the search path's way to it), or None if not installed."""
    found = conn.execute(text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                              "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()  # fmt: skip
    return str(found) if found is not None else None


def index_exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:n)"), {"n": quote(name)}).scalar() is not None


class Prefilter:
    """Writes the narrowing clause of a free-text query, when the table has the index."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[bool, float]] = {}  # index name → (exists, when checked)

    def clause(self, exists: Callable[[str], bool], table: str, fields: list[str],
               query: str) -> tuple[str, list[str]] | None:  # fmt: skip
        """`exists(index name)` asks the database, at most once a KNOWN_SECONDS per index."""
        if len(query) < MIN_CHARS or not fields or SEPARATOR in query:
            return None
        name = index_name(table, fields)
        found, checked = self._known.get(name, (False, -KNOWN_SECONDS))
        if time.monotonic() - checked >= KNOWN_SECONDS:
            found = exists(name)
            self._known[name] = (found, time.monotonic())
        if not found:
            return None
        # SQLite's LIKE: ASCII letters in either case, no escape character (as sql.contains).
        return f"{joined(fields)} ILIKE %s ESCAPE ''", [f"%{query}%"]
