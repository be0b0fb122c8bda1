"""Who may write, over HTTP. Every route of the app that is not a read (GET, HEAD, OPTIONS) —
found by enumerating `app.routes`, so a route added later is checked without being listed
here — refuses an anonymous request (401) and a valid token of another organization (403),
in the JSON error shape. Then: sign-in and its lock, sessions ending at logout and at disable,
tokens revoked, CSRF, and the session cookie's flags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from portal.accounts import clock
from portal.accounts.http import FormActorDep
from portal.accounts.login import LOCK_DURATION, MAX_FAILURES
from portal.accounts.service import Accounts
from portal.server import application, create_app
from portal.settings import Settings
from portal.subscriptions.service import Subscriptions
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA, new_postgres_schema
from tests.connectors import tiny
from tests.unit.accounts.conftest import Clock

SAFE = {"GET", "HEAD", "OPTIONS"}
# Writes that by design take an anonymous request; every other write needs an account.
ANONYMOUS_WRITES = {
    ("POST", "/login"),  # signing in: there is no account yet (its form has a CSRF token)
    ("POST", "/logout"),  # signing out: ends this browser's session if any, else nothing
    ("POST", "/api/3/action/{action}"),  # CKAN's Action API, read-only: ckanapi POSTs reads
    ("POST", "/api/action/{action}"),  # the same, at CKAN's older path
}
# Writes a platform makes, authenticated by the connector's own scheme (bearer, basic or an
# HMAC of the body, as its YAML says), never by a portal account: anyone else gets its 401.
OWN_SCHEME_WRITES = {("POST", "/api/v1/connectors/{connector}/notify"): "connector-auth-failed"}
HOME, OTHER = "222127", "221309"  # 焼津市, whose things the writes target; 浜松市
PASSWORD = "correct horse battery"
EVENT = TEST_DATA / "convert" / "event-cp932.yaml"  # publishes 222127-event
UPLOAD_FILE = TEST_DATA / "convert" / "event-cp932.csv"
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass
class World:
    app: FastAPI
    client: TestClient
    accounts: Accounts
    home_token: str  # an admin of 焼津市
    other_token: str  # an admin of 浜松市: valid, of another organization
    path_values: dict[str, str]  # path parameters naming things of 焼津市


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    root = tmp_path_factory.mktemp(f"auth-{request.param}")
    with tiny.installed():
        if request.param == "sqlite":
            yield make_world(build_catalogue(root, [EVENT]), root)
            return
        with new_postgres_schema(request.getfixturevalue("postgres_url")) as url:
            yield make_world(build_catalogue(root, [EVENT], database_url=url), root)


def make_world(settings: Settings, root: Path) -> World:
    # A connector, so that its notify route answers for its auth (not 404 for no connector).
    tiny.write_config(root / "connectors", "tiny", "http://127.0.0.1:9/", [{"dataset": "x"}])
    app = create_app(settings.model_copy(update={"connectors_dir": root / "connectors"}))
    accounts = Accounts(app.state.portal.store, app.state.portal.directory)
    accounts.add_user("yaizu-admin", PASSWORD, HOME, "admin", by="test")
    accounts.add_user("hamamatsu-admin", PASSWORD, OTHER, "admin", by="test")
    home, other = (accounts.issue_token(n, by="test") for n in ("yaizu-admin", "hamamatsu-admin"))
    client = TestClient(app)
    return World(app, client, accounts, home, other, things_of_home(app, client, home))


def things_of_home(app: FastAPI, client: TestClient, token: str) -> dict[str, str]:
    """A value for each path parameter a write route takes, naming something of 焼津市 (a
    route that takes a new one fails `test_every_write_refuses…` until it is added here)."""
    values = {"name": "222127-event", "connector": "tiny"}  # a dataset of 焼津市, a connector
    if ("POST", "/api/v1/uploads") in {(m, p) for m, p, _ in write_routes(app)}:
        with UPLOAD_FILE.open("rb") as handle:
            made = client.post("/api/v1/uploads", headers=bearer(token), params={"org": HOME},
                               data={"org": HOME},
                               files={"file": (UPLOAD_FILE.name, handle, "text/csv")})  # fmt: skip
        assert made.status_code < 300, made.text
        values["upload_id"] = made.json()["id"]  # an upload of 焼津市
    values["subscription_id"] = subscription_of_home(app)
    return values


def subscription_of_home(app: FastAPI) -> str:
    """A subscriber's webhook for 焼津市's dataset (made with a subscriber key)."""
    portal = app.state.portal
    subscriptions = Subscriptions(portal.store, portal.settings)
    holder = subscriptions.subscriber(subscriptions.issue_key("civic tech"))
    made, _ = subscriptions.add(holder, "dataset", "222127-event",
                                "https://hooks.example.org/portal", "http://testserver")  # fmt: skip
    return str(made["id"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def write_routes(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(method, path, route) of every write, included routers walked as FastAPI does."""
    found = []
    for context in iter_route_contexts(app.routes):
        for method in sorted(set(context.methods or ()) - SAFE):
            found.append((method, str(context.path), context.original_route))
    return found


def call(world: World, method: str, path: str, route: Any, headers: dict[str, str]) -> Response:
    """The request a client of 焼津市 would make: its things in the path, `org` named in the
    query and the form, a small file where the route takes one, the documented example body."""
    missing = [p for p in PARAM.findall(path) if p not in world.path_values]
    assert not missing, f"{method} {path}: add a value of 焼津市 for {missing} to things_of_home"
    url = PARAM.sub(lambda m: world.path_values[m.group(1)], path)
    kwargs: dict[str, Any] = {"params": {"org": HOME}}
    body = getattr(getattr(route, "dependant", None), "body_params", [])
    if any(type(p.field_info).__name__ in ("Form", "File") for p in body):
        kwargs["data"] = {"org": HOME}
        kwargs["files"] = {"file": (UPLOAD_FILE.name, UPLOAD_FILE.read_bytes(), "text/csv")}
    elif body:
        kwargs["json"] = documented_example(world.app, method, path)
    return world.client.request(method, url, headers=headers, **kwargs)


def documented_example(app: FastAPI, method: str, path: str) -> Any:
    """The body's documented example, else the smallest body its schema accepts: a write
    must be refused for who sends it, whatever the body says."""
    spec = app.openapi()
    operation = spec["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    examples = [e.get("value") for e in (content.get("examples") or {}).values()]
    if "example" in content or examples:
        return content.get("example", examples[0] if examples else None)
    return smallest(content.get("schema", {}), spec)


def smallest(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The smallest instance of a JSON schema (the subset FastAPI writes)."""
    if "$ref" in schema:
        found: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        return smallest(found, spec)
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return smallest(schema[key][0], spec)
    kind = schema.get("type", "object")
    properties = schema.get("properties", {})
    simple = {"string": "x" * max(1, schema.get("minLength", 1)), "boolean": False, "null": None,
              "integer": schema.get("minimum", 1), "number": schema.get("minimum", 1)}  # fmt: skip
    if kind == "object":
        return {k: smallest(properties[k], spec) for k in schema.get("required", [])}
    if kind == "array":
        return [smallest(schema.get("items", {}), spec)] * schema.get("minItems", 0)
    return simple.get(kind)


def refused(answer: Response, status: int, code: str) -> bool:
    if answer.status_code != status:
        return False
    error = answer.json().get("error", {})
    return (
        answer.json().get("ok") is False
        and error.get("code") == code
        and bool(error.get("message_en") and error.get("message_ja"))
    )


def test_the_enumeration_finds_the_writes(world: World) -> None:
    found = {(m, p) for m, p, _ in write_routes(world.app)}
    assert ANONYMOUS_WRITES <= found, "an allow-listed route is gone: take it off the list"
    assert ("POST", "/logout") in found


def test_every_write_refuses_anonymous_and_another_organization(world: World) -> None:
    wrong = []
    for method, path, route in write_routes(world.app):
        if (method, path) in ANONYMOUS_WRITES:
            continue
        if (method, path) in OWN_SCHEME_WRITES:
            code = OWN_SCHEME_WRITES[(method, path)]
            for who, headers in (("anonymous", {"Accept": "application/json"}),
                                 ("an account's token", bearer(world.home_token))):  # fmt: skip
                answer = call(world, method, path, route, headers)
                if not refused(answer, 401, code):
                    wrong.append(f"{method} {path} {who}: {answer.status_code} {answer.text[:200]}")
            continue
        anonymous = call(world, method, path, route, {"Accept": "application/json"})
        if not refused(anonymous, 401, "not-authenticated"):
            wrong.append(
                f"{method} {path} anonymous: {anonymous.status_code} {anonymous.text[:200]}"
            )
        other = call(world, method, path, route, bearer(world.other_token))
        if not refused(other, 403, "forbidden"):
            wrong.append(
                f"{method} {path} other org's token: {other.status_code} {other.text[:200]}"
            )
    assert not wrong, "\n".join(wrong)


# Sign-in and sessions


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                       follow_redirects=False)  # fmt: skip


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake.now)
    return fake


def test_wrong_password_and_lock_are_said_in_both_languages(world: World, moved: Clock) -> None:
    world.accounts.add_user("lock-me", PASSWORD, HOME, "editor", by="test")
    browser = TestClient(world.app)
    for _ in range(MAX_FAILURES - 1):
        failed = sign_in(browser, "lock-me", "not it")
        assert failed.status_code == 401
        assert "アカウント名またはパスワードが正しくありません" in failed.text
        assert "the account name or the password is wrong" in failed.text
    locked = sign_in(browser, "lock-me", "not it")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "ロックされています" in locked.text and "is locked until" in locked.text
    assert sign_in(browser, "lock-me").status_code == 429  # the right password waits too
    moved.advance(LOCK_DURATION + timedelta(seconds=1))
    signed_in = sign_in(browser, "lock-me")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/account"
    assert "lock-me" in browser.get("/account").text


def test_logout_ends_the_session_even_for_a_copy_of_the_cookie(world: World) -> None:
    browser = TestClient(world.app)
    assert sign_in(browser, "yaizu-admin").status_code == 303
    copied = dict(browser.cookies)
    account = browser.get("/account")
    assert "yaizu-admin" in account.text
    out = browser.post(
        "/logout", data={"csrf_token": csrf_of(account.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    replay = TestClient(world.app, cookies=copied)
    assert replay.get("/account", follow_redirects=False).status_code == 303  # to /login
    again = replay.post("/logout", data={}, follow_redirects=False)  # nothing left to end
    assert again.status_code == 303 and 'portal_session=""' in again.headers["set-cookie"]


def test_disabling_an_account_ends_its_sessions(world: World) -> None:
    world.accounts.add_user("leaver", PASSWORD, HOME, "editor", by="test")
    browser = TestClient(world.app)
    sign_in(browser, "leaver")
    assert browser.get("/account", follow_redirects=False).status_code == 200
    world.accounts.disable("leaver", by="test")
    assert browser.get("/account", follow_redirects=False).status_code == 303


def test_a_revoked_token_is_a_401_not_a_citizen(world: World) -> None:
    token = world.accounts.issue_token("yaizu-admin", by="test")
    assert (
        world.client.get("/account", headers=bearer(token), follow_redirects=False).status_code
        == 200
    )
    world.accounts.revoke_token(token[:11], by="test")
    answer = world.client.get("/account", headers=bearer(token))
    assert refused(answer, 401, "token-invalid")
    assert refused(world.client.get("/account", headers=bearer("pt_madeup")), 401, "token-invalid")


def test_csrf_missing_or_wrong_is_refused(world: World) -> None:
    browser = TestClient(world.app)
    json_only = {"Accept": "application/json"}
    no_token = browser.post("/login", data={"name": "yaizu-admin", "password": PASSWORD},
                            headers=json_only)  # fmt: skip
    assert refused(no_token, 403, "csrf-failed")
    sign_in(browser, "yaizu-admin")
    other = TestClient(world.app)
    sign_in(other, "yaizu-admin")
    someone_elses = csrf_of(other.get("/account").text)  # valid, but another browser's
    for sent in ({}, {"csrf_token": "forged"}, {"csrf_token": someone_elses}):
        assert refused(browser.post("/logout", data=sent, headers=json_only), 403, "csrf-failed")
    assert browser.get("/account", follow_redirects=False).status_code == 200  # still signed in


def test_a_bearer_token_needs_no_csrf_but_a_cookie_does(world: World) -> None:
    app = application(world.app.state.settings)  # its own app: this route is the test's
    app.state.portal = world.app.state.portal

    @app.post("/form-write")
    def form_write(actor: FormActorDep) -> dict[str, str]:
        return {"name": actor.name}

    assert TestClient(app).post("/form-write", headers=bearer(world.home_token)).json() == {
        "name": "yaizu-admin"
    }
    browser = TestClient(app)
    sign_in(browser, "yaizu-admin")
    answer = browser.post("/form-write", data={"x": "1"}, headers={"Accept": "application/json"})
    assert refused(answer, 403, "csrf-failed")


def test_session_cookie_flags_over_http_and_behind_an_https_proxy(world: World) -> None:
    plain = sign_in(TestClient(world.app), "yaizu-admin").headers["set-cookie"]
    assert "portal_session=" in plain and "HttpOnly" in plain and "SameSite=lax" in plain
    assert "Secure" not in plain
    settings = world.app.state.settings.model_copy(update={"trusted_proxies": ["*"]})
    proxied = TestClient(create_app(settings, world.app.state.portal),
                         headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"})  # fmt: skip
    form = proxied.get("/login")
    pre_session = form.headers["set-cookie"]
    assert "portal_csrf=" in pre_session and "Secure" in pre_session
    # The client's side of the proxy is HTTPS: its browser sends the Secure cookie back
    # (httpx, speaking plain HTTP to the app here, would not: it is sent by hand).
    sent = {"name": "yaizu-admin", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    cookie = proxied.post("/login", data=sent, follow_redirects=False,
                          headers={"Cookie": pre_session.split(";")[0]}).headers["set-cookie"]  # fmt: skip
    assert "portal_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
