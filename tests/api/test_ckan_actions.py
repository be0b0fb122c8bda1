"""CKAN's Action API as CKAN clients read it (issue 18): the fields of package_show and
organization_show, the other read actions, an unknown action, double slashes in the path,
and fq answered as CKAN's Solr answers it (compared with a real CKAN in
tests/integration/test_fq_vs_ckan.py)."""

from __future__ import annotations

from typing import Any

import ckanapi
import httpx
import pytest
from fastapi.testclient import TestClient

ACTION = "/api/3/action/"


def result(client: TestClient, action: str, **params: Any) -> Any:
    answer = client.get(ACTION + action, params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["success"] is True
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return body["result"]


def test_organization_show_as_ckanext_harvest_reads_it(client: TestClient) -> None:
    org = result(client, "organization_show", id="272248")
    for key in ("id", "name", "title", "display_name", "description", "image_url", "created",
                "state", "type", "is_organization", "package_count", "approval_status"):  # fmt: skip
        assert key in org, key
    assert org["is_organization"] is True and org["state"] == "active"
    assert org["package_count"] == 2
    # a dataset's owner_org is its organization's id, and organization_show finds it by id
    package = result(client, "package_show", id="272248-aed")
    assert package["owner_org"] == org["id"] == package["organization"]["id"]
    assert result(client, "organization_show", id=org["id"])["name"] == "272248"
    listed = result(client, "organization_list", all_fields="true")
    assert {o["id"] for o in listed} >= {org["id"]}


@pytest.mark.parametrize("path", ["//api/3/action/organization_show?id=272248",
                                  "/api//3/action/organization_show?id=272248",
                                  "//api/action/status_show"])  # fmt: skip
def test_double_slashes_are_served(server: str, path: str) -> None:
    answer = httpx.get(server + path)  # a source URL ending in / joined with /api/3/action/…
    assert answer.status_code == 200, answer.text
    assert answer.json()["success"] is True


def test_package_show_has_the_fields_ckan_clients_read(client: TestClient) -> None:
    package = result(client, "package_show", id="272248-aed")
    assert package["license_id"] == "cc-by"
    assert package["license_title"] == "Creative Commons Attribution"
    assert package["license_url"] == "http://www.opendefinition.org/licenses/cc-by"
    assert package["isopen"] is True
    assert package["state"] == "active" and package["type"] == "dataset"
    assert package["private"] is False
    for key in ("url", "version", "author", "maintainer", "maintainer_email"):
        assert key in package, key
    assert all(t["id"] and t["display_name"] == t["name"] for t in package["tags"])
    assert package["num_tags"] == len(package["tags"])
    assert package["num_resources"] == len(package["resources"])
    for position, resource in enumerate(package["resources"]):
        assert resource["package_id"] == package["id"]
        assert resource["position"] == position
        assert resource["state"] == "active" and resource["url_type"] == "upload"
        for key in ("created", "last_modified", "mimetype", "size", "hash"):
            assert key in resource, key
        assert resource["url"].startswith("http")
    active = {r["format"]: r["datastore_active"] for r in package["resources"]}
    assert active["CSV"] is True  # its rows are in the rows store: datastore_search serves them
    assert active["HTML"] is False


def test_tag_ids_are_stable_across_datasets(client: TestClient) -> None:
    tags = {t["name"]: t["id"] for t in result(client, "package_show", id="272248-aed")["tags"]}
    others = {t["name"]: t["id"] for t in result(client, "package_show", id="272051-aed")["tags"]}
    assert tags["自治体標準ODS"] == others["自治体標準ODS"]


def test_resource_show(client: TestClient) -> None:
    package = result(client, "package_show", id="272248-aed")
    csv = next(r for r in package["resources"] if r["format"] == "CSV")
    assert result(client, "resource_show", id=csv["id"]) == csv
    missing = client.get(ACTION + "resource_show", params={"id": "nope"})
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"


def test_tag_list_license_list_help_show_autocomplete(client: TestClient) -> None:
    tags = result(client, "tag_list")
    assert "自治体標準ODS" in tags and "要修正" in tags
    assert result(client, "tag_list", query="要修") == ["要修正"]
    licences = {lic["id"]: lic for lic in result(client, "license_list")}
    assert licences["cc-by"]["title"] == "Creative Commons Attribution"
    assert "id" in result(client, "help_show", name="package_show")
    assert client.get(ACTION + "help_show", params={"name": "nope"}).status_code == 404
    found = result(client, "package_autocomplete", q="272248-a")
    assert found == [{"name": "272248-aed", "title": "AED設置箇所一覧（大阪府摂津市）",
                      "match_field": "name", "match_displayed": "272248-aed"}]  # fmt: skip
    by_title = result(client, "package_autocomplete", q="摂津市")
    assert {p["match_field"] for p in by_title} == {"title"}


def test_unknown_action_answers_as_ckan(client: TestClient) -> None:
    answer = client.get(ACTION + "package_create")
    assert answer.status_code == 400
    body = answer.json()
    assert body["success"] is False
    assert body["error"] == {
        "__type": "Bad request",
        "message": "Action name not known: package_create",
    }


def names(client: TestClient, fq: str) -> set[str]:
    found = result(client, "package_search", fq=fq, rows=1000)
    assert found["count"] == len(found["results"])
    return {p["name"] for p in found["results"]}


ALL = {"222127-aed", "222127-event", "222127-public-facility", "272051-aed", "272248-aed",
       "272248-population-by-area-age"}  # fmt: skip


@pytest.mark.parametrize(("fq", "expected"), [
    ("(organization:272248 OR organization:272051)", {"272248-aed", "272248-population-by-area-age", "272051-aed"}),
    # CKAN puts fq between its own +capacity:public … +state:(active): OR'd top-level
    # clauses become optional, so ckanext-harvest's include filter keeps everything there
    ("organization:272248 OR organization:272051", ALL),
    ("-organization:222127 -organization:272248", {"272051-aed"}),
    ("organization:272248 -name:272248-aed", {"272248-population-by-area-age"}),
    ("metadata_modified:[NOW-1DAY TO *]", ALL),
    ("metadata_modified:[* TO NOW-1DAY]", set()),
    ("metadata_modified:{NOW/DAY-1DAY TO NOW/DAY+1DAY}", ALL),
    ("metadata_modified:[2000-01-01T00:00:00Z TO 2001-01-01T00:00:00Z]", set()),
    ("name:[272051 TO 272248-aed]", {"272051-aed", "272248-aed"}),
    ("name:{272051-aed TO 272248-aed}", set()),
    ('tags:"要修正"', {"222127-aed", "272051-aed"}),
    ("name:2722*", {"272248-aed", "272248-population-by-area-age"}),
    ("organization:(272248 OR 272051) AND NOT tags:要修正", {"272248-aed", "272248-population-by-area-age"}),
    ("(-organization:222127)", set()),  # a group of exclusions only matches nothing in Solr
])  # fmt: skip
def test_fq_as_solr_answers_it(client: TestClient, fq: str, expected: set[str]) -> None:
    assert names(client, fq) == expected


@pytest.mark.parametrize(("fq", "named"), [
    ("title:AED", "the field 'title'"),
    ("AED", "a term without a field"),
    ("name:aed~1", "fuzzy search"),
    ("name:/27.*/", "regular expressions"),
    ("metadata_modified:[2026-01-01 TO *]", "the date '2026-01-01'"),
    ("name:(a", "this syntax"),
])  # fmt: skip
def test_fq_it_cannot_answer_as_ckan_is_a_409_naming_it(
    client: TestClient, fq: str, named: str
) -> None:
    answer = client.get(ACTION + "package_search", params={"fq": fq})
    assert answer.status_code == 409, answer.text
    error = answer.json()["error"]
    assert error["__type"] == "Validation Error"
    assert named in error["message"]


def test_ckanapi_reads_the_new_actions(server: str) -> None:
    remote = ckanapi.RemoteCKAN(server, user_agent="portal-tests")
    org = remote.action.organization_show(id="272051")
    assert remote.action.organization_show(id=org["id"])["name"] == "272051"
    assert "cc-by" in {lic["id"] for lic in remote.action.license_list()}
    with pytest.raises(ckanapi.NotFound):
        remote.action.resource_show(id="nope")
    # the harvester's source URL with a trailing slash
    answer = httpx.get(server + "//api/3/action/organization_show", params={"id": "272051"})
    assert answer.json()["result"]["id"] == org["id"]
