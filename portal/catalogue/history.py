"""The publish log: every publish and delete, done or not — who, when, what, with which result.

It stays on the publisher's machine (PORTAL_DATA_DIR/publish-log.sqlite): `who` is the OS
account, which the public catalogue does not show. Reading it (`portal history`) works on a
read-only data directory; writing there is a clear error that names the path.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal.datadir import DataDirReadOnly, connect_read_only, writable, writing

COLUMNS = ("at", "who", "catalogue", "package", "action", "outcome", "content_hash", "valid",
           "errors", "warnings", "report", "message")  # fmt: skip


class PublishLog:
    def __init__(self, data_dir: Path, *, write: bool = True, doing: str = "log") -> None:
        """`write`: the log will be written (while `doing` something, for the message), so a
        data directory that cannot take it is an error now, before anything is changed."""
        self.data_dir = data_dir
        self.path = data_dir / "publish-log.sqlite"
        if write:
            if not writable(self.path):
                raise DataDirReadOnly.at(data_dir, doing)
            with writing(data_dir, doing):
                data_dir.mkdir(parents=True, exist_ok=True)
                with self._connect() as db:
                    db.execute(f"CREATE TABLE IF NOT EXISTS publishes ({', '.join(COLUMNS)})")

    def _connect(self) -> sqlite3.Connection:
        if not writable(self.path):
            return connect_read_only(self.path)
        return sqlite3.connect(self.path, timeout=30)

    def record(self, entry: dict[str, Any]) -> None:
        row = {**entry, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        with writing(self.data_dir, "log"), self._connect() as db:
            db.execute(f"INSERT INTO publishes VALUES ({', '.join('?' * len(COLUMNS))})",
                       [json.dumps(row[c]) if isinstance(row[c], (dict, list)) else row[c] for c in COLUMNS])  # fmt: skip

    def entries(self, package: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query = f"SELECT {', '.join(COLUMNS)} FROM publishes"
        params: tuple[Any, ...] = ()
        if package:
            query += " WHERE package = ?"
            params = (package,)
        query += " ORDER BY rowid DESC LIMIT ?"
        if not self.path.is_file():
            return []  # nothing published from this data directory yet
        with self._connect() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        return [dict(zip(COLUMNS, r, strict=True)) for r in rows]
