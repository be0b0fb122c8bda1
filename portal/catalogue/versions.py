"""Versions of published datasets (issue 12): every publish that writes is one, numbered per
dataset, with who (private: the public sees the organization), when, the content hash, rows,
validation and a row-level change summary against the version before; the converted folder is
archived under PORTAL_DATA_DIR/versions/<name>/<number>/ so any version can be downloaded and
published again (rollback: a new version that says which one it restores).

Each file has two addresses: /files/<name>/<file> serves the current version's (the stable URL a
resource's `url` gives, what CKAN clients store), /files/<name>/versions/<number>/<file> that
version's as it was published. Both keep a version's files in one folder, so the relative paths
of its datapackage.json resolve from its URL.

The change summary is portal/catalogue/changes.py's (by ID, else whole rows; flat memory).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Index, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.accounts import audit
from portal.accounts.auth import Actor
from portal.catalogue.base import PackageMissing
from portal.catalogue.changes import ID_FIELD as ID_FIELD  # re-exported (subscriptions)
from portal.catalogue.changes import compare
from portal.errors import PortalError
from portal.store import Store
from portal.store.models import Base

if TYPE_CHECKING:
    from portal.catalogue.publish import Published, Publisher


class DatasetVersion(Base):
    __tablename__ = "dataset_versions"
    __table_args__ = (
        UniqueConstraint("name", "number", name="uq_dataset_versions_name_number"),
        Index("ix_dataset_versions_name", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str]
    number: Mapped[int]
    at: Mapped[datetime]
    who: Mapped[str]  # the account or OS user: never shown by the public API
    org: Mapped[str]  # what the public sees instead
    content_hash: Mapped[str]
    rows: Mapped[int]
    valid: Mapped[bool]
    errors: Mapped[int]
    added: Mapped[int]
    removed: Mapped[int]
    changed: Mapped[int]
    compared_by: Mapped[str] = mapped_column(String)  # id | row | none (the first version)
    rollback_of: Mapped[int | None]


class VersionNotFound(PortalError):
    code = "version-not-found"
    status = 404
    exit_code = 2
    template_en = "{name} has no version {number}"
    template_ja = "{name} に版 {number} はありません"
    hint_en = "GET /api/v1/datasets/{name}/versions lists its versions"
    hint_ja = "版の一覧は GET /api/v1/datasets/{name}/versions で確認できます"


VERSIONS_DIR = "versions"  # under the data directory: <name>/<number>/ per version


def versions(store: Store, name: str) -> list[DatasetVersion]:
    """The dataset's versions, newest first."""
    with store.writing() as session:
        found = session.scalars(
            select(DatasetVersion)
            .where(DatasetVersion.name == name)
            .order_by(DatasetVersion.number.desc())
        ).all()
        session.expunge_all()
        return list(found)


def public_view(version: DatasetVersion) -> dict[str, Any]:
    """A version as the public API and page show it: the organization, never the person."""
    return {
        "number": version.number,
        "at": version.at.astimezone(UTC).isoformat(timespec="seconds"),
        "organization": version.org,
        "rows": version.rows,
        "validation": {"valid": version.valid, "errors": version.errors},
        "changes": {"added": version.added, "removed": version.removed,
                    "changed": version.changed, "compared_by": version.compared_by},
        "rollback_of": version.rollback_of,
        "content_hash": version.content_hash,
        "datapackage_url": version_file_url(version.name, version.number, "datapackage.json"),
    }  # fmt: skip


def version_folder(archive: Path, name: str, number: int) -> Path:
    return archive / name / str(number)


def current_file_url(name: str, filename: str) -> str:
    """The stable address of the dataset's file: always the current version's."""
    return f"/files/{quote(name)}/{quote(filename)}"


def version_file_url(name: str, number: int, filename: str) -> str:
    """The address of the file as version `number` published it."""
    return f"/files/{quote(name)}/versions/{number}/{quote(filename)}"


def archived_file(
    store: Store, archive: Path, name: str, number: int, filename: str
) -> Path | None:
    """A file of version `number` as it was published; None when that version had no such
    file (VersionNotFound when there is no such version)."""
    if not any(v.number == number for v in versions(store, name)):
        raise VersionNotFound(name=name, number=number)
    path = version_folder(archive, name, number) / filename
    try:
        return path if filename not in (".", "..") and path.is_file() else None
    except OSError:  # a name over the file system's limit names no file
        return None


def version_file(store: Store, archive: Path, name: str, number: int) -> Path:
    """The CSV of version `number` as it was published (VersionNotFound otherwise)."""
    if not any(v.number == number for v in versions(store, name)):
        raise VersionNotFound(name=name, number=number)
    folder = version_folder(archive, name, number)
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except OSError:
        raise VersionNotFound(name=name, number=number) from None
    return folder / package["resources"][0]["path"]


def record(published: Published, publisher: Publisher, who: str, rollback_of: int | None) -> int:
    """Archive what `published` wrote and record it as the dataset's next version; its number."""
    assert publisher.archive is not None
    the_plan = published.plan
    store, name = publisher.log.store, the_plan.name
    stats = the_plan.converted.validation["stats"]
    earlier = versions(store, name)
    number = (earlier[0].number + 1) if earlier else 1
    target = version_folder(publisher.archive, name, number)
    shutil.rmtree(target, ignore_errors=True)  # a copy an interrupted publish left
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(the_plan.converted.folder, target)
    before = (
        _csv_of(version_folder(publisher.archive, name, earlier[0].number)) if earlier else None
    )
    changes = compare(before, _csv_of(target))
    with store.writing() as session:
        session.add(DatasetVersion(
            name=name, number=number, at=datetime.now(UTC), who=who,
            org=the_plan.package["owner_org"], content_hash=the_plan.digest, rows=stats["rows"],
            valid=the_plan.valid, errors=stats["errors"], added=changes.added,
            removed=changes.removed, changed=changes.changed, compared_by=changes.compared_by,
            rollback_of=rollback_of,
        ))  # fmt: skip
    return number


def _csv_of(folder: Path) -> Path | None:
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        return folder / package["resources"][0]["path"]
    except (OSError, ValueError, KeyError, IndexError):
        return None


def rollback_by(actor: Actor, name: str, number: int, publisher: Publisher) -> Published:
    """A rollback asked by a signed-in approver of the dataset's organization (403 otherwise),
    recorded in the audit log; the API and the history page both call this."""
    package = publisher.catalogue.public_show(name)
    if package is None:
        raise PackageMissing(name=name)
    org = package.get("owner_org") or ""
    actor.require("approver", org, "rollback")
    published = rollback(name, number, publisher, actor.name)
    with publisher.log.store.writing() as session:
        audit.record(session, actor.name, "rollback", org=org, target=name,
                     content_hash=published.plan.digest,
                     detail={"to": number, "version": published.version})  # fmt: skip
    return published


def rollback(name: str, number: int, publisher: Publisher, who: str) -> Published:
    """Publish version `number` again: a new version that says it restores `number`."""
    from portal.catalogue.publish import Options, publish

    assert publisher.archive is not None
    if not any(v.number == number for v in versions(publisher.log.store, name)):
        raise VersionNotFound(name=name, number=number)
    folder = version_folder(publisher.archive, name, number)
    # It was published once as it is: invalid or empty, it was allowed then.
    options = Options(who=who, allow_invalid=True, allow_empty=True, rollback_of=number)
    return publish(folder, publisher, options)
