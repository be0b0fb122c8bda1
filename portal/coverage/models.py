"""Tables of coverage (issue 14): the DX office's exemptions and the snapshots of coverage
kept at each publish and each harvest (migration 0005)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import Base


class CoverageExemption(Base):
    """A dataset that does not apply to an organization (a town with no 公衆無線LAN), with why
    and who said so. One per (organization, dataset): set again, it is replaced."""

    __tablename__ = "coverage_exemptions"
    __table_args__ = (
        UniqueConstraint("lgcode", "dataset", name="uq_coverage_exemptions_lgcode_dataset"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lgcode: Mapped[str]
    dataset: Mapped[str]  # the standard's key: aed
    reason: Mapped[str] = mapped_column(Text)
    who: Mapped[str]  # the account, or cli:<os user>
    at: Mapped[datetime]


class CoverageSnapshot(Base):
    """One organization's coverage at a moment: a point of its trend. `states` keeps each
    dataset's state then ({"aed": "published-valid", …}), for a history by dataset."""

    __tablename__ = "coverage_snapshots"
    __table_args__ = (Index("ix_coverage_snapshots_scope_lgcode_at", "scope", "lgcode", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    scope: Mapped[str]  # local | region
    lgcode: Mapped[str]
    covered: Mapped[int]
    total: Mapped[int]  # applicable datasets
    states: Mapped[dict[str, Any]]
