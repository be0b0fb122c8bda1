"""The subscriptions API refuses who has no subscriber key (401), an account's token (403)
and another key's subscription (404); a webhook URL the portal will not call is a 400 that
says why in Japanese and English; the Atom feeds parse and list the versions."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from portal.accounts.service import Accounts
from portal.server import create_app
from portal.subscriptions.service import Subscriptions
from tests.subscriptions.conftest import NAME, SLUG, World, bearer, publish_changed

ATOM = "{http://www.w3.org/2005/Atom}"
HOOK = "https://hooks.example.org/portal"


def error_of(answer: object, status: int) -> dict[str, str]:
    assert answer.status_code == status, answer.text  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["error"]["message_en"] and body["error"]["message_ja"]
    return dict(body["error"])


def test_no_key_is_401_and_an_unknown_key_too(world: World) -> None:
    anonymous = world.client.post("/api/v1/subscriptions", json={"dataset": NAME, "url": HOOK},
                                  headers={"Accept": "application/json"})  # fmt: skip
    assert error_of(anonymous, 401)["code"] == "not-authenticated"
    unknown = world.client.get("/api/v1/subscriptions", headers=bearer("ps_not-a-key"))
    assert error_of(unknown, 401)["code"] == "subscriber-key-invalid"


def test_an_accounts_token_is_403(world: World) -> None:
    accounts = Accounts(world.portal.store, world.portal.directory)
    accounts.add_user("yaizu-staff", "correct horse battery", "222127", "admin", by="test")
    token = accounts.issue_token("yaizu-staff", by="test")
    answer = world.client.post("/api/v1/subscriptions", headers=bearer(token),
                               json={"dataset": NAME, "url": HOOK})  # fmt: skip
    error = error_of(answer, 403)
    assert error["code"] == "forbidden" and "購読者キー" in error["message_ja"]


def test_another_keys_subscription_is_404(world: World) -> None:
    made = world.client.post("/api/v1/subscriptions", headers=bearer(world.key),
                             json={"dataset": NAME, "url": HOOK}).json()  # fmt: skip
    other = Subscriptions(world.portal.store, world.settings).issue_key("someone else")
    path = f"/api/v1/subscriptions/{made['subscription']['id']}"
    assert error_of(world.client.delete(path, headers=bearer(other)), 404)["code"] == (
        "subscription-not-found"
    )
    assert error_of(world.client.get(path + "/deliveries", headers=bearer(other)), 404)
    listed = world.client.get("/api/v1/subscriptions", headers=bearer(other)).json()
    assert listed["subscriptions"] == []
    assert world.client.delete(path, headers=bearer(world.key)).status_code == 200


@pytest.mark.parametrize(
    ("url", "why"),
    [("ftp://hooks.example.org/x", "https"), ("https://10.0.0.7/hook", "プライベート"),
     ("https://127.0.0.1:8080/hook", "ループバック"), ("http://hooks.example.org/x", "https"),
     ("https://user:pw@hooks.example.org/x", "パスワード")],
)  # fmt: skip
def test_a_webhook_the_portal_will_not_call_is_a_400(world: World, url: str, why: str) -> None:
    strict = world.settings.model_copy(update={"subscriptions_allow_private": False})
    with TestClient(create_app(strict)) as client:
        answer = client.post("/api/v1/subscriptions", headers=bearer(world.key),
                             json={"dataset": NAME, "url": url})  # fmt: skip
    error = error_of(answer, 400)
    assert (
        error["code"] == "webhook-url-invalid" and why in error["message_ja"] + error["message_en"]
    )


def test_an_unknown_dataset_or_standard_is_404_and_neither_a_400(world: World) -> None:
    for body in ({"dataset": "000000-nothing"}, {"standard": "nothing"}):
        answer = world.client.post("/api/v1/subscriptions", headers=bearer(world.key),
                                   json={**body, "url": HOOK})  # fmt: skip
        assert error_of(answer, 404)
    neither = world.client.post("/api/v1/subscriptions", headers=bearer(world.key),
                                json={"url": HOOK})  # fmt: skip
    assert error_of(neither, 400)["code"] == "subscription-target-invalid"


def atom_entries(xml: bytes) -> list[ET.Element]:
    """The feed parsed, with what RFC 4287 requires of it checked: the feed's and each
    entry's id, title and updated (an RFC 3339 date-time), an author, a self link."""
    feed = ET.fromstring(xml)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{required}")) == 1, required
        datetime.fromisoformat(element.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
    entries = feed.findall(f"{ATOM}entry")
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert all(e.find(f"{ATOM}author/{ATOM}name") is not None for e in entries)
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    return entries


def test_the_feeds_are_atom_and_list_the_versions(world: World) -> None:
    publish_changed(world.portal, "feed")
    numbers = [v["number"] for v in world.client.get(f"/api/v1/datasets/{NAME}/versions").json()]
    for path in (f"/datasets/{NAME}/feed.atom", f"/standards/{SLUG}/feed.atom"):
        answer = world.client.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/atom+xml")
        entries = atom_entries(answer.content)
        titles = [e.findtext(f"{ATOM}title", "") for e in entries]
        assert len(titles) == len(numbers) > 1
        assert all(f"version {n})" in t for t, n in zip(titles, numbers, strict=True)), titles
        assert all(e.find(f"{ATOM}link[@rel='enclosure']") is not None for e in entries)
    page = world.client.get(f"/datasets/{NAME}").text
    assert f'type="application/atom+xml" href="/datasets/{NAME}/feed.atom"' in page
    for missing in ("/datasets/000000-nothing/feed.atom", "/standards/nothing/feed.atom"):
        assert error_of(world.client.get(missing, headers={"Accept": "application/json"}), 404)
