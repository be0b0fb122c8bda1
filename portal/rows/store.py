"""The rows store: every published dataset's rows, queryable, in SQLite.

One table per standard dataset version (`std__evacuation_space`), holding the rows
of every municipality that publishes it, so a cross-municipality query is one
query. Values are stored typed (integers and numbers as numbers, empty as NULL)
so ranges compare numerically; an R*Tree indexes 緯度/経度 for distance queries.
Loading a dataset replaces its rows in one transaction: readers see the old rows
or the new ones. Why SQLite and not CKAN's DataStore (PostgreSQL): bench/api.py.
"""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.standards import Definition
from portal.standards.definition import typed_value

LAT, LON = "緯度", "経度"
DATASETS = """CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, key TEXT NOT NULL, slug TEXT NOT NULL, lgcode TEXT NOT NULL,
    content_hash TEXT NOT NULL, rows INTEGER NOT NULL, fields TEXT NOT NULL, loaded TEXT NOT NULL)"""


INDEXED_KINDS = ("lgcode", "id")


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
        self.files.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        with self.db() as db:
            db.execute(DATASETS)

    @contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        conn = getattr(self._local, "conn", None)
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
        """Replace the dataset's rows with those of `csv_path` (the published CSV), atomically."""
        current = self.loaded(name)
        if current is not None and current.content_hash == content_hash:
            return current
        table = table_name(definition.key)
        types = {f["name"]: f["type"] for f in definition.fields}
        with self._lock, self.db() as db:  # one writer at a time; readers carry on (WAL)
            self._ensure_table(db, table, definition)
            copy = self.files / f"{name}.csv.loading"
            shutil.copyfile(csv_path, copy)
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    f"DELETE FROM {quote(table + '__geo')} WHERE id IN (SELECT _id FROM {quote(table)} WHERE _dataset=?)",
                    (name,),
                )
                db.execute(f"DELETE FROM {quote(table)} WHERE _dataset=?", (name,))
                count = self._insert(db, table, definition, name, lgcode, copy, types)
                db.execute("INSERT OR REPLACE INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
                           (name, definition.key, definition.slug, lgcode, content_hash, count, ",".join(definition.field_names)))  # fmt: skip
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                copy.unlink(missing_ok=True)
                raise
            copy.replace(self.files / f"{name}.csv")
        loaded = self.loaded(name)
        assert loaded is not None
        return loaded

    def _ensure_table(self, db: sqlite3.Connection, table: str, definition: Definition) -> None:
        columns = ", ".join(quote(n) for n in definition.field_names)
        db.execute(f"CREATE TABLE IF NOT EXISTS {quote(table)} (_id INTEGER PRIMARY KEY, _dataset TEXT NOT NULL, "
                   f"_lgcode TEXT NOT NULL, _row INTEGER NOT NULL, {columns})")  # fmt: skip
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

    def _insert(self, db: sqlite3.Connection, table: str, definition: Definition, name: str, lgcode: str,
                path: Path, types: dict[str, str]) -> int:  # fmt: skip
        names = definition.field_names
        kinds = [types[n] for n in names]
        placeholders = ", ".join("?" * (len(names) + 3))
        insert = f"INSERT INTO {quote(table)} (_dataset, _lgcode, _row, {', '.join(quote(n) for n in names)}) VALUES ({placeholders})"
        geo = (names.index(LAT), names.index(LON)) if LAT in names and LON in names else None
        count = 0
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            batch: list[tuple[Any, ...]] = []
            for number, row in enumerate(reader, start=2):
                batch.append(
                    (
                        name,
                        lgcode,
                        number,
                        *(typed_value(v, k) for v, k in zip(row, kinds, strict=False)),
                    )
                )
                if len(batch) >= 5000:
                    db.executemany(insert, batch)
                    count += len(batch)
                    batch = []
            db.executemany(insert, batch)
            count += len(batch)
        if geo:
            lat, lon = (quote(LAT), quote(LON))
            db.execute(f"INSERT INTO {quote(table + '__geo')} SELECT _id, {lat}, {lat}, {lon}, {lon} FROM {quote(table)} "
                       f"WHERE _dataset=? AND typeof({lat})='real' AND typeof({lon})='real'", (name,))  # fmt: skip
        return count

    def drop(self, name: str) -> None:
        current = self.loaded(name)
        if current is None:
            return
        table = table_name(current.key)
        with self._lock, self.db() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                f"DELETE FROM {quote(table + '__geo')} WHERE id IN (SELECT _id FROM {quote(table)} WHERE _dataset=?)",
                (name,),
            )
            db.execute(f"DELETE FROM {quote(table)} WHERE _dataset=?", (name,))
            db.execute("DELETE FROM datasets WHERE name=?", (name,))
            db.execute("COMMIT")
        (self.files / f"{name}.csv").unlink(missing_ok=True)


def _loaded(row: tuple[Any, ...], files: Path) -> Loaded:
    name, key, slug, lgcode, content_hash, rows = row
    return Loaded(name, key, slug, lgcode, content_hash, rows, files / f"{name}.csv")
