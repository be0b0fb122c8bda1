"""A version's change summary: rows added, removed and changed against the version before.

Rows are compared by the standard's ID field; where a version has no IDs (or repeats one) whole
rows are compared instead, so a change shows as one removed and one added.

The two CSVs can be gigabytes (a prefecture's population by 町丁目 and age), so neither is
held in memory: each row becomes (ID, a digest of the whole row) in a scratch SQLite file on
disk, with a bounded page cache, and the counts are SQL over it — memory stays flat
whatever the row count (issue 17).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ID_FIELD = "ID"  # the standards' identifier column
CACHE_KIB = 16 * 1024  # SQLite's page cache for the comparison: the memory it may use
BEFORE, AFTER = 0, 1


@dataclass(frozen=True)
class Changes:
    added: int
    removed: int
    changed: int
    compared_by: str  # id | row | none (the first version)


def compare(before: Path | None, after: Path | None) -> Changes:
    """Rows added, removed and changed from `before` to `after` (CSV files)."""
    if before is None:
        return Changes(_count_rows(after), 0, 0, "none")
    with tempfile.TemporaryDirectory(prefix="portal-compare-") as scratch:
        with closing(sqlite3.connect(Path(scratch) / "rows.sqlite")) as db:
            db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE r (side INTEGER NOT NULL, id TEXT NOT NULL, digest BLOB NOT NULL)"
            )
            for side, path in ((BEFORE, before), (AFTER, after)):
                db.executemany("INSERT INTO r VALUES (?, ?, ?)",
                               ((side, key, digest) for key, digest in _fingerprints(path)))  # fmt: skip
            if _ids_unique(db, BEFORE) and _ids_unique(db, AFTER):
                return _by_id(db)
            return _by_row(db)


def _count_rows(path: Path | None) -> int:
    if path is None or not path.is_file():
        return 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)  # less the header


def _fingerprints(path: Path | None) -> Iterator[tuple[str, bytes]]:
    """Each row's ID (stripped) and a digest of the whole row (its fields, by name)."""
    if path is None or not path.is_file():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            whole = json.dumps(sorted(row.items(), key=lambda item: str(item[0])),
                               ensure_ascii=False, default=str)  # fmt: skip
            key = (row.get(ID_FIELD) or "").strip()
            yield key, hashlib.blake2b(whole.encode(), digest_size=16).digest()


def _ids_unique(db: sqlite3.Connection, side: int) -> bool:
    """Every row of the side has an ID and no two share one."""
    db.execute("CREATE INDEX IF NOT EXISTS r_id ON r (side, id)")
    missing = db.execute("SELECT 1 FROM r WHERE side = ? AND id = '' LIMIT 1", (side,)).fetchone()
    twice = db.execute(
        "SELECT 1 FROM r WHERE side = ? GROUP BY id HAVING count(*) > 1 LIMIT 1", (side,)
    ).fetchone()
    return missing is None and twice is None


def _by_id(db: sqlite3.Connection) -> Changes:
    only = "SELECT count(*) FROM r a WHERE a.side = ? AND NOT EXISTS (SELECT 1 FROM r b WHERE b.side = ? AND b.id = a.id)"
    added = db.execute(only, (AFTER, BEFORE)).fetchone()[0]
    removed = db.execute(only, (BEFORE, AFTER)).fetchone()[0]
    changed = db.execute(
        "SELECT count(*) FROM r a JOIN r b ON b.side = ? AND b.id = a.id"
        " WHERE a.side = ? AND a.digest != b.digest",
        (AFTER, BEFORE),
    ).fetchone()[0]
    return Changes(added, removed, changed, "id")


def _by_row(db: sqlite3.Connection) -> Changes:
    """Whole rows as a multiset: a row twice in the new version and once in the old is one added."""
    db.execute("CREATE INDEX IF NOT EXISTS r_digest ON r (side, digest)")
    counts = "SELECT digest, count(*) AS n FROM r WHERE side = {} GROUP BY digest"
    more = (
        f"SELECT coalesce(sum(max(a.n - coalesce(b.n, 0), 0)), 0) FROM ({counts}) a"
        f" LEFT JOIN ({counts}) b ON b.digest = a.digest"
    )
    added = db.execute(more.format(AFTER, BEFORE)).fetchone()[0]
    removed = db.execute(more.format(BEFORE, AFTER)).fetchone()[0]
    return Changes(added, removed, 0, "row")
