"""An upload's row: read with the actor's right to it checked, shown as the `Upload` view,
and the organization facts the flow needs (its municipality, whether it needs approval)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.auth import Actor
from portal.accounts.models import AccountOrg
from portal.catalogue.metadata import DatasetMetadata
from portal.localgov import is_valid
from portal.standards import Registry
from portal.submissions import preview, recipes
from portal.submissions.errors import UploadNotFound, WrongState
from portal.submissions.models import UploadRow
from portal.submissions.views import Candidate, Doubt, Links, Upload

LIST_MAX = 200  # uploads listed at once

# What each action needs the upload to be in, and its words for the refusal.
ALLOWED = {
    "choose": (("needs-choice", "draft"), "choose a dataset", "データセットの選択"),
    "edit": (("draft",), "edited", "編集"),
    "preview": (("draft", "submitted"), "previewed", "プレビュー"),
    "submit": (("draft",), "submitted", "提出"),
    "withdraw": (("submitted",), "withdrawn", "取り下げ"),
    "publish": (("draft", "submitted"), "published", "公開"),
}


def now() -> datetime:
    return datetime.now(UTC)


def load(session: Session, actor: Actor, upload_id: str, role: str, doing: str) -> UploadRow:
    """The upload, if the actor holds `role` in its organization (403 forbidden otherwise)."""
    row = session.get(UploadRow, upload_id) if upload_id.isalnum() else None
    if row is None:
        raise UploadNotFound(id=upload_id[:64])
    actor.require(role, row.org, doing)
    return row


def expect(row: UploadRow, action: str, states: tuple[str, ...] | None = None) -> None:
    allowed, en, ja = ALLOWED[action]
    allowed = states or allowed
    if row.state not in allowed:
        raise WrongState(id=row.id, state=row.state, doing=en, doing_ja=ja,
                         allowed=", ".join(allowed))  # fmt: skip


def organization(session: Session, org: str, actor: Actor) -> tuple[str | None, bool]:
    """The organization's municipality code (the publisher) and whether its uploads need
    an approver; an organization accounts do not know needs approval."""
    found = session.get(AccountOrg, org)
    parent = found.parent if found is not None else actor.parents.get(org)
    code = org if is_valid(org) else parent if parent and is_valid(parent) else None
    return code, found.approval_required if found is not None else True


def last_published(session: Session, org: str, dataset: str) -> UploadRow | None:
    """The organization's last published upload of `dataset`: next month's recipe."""
    query = (
        select(UploadRow)
        .where(UploadRow.org == org, UploadRow.dataset == dataset, UploadRow.state == "published")
        .order_by(UploadRow.updated_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def listing(session: Session, visible: Collection[str], org: str | None) -> list[UploadRow]:
    """The newest LIST_MAX uploads of the `visible` organizations (of `org` only, if given):
    filtered before the limit, so other organizations' uploads never crowd them out."""
    wanted = [o for o in visible if org is None or o == org]
    query = (select(UploadRow).where(UploadRow.org.in_(wanted))
             .order_by(UploadRow.created_at.desc()).limit(LIST_MAX))  # fmt: skip
    return list(session.scalars(query))


def metadata_of(row: UploadRow) -> DatasetMetadata:
    block = recipes.data_of(row.recipe).get("metadata") if row.recipe else None
    return DatasetMetadata.parse(block) if isinstance(block, dict) else DatasetMetadata()


def view(row: UploadRow, registry: Registry) -> Upload:
    report: dict[str, Any] = row.report or {}
    current = bool(report) and report.get("recipe_hash") == recipes.text_hash(row.recipe or "")
    title = registry.get(row.dataset).title_ja if row.dataset else None
    return Upload(
        id=row.id, org=row.org, state=row.state,  # type: ignore[arg-type]
        file_name=row.file_name, file_format=row.file_format, size=row.size,
        content_hash=row.content_hash, created_by=row.created_by, created_at=row.created_at,
        updated_at=row.updated_at, dataset=row.dataset, dataset_title=title,
        confidence=row.confidence, candidates=[Candidate(**c) for c in row.candidates],
        doubts=[Doubt(**d) for d in (row.suggested or {}).get(recipes.DOUBTS, [])],
        reused_from=row.reused_from,
        mapping=recipes.mapping(row.recipe, registry, row.suggested) if row.recipe else None,
        metadata=metadata_of(row).to_dict() if row.recipe else None,
        report=preview.summary(report) if current and "valid" in report else None,
        conversion_error=report.get("failed") if current else None,
        submitted_by=row.submitted_by, published_by=row.published_by,
        needs_fix_reason=row.needs_fix_reason, links=links(row.published_name),
    )  # fmt: skip


def links(name: str | None) -> Links | None:
    if name is None:
        return None
    api = f"/api/v1/datasets/{name}"
    return Links(name=name, page=f"/datasets/{name}", api=api, csv=f"{api}/download.csv")
