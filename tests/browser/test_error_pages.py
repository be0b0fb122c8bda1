"""A person who opens a wrong address in a browser reads a page, drawn with the portal's
stylesheet, in Japanese or English, that says what went wrong and offers a way on (home and
a search box) — on every path, API and files included; curl and API clients get the JSON
error shape at the same addresses."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# Addresses that are wrong in each part of the site: pages, the API, the CKAN and BODIK
# compatibility routes, the published files, the stylesheet folder, a refused parameter.
WRONG = [
    ("/no-such-page", 404),
    ("/datasets/999999-nothing", 404),
    ("/api/v1/no-such-route", 404),
    ("/api/v1/datasets?limit=0", 400),
    ("/wapi/no-such-api", 404),
    ("/files/no-such-file.csv", 404),
    ("/static/no-such.css", 404),
]


@pytest.mark.parametrize(("path", "status"), WRONG)
def test_a_browser_gets_a_styled_page_with_a_way_on(
    browser: Browser, server: str, path: str, status: int
) -> None:
    page = browser.new_page()
    answer = page.goto(server + path)
    assert answer is not None and answer.status == status
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == f"エラー {status}"
    assert page.get_by_test_id("error").inner_text()  # says what went wrong
    # The portal's stylesheet is applied (a sandboxed policy without it drew bare HTML).
    background = page.locator("header.site").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    assert page.get_by_role("link", name="トップページへ").get_attribute("href") == "/"
    # The search box takes the reader on to the datasets.
    page.get_by_role("searchbox", name="データセットを検索").fill("AED")
    page.get_by_role("searchbox", name="データセットを検索").press("Enter")
    page.wait_for_url("**/?q=AED*")
    assert "AED設置箇所一覧（大阪府吹田市）" in page.locator(".results").inner_text()
    page.close()


def test_the_page_in_english(browser: Browser, server: str) -> None:
    page = browser.new_page()
    answer = page.goto(server + "/no-such-page?lang=en")
    assert answer is not None and answer.status == 404
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Error 404"
    assert "/no-such-page" in page.get_by_test_id("error").inner_text()
    assert page.get_by_role("link", name="Home").get_attribute("href") == "/?lang=en"
    page.get_by_role("searchbox", name="Search the datasets").fill("AED")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=AED*lang=en*")
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


def test_the_page_names_the_path_and_the_method(browser: Browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/no-such-page")
    assert "/no-such-page" in page.get_by_test_id("error").inner_text()
    answer = page.request.post(server + "/datasets/272051-aed", headers={"Accept": "text/html"})
    assert answer.status == 405 and "GET" in answer.headers["allow"]
    page.set_content(answer.text())
    assert "POST" in page.get_by_test_id("error").inner_text()
    page.close()


@pytest.mark.parametrize("accept", ["*/*", "application/json", None])
@pytest.mark.parametrize("path", [p for p, _ in WRONG])
def test_api_clients_get_the_json_error_shape(server: str, path: str, accept: str | None) -> None:
    """curl (`*/*`), API clients, and clients that send no Accept: JSON at the same paths."""
    headers = {"Accept": accept} if accept else {}
    answer = httpx.get(server + path, headers=headers)
    assert answer.status_code >= 400 and answer.headers["content-type"] == "application/json"
    assert answer.headers["vary"].lower().count("accept") >= 1
    body = answer.json()
    assert body["ok"] is False and body["error"]["status"] == answer.status_code
    assert body["error"]["message_en"] and body["error"]["message_ja"]
