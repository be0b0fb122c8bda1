"""Writes the test files in this folder: one quirk per file, each as small as it can be.

The outputs are committed; the tests never run this. Run it again only to
change a file:

    .venv/bin/python tests/data/formats/make_files.py

Text files hold the same small table in different bytes, so each test can
compare against `plain-utf8.csv`. Workbooks are written with openpyxl; the
.ods and the .xls are assembled by hand, as no ODF or BIFF writer is
installed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
FIXED_DATE = (2024, 4, 1, 0, 0, 0)

# ㈱ ① are NEC special characters and 髙 﨑 IBM extensions: cp932 has them,
# strict Shift_JIS does not.
HEADER = ["NO", "名称", "住所", "設置者", "備考"]
TABLE = [
    HEADER,
    ["0000100001", "焼津市役所　本庁舎", "静岡県焼津市本町2-16-32", "焼津市", "①正面入口"],
    ["0000100002", "髙﨑クリニック", "静岡県焼津市小川3808", "㈱髙﨑メディカル", "２階"],
    ["0000100003", "ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津", "静岡県焼津市田尻2968-1", "焼津市", ""],
]
# EUC-JP has neither the NEC nor the IBM characters.
TABLE_JIS = [[c.replace("①", "1").replace("㈱", "(株)") for c in row] for row in TABLE]
TABLE_JIS[2][1] = "高崎クリニック"
TABLE_JIS[2][3] = "(株)高崎メディカル"
TABLE_JIS[3][1] = "ディスカバリーパーク焼津"


def csv_text(rows: list[list[str]], newline: str = "\r\n", sep: str = ",") -> str:
    return "".join(sep.join(row) + newline for row in rows)


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def zip_entry(name: str) -> zipfile.ZipInfo:
    # A fixed date, so that running this again changes no committed byte.
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def repack(path: Path) -> None:
    """Rewrite a zip with fixed timestamps (openpyxl stamps every part with the time now)."""
    with zipfile.ZipFile(path) as src:
        parts = [(item, src.read(item)) for item in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for item, body in parts:
            if item.filename == "docProps/core.xml":
                # openpyxl sets the modified date to now whatever it was told.
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-04-01T00:00:00Z", body
                )
            entry = zip_entry(item.filename)
            entry.compress_type = item.compress_type
            dst.writestr(entry, body)


def text_files() -> None:
    text = csv_text(TABLE)
    write("plain-utf8.csv", text.encode("utf-8"))
    write("cp932-with-nec-chars.csv", text.encode("cp932"))
    write("utf8-bom.csv", text.encode("utf-8-sig"))
    write("utf16le-bom.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    write("utf16be-bom.csv", b"\xfe\xff" + text.encode("utf-16-be"))
    write("utf16le-no-bom.csv", text.encode("utf-16-le"))
    write("euc-jp.csv", csv_text(TABLE_JIS).encode("euc-jp"))
    # Katakana-only EUC-JP is also valid cp932 (as half-width kana): only ranking tells.
    write("euc-jp-also-valid-cp932.csv", "カナ,ナマエ\r\nアイウ,カキク\r\n".encode("euc-jp"))
    write("cr-newlines.csv", csv_text(TABLE, newline="\r").encode("utf-8"))
    write("tab-separated.tsv", csv_text(TABLE, sep="\t").encode("utf-8"))
    write("blank-leading-rows.csv", ("\r\n\r\n" + text).encode("utf-8"))
    write(
        "quoted-line-breaks.csv",
        (
            'NO,種類,所有者等\r\n1,"建造物\n歴史資料","狩野一廣\n歴史博物館"\r\n'
            '2,"美術工芸品\n工芸品\n書跡","""Wanpaku"" の会"\r\n3,建造物,葛飾八幡宮\r\n'
        ).encode(),
    )
    write("ragged-rows.csv", b"a,b,c\r\n1,2\r\n1,2,3,4\r\n\r\n5\r\n")
    write(
        "utf8-with-cp932-row.csv",
        "NO,名称\r\n1,市役所\r\n".encode() + "2,㈱髙﨑\r\n".encode("cp932") + b"3,x\r\n",
    )
    write("unclosed-quote.csv", b'a,b\r\n1,"never closed\r\n2,x\r\n3,y\r\n')
    write("empty.csv", b"")
    write("bom-and-blank-lines.csv", b"\xef\xbb\xbf\r\n \r\n\r\n")


def binary_files() -> None:
    write("png-named.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01")
    write("binary-named.csv", bytes(range(256)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zip_entry("data.csv"), csv_text(TABLE))
    write("zip-named.csv", buffer.getvalue())


def save(workbook: Workbook, name: str) -> None:
    workbook.properties.created = dt.datetime(*FIXED_DATE)
    workbook.save(HERE / name)
    repack(HERE / name)


def merged_title() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "AED"
    ws["A1"] = "AED設置箇所一覧（令和6年4月1日現在）"
    ws.merge_cells("A1:D1")
    # Row 2 stays empty, as under most titles; the header is row 3.
    for r, row in enumerate(TABLE[:3], start=3):
        for c, value in enumerate(row[:4], start=1):
            ws.cell(r, c, value)
    save(wb, "merged-title.xlsx")


def hidden_row_and_column() -> None:
    wb = Workbook()
    ws = wb.active
    for row in TABLE:
        ws.append(row)
    ws.row_dimensions[3].hidden = True
    save(wb, "hidden-row.xlsx")
    wb = Workbook()
    ws = wb.active
    for row in TABLE:
        ws.append(row)
    ws.column_dimensions["C"].hidden = True
    save(wb, "hidden-column.xlsx")


def cell_types() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["date", "datetime", "midnight", "time", "time_s", "int_float", "float", "int"])
    ws.append(
        [
            dt.date(2024, 4, 1),
            dt.datetime(2024, 4, 1, 9, 30, 15),
            dt.datetime(2024, 4, 2, 0, 0),
            dt.time(9, 30),
            dt.time(17, 15, 30),
            1234567890123.0,
            34.866918,
            42,
        ]
    )
    ws.append(["bool", "text", "empty", "duration", "zero_float", "formula_float", "", ""])
    ws.append([True, "  前後に空白  ", None, dt.timedelta(hours=25, minutes=3), 0.0, 0.1 + 0.2])
    save(wb, "cell-types.xlsx")


def offset_range() -> None:
    wb = Workbook()
    ws = wb.active
    ws["C3"] = "名称"
    ws["D3"] = "住所"
    ws["C4"] = "焼津市役所"
    ws["D4"] = "本町2-16-32"
    save(wb, "offset-range.xlsx")


def hidden_first_sheet() -> None:
    wb = Workbook()
    memo = wb.active
    memo.title = "メモ"
    memo["A1"] = "作業用"
    memo.sheet_state = "hidden"
    data = wb.create_sheet("データ")
    for row in TABLE[:2]:
        data.append(row)
    wb.create_sheet("空")
    save(wb, "hidden-first-sheet.xlsx")


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="データ">
<table:table-row><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row><table:table-cell/>
<table:table-cell office:value-type="string"><text:p>名称</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>定員</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>開設日</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>緯度</text:p></table:table-cell>
</table:table-row>
<table:table-row><table:table-cell/>
<table:table-cell office:value-type="string"><text:p>さくら保育園</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="120"><text:p>120</text:p></table:table-cell>
<table:table-cell office:value-type="date" office:date-value="2024-04-01"><text:p>2024/4/1</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="34.866918"><text:p>34.866918</text:p></table:table-cell>
</table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>
"""
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def ods() -> None:
    with zipfile.ZipFile(HERE / "leading-empty-row.ods", "w") as archive:
        # ODF wants the mimetype first and stored, so its magic sits at a fixed offset.
        stored = zipfile.ZipInfo("mimetype", date_time=FIXED_DATE)
        archive.writestr(stored, "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(zip_entry("META-INF/manifest.xml"), ODS_MANIFEST)
        # calamine's ODS reader refuses whitespace between cells, as LibreOffice never writes it.
        content = re.sub(r">\s+<", "><", ODS_CONTENT)
        archive.writestr(zip_entry("content.xml"), content)


# A minimal BIFF8 workbook in a minimal OLE2 (Compound File) container, built
# by hand: no xls writer is installed. Only what calamine reads is written.
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
MINI_CUTOFF = 4096


def biff(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(dt_kind: int) -> bytes:
    return biff(0x0809, struct.pack("<HHHHII", 0x0600, dt_kind, 0x0DBB, 0x07CC, 0, 0x06))


def label(row: int, col: int, text: str) -> bytes:
    return biff(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + text.encode("utf-16-le"))


def number(row: int, col: int, value: float, xf: int = 0) -> bytes:
    return biff(0x0203, struct.pack("<HHHd", row, col, xf, value))


def bound_sheet(position: int, name: str, hidden: bool) -> bytes:
    body = struct.pack("<IBBBB", position, int(hidden), 0, len(name), 1)
    return biff(0x0085, body + name.encode("utf-16-le"))


def xls_stream(sheets: list[tuple[str, bool, list[bytes]]]) -> bytes:
    # XF 0 is General, XF 1 the built-in date format 14, so a NUMBER with XF 1 is a date.
    xfs = biff(0x00E0, struct.pack("<HH", 0, 0) + bytes(16))
    xfs += biff(0x00E0, struct.pack("<HH", 0, 14) + bytes(16))
    head = bof(0x0005) + biff(0x0042, struct.pack("<H", 1200)) + xfs
    bound_length = sum(len(bound_sheet(0, name, hidden)) for name, hidden, _ in sheets)
    position = len(head) + bound_length + len(biff(0x000A, b""))
    bodies, bounds = b"", b""
    for name, hidden, cells in sheets:
        rows = [struct.unpack_from("<H", c, 4)[0] for c in cells] or [0]
        cols = [struct.unpack_from("<H", c, 6)[0] for c in cells] or [0]
        dims = struct.pack("<IIHHH", min(rows), max(rows) + 1, min(cols), max(cols) + 1, 0)
        body = bof(0x0010) + biff(0x0200, dims) + b"".join(cells) + biff(0x000A, b"")
        bounds += bound_sheet(position + len(bodies), name, hidden)
        bodies += body
    stream = head + bounds + biff(0x000A, b"") + bodies
    # Streams under 4096 bytes would go to the mini stream; padding avoids it.
    return stream + bytes(max(0, MINI_CUTOFF - len(stream)))


def directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, NOSTREAM, child)
        + bytes(16 + 4 + 16)
        + struct.pack("<IQ", start, size)
    )


def compound_file(stream: bytes) -> bytes:
    stream += bytes(-len(stream) % SECTOR)
    count = len(stream) // SECTOR
    # Sector 0 is the FAT, sector 1 the directory, sectors 2.. the Workbook stream.
    fat = [FATSECT, ENDOFCHAIN] + [3 + i for i in range(count - 1)] + [ENDOFCHAIN]
    fat += [FREESECT] * (SECTOR // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, MINI_CUTOFF, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108
    directory = directory_entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
    directory += directory_entry("Workbook", 2, NOSTREAM, 2, len(stream))
    directory += directory_entry("", 0, NOSTREAM, 0, 0) * 2
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + stream


def xls() -> None:
    memo = [label(0, 0, "作業用")]
    data = [
        label(1, 1, "名称"),
        label(1, 2, "定員"),
        label(1, 3, "開設日"),
        label(1, 4, "緯度"),
        label(2, 1, "さくら保育園"),
        number(2, 2, 120.0),
        number(2, 3, 45383.0, xf=1),  # 2024-04-01 as an Excel serial
        number(2, 4, 34.866918),
    ]
    stream = xls_stream([("メモ", True, memo), ("データ", False, data)])
    write("hidden-first-sheet.xls", compound_file(stream))


def main() -> None:
    text_files()
    binary_files()
    merged_title()
    hidden_row_and_column()
    cell_types()
    offset_range()
    hidden_first_sheet()
    ods()
    xls()


if __name__ == "__main__":
    main()
