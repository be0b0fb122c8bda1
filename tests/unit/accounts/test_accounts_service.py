"""Accounts as a library, on SQLite and PostgreSQL: users with argon2 hashes, roles per
organization and department, tokens shown once and kept hashed, disabling, the audit trail."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.accounts import audit
from portal.accounts.auth import Forbidden
from portal.accounts.errors import (
    DepartmentCodeInvalid,
    NoRoleInOrganization,
    OrganizationNotFound,
    PasswordTooShort,
    RoleInvalid,
    TokenInvalid,
    TokenOrganizationNeeded,
    UserExists,
)
from portal.accounts.login import authenticate, session_actor, start_session, token_actor
from portal.accounts.models import AccountOrg, ApiToken, User
from portal.accounts.service import Accounts
from portal.store import Store

PASSWORD = "correct horse battery"


def test_a_user_is_kept_with_an_argon2_hash_never_the_password(accounts: Accounts,
                                                                store: Store) -> None:  # fmt: skip
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="cli:test", display_name="佐藤")
    with store.sessions() as session:
        user = session.scalars(select(User)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)
    assert user.display_name == "佐藤" and not user.disabled
    # The municipality's organization is made from the directory on first use.
    with store.sessions() as session:
        assert session.get(AccountOrg, "222127").title == "静岡県焼津市"  # type: ignore[union-attr]


def test_bad_input_is_refused_with_what_to_do(accounts: Accounts) -> None:
    with pytest.raises(PasswordTooShort) as short:
        accounts.add_user("sato", "short", "222127", "editor", by="t")
    assert "10" in short.value.message_ja and short.value.exit_code == 2
    with pytest.raises(RoleInvalid, match="viewer, editor, approver, admin"):
        accounts.add_user("sato", PASSWORD, "222127", "boss", by="t")
    with pytest.raises(OrganizationNotFound) as unknown:
        accounts.add_user("sato", PASSWORD, "222127-soumu", "editor", by="t")
    assert "org-add" in unknown.value.to_dict()["hint_en"]
    with pytest.raises(OrganizationNotFound):
        accounts.add_user("sato", PASSWORD, "999999", "editor", by="t")  # no such municipality
    accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    with pytest.raises(UserExists):
        accounts.add_user("sato", PASSWORD, "222127", "editor", by="t")
    with pytest.raises(DepartmentCodeInvalid):
        accounts.add_department("221309-bousai", "防災課", "222127", by="t")  # another city's code


def test_exist_ok_sets_the_password_and_role_of_an_existing_account(
    accounts: Accounts, store: Store
) -> None:
    accounts.add_user("demo", PASSWORD, "222127", "editor", by="t")
    accounts.add_user("demo", "another password", "222127", "approver", by="t", exist_ok=True)
    assert authenticate(store, "demo", "another password").name == "demo"
    assert accounts.users()[0].roles == {"222127": "approver"}


def test_a_municipality_role_holds_in_its_departments(accounts: Accounts, store: Store) -> None:
    accounts.add_user("kacho", PASSWORD, "222127", "approver", by="t")
    accounts.add_department("222127-bousai", "防災課", "222127", by="t")
    accounts.add_user("tanto", PASSWORD, "222127-bousai", "editor", by="t")
    with store.sessions() as session:
        assert session.get(AccountOrg, "222127-bousai").approval_required  # type: ignore[union-attr]
    boss = session_actor(store, start_session(store, authenticate(store, "kacho", PASSWORD)))
    clerk = session_actor(store, start_session(store, authenticate(store, "tanto", PASSWORD)))
    assert boss is not None and clerk is not None
    assert boss.can("approver", "222127-bousai")
    assert clerk.can("editor", "222127-bousai") and not clerk.can("editor", "222127")
    with pytest.raises(Forbidden):
        clerk.require("approver", "222127-bousai", "publish")


def test_a_token_is_shown_once_and_only_its_hash_is_kept(accounts: Accounts, store: Store) -> None:
    accounts.add_user("script", PASSWORD, "222127", "editor", by="t")
    token = accounts.issue_token("script", by="t")
    assert token.startswith("pt_") and len(token) > 40
    with store.sessions() as session:
        kept = session.scalars(select(ApiToken)).one()
    assert kept.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (kept.token_hash, kept.prefix) and token.startswith(kept.prefix)
    actor = token_actor(store, token)
    assert (actor.name, actor.token_org) == ("script", "222127")
    assert accounts.users()[0].tokens[0][0] == kept.prefix  # listed by its prefix only


def test_a_token_acts_for_its_organization_only(accounts: Accounts, store: Store) -> None:
    accounts.add_user("both", PASSWORD, "222127", "admin", by="t")
    accounts.grant("both", "221309", "admin", by="t")
    with pytest.raises(TokenOrganizationNeeded):
        accounts.issue_token("both", by="t")
    with pytest.raises(NoRoleInOrganization):
        accounts.issue_token("both", "272051", by="t")
    actor = token_actor(store, accounts.issue_token("both", "221309", by="t"))
    assert actor.can("admin", "221309") and not actor.can("viewer", "222127")


def test_revoked_token_and_disabled_account_are_refused(accounts: Accounts, store: Store) -> None:
    accounts.add_user("leaver", PASSWORD, "222127", "editor", by="t")
    kept, revoked = accounts.issue_token("leaver", by="t"), accounts.issue_token("leaver", by="t")
    accounts.revoke_token(revoked[:11], by="t")
    with pytest.raises(TokenInvalid):
        token_actor(store, revoked)
    session_id = start_session(store, authenticate(store, "leaver", PASSWORD))
    assert token_actor(store, kept).name == "leaver"
    assert session_actor(store, session_id) is not None
    accounts.disable("leaver", by="cli:admin")
    assert session_actor(store, session_id) is None  # the session ended everywhere
    with pytest.raises(TokenInvalid):
        token_actor(store, kept)
    assert accounts.users()[0].disabled and accounts.users()[0].tokens == []


def test_every_change_is_audited(accounts: Accounts, store: Store) -> None:
    accounts.add_department("222127-bousai", "防災課", "222127", by="cli:root")
    accounts.add_user("sato", PASSWORD, "222127-bousai", "editor", by="cli:root")
    token = accounts.issue_token("sato", by="cli:root")
    accounts.revoke_token(token[:11], by="cli:root")
    accounts.disable("sato", by="cli:root")
    found = [(e.actor, e.org, e.action, e.target) for e in reversed(audit.entries(store))]
    assert found == [
        ("cli:root", "222127-bousai", "org-add", "222127-bousai"),
        ("cli:root", "222127-bousai", "user-add", "sato"),
        ("cli:root", "222127-bousai", "role-grant", "sato"),
        ("cli:root", "222127-bousai", "token-issue", "sato"),
        ("cli:root", "222127-bousai", "token-revoke", "sato"),
        ("cli:root", "222127-bousai", "user-disable", "sato"),
    ]
    assert token not in str([e.detail for e in audit.entries(store)])  # the prefix, not the token
