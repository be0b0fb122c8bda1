"""Coverage: the DX office's exemptions (not-applicable, with a reason) and the snapshots
kept at each publish and harvest, for the trend (issue 14)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "coverage_exemptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lgcode", sa.String(), nullable=False),
        sa.Column("dataset", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coverage_exemptions"),
        sa.UniqueConstraint("lgcode", "dataset", name="uq_coverage_exemptions_lgcode_dataset"),
    )
    op.create_table(
        "coverage_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("lgcode", sa.String(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("states", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coverage_snapshots"),
    )
    op.create_index(
        "ix_coverage_snapshots_scope_lgcode_at", "coverage_snapshots", ["scope", "lgcode", "at"]
    )


def downgrade() -> None:
    op.drop_index("ix_coverage_snapshots_scope_lgcode_at", table_name="coverage_snapshots")
    op.drop_table("coverage_snapshots")
    op.drop_table("coverage_exemptions")
