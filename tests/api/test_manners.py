"""Rate limits on the heavy routes, API keys for higher limits; the app over a real socket."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import Settings
from tests.api.conftest import serve


def test_heavy_routes_are_limited_per_client(api_settings: Settings) -> None:
    settings = api_settings.model_copy(
        update={"rate_limit": 3, "rate_limit_keyed": 100, "api_keys": ["civic-tech-key"]}
    )
    client = TestClient(create_app(settings))
    url = "/api/v1/datasets/272248-aed/rows"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(url)
    assert limited.status_code == 429
    # Retry-After: when the client's minute (its window, from its first request) ends.
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    error = limited.json()["error"]
    assert error["code"] == "rate-limited" and "X-API-Key" in error["hint_en"]
    assert client.get("/api/v1/datasets/272248-aed/download.csv").status_code == 429
    # The catalogue routes are light and stay open; a key lifts the limit on the heavy ones.
    assert client.get("/api/v1/datasets").status_code == 200
    keyed = [
        client.get(url, headers={"X-API-Key": "civic-tech-key"}).status_code for _ in range(10)
    ]
    assert keyed == [200] * 10
    assert client.get(url, headers={"X-API-Key": "guessed"}).status_code == 429


def test_over_a_real_socket(api_settings: Settings) -> None:
    for base in serve(create_app(api_settings)):
        with httpx.Client(base_url=base) as http:
            page = http.get("/api/v1/datasets/272051-aed/rows", params={"limit": 2})
            assert page.status_code == 200 and len(page.json()["rows"]) == 2
            nxt = http.get(page.json()["next"]).json()
            assert [r["ID"] for r in nxt["rows"]] == ["3", "4"]
            big = http.get("/api/v1/datasets/272051-aed/download.json",
                           headers={"Accept-Encoding": "gzip"})  # fmt: skip
            assert big.headers["content-encoding"] == "gzip" and len(big.json()) == 8
            home = http.get("/", headers={"Accept": "text/html"})
            assert home.headers["content-type"].startswith("text/html")
            assert "AED設置箇所一覧（大阪府吹田市）" in home.text
