"""Subscriptions: civic-tech webhooks per dataset or standard and their delivery history (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscriber_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("key_hash", sa.String(), nullable=False),
        sa.Column("created", MOMENT, nullable=False),
        sa.Column("revoked", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_subscriber_keys"),
        sa.UniqueConstraint("key_hash", name="uq_subscriber_keys_key_hash"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(), nullable=False),
        sa.Column("portal_url", sa.String(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", MOMENT, nullable=True),
        sa.Column("created", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["key_id"], ["subscriber_keys.id"],
            name="fk_subscriptions_key_id_subscriber_keys", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )  # fmt: skip
    op.create_index("ix_subscriptions_key_id", "subscriptions", ["key_id"])
    op.create_index("ix_subscriptions_scope_target", "subscriptions", ["scope", "target"])
    op.create_table(
        "subscription_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(), nullable=False),
        sa.Column("dataset", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["subscriptions.id"],
            name="fk_subscription_deliveries_subscription_id_subscriptions", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_subscription_deliveries"),
    )  # fmt: skip
    op.create_index(
        "ix_subscription_deliveries_subscription_id_at",
        "subscription_deliveries",
        ["subscription_id", "at"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_subscription_deliveries_subscription_id_at", table_name="subscription_deliveries"
    )
    op.drop_table("subscription_deliveries")
    op.drop_index("ix_subscriptions_scope_target", table_name="subscriptions")
    op.drop_index("ix_subscriptions_key_id", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_table("subscriber_keys")
