"""Signing in, on SQLite and PostgreSQL: the lock after repeated failures (and its end after
the window, the clock moved), sessions that end at logout and expiry, the shared secret."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts import audit
from portal.accounts.errors import AccountLocked, LoginFailed
from portal.accounts.login import (
    FAILURE_WINDOW,
    LOCK_DURATION,
    MAX_FAILURES,
    SESSION_LIFETIME,
    authenticate,
    end_session,
    session_actor,
    shared_secret,
    start_session,
)
from portal.accounts.service import Accounts
from portal.store import Store
from tests.unit.accounts.conftest import Clock

PASSWORD = "correct horse battery"


def test_wrong_name_and_wrong_password_read_the_same(accounts: Accounts, store: Store) -> None:
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    with pytest.raises(LoginFailed) as wrong_password:
        authenticate(store, "sato", "not the password")
    with pytest.raises(LoginFailed) as wrong_name:
        authenticate(store, "satou", PASSWORD)
    assert wrong_password.value.to_dict() == wrong_name.value.to_dict()
    assert wrong_name.value.message_ja == "アカウント名またはパスワードが正しくありません"


def test_locked_after_repeated_failures_until_the_lock_ends(
    accounts: Accounts, store: Store, moved: Clock
) -> None:
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed):
            authenticate(store, "sato", "guess")
    with pytest.raises(AccountLocked) as locked:
        authenticate(store, "sato", "guess")
    assert "2026-12-04 18:15 JST" in locked.value.message_en  # 09:00 UTC + 15 minutes, in JST
    assert locked.value.params["retry_after"] == LOCK_DURATION.total_seconds()
    # Locked: even the right password is refused, and says so.
    moved.advance(LOCK_DURATION - timedelta(seconds=1))
    with pytest.raises(AccountLocked):
        authenticate(store, "sato", PASSWORD)
    moved.advance(timedelta(seconds=2))
    assert authenticate(store, "sato", PASSWORD).name == "sato"
    actions = [e.action for e in reversed(audit.entries(store, actor="sato"))]
    assert actions == ["login-failed"] * (MAX_FAILURES + 1) + ["login"]


def test_failures_spread_beyond_the_window_do_not_lock(
    accounts: Accounts, store: Store, moved: Clock
) -> None:
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed):
            authenticate(store, "sato", "guess")
    moved.advance(FAILURE_WINDOW + timedelta(seconds=1))
    with pytest.raises(LoginFailed):  # a new window: one failure, no lock
        authenticate(store, "sato", "guess")
    assert authenticate(store, "sato", PASSWORD).name == "sato"


def test_unknown_names_are_locked_too(store: Store) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginFailed):
            authenticate(store, "nobody", "guess")
    with pytest.raises(AccountLocked):
        authenticate(store, "nobody", "guess")


def test_a_disabled_account_cannot_sign_in(accounts: Accounts, store: Store) -> None:
    accounts.add_user("leaver", PASSWORD, "222127", "editor", by="t")
    accounts.disable("leaver", by="t")
    with pytest.raises(LoginFailed):
        authenticate(store, "leaver", PASSWORD)


def test_a_session_ends_at_logout_and_at_expiry(
    accounts: Accounts, store: Store, moved: Clock
) -> None:
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    user = authenticate(store, "sato", PASSWORD)
    first, second = start_session(store, user), start_session(store, user)
    assert session_actor(store, first).name == "sato"  # type: ignore[union-attr]
    assert end_session(store, first) == "sato"
    assert session_actor(store, first) is None
    assert session_actor(store, second) is not None  # another browser stays signed in
    moved.advance(SESSION_LIFETIME)
    assert session_actor(store, second) is None
    assert [e.action for e in audit.entries(store, actor="sato", limit=1)] == ["logout"]


def test_a_new_password_ends_the_sessions(accounts: Accounts, store: Store) -> None:
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    session_id = start_session(store, authenticate(store, "sato", PASSWORD))
    accounts.set_password("sato", "a brand new password", by="t")
    assert session_actor(store, session_id) is None
    with pytest.raises(LoginFailed):
        authenticate(store, "sato", PASSWORD)


def test_the_secret_is_made_once_and_shared(store: Store, database_url: str) -> None:
    made = shared_secret(store, "csrf")
    other = Store.open(database_url)  # another server on the same database
    try:
        assert shared_secret(other, "csrf") == made
    finally:
        other.close()
    assert len(made) >= 40
