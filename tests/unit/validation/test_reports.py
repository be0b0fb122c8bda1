"""The report a developer reads (JSON) and the one a clerk reads (text, HTML)."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console

from portal.settings import Settings
from portal.validation import Options, validate
from portal.validation.render import print_text, to_html, to_json
from portal.workspace import Workspace
from tests.conftest import SAMPLES_DIR, TEST_DATA

FINDING_KEYS = {
    "code", "severity", "row", "field", "value", "message_ja", "message_en", "fix",
    # frictionless's own error fields, kept
    "type", "title", "description", "message", "tags", "note", "rowNumber", "fieldNumber", "fieldName", "cell",
}  # fmt: skip


def test_json_shape(settings: Settings) -> None:
    report = validate(TEST_DATA / "validate" / "date-wareki.csv", Workspace.of(settings))
    body = json.loads(to_json(report))
    assert set(body) == {
        "valid", "file", "format", "encoding", "sheet", "dataset", "version", "title_ja",
        "detection", "header_row", "stats", "groups", "errors", "truncated",
    }  # fmt: skip
    assert body["valid"] is False and body["dataset"] == "event" and body["version"] == "current"
    assert body["encoding"] == "utf-8" and body["stats"]["rows"] == 2
    assert body["stats"]["by_code"] == {"wareki-date": 1}
    (error,) = body["errors"]
    assert set(error) == FINDING_KEYS
    assert (
        error["code"] == "wareki-date" and error["type"] == "type-error"
    )  # frictionless's type kept
    assert (error["row"], error["rowNumber"], error["field"], error["fieldName"]) == (
        2,
        2,
        "開始日",
        "開始日",
    )
    assert error["fieldNumber"] == 17 and error["cell"] == "令和8年5月28日"
    assert error["fix"] == "2026-05-28" and "和暦" in error["message_ja"]
    assert body["groups"] == [
        {"code": "wareki-date", "field": "開始日", "severity": "error", "title_en": "Japanese-era date",
         "title_ja": "和暦の日付", "count": 1, "rows": [2]}
    ]  # fmt: skip


def test_counts_are_complete_when_details_are_cut(settings: Settings) -> None:
    report = validate(
        SAMPLES_DIR / "cultural_property" / "ichikawa_bunkazai.csv",
        Workspace.of(settings),
        Options(per_group=3),
    )
    body = report.to_dict()
    group = next(g for g in body["groups"] if g["code"] == "excel-serial-date")
    assert group["count"] == 32 and len(group["rows"]) == 3
    assert body["truncated"] is True
    assert body["stats"]["by_code"]["excel-serial-date"] == 32


def test_text_report(settings: Settings) -> None:
    report = validate(SAMPLES_DIR / "fire_hydrant" / "yaizu_fire_water.csv", Workspace.of(settings))
    out = io.StringIO()
    print_text(report, Console(file=out, width=200))
    text = out.getvalue()
    assert "yaizu_fire_water.csv" in text and "消防水利施設一覧" in text
    assert "address-parts-mismatch" in text and "surrounding-space" in text


def test_html_is_standalone_and_grouped(settings: Settings) -> None:
    report = validate(
        SAMPLES_DIR / "cultural_property" / "ichikawa_bunkazai.csv", Workspace.of(settings)
    )
    html = to_html(report)
    assert not re.search(r"<(link|script)\b[^>]*(href|src)=", html), "no external assets"
    assert html.count('<section class="group') == len(report.findings.groups)
    assert "ほか 27 件" in html  # 32 Excel dates: 5 shown, the rest counted
    assert "文化財指定日" in html and "Excelの日付シリアル値" in html
