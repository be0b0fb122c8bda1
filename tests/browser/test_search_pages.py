"""A resident searches the home page in their own words in headless Chromium: 避難所 shows the
evacuation sites' dataset (titled 指定緊急避難場所一覧), a word found nowhere shows related
searches as links that find something, and a category link browses its datasets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from portal.server import create_app
from portal.settings import PROJECT_ROOT
from tests.api.conftest import build_catalogue, serve
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
RECIPES = [PROJECT_ROOT / "pipelines" / f"{name}.yaml"
           for name in ("suita_evacuation_space", "yaizu_preschool", "yaizu_aed")]  # fmt: skip


@pytest.fixture(scope="module")
def words_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app: FastAPI = create_app(build_catalogue(tmp_path_factory.mktemp("words"), RECIPES))
    yield from serve(app)


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".results a.title").all_inner_texts()  # type: ignore[no-any-return]


def test_a_resident_types_hinanjo_and_finds_the_evacuation_sites(
    browser, words_server: str
) -> None:
    page = browser.new_page()
    page.goto(words_server + "/")
    page.get_by_role("searchbox").fill("避難所")
    page.get_by_role("button", name="検索").click()
    assert titles(page)[0] == "指定緊急避難場所一覧（大阪府吹田市）"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-hinanjo.png"))
    page.close()


def test_nothing_found_shows_related_searches_that_find(browser, words_server: str) -> None:
    page = browser.new_page()
    page.goto(words_server + "/")
    page.get_by_role("searchbox").fill("避難所 焼津")  # 焼津市 publishes no evacuation sites here
    page.get_by_role("button", name="検索").click()
    assert page.get_by_test_id("count").inner_text() == "0 件のデータセット"
    related = page.get_by_test_id("related")
    assert "こちらの言葉で探してみてください" in related.inner_text()
    related.get_by_role("link", name="焼津", exact=True).click()
    assert set(titles(page)) == {
        "子育て施設一覧（静岡県焼津市）",
        "AED設置箇所一覧（静岡県焼津市）",
    }
    page.close()


def test_browse_by_category_and_municipality(browser, words_server: str) -> None:
    page = browser.new_page()
    page.goto(words_server + "/")
    page.get_by_test_id("categories").get_by_role("link", name="子育て").click()
    assert titles(page) == ["子育て施設一覧（静岡県焼津市）"]
    page.get_by_test_id("organizations").get_by_role("link", name="大阪府吹田市").click()
    assert titles(page) == ["指定緊急避難場所一覧（大阪府吹田市）"]
    page.close()
