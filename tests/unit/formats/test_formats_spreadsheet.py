"""Workbooks: sheet choice, real row numbers, cell text, layout features, and hostile archives."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from portal.errors import InputUnreadable
from portal.formats import Limits, SheetFeature, open_table
from portal.formats.spreadsheet.archive import sheet_part
from portal.formats.spreadsheet.cells import cell_text
from portal.formats.spreadsheet.features import scan_xlsx_sheet, xlsx_features

HEADER = ["NO", "名称", "住所", "設置者", "備考"]


def test_merged_title_above_the_header(data: Path) -> None:
    with open_table(data / "merged-title.xlsx") as table:
        rows = list(table.rows())
        assert table.features == [SheetFeature("merged-cells", "A1:D1", 1, "A")]
        assert (table.info.format, table.info.sheet, table.info.sheets) == ("xlsx", "AED", ["AED"])
        assert (table.info.encoding, table.info.newline, table.info.delimiter) == (None, None, None)
    assert rows[0] == ["AED設置箇所一覧（令和6年4月1日現在）", "", "", ""]
    assert rows[1] == ["", "", "", ""]
    assert rows[2] == HEADER[:4]
    assert [r[0] for r in rows[3:]] == ["0000100001", "0000100002"]


def test_hidden_row_is_a_feature_and_still_a_row(data: Path) -> None:
    with open_table(data / "hidden-row.xlsx") as table:
        assert table.features == [SheetFeature("hidden-row", "3", 3, None)]
        rows = list(table.rows())
    assert [r[0] for r in rows] == ["NO", "0000100001", "0000100002", "0000100003"]


def test_hidden_column(data: Path) -> None:
    with open_table(data / "hidden-column.xlsx") as table:
        assert table.features == [SheetFeature("hidden-column", "C", None, "C")]
        assert next(iter(table.rows())) == HEADER


def test_runs_of_hidden_rows_and_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for r in range(1, 15):
        ws.append([f"r{r}", "x", "y", "z", "w", "v"])
    for r in (5, 6, 7, 8, 9, 12):
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions.group("C", "E", hidden=True)
    ws.merge_cells("A13:B14")
    wb.save(tmp_path / "runs.xlsx")
    with open_table(tmp_path / "runs.xlsx") as table:
        assert table.features == [
            SheetFeature("merged-cells", "A13:B14", 13, "A"),
            SheetFeature("hidden-row", "5:9", 5, None),
            SheetFeature("hidden-row", "12", 12, None),
            SheetFeature("hidden-column", "C:E", None, "C"),
        ]


def test_cells_become_text(data: Path) -> None:
    with open_table(data / "cell-types.xlsx") as table:
        rows = list(table.rows())
    assert rows == [
        ["date", "datetime", "midnight", "time", "time_s", "int_float", "float", "int"],
        [
            "2024-04-01",
            "2024-04-01T09:30:15",
            "2024-04-02",
            "09:30",
            "17:15:30",
            "1234567890123",
            "34.866918",
            "42",
        ],
        ["bool", "text", "empty", "duration", "zero_float", "formula_float", "", ""],
        ["TRUE", "  前後に空白  ", "", "25:03", "0", "0.3", "", ""],
    ]


def test_rows_are_numbered_as_in_the_sheet(data: Path) -> None:
    # The used range starts at C3: calamine's start is (2, 2), not (0, 0).
    with open_table(data / "offset-range.xlsx") as table:
        rows = list(table.rows())
    assert rows == [
        ["", "", "", ""],
        ["", "", "", ""],
        ["", "", "名称", "住所"],
        ["", "", "焼津市役所", "本町2-16-32"],
    ]


def test_first_visible_sheet_is_the_default(data: Path) -> None:
    path = data / "hidden-first-sheet.xlsx"
    with open_table(path) as table:
        assert table.info.sheet == "データ"
        assert table.info.sheets == ["メモ", "データ", "空"]
        assert table.info.hidden_sheets == ["メモ"]
        assert list(table.rows())[0] == HEADER
    with open_table(path, sheet=0) as table:
        assert (table.info.sheet, list(table.rows())) == ("メモ", [["作業用"]])
    with open_table(path, sheet="空") as table:
        assert list(table.rows()) == []


@pytest.mark.parametrize("sheet", ["Sheet1", 3, -1])
def test_unknown_sheet_lists_the_sheets(data: Path, sheet: str | int) -> None:
    with pytest.raises(InputUnreadable) as err:
        open_table(data / "hidden-first-sheet.xlsx", sheet=sheet)
    assert f"there is no sheet {sheet!r}" in err.value.message_en
    assert "'メモ', 'データ', '空'" in err.value.message_en
    assert "「メモ」、「データ」、「空」" in err.value.message_ja


def test_sheet_names_map_to_their_xml_parts(data: Path) -> None:
    with zipfile.ZipFile(data / "hidden-first-sheet.xlsx") as archive:
        assert sheet_part(archive, "データ") == "xl/worksheets/sheet2.xml"
        assert sheet_part(archive, "ない") is None


def test_ods(data: Path) -> None:
    # Hand-made: no ODF writer is installed. Features are not looked for in ods.
    with open_table(data / "leading-empty-row.ods") as table:
        assert (table.info.format, table.info.sheet, table.features) == ("ods", "データ", [])
        rows = list(table.rows())
    assert rows == [
        ["", "", "", "", ""],
        ["", "名称", "定員", "開設日", "緯度"],
        ["", "さくら保育園", "120", "2024-04-01", "34.866918"],
    ]


def test_content_decides_not_the_name(data: Path, tmp_path: Path) -> None:
    shutil.copy(data / "hidden-row.xlsx", tmp_path / "export.csv")
    shutil.copy(data / "plain-utf8.csv", tmp_path / "export.xlsx")
    shutil.copy(data / "leading-empty-row.ods", tmp_path / "export.xls")
    shutil.copy(data / "hidden-row.xlsx", tmp_path / "old.XLS")
    shutil.copy(data / "hidden-row.xlsx", tmp_path / "calc.ods")
    with open_table(data / "hidden-row.xlsx") as table:
        xlsx_rows = list(table.rows())
    for name, fmt in [("export.csv", "xlsx"), ("old.XLS", "xlsx"), ("calc.ods", "xlsx")]:
        with open_table(tmp_path / name) as table:
            assert table.info.format == fmt, name
            assert list(table.rows()) == xlsx_rows, name
            assert table.features == [SheetFeature("hidden-row", "3", 3, None)]
    with open_table(tmp_path / "export.xlsx") as table:
        assert table.info.format == "csv"
    with open_table(tmp_path / "export.xls") as table:
        assert table.info.format == "ods"
        assert len(list(table.rows())) == 3


def test_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(50):
                member.write(zeros)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(InputUnreadable) as err:
        open_table(path)
    assert "zip bomb" in err.value.message_en
    assert "xl/worksheets/sheet1.xml" in err.value.message_en
    assert "ZIP 爆弾" in err.value.message_ja


def test_unzipped_total_over_the_limit(data: Path) -> None:
    with pytest.raises(InputUnreadable, match="zip bomb or oversized workbook"):
        open_table(data / "merged-title.xlsx", limits=Limits(max_unzipped_bytes=1000))


def test_truncated_xlsx(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes((data / "hidden-row.xlsx").read_bytes()[:3000])
    with pytest.raises(InputUnreadable, match="damaged or incomplete"):
        open_table(path)


def test_broken_sheet_xml(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(data / "hidden-row.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    with pytest.raises(InputUnreadable) as err:
        open_table(path)
    assert "cannot be read as an Excel (.xlsx) workbook" in err.value.message_en
    assert err.value.location is not None and err.value.location.sheet == "Sheet"


def test_ole2_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputUnreadable, match=r"cannot be read as an Excel 97-2003 \(\.xls\)"):
        open_table(path)


def test_password_protected_xlsx(tmp_path: Path) -> None:
    # Office wraps an encrypted xlsx in OLE2 with an EncryptedPackage stream.
    path = tmp_path / "secret.xlsx"
    marker = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + marker + bytes(100))
    with pytest.raises(InputUnreadable, match="protected with a password"):
        open_table(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  a  ", "  a  "),
        (True, "TRUE"),
        (False, "FALSE"),
        (0, "0"),
        (123.0, "123"),
        (-0.0, "0"),
        (1e15, "1000000000000000"),
        (34.866918, "34.866918"),
        (0.1 + 0.2, "0.3"),
        (2.9999999999999996, "3"),
        (1.5e-7, "1.5e-07"),
        (dt.date(2024, 4, 1), "2024-04-01"),
        (dt.datetime(2024, 4, 1), "2024-04-01"),
        (dt.datetime(2024, 4, 1, 8, 59, 59, 999_999), "2024-04-01T09:00:00"),
        (dt.datetime(2024, 4, 1, 23, 59, 59, 999_999), "2024-04-02"),
        (dt.time(9, 5), "09:05"),
        (dt.time(9, 5, 7), "09:05:07"),
        (dt.time(0, 0), "00:00"),
        (dt.timedelta(hours=1, minutes=30), "01:30"),
        (dt.timedelta(days=2, minutes=5), "48:05"),
        (dt.timedelta(minutes=-90), "-01:30"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text  # type: ignore[arg-type]


SHEET_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">
<x:cols><x:col min="2" max="2" width="0" hidden="true" customWidth="1"/>
<x:col min="4" max="16384" hidden="1"/><x:col min="1" max="1" hidden="0"/></x:cols>
<x:sheetData>
<x:row r="1" spans="1:3"><x:c r="A1" t="inlineStr"><x:is><x:t>&lt;row hidden="1"&gt;</x:t></x:is></x:c></x:row>
<x:row r="2" spans="1:3" hidden="1" x14ac:dyDescent="0.25"/>
<x:row r='3' hidden='1'/><x:row r="4" hidden="0"/><x:row r="7" hidden="1"/>
</x:sheetData>
<x:rowBreaks count="1"/><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/>
<x:mergeCell ref="B8:B9"/></x:mergeCells>
</x:worksheet>"""


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_feature_scan_reads_only_the_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # Prefixed tags, single quotes, escaped text that looks like a tag, and
    # (with tiny chunks) every tag cut in two somewhere.
    monkeypatch.setattr("portal.formats.spreadsheet.features.SCAN_CHUNK", chunk)
    path = tmp_path / "hand.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="一覧" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId7" Target="/xl/worksheets/data.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/data.xml", SHEET_XML)
    assert xlsx_features(path, "一覧") == [
        SheetFeature("merged-cells", "A1:C1", 1, "A"),
        SheetFeature("merged-cells", "B8:B9", 8, "B"),
        SheetFeature("hidden-row", "2:3", 2, None),
        SheetFeature("hidden-row", "7", 7, None),
        SheetFeature("hidden-column", "B", None, "B"),
        SheetFeature("hidden-column", "D:XFD", None, "D"),
    ]


def test_xls(data: Path) -> None:
    # Hand-made BIFF8 (no xls writer is installed): a hidden first sheet, a
    # used range starting at B2, a number, a date and a float.
    with open_table(data / "hidden-first-sheet.xls") as table:
        info = table.info
        assert (info.format, info.sheet, info.sheets) == ("xls", "データ", ["メモ", "データ"])
        assert (info.hidden_sheets, table.features) == (["メモ"], [])
        assert list(table.rows()) == [
            ["", "", "", "", ""],
            ["", "名称", "定員", "開設日", "緯度"],
            ["", "さくら保育園", "120", "2024-04-01", "34.866918"],
        ]
    with open_table(data / "hidden-first-sheet.xls", sheet="メモ") as table:
        assert list(table.rows()) == [["作業用"]]


def patched_xls(data: Path, tmp_path: Path, old: bytes, new: bytes) -> Path:
    body = (data / "hidden-first-sheet.xls").read_bytes()
    assert body.count(old) >= 1
    path = tmp_path / "patched.xls"
    path.write_bytes(body.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        # DIMENSIONS of the first sheet: first row past the last, which calamine
        # turns into a four-billion-row allocation that aborts the process.
        (
            b"\x00\x02\x0e\x00\x00\x00\x00\x00\x01\x00\x00\x00",
            b"\x00\x02\x0e\x00\x00\xcc\x00\x00\x01\x00\x00\x00",
            "first cell lies past its last",
        ),
        (
            b"\x00\x02\x0e\x00\x00\x00\x00\x00\x01\x00\x00\x00",
            b"\x00\x02\x0e\x00\x00\x00\x00\x00\x00\x00\x02\x00",
            "claims 131,072 rows",
        ),
        # The LABEL in A1 of the first sheet moved to column 65,535.
        (b"\x04\x02\x0f\x00\x00\x00\x00\x00", b"\x04\x02\x0f\x00\x00\x00\xff\xff", "column 65,536"),
        # The sector shift in the header.
        (
            b"\x3e\x00\x03\x00\xfe\xff\x09\x00",
            b"\x3e\x00\x03\x00\xfe\xff\x0a\x00",
            "bad sector size",
        ),
    ],
)
def test_xls_sizes_are_checked_before_calamine(
    data: Path, tmp_path: Path, old: bytes, new: bytes, reason: str
) -> None:
    with pytest.raises(InputUnreadable) as err:
        open_table(patched_xls(data, tmp_path, old, new))
    assert "Excel 97-2003 (.xls)" in err.value.message_en
    assert reason in err.value.message_en


def far_cell_xlsx(data: Path, tmp_path: Path, ref: str) -> Path:
    path = tmp_path / f"far-{ref}.xlsx"
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    cell = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode()
    with zipfile.ZipFile(data / "hidden-row.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", cell)
            dst.writestr(item, body)
    return path


def test_sheet_extent_counts_valued_cells_only(data: Path, tmp_path: Path) -> None:
    scan = scan_xlsx_sheet(far_cell_xlsx(data, tmp_path, "AB70000"), "Sheet")
    assert (scan.last_row, scan.last_column, scan.cells) == (70000, 28, 1_960_000)
    assert scan.features == [SheetFeature("hidden-row", "3", 3, None)]


def test_a_stray_value_far_away_is_refused_before_calamine(data: Path, tmp_path: Path) -> None:
    # calamine would allocate 16384 × 1048576 cells and abort the process, so
    # this runs in a child: if the guard ever breaks, only the child dies.
    path = far_cell_xlsx(data, tmp_path, "XFD1048576")
    code = (
        "import sys\n"
        "from portal.errors import InputUnreadable\n"
        "from portal.formats import open_table\n"
        "try:\n"
        "    open_table(sys.argv[1])\n"
        "except InputUnreadable as err:\n"
        "    print(err.message_en)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "used range reaches XFD1048576 (1,048,576 rows × 16,384 columns)" in done.stdout
    assert "limit of 20,000,000 cells" in done.stdout


def test_sheet_cell_limit(data: Path) -> None:
    with pytest.raises(InputUnreadable, match=r"reaches E4 \(4 rows × 5 columns\)"):
        open_table(data / "hidden-row.xlsx", limits=Limits(max_sheet_cells=19))
    with open_table(data / "hidden-row.xlsx", limits=Limits(max_sheet_cells=20)) as table:
        assert len(list(table.rows())) == 4
