"""The catalogue without CKAN: SQLite and a file store under the data directory.

The same rule as on CKAN makes replacements atomic: new files go under new
resource ids before the database transaction commits. A crash in between leaves
the old version whole (and, at worst, unreferenced new files, removed later).

The previous version's files are not removed at the commit: a reader who was
answered with the dataset a moment before still fetches the file URLs that answer
named. They are kept for a grace period (datadir.FILE_GRACE_SECONDS) and removed
by a later publish or delete, with whatever a killed or failed publish left behind
(`reclaim`). Why a grace period and not content-addressed files: a file's address
would then outlive its version only if the same bytes were published again, so
old addresses would still vanish at a replace; and the store's ids are what CKAN
uses too, so both back ends keep one URL shape.

On a data directory the portal cannot write (a read-only mount), the catalogue
opens read-only: listing and serving work, writes are refused with a clear error.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal.catalogue.base import Catalogue, FileSpec, Package, PackageChanged
from portal.datadir import (
    FILE_GRACE_SECONDS,
    DataDirReadOnly,
    connect_read_only,
    disk_error,
    retire,
    sweep,
    writable,
    writing,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (name TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS packages (
    id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, owner_org TEXT, modified TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activity (
    package TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, data TEXT NOT NULL);
"""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


class EmbeddedCatalogue(Catalogue):
    kind = "embedded"

    def __init__(self, root: Path, grace_seconds: float = FILE_GRACE_SECONDS) -> None:
        self.root = root
        self.files = root / "files"
        self.path = root / "catalogue.sqlite"
        self.where = str(root)
        self.writes = 0
        self.grace_seconds = grace_seconds
        self._local = threading.local()
        self.read_only = not writable(root) or (self.path.exists() and not writable(self.path))
        if self.read_only:
            if not self.path.is_file():  # nothing to read either
                raise DataDirReadOnly.at(root, "open")
            return
        with writing(root, "open"):
            self.files.mkdir(parents=True, exist_ok=True)
            with self._db() as db:
                db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One connection per thread; WAL so readers never wait for a publish."""
        db = getattr(self._local, "db", None)
        if db is None:
            if self.read_only:
                db = connect_read_only(self.path)
            else:
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        yield db

    def _refuse_if_read_only(self, doing: str) -> None:
        if self.read_only:
            raise DataDirReadOnly.at(self.root, doing)

    # Reads

    def status_show(self) -> dict[str, Any]:
        return {
            "site_title": "portal (embedded catalogue)",
            "ckan_version": "2.12 (embedded subset)",
            "extensions": [],
        }

    def organization_list(self) -> list[str]:
        with self._db() as db:
            return [r[0] for r in db.execute("SELECT name FROM organizations ORDER BY name")]

    def organization_show(self, name: str) -> dict[str, Any] | None:
        with self._db() as db:
            row = db.execute(
                "SELECT name, title, created FROM organizations WHERE name=?", (name,)
            ).fetchone()
            if row is None:
                return None
            count = db.execute(
                "SELECT count(*) FROM packages WHERE owner_org=?", (name,)
            ).fetchone()[0]
        return {
            "name": row[0],
            "title": row[1],
            "created": row[2],
            "package_count": count,
            "type": "organization",
        }

    def package_show(self, name: str) -> Package | None:
        with self._db() as db:
            row = db.execute(
                "SELECT data FROM packages WHERE name=? OR id=?", (name, name)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def package_list(self) -> list[str]:
        with self._db() as db:
            return [r[0] for r in db.execute("SELECT name FROM packages ORDER BY name")]

    def packages(self) -> list[Package]:
        with self._db() as db:
            return [
                json.loads(r[0])
                for r in db.execute("SELECT data FROM packages ORDER BY modified DESC")
            ]

    def package_search(self, fq: dict[str, str] | None = None, rows: int = 1000) -> list[Package]:
        return [p for p in self.packages() if _matches(p, fq or {})][:rows]

    def resource_bytes(self, resource: dict[str, Any]) -> bytes:
        return self.resource_path(resource).read_bytes()

    def resource_path(self, resource: dict[str, Any]) -> Path:
        return self.files / resource["id"] / resource["name"]

    def history(self, name: str) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT at, action, data FROM activity WHERE package=? ORDER BY at DESC", (name,)
            )
            return [{"at": at, "action": action, **json.loads(data)} for at, action, data in rows]

    # Writes

    def organization_ensure(self, name: str, title: str) -> None:
        self._refuse_if_read_only("publish")
        with writing(self.root, "publish"), self._db() as db:
            if db.execute("SELECT 1 FROM organizations WHERE name=?", (name,)).fetchone():
                return
            self.writes += 1
            db.execute(
                "INSERT OR IGNORE INTO organizations VALUES (?, ?, ?)", (name, title, _now())
            )

    def package_put(self, package: Package, files: list[FileSpec], seen: Package | None) -> Package:
        self._refuse_if_read_only("publish")
        self.writes += 1
        name = package["name"]
        new = self._store(files)
        try:
            with writing(self.root, "publish"), self._db() as db:
                db.execute("BEGIN IMMEDIATE")
                try:
                    current = db.execute(
                        "SELECT data FROM packages WHERE name=?", (name,)
                    ).fetchone()
                    before = json.loads(current[0]) if current else None
                    if (before or {}).get("metadata_modified") != (seen or {}).get(
                        "metadata_modified"
                    ):
                        raise PackageChanged(name=name)
                    result = self._row(package, before, new)
                    org = db.execute(
                        "SELECT title FROM organizations WHERE name=?", (result.get("owner_org"),)
                    ).fetchone()
                    result["organization"] = {
                        "name": result.get("owner_org"),
                        "title": org[0] if org else "",
                        "type": "organization",
                    }
                    db.execute(
                        "INSERT OR REPLACE INTO packages VALUES (?, ?, ?, ?, ?)",
                        (result["id"], name, result.get("owner_org"), result["metadata_modified"],
                         json.dumps(result, ensure_ascii=False)),
                    )  # fmt: skip
                    db.execute("INSERT INTO activity VALUES (?, ?, ?, ?)",
                               (name, result["metadata_modified"], "changed package" if before else "new package",
                                json.dumps({"extras": package.get("extras", [])}, ensure_ascii=False)))  # fmt: skip
                    db.execute("COMMIT")
                except BaseException:
                    _rollback(db)
                    raise
        except BaseException:
            for resource in new:
                shutil.rmtree(self.files / resource["id"], ignore_errors=True)
            raise
        for old in (before or {}).get("resources", []):
            retire(self.files / old["id"])  # readable for the grace period; see the docstring
        return result

    def _store(self, files: list[FileSpec]) -> list[dict[str, Any]]:
        """Copy the files under new resource ids (not yet referenced by any dataset).

        A copy that fails (a full disk) removes what it wrote before saying so."""
        resources: list[dict[str, Any]] = []
        made: list[Path] = []
        try:
            for position, f in enumerate(files):
                rid = str(uuid.uuid4())
                made.append(self.files / rid)
                target = self.files / rid / f.name
                target.parent.mkdir(parents=True)
                shutil.copyfile(f.path, target)
                resources.append(self._resource(rid, position, f, target.stat().st_size))
        except OSError as exc:
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
            if not f.path.is_file():  # the source went away: not the data directory's fault
                raise
            raise disk_error(exc, self.files, "publish") from None
        return resources

    @staticmethod
    def _resource(rid: str, position: int, f: FileSpec, size: int) -> dict[str, Any]:
        return {
                "id": rid, "name": f.name, "format": f.format, "mimetype": f.mimetype,
                "description": f.description, "url_type": "upload", "url": f"/files/{rid}/{f.name}",
                "size": size, "position": position}  # fmt: skip

    @staticmethod
    def _row(package: Package, before: Package | None, resources: list[dict[str, Any]]) -> Package:
        now = _now()
        pid = before["id"] if before else str(uuid.uuid4())
        for r in resources:
            r.update(package_id=pid, created=now, last_modified=now)
        return {
            **package,
            "id": pid,
            "type": "dataset",
            "state": "active",
            "private": bool(package.get("private", False)),
            "metadata_created": before["metadata_created"] if before else now,
            "metadata_modified": now,
            "num_resources": len(resources),
            "num_tags": len(package.get("tags", [])),
            "resources": resources,
        }

    def package_delete(self, name: str) -> None:
        """Delete the dataset and its files at once: a deletion is often a retraction
        (data published by mistake), so unlike a replacement it keeps no grace period."""
        self._refuse_if_read_only("delete")
        self.writes += 1
        with writing(self.root, "delete"), self._db() as db:
            row = db.execute("SELECT data FROM packages WHERE name=?", (name,)).fetchone()
            db.execute("DELETE FROM packages WHERE name=?", (name,))
            db.execute(
                "INSERT INTO activity VALUES (?, ?, ?, ?)", (name, _now(), "deleted package", "{}")
            )
        for resource in json.loads(row[0])["resources"] if row else []:
            shutil.rmtree(self.files / resource["id"], ignore_errors=True)

    def reclaim(self) -> list[str]:
        """Remove the store's folders no dataset points to, once their grace period is over:
        previous versions, and copies left by a publish that was killed or ran out of disk."""
        if self.read_only:
            return []
        with self._db() as db:
            keep = {r["id"] for (data,) in db.execute("SELECT data FROM packages")
                    for r in json.loads(data).get("resources", [])}  # fmt: skip
        try:
            return sweep(self.files, keep, self.grace_seconds)
        except OSError:
            return []  # a clean-up that cannot run now runs at the next publish


def _rollback(db: sqlite3.Connection) -> None:
    """Roll back, without hiding why: on a full disk the rollback itself may fail."""
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _matches(package: Package, fq: dict[str, str]) -> bool:
    for key, value in fq.items():
        if key == "tags":
            if value not in {t["name"] for t in package.get("tags", [])}:
                return False
        elif key.startswith("extras_"):
            if {e["key"]: e["value"] for e in package.get("extras", [])}.get(key[7:]) != value:
                return False
        elif (
            str(
                package.get("organization", {}).get("name")
                if key == "organization"
                else package.get(key)
            )
            != value
        ):
            return False
    return True
