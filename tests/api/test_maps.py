"""The maps' data and pages, in-process: a dataset's points (each a row of the rows API, with
its name, address and a link that finds that row), a standard's points across municipalities
and nearest first around a place, the /map page (a chooser, a typed place, the nearest
rows listed), errors in the API's shape, and the pages' Content-Security-Policy."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from portal.settings import Settings

SUITA_HALL = (34.759393, 135.516811)  # 吹田市役所
GSI = "https://cyberjapandata.gsi.go.jp"


def geojson(client: TestClient, **params: object) -> dict[str, Any]:
    response = client.get("/map/points.geojson", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    body: dict[str, Any] = response.json()
    assert body["type"] == "FeatureCollection"
    return body


def rows(client: TestClient, url: str, **params: object) -> dict[str, Any]:
    response = client.get(url, params=params or None)  # {} would drop the URL's own query
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_datasets_points_are_its_rows_with_coordinates(client: TestClient) -> None:
    body = geojson(client, dataset="272051-aed")
    table = rows(client, "/api/v1/datasets/272051-aed/rows", limit=1000)["rows"]
    placed = [r for r in table if isinstance(r["緯度"], float) and isinstance(r["経度"], float)]
    assert len(body["features"]) == len(placed) > 0
    assert not body["truncated"]
    for feature, row in zip(body["features"], placed, strict=True):
        assert feature["geometry"] == {"type": "Point", "coordinates": [row["経度"], row["緯度"]]}
        properties = feature["properties"]
        assert properties["name"] == row["名称"]
        assert properties["address"] == (row["所在地_連結表記"] or "")
        # The row's link is the rows API filtered on its ID: it finds that one row.
        linked = rows(client, properties["url"].removeprefix("http://testserver"))
        assert [r["名称"] for r in linked["rows"]] == [row["名称"]]
        assert properties["page"].endswith("/datasets/272051-aed")
    # The base map the page's script draws: 地理院タイル with its credit, by default.
    assert body["map"]["tiles"] == Settings.model_fields["map_tiles"].default
    assert "地理院タイル" in body["map"]["attribution"]
    assert "https://maps.gsi.go.jp/development/ichiran.html" in body["map"]["attribution"]


def test_a_standards_points_cover_every_municipality(client: TestClient) -> None:
    body = geojson(client, standard="aed")
    across = rows(client, "/api/v1/standard/aed/rows", limit=1000)
    placed = [r for r in across["rows"] if isinstance(r["緯度"], float)]
    assert len(body["features"]) == len(placed)
    municipalities = {f["properties"]["lgcode"] for f in body["features"]}
    assert municipalities == {r["_lgcode"] for r in placed} and len(municipalities) >= 2


def test_near_a_place_nearest_first_as_the_distance_query(client: TestClient) -> None:
    lat, lon = SUITA_HALL
    body = geojson(client, standard="aed", lat=lat, lon=lon, distance=3000)
    near = rows(client, "/api/v1/standard/aed/rows", lat=lat, lon=lon, distance=3000)
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == [r["_distance_m"] for r in near["rows"]]
    assert distances == sorted(distances) and 0 < len(distances) < near["total"] + 1
    assert all(d <= 3000 for d in distances)
    assert {f["properties"]["lgcode"] for f in body["features"]} == {"272051"}


def test_points_errors_in_the_apis_shape(client: TestClient) -> None:
    for params, status, code in [
        ({}, 400, "bad-query"),  # neither dataset nor standard
        ({"dataset": "272051-aed", "standard": "aed"}, 400, "bad-query"),
        ({"standard": "aed", "lat": SUITA_HALL[0]}, 400, "bad-query"),  # lat without lon
        ({"dataset": "no-such-dataset"}, 404, None),
        ({"standard": "no_such_standard"}, 404, "dataset-not-found"),
        ({"standard": "population_by_area_age"}, 404, "map-unavailable"),  # no 緯度/経度
    ]:
        response = client.get("/map/points.geojson", params=params)
        assert response.status_code == status, (params, response.text)
        error = response.json()["error"]
        assert response.json()["ok"] is False and error["message_ja"] and error["message_en"]
        if code:
            assert error["code"] == code, params


def test_the_map_page_offers_the_standards_with_coordinates(client: TestClient) -> None:
    page = client.get("/map", headers={"Accept": "text/html"})
    assert page.status_code == 200
    offered = re.findall(r'href="/map\?standard=([^"]+)"', page.text)
    assert "aed" in offered and "public_facility" in offered
    assert "population_by_area_age" not in offered  # no coordinates, no map
    assert "地図で探す" in page.text


def test_a_typed_municipality_lists_the_nearest_rows(client: TestClient) -> None:
    page = client.get("/map", params={"standard": "aed", "place": "吹田市", "distance": 5000})
    assert page.status_code == 200, page.text
    assert "「大阪府吹田市」から近い順" in page.text
    table = page.text[page.text.index('data-testid="nearest"') :]
    assert "吹田市立中央図書館" in table
    metres = [float(m.replace(",", "")) for m in re.findall(r"<td>([\d,]+) m</td>", table)]
    assert metres == sorted(metres) and all(m <= 5000 for m in metres) and metres
    assert 'data-center="' in page.text  # the map is centred on the place
    assert "/map/points.geojson?standard=aed&amp;lat=" in page.text


def test_typed_coordinates_in_full_width_digits(client: TestClient) -> None:
    page = client.get(
        "/map", params={"standard": "aed", "place": "３４．７５９３, １３５．５１６８"}
    )
    assert page.status_code == 200
    assert "「34.7593, 135.5168」から近い順" in page.text


def test_a_place_in_two_prefectures_asks_which(client: TestClient) -> None:
    page = client.get("/map", params={"standard": "aed", "place": "府中市"})
    assert page.status_code == 200
    listed = page.text[page.text.index('data-testid="place-candidates"') :]
    assert "東京都府中市" in listed and "広島県府中市" in listed


def test_an_unknown_place_says_what_to_type(client: TestClient) -> None:
    page = client.get("/map", params={"standard": "aed", "place": "どこにもない町"})
    assert page.status_code == 400
    assert "「どこにもない町」に当たる市区町村・座標が見つかりません" in page.text
    assert 'aria-invalid="true"' in page.text  # the field is marked for screen readers
    english = client.get("/map", params={"standard": "aed", "place": "Nowhere", "lang": "en"})
    assert "no municipality or coordinates found for &#39;Nowhere&#39;" in english.text


def test_a_datasets_page_has_a_map_when_it_has_coordinates(client: TestClient) -> None:
    with_map = client.get("/datasets/272051-aed", headers={"Accept": "text/html"})
    assert 'data-map-points="/map/points.geojson?dataset=272051-aed"' in with_map.text
    assert '<script src="/static/map/map.js" defer></script>' in with_map.text
    names = rows(client, "/api/v1/datasets", standard="population_by_area_age")["results"]
    without = client.get(f"/datasets/{names[0]['name']}", headers={"Accept": "text/html"})
    assert without.status_code == 200 and "data-map-points" not in without.text


def test_pages_with_a_map_may_load_the_tiles_and_the_bundled_script(client: TestClient) -> None:
    for path in ("/map?standard=aed", "/datasets/272051-aed"):
        policy = client.get(path).headers["content-security-policy"]
        assert f"img-src 'self' data: {GSI};" in policy, policy
        assert "script-src 'self';" in policy + ";" and "connect-src 'self'" in policy
    home = client.get("/").headers["content-security-policy"]
    assert "script-src" not in home and GSI not in home  # pages without a map: no script


def test_every_page_links_the_map_in_the_readers_language(client: TestClient) -> None:
    for url, link in (("/", 'href="/map"'), ("/datasets/272051-aed", 'href="/map"'),
                      ("/?lang=en", 'href="/map?lang=en"')):  # fmt: skip
        page = client.get(url)
        assert page.status_code == 200 and link in page.text, url
