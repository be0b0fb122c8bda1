"""The English side in Chromium: after the toggle, a reader follows links from the home page
to a dataset, its municipality and the list of municipalities and stays in English; the
address they copy opens the same page in English for someone else (no cookie)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def test_following_links_after_the_toggle_stays_english(browser, server: str) -> None:
    shots = ARTIFACTS / "english-side"
    shots.mkdir(parents=True, exist_ok=True)
    reader = browser.new_context()
    page = reader.new_page()
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_test_id("lang-toggle").click()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="AED locations (Suita City, Osaka)").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("title").inner_text() == "AED locations (Suita City, Osaka)"
    assert "lang=en" in page.url
    labels = page.get_by_test_id("downloads").get_by_role("link").all_inner_texts()
    assert "CSV (Shift_JIS, for Excel)" in labels
    assert "開始時間" in page.get_by_test_id("finding").inner_text()
    page.screenshot(path=shots / "1-dataset-en.png", full_page=True)
    shared = page.url

    page.get_by_test_id("organization").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("title").inner_text() == "Suita City, Osaka"
    assert page.get_by_role("heading", name="Standard datasets not published yet").is_visible()
    page.screenshot(path=shots / "2-organization-en.png", full_page=True)
    page.get_by_test_id("organizations-link").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Yaizu City, Shizuoka").is_visible()

    # A page opened by its bare address after the toggle (a typed or old link) says English
    # in its address too.
    page.goto(server + "/datasets/272248-aed")
    assert page.url.endswith("/datasets/272248-aed?lang=en")
    assert page.get_by_test_id("title").inner_text() == "AED locations (Settsu City, Osaka)"
    reader.close()

    # The copied address opens in English for someone who never toggled.
    other = browser.new_context()
    opened = other.new_page()
    opened.goto(shared)
    assert opened.locator("html").get_attribute("lang") == "en"
    assert opened.get_by_test_id("title").inner_text() == "AED locations (Suita City, Osaka)"
    other.close()
