"""Uploads: a department's file, its mapping (recipe), metadata, report and state, from draft to published (issue 12)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("org", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("file_format", sa.String(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("dataset", sa.String(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("candidates", JSON_DOCUMENT, nullable=False),
        sa.Column("suggested", JSON_DOCUMENT, nullable=False),
        sa.Column("recipe", sa.Text(), nullable=True),
        sa.Column("reused_from", sa.String(), nullable=True),
        sa.Column("meta", JSON_DOCUMENT, nullable=True),
        sa.Column("report", JSON_DOCUMENT, nullable=True),
        sa.Column("submitted_by", sa.String(), nullable=True),
        sa.Column("published_by", sa.String(), nullable=True),
        sa.Column("published_name", sa.String(), nullable=True),
        sa.Column("needs_fix_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
    )
    op.create_index("ix_uploads_org_dataset_state", "uploads", ["org", "dataset", "state"])


def downgrade() -> None:
    op.drop_table("uploads")
