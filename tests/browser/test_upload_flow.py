"""A department publishes by itself, in headless Chromium against the portal on a real socket:
焼津市's 観光交流課 editor signs in, uploads the events table as the department keeps it
(tests/data/browser: a title row, 和暦 dates, full-width digits, its own column names), fixes
the fee's mapping in the form after reading the report, fills the metadata and submits; the
approver signs in and approves; the dataset is on the public page, in the CKAN-compatible API
and in DCAT; next month's file goes through in one click on the saved recipe; a rollback on the
history page restores the first version. The same publish against the real CKAN.

Screenshots of each step go to PORTAL_TEST_ARTIFACTS (default <tmp>/portal-test-artifacts)
/upload-flow/<catalogue>; docs/walkthrough/ keeps a copy for the README's walkthrough."""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, RDF

from portal.accounts.service import Accounts
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from tests.api.conftest import serve
from tests.browser.conftest import ARTIFACTS
from tests.integration.conftest import purge

pytestmark = pytest.mark.browser
FILES = Path(__file__).parents[1] / "data" / "browser"
UPLOAD_PAGE = re.compile(r".*/uploads/[0-9a-f]{32}$")
YAIZU = "222127"
PASSWORD = "yaizu-upload-pass"
TITLE = "焼津市 行事予定"
METADATA = {"title": TITLE, "description": "焼津市が主催・共催する行事の予定です。",
            "department": "観光交流課", "contact_phone": "０５４－６２６－２１４５",
            "contact_email": "kanko@city.yaizu.example", "keywords": "イベント、観光"}  # fmt: skip


@dataclass
class Site:
    url: str
    portal: Portal
    shots: Path


def start(settings: Settings, shots: Path) -> Iterator[Site]:
    """The portal with an editor and an approver of 焼津市 (made through accounts), served."""
    portal = Portal.open(settings)
    accounts = Accounts(portal.store, portal.directory)
    accounts.add_user("kanko-tanto", PASSWORD, YAIZU, "editor", by="test", display_name="焼津 花子")
    accounts.add_user(
        "kanko-kacho", PASSWORD, YAIZU, "approver", by="test", display_name="焼津 太郎"
    )
    shots.mkdir(parents=True, exist_ok=True)
    try:
        for url in serve(create_app(settings, portal)):
            yield Site(url, portal, shots)
    finally:
        portal.close()


@pytest.fixture
def site(settings: Settings, database_url: str, request: pytest.FixtureRequest) -> Iterator[Site]:
    chosen = settings.model_copy(update={"database_url": database_url, "catalogue": "embedded",
                                         "rate_limit": 0})  # fmt: skip
    yield from start(chosen, ARTIFACTS / "upload-flow" / request.node.callspec.id)


@pytest.fixture
def ckan_site(settings: Settings, ckan: Any) -> Iterator[tuple[Site, str]]:
    suffix = uuid.uuid4().hex[:8]
    chosen = settings.model_copy(update={
        "catalogue": "ckan", "ckan_url": os.environ["CKAN_URL"], "rate_limit": 0,
        "ckan_api_token": os.environ["CKAN_API_TOKEN"],
        "package_name": "{lgcode}-{slug}-" + suffix, "organization": "{lgcode}-" + suffix,
    })  # fmt: skip
    try:
        for made in start(chosen, ARTIFACTS / "upload-flow" / "ckan"):
            yield made, suffix
    finally:
        purge(ckan, suffix)


def sign_in(browser: Any, site: Site, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="ja-JP")
    page = context.new_page()
    page.goto(site.url + "/uploads")  # not signed in: sent to the sign-in page, then back
    page.get_by_label("アカウント名").fill(name)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(site.url + "/uploads")
    return page


def shot(page: Any, site: Site, name: str) -> None:
    page.screenshot(path=site.shots / f"{name}.png", full_page=True)


def upload_and_submit(browser: Any, site: Site) -> str:
    """The editor's part, up to the submission; the upload's page."""
    page = sign_in(browser, site, "kanko-tanto")
    shot(page, site, "01-uploads")
    page.get_by_test_id("new-upload").click()
    assert "ファイルの大きさの上限" in page.get_by_test_id("size-limit").inner_text()
    page.get_by_label("ファイル").set_input_files(FILES / "event-department.xlsx")
    shot(page, site, "02-new-upload")
    page.get_by_role("button", name="アップロードする").click()
    page.wait_for_url(UPLOAD_PAGE)
    assert page.get_by_test_id("proposed").inner_text() == "推定したデータセット: イベント一覧"
    assert page.get_by_test_id("confidence").inner_text().endswith("%")
    shot(page, site, "03-proposed")

    page.get_by_role("link", name="次へ: 2. 項目の対応付け").click()
    fee = page.get_by_test_id("field-料金(基本)")
    assert "料金" in fee.locator("td.source").inner_text()
    assert "エラーが 1 件あります" in page.get_by_test_id("report-summary").inner_text()
    shot(page, site, "04-mapping")
    page.get_by_role("link", name="3. プレビューと検証結果").first.click()
    group = page.get_by_test_id("problem-group").filter(has_text="料金(基本)").first
    assert "無料" in group.inner_text()  # the cell to fix, named with its value
    shot(page, site, "05-report-with-error")

    # The fee column says 無料 where the standard wants a number: 無料 → 0, then integer.
    page.get_by_role("link", name="2. 項目の対応付け").first.click()
    page.get_by_test_id("edit-料金(基本)").click()
    form = page.get_by_test_id("edit-form")
    form.get_by_label("変換 1").select_option("replace")
    form.get_by_label("オプション 1").fill('{pattern: "^無料$", with: "0"}')
    form.get_by_label("変換 2").select_option("integer")
    shot(page, site, "06-fix-mapping")
    form.get_by_role("button", name="保存して変換").click()
    assert page.get_by_test_id("report-summary").inner_text().startswith("検証に適合しました")
    page.get_by_role("link", name="3. プレビューと検証結果").first.click()
    preview = page.get_by_test_id("preview").inner_text()
    assert "2026-05-03" in preview and "054-626-2145" in preview  # 和暦 and full-width digits
    assert "焼津みなと祭り" in preview
    shot(page, site, "07-preview")

    page.get_by_role("link", name="次へ: 4. データセット情報").click()
    form = page.get_by_test_id("metadata")
    for key, value in METADATA.items():
        form.locator(f"[name={key}]").fill(value)
    form.get_by_label("更新頻度").select_option(label="毎月")
    form.get_by_label("ライセンス").select_option("cc-by")
    shot(page, site, "08-metadata")
    form.get_by_role("button", name="保存").click()
    page.get_by_test_id("saved").get_by_role("link").click()
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("state").first.inner_text() == "承認待ち"
    shot(page, site, "09-submitted")
    upload_page = page.url
    page.context.close()
    return upload_page


def approve(browser: Any, site: Site, upload_page: str,
            file_name: str = "event-department.xlsx", step: int = 10) -> dict[str, str]:  # fmt: skip
    """The approver's part: the public links of the result page."""
    page = sign_in(browser, site, "kanko-kacho")
    waiting = page.get_by_test_id("waiting")
    assert file_name in waiting.inner_text()
    shot(page, site, f"{step}-waiting-for-approval")
    waiting.get_by_role("link", name=file_name).click()
    assert page.url == upload_page
    page.get_by_test_id("approve").get_by_role("button", name="承認して公開する").click()
    assert page.get_by_test_id("result").inner_text() == "公開しました"
    shot(page, site, f"{step + 1}-published")
    links = {k: page.get_by_test_id(f"link-{k}").get_attribute("href") or ""
             for k in ("page", "api", "csv", "history")}  # fmt: skip
    page.context.close()
    return links


def test_a_department_publishes_by_itself(browser: Any, site: Site) -> None:
    links = approve(browser, site, upload_and_submit(browser, site))
    name = links["page"].rsplit("/", 1)[1]

    public = browser.new_page()
    public.goto(site.url + links["page"])
    assert public.get_by_test_id("title").inner_text() == TITLE
    assert public.get_by_test_id("department").inner_text() == "観光交流課"
    assert public.get_by_test_id("frequency").inner_text() == "毎月"
    shot(public, site, "12-public-page")
    public.close()
    shown = httpx.get(f"{site.url}/api/3/action/package_show", params={"id": name}).json()
    assert shown["success"] and shown["result"]["title"] == TITLE
    assert shown["result"]["maintainer"] == "観光交流課"
    graph = Graph().parse(data=httpx.get(site.url + "/catalog.ttl").text, format="turtle")
    found = [d for d in graph.subjects(RDF.type, DCAT.Dataset)
             if (d, DCTERMS.title, Literal(TITLE, lang="ja")) in graph
             or (d, DCTERMS.title, Literal(TITLE)) in graph]  # fmt: skip
    assert len(found) == 1
    assert {str(k) for k in graph.objects(found[0], DCAT.keyword)} >= {"イベント", "観光"}

    next_month(browser, site, name)
    rollback(browser, site, name, links["history"])


def rows_of(site: Site, name: str) -> list[dict[str, str]]:
    text = httpx.get(f"{site.url}/api/v1/datasets/{name}/download.csv").text
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def next_month(browser: Any, site: Site, name: str) -> None:
    """June's file: one click on the uploads list, straight to the preview on May's recipe."""
    page = sign_in(browser, site, "kanko-tanto")
    reuse = page.get_by_test_id(f"reuse-{name}")
    reuse.get_by_label("ファイル").set_input_files(FILES / "event-next-month.xlsx")
    shot(page, site, "13-next-month")
    reuse.get_by_role("button", name="このデータセットの新しいファイルをアップロード").click()
    page.wait_for_url("**/preview")
    assert page.get_by_test_id("reused").is_visible()
    assert page.get_by_test_id("report-summary").inner_text().startswith("検証に適合しました")
    assert "大井川港朝市" in page.get_by_test_id("preview").inner_text()
    shot(page, site, "14-next-month-preview")
    page.get_by_role("link", name="5. 提出").click()
    page.get_by_test_id("submit").click()
    upload_page = page.url
    page.context.close()
    approve(browser, site, upload_page, "event-next-month.xlsx", step=20)
    assert len(rows_of(site, name)) == 4


def rollback(browser: Any, site: Site, name: str, history: str) -> None:
    """June's version was wrong: the approver restores May's from the history page."""
    page = sign_in(browser, site, "kanko-kacho")
    page.goto(site.url + history)
    second = page.get_by_test_id("version-2").inner_text()
    assert "追加 1・削除 0・変更 0" in second and "適合" in second
    shot(page, site, "15-history")
    page.get_by_test_id("version-1").get_by_role("button", name="この版に戻す").click()
    assert page.get_by_test_id("rolled-back").inner_text() == "版 1 に戻しました（新しい版 3）。"
    assert "版 1 に戻したもの" in page.get_by_test_id("version-3").inner_text()
    shot(page, site, "16-rolled-back")
    page.context.close()
    assert [r["イベント名"] for r in rows_of(site, name)] == [
        "焼津みなと祭り", "ふれあい陶芸教室", "親子さかな料理教室"]  # fmt: skip


@pytest.mark.ckan
def test_the_same_publish_on_ckan(browser: Any, ckan_site: tuple[Site, str], ckan: Any) -> None:
    site, suffix = ckan_site
    links = approve(browser, site, upload_and_submit(browser, site))
    name = links["page"].rsplit("/", 1)[1]
    assert name.endswith(suffix)
    shown = ckan.action.package_show(id=name)  # CKAN's own API
    assert shown["title"] == TITLE and shown["maintainer"] == "観光交流課"
    assert {t["name"] for t in shown["tags"]} >= {"イベント", "観光"}
