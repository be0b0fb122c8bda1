"""The portal's own state as tables: the one description the migrations must agree with.

What each table will hold (issue 11 moves them here from their own SQLite files):
- organizations, packages, resources, activity: the embedded catalogue
  (portal/catalogue/embedded.py). A package's CKAN-shaped record stays whole in `data`
  (what `package_show` answers); the columns beside it are what is looked up, ordered
  or joined on. A resource row names its file by `path`, relative to the file store:
  the files stay on disk (or in object storage), never in the database.
- publish_log: every publish and delete, done or not (portal/catalogue/history.py).
- rows_loaded: which dataset's rows the rows store holds, at which content
  (portal/rows/store.py); the rows themselves stay in their per-standard tables.
- rate_limits: fixed-window counters shared by every `portal serve` (portal/store/ratelimit.py).

The search index is not a model: it is dialect-specific (an FTS5 table kept by triggers on
SQLite, an expression GIN index on PostgreSQL) and made by the migrations alone; see
portal/store/search.py. Its objects all start with SEARCH_PREFIX, so autogenerate leaves
them alone (`modelled`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

SEARCH_PREFIX = "package_search"
ROWS_TABLE_PREFIX = "std__"  # the rows store's per-standard tables: data, made at load time
VERSION_TABLE = "alembic_version"

# Constraint names the same on every back end, so a later migration can name what it drops.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON documents: JSONB on PostgreSQL (indexable, compact), JSON text on SQLite.
JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC, aware on the way out on every back end.

    SQLite has no time zones: it stores the UTC wall time; PostgreSQL stores a timestamptz.
    A naive value going in is refused: its zone would be a guess."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime cannot be stored: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dict[str, Any]: JSON_DOCUMENT,
        list[str]: JSON_DOCUMENT,
        datetime: UtcDateTime(),
        str: String(),
    }


class Organization(Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    created: Mapped[datetime]


class Package(Base):
    __tablename__ = "packages"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    owner_org: Mapped[str | None] = mapped_column(ForeignKey("organizations.name"), index=True)
    metadata_modified: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict[str, Any]]
    # The search document: index terms (portal.search.index.terms), space-separated. The
    # search index follows it by itself (triggers / an expression index): write it with the row.
    search_terms: Mapped[str] = mapped_column(Text, default="")


class Resource(Base):
    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("package_id", "position"),)

    id: Mapped[str] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(ForeignKey("packages.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str]
    format: Mapped[str]
    mimetype: Mapped[str | None]
    description: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str]  # in the file store, relative: "<resource id>/<file name>"
    created: Mapped[datetime]


class Activity(Base):
    """What happened to a dataset; kept when the dataset is deleted (no foreign key)."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_package_at", "package", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package: Mapped[str]
    at: Mapped[datetime]
    action: Mapped[str]
    data: Mapped[dict[str, Any]]


class PublishLogEntry(Base):
    """One publish or delete, done or failed: who (the OS account), when, what, the result."""

    __tablename__ = "publish_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    who: Mapped[str]
    catalogue: Mapped[str]
    package: Mapped[str] = mapped_column(index=True)
    action: Mapped[str]
    outcome: Mapped[str]
    content_hash: Mapped[str | None]
    valid: Mapped[bool]
    errors: Mapped[int | None]
    warnings: Mapped[int | None]
    report: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")


class RowsLoaded(Base):
    """A dataset whose rows the rows store holds, and the content they were loaded from."""

    __tablename__ = "rows_loaded"

    name: Mapped[str] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(index=True)  # the standard dataset (and version)
    slug: Mapped[str]
    lgcode: Mapped[str]
    content_hash: Mapped[str]
    rows: Mapped[int]
    fields: Mapped[list[str]]
    loaded_at: Mapped[datetime]


class RateLimit(Base):
    """A fixed-window counter: `count` hits of `key` since `window_start` (epoch seconds)."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(primary_key=True)
    window_start: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    count: Mapped[int]


def modelled(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name: what autogenerate compares (not the search index's objects,
    nor the rows store's tables and their indexes, which loading a dataset makes)."""
    return not (name or "").startswith((SEARCH_PREFIX, ROWS_TABLE_PREFIX))
