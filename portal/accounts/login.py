"""Signing in and who a request is: passwords with a lock after repeated failures, browser
sessions kept in the database, API tokens, and the secret every server shares.

The lock counts failures per account name, known or not, so that it tells nothing of which
names exist; a locked name is refused before its password is even checked."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts import audit, clock
from portal.accounts.auth import Actor
from portal.accounts.errors import AccountLocked, LoginFailed, TokenInvalid
from portal.accounts.models import ApiToken, LoginThrottle, PortalSecret, User, UserSession
from portal.accounts.service import HASHER, actor_of, home_org, token_hash
from portal.store import Store

MAX_FAILURES = 5  # failed sign-ins of one name within FAILURE_WINDOW that lock it
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # a working day: sign in once in the morning
SESSION_BYTES = 32
TOKEN_USE_RESOLUTION = timedelta(minutes=1)  # last_used is written at most this often
MAX_NAME_KEPT = 100  # of a name that failed to sign in, in the throttle and the audit log
SHOWN_ZONE = ZoneInfo("Asia/Tokyo")
# Checked when the name is unknown, so that a wrong name takes as long as a wrong password.
_UNKNOWN_USER_HASH = HASHER.hash(secrets.token_urlsafe(16))


def authenticate(store: Store, name: str, password: str) -> User:
    """The account `name` if `password` is its password and it is neither locked nor
    disabled; otherwise LoginFailed or AccountLocked, the failure counted and audited."""
    name = name.strip()[:MAX_NAME_KEPT]
    now = clock.now()
    with store.writing() as session:
        throttle = session.get(LoginThrottle, name)
        if throttle is not None and throttle.locked_until and throttle.locked_until > now:
            audit.record(session, name, "login-failed", detail={"reason": "locked"})
            refusal: Exception = _locked(throttle.locked_until, now)
        else:
            user = session.scalars(select(User).where(User.name == name)).one_or_none()
            if _verified(user, password) and user is not None:
                _signed_in(session, user, password, throttle)
                return user
            refusal = _failed(session, name, user, throttle, now)
    raise refusal


def _verified(user: User | None, password: str) -> bool:
    try:
        return HASHER.verify(user.password_hash if user else _UNKNOWN_USER_HASH, password) and (
            user is not None and not user.disabled
        )
    except (VerificationError, InvalidHashError):
        return False


def _signed_in(session: Session, user: User, password: str, throttle: LoginThrottle | None) -> None:
    if throttle is not None:
        session.delete(throttle)
    if HASHER.check_needs_rehash(user.password_hash):  # argon2's defaults grew since
        user.password_hash = HASHER.hash(password)
    audit.record(session, user.name, "login", org=home_org(session, user))


def _failed(session: Session, name: str, user: User | None, throttle: LoginThrottle | None,
            now: datetime) -> Exception:  # fmt: skip
    """Count the failure; the error to answer (the lock's if this failure set it)."""
    if throttle is None:
        throttle = LoginThrottle(name=name, failures=0, window_start=now, locked_until=None)
        session.add(throttle)
    if now - throttle.window_start > FAILURE_WINDOW:
        throttle.failures, throttle.window_start, throttle.locked_until = 0, now, None
    throttle.failures += 1
    reason = "unknown" if user is None else "disabled" if user.disabled else "password"
    home = home_org(session, user) if user is not None else None
    audit.record(session, name, "login-failed", org=home,
                 detail={"reason": reason, "failures": throttle.failures})  # fmt: skip
    if throttle.failures >= MAX_FAILURES:
        throttle.locked_until = now + LOCK_DURATION
        return _locked(throttle.locked_until, now)
    return LoginFailed(maximum=MAX_FAILURES, minutes=int(LOCK_DURATION.total_seconds() // 60))


def _locked(until: datetime, now: datetime) -> AccountLocked:
    shown = until.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M JST")
    return AccountLocked(until=shown, retry_after=max(1, int((until - now).total_seconds())))


# Sessions


def start_session(store: Store, user: User) -> str:
    """A new session for `user`: the id for the cookie (only its hash is kept)."""
    session_id = secrets.token_urlsafe(SESSION_BYTES)
    now = clock.now()
    with store.writing() as session:
        session.execute(delete(UserSession).where(UserSession.expires <= now))  # tidy up
        session.add(UserSession(id_hash=token_hash(session_id), user_id=user.id, created=now,
                                expires=now + SESSION_LIFETIME))  # fmt: skip
    return session_id


def end_session(store: Store, session_id: str) -> str | None:
    """End the session (logout); the name of its account, audited, or None if none."""
    with store.writing() as session:
        found = session.get(UserSession, token_hash(session_id))
        if found is None:
            return None
        user = session.get(User, found.user_id)
        session.delete(found)
        if user is None:
            return None
        audit.record(session, user.name, "logout", org=home_org(session, user))
        return user.name


def session_actor(store: Store, session_id: str) -> Actor | None:
    """The signed-in user of a session cookie; None when it ended, expired or is unknown."""
    with store.sessions() as session:
        found = session.get(UserSession, token_hash(session_id))
        if found is None or found.expires <= clock.now():
            return None
        user = session.get(User, found.user_id)
        if user is None or user.disabled:
            return None
        return actor_of(session, user)


def token_actor(store: Store, token: str) -> Actor:
    """The user of an API token, acting for the token's organization; TokenInvalid if the
    token is unknown or revoked, or its account disabled."""
    now = clock.now()
    with store.sessions() as session:
        found = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == token_hash(token))
        ).one_or_none()
        user = session.get(User, found.user_id) if found is not None else None
        if found is None or found.revoked is not None or user is None or user.disabled:
            raise TokenInvalid()
        actor = actor_of(session, user, token_org=found.org)
        stale = found.last_used is None or now - found.last_used > TOKEN_USE_RESOLUTION
    if stale:
        with store.sessions.begin() as session:
            session.execute(update(ApiToken).where(ApiToken.id == found.id).values(last_used=now))
    return actor


# The shared secret


def shared_secret(store: Store, name: str) -> str:
    """The secret `name`, made once and kept in the database: every server of the portal
    (and every worker) reads the same one."""
    with store.sessions() as session:
        found = session.get(PortalSecret, name)
        if found is not None:
            return found.value
    try:
        with store.writing() as session:
            session.add(PortalSecret(name=name, value=secrets.token_urlsafe(32)))
    except IntegrityError:  # another server made it first: theirs is the one
        pass
    with store.sessions() as session:
        made = session.get(PortalSecret, name)
        assert made is not None
        return made.value
