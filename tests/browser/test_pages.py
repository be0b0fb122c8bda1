"""The public pages in headless Chromium: search in Japanese, a dataset page with its
preview, downloads, API examples and validation status, the English toggle — and a
screenshot in which the key elements are really drawn."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageStat

from portal.settings import Settings

pytestmark = pytest.mark.browser
GREEN, RED = (0x14, 0x6C, 0x2E), (0xB3, 0x26, 0x1E)


def drawn(shot: Image.Image, box: dict[str, float]) -> Image.Image:
    return shot.crop(
        (int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"]))
    )


def near(colour: tuple[float, ...], wanted: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(c - w) <= tolerance for c, w in zip(colour, wanted, strict=False))


def test_search_in_japanese(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("searchbox").fill("給食")  # no dataset has it (図書 is in rows' names: 図書館)
    page.get_by_role("button", name="検索").click()
    assert page.get_by_test_id("count").inner_text() == "0 件のデータセット"
    page.get_by_role("searchbox").fill("設置 摂津")
    page.get_by_role("button", name="検索").click()
    assert page.get_by_test_id("count").inner_text() == "1 件のデータセット"
    page.get_by_role("link", name="AED設置箇所一覧（大阪府摂津市）").click()
    assert page.get_by_test_id("title").inner_text() == "AED設置箇所一覧（大阪府摂津市）"
    page.close()


def test_filter_by_standard_and_municipality(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.get_by_label("標準データセット").select_option("aed")
    page.get_by_label("公開元").select_option(label="大阪府吹田市")
    page.get_by_role("button", name="検索").click()
    assert page.locator(".results a.title").all_inner_texts() == ["AED設置箇所一覧（大阪府吹田市）"]
    page.close()


def test_dataset_page_screenshot(browser, server: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/datasets/272051-aed")
    status = page.get_by_test_id("status")
    assert status.inner_text() == "要修正"
    assert "エラー 2 件" in page.locator(".validation").inner_text()
    preview = page.get_by_test_id("preview")
    assert preview.locator("tbody tr").count() == 8
    assert "𠮷田記念体育館" in preview.inner_text()
    links = page.get_by_test_id("downloads").get_by_role("link")
    assert links.all_inner_texts() == [
        "CSV（UTF-8）",
        "CSV（Excel向け・UTF-8 BOM付き）",
        "CSV（Shift_JIS・Excel向け）",
        "JSON",
        "GeoJSON",
    ]
    assert "curl -G" in page.get_by_test_id("examples").inner_text()

    png = page.screenshot(full_page=True)
    (tmp_path / "dataset.png").write_bytes(png)
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    badge = drawn(shot, status.bounding_box())
    # The badge is drawn red: the status is visible, not only present in the DOM.
    assert near(ImageStat.Stat(badge).median, RED), ImageStat.Stat(badge).median
    table = drawn(shot, preview.bounding_box())
    assert ImageStat.Stat(table.convert("L")).stddev[0] > 20  # text drawn, not a blank box
    page.close()


def test_valid_dataset_shows_green_and_english_toggle(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/datasets/272248-aed")
    status = page.get_by_test_id("status")
    assert status.inner_text() == "検証済み（適合）"
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    assert near(ImageStat.Stat(drawn(shot, status.bounding_box())).median, GREEN)
    page.get_by_test_id("lang-toggle").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("status").inner_text() == "Valid"
    assert page.get_by_role("heading", name="Downloads").is_visible()
    page.goto(server + "/")  # the choice is remembered
    assert page.get_by_test_id("count").inner_text() == "6 datasets"
    page.close()


def test_missing_dataset_page_says_so_in_japanese(browser, server: str) -> None:
    page = browser.new_page()
    response = page.goto(server + "/datasets/999999-nothing")
    assert response is not None and response.status == 404
    assert "999999-nothing" in page.get_by_test_id("error").inner_text()
    page.close()


def test_pages_need_nothing_from_outside(browser, server: str) -> None:
    # Nothing from a CDN: the one other host a page may ask is the base map's tile server
    # (PORTAL_MAP_TILES, 地理院タイル by default), blocked here as the machine is offline.
    tiles = urlsplit(Settings.model_fields["map_tiles"].default).netloc
    page = browser.new_page()
    page.route(f"**://{tiles}/**", lambda route: route.abort())
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(server + "/datasets/272051-aed")
    page.wait_for_load_state("networkidle")
    assert [u for u in outside if urlsplit(u).netloc != tiles] == []
    page.close()


def test_api_docs_render_without_a_cdn(browser, server: str) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/datasets/{name}/rows" in [p.replace("\u200b", "") for p in paths]
    assert outside == []
    page.close()


def test_the_security_policy_blocks_nothing_the_pages_and_docs_use(browser, server: str) -> None:
    page = browser.new_page()
    refused: list[str] = []  # Chromium reports each CSP violation on the console
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    for url in ("/", "/datasets/272051-aed", "/organizations/272051", "/datasets/999999-nothing"):
        response = page.goto(server + url)
        assert (
            response is not None
            and "frame-ancestors 'none'" in response.headers["content-security-policy"]
        )
        page.wait_for_load_state("networkidle")
    # The stylesheet applies: the header is laid out by portal.css, not the browser defaults.
    page.goto(server + "/datasets/272051-aed")
    assert page.locator("header.site").evaluate("e => getComputedStyle(e).display") == "flex"
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    page.locator(".opblock-summary-path", has_text="/api/v1/standards/{slug}").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("slug").fill("aed")
    page.get_by_role("button", name="Execute").click()  # Swagger UI's fetch to the API
    page.wait_for_selector(".response .response-col_status")
    status = page.locator(".live-responses-table tbody .response-col_status").first
    assert status.inner_text().strip() == "200"
    assert refused == []
    page.close()


def test_the_portal_cannot_be_framed(browser, server: str) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.set_content(f'<iframe src="{server}/datasets/272051-aed"></iframe>')
    page.wait_for_timeout(1000)
    framed = page.frames[-1]
    assert framed is not page.main_frame and not framed.url.startswith(server)  # an error page
    assert refused, "Chromium did not refuse the frame"
    page.close()
