"""The versions API: the public list (organization, never the person) and download; rollback
refused to a citizen (401), an editor (403) and for an unknown version (404), done by an
approver of the dataset's organization as a new version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal.accounts.auth import Actor
from portal.accounts.http import current_actor
from portal.server import create_app
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA

NAME = "222127-event"


@pytest.fixture(scope="module")
def app_and_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root: Path = tmp_path_factory.mktemp("versions")
    settings = build_catalogue(root, [TEST_DATA / "convert" / "event-cp932.yaml"])
    with TestClient(create_app(settings)) as client:
        yield client


def as_actor(client: TestClient, role: str | None) -> None:
    overrides = client.app.dependency_overrides  # type: ignore[attr-defined]
    overrides.clear()
    if role:
        overrides[current_actor] = lambda: Actor(1, f"{role}-1", {"222127": role})


def test_versions_are_public_without_the_person(app_and_client: TestClient) -> None:
    listed = app_and_client.get(f"/api/v1/datasets/{NAME}/versions").json()
    assert [v["number"] for v in listed] == [1]
    assert listed[0]["organization"] == "222127" and "who" not in listed[0]
    assert listed[0]["changes"]["added"] == listed[0]["rows"]
    csv = app_and_client.get(f"/api/v1/datasets/{NAME}/versions/1/download.csv")
    assert csv.status_code == 200 and csv.content.startswith(b"ID,") is not None
    missing = app_and_client.get(f"/api/v1/datasets/{NAME}/versions/7/download.csv")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "version-not-found"


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("editor", 403)])
def test_rollback_is_refused_below_approver(
    app_and_client: TestClient, role: str | None, status: int
) -> None:
    as_actor(app_and_client, role)
    answer = app_and_client.post(f"/api/v1/datasets/{NAME}/rollback", json={"version": 1})
    assert answer.status_code == status
    assert answer.json()["ok"] is False and answer.json()["error"]["message_ja"]


def test_an_approver_rolls_back_and_an_unknown_version_is_404(app_and_client: TestClient) -> None:
    as_actor(app_and_client, "approver")
    unknown = app_and_client.post(f"/api/v1/datasets/{NAME}/rollback", json={"version": 9})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "version-not-found"
    same = app_and_client.post(f"/api/v1/datasets/{NAME}/rollback", json={"version": 1}).json()
    assert same["ok"] and same["action"] == "unchanged" and same["version"] is None
    as_actor(app_and_client, None)
