"""The maps in headless Chromium with the base map's tile host unreachable (every request to
it aborted, as offline): markers and clusters are drawn (in the DOM and in the pixels of a
screenshot), a popup shows a row's name and its link, the map works by keyboard, "near me"
works by geolocation and by a typed place, and no request goes anywhere but to the portal
and the tile host (the map's script is bundled: no CDN)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from portal.settings import Settings
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
TILES = str(Settings.model_fields["map_tiles"].default)
TILE_HOST = urlsplit(TILES).netloc
PIN, CLUSTERS = (0xC2, 0x18, 0x5B), [(0x0D, 0x47, 0xA1), (0x0B, 0x3D, 0x91), (0x08, 0x2F, 0x70)]
SUITA_HALL = {"latitude": 34.759393, "longitude": 135.516811}
MARKERS = ".map-pin, .map-cluster"


class Offline:
    """A browser context whose tile requests fail, recording every request and CSP refusal."""

    def __init__(self, browser: Browser, **options: object) -> None:
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.context: BrowserContext = browser.new_context(
            viewport={"width": 1280, "height": 900}, **options
        )
        self.context.route(f"https://{TILE_HOST}/**", lambda route: route.abort())
        self.context.on("request", lambda request: self.requests.append(request.url))

    def page(self) -> Page:
        page = self.context.new_page()
        page.on("console", self._console)
        return page

    def _console(self, message: object) -> None:
        text = getattr(message, "text", "")
        if "Content Security Policy" in text or "Refused to" in text:
            self.refused.append(text)

    def hosts(self) -> set[str]:
        return {
            urlsplit(u).netloc for u in self.requests if urlsplit(u).scheme in ("http", "https")
        }


@pytest.fixture
def offline(browser: Browser, server: str) -> Iterator[Offline]:
    bundle = browser.new_page().request.get(server + "/static/map/map.js")
    assert bundle.status == 200, (
        "the map bundle is missing: `make map` builds it (make run/test do)"
    )
    made = Offline(browser)
    yield made
    made.context.close()


def drawn_map(page: Page, selector: str) -> int:
    """The map's markers once its script has drawn them (data-drawn: how many)."""
    box = page.locator(selector)
    expect(box).to_have_attribute("data-drawn", re.compile(r"^\d+$"), timeout=15_000)
    count = int(box.get_attribute("data-drawn") or 0)
    expect(box.locator(MARKERS).first).to_be_visible()
    return count


def marker_pixels(page: Page, selector: str, name: str) -> int:
    """Pixels of the marker and cluster colours in a screenshot of the map (saved too)."""
    png = page.locator(selector).screenshot()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(png)
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    wanted = [PIN, *CLUSTERS]
    return sum(
        1
        for pixel in shot.getdata()
        if any(
            all(abs(c - w) <= 24 for c, w in zip(pixel, colour, strict=True)) for colour in wanted
        )
    )


def open_a_popup_by_keyboard(page: Page, selector: str) -> str:
    """Tab to a marker and press Enter: a cluster zooms in, a marker opens its popup."""
    box = page.locator(selector)
    for _ in range(8):
        pins = box.locator(".map-pin")
        if pins.count():
            pins.first.focus()
            page.keyboard.press("Enter")
            expect(page.locator(".leaflet-popup-content")).to_be_visible()
            return pins.first.get_attribute("title") or ""
        box.locator(".map-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)  # the zoom's animation
    raise AssertionError("no marker reached by keyboard")


def test_a_datasets_map_draws_its_points_with_the_tiles_blocked(
    offline: Offline, server: str
) -> None:
    page = offline.page()
    page.goto(server + "/datasets/272051-aed")
    count = drawn_map(page, "#dataset-map")
    rows = page.request.get(server + "/api/v1/datasets/272051-aed/rows").json()
    assert count == len([r for r in rows["rows"] if r["緯度"] is not None]) > 0
    assert marker_pixels(page, "#dataset-map", "map-dataset.png") > 100  # drawn, not only in DOM
    expect(page.get_by_test_id("map-status")).to_have_text(f"{count} 件の地点を表示しています。")
    # Keyboard: the map and its markers are focusable buttons.
    assert page.locator("#dataset-map").get_attribute("tabindex") == "0"
    assert page.locator(f"#dataset-map :is({MARKERS})").first.get_attribute("role") == "button"
    name = open_a_popup_by_keyboard(page, "#dataset-map")
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".map-popup-name")).to_have_text(name)
    link = popup.get_by_role("link", name="この地点のデータ（JSON）")
    row = page.request.get(link.get_attribute("href") or "").json()
    assert [r["名称"] for r in row["rows"]] == [name]
    page.screenshot(path=ARTIFACTS / "map-dataset-popup.png", full_page=True)
    # The same points as text, for screen readers.
    page.get_by_text("地点の一覧（文字で読む）").click()
    assert page.get_by_test_id("map-list").locator("li").count() == count
    assert any(TILE_HOST in u for u in offline.requests)  # tiles were asked for, and failed
    assert offline.hosts() <= {urlsplit(server).netloc, TILE_HOST}, offline.hosts()
    assert offline.refused == []


def test_the_standards_map_near_a_typed_place_by_keyboard(offline: Offline, server: str) -> None:
    page = offline.page()
    page.goto(server + "/map")
    page.get_by_role("link", name="AED設置箇所一覧").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("title")).to_have_text("AED設置箇所一覧の地図")
    everywhere = drawn_map(page, "#standard-map")
    page.get_by_label("場所（市区町村名または緯度, 経度）").fill("吹田市")
    page.get_by_label("範囲").select_option("5000")
    page.get_by_label("場所（市区町村名または緯度, 経度）").press("Enter")
    expect(page.get_by_role("heading", name="「大阪府吹田市」から近い順")).to_be_visible()
    near = drawn_map(page, "#standard-map")
    listed = page.get_by_test_id("nearest").locator("tbody tr")
    assert 0 < near <= everywhere and listed.count() == min(near, 50)
    assert marker_pixels(page, "#standard-map", "map-near.png") > 100
    page.screenshot(path=ARTIFACTS / "map.png", full_page=True)
    assert offline.hosts() <= {urlsplit(server).netloc, TILE_HOST}, offline.hosts()
    assert offline.refused == []


def test_near_me_by_the_browsers_geolocation(browser: Browser, server: str) -> None:
    located = Offline(browser, geolocation=SUITA_HALL, permissions=["geolocation"])
    page = located.page()
    page.goto(server + "/map?standard=aed")
    drawn_map(page, "#standard-map")
    page.get_by_role("button", name="現在地の近くを探す").click()
    expect(page.get_by_test_id("nearest")).to_be_visible()
    assert "lat=34.759393" in page.url and "lon=135.516811" in page.url
    first = page.get_by_test_id("nearest").locator("tbody tr").first
    expect(first).to_contain_text("吹田市役所")  # the nearest AED to where the browser is
    assert located.refused == []
    located.context.close()
