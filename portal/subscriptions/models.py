"""Tables of subscriptions (issue 15, migration 0007): the keys the portal issues to
subscribers, their webhooks, and every delivery attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import Base


class SubscriberKey(Base):
    """A subscriber's API key, issued by an admin (`portal subscriptions key-add`): only its
    SHA-256 is kept (the key is shown once), with a short prefix to tell keys apart."""

    __tablename__ = "subscriber_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str]  # who holds it: a group's or a person's name, for the admin
    prefix: Mapped[str]
    key_hash: Mapped[str] = mapped_column(unique=True)
    created: Mapped[datetime]
    revoked: Mapped[datetime | None]


class Subscription(Base):
    """A webhook for one dataset (`scope` dataset, `target` its name) or every dataset of a
    standard (`scope` standard, `target` its slug). The secret signs the notices: it must be
    kept as it is (a hash could not sign), and is answered only once, when made."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_scope_target", "scope", "target"),)

    id: Mapped[str] = mapped_column(primary_key=True)  # uuid4 hex: unguessable
    key_id: Mapped[int] = mapped_column(
        ForeignKey("subscriber_keys.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str]  # dataset | standard
    target: Mapped[str]
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str]
    portal_url: Mapped[str]  # the portal's address as the subscriber reached it: the notices' links
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive failed attempts
    disabled_at: Mapped[datetime | None]
    created: Mapped[datetime]


class Delivery(Base):
    """One attempt to deliver the notice of `dataset`'s `version`: its HTTP status (None when
    no answer came) and the error, if any."""

    __tablename__ = "subscription_deliveries"
    __table_args__ = (
        Index("ix_subscription_deliveries_subscription_id_at", "subscription_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    dataset: Mapped[str]
    version: Mapped[int]
    attempt: Mapped[int]
    at: Mapped[datetime]
    ok: Mapped[bool]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
