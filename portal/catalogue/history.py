"""The publish log: every publish and delete, done or not — who, when, what, with which result.

It lives in the portal's database (portal/store, table publish_log), so every machine that
publishes to one portal writes one log, and `portal history` reads it from any of them.
`who` is the account that published (the OS account until the portal has its own), which
the public catalogue does not show: the log is never served by the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from portal.store import Store
from portal.store.models import PublishLogEntry


@dataclass(frozen=True)
class LogEntry:
    """One line of the log, as `publish` and `delete` write it."""

    who: str
    catalogue: str  # its kind and where: "embedded /srv/portal/catalogue", "ckan https://…"
    package: str
    action: str  # create | update | unchanged | delete
    outcome: str  # done | unchanged | planned | failed
    content_hash: str | None
    valid: bool
    errors: int | None
    warnings: int | None
    report: str = ""  # the validation report's path, on the publisher's machine
    message: str = ""  # why it failed


class PublishLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, entry: LogEntry) -> None:
        with self.store.writing() as session:
            session.add(PublishLogEntry(at=datetime.now(UTC), **asdict(entry)))

    def entries(self, package: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The newest first: each entry's fields and `at` (UTC, ISO 8601, to the second)."""
        query = select(PublishLogEntry).order_by(PublishLogEntry.id.desc()).limit(limit)
        if package:
            query = query.where(PublishLogEntry.package == package)
        with self.store.sessions() as session:
            return [_shown(row) for row in session.scalars(query)]


def _shown(row: PublishLogEntry) -> dict[str, Any]:
    fields = {name: getattr(row, name) for name in LogEntry.__dataclass_fields__}
    return {"at": row.at.isoformat(timespec="seconds"), **fields}
