"""The portal's database: an engine, sessions, and the schema kept current by migrations.

`Store.open(url)` is all a caller needs. SQLite (the default, nothing to install) gets
WAL (readers never wait for a writer), foreign keys and a busy timeout on every
connection; writers that read first take the lock at once (`Store.writing`). PostgreSQL
goes through psycopg 3.

Migrations are the only way the schema changes. `ensure_current()` is what start-up
calls: an empty database is set up by itself; a database behind the code is upgraded
only when asked (`portal db upgrade`: the operator takes a backup first); a database
newer than the code, or someone else's, is refused with a clear error. Upgrades run in
one transaction under a lock, so two processes starting at once do not both migrate.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from portal.datadir import connect_read_only, disk_error, writable
from portal.store.errors import (
    DatabaseBehind,
    DatabaseNewerThanCode,
    DatabaseNotPortal,
    DatabaseUnavailable,
    DatabaseUrlInvalid,
)
from portal.store.models import VERSION_TABLE

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Any constant works: it names "the portal's migrations" among PostgreSQL's advisory locks.
MIGRATION_LOCK_ID = 0x706F7274616C  # "portal"
IMMEDIATE = "portal_sqlite_immediate"  # execution option: BEGIN IMMEDIATE on SQLite
MAX_REASON = 300


@dataclass(frozen=True)
class Status:
    """Where a database's schema stands against this code's migrations."""

    url: str  # without the password
    current: tuple[str, ...]  # the revision(s) the database is at; () for none
    heads: tuple[str, ...]  # the newest revision(s) this code knows
    pending: tuple[str, ...]  # migrations not applied yet, oldest first
    unknown: tuple[str, ...]  # revisions of the database this code does not know
    tables: tuple[str, ...]  # the database's tables besides the version table

    @property
    def empty(self) -> bool:
        return not self.tables

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.unknown


class Store:
    """One database: its engine, its sessions, its schema."""

    def __init__(self, engine: Engine, migrations: Path = MIGRATIONS) -> None:
        self.engine = engine
        self.migrations = migrations
        self.url = engine.url.render_as_string(hide_password=True)
        self.read_only = False  # a SQLite file on a disk the portal cannot write
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        # The SQLite file, for messages about its disk; None for a server database.
        self.path = Path(database) if database and database != ":memory:" else None
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )

    @classmethod
    def open(cls, url: str | URL, *, migrations: Path = MIGRATIONS) -> Store:
        """A store on `url` (sqlite:///…, postgresql+psycopg://…); nothing is read yet.
        `migrations`: another folder of them (tests play a newer or older portal)."""
        parsed = _parse(url)
        shown = parsed.render_as_string(hide_password=True)
        options: dict[str, Any] = {}
        read_only = False
        if parsed.get_backend_name() == "sqlite":
            read_only = _read_only_file(parsed)
            if read_only:  # a read-only mount: served as it is, never written
                path = Path(parsed.database or "")
                options["creator"] = lambda: connect_read_only(path)
            else:
                _make_folder(parsed, shown)
        else:
            options["pool_pre_ping"] = True  # a restarted server: reconnect, not fail once
        try:
            engine = create_engine(parsed, **options)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise DatabaseUrlInvalid(url=shown, reason=reason(exc)) from None
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, read_only=read_only)
        store = cls(engine, migrations)
        store.read_only = read_only
        return store

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session for a read-then-write transaction, committed at the end. On SQLite it
        takes the write lock at BEGIN: a lock upgrade later could fail at once as "locked"."""
        with self._writes.begin() as session:
            yield session

    # Schema

    def config(self, connection: Connection | None = None) -> Config:
        """Alembic's configuration, from code: the packaged migrations and this database."""
        config = Config()
        config.set_main_option("script_location", str(self.migrations))
        config.set_main_option("path_separator", "os")
        url = self.engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        if connection is not None:
            config.attributes["connection"] = connection
        return config

    def status(self) -> Status:
        with self._connection() as connection:
            return self._status(connection)

    def ensure_current(self, *, upgrade: bool = False) -> Status:
        """The schema as this code needs it, or a clear error. An empty database is set up;
        one behind is upgraded only with `upgrade`; a newer or foreign one never."""
        with self._migrating() as connection:
            status = self._status(connection)
            _refuse_unusable(status)
            if not status.pending:
                return status
            if self.read_only or not (status.empty or upgrade):
                raise _behind(status)
            command.upgrade(self.config(connection), "heads")
            return self._status(connection)

    def upgrade(self) -> Status:
        """Apply every pending migration (`portal db upgrade`)."""
        return self.ensure_current(upgrade=True)

    def downgrade(self, revision: str) -> Status:
        """Undo migrations down to `revision` ("base": all). For tests and recovery."""
        with self._migrating() as connection:
            command.downgrade(self.config(connection), revision)
            return self._status(connection)

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise DatabaseUnavailable(url=self.url, reason=reason(exc.orig or exc)) from None

    @contextmanager
    def _migrating(self) -> Iterator[Connection]:
        """One transaction that no other process migrates in at the same time."""
        with self._connection() as connection:
            connection.execution_options(**{IMMEDIATE: True})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID}
                    )
                yield connection

    def _status(self, connection: Connection) -> Status:
        script = ScriptDirectory.from_config(self.config())
        heads = tuple(script.get_heads())
        current = tuple(
            MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE}
            ).get_current_heads()
        )
        unknown = tuple(r for r in current if not _known(script, r))
        pending: tuple[str, ...] = ()
        if not unknown:
            newest_first = script.iterate_revisions(heads, current or "base")
            pending = tuple(reversed([s.revision for s in newest_first]))
        tables = tuple(
            sorted(t for t in inspect(connection).get_table_names() if t != VERSION_TABLE)
        )
        return Status(self.url, current, heads, pending, unknown, tables)


def _refuse_unusable(status: Status) -> None:
    if status.unknown:
        raise DatabaseNewerThanCode(
            url=status.url, current=", ".join(status.unknown), head=", ".join(status.heads)
        )
    if not status.current and not status.empty:
        shown = ", ".join(status.tables[:5]) + (", …" if len(status.tables) > 5 else "")
        raise DatabaseNotPortal(url=status.url, tables=shown)


def _behind(status: Status) -> DatabaseBehind:
    return DatabaseBehind(
        url=status.url,
        current=", ".join(status.current) or "none",
        head=", ".join(status.heads),
        count=len(status.pending),
        pending=", ".join(status.pending),
    )


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _parse(url: str | URL) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseUrlInvalid(url=_hide_password(str(url)), reason=reason(exc)) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver that is installed
    return parsed


def _hide_password(url: str) -> str:
    """A URL that could not be parsed, shown without what may be its password."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"


def _read_only_file(url: URL) -> bool:
    """A SQLite file that exists on a disk (or with rights) the portal cannot write."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return False
    path = Path(database)
    return path.is_file() and not (writable(path) and writable(path.parent))


def _make_folder(url: URL, shown: str) -> None:
    """The folder of a SQLite file: made if missing (the default is under PORTAL_DATA_DIR)."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    folder = Path(database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where the folder should be, a read-only disk: say where
        raise disk_error(exc, folder, "open") from None


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    """Pragmas on every connection, and SQLAlchemy (not the driver) issues BEGIN: the
    sqlite3 module's own transaction handling would defer BEGIN past our pragmas and
    could not take the write lock up front (the recipe of SQLAlchemy's SQLite docs)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        if read_only:  # opened by connect_read_only: nothing to switch on
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at checkpoints
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _switch_to_wal(cursor: Any) -> None:
    """`PRAGMA journal_mode = WAL` needs a moment of exclusive access and, unlike other
    statements, can answer "database is locked" at once instead of waiting out the busy
    timeout: two processes opening a new database together meet that. So: wait and retry."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def reason(exc: BaseException) -> str:
    """The first line of what a database said, short enough for a message."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return first[:MAX_REASON]
