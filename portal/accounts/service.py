"""Accounts as a library: organizations, users, roles and API tokens. `portal users` and the
pages are thin layers over `Accounts`; every change is audited in its own transaction.

`by` is who makes a change, as the audit log names them: an account name, or `cli:<OS user>`
for `portal users`."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.accounts import audit, clock
from portal.accounts.auth import ROLES, Actor
from portal.accounts.errors import (
    DepartmentCodeInvalid,
    NoRoleInOrganization,
    OrganizationExists,
    OrganizationNotFound,
    PasswordTooShort,
    RoleInvalid,
    TokenNotFound,
    TokenOrganizationNeeded,
    UserExists,
    UserNameInvalid,
    UserNotFound,
)
from portal.accounts.models import AccountOrg, ApiToken, Membership, User, UserSession
from portal.localgov import codes
from portal.localgov.directory import Directory
from portal.store import Store

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "pt_"  # tells a portal token apart in a script or a leaked log
TOKEN_BYTES = 32
TOKEN_SHOWN = 11  # the prefix a listing shows: "pt_" and 8 characters
USER_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")
DEPARTMENT = re.compile(r"(?P<parent>\d{6})-[a-z0-9][a-z0-9-]{0,39}")
HASHER = PasswordHasher()  # argon2id with argon2-cffi's current defaults


def token_hash(token: str) -> str:
    """What is kept of a token or a session id: a token has 256 random bits, so a fast hash
    is enough (nothing to guess), and a stolen table holds nothing that signs in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class UserListing:
    name: str
    display_name: str
    disabled: bool
    roles: dict[str, str]
    tokens: list[tuple[str, str, datetime | None]]  # (prefix, org, last used) in use
    created: datetime


class Accounts:
    """Organizations, users, roles and tokens in the portal's database."""

    def __init__(self, store: Store, directory: Directory | None = None) -> None:
        self.store = store
        self.directory = directory  # the titles of municipalities, made on first use

    # Organizations

    def add_department(self, code: str, title: str, parent: str, *, by: str,
                       approval_required: bool = True) -> AccountOrg:  # fmt: skip
        match = DEPARTMENT.fullmatch(code)
        if match is None or match["parent"] != parent:
            raise DepartmentCodeInvalid(code=code, parent=parent)
        with self.store.writing() as session:
            if session.get(AccountOrg, code) is not None:
                raise OrganizationExists(org=code)
            self._organization(session, parent)
            org = AccountOrg(code=code, title=title, parent=parent, created=clock.now(),
                             approval_required=approval_required)  # fmt: skip
            session.add(org)
            audit.record(session, by, "org-add", org=code, target=code,
                         detail={"title": title, "approval_required": approval_required})  # fmt: skip
        return org

    def organizations(self) -> list[AccountOrg]:
        with self.store.sessions() as session:
            return list(session.scalars(select(AccountOrg).order_by(AccountOrg.code)))

    def _organization(self, session: Session, code: str) -> AccountOrg:
        """The organization `code`; a known municipality's is made on first use."""
        found = session.get(AccountOrg, code)
        if found is not None:
            return found
        known = self.directory.get(code) if self.directory and codes.is_valid(code) else None
        if known is None:
            raise OrganizationNotFound(org=code)
        found = AccountOrg(code=code, title=known.full_name, parent=None, created=clock.now(),
                           approval_required=True)  # fmt: skip
        session.add(found)
        session.flush()
        return found

    # Users and roles

    def add_user(self, name: str, password: str, org: str, role: str, *, by: str,
                 display_name: str = "", exist_ok: bool = False) -> None:  # fmt: skip
        """A new account with a role in `org`; with `exist_ok` an existing one gets the
        password and the role instead (what `make run` does for its demo users)."""
        _check_name(name)
        _check_role(role)
        _check_password(password)
        with self.store.writing() as session:
            self._organization(session, org)
            user = _user(session, name, missing_ok=True)
            if user is not None and not exist_ok:
                raise UserExists(name=name)
            if user is None:
                user = User(name=name, display_name=display_name or name, created=clock.now(),
                            password_hash=HASHER.hash(password), disabled=False)  # fmt: skip
                session.add(user)
                session.flush()
                audit.record(session, by, "user-add", org=org, target=name)
            else:
                user.password_hash = HASHER.hash(password)
                audit.record(session, by, "password-set", org=org, target=name)
            session.merge(Membership(user_id=user.id, org=org, role=role))
            audit.record(session, by, "role-grant", org=org, target=name, detail={"role": role})

    def set_password(self, name: str, password: str, *, by: str) -> None:
        """A new password; the account's sessions end (whoever knew the old one is out)."""
        _check_password(password)
        with self.store.writing() as session:
            user = _user(session, name)
            user.password_hash = HASHER.hash(password)
            session.execute(delete(UserSession).where(UserSession.user_id == user.id))
            audit.record(session, by, "password-set", org=home_org(session, user), target=name)

    def grant(self, name: str, org: str, role: str, *, by: str) -> None:
        _check_role(role)
        with self.store.writing() as session:
            self._organization(session, org)
            user = _user(session, name)
            session.merge(Membership(user_id=user.id, org=org, role=role))
            audit.record(session, by, "role-grant", org=org, target=name, detail={"role": role})

    def disable(self, name: str, *, by: str) -> None:
        """The account can no longer sign in: its sessions end and its tokens are revoked."""
        now = clock.now()
        with self.store.writing() as session:
            user = _user(session, name)
            user.disabled = True
            session.execute(delete(UserSession).where(UserSession.user_id == user.id))
            session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                                   ApiToken.revoked.is_(None)).values(revoked=now))  # fmt: skip
            audit.record(session, by, "user-disable", org=home_org(session, user), target=name)

    def users(self) -> list[UserListing]:
        with self.store.sessions() as session:
            found = session.scalars(select(User).order_by(User.name)).all()
            return [_listing(session, user) for user in found]

    # Tokens

    def issue_token(self, name: str, org: str | None = None, *, by: str) -> str:
        """A new token acting for `org` (the account's only organization when not given).
        The token is answered once: only its hash is kept."""
        with self.store.writing() as session:
            user = _user(session, name)
            org = org or _only_org(session, user)
            self._organization(session, org)
            if actor_of(session, user).role_in(org) is None:
                raise NoRoleInOrganization(name=name, org=org)
            token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
            session.add(ApiToken(user_id=user.id, org=org, prefix=token[:TOKEN_SHOWN],
                                 token_hash=token_hash(token), created=clock.now()))  # fmt: skip
            audit.record(session, by, "token-issue", org=org, target=name,
                         detail={"prefix": token[:TOKEN_SHOWN]})  # fmt: skip
        return token

    def revoke_token(self, prefix: str, *, by: str) -> None:
        with self.store.writing() as session:
            found = session.scalars(select(ApiToken).where(ApiToken.prefix == prefix,
                                                           ApiToken.revoked.is_(None))).all()  # fmt: skip
            if len(found) != 1:
                raise TokenNotFound(prefix=prefix)
            found[0].revoked = clock.now()
            owner = session.get(User, found[0].user_id)
            audit.record(session, by, "token-revoke", org=found[0].org,
                         target=owner.name if owner else "", detail={"prefix": prefix})  # fmt: skip


def actor_of(session: Session, user: User, token_org: str | None = None) -> Actor:
    """The user as routes see them: roles per organization, departments' municipalities."""
    memberships = session.scalars(select(Membership).where(Membership.user_id == user.id))
    parents = session.execute(select(AccountOrg.code, AccountOrg.parent)
                              .where(AccountOrg.parent.is_not(None))).all()  # fmt: skip
    return Actor(user_id=user.id, name=user.name, roles={m.org: m.role for m in memberships},
                 token_org=token_org, parents={code: parent for code, parent in parents if parent})  # fmt: skip


def _user(session: Session, name: str, *, missing_ok: bool = False) -> User:
    found = session.scalars(select(User).where(User.name == name)).one_or_none()
    if found is None and not missing_ok:
        raise UserNotFound(name=name)
    return found  # type: ignore[return-value]  # None only with missing_ok


def home_org(session: Session, user: User) -> str | None:
    """The organization an account's own events are filed under: its first (by code)."""
    return session.scalars(select(Membership.org).where(Membership.user_id == user.id)
                           .order_by(Membership.org).limit(1)).first()  # fmt: skip


def _only_org(session: Session, user: User) -> str:
    orgs = list(session.scalars(select(Membership.org).where(Membership.user_id == user.id)))
    if len(orgs) != 1:
        raise TokenOrganizationNeeded(name=user.name, orgs=", ".join(sorted(orgs)) or "none")
    return orgs[0]


def _listing(session: Session, user: User) -> UserListing:
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                    ApiToken.revoked.is_(None))).all()  # fmt: skip
    return UserListing(name=user.name, display_name=user.display_name, disabled=user.disabled,
                       roles=actor_of(session, user).roles, created=user.created,
                       tokens=[(t.prefix, t.org, t.last_used) for t in tokens])  # fmt: skip


def _check_name(name: str) -> None:
    if not USER_NAME.fullmatch(name):
        raise UserNameInvalid(name=name)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise RoleInvalid(role=role, roles=", ".join(ROLES))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(minimum=MIN_PASSWORD_LENGTH)
