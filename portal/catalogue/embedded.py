"""The catalogue without CKAN: the portal's database (portal/store) and a file store.

Datasets, their resources, organizations and activity are rows of the portal's database
(SQLite by default, PostgreSQL at scale), so every `portal serve` process sees a publish
at once; the files stay on disk under the data directory, named by resource id.

The same rule as on CKAN makes replacements atomic: new files go under new resource ids
before the database transaction commits. A crash in between leaves the old version whole
(and, at worst, unreferenced new files, removed later).

The previous version's files are not removed at the commit: a reader who was answered
with the dataset a moment before still fetches the file URLs that answer named. They are
kept for a grace period (datadir.FILE_GRACE_SECONDS) and removed by a later publish or
delete, with whatever a killed or failed publish left behind (`reclaim`). Why a grace
period and not content-addressed files: a file's address would then outlive its version
only if the same bytes were published again, so old addresses would still vanish at a
replace; and the store's ids are what CKAN uses too, so both back ends keep one URL shape.

What a resource's `url` says is not that address but the stable one, /files/<dataset>/<file>
(versions.current_file_url): it always serves the current version, so a harvester's copy never
holds a dead link. Each replacement records the resource ids it retired, so an address of the
older shape is redirected to the stable one once its folder is gone (`replaced_by`).

On a data directory the portal cannot write (a read-only mount), the catalogue opens
read-only: listing and serving work, writes are refused with a clear error.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, cast, delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from portal.catalogue.base import Catalogue, FileSpec, Package, PackageChanged
from portal.catalogue.search import Search, found, text_query
from portal.catalogue.versions import current_file_url
from portal.datadir import (
    FILE_GRACE_SECONDS,
    DataDirReadOnly,
    disk_error,
    retire,
    sweep,
    writable,
    writing,
)
from portal.search.index import document
from portal.store import Store
from portal.store.database import reason
from portal.store.errors import DatabaseUnavailable
from portal.store.models import Activity, Organization, Resource
from portal.store.models import Package as PackageRow
from portal.store.search import search_names

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"  # CKAN's metadata_modified: UTC, no zone suffix
RETIRED = "replaced_resources"  # the activity's record of the resource ids a replacement retired


def _now() -> datetime:
    return datetime.now(UTC)


def _shown(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


class EmbeddedCatalogue(Catalogue):
    kind = "embedded"

    def __init__(self, store: Store, root: Path, grace_seconds: float = FILE_GRACE_SECONDS) -> None:
        """`store`: the portal's database; `root`: the folder whose files/ holds the files."""
        self.store = store
        self.root = root
        self.files = root / "files"
        self.where = str(root)
        self.writes = 0
        self.grace_seconds = grace_seconds
        self.read_only = store.read_only or not writable(root)
        if not self.read_only:
            with writing(root, "open"):
                self.files.mkdir(parents=True, exist_ok=True)

    def refuse_if_read_only(self, doing: str) -> None:
        if not self.read_only:
            return
        database = self.store.path
        raise DataDirReadOnly.at(database.parent if database else self.root, doing)

    # Reads

    def status_show(self) -> dict[str, Any]:
        return {
            "site_title": "portal (embedded catalogue)",
            "ckan_version": "2.12 (embedded subset)",
            "extensions": [],
        }

    def organization_list(self) -> list[str]:
        with self.store.sessions() as session:
            return list(session.scalars(select(Organization.name).order_by(Organization.name)))

    def organization_show(self, name: str) -> dict[str, Any] | None:
        with self.store.sessions() as session:
            org = session.get(Organization, name)
            if org is None:
                return None
            count = session.scalar(
                select(func.count()).select_from(PackageRow).where(PackageRow.owner_org == name)
            )
        return {"name": org.name, "title": org.title, "created": _shown(org.created),
                "package_count": count or 0, "type": "organization"}  # fmt: skip

    def package_show(self, name: str) -> Package | None:
        with self.store.sessions() as session:
            found = session.scalar(
                select(PackageRow.data).where((PackageRow.name == name) | (PackageRow.id == name))
            )
        return dict(found) if found is not None else None

    def package_list(self) -> list[str]:
        with self.store.sessions() as session:
            return list(session.scalars(select(PackageRow.name).order_by(PackageRow.name)))

    def packages(self) -> list[Package]:
        with self.store.sessions() as session:
            newest_first = select(PackageRow.data).order_by(PackageRow.metadata_modified.desc())
            return [dict(data) for data in session.scalars(newest_first)]

    def package_search(self, fq: dict[str, str] | None = None, rows: int = 1000) -> list[Package]:
        return [p for p in self.packages() if _matches(p, fq or {})][:rows]

    def resource_bytes(self, resource: dict[str, Any]) -> bytes:
        return self.resource_path(resource).read_bytes()

    def resource_path(self, resource: dict[str, Any]) -> Path:
        return self.files / resource["id"] / resource["name"]

    def local_file(self, resource: dict[str, Any]) -> Path | None:
        if resource["name"] in (".", ".."):
            return None
        path = self.resource_path(resource)
        try:
            return path if path.is_file() else None
        except OSError:  # a name over the file system's limit (in bytes) names no file
            return None

    def search(self, s: Search) -> dict[str, Any]:
        ranked = None
        if (words := text_query(s)) is not None:
            with self.store.sessions() as session:
                ranked = search_names(session.connection(), words)
        return found(self.public_packages(), s, ranked)

    def public_packages(self) -> list[Package]:
        return [p for p in self.packages() if not p.get("private")]

    def organizations(self) -> list[dict[str, Any]]:
        shown = (self.organization_show(name) for name in self.organization_list())
        return [o for o in shown if o]

    def history(self, name: str) -> list[dict[str, Any]]:
        with self.store.sessions() as session:
            found = session.scalars(
                select(Activity)
                .where(Activity.package == name)
                .order_by(Activity.at.desc(), Activity.id.desc())
            )
            return [
                {"at": _shown(a.at), "action": a.action,
                 **{k: v for k, v in a.data.items() if k != RETIRED}}
                for a in found
            ]  # fmt: skip

    def replaced_by(self, resource_id: str) -> str | None:
        """The dataset an earlier version of which had the resource `resource_id`."""
        with self.store.sessions() as session:
            return session.scalar(
                select(Activity.package)
                .where(cast(Activity.data, String).contains(f'"{resource_id}"', autoescape=True))
                .order_by(Activity.at.desc())
                .limit(1)
            )

    # Writes

    def organization_ensure(self, name: str, title: str) -> None:
        self.refuse_if_read_only("publish")
        with self._writing("publish") as session:
            if session.get(Organization, name) is not None:
                return
            self.writes += 1
            session.add(Organization(name=name, title=title, created=_now()))

    def package_put(self, package: Package, files: list[FileSpec], seen: Package | None) -> Package:
        self.refuse_if_read_only("publish")
        self.writes += 1
        new = self._store(files, package["name"])
        try:
            with self._writing("publish", package["name"]) as session:
                result, before = self._replace(session, package, new, seen)
        except BaseException:
            for resource in new:
                shutil.rmtree(self.files / resource["id"], ignore_errors=True)
            raise
        for old in (before or {}).get("resources", []):
            retire(self.files / old["id"])  # readable for the grace period; see the docstring
        return result

    def _replace(
        self, session: Session, package: Package, new: list[dict[str, Any]], seen: Package | None
    ) -> tuple[Package, Package | None]:
        """The dataset's row and resources replaced, if the caller saw the current version."""
        name = package["name"]
        current = session.scalar(
            select(PackageRow).where(PackageRow.name == name).with_for_update()
        )
        before = dict(current.data) if current is not None else None
        if (before or {}).get("metadata_modified") != (seen or {}).get("metadata_modified"):
            raise PackageChanged(name=name)
        now = _now()
        result = _record(package, before, new, _shown(now))
        org = session.get(Organization, result.get("owner_org") or "")
        result["organization"] = {"name": result.get("owner_org"),
                                  "title": org.title if org else "", "type": "organization"}  # fmt: skip
        if current is None:
            current = PackageRow(id=result["id"], name=name)
            session.add(current)
        current.owner_org = org.name if org else None
        current.metadata_modified = now
        current.data = result
        current.search_terms = document(result)
        session.execute(delete(Resource).where(Resource.package_id == result["id"]))
        session.flush()
        session.add_all(resource_rows(result, now))
        retired = [r["id"] for r in (before or {}).get("resources", [])]
        session.add(Activity(package=name, at=now, action="changed package" if before else "new package",
                             data={"extras": package.get("extras", []), RETIRED: retired}))  # fmt: skip
        return result, before

    @contextmanager
    def _writing(self, doing: str, name: str = "") -> Iterator[Session]:
        """A write transaction: a disk fault becomes the data directory's clear error, a
        database that does not answer DatabaseUnavailable, and a lost race to create the
        same name (the unique constraint) a PackageChanged, as a stale write is."""
        try:
            with writing(self.root, doing), self.store.writing() as session:
                yield session
        except IntegrityError:
            raise PackageChanged(name=name) from None
        except OperationalError as exc:
            raise DatabaseUnavailable(url=self.store.url, reason=reason(exc)) from None

    def _store(self, files: list[FileSpec], name: str) -> list[dict[str, Any]]:
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
                resources.append(_resource(rid, position, f, target.stat().st_size, name))
        except OSError as exc:
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
            if not f.path.is_file():  # the source went away: not the data directory's fault
                raise
            raise disk_error(exc, self.files, "publish") from None
        return resources

    def package_delete(self, name: str) -> None:
        """Delete the dataset and its files at once: a deletion is often a retraction
        (data published by mistake), so unlike a replacement it keeps no grace period."""
        self.refuse_if_read_only("delete")
        self.writes += 1
        with self._writing("delete", name) as session:
            current = session.scalar(
                select(PackageRow).where(PackageRow.name == name).with_for_update()
            )
            before = dict(current.data) if current is not None else None
            if current is not None:
                session.delete(current)
            session.add(Activity(package=name, at=_now(), action="deleted package", data={}))
        for resource in (before or {}).get("resources", []):
            shutil.rmtree(self.files / resource["id"], ignore_errors=True)

    def reclaim(self) -> list[str]:
        """Remove the store's folders no dataset points to, once their grace period is over:
        previous versions, and copies left by a publish that was killed or ran out of disk."""
        if self.read_only:
            return []
        with self.store.sessions() as session:
            keep = set(session.scalars(select(Resource.id)))
        try:
            return sweep(self.files, keep, self.grace_seconds)
        except OSError:
            return []  # a clean-up that cannot run now runs at the next publish


def _resource(rid: str, position: int, f: FileSpec, size: int, name: str) -> dict[str, Any]:
    return {
            "id": rid, "name": f.name, "format": f.format, "mimetype": f.mimetype,
            "description": f.description, "url_type": "upload",
            "url": current_file_url(name, f.name),
            "size": size, "position": position}  # fmt: skip


def resource_rows(package: Package, now: datetime) -> list[Resource]:
    return [
        Resource(
            id=r["id"],
            package_id=package["id"],
            position=r["position"],
            name=r["name"],
            format=r["format"],
            mimetype=r.get("mimetype"),
            description=r.get("description") or "",
            size=r["size"],
            path=f"{r['id']}/{r['name']}",
            created=now,
        )  # fmt: skip
        for r in package.get("resources", [])
    ]


def _record(package: Package, before: Package | None, resources: list[dict[str, Any]],
            now: str) -> Package:  # fmt: skip
    """The dataset as package_show answers it (CKAN's shape)."""
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
