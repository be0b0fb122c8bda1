"""Jobs: the background work's state (connector intakes, subscriber deliveries), queryable by id (issue 15)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass  # placeholder: the tables come with the issue-15 work that owns this migration


def downgrade() -> None:
    pass
