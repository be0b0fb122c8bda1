"""Tables of accounts (issue 12): the audit log here; users, roles and tokens beside it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import Base


class AuditEntry(Base):
    """One write: who (the account, or `system`), when, for which organization, what was
    done to what, with the content's hash when content was written."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_at", "org", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    org: Mapped[str | None]
    action: Mapped[str]  # login, login-failed, upload, recipe, metadata, submit, publish, …
    target: Mapped[str] = mapped_column(Text, default="")  # an upload id, a dataset name, a user
    content_hash: Mapped[str | None]
    detail: Mapped[dict[str, Any]]
