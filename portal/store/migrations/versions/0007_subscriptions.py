"""Subscriptions: civic-tech webhooks per dataset or standard and their delivery history (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass  # placeholder: the tables come with the issue-15 work that owns this migration


def downgrade() -> None:
    pass
