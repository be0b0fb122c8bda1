"""Small .ods and .xls files that calamine would expand past memory are refused before it reads them.

Each hostile case runs in a child process with its address space capped: if
a guard breaks, the child aborts (or fails to allocate) and the test fails,
without taking the test run or the machine with it.
"""

from __future__ import annotations

import importlib.util
import json
import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from portal.errors import InputUnreadable
from portal.formats import Limits, open_table

DATA = Path(__file__).parents[2] / "data" / "formats"

MEMORY_CAP = 3 << 30
HANG_GUARD_SECONDS = 10
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
HEADER_ROW = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>名称</text:p>'
    "</table:table-cell></table:table-row>"
)
FLOAT = 'office:value-type="float" office:value="1"'

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from portal.errors import InputUnreadable
from portal.formats import open_table
try:
    with open_table(sys.argv[1]) as table:
        print(json.dumps({"rows": sum(1 for _ in table.rows())}))
except InputUnreadable as err:
    print(json.dumps({"en": err.message_en, "ja": err.message_ja}))
"""


def ods(path: Path, rows: str, name: str = "一覧") -> Path:
    content = (
        f'{ODS_HEAD}<table:table table:name="{name}">{HEADER_ROW}{rows}</table:table>{ODS_TAIL}'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", make_files().ODS_MANIFEST)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def open_capped(path: Path) -> dict[str, str]:
    """open_table in a child whose address space is capped, so a broken guard cannot hurt."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(MEMORY_CAP)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS * 6,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-600:]}"
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    answer: dict[str, str] = json.loads(done.stdout)
    return answer


def test_the_cap_leaves_room_for_an_ordinary_workbook() -> None:
    # The child's cap must not be what refuses the hostile files below.
    assert open_capped(DATA / "leading-empty-row.ods") == {"rows": 3}
    assert resource.RLIMIT_AS  # the cap is available on this platform


def test_ods_a_value_repeated_over_the_whole_grid(tmp_path: Path) -> None:
    rows = (
        '<table:table-row table:number-rows-repeated="3000">'
        f'<table:table-cell {FLOAT} table:number-columns-repeated="16384"/></table:table-row>'
    )
    answer = open_capped(ods(tmp_path / "repeated.ods", rows))
    assert answer["en"] == (
        "repeated.ods, sheet '一覧': the sheet's used range reaches XFD3001 "
        "(3,001 rows × 16,384 columns), more than the limit of 20,000,000 cells, "
        "because of the value in XFD3001"
    )


def test_ods_row_elements_full_of_empty_cells(tmp_path: Path) -> None:
    # An empty cell followed by any cell is pushed: 16,384 per row element, no value anywhere.
    row = (
        '<table:table-row><table:table-cell table:number-columns-repeated="16384"/>'
        "<table:table-cell/></table:table-row>"
    )
    answer = open_capped(ods(tmp_path / "empty.ods", row * 2000))
    assert answer["en"] == (
        "empty.ods, sheet '一覧': the sheet's repeated cells take 20,004,865 cells in memory, "
        "more than the limit of 20,000,000 cells"
    )
    assert "上限の 20,000,000 セルを超えています" in answer["ja"]


def test_ods_two_billion_spaces(tmp_path: Path) -> None:
    cell = (
        '<table:table-row><table:table-cell office:value-type="string">'
        '<text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>'
    )
    answer = open_capped(ods(tmp_path / "spaces.ods", cell))
    assert answer["en"] == (
        "spaces.ods, sheet '一覧': a cell holds 2,000,000,002 characters, "
        "more than the limit of 1,048,576"
    )


def test_ods_a_long_string_repeated(tmp_path: Path) -> None:
    # calamine copies the string into each of the 16,384 × 200 cells: 100,002 characters
    # (a, the spaces, the paragraph) × 16,384 × (200 + the row as read), and 名称 (2 + 1) twice.
    cell = (
        '<table:table-row table:number-rows-repeated="200"><table:table-cell '
        'office:value-type="string" table:number-columns-repeated="16384">'
        '<text:p>a<text:s text:c="100000"/></text:p></table:table-cell></table:table-row>'
    )
    answer = open_capped(ods(tmp_path / "text.ods", cell))
    assert "the sheet's repeated cells hold 329,324,986,374 characters of text" in answer["en"]


def test_ods_as_libreoffice_writes_it_still_reads(tmp_path: Path) -> None:
    # LibreOffice fills the rest of the sheet with repeated empty rows and cells.
    rows = (
        f'<table:table-row><table:table-cell {FLOAT}/><table:table-cell table:style-name="ce1" '
        'table:number-columns-repeated="3"/><table:table-cell table:number-columns-repeated="1020"/>'
        '</table:table-row><table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    with open_table(ods(tmp_path / "calc.ods", rows)) as table:
        assert list(table.rows()) == [["名称"], ["1"]]


def test_ods_limit_is_the_sheet_limit(tmp_path: Path) -> None:
    rows = f'<table:table-row table:number-rows-repeated="9"><table:table-cell {FLOAT}/></table:table-row>'
    path = ods(tmp_path / "small.ods", rows)
    with pytest.raises(InputUnreadable, match=r"reaches A10 \(10 rows × 1 columns\)"):
        open_table(path, limits=Limits(max_sheet_cells=9))
    with open_table(path, limits=Limits(max_sheet_cells=10)) as table:
        assert len(list(table.rows())) == 10


def make_files() -> ModuleType:
    """tests/data/formats/make_files.py, for its hand-made BIFF8 writer."""
    spec = importlib.util.spec_from_file_location("make_files", DATA / "make_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def xls(path: Path, cells: list[bytes], dimensions: tuple[int, int] | None = None) -> Path:
    biff = make_files()
    stream = biff.xls_stream([("データ", False, cells)])
    if dimensions is not None:  # what the DIMENSIONS record claims, whatever the cells say
        at = stream.index(struct.pack("<HH", 0x0200, 14)) + 4
        stream = (
            stream[:at]
            + struct.pack("<IIHHH", 0, *dimensions[:1], 0, dimensions[1], 0)
            + (stream[at + 14 :])
        )
    path.write_bytes(biff.compound_file(stream))
    return path


def test_xls_rstring_far_right_is_refused(tmp_path: Path) -> None:
    # An RString record (0x00D6) in column 65,535 and a number in row 65,535:
    # calamine would allocate 65,535 × 65,535 cells (137 GB) and abort.
    biff = make_files()
    text = "x".encode("utf-16-le")
    rstring = biff.biff(0x00D6, struct.pack("<HHHHB", 0, 0xFFFE, 0, 1, 1) + text + bytes(2))
    cells = [biff.label(0, 0, "名称"), biff.number(0xFFFE, 0, 1.0), rstring]
    answer = open_capped(xls(tmp_path / "far.xls", cells, dimensions=(2, 1)))
    assert answer["en"] == (
        "far.xls: the file cannot be read as an Excel 97-2003 (.xls) workbook; it is damaged "
        "(a cell sits in column 65,535, past the last column of an .xls)"
    )


def test_xls_sheets_are_held_to_the_sheet_limit(tmp_path: Path) -> None:
    biff = make_files()
    cells = [biff.label(0, 0, "名称"), biff.number(99, 9, 1.0)]
    path = xls(tmp_path / "wide.xls", cells)
    with pytest.raises(InputUnreadable) as err:
        open_table(path, limits=Limits(max_sheet_cells=999))
    assert err.value.message_en == (
        "wide.xls, sheet 'データ': the sheet's used range reaches J100 (100 rows × 10 columns), "
        "more than the limit of 999 cells, because of the value in J100"
    )
    with open_table(path, limits=Limits(max_sheet_cells=1000)) as table:
        assert len(list(table.rows())) == 100
