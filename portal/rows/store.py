"""The rows store: every published dataset's rows, queryable, in SQLite.

One table per standard dataset version (`std__evacuation_space`), holding the rows
of every municipality that publishes it, so a cross-municipality query is one
query. Values are stored typed (integers and numbers as numbers, empty as NULL)
so ranges compare numerically — but as text where a number would not read back the
same (typed_value), so no published value can fail to load; an R*Tree indexes 緯度/経度 for distance queries.
Loading a dataset replaces its rows in one transaction: readers see the old rows
or the new ones. A dataset is loaded when it is published, and otherwise by the first
request that needs it, once (concurrent requests wait for that one load); one that
cannot be loaded is a RowsUnavailable for its own queries, never for the others'. Why SQLite and not CKAN's DataStore (PostgreSQL): bench/api.py.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.datadir import connect_read_only, writable
from portal.errors import Location, PortalError
from portal.standards import Definition
from portal.standards.definition import typed_value

log = logging.getLogger(__name__)

LAT, LON = "緯度", "経度"
DATASETS = """CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, key TEXT NOT NULL, slug TEXT NOT NULL, lgcode TEXT NOT NULL,
    content_hash TEXT NOT NULL, rows INTEGER NOT NULL, fields TEXT NOT NULL, loaded TEXT NOT NULL)"""


INDEXED_KINDS = ("lgcode", "id")
BATCH_ROWS = 5000
# What reading and inserting a published CSV can raise. Failures of the file's content are
# remembered until the dataset is published again; the environment's (a locked database,
# a full disk, a file being replaced) are tried again by the next request.
LOAD_ERRORS = (sqlite3.Error, csv.Error, OSError, UnicodeError, ValueError, ArithmeticError)
TRANSIENT_ERRORS = (sqlite3.OperationalError, OSError)
RETRY_AFTER_S = 30
MAX_REASON = 200  # characters of an exception's text in the answer


class RowsUnavailable(PortalError):
    """One dataset's rows cannot be loaded: its own queries say so; the others carry on."""

    code = "rows-unavailable"
    status = 503
    template_en = (
        "the rows of {name} cannot be queried: loading its published CSV failed ({reason})"
    )
    template_ja = (
        "{name} の行データを検索できません: 公開されたCSVの読み込みに失敗しました（{reason}）"
    )
    hint_en = (
        "other datasets answer as usual; if this persists, the publisher should check this CSV"
        " and publish it again"
    )
    hint_ja = "他のデータセットは通常どおり利用できます。解消しない場合は、公開者がこのCSVを確認して公開し直してください"


def table_name(key: str) -> str:
    return "std__" + re.sub(r"[^0-9a-z_]", "__", key)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Loaded:
    name: str
    key: str
    slug: str
    lgcode: str
    content_hash: str
    rows: int
    csv_path: Path


class RowsStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = root / "files"
        # A data directory the portal cannot write (a read-only mount): the rows loaded
        # there are served; a load fails as any load does (RowsUnavailable, for its dataset).
        self.read_only = not writable(root)
        if not self.read_only:
            self.files.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()  # this process's one writer
        self._flights: dict[str, threading.Lock] = {}
        self._flights_lock = threading.Lock()
        # name -> (content hash, where, reason) of a load that failed on the file's content
        self._failed: dict[str, tuple[str, Location, str]] = {}
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

    # What is loaded

    def loaded(self, name: str) -> Loaded | None:
        with self.db() as db:
            row = db.execute(
                "SELECT name, key, slug, lgcode, content_hash, rows FROM datasets WHERE name=?",
                (name,),
            ).fetchone()
        return _loaded(row, self.files) if row else None

    def all_loaded(self) -> list[Loaded]:
        with self.db() as db:
            rows = db.execute(
                "SELECT name, key, slug, lgcode, content_hash, rows FROM datasets ORDER BY name"
            ).fetchall()
        return [_loaded(r, self.files) for r in rows]

    def by_standard(self, key: str) -> list[Loaded]:
        return [d for d in self.all_loaded() if d.key == key]

    # Loading

    def load(
        self, name: str, definition: Definition, lgcode: str, csv_path: Path, content_hash: str
    ) -> Loaded:
        """The dataset's rows from `csv_path` (the published CSV), replaced atomically."""
        return self.load_from(
            name, definition, lgcode, content_hash, lambda staged: shutil.copyfile(csv_path, staged)
        )

    def load_from(self, name: str, definition: Definition, lgcode: str, content_hash: str,
                  fetch: Callable[[Path], object]) -> Loaded:  # fmt: skip
        """The dataset's rows at `content_hash`, loaded once however many ask at the same time.

        `fetch(path)` writes the published CSV to `path`; it runs only when the rows are
        missing or of other content. Callers for one dataset wait for the one load; the hash
        is read again after the lock and inside the write transaction, so a load that another
        thread or process finished meanwhile is not repeated. A failure is a RowsUnavailable.
        """
        current = self.loaded(name)
        if current is not None and current.content_hash == content_hash:
            return current
        with self._flight(name):
            current = self.loaded(name)
            if current is not None and current.content_hash == content_hash:
                return current
            failed = self._failed.get(name)
            if failed is not None and failed[0] == content_hash:
                raise RowsUnavailable(failed[1], name=name, reason=failed[2])
            try:
                loaded = self._replace(name, definition, lgcode, content_hash, fetch)
            except LOAD_ERRORS as exc:
                raise self._failure(name, definition.file_name(lgcode), content_hash, exc) from exc
            self._failed.pop(name, None)
            return loaded

    @contextmanager
    def _flight(self, name: str) -> Iterator[None]:
        """One load or drop of a dataset at a time in this process (a lock per dataset)."""
        with self._flights_lock:
            lock = self._flights.setdefault(name, threading.Lock())
        with lock:
            yield

    def _replace(self, name: str, definition: Definition, lgcode: str, content_hash: str,
                 fetch: Callable[[Path], object]) -> Loaded:  # fmt: skip
        table = table_name(definition.key)
        started = time.perf_counter()
        handle, staging = tempfile.mkstemp(prefix=f"{name}.", suffix=".loading", dir=self.files)
        os.close(handle)
        staged = Path(staging)
        try:
            fetch(staged)
            with self._lock, self.db() as db:  # one writer at a time; readers carry on (WAL)
                self._ensure_table(db, table, definition)
                count = self._swap(db, table, definition, name, lgcode, staged, content_hash)
            if count is not None:
                staged.replace(self.files / f"{name}.csv")
                log.info(
                    "rows of %s: %d loaded in %.1f s", name, count, time.perf_counter() - started
                )
        finally:
            staged.unlink(missing_ok=True)
        loaded = self.loaded(name)
        assert loaded is not None
        return loaded

    def _swap(self, db: sqlite3.Connection, table: str, definition: Definition, name: str,
              lgcode: str, staged: Path, content_hash: str) -> int | None:  # fmt: skip
        """Old rows out, new rows in, in one transaction; None if another process did it."""
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT content_hash FROM datasets WHERE name=?", (name,)).fetchone()
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

    def _failure(
        self, name: str, file_name: str, content_hash: str, exc: BaseException
    ) -> RowsUnavailable:
        """The error to answer with; a failure of the content is remembered, and the rows of
        the previous content are dropped: they would answer for a dataset no longer published."""
        reason = _reason(exc)
        where = Location(file=file_name)
        if isinstance(exc, TRANSIENT_ERRORS):
            log.warning("rows of %s not loaded, to be tried again: %s", name, reason)
            return RowsUnavailable(where, name=name, reason=reason, retry_after=RETRY_AFTER_S)
        log.error("rows of %s not loaded until it is published again", name, exc_info=exc)
        self._failed[name] = (content_hash, where, reason)
        try:
            self._forget(name)
        except LOAD_ERRORS:
            log.exception("the previous rows of %s could not be dropped", name)
        return RowsUnavailable(where, name=name, reason=reason)

    def _ensure_table(self, db: sqlite3.Connection, table: str, definition: Definition) -> None:
        columns = ", ".join(quote(n) for n in definition.field_names)
        db.execute(f"CREATE TABLE IF NOT EXISTS {quote(table)} (_id INTEGER PRIMARY KEY, _dataset TEXT NOT NULL, "
                   f"_lgcode TEXT NOT NULL, _row INTEGER NOT NULL, {columns})")  # fmt: skip
        # A definition that gained a field since the table was made: the new column, empty.
        present = {r[1] for r in db.execute(f"PRAGMA table_info({quote(table)})")}
        for missing in (n for n in definition.field_names if n not in present):
            db.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(missing)}")
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(table + '__dataset')} ON {quote(table)} (_dataset, _id)"
        )
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(table + '__lgcode')} ON {quote(table)} (_lgcode, _id)"
        )
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

    def _insert(self, db: sqlite3.Connection, table: str, definition: Definition, name: str,
                lgcode: str, path: Path) -> int:  # fmt: skip
        """The CSV's rows, each field found by its header (a field the file lacks, or a short
        row, is NULL); values typed so that any text stores and reads back (typed_value)."""
        names = definition.field_names
        kinds = [f["type"] for f in definition.fields]
        placeholders = ", ".join("?" * (len(names) + 3))
        insert = f"INSERT INTO {quote(table)} (_dataset, _lgcode, _row, {', '.join(quote(n) for n in names)}) VALUES ({placeholders})"
        count = 0
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            columns = [
                (header.index(n) if n in header else None, k)
                for n, k in zip(names, kinds, strict=True)
            ]
            batch: list[tuple[Any, ...]] = []
            for number, row in enumerate(reader, start=2):
                width = len(row)
                batch.append((name, lgcode, number, *(
                    typed_value(row[i], kind) if i is not None and i < width else None
                    for i, kind in columns)))  # fmt: skip
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
        return count

    def drop(self, name: str) -> None:
        """Remove the dataset's rows (it was deleted from the catalogue)."""
        with self._flight(name):
            self._failed.pop(name, None)
            self._forget(name)

    def _forget(self, name: str) -> None:
        current = self.loaded(name)
        if current is None:
            return
        with self._lock, self.db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                self._delete_rows(db, table_name(current.key), name)
                db.execute("DELETE FROM datasets WHERE name=?", (name,))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        (self.files / f"{name}.csv").unlink(missing_ok=True)

    @staticmethod
    def _delete_rows(db: sqlite3.Connection, table: str, name: str) -> None:
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


def _loaded(row: tuple[Any, ...], files: Path) -> Loaded:
    name, key, slug, lgcode, content_hash, rows = row
    return Loaded(name, key, slug, lgcode, content_hash, rows, files / f"{name}.csv")


def _reason(exc: BaseException) -> str:
    """What went wrong, short and without the server's paths (an OSError names its file)."""
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"[:MAX_REASON]
