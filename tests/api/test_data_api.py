"""Rows, cross-municipality queries and downloads, in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from fastapi.testclient import TestClient

from portal.settings import Settings

SUITA_HALL = (34.759393, 135.516811)


def rows(client: TestClient, url: str, **params: object) -> dict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_rows_filters(client: TestClient) -> None:
    url = "/api/v1/datasets/272051-aed/rows"
    assert rows(client, url)["total"] == 8
    assert [r["名称"] for r in rows(client, url, ID="2")["rows"]] == ["吹田市立中央図書館"]
    assert rows(client, url, 名称__like="図書館")["total"] == 2
    assert {r["ID"] for r in rows(client, url, ID__in="1,3,99")["rows"]} == {"1", "3"}
    north = rows(client, url, 緯度__gte="34.78", sort="-緯度", fields="名称,緯度")
    assert [r["名称"] for r in north["rows"]] == [
        "南千里庁舎",
        "𠮷田記念体育館",
        "吹田市立市民病院",
    ]
    assert set(north["rows"][0]) == {"名称", "緯度", "_dataset", "_lgcode"}
    assert north["fields"] == ["名称", "緯度"]
    assert rows(client, url, q="メイシアター")["total"] == 1  # 文化会館（メイシアター）


def test_filters_as_one_json_object_like_datastore_search(client: TestClient) -> None:
    url = "/api/v1/datasets/272051-aed/rows"
    both = rows(client, url, filters=json.dumps({"名称__like": "図書館", "ID": ["2", "5", "6"]}))
    plain = rows(client, url, 名称__like="図書館", ID__in="2,5,6")
    assert both["total"] == plain["total"] == 1
    assert both["rows"] == plain["rows"]
    for bad in ["not json", '["名称"]', '{"ID__eq": ["1", "2"]}']:
        response = client.get(url, params={"filters": bad})
        assert response.status_code == 400, bad
        assert "filters" in response.text or "__in" in response.text


def test_rows_bad_queries_say_what_is_wrong(client: TestClient) -> None:
    url = "/api/v1/datasets/272051-aed/rows"
    for params, words in [({"色": "赤"}, "unknown field '色'"), ({"ID__near": "1"}, "unknown operator 'near'"),
                          ({"limit": 5000}, "limit"), ({"cursor": "garbage"}, "cursor")]:  # fmt: skip
        response = client.get(url, params=params)
        assert response.status_code == 400, params
        assert words in response.json()["error"]["message_en"], response.json()
        assert response.json()["error"]["message_ja"]


def test_cursor_pages_through_everything_once(client: TestClient) -> None:
    seen, url = [], "/api/v1/datasets/272051-aed/rows?limit=3"
    while url:
        page = client.get(url).json()
        seen += [r["ID"] for r in page["rows"]]
        url = page["next"]
    assert seen == [str(i) for i in range(1, 9)]


def test_standard_rows_across_municipalities(client: TestClient) -> None:
    url = "/api/v1/standard/aed/rows"
    every = rows(client, url, limit=100)
    assert every["total"] == 3 + 8 + 5
    assert {r["_lgcode"] for r in every["rows"]} == {"222127", "272051", "272248"}
    osaka = rows(client, url, lgcode="272051,272248")
    assert osaka["total"] == 13
    near = rows(client, url, lat=SUITA_HALL[0], lon=SUITA_HALL[1], distance=1000)
    names = [r["名称"] for r in near["rows"]]
    assert names[0] == "吹田市役所本庁舎" and near["rows"][0]["_distance_m"] == 0.0
    assert "吹田市文化会館（メイシアター）" in names  # about 400 m away
    assert "摂津市役所" not in names  # about 4 km away
    wider = rows(client, url, lat=SUITA_HALL[0], lon=SUITA_HALL[1], distance=5000)
    assert "摂津市役所" in [r["名称"] for r in wider["rows"]]
    distances = [r["_distance_m"] for r in wider["rows"]]
    assert distances == sorted(distances) and max(distances) <= 5000
    half = client.get(url, params={"lat": 34.7})
    assert half.status_code == 400 and "lat, lon" in half.json()["error"]["message_en"]


def test_csv_download_is_the_published_file(client: TestClient, api_settings: Settings) -> None:
    response = client.get("/api/v1/datasets/272248-aed/download.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "272248_aed.csv" in response.headers["content-disposition"]
    published = next(Path(api_settings.data_dir, "catalogue").rglob("272248_aed.csv")).read_bytes()
    assert response.content == published
    records = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["名称"] for r in records][:2] == ["摂津市役所", "摂津市民文化ホール"]


def test_cp932_download_for_excel(client: TestClient) -> None:
    response = client.get("/api/v1/datasets/272248-aed/download.csv", params={"encoding": "cp932"})
    assert response.status_code == 200 and "shift_jis" in response.headers["content-type"].lower()
    assert "摂津市役所" in response.content.decode("cp932")
    assert "_cp932.csv" in response.headers["content-disposition"]


def test_cp932_reports_unmappable_characters(client: TestClient) -> None:
    # 𠮷 (U+20BB7) of 𠮷田記念体育館 has no CP932 code: never silently replaced.
    refused = client.get("/api/v1/datasets/272051-aed/download.csv", params={"encoding": "cp932"})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "unmappable-characters" and "𠮷" in error["message_en"]
    assert "UTF-8" in error["hint_ja"]
    replaced = client.get("/api/v1/datasets/272051-aed/download.csv",
                          params={"encoding": "cp932", "unmappable": "replace"})  # fmt: skip
    assert replaced.status_code == 200
    assert "〓田記念体育館" in replaced.content.decode("cp932")
    assert replaced.headers["x-portal-replaced"] == "%F0%A0%AE%B7"


def test_json_and_geojson_downloads(client: TestClient) -> None:
    records = client.get("/api/v1/datasets/272248-aed/download.json").json()
    assert len(records) == 5 and records[0]["名称"] == "摂津市役所"
    geo = client.get("/api/v1/datasets/272248-aed/download.geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    feature = json.loads(geo.content)["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [135.56221, 34.77718]}
    missing = client.get("/api/v1/datasets/272248-population-by-area-age/download.geojson")
    # A format this dataset does not publish is missing (404), not a bad request.
    assert missing.status_code == 404 and "GeoJSON" in missing.json()["error"]["message_en"]
    assert client.get("/api/v1/datasets/272248-aed/download.xml").status_code == 400


def test_downloads_are_cached_by_etag(client: TestClient) -> None:
    first = client.get("/api/v1/datasets/272248-aed/download.csv")
    again = client.get("/api/v1/datasets/272248-aed/download.csv",
                       headers={"If-None-Match": first.headers["etag"]})  # fmt: skip
    assert again.status_code == 304
    cp932 = client.get("/api/v1/datasets/272248-aed/download.csv?encoding=cp932")
    assert cp932.headers["etag"] != first.headers["etag"]
