"""The audit log: every write through the browser, the API or `portal users` — who, when,
which organization, what, and the content hash. Admins read it (`portal audit`, the admin
page); the public API never shows it (it names people's accounts)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import AuditEntry
from portal.store import Store


def record(session: Session, actor: str, action: str, *, org: str | None = None,
           target: str = "", content_hash: str | None = None,
           detail: dict[str, Any] | None = None) -> None:  # fmt: skip
    """Add an entry in the caller's transaction: it is kept if, and only if, the write is."""
    session.add(AuditEntry(at=datetime.now(UTC), actor=actor, org=org, action=action,
                           target=target, content_hash=content_hash, detail=detail or {}))  # fmt: skip


def entries(store: Store, *, org: str | None = None, actor: str | None = None,
            limit: int = 100, orgs: Collection[str] | None = None) -> list[AuditEntry]:  # fmt: skip
    """The newest first; of `org`, or of any of `orgs` (a municipality and its departments)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if org is not None:
        query = query.where(AuditEntry.org == org)
    if orgs is not None:
        query = query.where(AuditEntry.org.in_(list(orgs)))
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    with store.sessions() as session:
        return list(session.scalars(query))
