"""The municipalities' pages: the list of those that publish, and one municipality's
datasets by standard with their validity and freshness, and the standard datasets it does
not publish yet."""

from __future__ import annotations

import re
from html import unescape

from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import Settings

HTML = {"Accept": "text/html"}


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}".*?</(?:table|ul)>', html, re.S)
    assert found is not None, testid
    return found.group(0)


def test_the_list_names_every_municipality_that_publishes(app: FastAPI) -> None:
    listed = TestClient(app).get("/organizations", headers=HTML)
    assert listed.status_code == 200
    shown = text(section(listed.text, "organizations"))
    for name in ("静岡県焼津市", "大阪府吹田市", "大阪府摂津市"):
        assert name in shown
    assert (
        "データセット 3 件（うち適合 2 件）" in shown
    )  # 焼津市: events, facilities valid; AED not
    assert 'href="/organizations/272051"' in listed.text
    english = text(TestClient(app).get("/organizations?lang=en", headers=HTML).text)
    assert "Yaizu City, Shizuoka" in english and "Datasets: 1 (0 valid)" in english


def test_a_municipality_page_lists_its_datasets_with_validity_and_freshness(app: FastAPI) -> None:
    html = TestClient(app).get("/organizations/222127", headers=HTML).text
    published = section(html, "published")
    rows = re.findall(r'<tr data-standard="([^"]*)">(.*?)</tr>', published, re.S)
    by_standard = {standard: text(row) for standard, row in rows}
    assert set(by_standard) == {"aed", "event", "public_facility"}  # 焼津市's, no one else's
    assert (
        "要修正" in by_standard["aed"] and "AED設置箇所一覧（静岡県焼津市）" in by_standard["aed"]
    )
    assert "検証済み（適合）" in by_standard["event"]
    assert all("最新" in row for row in by_standard.values())  # published just now


def test_a_municipality_page_says_what_it_does_not_publish_yet(app: FastAPI) -> None:
    html = TestClient(app).get("/organizations/272051", headers=HTML).text
    missing = re.findall(r'<li data-standard="([^"]+)">', section(html, "missing"))
    assert "aed" not in missing  # 吹田市 publishes it (要修正, but published)
    assert {"public_facility", "evacuation_space", "event"} <= set(missing)
    english = TestClient(app).get("/organizations/272051?lang=en", headers=HTML).text
    assert "Standard datasets not published yet" in english
    assert "Designated emergency evacuation sites" in english


def test_an_unknown_municipality_is_a_404(app: FastAPI) -> None:
    missing = TestClient(app).get("/organizations/999999", headers=HTML)
    assert missing.status_code == 404 and "999999" in missing.text
    api = TestClient(app).get("/organizations/999999")
    assert api.status_code == 404 and api.json()["error"]["code"] == "organization-not-found"


def test_the_pages_say_which_city_runs_the_catalogue(api_settings: Settings) -> None:
    """The DX office's city (PORTAL_COVERAGE_ORGANIZATIONS) runs it when every dataset is
    published as its own municipality (PORTAL_ORGANIZATION={lgcode}, the default)."""
    assert (
        'data-testid="operator"'
        not in TestClient(create_app(api_settings)).get("/organizations", headers=HTML).text
    )
    run_by = api_settings.model_copy(update={"coverage_organizations": ["222127"]})
    reader = TestClient(create_app(run_by))
    assert "このカタログの運営: 静岡県焼津市" in text(
        reader.get("/organizations", headers=HTML).text
    )
    english = text(reader.get("/organizations/272051?lang=en", headers=HTML).text)
    assert "This catalogue is run by Yaizu City, Shizuoka" in english
