"""`portal datasets import-spec`: definitions updated from a 定義書 workbook.

The workbook is built by the test in the layout of the Digital Agency's
定義書A (RULES.md §0): title rows, a header row, field rows from row 4.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from portal.errors import WorkbookInvalid
from portal.standards import Registry
from portal.standards.build import build
from portal.standards.specbook import import_workbook

HEADER = [
    "項目No",
    "項目名",
    "区分",
    "説明",
    "形式",
    "記入例",
    "英語項目名",
    "共通語彙基盤",
    "共通語彙基盤での値型",
    "GIF参照データモデル",
    "GIF区分",
]


def toilet_rows(registry: Registry) -> list[list[str]]:
    """Sheet 13 as the reference knows it, then revised as a new 定義書 might be."""
    rows = []
    for i, f in enumerate(registry.get("public_toilet").fields, start=1):
        mark = {"required": "◎", "recommended": "○", "optional": ""}[f["requirement"]]
        rows.append(
            [
                str(i),
                f["name"],
                mark,
                "",
                f.get("spec_format", ""),
                f.get("example", ""),
                f.get("key_en", ""),
                "",
                "",
                "",
                "",
            ]
        )
    by_name = {r[1]: r for r in rows}
    by_name["ID"][2] = "◎"  # ID becomes required
    by_name["名称_英語"][2] = "〇"  # U+3007, same level as ○: no change
    rows.remove(by_name["高度の値"])  # a field dropped
    rows.insert(
        20, ["20", "多目的トイレ数", "○", "便座単位", "数値（半角数字）", "1", "", "", "", "", ""]
    )
    return rows


def write_book(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        ws.append([f"自治体標準オープンデータセット（正式版） {title}"])
        ws.append([])
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def book(tmp_path: Path, datasets_copy: Path) -> Path:
    aed = [
        [
            "1",
            "全国地方公共団体コード",
            "○",
            "",
            "文字列（半角数字）",
            "011002",
            "",
            "",
            "",
            "",
            "",
        ],
        ["2", "ID", "○", "", "文字列（半角英数字）", "FF0100022200", "", "", "", "", ""],
        ["3", "名称", "◎", "", "文字列", "〇〇会館", "", "", "", "", ""],
        ["4", "設置位置", "◎", "", "文字列", "1階入口", "", "", "", "", ""],
        ["5", "小児対応設備の有無", "", "", "", "", "", "", "", "", ""],
    ]
    return write_book(
        tmp_path / "20270401_resources_open_data_municipal-standard-open-dataset_table_a.xlsx",
        {
            "表紙": [["はじめに"]],
            "13.公衆トイレ一覧": toilet_rows(Registry(datasets_copy)),
            "08.AED設置箇所一覧": aed,
            "99.未知のデータセット一覧": aed,
        },
    )


def test_import_updates_schemas_and_reports_changes(book: Path, datasets_copy: Path) -> None:
    report = import_workbook(book, datasets_copy)
    assert report.revision == "2027-04-01"
    changes = {c.key: c for c in report.changes}
    toilet = changes["public_toilet"]
    assert toilet.added == ["多目的トイレ数"] and toilet.removed == ["高度の値"]
    assert toilet.requirement == [("ID", "recommended", "required")]
    assert changes["aed"].removed[:3] == ["地方公共団体名", "名称_カナ", "名称_英字"]
    assert [s for s, _ in report.skipped] == ["表紙", "99.未知のデータセット一覧"]

    registry = Registry(datasets_copy)
    toilet_def = registry.get("public_toilet")
    assert toilet_def.basis == "workbook" and toilet_def.meta["spec_revision"] == "2027-04-01"
    assert "ID" in toilet_def.required_fields and "高度の値" not in toilet_def.field_names
    assert toilet_def.field_names[20] == "多目的トイレ数"
    aed = registry.get("aed")
    assert aed.field_names == [
        "全国地方公共団体コード",
        "ID",
        "名称",
        "設置位置",
        "小児対応設備の有無",
    ]
    assert aed.required_fields == ["名称", "設置位置"]
    flag = aed.fields[4]
    assert flag["constraints"]["enum"] == ["有", "無"]  # 形式 blank: inferred from the name …
    assert "inferred" in aed.meta["field_notes"]["小児対応設備の有無"]["format"]  # … and noted
    text = "\n".join(report.lines())
    assert "+ 多目的トイレ数" in text and "区分 ID: recommended → required" in text


def test_dry_run_writes_nothing(book: Path, datasets_copy: Path) -> None:
    before = (datasets_copy / "public_toilet" / "schema.json").read_bytes()
    report = import_workbook(book, datasets_copy, dry_run=True)
    assert any(c.changed for c in report.changes)
    assert "would be updated" in "\n".join(report.lines())
    assert (datasets_copy / "public_toilet" / "schema.json").read_bytes() == before


def test_importing_twice_changes_nothing_the_second_time(book: Path, datasets_copy: Path) -> None:
    import_workbook(book, datasets_copy)
    again = import_workbook(book, datasets_copy)
    assert not any(c.changed for c in again.changes)


def test_rebuild_from_the_reference_keeps_imported_definitions(
    book: Path, datasets_copy: Path, reference_dir: Path
) -> None:
    import_workbook(book, datasets_copy)
    imported = (datasets_copy / "aed" / "schema.json").read_text(encoding="utf-8")
    results = {r.key: r.status for r in build(reference_dir, datasets_copy)}
    assert results["aed"].startswith("kept")
    assert (datasets_copy / "aed" / "schema.json").read_text(encoding="utf-8") == imported
    build(reference_dir, datasets_copy, force=True)
    assert (
        json.loads((datasets_copy / "aed" / "schema.json").read_text())["fields"][2]["name"]
        == "地方公共団体名"
    )


def test_a_broken_sheet_names_the_place_and_writes_nothing(
    tmp_path: Path, datasets_copy: Path
) -> None:
    before = (datasets_copy / "public_toilet" / "schema.json").read_bytes()
    rows = toilet_rows(Registry(datasets_copy))
    rows[5][2] = "必"  # not a 区分 mark
    book = write_book(tmp_path / "spec.xlsx", {"13.公衆トイレ一覧": rows})
    with pytest.raises(WorkbookInvalid) as err:
        import_workbook(book, datasets_copy)
    loc = err.value.location
    assert (loc.file, loc.sheet, loc.row, loc.column) == ("spec.xlsx", "13.公衆トイレ一覧", 9, "C")
    assert "区分" in err.value.message_ja and "row 9" in err.value.message_en
    assert (datasets_copy / "public_toilet" / "schema.json").read_bytes() == before


def test_duplicate_field_names_are_refused(tmp_path: Path, datasets_copy: Path) -> None:
    rows = toilet_rows(Registry(datasets_copy))
    rows[6][1] = rows[5][1]
    book = write_book(tmp_path / "spec.xlsx", {"13.公衆トイレ一覧": rows})
    with pytest.raises(WorkbookInvalid, match="repeats row 9"):
        import_workbook(book, datasets_copy)


@pytest.mark.parametrize("content", [b"", b"ID,name\n1,a\n", b"PK\x03\x04 not really a zip"])
def test_not_a_workbook(tmp_path: Path, datasets_copy: Path, content: bytes) -> None:
    path = tmp_path / "spec.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookInvalid, match="not an .xlsx workbook"):
        import_workbook(path, datasets_copy)


def test_missing_file(tmp_path: Path, datasets_copy: Path) -> None:
    with pytest.raises(WorkbookInvalid, match="file not found"):
        import_workbook(tmp_path / "nope.xlsx", datasets_copy)
