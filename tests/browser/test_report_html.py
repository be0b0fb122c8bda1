"""The HTML validation report in a real browser, at a phone's width."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from portal.settings import Settings
from portal.validation import validate
from portal.validation.render import to_html
from portal.workspace import Workspace
from tests.conftest import SAMPLES_DIR

pytestmark = pytest.mark.browser


def test_report_reads_on_a_phone_without_sideways_scrolling(
    browser, settings: Settings, tmp_path: Path
) -> None:
    report = validate(SAMPLES_DIR / "tourism" / "ichikawa_keikan100.csv", Workspace.of(settings))
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(page_file.as_uri())
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide in a {widths[1]}px window"
    assert page.locator(".verdict").inner_text() == "要修正"
    headings = page.locator("section.group h2").all_inner_texts()
    assert any("URLとして正しくない" in h and "画像" in h for h in headings)
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.close()


def test_report_served_by_the_portal_keeps_its_styles_and_runs_no_script(
    browser, server: str
) -> None:
    resources = httpx.get(f"{server}/api/v1/datasets/272051-aed/resources").json()
    report = next(r for r in resources if r["name"].endswith(".validation.html"))
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    response = page.goto(report["url"])
    assert response is not None and "sandbox" in response.headers["content-security-policy"]
    verdict = page.locator(".verdict")
    assert verdict.inner_text() == "要修正"
    # The report's own <style> applies under the policy: the verdict is a white-on-red badge.
    assert verdict.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert refused == []
    # Sandboxed: a script put into the page by its data would not run.
    assert (
        page.evaluate("() => { try { return window.origin } catch (e) { return 'x' } }") == "null"
    )
    page.close()
