"""Checks on an .ods before calamine reads it: repeated cells and rows are expanded in memory.

ODF writes a run of equal cells once, with table:number-columns-repeated,
and a run of equal rows once, with table:number-rows-repeated. calamine
(0.36, src/ods.rs) reads every sheet when it opens the file and expands
both: a value repeated over 16,384 columns in a row repeated 3,000 times
is 49 million cells, and a kilobyte file aborts the process (a failed
allocation in Rust cannot be caught). A string is copied into every cell it
is repeated into, and <text:s text:c="2000000000"/> is two billion spaces.

So content.xml is streamed through expat first, counting what calamine
would build for each sheet: the grid (from A1 to the last value, as for
xlsx) and the characters of text. calamine's own caps (1,048,576 rows,
16,384 columns a row) are followed; its limit of 100 million cells is far
beyond what fits in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from portal.formats.base import Limits, unreadable
from portal.formats.spreadsheet.archive import ZIP_ERRORS, open_zip
from portal.formats.spreadsheet.extent import EXCEL_COLUMNS, EXCEL_ROWS, Extent, check_extent

CONTENT = "content.xml"
SCAN_CHUNK = 1 << 20
# Attributes that give a cell a value in calamine's get_datatype, besides a string type.
VALUE_ATTRIBUTES = (
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "table:formula",
)
CELLS = ("table:table-cell", "table:covered-table-cell")


class _Refused(Exception):
    """Internal: the reason a sheet is refused, with the sheet's name."""

    def __init__(self, sheet: str, detail: str, detail_ja: str) -> None:
        super().__init__(detail)
        self.sheet, self.detail, self.detail_ja = sheet, detail, detail_ja


@dataclass
class _Sheet:
    """What calamine will build for one table:table, counted as the XML streams by."""

    name: str
    extent: Extent = field(default_factory=Extent)
    rows_above: int = 0  # rows up to the current row element, repeats counted
    total_rows: int = 0  # calamine's count, which caps the repeats at 1,048,576 rows
    cells: int = 0  # cells calamine holds as read, before expanding repeated rows
    text: int = 0  # characters of text calamine will hold
    # The current row element: cells pushed (the values and the empty cells between
    # them), empty cells waiting for a value, the end of the last value, its text.
    row_repeats: int = 1
    pushed: int = 0
    pending: int = 0
    valued_end: int = 0
    row_text: int = 0
    # The current cell: how often it repeats, whether it has a value, its text.
    cell_repeats: int = 0
    valued: bool = False
    cell_text: int = 0


def check_ods(path: Path, limits: Limits) -> None:
    """Refuse an .ods whose sheets calamine would expand past the limits."""
    scanner = _ContentScanner(limits)
    try:
        with open_zip(path) as archive, archive.open(CONTENT) as f:
            while chunk := f.read(SCAN_CHUNK):
                scanner.parser.Parse(chunk, False)
            scanner.parser.Parse(b"", True)
    except _Refused as refused:
        raise unreadable(
            path,
            refused.detail,
            refused.detail_ja,
            sheet=refused.sheet,
            hint="save the sheet again from LibreOffice or Excel after deleting what is "
            "repeated far beyond the table, or copy the table to a new file",
            hint_ja="表から離れた位置まで繰り返されている内容を削除して LibreOffice か Excel "
            "で保存し直すか、表を新しいファイルにコピーしてください",
        ) from None
    except (expat.ExpatError, *ZIP_ERRORS) as err:
        raise unreadable(
            path,
            f"the file cannot be read as an OpenDocument (.ods) workbook; its content.xml is "
            f"damaged ({err})",
            f"OpenDocument (.ods) のブックとして読めません。content.xml が壊れています（{err}）",
            hint="open it in LibreOffice or Excel, save it again and upload the new file",
            hint_ja="LibreOffice か Excel で開いて保存し直し、そのファイルをアップロードしてください",
        ) from None
    for sheet in scanner.sheets:
        check_extent(path, sheet.name, sheet.extent, limits)


class _ContentScanner:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.sheets: list[_Sheet] = []
        self.sheet: _Sheet | None = None
        self.in_cell = 0  # depth inside the current cell

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        sheet = self.sheet
        if self.in_cell:
            self.in_cell += 1
            if sheet is not None and name == "text:s":
                sheet.cell_text += _count(attributes.get("text:c"), 1)
            elif sheet is not None and name == "text:p":
                sheet.cell_text += 1  # the line break between paragraphs
            return
        if name == "table:table":
            self.sheet = _Sheet(attributes.get("table:name", ""))
            self.sheets.append(self.sheet)
        elif sheet is None:
            return
        elif name == "table:table-row":
            room = max(EXCEL_ROWS - sheet.total_rows, 0)  # calamine caps the repeats here
            sheet.row_repeats = min(_count(attributes.get("table:number-rows-repeated"), 1), room)
            sheet.total_rows += sheet.row_repeats
            sheet.pushed = sheet.pending = sheet.valued_end = sheet.row_text = 0
        elif name in CELLS:
            self.in_cell = 1
            sheet.cell_repeats = _count(attributes.get("table:number-columns-repeated"), 1)
            sheet.valued = attributes.get("office:value-type") == "string" or any(
                key in attributes for key in VALUE_ATTRIBUTES
            )
            sheet.cell_text = sum(len(attributes.get(key, "")) for key in VALUE_ATTRIBUTES)

    def _end(self, name: str) -> None:
        sheet = self.sheet
        if self.in_cell:
            self.in_cell -= 1
            if not self.in_cell and sheet is not None:
                self._end_cell(sheet)
        elif sheet is None:
            return
        elif name == "table:table-row":
            self._end_row(sheet)
        elif name == "table:table":
            self.sheet = None

    def _text(self, data: str) -> None:
        if self.in_cell and self.sheet is not None:
            self.sheet.cell_text += len(data)

    def _end_cell(self, sheet: _Sheet) -> None:
        if sheet.cell_text > self.limits.max_cell_chars:
            raise _Refused(
                sheet.name,
                f"a cell holds {sheet.cell_text:,} characters, more than the limit of "
                f"{self.limits.max_cell_chars:,}",
                f"セルの文字数が {sheet.cell_text:,} 字あり、上限の "
                f"{self.limits.max_cell_chars:,} 字を超えています",
            )
        # Empty cells wait: calamine pushes them when any cell follows them in the row.
        sheet.pushed += min(sheet.pending, EXCEL_COLUMNS - sheet.pushed)
        repeats = min(sheet.cell_repeats, EXCEL_COLUMNS - sheet.pushed)
        if not sheet.valued:
            sheet.pending = repeats
            return
        sheet.pushed += repeats
        sheet.pending = 0
        sheet.valued_end = sheet.pushed
        sheet.row_text += sheet.cell_text * repeats

    def _end_row(self, sheet: _Sheet) -> None:
        # calamine keeps each row element once as read, then copies it once per repeat
        # into the grid that spans the values (counted from A1 here, as for xlsx).
        sheet.rows_above += max(sheet.row_repeats, 1)
        if sheet.valued_end:
            sheet.extent.add(sheet.rows_above, sheet.valued_end)
        sheet.cells += sheet.pushed
        if sheet.cells > self.limits.max_sheet_cells:
            raise _Refused(
                sheet.name,
                f"the sheet's repeated cells take {sheet.cells:,} cells in memory, more than "
                f"the limit of {self.limits.max_sheet_cells:,} cells",
                f"シートの繰り返しセルがメモリ上で {sheet.cells:,} セルになり、上限の "
                f"{self.limits.max_sheet_cells:,} セルを超えています",
            )
        sheet.text += sheet.row_text * (sheet.row_repeats + 1)
        if sheet.text > self.limits.max_sheet_text_chars:
            raise _Refused(
                sheet.name,
                f"the sheet's repeated cells hold {sheet.text:,} characters of text, more than "
                f"the limit of {self.limits.max_sheet_text_chars:,}",
                f"シートの繰り返しセルの文字数が {sheet.text:,} 字あり、上限の "
                f"{self.limits.max_sheet_text_chars:,} 字を超えています",
            )

    def _doctype(self, *_: object) -> None:
        raise expat.ExpatError("a document type declaration, which workbooks never have")


def _count(text: str | None, default: int) -> int:
    """A repeat count as calamine parses it; junk (which calamine refuses) counts as given."""
    if text is None:
        return default
    # Nothing longer is a count calamine accepts (it refuses the file); any such is "huge".
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 1 << 63
