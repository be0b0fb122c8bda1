"""A stray value far from the table must be refused before calamine allocates its dense grid.

calamine aborts the whole process (SIGABRT, exit 134: a Rust allocation of
512 GiB) for a sheet whose values span A1:XFD1048576. Every way of writing
the far cell that calamine understands must be caught, so each case runs in
a child process: if the guard breaks, only the child dies.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from portal.errors import InputUnreadable
from portal.formats import Limits, open_table
from portal.formats.spreadsheet.features import scan_xlsx_sheet

PORTAL = str(Path(sys.executable).with_name("portal"))
# Only a guard against a hang: the refusal takes well under a second.
HANG_GUARD_SECONDS = 10
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="一覧" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
# A small AED table: a header and one row, then whatever the case adds.
TABLE = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>名称</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>222127-0001</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>焼津市役所</t></is></c></row>'
)
VALUE = "<is><t>x</t></is></c>"


def xlsx(path: Path, rows: str, *, prefix: str = "", head: str = "") -> Path:
    """A workbook of a few kilobytes whose one sheet holds TABLE and then `rows`."""
    xmlns = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    table = TABLE.replace("<row", f"<{prefix}row").replace("</row", f"</{prefix}row")
    table = table.replace("<c ", f"<{prefix}c ").replace("</c>", f"</{prefix}c>")
    for tag in ("is", "t"):
        table = table.replace(f"<{tag}>", f"<{prefix}{tag}>").replace(
            f"</{tag}>", f"</{prefix}{tag}>"
        )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<{prefix}worksheet {xmlns}>'
        f"<{prefix}sheetData>{table}{rows}</{prefix}sheetData></{prefix}worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


# Each spelling calamine reads as a value in XFD1048576 (or, for the last
# ones, as values that together span the whole grid).
FAR_CELLS = {
    "type-before-r": f'<row r="1048576"><c t="inlineStr" r="XFD1048576">{VALUE}</row>',
    "two-spaces": '<row r="1048576"><c  r="XFD1048576"><v>1</v></c></row>',
    "tab": '<row r="1048576"><c\tr="XFD1048576"><v>1</v></c></row>',
    "newline": '<row r="1048576"><c\n r="XFD1048576" t="n"><v>1</v></c></row>',
    "single-quotes": "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "spaces-around-equals": '<row r="1048576"><c r = "XFD1048576"><v>1</v></c></row>',
    "lower-case": '<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
    "leading-zero": '<row r="1048576"><c r="XFD01048576"><v>1</v></c></row>',
    "style-and-type-first": '<row r="1048576"><c s="0" t="n" r="XFD1048576"><v>1</v></c></row>',
    "formula": '<row r="1048576"><c r="XFD1048576"><f>1+1</f><v>2</v></c></row>',
    "rows-out-of-order": '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    '<row r="3"><c r="A3"><v>1</v></c></row>',
    "no-r-far-row": '<row r="1048576"><c><v>1</v></c></row><row r="3"><c r="XFD3"><v>1</v></c></row>',
    "no-r-counted-on": '<row r="1048576"><c r="XFC1048576"><v>1</v></c><c><v>1</v></c></row>',
    "no-row-element-r": '<row r="1048575"><c r="A1048575"><v>1</v></c></row>'
    '<row><c r="XFD1048576"><v>1</v></c></row>',
    "long-attribute-first": f'<row r="1048576"><c s="0" x="{"y" * 70_000}" r="XFD1048576">'
    "<v>1</v></c></row>",
}
PREFIXED = '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'

CHILD = """
import json, sys
from portal.errors import InputUnreadable
from portal.formats import open_table
try:
    with open_table(sys.argv[1]) as table:
        print(json.dumps({"rows": sum(1 for _ in table.rows())}))
except InputUnreadable as err:
    print(json.dumps({"en": err.message_en, "ja": err.message_ja, "hint": err.to_dict()["hint_en"]}))
"""


def open_in_child(path: Path) -> dict[str, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS * 3,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-800:]}"
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    answer: dict[str, str] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize("case", sorted(FAR_CELLS))
def test_every_spelling_of_a_far_cell_is_refused(tmp_path: Path, case: str) -> None:
    answer = open_in_child(xlsx(tmp_path / f"{case}.xlsx", FAR_CELLS[case]))
    assert "en" in answer, answer
    assert answer["en"].startswith(f"{case}.xlsx, sheet '一覧': the sheet's used range reaches ")
    assert "XFD1048576" in answer["en"]
    assert (
        "(1,048,576 rows × 16,384 columns), more than the limit of 20,000,000 cells"
        in (answer["en"])
    )
    assert "上限の 20,000,000 セルを超えています" in answer["ja"]
    assert "or copy the table to a new sheet" in answer["hint"]


def test_a_namespace_prefix_does_not_hide_the_cell(tmp_path: Path) -> None:
    answer = open_in_child(xlsx(tmp_path / "prefixed.xlsx", PREFIXED, prefix="x:"))
    assert "because of the value in XFD1048576" in answer["en"]


def test_the_message_names_the_stray_cell_and_what_to_do(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "aed.xlsx", FAR_CELLS["type-before-r"])
    with pytest.raises(InputUnreadable) as err:
        open_table(path, limits=Limits(max_sheet_cells=1_000))  # refused by a lower limit alike
    assert err.value.message_en == (
        "aed.xlsx, sheet '一覧': the sheet's used range reaches XFD1048576 "
        "(1,048,576 rows × 16,384 columns), more than the limit of 1,000 cells, "
        "because of the value in XFD1048576"
    )
    assert err.value.message_ja == (
        "aed.xlsx シート「一覧」: セル XFD1048576 に値があるため、シートの使用範囲が "
        "XFD1048576（1,048,576 行 × 16,384 列）まであり、上限の 1,000 セルを超えています"
    )
    body = err.value.to_dict()
    assert body["hint_en"] == (
        "delete the stray cell at XFD1048576 (Ctrl+End jumps to the last used cell) "
        "or copy the table to a new sheet"
    )
    assert body["hint_ja"].startswith("XFD1048576 にある不要なセルを削除するか")


def test_two_stray_cells_are_both_named(tmp_path: Path) -> None:
    rows = '<row r="60000"><c r="A60000"><v>1</v></c></row><row r="60001"><c r="ZZ3"><v>1</v></c></row>'
    with pytest.raises(InputUnreadable) as err:
        open_table(xlsx(tmp_path / "two.xlsx", rows))
    assert "reaches ZZ60000 (60,000 rows × 702 columns)" in err.value.message_en
    assert "because of the values in A60000 and ZZ3" in err.value.message_en
    assert err.value.to_dict()["hint_en"].startswith("delete the stray cells at A60000 and ZZ3 ")


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "A99999999999999"])
def test_a_value_outside_excels_grid_is_refused(tmp_path: Path, ref: str) -> None:
    # calamine would place it (its counters are 32-bit); no spreadsheet program writes it.
    with pytest.raises(InputUnreadable) as err:
        open_table(xlsx(tmp_path / "outside.xlsx", f'<row><c r="{ref}"><v>1</v></c></row>'))
    assert "lies outside Excel's sheet (A1:XFD1048576)" in err.value.message_en
    assert "Excel のシートの範囲（A1:XFD1048576）の外にあります" in err.value.message_ja


@pytest.mark.parametrize(
    "far",
    [
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',  # formatting only
        '<row r="1048576"><c r="XFD1048576" s="1"></c></row>',  # empty, written long
        '<row r="1048576" hidden="1"/>',
    ],
)
def test_formatting_far_away_is_not_a_value(tmp_path: Path, far: str) -> None:
    # calamine leaves cells without a value out of its grid, so these files read fine.
    with open_table(xlsx(tmp_path / "formatted.xlsx", far)) as table:
        assert list(table.rows()) == [["ID", "名称"], ["222127-0001", "焼津市役所"]]


def test_extent_follows_calamines_counters(tmp_path: Path) -> None:
    # Cells without r follow the cell before them; <row> without r follows the row before.
    rows = (
        '<row r="5"><c r="C5"><v>1</v></c><c><v>1</v></c><c r="B5" s="1"/></row>'
        "<row><c><v>1</v></c></row>"
    )
    scan = scan_xlsx_sheet(xlsx(tmp_path / "counters.xlsx", rows), "一覧")
    assert (scan.last_row, scan.last_column) == (6, 4)
    with open_table(tmp_path / "counters.xlsx") as table:
        grid = list(table.rows())
    assert (len(grid), max(map(len, grid))) == (6, 4)


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        ('<!DOCTYPE worksheet [<!ENTITY far "XFD1048576">]>', "document type declaration"),
        ("", "mismatched tag"),
    ],
)
def test_sheet_xml_that_is_not_plain_is_refused(tmp_path: Path, head: str, reason: str) -> None:
    rows = '<row r="3"><c r="A3"><v>1</v></c></row>' if head else "<row><c r='A3'><v>1</c></row>"
    with pytest.raises(InputUnreadable) as err:
        open_table(xlsx(tmp_path / "odd.xlsx", rows, head=head))
    assert "cannot be read as an Excel (.xlsx) workbook; the sheet's XML is damaged" in (
        err.value.message_en
    )
    assert reason in err.value.message_en


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [PORTAL, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=HANG_GUARD_SECONDS * 3,
        env={"PATH": "/usr/bin:/bin", "PORTAL_DATA_DIR": str(cwd / "data"), "HOME": str(cwd)},
    )
    assert time.monotonic() - started < HANG_GUARD_SECONDS * 2  # includes start-up
    return done


@pytest.mark.parametrize("case", ["type-before-r", "two-spaces"])
def test_validate_suggest_and_convert_refuse_it_with_exit_2(tmp_path: Path, case: str) -> None:
    path = xlsx(tmp_path / "aed.xlsx", FAR_CELLS[case])
    recipe = tmp_path / "aed.yaml"
    recipe.write_text(
        "version: 1\ntitle: AED\nsource: {path: aed.xlsx}\n"
        'target: {dataset: aed, lgcode: "222127"}\ncolumns:\n  ID: {from: ID}\n  名称: {from: 名称}\n',
        encoding="utf-8",
    )
    commands = [
        ("validate", str(path), "--dataset", "aed"),
        ("recipe", "suggest", str(path), "--dataset", "aed"),
        ("convert", str(recipe), "--out", str(tmp_path / "out")),
    ]
    for command in commands:
        done = run_cli(*command, cwd=tmp_path)
        said = done.stdout + done.stderr
        assert done.returncode == 2, f"{command}: exit {done.returncode}\n{said[-800:]}"
        assert "XFD1048576" in said and "20,000,000" in said, said
        assert "Traceback" not in said


FAR_ROW = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def rebuilt(path: Path, change: dict[str, str | None]) -> Path:
    """The workbook at `path` with parts replaced (str), added, or removed (None)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, body in change.items():
        if body is None:
            parts.pop(name, None)
        else:
            parts[name] = body.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def moved_workbook(tmp_path: Path, case: str) -> Path:
    """calamine reads the sheet calamine's way; xl/ keeps a harmless decoy."""
    path = xlsx(tmp_path / f"{case}.xlsx", "")
    with zipfile.ZipFile(path) as archive:
        decoy = archive.read("xl/worksheets/sheet1.xml").decode()
    far = decoy.replace("</sheetData>", FAR_ROW + "</sheetData>")
    if case == "office-document-elsewhere":
        rels = ROOT_RELS.replace("xl/workbook.xml", "book/workbook.xml")
        return rebuilt(
            path,
            {
                "_rels/.rels": rels,
                "book/workbook.xml": WORKBOOK,
                "book/_rels/workbook.xml.rels": WORKBOOK_RELS,
                "book/worksheets/sheet1.xml": far,
            },
        )
    if case == "dot-dot-not-resolved":
        # calamine looks for "xl/../far.xml" literally; "far.xml" is a decoy.
        rels = WORKBOOK_RELS.replace("worksheets/sheet1.xml", "../far.xml")
        return rebuilt(
            path, {"xl/_rels/workbook.xml.rels": rels, "xl/../far.xml": far, "far.xml": decoy}
        )
    if case == "case-and-backslash":
        # calamine finds parts ignoring ASCII case and reading "\" as "/".
        return rebuilt(path, {"xl/worksheets/sheet1.xml": None, "XL\\Worksheets\\SHEET1.xml": far})
    if case == "prefixed-sheet-tag":
        # For calamine <a:b:sheet> is not a sheet (its local name is "b:sheet"), so the
        # second <sheet> of the same name is the one it reads.
        workbook = WORKBOOK.replace(
            '<sheet name="一覧" sheetId="1" r:id="rId1"/>',
            '<a:b:sheet name="一覧" r:id="rId1"/><sheet name="一覧" sheetId="1" r:id="rId2"/>',
        )
        rels = WORKBOOK_RELS.replace(
            "</Relationships>",
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/far.xml"/></Relationships>',
        )
        return rebuilt(
            path,
            {
                "xl/workbook.xml": workbook,
                "xl/_rels/workbook.xml.rels": rels,
                "xl/worksheets/far.xml": far,
            },
        )
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "office-document-elsewhere",
        "dot-dot-not-resolved",
        "case-and-backslash",
        "prefixed-sheet-tag",
    ],
)
def test_the_sheet_measured_is_the_one_calamine_reads(tmp_path: Path, case: str) -> None:
    answer = open_in_child(moved_workbook(tmp_path, case))
    assert "because of the value in XFD1048576" in answer.get("en", ""), answer


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"XL/workbook.xml": WORKBOOK}, "two parts are named 'XL/workbook.xml'"),
        (
            {
                "_rels/.rels": ROOT_RELS.replace(
                    "</Relationships>",
                    '<Relationship Id="rId9" Type="x" Target="docProps/app&#46;xml"/>'
                    "</Relationships>",
                )
            },
            "uses character references",
        ),
        (
            {
                "_rels/.rels": ROOT_RELS.replace(
                    'Target="xl/workbook.xml"', 'Target=" xl/workbook.xml"'
                )
            },
            "could be read two ways",
        ),
    ],
)
def test_a_structure_read_two_ways_is_refused(
    tmp_path: Path, change: dict[str, str | None], reason: str
) -> None:
    path = rebuilt(xlsx(tmp_path / "odd.xlsx", ""), change)
    with pytest.raises(InputUnreadable) as err:
        open_table(path)
    assert "cannot be read as an Excel (.xlsx) workbook; its structure is damaged or unusual" in (
        err.value.message_en
    )
    assert reason in err.value.message_en


def test_an_absurd_count_of_shared_strings_is_refused(tmp_path: Path) -> None:
    # calamine reserves 24 bytes per declared string before reading one: 2.4 TB here.
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" '
        'uniqueCount="100000000000"><si><t>名称</t></si></sst>'
    )
    path = rebuilt(xlsx(tmp_path / "sst.xlsx", ""), {"xl/sharedStrings.xml": sst})
    answer = open_in_child(path)
    assert answer["en"] == (
        "sst.xlsx: the workbook declares 100,000,000,000 shared strings, "
        "more than the limit of 20,000,000"
    )


def with_shared_strings(path: Path, strings: list[str], cells: list[int]) -> Path:
    """A workbook whose rows 3… each show the shared string numbered in `cells`."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{index}</v></c></row>'
        for r, index in enumerate(cells, start=3)
    )
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'
    return rebuilt(xlsx(path, rows), {"xl/sharedStrings.xml": sst})


CAPPED_CHILD = CHILD.replace(
    "import json, sys\n",
    "import json, resource, sys\nresource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n",
)


def test_a_long_shared_string_in_many_cells_is_refused(tmp_path: Path) -> None:
    # 3,000 cells each get their own copy of a 1 MiB string: 6 GB from an 18 KB file.
    path = with_shared_strings(tmp_path / "copies.xlsx", ["x" * (1 << 20)], [0] * 3000)
    done = subprocess.run(
        [sys.executable, "-c", CAPPED_CHILD, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-600:]
    assert json.loads(done.stdout)["en"] == (
        "copies.xlsx, sheet '一覧': the sheet's cells repeat shared strings to "
        "3,145,728,000 characters of text, more than the limit of 268,435,456"
    )


def test_shared_text_is_counted_per_cell_when_it_matters(tmp_path: Path) -> None:
    # Roughly (101 cells × the longest string, 1,000) is over the limit; exactly it is
    # 1,000 + 100 × 1 = 1,100 characters.
    path = with_shared_strings(tmp_path / "notes.xlsx", ["備" * 1000, "x"], [0] + [1] * 100)
    with open_table(path, limits=Limits(max_sheet_text_chars=1_100)) as table:
        assert len(list(table.rows())) == 2 + 101
    with pytest.raises(InputUnreadable, match="to 1,100 characters of text, more than the limit"):
        open_table(path, limits=Limits(max_sheet_text_chars=1_099))
