"""The data directory on disk: clear errors when it is read-only or full, SQLite opened
read-only when it cannot be written, and the clean-up of files nothing points to.

A disk fault is not an internal error: the person running the portal can fix it
(free space, remount, point PORTAL_DATA_DIR elsewhere), so every OSError or SQLite
error met while writing the data directory becomes one of the errors below, naming
the path. Reading needs no write access: SQLite opens a database on a read-only
disk with `mode=ro`, or `immutable=1` when its WAL index cannot be made there.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from portal.errors import PortalError

# How long a file nothing points to any more stays readable: a reader who got a
# dataset's answer just before a publish replaced it can still fetch the files that
# answer named. Also the age after which a half-written copy (a publish killed or
# stopped by a full disk) counts as abandoned. Ten minutes: far longer than a
# reader takes between reading a dataset and fetching its files, and a publish in
# progress keeps its copies fresh (their mtime moves as they are written).
FILE_GRACE_SECONDS = 600

READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
HINT_EN = "{what}, or set PORTAL_DATA_DIR to a folder the portal can write"
HINT_JA = "{what_ja}か、書き込みできるフォルダを PORTAL_DATA_DIR に設定してください"


class DataDirError(PortalError):
    """The data directory cannot be written; the message names the path and what failed."""

    @classmethod
    def at(cls, path: Path, doing: str, reason: str = "") -> DataDirError:
        doing_en, doing_ja = DOING[doing]
        return cls(path=str(path), doing=doing_en, doing_ja=doing_ja, reason=reason)


class DataDirReadOnly(DataDirError):
    code = "data-dir-read-only"
    status = 503
    exit_code = 2
    template_en = "the data directory {path} is read-only: cannot {doing}"
    template_ja = "データディレクトリ {path} が読み取り専用のため{doing_ja}できません"
    hint_en = HINT_EN.format(what="make it writable (remount it read-write, fix its owner)")
    hint_ja = HINT_JA.format(
        what_ja="書き込みできるようにする（読み書き可能で再マウント、所有者の修正）"
    )


class DataDirFull(DataDirError):
    code = "data-dir-full"
    status = 507
    exit_code = 2
    template_en = "no space left in the data directory {path}: cannot {doing}"
    template_ja = "データディレクトリ {path} に空き容量がないため{doing_ja}できません"
    hint_en = HINT_EN.format(what="free some space there (what was partly written is removed)")
    hint_ja = HINT_JA.format(what_ja="空き容量を増やす（書きかけのファイルは削除済みです）")


class DataDirUnusable(DataDirError):
    code = "data-dir-unusable"
    status = 503
    exit_code = 2
    template_en = "the data directory {path} cannot be used to {doing}: {reason}"
    template_ja = "データディレクトリ {path} で{doing_ja}できません: {reason}"
    hint_en = HINT_EN.format(what="check the disk and the folder's permissions")
    hint_ja = HINT_JA.format(what_ja="ディスクとフォルダの権限を確認する")


# What the portal was doing, for the messages: (English, Japanese).
DOING = {
    "open": ("open it", "開くことが"),
    "read": ("read it", "読み込みが"),
    "publish": ("publish", "公開"),
    "delete": ("delete", "削除"),
    "log": ("record the publish log", "公開履歴を記録"),
}


def disk_error(exc: OSError, path: Path, doing: str) -> DataDirError:
    """The error a person can act on, for a failed write under `path`."""
    if exc.errno in READ_ONLY_ERRNOS:
        return DataDirReadOnly.at(path, doing)
    if exc.errno in FULL_ERRNOS:
        return DataDirFull.at(path, doing)
    return DataDirUnusable.at(path, doing, exc.strerror or str(exc))


def database_error(exc: sqlite3.Error, path: Path, doing: str) -> DataDirError | None:
    """Likewise for SQLite; None when the disk is not the cause (a busy database, a bug)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith("SQLITE_FULL") or (
        name.startswith("SQLITE_IOERR") and free_bytes(path) == 0
    ):
        return DataDirFull.at(path, doing)  # SQLite reports some full disks as a write error
    if not name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
        return None
    if writable(path):
        return DataDirUnusable.at(path, doing, str(exc))
    return DataDirReadOnly.at(path, doing)


@contextmanager
def writing(path: Path, doing: str) -> Iterator[None]:
    """Run a write under `path`; a disk fault becomes a storage error naming `path`."""
    try:
        yield
    except OSError as exc:
        raise disk_error(exc, path, doing) from None
    except (sqlite3.OperationalError, DBAPIError) as exc:
        # SQLAlchemy wraps the driver's error: the SQLite one inside says what the disk did.
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        error = database_error(cause, path, doing) if isinstance(cause, sqlite3.Error) else None
        if error is None:
            raise
        raise error from None


def writable(path: Path) -> bool:
    """Whether `path` (or the nearest folder above it that exists) can be written.

    access(2) answers EROFS for a read-only mount even to root, unlike the permission bits."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return os.access(candidate, os.W_OK)
    return False


def free_bytes(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return None


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A database on a disk the portal cannot write, opened for reading.

    `mode=ro` reads the WAL if it is there; when SQLite cannot make the WAL index
    beside the file (the folder is read-only and the database was closed cleanly,
    so no WAL is left), `immutable=1` reads the file as it is — nothing can change it."""
    for flags in ("mode=ro", "immutable=1"):
        db = sqlite3.connect(f"{path.as_uri()}?{flags}", uri=True, isolation_level=None,
                             check_same_thread=False)  # fmt: skip
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            db.close()
            continue
        return db
    raise DataDirUnusable.at(path, "read", "SQLite cannot open it")


def age_seconds(entry: Path, now: float) -> float:
    """Seconds since anything in `entry` (a file, or a folder and its files) last changed:
    a copy in progress stays young, as its mtime moves with every write."""
    try:
        times = [entry.stat().st_mtime]
        if entry.is_dir():
            times += [p.stat().st_mtime for p in entry.iterdir()]
    except OSError:
        return 0.0  # vanished or unreadable meanwhile: leave it to the next sweep
    return now - max(times)


def retire(entry: Path) -> None:
    """Mark what nothing points to any more: its grace period starts now."""
    try:
        os.utime(entry)
    except OSError:
        pass  # already gone: nothing to keep


def sweep(folder: Path, keep: set[str], grace_seconds: float, pattern: str = "*") -> list[str]:
    """Remove the entries of `folder` matching `pattern`, not named in `keep`, and
    unchanged for `grace_seconds`; return their names.

    This catches what no single publish can: copies left by a publish killed mid-copy
    or stopped by a full disk, and previous versions whose grace period has passed."""
    now = time.time()
    removed = []
    for entry in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        if entry.name in keep or age_seconds(entry, now) < grace_seconds:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry.name)
    return removed
