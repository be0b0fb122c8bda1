"""Tables of accounts (issue 12): the audit log, organizations of accounts, users, roles,
API tokens, sessions, login throttling and the portal's shared secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.store.models import Base


class AuditEntry(Base):
    """One write: who (the account, or `system`), when, for which organization, what was
    done to what, with the content's hash when content was written."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_at", "org", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    org: Mapped[str | None]
    action: Mapped[str]  # login, login-failed, upload, recipe, metadata, submit, publish, …
    target: Mapped[str] = mapped_column(Text, default="")  # an upload id, a dataset name, a user
    content_hash: Mapped[str | None]
    detail: Mapped[dict[str, Any]]


class AccountOrg(Base):
    """An organization accounts act for: a municipality (its 6-digit code, `parent` None) or
    one of its departments (`222127-bousai`, `parent` the municipality). The catalogue's own
    `organizations` are the publishers; these are who may do what."""

    __tablename__ = "account_orgs"

    code: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str]
    parent: Mapped[str | None] = mapped_column(ForeignKey("account_orgs.code"))
    # The city's two-step approval (担当者 submits, 所属長 approves); a city may switch it off.
    approval_required: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(unique=True)
    display_name: Mapped[str] = mapped_column(default="")
    password_hash: Mapped[str]  # argon2id, argon2-cffi's PasswordHasher
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime]


class Membership(Base):
    """A user's role in one organization (viewer, editor, approver, admin)."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org: Mapped[str] = mapped_column(ForeignKey("account_orgs.code"), primary_key=True)
    role: Mapped[str]


class ApiToken(Base):
    """A script's token: only its SHA-256 is kept (the token itself is shown once), with a
    short prefix to tell tokens apart in a listing. It acts for one organization."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org: Mapped[str] = mapped_column(ForeignKey("account_orgs.code"))
    prefix: Mapped[str]
    token_hash: Mapped[str] = mapped_column(unique=True)
    created: Mapped[datetime]
    last_used: Mapped[datetime | None]
    revoked: Mapped[datetime | None]


class UserSession(Base):
    """A signed-in browser: the cookie holds a random id, the table its SHA-256, so a logout
    or a disabled account ends it on every server at once."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created: Mapped[datetime]
    expires: Mapped[datetime] = mapped_column(index=True)


class LoginThrottle(Base):
    """Failed sign-ins of one account name (known or not, so that a lock tells nothing of
    which names exist): `failures` since `window_start`, and when a lock ends."""

    __tablename__ = "login_throttle"

    name: Mapped[str] = mapped_column(primary_key=True)
    failures: Mapped[int]
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class PortalSecret(Base):
    """A secret made once and shared by every server of the portal (the CSRF key when
    PORTAL_SECRET_KEY is unset)."""

    __tablename__ = "portal_secrets"

    name: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]
