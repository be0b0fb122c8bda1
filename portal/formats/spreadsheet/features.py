"""What an xlsx sheet's XML says that calamine does not: layout features and true extent.

Merged cells, hidden rows and hidden columns are attributes of three tags
(<mergeCell ref>, <row r hidden>, <col min max hidden>). The extent is where
the values reach, measured as calamine will place them (see extent.py), so
that a sheet calamine cannot hold is refused before calamine opens it.

The sheet part is streamed from the zip into expat, a megabyte at a time:
a real XML parser, so that no spelling of a tag (attributes in any order,
any white space or quotes, a namespace prefix, character references) hides
a cell. It is bounded: a document type declaration (where entity bombs
live) is refused, as is nesting deeper than any sheet has; the zip-bomb
check has already bounded the part's size.

Only xlsx is covered: `features` is empty for xls and ods (finding these in
BIFF records or ODF XML is not done). A hidden row without an `r`
attribute (allowed, rare) is reported with `row=None`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from portal.formats.base import SheetFeature, unreadable
from portal.formats.spreadsheet.archive import ZIP_ERRORS, open_zip
from portal.formats.spreadsheet.extent import (
    BATCH,
    Extent,
    cell_position,
    column_letter,
    fast_row_number,
    row_number,
)
from portal.formats.spreadsheet.parts import PartsUnclear, XlsxParts

SCAN_CHUNK = 1 << 20
# Worksheet XML nests about six deep (worksheet, sheetData, row, c, is, r, t).
MAX_DEPTH = 64
TRUE = ("1", "true")
# What each tag is, by its local name.
OTHER, CELL, VALUE, ROW, COLUMNS, MERGED = range(6)
KINDS = {"c": CELL, "v": VALUE, "is": VALUE, "row": ROW, "col": COLUMNS, "mergeCell": MERGED}


class _Refused(Exception):
    """Internal: XML that is well-formed but not read (a DTD, absurd nesting)."""


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found."""

    features: list[SheetFeature] = field(default_factory=list)
    extent: Extent = field(default_factory=Extent)
    shared_values: int = 0  # valued cells that show a shared string (t="s")

    @property
    def last_row(self) -> int:
        return self.extent.last_row

    @property
    def last_column(self) -> int:
        return self.extent.last_column

    @property
    def cells(self) -> int:
        return self.extent.cells


def scan_xlsx_sheet(path: Path, sheet: str) -> SheetScan:
    """Merged cells, hidden rows and hidden columns (in that order) and the extent of a sheet."""
    scanner = _SheetScanner()
    with open_zip(path) as archive:
        try:
            part = XlsxParts(archive).sheet(sheet)
            if part is None:
                # calamine found the sheet, so this must find its part too: never skip the check.
                raise PartsUnclear(f"the part holding the sheet '{sheet}' cannot be found")
            with archive.open(part) as f:
                while chunk := f.read(SCAN_CHUNK):
                    scanner.parser.Parse(chunk, False)
                scanner.parser.Parse(b"", True)
        except (expat.ExpatError, PartsUnclear, _Refused, *ZIP_ERRORS) as err:
            raise unreadable(
                path,
                f"the file cannot be read as an Excel (.xlsx) workbook; the sheet's XML is "
                f"damaged ({err})",
                f"Excel (.xlsx) のブックとして読めません。シートの XML が壊れています（{err}）",
                sheet=sheet,
                hint="open it in Excel, save it again as .xlsx and upload the new file",
                hint_ja="Excel で開いて .xlsx で保存し直し、そのファイルをアップロードしてください",
            ) from None
    return scanner.result()


def xlsx_features(path: Path, sheet: str) -> list[SheetFeature]:
    return scan_xlsx_sheet(path, sheet).features


class _SheetScanner:
    """One pass of expat over a sheet part: the layout features, and the cells as calamine reads them.

    calamine (0.36, src/xlsx/cells_reader.rs) takes each <c> start tag as a
    cell, placed by its r attribute or, without one, by two counters: <row
    r> sets the row, </row> adds one and sends the column back to 0, each
    cell sets the column (by its r) and moves it on. Inside a cell it reads
    <v>, <is> and <f> and skips the rest up to </c>; a cell with a value (a
    <v> or <is> child) goes into its grid. Its XML reader expands <c/> into
    <c></c>, so it sees the events expat reports. The hot path (a cell with
    r and a value) stays short: expat calls it for every tag of a sheet
    that may hold millions.
    """

    __slots__ = (
        "cell_depth",
        "column_index",
        "depth",
        "extent",
        "hidden_columns",
        "hidden_rows",
        "in_cell",
        "kinds",
        "last_ref",
        "merged",
        "parser",
        "position",
        "ref",
        "refs",
        "row_index",
        "shared",
        "shared_values",
        "valued",
    )

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.depth = 0
        self.kinds: dict[str, int] = {}  # tag → kind, cached
        self.merged: list[SheetFeature] = []
        self.hidden_rows: list[int | None] = []
        self.hidden_columns: list[SheetFeature] = []
        self.extent = Extent()
        self.refs: list[str] = []  # r of valued cells, added to the extent in batches
        # The open <c>: its r (or its position from the counters), and whether it has a value.
        self.in_cell = False
        self.cell_depth = 0
        self.ref: str | None = None
        self.position = (0, 0)
        self.valued = False
        self.shared = False
        self.shared_values = 0
        # calamine's counters, 0-based. The column is worked out from the r of the last
        # cell only when a cell without r needs it: most sheets have none.
        self.row_index = 0
        self.column_index = 0
        self.last_ref: str | None = None

    def result(self) -> SheetScan:
        if self.refs:
            self.extent.add_refs(self.refs)
        features = self.merged + list(_row_runs(self.hidden_rows)) + self.hidden_columns
        return SheetScan(features, self.extent, self.shared_values)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.in_cell:
            kind = self.kinds.get(name)
            if kind == VALUE or (kind is None and self._kind(name) == VALUE):
                self.valued = True
            return
        if self.depth > MAX_DEPTH:
            raise _Refused(f"elements nested more than {MAX_DEPTH} deep")
        kind = self.kinds.get(name)
        if kind is None:
            kind = self._kind(name)
        if kind == CELL:
            ref = attributes.get("r")
            self.in_cell, self.cell_depth, self.valued, self.ref = True, self.depth, False, ref
            self.shared = attributes.get("t") == "s"
            if ref is None:
                self.position = (self.row_index, self._column_index())
        elif kind != OTHER and kind != VALUE:
            self._layout_tag(kind, attributes)

    def _end(self, name: str) -> None:
        if self.in_cell:
            if self.depth == self.cell_depth:
                self.in_cell = False
                ref = self.ref
                if ref is None:
                    self._end_cell_without_r()
                else:
                    self.last_ref = ref
                    if self.valued:
                        self.shared_values += self.shared
                        self.refs.append(ref)
                        if len(self.refs) >= BATCH:
                            self.extent.add_refs(self.refs)
                            self.refs = []
        elif self.kinds[name] == ROW:
            self.row_index += 1
            self.column_index, self.last_ref = 0, None
        self.depth -= 1

    def _kind(self, name: str) -> int:
        # By the local name as calamine's XML reader (quick-xml) sees it: after the first colon.
        kind = self.kinds[name] = KINDS.get(name.partition(":")[2] or name, OTHER)
        return kind

    def _layout_tag(self, kind: int, attributes: dict[str, str]) -> None:
        if kind == ROW:
            r = attributes.get("r")
            number = fast_row_number(r) if r is not None else None
            if number is not None:
                self.row_index = number - 1
            if attributes.get("hidden") in TRUE:
                self.hidden_rows.append(_row(r))
        elif kind == COLUMNS:
            if attributes.get("hidden") in TRUE:
                self.hidden_columns.append(_columns(attributes))
        elif kind == MERGED:
            self.merged.append(_merged(attributes.get("ref", "")))

    def _end_cell_without_r(self) -> None:
        row, column = self.position
        if self.valued:
            self.shared_values += self.shared
            self.extent.add(row + 1, column + 1)
        self.column_index = column + 1

    def _column_index(self) -> int:
        if self.last_ref is not None:
            # An r calamine cannot read stops it before this cell: any column will do.
            position = cell_position(self.last_ref)
            self.column_index = position[1] if position is not None else self.column_index
            self.last_ref = None
        return self.column_index

    def _doctype(self, *_: object) -> None:
        raise _Refused("a document type declaration, which workbooks never have")


def _row(r: str | None) -> int | None:
    # Sheets have at most 1,048,576 rows; a longer "number" is junk, not a row.
    number = row_number(r) if r and r.isdigit() and len(r) <= 9 else None
    return number


def _merged(ref: str) -> SheetFeature:
    position = cell_position(ref.partition(":")[0])
    if position is None:
        return SheetFeature("merged-cells", ref, None, None)
    return SheetFeature("merged-cells", ref, position[0], column_letter(position[1]))


def _columns(attributes: dict[str, str]) -> SheetFeature:
    # One <col> can hide a run (min..max); Excel writes 10..16384 to hide
    # everything right of the table, so runs stay runs.
    first = _number(attributes.get("min")) or 1
    last = _number(attributes.get("max")) or first
    ref = column_letter(first) if first == last else f"{column_letter(first)}:{column_letter(last)}"
    return SheetFeature("hidden-column", ref, None, column_letter(first))


def _number(text: str | None) -> int | None:
    # Sheets have at most 16,384 columns; a longer "number" is junk.
    return int(text) if text and text.isdigit() and len(text) <= 9 else None


def _row_runs(rows: list[int | None]) -> Iterator[SheetFeature]:
    """Consecutive hidden rows as one feature ("5:9"), so thousands stay a few."""
    start = end = None
    for r in rows:
        if r is None:
            yield SheetFeature("hidden-row", "", None, None)
            continue
        if end is not None and r == end + 1:
            end = r
            continue
        if start is not None and end is not None:
            yield _hidden_rows(start, end)
        start = end = r
    if start is not None and end is not None:
        yield _hidden_rows(start, end)


def _hidden_rows(start: int, end: int) -> SheetFeature:
    ref = str(start) if start == end else f"{start}:{end}"
    return SheetFeature("hidden-row", ref, start, None)
