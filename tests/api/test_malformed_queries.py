"""Malformed queries are 400s in the error shape, naming the parameter — never a 500, and
never a reset of the client's keep-alive connection."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi.testclient import TestClient

ROWS = "/api/v1/datasets/272051-aed/rows"
COUNTS = "/api/v1/datasets/272248-population-by-area-age/rows"  # 総人口 is an integer field
HUGE = "99999999999999999999999"  # far beyond 2^63


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


MALFORMED = [  # (case, url, params, what the message names)
    ("lat-inf", "/api/v1/standard/aed/rows", {"lat": "inf", "lon": "135.5"}, "lat"),
    ("lat-nan", "/api/v1/standard/aed/rows", {"lat": "nan", "lon": "135.5"}, "lat"),
    ("wapi-lon-inf", "/wapi/aed", {"lat": "34.7", "lon": "-inf"}, "lon"),
    ("cursor-1e400", ROWS, {"cursor": cursor('{"after": 1e400}')}, "cursor"),
    ("cursor-huge", ROWS, {"cursor": cursor(f'{{"after": {HUGE}}}')}, "cursor"),
    ("cursor-nested", ROWS, {"cursor": cursor("[" * 60)}, "cursor"),
    ("q-50001", ROWS, {"q": "a" * 50_001}, "q"),
    ("like-60000", ROWS, {"名称__like": "a" * 60_000}, "名称"),
    ("filters-nested-object", ROWS, {"filters": '{"ID": ' + "[" * 5000 + "]" * 5000 + "}"}, "filters"),
    ("filters-nested-list", ROWS, {"filters": "[" * 3000 + "]" * 3000}, "filters"),
    ("too-many-filters", ROWS + "?" + "&".join(["ID=1"] * 1100), {}, "filters"),
    ("integer-gt-huge", COUNTS, {"総人口__gt": HUGE}, "総人口"),
    ("integer-lte-minus-huge", COUNTS, {"総人口__lte": "-" + HUGE}, "総人口"),
    ("filters-json-huge", COUNTS, {"filters": f'{{"総人口__gte": {HUGE}}}'}, "総人口"),
    ("number-gt-1e400", "/api/v1/standard/aed/rows", {"緯度__gt": "1e400"}, "緯度"),
    ("file-id-300", "/files/" + "a" * 300 + "/report.html", {}, "resource_id"),
    ("catalogue-q-50001", "/api/v1/datasets", {"q": "a" * 50_001}, "q"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "params", "named"), [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])  # fmt: skip
def test_a_malformed_query_is_a_400_that_names_the_parameter(
    client: TestClient, url: str, params: dict[str, str], named: str
) -> None:
    response = client.get(url, params=params or None)
    assert response.status_code == 400, response.text[:300]
    error = response.json()["error"]
    assert error["code"] in ("bad-request", "bad-query") and error["status"] == 400
    assert named in error["message_en"] and error["message_ja"]


def test_a_field_named_thousands_of_times_is_named_once(client: TestClient) -> None:
    many = ",".join(["ID"] * 2100)  # over SQLite's 2000 columns or sort terms
    for params in ({"fields": many}, {"sort": many}):
        response = client.get(ROWS, params={**params, "limit": 2})
        assert response.status_code == 200, response.text[:300]
        assert [r["ID"] for r in response.json()["rows"]] == ["1", "2"]


def test_an_integer_beyond_64_bits_still_finds_the_cell_that_holds_it(client: TestClient) -> None:
    # Equality compares as the rows store keeps such a cell (as its text): no match here.
    response = client.get(COUNTS, params={"総人口": HUGE})
    assert response.status_code == 200 and response.json()["total"] == 0


def test_a_file_name_beyond_the_file_system_is_no_such_file(client: TestClient) -> None:
    resource = client.get("/api/v1/datasets/272051-aed/resources").json()[0]
    response = client.get(f"/files/{resource['id']}/{'名' * 200}.csv")  # 600 bytes: ENAMETOOLONG
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "file-not-found"


def test_over_a_real_socket_the_keep_alive_connection_survives(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        peers = set()
        for _, url, params, _ in MALFORMED:
            if url.startswith("/files/") or "q" in params:  # keep the URLs to what servers take
                continue
            response = http.get(url, params=params or None)
            assert response.status_code == 400, (url, response.text[:300])
            peers.add(response.extensions["network_stream"].get_extra_info("client_addr"))
        assert http.get(ROWS, params={"limit": 1}).status_code == 200
        assert len(peers) == 1, "the server closed the connection after an answer"
