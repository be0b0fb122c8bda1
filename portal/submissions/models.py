"""Tables of the upload flow (issue 12): one row per upload, from its file to its publish.

The uploaded file, its recipe file and its staging conversion live on disk under
<data dir>/uploads/<id>/ (portal.submissions.files), outside the public file store; the
row holds what is looked up and the recipe's text (the truth: the file is written from it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import JSON_DOCUMENT, Base


class UploadRow(Base):
    __tablename__ = "uploads"
    # The last published upload of a dataset in an organization: next month's recipe.
    __table_args__ = (Index("ix_uploads_org_dataset_state", "org", "dataset", "state"),)

    id: Mapped[str] = mapped_column(primary_key=True)  # random: an id reveals nothing
    org: Mapped[str]
    state: Mapped[str]  # needs-choice | draft | submitted | published
    file_name: Mapped[str]  # sanitised
    file_format: Mapped[str]  # csv | xlsx | xls | ods, from the content
    size: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str]  # sha256 of the uploaded bytes
    created_by: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    dataset: Mapped[str | None]
    confidence: Mapped[float | None] = mapped_column(Float)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON_DOCUMENT
    )  # [{dataset, title_ja, score, evidence, evidence_ja}], best first
    suggested: Mapped[dict[str, Any]]  # field -> {confidence, reason}; sheet, unused columns
    recipe: Mapped[str | None] = mapped_column(Text)  # the YAML `portal convert` reads
    reused_from: Mapped[str | None]
    meta: Mapped[dict[str, Any] | None]  # the dataset metadata's JSON
    report: Mapped[dict[str, Any] | None]  # the last conversion: summary, of which recipe
    submitted_by: Mapped[str | None]
    published_by: Mapped[str | None]
    published_name: Mapped[str | None]  # the catalogue's dataset name
    needs_fix_reason: Mapped[str | None] = mapped_column(Text)  # 要修正: why published invalid
