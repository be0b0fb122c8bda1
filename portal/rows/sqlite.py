"""The rows store in a local SQLite file (`<folder>/rows.sqlite`): the default back end, a
read model of the catalogue that `portal rows rebuild` can make again.

Cells are stored as typed_value makes them (integers and numbers as numbers, empty as NULL)
so ranges compare numerically — but as text where a number would not read back the same,
so no published value can fail to load; an R*Tree indexes 緯度/経度 for distance queries.
One writer at a time (a lock in the process, BEGIN IMMEDIATE across processes); readers
carry on meanwhile (WAL). Why SQLite and not CKAN's DataStore (PostgreSQL): bench/api.py.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from portal.datadir import connect_read_only
from portal.rows import text_index
from portal.rows.base import (
    BATCH_ROWS,
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
from portal.rows.sql import Clause, Sql
from portal.standards import Definition
from portal.standards.definition import typed_value

DATASETS = """CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, key TEXT NOT NULL, slug TEXT NOT NULL, lgcode TEXT NOT NULL,
    content_hash TEXT NOT NULL, rows INTEGER NOT NULL, fields TEXT NOT NULL, loaded TEXT NOT NULL)"""
LOADED = "SELECT name, key, slug, lgcode, content_hash, rows FROM datasets"


class SqliteRowsStore(RowsStore):
    load_errors = (sqlite3.Error, *LOAD_ERRORS)
    transient_errors = (sqlite3.OperationalError, OSError)

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.sql = Sql()
        self._local = threading.local()
        self._lock = threading.Lock()  # this process's one writer
        with self.db() as db:
            if not self.read_only:
                db.execute(DATASETS)

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.read_only:
            conn = _read_only(self.root / "rows.sqlite")
            self._local.conn = conn
        if conn is None:
            conn = sqlite3.connect(
                self.root / "rows.sqlite", timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        yield conn

    def loaded(self, name: str) -> Loaded | None:
        with self.db() as db:
            row = db.execute(f"{LOADED} WHERE name=?", (name,)).fetchone()
        return loaded_of(row, self.files) if row else None

    def all_loaded(self) -> list[Loaded]:
        with self.db() as db:
            rows = db.execute(f"{LOADED} ORDER BY name").fetchall()
        return [loaded_of(r, self.files) for r in rows]

    def fetch(self, statements: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]] | None:
        with self.db() as db:
            try:
                return [db.execute(sql, params).fetchall() for sql, params in statements]
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    return None
                raise

    def text_filter(self, table: str, fields: list[str], text: str,
                    column: str | None = None) -> Clause | None:  # fmt: skip
        with self.db() as db:
            return text_index.prefilter(db, table, text, column)

    def _swap(self, definition: Definition, name: str, lgcode: str, staged: Path,
              content_hash: str) -> int | None:  # fmt: skip
        table = table_name(definition.key)
        with self._lock, self.db() as db:  # one writer at a time; readers carry on (WAL)
            self._ensure_table(db, table, definition)
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT content_hash FROM datasets WHERE name=?", (name,)
                ).fetchone()
                if row is not None and row[0] == content_hash:
                    db.execute("ROLLBACK")
                    return None
                self._delete_rows(db, table, name)
                count = self._insert(db, table, definition, name, lgcode, staged)
                db.execute("INSERT OR REPLACE INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                           (name, definition.key, definition.slug, lgcode, content_hash, count, ",".join(definition.field_names)))  # fmt: skip
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return count

    def _ensure_table(self, db: sqlite3.Connection, table: str, definition: Definition) -> None:
        columns = ", ".join(quote(n) for n in definition.field_names)
        db.execute(f"CREATE TABLE IF NOT EXISTS {quote(table)} (_id INTEGER PRIMARY KEY, _dataset TEXT NOT NULL, "
                   f"_lgcode TEXT NOT NULL, _row INTEGER NOT NULL, {columns})")  # fmt: skip
        # A definition that gained a field since the table was made: the new column, empty.
        present = {r[1] for r in db.execute(f"PRAGMA table_info({quote(table)})")}
        for missing in (n for n in definition.field_names if n not in present):
            db.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(missing)}")
        for suffix, columns in (("__dataset", "_dataset, _id"), ("__lgcode", "_lgcode, _id")):
            index = quote(table + suffix)
            db.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {quote(table)} ({columns})")
        db.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {quote(table + '__geo')} USING rtree(id, lat0, lat1, lon0, lon1)"
        )
        # Codes and IDs are what clients filter on most (所在地_全国地方公共団体コード=272248, ID=…);
        # with _dataset first, a filtered page and its total are read from the index alone.
        for f in definition.fields:
            if f.get("kind") in INDEXED_KINDS:
                index = quote(f"{table}__{f['name']}")
                db.execute(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {quote(table)} (_dataset, {quote(f['name'])}, _id)"
                )
        text_index.ensure(db, table, definition)

    def _insert_rows(self, db: sqlite3.Connection, table: str, definition: Definition, name: str,
                lgcode: str, path: Path) -> int:  # fmt: skip
        """The CSV's rows (csv_cells), typed so that any text stores and reads back (typed_value)."""
        names = definition.field_names
        kinds = [f["type"] for f in definition.fields]
        placeholders = ", ".join("?" * (len(names) + 3))
        insert = f"INSERT INTO {quote(table)} (_dataset, _lgcode, _row, {', '.join(quote(n) for n in names)}) VALUES ({placeholders})"
        count = 0
        batch: list[tuple[Any, ...]] = []
        for number, cells in csv_cells(definition, path):
            batch.append((name, lgcode, number, *(
                None if cell is None else typed_value(cell, kind)
                for cell, kind in zip(cells, kinds, strict=True))))  # fmt: skip
            if len(batch) >= BATCH_ROWS:
                db.executemany(insert, batch)
                count += len(batch)
                batch = []
        db.executemany(insert, batch)
        count += len(batch)
        if LAT in names and LON in names:
            lat, lon = (quote(LAT), quote(LON))
            db.execute(f"INSERT INTO {quote(table + '__geo')} SELECT _id, {lat}, {lat}, {lon}, {lon} FROM {quote(table)} "
                       f"WHERE _dataset=? AND typeof({lat})='real' AND typeof({lon})='real'", (name,))  # fmt: skip
        text_index.add(db, table, name)
        return count

    def _delete(self, name: str, table: str) -> None:
        with self._lock, self.db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                self._delete_rows(db, table, name)
                db.execute("DELETE FROM datasets WHERE name=?", (name,))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    @staticmethod
    def _delete_rows(db: sqlite3.Connection, table: str, name: str) -> None:
        text_index.remove(db, table, name)
        db.execute(
            f"DELETE FROM {quote(table + '__geo')} WHERE id IN (SELECT _id FROM {quote(table)} WHERE _dataset=?)",
            (name,),
        )
        db.execute(f"DELETE FROM {quote(table)} WHERE _dataset=?", (name,))


def _read_only(path: Path) -> sqlite3.Connection:
    """The rows on a read-only disk; none (an empty store) if none were ever loaded there."""
    if path.is_file():
        return connect_read_only(path)
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute(DATASETS)
    return conn
