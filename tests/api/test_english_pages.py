"""The English side of the public pages over the demo catalogue: titles from the standard's
English title with the municipality in Latin letters, English descriptions, labels not cut,
`<html lang>` right on every page, and English kept across links and in a shared link."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

HTML = {"Accept": "text/html"}
# The demo's municipalities as they write their names in English (by hand, not computed).
LATIN = {"272248": "Settsu City, Osaka", "272051": "Suita City, Osaka",
         "222127": "Yaizu City, Shizuoka"}  # fmt: skip
# A page's own links: those that lead to another page of the site (not the API, files, docs).
PAGE_LINK = re.compile(r'href="(/(?!api/|files/|static/|docs|catalog|wapi/)(?![^"]*\.atom")[^"]*)"')


def fresh(app: FastAPI) -> TestClient:
    """A client with no cookie: a reader who opens a link someone shared."""
    return TestClient(app)


def h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return unescape(found.group(1)).strip()


def dataset_names(client: TestClient) -> list[str]:
    found = client.get("/api/v1/datasets", params={"limit": 100}).json()["results"]
    assert len(found) == 6
    return [d["name"] for d in found]


def test_every_demo_dataset_page_in_english_has_an_english_title(app: FastAPI) -> None:
    reader = fresh(app)
    for name in dataset_names(reader):
        page = reader.get(f"/datasets/{name}?lang=en", headers=HTML)
        assert page.status_code == 200
        assert '<html lang="en">' in page.text
        title = h1(page.text)
        assert title.isascii(), title  # no kanji left in the title
        assert title.endswith(f"({LATIN[name[:6]]})"), title
        # The download labels whole, not cut at a comma.
        assert "CSV (Shift_JIS, for Excel)</a>" in page.text
        assert "CSV (UTF-8)</a>" in page.text and "CSV (for Excel: UTF-8 with BOM)</a>" in page.text


def test_the_english_description_names_the_municipality_in_latin_letters(app: FastAPI) -> None:
    page = fresh(app).get("/datasets/272248-aed?lang=en", headers=HTML).text
    description = re.search(r'data-testid="description">(.*?)</div>', page, re.S)
    assert description is not None
    text = unescape(description.group(1))
    assert "Settsu City, Osaka" in text and "standard open dataset A-08" in text
    assert "摂津" not in text and "です" not in text


def test_the_api_gives_english_titles(client: TestClient) -> None:
    for found in client.get("/api/v1/datasets", params={"limit": 100}).json()["results"]:
        lgcode = found["lgcode"]
        assert found["title_en"].endswith(f"({LATIN[lgcode]})")
        assert found["organization"]["title_en"] == LATIN[lgcode]
    one = client.get("/api/v1/datasets/222127-aed").json()
    assert one["title_en"] == "AED locations (Yaizu City, Shizuoka)"


@pytest.mark.parametrize(
    "path", ["/", "/datasets/272051-aed", "/organizations", "/organizations/272051"]
)
def test_html_lang_is_the_language_of_the_page(app: FastAPI, path: str) -> None:
    reader = fresh(app)
    assert '<html lang="ja">' in reader.get(path, headers=HTML).text
    joiner = "&" if "?" in path else "?"
    assert '<html lang="en">' in reader.get(f"{path}{joiner}lang=en", headers=HTML).text


def test_an_english_page_links_its_pages_in_english(app: FastAPI) -> None:
    reader = fresh(app)
    for path in ("/datasets/272051-aed", "/organizations", "/organizations/272051"):
        page = reader.get(f"{path}?lang=en", headers=HTML).text
        links = [unescape(link) for link in PAGE_LINK.findall(page)]
        assert links, path
        for link in links:
            assert "lang=en" in link, (path, link)
            # Followed by someone with no cookie (a shared link): still English.
            assert '<html lang="en">' in fresh(app).get(link, headers=HTML).text, link


def test_a_remembered_english_choice_puts_the_language_in_the_address(app: FastAPI) -> None:
    """A link without ?lang= followed after the toggle (the cookie) lands on an address
    that says English, so copying it shares the English page."""
    reader = fresh(app)
    reader.get("/?lang=en", headers=HTML)
    moved = reader.get("/datasets/272051-aed", headers=HTML, follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"].endswith("/datasets/272051-aed?lang=en")
    landed = reader.get("/datasets/272051-aed", headers=HTML)
    assert '<html lang="en">' in landed.text and str(landed.url).endswith("?lang=en")
    back = reader.get("/datasets/272051-aed?lang=ja", headers=HTML)
    assert '<html lang="ja">' in back.text
    again = reader.get("/datasets/272051-aed", headers=HTML, follow_redirects=False)
    assert again.status_code == 200 and '<html lang="ja">' in again.text
