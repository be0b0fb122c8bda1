"""The DataStore's resource aliases: a dataset's name reads the rows of its CSV resource, as a
CKAN DataStore alias does — an address that does not change when the dataset is republished
(its resource ids do)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def action(client: TestClient, name: str, **params: Any) -> Any:
    answer = client.post(f"/api/3/action/{name}", json=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["result"]


def test_the_dataset_name_is_an_alias_of_its_csv_resource(client: TestClient) -> None:
    package = action(client, "package_show", id="272051-aed")
    csv_id = next(r["id"] for r in package["resources"] if r["format"] == "CSV")
    by_id = action(client, "datastore_search", resource_id=csv_id, limit=5, sort="_id")
    by_alias = action(client, "datastore_search", resource_id="272051-aed", limit=5, sort="_id")
    assert by_alias["records"] == by_id["records"] and by_alias["total"] == by_id["total"] > 0
    info = action(client, "datastore_info", id="272051-aed")
    assert info["meta"]["id"] == csv_id and info["meta"]["aliases"] == ["272051-aed"]


def test_an_unknown_name_is_ckans_not_found(client: TestClient) -> None:
    answer = client.post("/api/3/action/datastore_search", json={"resource_id": "272051-nothing"})
    assert answer.status_code == 404
    assert answer.json()["error"]["__type"] == "Not Found Error"
