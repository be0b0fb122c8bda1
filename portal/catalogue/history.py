"""The publish log: every publish, done or not — who, when, what, with which result."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

COLUMNS = ("at", "who", "catalogue", "package", "action", "outcome", "content_hash", "valid",
           "errors", "warnings", "report", "message")  # fmt: skip


class PublishLog:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "publish-log.sqlite"
        with self._connect() as db:
            db.execute(f"CREATE TABLE IF NOT EXISTS publishes ({', '.join(COLUMNS)})")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def record(self, entry: dict[str, Any]) -> None:
        row = {**entry, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        with self._connect() as db:
            db.execute(f"INSERT INTO publishes VALUES ({', '.join('?' * len(COLUMNS))})",
                       [json.dumps(row[c]) if isinstance(row[c], (dict, list)) else row[c] for c in COLUMNS])  # fmt: skip

    def entries(self, package: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        query = f"SELECT {', '.join(COLUMNS)} FROM publishes"
        params: tuple[Any, ...] = ()
        if package:
            query += " WHERE package = ?"
            params = (package,)
        query += " ORDER BY rowid DESC LIMIT ?"
        with self._connect() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        return [dict(zip(COLUMNS, r, strict=True)) for r in rows]
