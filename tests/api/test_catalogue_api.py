"""/api/v1 catalogue routes, in-process: Japanese search, filters, detail, conditional requests,
and the one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient


def names(body: dict) -> set[str]:
    return {r["name"] for r in body["results"]}


def test_japanese_search_finds_words_inside_titles(client: TestClient) -> None:
    # No whitespace in Japanese titles: 設置 is inside 「AED設置箇所一覧（大阪府吹田市）」.
    found = client.get("/api/v1/datasets", params={"q": "設置"}).json()
    assert names(found) == {"222127-aed", "272051-aed", "272248-aed"}
    assert client.get("/api/v1/datasets", params={"q": "吹田 AED"}).json()["count"] == 1
    assert client.get("/api/v1/datasets", params={"q": "避難"}).json()["count"] == 0


def test_filters(client: TestClient) -> None:
    def search(**params: str) -> set[str]:
        return names(client.get("/api/v1/datasets", params=params).json())

    assert search(standard="aed") == {"222127-aed", "272051-aed", "272248-aed"}
    assert search(organization="272248") == {"272248-aed", "272248-population-by-area-age"}
    assert search(tag="要修正") == {"222127-aed", "272051-aed"}
    assert len(search(license="cc-by")) == 6
    assert search(license="cc-zero") == set()
    assert len(search(modified_since="2000-01-01")) == 6
    assert search(modified_since="2999-01-01") == set()
    assert len(search(modified_since="2000-01-01T09:00:00+09:00")) == 6
    wrong = client.get("/api/v1/datasets", params={"modified_since": "先週"})
    assert wrong.status_code == 400 and "ISO" in wrong.json()["error"]["message_en"]
    assert "modified_since" in wrong.json()["error"]["message_ja"]


def test_search_pages(client: TestClient) -> None:
    first = client.get("/api/v1/datasets", params={"limit": 4}).json()
    second = client.get("/api/v1/datasets", params={"limit": 4, "offset": 4}).json()
    assert first["count"] == second["count"] == 6
    assert len(first["results"]) == 4 and len(second["results"]) == 2
    assert names(first).isdisjoint(names(second))


def test_detail_has_fields_resources_and_links(client: TestClient) -> None:
    detail = client.get("/api/v1/datasets/272051-aed").json()
    assert detail["title"] == "AED設置箇所一覧（大阪府吹田市）"
    assert detail["standard"] == "aed" and detail["lgcode"] == "272051"
    assert detail["validation"] == "invalid: 2 errors"
    assert detail["rows"] == 8
    assert [f["name"] for f in detail["fields"]][:3] == [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
    ]
    formats = {r["format"] for r in detail["resources"]}
    assert {"CSV", "JSON", "GeoJSON", "HTML"} <= formats
    assert all(r["url"].startswith("http://testserver/files/") for r in detail["resources"])
    csv = next(r for r in detail["resources"] if r["format"] == "CSV")
    assert client.get(csv["url"]).content.decode("utf-8").startswith("全国地方公共団体コード,ID,")
    assert detail["links"]["geojson"].endswith("/api/v1/datasets/272051-aed/download.geojson")


def test_conditional_requests(client: TestClient) -> None:
    first = client.get("/api/v1/datasets/272248-aed")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert (
        client.get("/api/v1/datasets/272248-aed", headers={"If-None-Match": etag}).status_code
        == 304
    )
    again = client.get("/api/v1/datasets/272248-aed", headers={"If-Modified-Since": modified})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/datasets/272248-aed", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_errors_have_one_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/datasets/999999-nothing")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert missing.json()["ok"] is False
    assert error["code"] == "package-not-found" and error["status"] == 404
    assert "999999-nothing" in error["message_en"] and error["message_ja"]
    bad = client.get("/api/v1/datasets", params={"limit": 0})
    assert bad.status_code == 400
    assert (
        bad.json()["error"]["code"] == "bad-request"
        and "limit" in bad.json()["error"]["message_en"]
    )
    unknown = client.get("/api/v1/nowhere")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not-found"


def test_standards_list_who_publishes(client: TestClient) -> None:
    standards = {s["slug"]: s for s in client.get("/api/v1/standards").json()}
    assert standards["aed"]["datasets"] == ["222127-aed", "272051-aed", "272248-aed"]
    assert standards["evacuation_space"]["datasets"] == []
    schema = client.get("/api/v1/standards/aed").json()["schema"]
    assert schema["fields"][3]["name"] == "名称"
    assert client.get("/api/v1/standards/nothing").status_code == 404


def test_cors_and_gzip(client: TestClient) -> None:
    response = client.get(
        "/api/v1/datasets", headers={"Origin": "https://example.org", "Accept-Encoding": "gzip"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["count"] == 6  # httpx decoded it


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/datasets", "/api/v1/datasets/{name}", "/api/v1/datasets/{name}/rows",
                 "/api/v1/datasets/{name}/download.{fmt}", "/api/v1/standard/{slug}/rows",
                 "/wapi/{apiname}", "/wapi/api/list", "/wapi/organization", "/api/3/action/{action}",
                 "/catalog.jsonld", "/catalog.ttl"):  # fmt: skip
        assert path in paths, path
    assert client.get("/docs").status_code == 200


def test_openapi_says_what_each_route_answers(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    download = paths["/api/v1/datasets/{name}/download.{fmt}"]["get"]
    fmt = next(p for p in download["parameters"] if p["name"] == "fmt")
    assert fmt["schema"]["enum"] == ["csv", "json", "geojson"]  # not any string, then refused
    assert {"text/csv", "application/json", "application/geo+json"} <= set(
        download["responses"]["200"]["content"]
    )
    assert "application/ld+json" in paths["/catalog.jsonld"]["get"]["responses"]["200"]["content"]
    assert "text/turtle" in paths["/catalog.ttl"]["get"]["responses"]["200"]["content"]
    assert {"400", "404"} <= set(paths["/api/v1/datasets/{name}/rows"]["get"]["responses"])
    assert {"400", "404", "409"} <= set(paths["/api/3/action/{action}"]["get"]["responses"])
    assert "404" in paths["/api/v1/datasets/{name}"]["get"]["responses"]
    # This API answers a bad parameter with a 400 in its own shape, never FastAPI's 422.
    assert "HTTPValidationError" not in str(doc)
    error = doc["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"ok", "error"}


def test_every_documented_method_is_answered(client: TestClient) -> None:
    filled = {"name": "272051-aed", "slug": "aed", "apiname": "aed", "fmt": "csv",
              "action": "status_show", "resource_id": "x", "filename": "y", "upload_id": "x",
              "number": "1", "job_id": "x", "connector": "x", "subscription_id": "x"}  # fmt: skip
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        for method in operations:
            response = client.request(method, path.format(**filled))
            assert response.status_code != 405, (method, path)
