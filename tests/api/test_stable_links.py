"""Stable links (issue 18): a resource's `url` — what CKAN clients and harvested copies keep —
serves the current version after a republish; each version's files keep their own addresses;
the address of a resource from before the republish redirects to the stable one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal.catalogue.publish import Options, publish
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA
from tests.integration.conftest import variant

NAME = "222127-event"
ADDED = "陶芸作品展（追加）"  # the row the republished version adds


def republish_with_a_new_row(settings: Settings, work: Path) -> None:
    """Publish the dataset again with one more row, as a clerk's next upload would, and let
    the previous version's resource folders go (their grace period over)."""
    portal = Portal.open(settings)
    try:
        first = settings.data_dir / "versions" / NAME / "1"
        publish(variant(first, work / "v2", extra_row=True), portal.publisher(),
                Options(allow_invalid=True))  # fmt: skip
        portal.catalogue.grace_seconds = 0  # type: ignore[attr-defined]
        portal.catalogue.reclaim()  # type: ignore[attr-defined]
    finally:
        portal.close()


def resources(client: TestClient) -> list[dict[str, Any]]:
    shown = client.get("/api/3/action/package_show", params={"id": NAME}).json()
    return list(shown["result"]["resources"])


@pytest.fixture(scope="module")
def before_and_after(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[TestClient, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("stable")
    settings = build_catalogue(root, [TEST_DATA / "convert" / "event-cp932.yaml"])
    client = TestClient(create_app(settings))
    before = resources(client)
    republish_with_a_new_row(settings, root)
    return client, before


def csv_of(found: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in found if r["format"] == "CSV")


def test_the_url_a_client_stored_serves_the_new_version(
    before_and_after: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    client, before = before_and_after
    for resource in before:
        answer = client.get(resource["url"])
        assert answer.status_code == 200, (resource["url"], answer.text[:200])
    assert ADDED in client.get(csv_of(before)["url"]).text
    assert [r["url"] for r in resources(client)] == [r["url"] for r in before]


def test_each_version_keeps_its_own_files(
    before_and_after: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    client, before = before_and_after
    name = csv_of(before)["name"]
    first = client.get(f"/files/{NAME}/versions/1/{name}")
    second = client.get(f"/files/{NAME}/versions/2/{name}")
    assert first.status_code == second.status_code == 200
    assert ADDED not in first.text and ADDED in second.text
    listed = client.get(f"/api/v1/datasets/{NAME}/versions").json()
    assert client.get(listed[-1]["datapackage_url"]).json()["resources"][0]["path"] == name
    unknown = client.get(f"/files/{NAME}/versions/9/{name}")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "version-not-found"
    absent = client.get(f"/files/{NAME}/versions/1/nothing.csv")
    assert absent.status_code == 404 and absent.json()["error"]["code"] == "file-not-found"


def test_a_retired_resource_address_redirects_to_the_stable_one(
    before_and_after: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    client, before = before_and_after
    old = csv_of(before)
    answer = client.get(f"/files/{old['id']}/{old['name']}", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == f"/files/{NAME}/{old['name']}"
    assert ADDED in client.get(answer.headers["location"]).text
    nowhere = client.get(f"/files/{'0' * 32}/{old['name']}")
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "file-not-found"
