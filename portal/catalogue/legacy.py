"""What portals before the state store kept in their own SQLite files, brought into the
portal's database once: the embedded catalogue (PORTAL_DATA_DIR/catalogue/catalogue.sqlite)
and the publish log (PORTAL_DATA_DIR/publish-log.sqlite).

An installation upgraded in place keeps what it published: the first `Portal.open` finds
the old files beside an empty database, copies their rows in one transaction, and renames
each file to `*.imported` (kept as a backup, never read again). The files under
catalogue/files are where they were.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.catalogue.embedded import TIME_FORMAT, resource_rows
from portal.catalogue.history import LogEntry
from portal.datadir import connect_read_only
from portal.search.index import document
from portal.store import Store
from portal.store.models import Activity, Organization, PublishLogEntry
from portal.store.models import Package as PackageRow

log = logging.getLogger(__name__)
CATALOGUE_FILE = Path("catalogue") / "catalogue.sqlite"  # under the data directory
PUBLISH_LOG_FILE = Path("publish-log.sqlite")


def import_legacy(store: Store, data_dir: Path) -> dict[str, int]:
    """Rows imported per table; {} when there was nothing to import (the usual case)."""
    catalogue, publishes = data_dir / CATALOGUE_FILE, data_dir / PUBLISH_LOG_FILE
    if store.read_only or not (catalogue.is_file() or publishes.is_file()):
        return {}
    counts: dict[str, int] = {}
    with store.writing() as session:
        if catalogue.is_file() and not session.scalar(select(func.count(PackageRow.id))):
            counts |= _import_catalogue(session, catalogue)
        if publishes.is_file() and not session.scalar(select(func.count(PublishLogEntry.id))):
            counts["publish_log"] = _import_publish_log(session, publishes)
    for old in (catalogue, publishes):
        if old.is_file():
            old.rename(old.with_name(old.name + ".imported"))
    log.warning("imported into %s from the files of an earlier portal: %s", store.url, counts)
    return counts


def _import_catalogue(session: Session, path: Path) -> dict[str, int]:
    db = connect_read_only(path)
    try:
        orgs = db.execute("SELECT name, title, created FROM organizations").fetchall()
        packages = [json.loads(d) for (d,) in db.execute("SELECT data FROM packages")]
        activity = db.execute("SELECT package, at, action, data FROM activity").fetchall()
    finally:
        db.close()
    session.add_all(Organization(name=n, title=t, created=_moment(c)) for n, t, c in orgs)
    session.flush()
    for package in packages:
        modified = _moment(package["metadata_modified"])
        session.add(PackageRow(id=package["id"], name=package["name"], owner_org=package.get("owner_org"),
                               metadata_modified=modified, data=package, search_terms=document(package)))  # fmt: skip
        session.flush()
        session.add_all(resource_rows(package, modified))
    session.add_all(Activity(package=p, at=_moment(at), action=a, data=json.loads(d))
                    for p, at, a, d in activity)  # fmt: skip
    return {"organizations": len(orgs), "packages": len(packages), "activity": len(activity)}


def _import_publish_log(session: Session, path: Path) -> int:
    db = connect_read_only(path)
    try:
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM publishes ORDER BY rowid")]
    finally:
        db.close()
    fields = LogEntry.__dataclass_fields__
    for row in rows:
        entry: dict[str, Any] = {k: row.get(k) for k in fields}
        entry["report"], entry["message"] = entry["report"] or "", entry["message"] or ""
        entry["valid"] = bool(entry["valid"])
        session.add(PublishLogEntry(at=_moment(row["at"]), **entry))
    return len(rows)


def _moment(text: str) -> datetime:
    """A time as the old files wrote it: ISO 8601, with or without a zone (then UTC)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.strptime(text, TIME_FORMAT)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
