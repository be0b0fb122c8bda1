"""What every answer shares: HEAD wherever GET works, the headers that keep browsers from
sniffing, framing or running what the portal serves, and the 404 of a missing page."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

KNOWN = {"name": "272051-aed", "slug": "aed", "apiname": "aed", "fmt": "csv",
         "action": "package_list"}  # fmt: skip


PAGES = ["/", "/datasets/272051-aed", "/organizations/272051", "/docs", "/openapi.json",
         "/static/portal.css"]  # fmt: skip


def get_urls(client: TestClient) -> list[str]:
    """Every documented GET route, its path parameters filled with things that exist, and
    the pages (not in the API's document)."""
    report = next(r for r in client.get("/api/v1/datasets/272051-aed/resources").json()
                  if r["name"].endswith(".validation.html"))  # fmt: skip
    known = {**KNOWN, "resource_id": report["id"], "filename": report["name"]}
    paths = client.get("/openapi.json").json()["paths"]
    return [path.format(**known) for path, ops in paths.items() if "get" in ops] + PAGES


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
    assert "script-src" not in headers["content-security-policy"] or url == "/docs"


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
    missing = client.get("/organizations/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "999999" in missing.text and "組織" in missing.text
