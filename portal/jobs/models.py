"""The `jobs` table (migration 0006): one row per piece of background work, its state and
its outcome, so an API client holding the job's id can follow it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import Base


class JobRow(Base):
    """A job: what to do (`kind`, `payload`), its idempotency `key` (unique per kind), where
    it stands (`state`, `attempts`) and how it ended (`result` or `error`)."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_jobs_kind_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    kind: Mapped[str]
    key: Mapped[str | None]
    state: Mapped[str] = mapped_column(index=True)  # queued | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any] | None]
    error: Mapped[dict[str, Any] | None]
    created: Mapped[datetime]
    updated: Mapped[datetime]
    owner: Mapped[str | None]
