"""What every answer shares: HEAD wherever GET works, the headers that keep browsers from
sniffing, framing or running what the portal serves, and the 404 of a missing page."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from portal.jobs.ping import PING_JOB

KNOWN = {"name": "272051-aed", "slug": "aed", "apiname": "aed", "fmt": "csv",
         "action": "package_list", "number": "1"}  # fmt: skip


# Chromium's Accept on a navigation: HTML first, anything else at q=0.8.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

PAGES = ["/", "/datasets/272051-aed", "/organizations/272051", "/docs", "/openapi.json",
         "/static/portal.css"]  # fmt: skip


def get_urls(client: TestClient) -> list[str]:
    """Every documented public GET route (not those that need signing in: tests/api/test_auth.py),
    its path parameters filled with things that exist, and the pages (not in the API's document)."""
    report = next(r for r in client.get("/api/v1/datasets/272051-aed/resources").json()
                  if r["name"].endswith(".validation.html"))  # fmt: skip
    job = client.app.state.portal.jobs.enqueue(PING_JOB, {})  # type: ignore[attr-defined]
    known = {**KNOWN, "resource_id": report["id"], "filename": report["name"], "job_id": job.id}
    paths = client.get("/openapi.json").json()["paths"]
    public = [
        path for path, ops in paths.items() if "get" in ops and "401" not in ops["get"]["responses"]
    ]
    return [path.format(**known) for path in public] + PAGES


def test_head_answers_wherever_get_does(client: TestClient) -> None:
    urls = get_urls(client)
    assert len(urls) >= 22
    for url in urls:
        got, head = client.get(url), client.head(url)
        assert got.status_code == 200, url
        assert head.status_code == 200 and head.content == b"", url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers.get("etag") == got.headers.get("etag"), url


def test_head_over_a_real_socket(server: str) -> None:
    with httpx.Client(base_url=server) as http:
        for url in ("/api/v1/datasets/272051-aed/download.csv", "/datasets/272051-aed"):
            got, head = http.get(url), http.head(url)
            assert head.status_code == 200 and head.content == b""
            assert head.headers["content-length"] == got.headers["content-length"]
        assert http.get("/api/v1/datasets").status_code == 200  # the connection carries on


@pytest.mark.parametrize(
    ("url", "policy"),
    [("/", "style-src 'self'"), ("/datasets/272051-aed", "style-src 'self'"),
     ("/datasets/999999-nothing", "style-src 'self'"), ("/api/v1/datasets", "sandbox"),
     ("/api/v1/nowhere", "sandbox"), ("/docs", "script-src 'self' 'unsafe-inline'")],
)  # fmt: skip
def test_every_answer_forbids_sniffing_and_framing(
    client: TestClient, url: str, policy: str
) -> None:
    headers = client.get(url).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert policy in headers["content-security-policy"]
    # Script only where a page needs it: the API docs, and the map of a dataset page — the
    # portal's own bundle there, never inline script.
    scripts = [d for d in headers["content-security-policy"].split(";") if "script-src" in d]
    assert not scripts or url == "/docs" or url.startswith("/datasets/")
    assert url == "/docs" or all("unsafe" not in d for d in scripts)


def test_html_reports_under_files_run_no_script(client: TestClient) -> None:
    report = next(r for r in client.get("/api/v1/datasets/272051-aed/resources").json()
                  if r["name"].endswith(".validation.html"))  # fmt: skip
    response = client.get(report["url"])
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    # A report shows what the data holds: no script, an origin of its own, no framing.
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_organization_is_a_404_page(client: TestClient) -> None:
    known = client.get("/organizations/272051")
    assert known.status_code == 200 and "AED設置箇所一覧（大阪府吹田市）" in known.text
    missing = client.get("/organizations/999999", headers={"Accept": BROWSER})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "999999" in missing.text and "組織" in missing.text


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/api/v1/datasets/999999-nothing", 404, "999999-nothing"),
        ("/api/v1/no-such-route", 404, "404"),
        ("/api/3/action/package_show?id=999999-nothing", 404, "999999-nothing"),
        ("/api/v1/datasets?limit=0", 400, "limit"),
    ],
)
def test_a_browser_gets_the_error_page_on_an_api_path(
    client: TestClient, path: str, status: int, says: str
) -> None:
    """Someone who opens an API link in a browser reads a page, with the status kept."""
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert says in response.text and "<h1>" in response.text


@pytest.mark.parametrize("accept", ["*/*", "application/json", None])
@pytest.mark.parametrize("path", ["/datasets/999999-nothing", "/organizations/999999"])
def test_curl_gets_the_json_error_on_a_page_path(
    client: TestClient, path: str, accept: str | None
) -> None:
    """curl (`*/*`), API clients and clients that send no Accept get the JSON error shape."""
    headers = {"Accept": accept} if accept else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    error = response.json()["error"]
    assert response.json()["ok"] is False and error["status"] == 404
    assert "999999" in error["message_en"] and "999999" in error["message_ja"]


def test_ckan_paths_keep_ckans_error_shape_for_json(client: TestClient) -> None:
    response = client.get("/api/3/action/package_show", params={"id": "999999-nothing"})
    assert response.status_code == 404
    assert response.json()["success"] is False
    assert response.json()["error"]["__type"] == "Not Found Error"


def test_a_browser_gets_the_page_for_a_refused_method(client: TestClient) -> None:
    response = client.post("/datasets/272051-aed", headers={"Accept": BROWSER})
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "GET" in response.headers["allow"]
