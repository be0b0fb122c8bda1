"""With CKAN configured, the facade's catalogue answers come from CKAN: its search (with
the Japanese-aware Solr), its datasets, its files — the rows are loaded from CKAN's CSV."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import httpx
import pytest
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.workspace import Workspace
from tests.api.conftest import serve
from tests.conftest import TEST_DATA
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan


@pytest.fixture
def on_ckan(ckan: ckanapi.RemoteCKAN, publish_settings: Settings, suffix: str,
            tmp_path: Path) -> Iterator[Settings]:  # fmt: skip
    settings = publish_settings.model_copy(
        update={
            "catalogue": "ckan",
            "ckan_url": os.environ["CKAN_URL"],
            "ckan_api_token": os.environ["CKAN_API_TOKEN"],
            "rate_limit": 0,
        }  # fmt: skip
    )
    publisher = Portal.open(settings).publisher()
    try:
        for recipe in ("aed-suita", "aed-settsu"):
            recipe_path = TEST_DATA / "api" / f"{recipe}.yaml"
            publish_recipe(
                recipe_path, publisher, Workspace.of(settings), Options(allow_invalid=True)
            )
        yield settings
    finally:
        purge(ckan, suffix)


def test_facade_reads_ckan(on_ckan: Settings, suffix: str) -> None:
    client = TestClient(create_app(on_ckan))
    suita, settsu = f"272051-aed-{suffix}", f"272248-aed-{suffix}"
    found = client.get(
        "/api/v1/datasets", params={"q": "吹田", "organization": f"272051-{suffix}"}
    ).json()
    assert [r["name"] for r in found["results"]] == [
        suita
    ]  # Solr's CJK analyser found 吹田 in the title
    org = {"organization": f"272051-{suffix}"}
    for since, count in [("2000-01-01", 1), ("2000-01-01T09:00:00+09:00", 1), ("2999-01-01", 0)]:
        answer = client.get("/api/v1/datasets", params={**org, "modified_since": since})
        assert answer.status_code == 200, answer.text  # Solr needs a full UTC time
        assert answer.json()["count"] == count, since
    tagged = client.get("/api/v1/datasets", params={**org, "tag": "要修正"}).json()
    assert [r["name"] for r in tagged["results"]] == [suita]
    detail = client.get(f"/api/v1/datasets/{suita}").json()
    assert detail["validation"] == "invalid: 2 errors"
    csv_url = next(r["url"] for r in detail["resources"] if r["format"] == "CSV")
    assert csv_url.startswith(os.environ["CKAN_URL"])  # CKAN serves its own files
    rows = client.get(f"/api/v1/datasets/{settsu}/rows", params={"名称__like": "図書"}).json()
    assert {r["名称"] for r in rows["rows"]} == {"摂津市立図書館", "鳥飼図書センター"}
    download = client.get(f"/api/v1/datasets/{settsu}/download.csv")
    assert download.content == httpx.get(
        next(r["url"] for r in client.get(f"/api/v1/datasets/{settsu}").json()["resources"]
             if r["format"] == "CSV")).content  # fmt: skip
    shown = client.get("/api/3/action/package_show", params={"id": settsu}).json()["result"]
    assert shown["organization"]["name"] == f"272248-{suffix}"


def test_ckanapi_through_the_facade_on_ckan(on_ckan: Settings, suffix: str) -> None:
    for base in serve(create_app(on_ckan)):
        remote = ckanapi.RemoteCKAN(base)
        found = remote.action.package_search(q="AED", fq=f'organization:"272248-{suffix}"')
        assert [p["name"] for p in found["results"]] == [f"272248-aed-{suffix}"]
        assert f"272051-aed-{suffix}" in remote.action.package_list()


def test_organizations_of_a_ckan_with_more_than_25(
    on_ckan: Settings, suffix: str, ckan: ckanapi.RemoteCKAN
) -> None:
    # CKAN answers 25 organizations per all_fields call: the facade must page through them.
    for i in range(26):
        ckan.action.organization_create(name=f"org{i:02d}-{suffix}", title=f"組織{i}")
    client = TestClient(create_app(on_ckan))
    listed = client.get("/api/3/action/organization_list", params={"all_fields": "true"})
    names = {o["name"] for o in listed.json()["result"]}
    assert {f"org{i:02d}-{suffix}" for i in range(26)} | {f"272051-{suffix}"} <= names
    shown = client.get("/api/3/action/organization_show",
                       params={"id": f"272248-{suffix}", "include_datasets": "true"}).json()  # fmt: skip
    assert [p["name"] for p in shown["result"]["packages"]] == [f"272248-aed-{suffix}"]
    assert "users" not in shown["result"]
    missing = client.get("/api/3/action/organization_show", params={"id": f"none-{suffix}"})
    assert missing.status_code == 404
    assert "no organization" in missing.json()["error"]["message"]
