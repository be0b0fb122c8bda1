"""WCAG 2.1 AA on the public pages: axe-core (npm, node_modules/axe-core) run in Chromium on
the home, search results, dataset, map and organization pages, in Japanese and English, finds
no serious or critical violation; search works from the keyboard alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from portal.settings import PROJECT_ROOT
from tests.conftest import missing

pytestmark = pytest.mark.browser
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0/2.1, levels A and AA (axe's tags for them).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PAGES = {
    "home": "/",
    "search": "/?q=AED",
    "dataset": "/datasets/272051-aed",
    "dataset without map": "/datasets/222127-event",
    "map": "/map",
    "map of a standard": "/map?standard=aed",
    "organization": "/organizations/272051",
    "organizations": "/organizations",
    "error": "/no-such-page",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        missing("axe-core", f"{AXE} not found", "`make install` runs npm ci")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    # bypass_csp: the pages allow no inline script, and axe is injected as one.
    opened = browser.new_context(bypass_csp=True)
    # Offline, as CI is: only the portal itself answers (map tiles fail, as in production
    # when the tile server is down).
    opened.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
                 else route.abort())  # fmt: skip
    yield opened
    opened.close()


def violations(page: Page, axe: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe)
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def described(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(
    context: BrowserContext, server: str, axe_source: str, name: str, lang: str
) -> None:
    page = context.new_page()
    path = PAGES[name]
    page.goto(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
    page.wait_for_load_state("networkidle")
    found = violations(page, axe_source)
    assert not found, f"{name} ({lang}):\n{described(found)}\n{json.dumps(found)[:2000]}"
    page.close()


def test_search_from_the_keyboard_alone(context: BrowserContext, server: str) -> None:
    """Tab to the skip link and on to the search box, type, Enter; Tab to a result, Enter."""
    page = context.new_page()
    page.goto(server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "本文へ移動"  # the first stop: a skip link past the header
    page.keyboard.press("Enter")
    for _ in range(10):  # from the main content, the search box is a few stops away
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    else:
        raise AssertionError("Tab never reached the search box")
    page.keyboard.type("AED")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=AED*")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.results') !== null"):
            break
    else:
        raise AssertionError("Tab never reached a result")
    title = page.evaluate("document.activeElement.textContent").strip()
    page.keyboard.press("Enter")
    page.wait_for_url("**/datasets/**")
    assert page.get_by_test_id("title").inner_text() == title
    page.close()


def test_the_skip_link_is_seen_when_focused(context: BrowserContext, server: str) -> None:
    """A sighted keyboard user sees where the focus is: the skip link shows when reached."""
    page = context.new_page()
    page.goto(server + "/?lang=en")
    skip = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Tab")
    box = skip.bounding_box()
    assert box is not None and box["width"] > 10 and box["height"] > 10 and box["y"] >= 0
    page.close()
