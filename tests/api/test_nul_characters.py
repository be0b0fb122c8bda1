"""A NUL character in an address or a JSON body is a clear 400 on every route, on both
state back ends — PostgreSQL cannot hold NUL in text, and found it first as a 500 (the
OpenAPI state machine sent one)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

JSON = {"Accept": "application/json"}
ADDRESSES = [
    "/api/v1/datasets/%00", "/api/v1/standard/aed/rows?q=%00",
    "/api/v1/datasets/272051-aed/rows?名称=a%00b", "/api/3/action/package_show?id=%00",
    "/api/3/action/datastore_search?resource_id=272051-aed&q=%00", "/datasets/%00",
    "/map/points.geojson?dataset=%00", "/api/v1/jobs/%00", "/datasets/%00/feed.atom",
]  # fmt: skip


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_nul_in_the_address_is_a_400_naming_it(client: TestClient, address: str) -> None:
    answer = client.get(address, headers=JSON)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    error = body["error"]
    if address.startswith("/api/3/action/"):  # CKAN's shape for CKAN's clients
        assert body["success"] is False and "NUL" in error["message"]
    else:
        assert error["code"] == "control-character" and "%00" in error["message_en"]
        assert "NUL" in error["message_ja"]


def test_a_nul_in_a_json_body_is_a_400(client: TestClient) -> None:
    answer = client.post("/api/3/action/package_show", json={"id": "272051-aed\x00"})
    assert answer.status_code == 400 and answer.json()["success"] is False


def test_a_browser_gets_the_error_page(client: TestClient) -> None:
    answer = client.get("/datasets/%00", headers={"Accept": "text/html"})
    assert answer.status_code == 400 and "%00" in answer.text
