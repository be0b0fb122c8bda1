"""The rows store in the portal's own PostgreSQL database: every `portal serve` process sees a
publish at once.

The per-standard tables (`std__…`) are data, not schema: made when a dataset of the standard
is first loaded, grown when its definition gains a field (portal.store.models.modelled leaves
them out of the migrations' comparison). Each field is a text column holding the cell as
published (read back through typed_value, as the SQLite store stores it, so both answer
alike); a number field also has a number column beside it (`<name>#n`: bigint or double
precision, NULL where typed_value keeps the text), which is what ranges, sorts and indexes
use (portal/rows/sql.py). Text columns are COLLATE "C": byte order, as SQLite's.

Loading a dataset is one transaction: the old rows out, the new ones in (COPY), and its
row of `rows_loaded`, under an advisory lock on the dataset's name, so readers see the old
rows or the new ones and two processes loading the same content load it once. Distance
queries, without PostGIS: a bounding box on a btree over (緯度#n, 経度#n), then the exact
distance (portal.rows.query).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.rows import pg_text
from portal.rows.base import (
    INDEXED_KINDS,
    LAT,
    LOAD_ERRORS,
    LON,
    Loaded,
    RowsStore,
    csv_cells,
    loaded_of,
    quote,
    table_name,
)
from portal.rows.sql import NUMERIC_KINDS, Clause, PostgresSql, pg_name
from portal.standards import Definition
from portal.standards.definition import typed_value
from portal.store import Store
from portal.store.models import RowsLoaded

log = logging.getLogger(__name__)

# Advisory lock spaces (the two-int form; the migrations use the one-bigint form, apart).
DATASET_LOCK, TABLE_LOCK = 0x726F7773, 0x7461626C  # "rows", "tabl"
NUMBER_TYPES = {"integer": "bigint", "number": "double precision"}
BOOKKEEPING = RowsLoaded
LOADED = f"SELECT name, key, slug, lgcode, content_hash, rows FROM {RowsLoaded.__tablename__}"


class PostgresRowsStore(RowsStore):
    load_errors = (*LOAD_ERRORS, SQLAlchemyError, psycopg.Error)
    transient_errors = (OSError, SAOperationalError, PoolTimeout, psycopg.OperationalError)

    def __init__(self, store: Store, root: Path) -> None:
        super().__init__(root)
        self.store = store
        self.engine = store.engine
        self.sql = PostgresSql()
        self._prefilter = pg_text.Prefilter()

    def loaded(self, name: str) -> Loaded | None:
        found = self.fetch([(f"{LOADED} WHERE name = %s", [name])])
        return loaded_of(found[0][0], self.files) if found and found[0] else None

    def all_loaded(self) -> list[Loaded]:
        found = self.fetch([(f"{LOADED} ORDER BY name", [])])
        return [loaded_of(r, self.files) for r in (found or [[]])[0]]

    def fetch(self, statements: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]] | None:
        """On the driver's connection, in autocommit (no transaction to end: no round trip
        when the pool takes it back), the statements sent together (pipeline mode): a page
        and its total cost one round trip, as the SQLite store's cost none."""
        with self._reading() as driver:
            try:
                with driver.pipeline():
                    cursors = [driver.execute(sql, params) for sql, params in statements]
                return [list(cursor.fetchall()) for cursor in cursors]
            except psycopg.errors.UndefinedTable:
                return None

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection[Any]]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            driver = conn.connection.driver_connection
            assert driver is not None
            try:
                yield driver
            except psycopg.OperationalError:
                conn.invalidate()  # a broken connection: the pool must not hand it out again
                raise

    # Loading

    def _swap(self, definition: Definition, name: str, lgcode: str, staged: Path,
              content_hash: str) -> int | None:  # fmt: skip
        table = table_name(definition.key)
        self._ensure_table(table, definition)
        with self.engine.begin() as conn:
            _lock(conn, DATASET_LOCK, name)
            current = conn.execute(
                select(RowsLoaded.content_hash).where(RowsLoaded.name == name)
            ).scalar()
            if current == content_hash:
                return None  # another process loaded it meanwhile
            conn.exec_driver_sql(f"DELETE FROM {quote(table)} WHERE _dataset = %s", (name,))
            count = self._insert(conn, table, definition, name, lgcode, staged)
            record = {"name": name, "key": definition.key, "slug": definition.slug,
                      "lgcode": lgcode, "content_hash": content_hash, "rows": count,
                      "fields": definition.field_names, "loaded_at": datetime.now(UTC)}  # fmt: skip
            upsert = insert(BOOKKEEPING).values(**record)
            conn.execute(upsert.on_conflict_do_update(index_elements=["name"], set_=record))
        self._analyze(table)
        return count

    def _ensure_table(self, table: str, definition: Definition) -> None:
        """The standard's table with a column for every field of the definition: made, or
        grown, under a lock on its name (two processes must not both make it)."""
        with self.engine.begin() as conn:
            present = _columns(conn, table)
            wanted = [f for f in definition.fields if pg_name(f["name"]) not in present]
            if not wanted and present and not pg_text.missing(conn, table, definition):
                return
            _lock(conn, TABLE_LOCK, table)
            present = _columns(conn, table)
            for statement in _table_ddl(table, definition, present):
                conn.exec_driver_sql(statement)
            pg_text.ensure(conn, table, definition)

    def text_filter(self, table: str, fields: list[str], text: str,
                    column: str | None = None) -> Clause | None:  # fmt: skip
        # One index over every text field: a match in `column` is a match in them all.
        return self._prefilter.clause(self._index_exists, table, fields, text)

    def _index_exists(self, name: str) -> bool:
        with self.engine.connect() as conn:
            return pg_text.index_exists(conn, name)

    def _analyze(self, table: str) -> None:
        """Fresh statistics and visibility map, so the planner and index-only counts see
        the new rows at once (autovacuum would, later). A failure here loses nothing."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {quote(table)}")
        except SQLAlchemyError as exc:
            log.warning("VACUUM ANALYZE of %s failed: %s", table, exc)

    def _insert_rows(self, db: Connection, table: str, definition: Definition, name: str,
                     lgcode: str, path: Path) -> int:  # fmt: skip
        return _copy(db, table, definition, name, lgcode, path)

    def _delete(self, name: str, table: str) -> None:
        with self.engine.begin() as conn:
            _lock(conn, DATASET_LOCK, name)
            conn.exec_driver_sql(f"DELETE FROM {quote(table)} WHERE _dataset = %s", (name,))
            conn.execute(delete(BOOKKEEPING).where(RowsLoaded.name == name))


def _lock(conn: Connection, space: int, name: str) -> None:
    conn.execute(
        text("SELECT pg_advisory_xact_lock(:space, hashtext(:name))"),
        {"space": space, "name": name},
    )


def _columns(conn: Connection, table: str) -> set[str]:
    found = conn.execute(
        text("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) "
             "AND attnum > 0 AND NOT attisdropped"), {"t": quote(table)},
    )  # fmt: skip
    return {r[0] for r in found}


def _table_ddl(table: str, definition: Definition, present: set[str]) -> list[str]:
    """What makes the table (if `present` is empty) or adds the definition's new fields."""
    t, statements = quote(table), []
    if not present:
        statements.append(f'CREATE TABLE {t} (_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, '
                          f'_dataset text COLLATE "C" NOT NULL, _lgcode text COLLATE "C" NOT NULL, '
                          f'_row integer NOT NULL)')  # fmt: skip
        for suffix, columns in (("__dataset", "_dataset, _id"), ("__lgcode", "_lgcode, _id")):
            statements.append(f"CREATE INDEX {quote(pg_name(table + suffix))} ON {t} ({columns})")
    sql = PostgresSql()
    for f in definition.fields:
        name, kind = f["name"], f["type"]
        if pg_name(name) in present:
            continue
        statements.append(f'ALTER TABLE {t} ADD COLUMN {sql.ident(name)} text COLLATE "C"')
        if kind in NUMERIC_KINDS:
            statements.append(f"ALTER TABLE {t} ADD COLUMN {sql.number(name)} {NUMBER_TYPES[kind]}")
        if f.get("kind") in INDEXED_KINDS:
            column = sql.number(name) if kind in NUMERIC_KINDS else sql.ident(name)
            index = quote(pg_name(f"{table}__{name}"))
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index} ON {t} (_dataset, {column}, _id)"
            )
    kinds = {f["name"]: f["type"] for f in definition.fields}
    placed = kinds.get(LAT) == kinds.get(LON) == "number"
    if placed and not {pg_name(LAT), pg_name(LON)} <= present:
        index = quote(pg_name(table + "__geo"))
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {index} ON {t} ({sql.number(LAT)}, {sql.number(LON)})"
        )
    return statements


def _copy(conn: Connection, table: str, definition: Definition, name: str, lgcode: str,
          path: Path) -> int:  # fmt: skip
    """The CSV's rows (csv_cells) into the table by COPY, in the connection's transaction:
    each cell's text, and beside a number field's its number where typed_value made one."""
    sql = PostgresSql()
    kinds = [f["type"] for f in definition.fields]
    columns = ["_dataset", "_lgcode", "_row"]
    for field, kind in zip(definition.field_names, kinds, strict=True):
        columns.append(sql.ident(field))
        if kind in NUMERIC_KINDS:
            columns.append(sql.number(field))
    statement = f"COPY {quote(table)} ({', '.join(columns)}) FROM STDIN"
    count = 0
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for number, cells in csv_cells(definition, path):
            copy.write_row([name, lgcode, number, *_cells(cells, kinds)])
            count += 1
    return count


def _cells(cells: list[str | None], kinds: list[str]) -> list[Any]:
    out: list[Any] = []
    for cell, kind in zip(cells, kinds, strict=True):
        out.append(cell or None)
        if kind in NUMERIC_KINDS:
            typed = typed_value(cell, kind) if cell else None
            out.append(typed if isinstance(typed, int | float) else None)
    return out
