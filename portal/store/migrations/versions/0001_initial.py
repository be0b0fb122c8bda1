"""The portal's state: catalogue, publish log, rows loaded, rate limits, and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-12-04

Types are spelled out here, not imported from the models: a migration describes the
schema as it was when written, whatever the models say later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MOMENT = sa.DateTime(timezone=True)

# The search index (see portal/store/search.py), kept in step with packages.search_terms by
# the database itself. SQLite: an FTS5 table of bigram terms (as portal/search/index.py),
# fed by triggers; the insert trigger clears the name first, because INSERT OR REPLACE
# deletes the old row without firing delete triggers.
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE package_search USING fts5(name UNINDEXED, terms, tokenize='unicode61')",
    """CREATE TRIGGER package_search_insert AFTER INSERT ON packages BEGIN
        DELETE FROM package_search WHERE name = new.name;
        INSERT INTO package_search (name, terms) VALUES (new.name, new.search_terms);
    END""",
    """CREATE TRIGGER package_search_update AFTER UPDATE OF name, search_terms ON packages BEGIN
        DELETE FROM package_search WHERE name = old.name;
        INSERT INTO package_search (name, terms) VALUES (new.name, new.search_terms);
    END""",
    """CREATE TRIGGER package_search_delete AFTER DELETE ON packages BEGIN
        DELETE FROM package_search WHERE name = old.name;
    END""",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS package_search_delete",
    "DROP TRIGGER IF EXISTS package_search_update",
    "DROP TRIGGER IF EXISTS package_search_insert",
    "DROP TABLE IF EXISTS package_search",
]
# PostgreSQL: the same terms as a tsvector under the 'simple' configuration (each
# space-separated term one lexeme, nothing stemmed or dropped), GIN-indexed. Needs no
# extension; pg_trgm would not do: a two-character query (焼津) has no trigram to look up.
POSTGRESQL_SEARCH = [
    "CREATE INDEX package_search_terms ON packages"
    " USING gin (to_tsvector('simple'::regconfig, search_terms))",
]
POSTGRESQL_SEARCH_DROP = ["DROP INDEX IF EXISTS package_search_terms"]


def upgrade() -> None:
    _catalogue()
    _resources_and_activity()
    _logs()
    _search(SQLITE_SEARCH, POSTGRESQL_SEARCH)


def downgrade() -> None:
    _search(SQLITE_SEARCH_DROP, POSTGRESQL_SEARCH_DROP)
    for table in ("rate_limits", "rows_loaded", "publish_log", "activity", "resources"):
        op.drop_table(table)
    op.drop_table("packages")
    op.drop_table("organizations")


def _catalogue() -> None:
    op.create_table(
        "organizations",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("created", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_organizations"),
    )
    op.create_table(
        "packages",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("owner_org", sa.String(), nullable=True),
        sa.Column("metadata_modified", MOMENT, nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=False),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_org"], ["organizations.name"], name="fk_packages_owner_org_organizations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_packages"),
        sa.UniqueConstraint("name", name="uq_packages_name"),
    )
    op.create_index("ix_packages_metadata_modified", "packages", ["metadata_modified"])
    op.create_index("ix_packages_owner_org", "packages", ["owner_org"])


def _resources_and_activity() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("package_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("mimetype", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("created", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["packages.id"],
            name="fk_resources_package_id_packages",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_resources"),
        sa.UniqueConstraint("package_id", "position", name="uq_resources_package_id_position"),
    )
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("package", sa.String(), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_activity"),
    )
    op.create_index("ix_activity_package_at", "activity", ["package", "at"])


def _logs() -> None:
    op.create_table(
        "publish_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("catalogue", sa.String(), nullable=False),
        sa.Column("package", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=True),
        sa.Column("warnings", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publish_log"),
    )
    op.create_index("ix_publish_log_package", "publish_log", ["package"])
    op.create_table(
        "rows_loaded",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("lgcode", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("fields", JSON_DOCUMENT, nullable=False),
        sa.Column("loaded_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_rows_loaded"),
    )
    op.create_index("ix_rows_loaded_key", "rows_loaded", ["key"])
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limits"),
    )
    op.create_index("ix_rate_limits_expires_at", "rate_limits", ["expires_at"])


def _search(sqlite: list[str], postgresql: list[str]) -> None:
    dialect = op.get_bind().dialect.name
    statements = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect)
    if statements is None:
        raise NotImplementedError(f"no search index for the {dialect} back end")
    for statement in statements:
        op.execute(statement)
