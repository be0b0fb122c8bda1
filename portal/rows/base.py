"""The rows store's one interface: what is loaded, loading and dropping a dataset's rows.

Two back ends hold the rows (portal/rows/sqlite.py, portal/rows/postgres.py); this module
is what they share: the bookkeeping a caller sees (`Loaded`), the error a dataset's
queries answer when its rows cannot be loaded (`RowsUnavailable`), one load per dataset at
a time in a process, and the memory of a load that failed on the file's content. One table
per standard dataset version (`std__evacuation_space`) holds the rows of every
municipality that publishes it, so a cross-municipality query is one query; loading a
dataset replaces its rows in one transaction: readers see the old rows or the new ones.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.datadir import writable
from portal.errors import Location, PortalError
from portal.standards import Definition
from portal.store.models import ROWS_TABLE_PREFIX

if TYPE_CHECKING:
    from portal.rows.sql import Sql

log = logging.getLogger(__name__)

LAT, LON = "緯度", "経度"
INDEXED_KINDS = ("lgcode", "id")  # field kinds clients filter on most: indexed
BATCH_ROWS = 5000
# What reading a published CSV can raise, on every back end. Failures of the file's content
# are remembered until the dataset is published again; the environment's (a locked
# database, a full disk, a file being replaced) are tried again by the next load.
LOAD_ERRORS: tuple[type[BaseException], ...] = (
    csv.Error,
    OSError,
    UnicodeError,
    ValueError,
    ArithmeticError,
)
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
    return ROWS_TABLE_PREFIX + re.sub(r"[^0-9a-z_]", "__", key)


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


Fetch = Callable[[Path], object]


class RowsStore(ABC):
    """Every published dataset's rows, queryable (portal.rows.query.run)."""

    sql: Sql  # how this back end's queries are written
    load_errors: tuple[type[BaseException], ...] = LOAD_ERRORS
    transient_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = root / "files"  # the published CSV each dataset's rows came from
        # A folder the portal cannot write (a read-only mount): the rows loaded are served;
        # a load fails as any load does (RowsUnavailable, for its dataset).
        self.read_only = not writable(root)
        if not self.read_only:
            self.files.mkdir(parents=True, exist_ok=True)
        self._flights: dict[str, threading.Lock] = {}
        self._flights_lock = threading.Lock()
        # name -> (content hash, where, reason) of a load that failed on the file's content
        self._failed: dict[str, tuple[str, Location, str]] = {}

    # What is loaded

    @abstractmethod
    def loaded(self, name: str) -> Loaded | None: ...

    @abstractmethod
    def all_loaded(self) -> list[Loaded]: ...

    def by_standard(self, key: str) -> list[Loaded]:
        return [d for d in self.all_loaded() if d.key == key]

    @abstractmethod
    def fetch(self, statements: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]] | None:
        """Each statement's rows, read together; None if the table they read does not exist
        (nothing of that standard is loaded yet)."""

    def text_filter(self, table: str, fields: list[str], text: str,
                    column: str | None = None) -> tuple[str, list[Any]] | None:  # fmt: skip
        """A clause narrowing a text match through an index — `text` in any of the text
        `fields` (`q`), or in `column` alone (a `like` filter) — or None: the query's own LIKE
        clauses decide which rows match either way."""
        return None

    # Loading

    def load(
        self, name: str, definition: Definition, lgcode: str, csv_path: Path, content_hash: str
    ) -> Loaded:
        """The dataset's rows from `csv_path` (the published CSV), replaced atomically."""
        return self.load_from(
            name, definition, lgcode, content_hash, lambda staged: shutil.copyfile(csv_path, staged)
        )

    def load_from(
        self, name: str, definition: Definition, lgcode: str, content_hash: str, fetch: Fetch
    ) -> Loaded:
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
            except self.load_errors as exc:
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

    def _replace(
        self, name: str, definition: Definition, lgcode: str, content_hash: str, fetch: Fetch
    ) -> Loaded:
        started = time.perf_counter()
        handle, staging = tempfile.mkstemp(prefix=f"{name}.", suffix=".loading", dir=self.files)
        os.close(handle)
        staged = Path(staging)
        try:
            fetch(staged)
            count = self._swap(definition, name, lgcode, staged, content_hash)
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

    def _insert(self, db: Any, table: str, definition: Definition, name: str, lgcode: str,
                path: Path) -> int:  # fmt: skip
        """The CSV's rows into `table`, in `db`'s transaction (what a test counts loads by)."""
        return self._insert_rows(db, table, definition, name, lgcode, path)

    @abstractmethod
    def _insert_rows(self, db: Any, table: str, definition: Definition, name: str, lgcode: str,
                     path: Path) -> int: ...  # fmt: skip

    @abstractmethod
    def _swap(
        self, definition: Definition, name: str, lgcode: str, staged: Path, content_hash: str
    ) -> int | None:
        """Old rows out, new rows in, with the bookkeeping, in one transaction; the number of
        rows, or None if another process loaded this content meanwhile."""

    def _failure(
        self, name: str, file_name: str, content_hash: str, exc: BaseException
    ) -> RowsUnavailable:
        """The error to answer with; a failure of the content is remembered, and the rows of
        the previous content are dropped: they would answer for a dataset no longer published."""
        reason = _reason(exc)
        where = Location(file=file_name)
        if isinstance(exc, self.transient_errors):
            log.warning("rows of %s not loaded, to be tried again: %s", name, reason)
            return RowsUnavailable(where, name=name, reason=reason, retry_after=RETRY_AFTER_S)
        log.error("rows of %s not loaded until it is published again", name, exc_info=exc)
        self._failed[name] = (content_hash, where, reason)
        try:
            self._forget(name)
        except self.load_errors:
            log.exception("the previous rows of %s could not be dropped", name)
        return RowsUnavailable(where, name=name, reason=reason)

    # Dropping

    def drop(self, name: str) -> None:
        """Remove the dataset's rows (it was deleted from the catalogue)."""
        with self._flight(name):
            self._failed.pop(name, None)
            self._forget(name)

    def _forget(self, name: str) -> None:
        current = self.loaded(name)
        if current is None:
            return
        self._delete(name, table_name(current.key))
        (self.files / f"{name}.csv").unlink(missing_ok=True)

    @abstractmethod
    def _delete(self, name: str, table: str) -> None:
        """The dataset's rows and its bookkeeping, gone in one transaction."""


def csv_cells(definition: Definition, path: Path) -> Iterator[tuple[int, list[str | None]]]:
    """The CSV's rows as (line number, one cell per field of the definition): each field is
    found by its header; a field the file lacks, or a short row, is None."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        where = [header.index(n) if n in header else None for n in definition.field_names]
        for number, row in enumerate(reader, start=2):
            width = len(row)
            yield number, [row[i] if i is not None and i < width else None for i in where]


def loaded_of(row: tuple[Any, ...], files: Path) -> Loaded:
    name, key, slug, lgcode, content_hash, rows = row
    return Loaded(name, key, slug, lgcode, content_hash, rows, files / f"{name}.csv")


def _reason(exc: BaseException) -> str:
    """What went wrong, short and without the server's paths (an OSError names its file) or
    the statement (a database driver's error quotes it)."""
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first}"[:MAX_REASON]
