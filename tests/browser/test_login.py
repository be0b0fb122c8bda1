"""Signing in and out in headless Chromium against the portal on a real socket: a wrong
password told in Japanese (and English), the account page, sign-out, and the session gone.
Screenshots of each step go to PORTAL_TEST_ARTIFACTS (default: <tmp>/portal-test-artifacts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from portal.accounts.service import Accounts
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PASSWORD = "yaizu-browser-pass"


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / "login" / request.node.callspec.id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def clerk(app: FastAPI) -> str:
    accounts = Accounts(app.state.portal.store, app.state.portal.directory)
    accounts.add_user("browser-clerk", PASSWORD, "222127", "editor", by="test",
                      display_name="焼津 花子", exist_ok=True)  # fmt: skip
    return "browser-clerk"


def test_sign_in_and_out(browser, server: str, clerk: str, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.goto(server + "/account")  # not signed in: sent to the sign-in page
    assert page.url.startswith(server + "/login")
    assert page.get_by_role("heading", name="ログイン").is_visible()
    page.screenshot(path=shots / "1-login.png", full_page=True)

    page.get_by_label("アカウント名").fill(clerk)
    page.get_by_label("パスワード").fill("not the password")
    page.get_by_role("button", name="ログイン").click()
    problem = page.get_by_test_id("login-problem")
    assert "アカウント名またはパスワードが正しくありません" in problem.inner_text()
    assert "the account name or the password is wrong" in problem.inner_text()
    page.screenshot(path=shots / "2-wrong-password.png", full_page=True)

    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(server + "/account")
    assert page.get_by_test_id("signed-in-as").inner_text() == f"{clerk} としてログインしています"
    assert "担当者（編集）" in page.get_by_test_id("roles").inner_text()
    session = next(c for c in context.cookies() if c["name"] == "portal_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    page.screenshot(path=shots / "3-signed-in.png", full_page=True)

    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(server + "/login?signed_out=true")
    assert page.get_by_test_id("signed-out").inner_text() == "ログアウトしました。"
    assert not [c for c in context.cookies() if c["name"] == "portal_session"]
    page.screenshot(path=shots / "4-signed-out.png", full_page=True)
    page.goto(server + "/account")
    assert page.url.startswith(server + "/login")
    context.close()


def test_sign_in_page_in_english(browser, server: str, shots: Path) -> None:
    page = browser.new_page()
    page.goto(server + "/login?lang=en")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    page.get_by_label("Account name").fill("nobody-here")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    problem = page.get_by_test_id("login-problem").inner_text()
    assert "the account name or the password is wrong" in problem
    assert "アカウント名またはパスワードが正しくありません" in problem
    page.screenshot(path=shots / "login-en.png", full_page=True)
    page.close()
