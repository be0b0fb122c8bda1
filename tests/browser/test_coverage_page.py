"""The DX office's coverage page in headless Chromium against the portal on a real socket:
摂津市 publishes its AED list (valid) and its population table, 吹田市 its AED list (invalid:
要修正); 摂津市's DX office admin signs in and opens /coverage — the matrix shows each
dataset × organization in its state (symbol, word and colour), a cell leads to the dataset's
page, the trend chart is really drawn (its line's pixels counted in a screenshot), the
region chart compares with the neighbours, the gaps come disaster datasets first, and the
CSV and JSON exports parse. A citizen is sent to sign in; an editor is refused.

Screenshots go to PORTAL_TEST_ARTIFACTS (default <tmp>/portal-test-artifacts)/coverage/<db>;
docs/coverage.png is the README's copy (refreshed by PORTAL_UPDATE_DOCS=1)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from portal.accounts.service import Accounts
from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.coverage import model
from portal.server import create_app
from portal.settings import Settings
from portal.web.coverage_charts import PALETTE
from portal.workspace import Workspace
from tests.api.conftest import serve
from tests.browser.conftest import ARTIFACTS
from tests.conftest import TEST_DATA

pytestmark = pytest.mark.browser
DOCS_SHOT = Path(__file__).parents[2] / "docs" / "coverage.png"
SETTSU, SUITA = "272248", "272051"
NEIGHBOURS = ("272035", "272124")  # 豊中市, 八尾市: a harvested region's peers
PASSWORD = "coverage-dx-pass"
VALID_GREEN = "#1b7f3b"  # coverage.css: .state-published-valid
FIRST = [TEST_DATA / "api" / "aed-settsu.yaml", TEST_DATA / "api" / "aed-suita.yaml"]
LATER = [TEST_DATA / "convert" / "population-two-row-header.yaml"]


@dataclass
class Site:
    url: str
    portal: Portal
    shots: Path


def publish(portal: Portal, settings: Settings, recipes: list[Path], staging: Path) -> None:
    for recipe in recipes:
        publish_recipe(recipe, portal.publisher(), Workspace.of(settings),
                       Options(allow_invalid=True), staging=staging / recipe.stem)  # fmt: skip


def region_snapshot(portal: Portal, now: datetime) -> None:
    """A region harvest's record, as the harvest makes it: peers' packages through compute."""
    peer = {"name": "272035-aed", "organization": {"name": NEIGHBOURS[0]},
            "extras": [], "tags": [{"name": "aed"}]}  # fmt: skip
    coverage = model.compute([peer], portal.registry, portal.directory, [], now=now,
                             organizations=[SETTSU, *NEIGHBOURS])  # fmt: skip
    model.record_snapshot(portal.store, coverage, model.REGION)


@pytest.fixture
def site(settings: Settings, database_url: str, request: pytest.FixtureRequest,
         tmp_path: Path) -> Iterator[Site]:  # fmt: skip
    """Two municipalities' datasets published in two rounds (a snapshot after each), the DX
    office's admin of 摂津市 and an editor of it, served."""
    chosen = settings.model_copy(update={"database_url": database_url, "catalogue": "embedded",
                                         "rate_limit": 0})  # fmt: skip
    portal = Portal.open(chosen)
    accounts = Accounts(portal.store, portal.directory)
    accounts.add_user("settsu-dx", PASSWORD, SETTSU, "admin", by="test", display_name="摂津 DX")
    accounts.add_user("settsu-tanto", PASSWORD, SETTSU, "editor", by="test")
    now = datetime.now(UTC)
    publish(portal, chosen, FIRST, tmp_path)
    model.record_snapshot(portal.store, model.local_coverage(portal, now - timedelta(days=30)))
    region_snapshot(portal, now - timedelta(days=30))
    publish(portal, chosen, LATER, tmp_path)
    model.record_snapshot(portal.store, model.local_coverage(portal, now))
    shots = ARTIFACTS / "coverage" / request.node.callspec.id
    shots.mkdir(parents=True, exist_ok=True)
    try:
        for url in serve(create_app(chosen, portal)):
            yield Site(url, portal, shots)
    finally:
        portal.close()


def sign_in(browser: Any, site: Site, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    page.goto(site.url + "/coverage")  # not signed in: sent to the sign-in page, then back
    assert "/login?next=/coverage" in page.url
    page.get_by_label("アカウント名").fill(name)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(site.url + "/coverage")
    return page


def cell(page: Any, lgcode: str, dataset: str) -> tuple[str, str]:
    """A cell's state (its data attribute) and the text a reader sees in it."""
    found = page.get_by_test_id(f"cell-{lgcode}-{dataset}")
    return found.get_attribute("data-state"), found.inner_text().strip()


def coloured(png: bytes, colour: str, tolerance: int = 40) -> int:
    """How many pixels of a screenshot are near `colour` (#rrggbb)."""
    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    pixels = (raw[i : i + 3] for i in range(0, len(raw), 3))
    return sum(all(abs(a - b) <= tolerance for a, b in zip(p, wanted, strict=True)) for p in pixels)


def test_the_dx_office_reads_its_coverage(browser: Any, site: Site) -> None:
    page = sign_in(browser, site, "settsu-dx")
    matrix = page.get_by_test_id("matrix")
    columns = matrix.locator("thead th[data-lgcode]")
    assert columns.first.get_attribute("data-lgcode") == SETTSU  # the office's own first
    assert {columns.nth(i).get_attribute("data-lgcode") for i in range(columns.count())} >= {
        SETTSU, SUITA}  # fmt: skip
    rows = matrix.locator("tbody tr")
    assert rows.first.locator("th").inner_text().startswith("A-01")  # every standard, in order
    assert rows.count() >= 17
    assert cell(page, SETTSU, "aed") == ("published-valid", "○ 公開・有効")
    assert cell(page, SETTSU, "population_by_area_age")[0] in (
        "published-valid",
        "published-invalid",
    )
    assert cell(page, SUITA, "aed")[0] == "published-invalid"
    assert "× 要修正" in cell(page, SUITA, "aed")[1] and "検証結果" in cell(page, SUITA, "aed")[1]
    assert cell(page, SETTSU, "event") == ("missing", "－ 未公開")
    # Drawn in its colour too (the portal's stylesheet applies: the pages' CSP, not the files').
    valid = page.get_by_test_id(f"cell-{SETTSU}-aed").screenshot()
    assert coloured(valid, VALID_GREEN) > 100, "the valid cell is not drawn green"
    missing = page.get_by_test_id(f"cell-{SETTSU}-event").get_by_role("link")
    assert missing.get_attribute("href") == f"/uploads/new?org={SETTSU}&dataset=event"
    form = page.context.new_page()  # the gap's link opens the upload form for that gap
    form.goto(site.url + f"/uploads/new?org={SETTSU}&dataset=event")
    assert form.locator("select[name=org]").input_value() == SETTSU
    assert form.locator("select[name=dataset]").input_value() == "event"
    form.close()
    assert page.get_by_test_id(f"percent-{SETTSU}").inner_text().endswith("%")
    assert page.get_by_test_id("percent-aed").inner_text().endswith("%")

    # The gaps: 摂津市's, the disaster datasets first (指定緊急避難場所 before イベント).
    gaps = page.get_by_test_id("gaps").locator("tbody tr")
    first = gaps.first.get_attribute("data-testid")
    assert first == f"gap-{SETTSU}-evacuation_space"
    order = [gaps.nth(i).get_attribute("data-testid") for i in range(gaps.count())]
    assert order.index(f"gap-{SETTSU}-evacuation_space") < order.index(f"gap-{SETTSU}-event")
    assert all(code.startswith(f"gap-{SETTSU}-") for code in order)

    # The trend: the office's line drawn in its colour, the numbers in the table too.
    chart = page.get_by_test_id("trend-chart")
    assert (
        chart.locator("title").first.text_content()
        == "整備率の推移（公開済みかつ検証済み・最新の割合）"
    )
    png = chart.screenshot()
    (site.shots / "trend.png").write_bytes(png)
    assert coloured(png, PALETTE[0]) > 300, "the trend's line is not drawn"
    assert page.get_by_test_id("trend-table").locator("tbody tr").count() >= 2
    region = page.get_by_test_id("region-chart")
    assert "★" in (region.text_content() or "")
    assert page.get_by_test_id("region-table").locator("tbody tr").count() == 3
    page.screenshot(path=site.shots / "coverage.png", full_page=True)
    if os.environ.get("PORTAL_UPDATE_DOCS") == "1":
        page.set_viewport_size({"width": 1000, "height": 1000})
        page.goto(site.url + "/coverage")  # the top: the summary and the matrix
        page.screenshot(path=DOCS_SHOT)

    # A valid cell leads to the dataset's page.
    page.get_by_test_id(f"cell-{SETTSU}-aed").get_by_role("link").click()
    page.wait_for_url(site.url + "/datasets/**")
    assert "AED" in page.get_by_test_id("title").inner_text()
    assert page.get_by_test_id("status").inner_text().startswith("検証済み")
    page.go_back()

    # In English.
    page.get_by_test_id("lang-toggle").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Coverage of the standard datasets"
    assert cell(page, SETTSU, "aed")[1] == "○ Published, valid"
    page.context.close()


def test_exports_parse(browser: Any, site: Site) -> None:
    page = sign_in(browser, site, "settsu-dx")
    answer = page.request.get(
        site.url + str(page.get_by_test_id("export-csv").get_attribute("href"))
    )
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.body().decode("utf-8-sig"))))
    states = {(r["lgcode"], r["dataset"]): r["state"] for r in table}
    assert states[(SETTSU, "aed")] == "published-valid"
    assert states[(SUITA, "aed")] == "published-invalid"
    assert states[(SETTSU, "event")] == "missing"
    answer = page.request.get(
        site.url + str(page.get_by_test_id("export-json").get_attribute("href"))
    )
    assert answer.status == 200
    shape = json.loads(answer.body())
    assert {"organizations", "datasets", "cells"} <= set(shape)
    found = {(c["lgcode"], c["dataset"]): c for c in shape["cells"]}
    assert found[(SETTSU, "aed")]["state"] == "published-valid"
    assert found[(SETTSU, "aed")]["url"].endswith(
        "/datasets/" + found[(SETTSU, "aed")]["url"].rsplit("/", 1)[-1]
    )
    assert len(found) == len(table)
    page.context.close()


def test_who_may_see_it(browser: Any, site: Site) -> None:
    anonymous = httpx.get(site.url + "/coverage.json", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/coverage.json"
    page = sign_in(browser, site, "settsu-tanto")  # an editor: not the DX office
    assert (
        "403" in page.title()
        or page.get_by_role("heading", level=1).inner_text() != "標準データセットの整備状況"
    )
    answer = page.request.get(site.url + "/coverage.json")
    assert answer.status == 403
    assert json.loads(answer.body())["error"]["code"] == "forbidden"
    page.context.close()
