"""Coverage kept in the portal's database: the DX office's exemptions and the snapshots a
trend is drawn from (tables in portal/coverage/models.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts import audit
from portal.catalogue.versions import DatasetVersion
from portal.coverage.model import (
    SCOPES,
    CellState,
    Coverage,
    Exemption,
    Snapshot,
    standard_datasets,
)
from portal.coverage.models import CoverageExemption, CoverageSnapshot
from portal.errors import PortalError
from portal.localgov import Directory
from portal.standards import Registry
from portal.store import Store

AUDIT_EXEMPT = "coverage.exempt"  # the audit trail's action
AUDIT_UNEXEMPT = "coverage.unexempt"
MAX_REASON = 500  # characters: a reason is a sentence, not a document


class ExemptionInvalid(PortalError):
    code = "exemption-invalid"
    status = 422
    exit_code = 2
    template_en = "the exemption cannot be recorded: {detail}"
    template_ja = "対象外の設定を記録できません: {detail_ja}"
    hint_en = "give a municipality's 6-digit code, a standard dataset's key (`portal datasets list`) and a reason"
    hint_ja = (
        "6桁の団体コード、標準データセットのキー（`portal datasets list`）と理由を指定してください"
    )


def check_exemption(
    registry: Registry, directory: Directory, lgcode: str, dataset: str, reason: str
) -> None:
    """Refuse an exemption for an organization or dataset coverage does not know, or
    without a reason (the DX office must be able to say why later)."""
    directory.lookup(lgcode)  # raises with the code's own message
    keys = [d.key for d in standard_datasets(registry)]
    if dataset not in keys:
        raise ExemptionInvalid(
            detail=f"'{dataset}' is not a standard dataset coverage counts; one of {', '.join(keys)}",
            detail_ja=f"「{dataset}」はカバレッジの対象の標準データセットではありません（{'、'.join(keys)}）",
        )
    if not reason.strip() or len(reason) > MAX_REASON:
        raise ExemptionInvalid(
            detail=f"the reason must be 1 to {MAX_REASON} characters",
            detail_ja=f"理由は1～{MAX_REASON}文字で入力してください",
        )


def set_exemption(store: Store, lgcode: str, dataset: str, reason: str, who: str) -> Exemption:
    """Recorded, or replaced, and audited in the same transaction."""
    at = datetime.now(UTC)
    with store.writing() as session:
        found = session.scalars(
            select(CoverageExemption).where(
                CoverageExemption.lgcode == lgcode, CoverageExemption.dataset == dataset
            )
        ).one_or_none()
        if found is None:
            found = CoverageExemption(lgcode=lgcode, dataset=dataset)
            session.add(found)
        found.reason, found.who, found.at = reason.strip(), who, at
        audit.record(session, who, AUDIT_EXEMPT, org=lgcode, target=f"{lgcode}/{dataset}",
                     detail={"reason": reason.strip()})  # fmt: skip
    return Exemption(lgcode, dataset, reason.strip(), who, at)


def remove_exemption(store: Store, lgcode: str, dataset: str, who: str) -> bool:
    """Whether there was one to remove; audited."""
    with store.writing() as session:
        found = session.scalars(
            select(CoverageExemption).where(
                CoverageExemption.lgcode == lgcode, CoverageExemption.dataset == dataset
            )
        ).one_or_none()
        if found is not None:
            session.delete(found)
            audit.record(session, who, AUDIT_UNEXEMPT, org=lgcode, target=f"{lgcode}/{dataset}")
        return found is not None


def exemptions(store: Store) -> list[Exemption]:
    query = select(CoverageExemption).order_by(CoverageExemption.lgcode, CoverageExemption.dataset)
    with store.sessions() as session:
        return [
            Exemption(e.lgcode, e.dataset, e.reason, e.who, e.at) for e in session.scalars(query)
        ]


def version_counts(store: Store) -> dict[str, int]:
    """How many versions this portal recorded of each dataset, by package name."""
    query = select(DatasetVersion.name, func.count()).group_by(DatasetVersion.name)
    with store.sessions() as session:
        return {name: int(count) for name, count in session.execute(query)}


def record_snapshot(store: Store, coverage: Coverage, scope: str) -> None:
    """A point of the trend for each organization whose coverage changed since its last one.

    Only changes are written: a publish changes one organization, and writing every
    organization at every publish grew the table with the square of the portal's size (a
    national portal of 1,741 municipalities: 1.5 million rows, 850 MB, and each publish
    slower than the last). `trend` carries each organization's last point forward, so it
    reads as before: every organization at every moment."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    states: dict[str, dict[str, str]] = {o.lgcode: {} for o in coverage.organizations}
    for cell in coverage.cells:
        states[cell.lgcode][cell.dataset] = cell.state.value
    with store.writing() as session:
        last = _latest(session, scope)
        for lgcode, by_dataset in states.items():
            total = sum(s != CellState.NOT_APPLICABLE for s in by_dataset.values())
            covered = sum(s == CellState.VALID for s in by_dataset.values())
            if last.get(lgcode) == (covered, total, by_dataset):
                continue
            session.add(CoverageSnapshot(at=coverage.at, scope=scope, lgcode=lgcode,
                                         covered=covered, total=total, states=by_dataset))  # fmt: skip


def _latest(session: Session, scope: str) -> dict[str, tuple[int, int, dict[str, Any]]]:
    """Each organization's last point in `scope`: (covered, total, states)."""
    last = (select(func.max(CoverageSnapshot.id).label("id"))
            .where(CoverageSnapshot.scope == scope).group_by(CoverageSnapshot.lgcode).subquery())  # fmt: skip
    query = select(CoverageSnapshot).join(last, CoverageSnapshot.id == last.c.id)
    return {s.lgcode: (s.covered, s.total, s.states) for s in session.scalars(query)}


def trend(store: Store, scope: str, lgcodes: Iterable[str] | None) -> list[Snapshot]:
    """Every moment of `scope` (each time a point was written), with every organization
    that had a point by then at its last one (of those organizations, if given)."""
    c = CoverageSnapshot
    query = select(c.at, c.lgcode, c.covered, c.total).where(c.scope == scope)
    if lgcodes is not None:
        query = query.where(c.lgcode.in_(list(lgcodes)))
    moments = select(c.at).where(c.scope == scope).distinct().order_by(c.at)
    with store.sessions() as session:
        points = session.execute(query.order_by(c.at, c.id)).all()
        ats = session.scalars(moments).all()
    current: dict[str, tuple[int, int]] = {}
    out: list[Snapshot] = []
    i = 0
    for at in ats:
        while i < len(points) and points[i].at <= at:
            current[points[i].lgcode] = (points[i].covered, points[i].total)
            i += 1
        out += [Snapshot(at, code, n, total, scope) for code, (n, total) in sorted(current.items())]
    return out
