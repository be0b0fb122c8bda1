"""What an xlsx sheet's XML says that calamine does not: layout features and true extent.

Merged cells, hidden rows and hidden columns are attributes of three tags
(<mergeCell ref>, <row r hidden>, <col min max hidden>). The extent is the
last row and the widest column that hold a value: calamine keeps a sheet as
one dense grid, so a single stray value in XFD1048576 makes it allocate
half a terabyte and abort the whole process. It must be refused before
calamine opens the sheet.

The sheet part is streamed from the zip a megabyte at a time and searched
with regular expressions; nothing is built for the cells. ElementTree.iterparse
was tried first and took 6 s on a 200k-row × 16-column sheet (calamine
loads the values in 2.4 s); this scan takes well under a second and holds
one chunk. Matching tags is safe here: Excel writes no comments or CDATA in
sheet XML, and "<" in cell text is always escaped.

Only xlsx is covered: `features` is empty for xls and ods (finding these in
BIFF records or ODF XML is not done). A hidden row without an `r`
attribute (allowed, rare) is reported with `row=None`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, TypeVar
from xml.etree import ElementTree

from portal.formats.base import SheetFeature, unreadable
from portal.formats.spreadsheet.archive import ZIP_ERRORS, open_zip, sheet_part

PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
# "<cols>", "<rowBreaks>" and "<mergeCells>" do not match: a space must follow the name.
TAG = re.compile(PREFIX + rb"(row|col|mergeCell)\s([^>]*)>")
ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A cell with content: not self-closing (<c r="A1" s="3"/> is formatting only).
# Refs past XFD1048576 are matched too (up to absurd lengths), as calamine would place them.
VALUED_CELL = re.compile(PREFIX + rb'c r="([A-Z]{1,8})(\d{1,12})"[^>/]*>')
# Only cell tags have an r="" that starts with letters; matching from the
# literal ' r="' lets the regex engine skip ahead at C speed.
VALUED_COLUMN = rb' r="(%s)\d{1,12}"[^>/]*>'
CELL_REF = re.compile(r"([A-Z]+)(\d+)")
SCAN_CHUNK = 1 << 20
MAX_TAG_BYTES = 64 << 10
BACKWARD_STEPS = 10_000
TRUE = ("1", "true")
T = TypeVar("T", int, None)


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found."""

    features: list[SheetFeature] = field(default_factory=list)
    last_row: int = 0
    last_column: int = 0

    @property
    def cells(self) -> int:
        """The size of the grid calamine will allocate for the sheet (an upper bound)."""
        return self.last_row * self.last_column


def scan_xlsx_sheet(path: Path, sheet: str) -> SheetScan:
    """Merged cells, hidden rows and hidden columns (in that order) and the extent of a sheet."""
    scanner = _Scanner()
    with open_zip(path) as archive:
        try:
            part = sheet_part(archive, sheet)
            if part is None or part not in archive.namelist():
                return SheetScan()
            with archive.open(part) as f:
                for data, end in _regions(f):
                    scanner.feed(data, end)
        except (ElementTree.ParseError, *ZIP_ERRORS) as err:
            raise unreadable(
                path,
                f"the workbook's XML is damaged ({err})",
                f"ブックの XML が壊れています（{err}）",
                sheet=sheet,
            ) from None
    return scanner.result()


def xlsx_features(path: Path, sheet: str) -> list[SheetFeature]:
    return scan_xlsx_sheet(path, sheet).features


def _regions(f: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """Chunks of the XML with the offset up to which every tag in them is whole."""
    carry = b""
    while chunk := f.read(SCAN_CHUNK):
        data = carry + chunk
        # From the last "<" on there may be a tag cut in two: it goes to the next round.
        cut = data.rfind(b"<")
        if cut == -1:
            cut = len(data)
        yield data, cut
        # Text after the last "<" is kept only while it could still be a tag.
        carry = data[cut:] if len(data) - cut <= MAX_TAG_BYTES else b""
    yield carry, len(carry)


class _Scanner:
    def __init__(self) -> None:
        self.merged: list[SheetFeature] = []
        self.hidden_rows: list[int | None] = []
        self.hidden_columns: list[SheetFeature] = []
        self.last_row = 0
        self.widest = b""

    def feed(self, data: bytes, end: int) -> None:
        # Most chunks hold no feature at all; skip them at C speed.
        if data.find(b"hidden", 0, end) != -1 or data.find(b"mergeCell", 0, end) != -1:
            for match in TAG.finditer(data, 0, end):
                self._tag(match.group(1), match.group(2))
        self._extent(data, end)

    def result(self) -> SheetScan:
        features = self.merged + list(_row_runs(self.hidden_rows)) + self.hidden_columns
        return SheetScan(features, self.last_row, column_index(self.widest.decode()))

    def _tag(self, name: bytes, text: bytes) -> None:
        if name == b"mergeCell":
            self.merged.append(_merged(_attributes(text).get("ref", "")))
            return
        if b"hidden" not in text:
            return
        attributes = _attributes(text)
        if attributes.get("hidden") not in TRUE:
            return
        if name == b"row":
            self.hidden_rows.append(_number(attributes.get("r"), None))
        else:
            self.hidden_columns.append(_columns(attributes))

    def _extent(self, data: bytes, end: int) -> None:
        # Rows come in order, so the last valued cell of a chunk has its highest row.
        row = _last_valued_row(data, end)
        if row is not None:
            self.last_row = max(self.last_row, row)
        for width in (4, 3, 2, 1):
            if len(self.widest) > width < 4:
                break
            pattern = _wider_columns(width, self.widest)
            if pattern is not None and pattern.search(data, 0, end):
                # Letters of one width sort like the columns they name.
                found = max(pattern.findall(data, 0, end))
                self.widest = max(self.widest, found, key=_column_key)
                break


def _last_valued_row(data: bytes, end: int) -> int | None:
    pos = end
    for _ in range(BACKWARD_STEPS):
        pos = data.rfind(b' r="', 0, pos)
        if pos == -1:
            return None
        match = VALUED_CELL.match(data, data.rfind(b"<", 0, pos))
        if match:
            return int(match.group(2))
    return None


@cache
def _wider_columns(width: int, widest: bytes) -> re.Pattern[bytes] | None:
    """Valued cells in columns of `width` letters, or None if none can be wider than `widest`.

    Most sheets have columns A to Z only, and every cell would match; asking
    only for letters past the widest seen so far keeps the search a scan.
    """
    if width == 1 and len(widest) == 1:
        if widest == b"Z":
            return None
        return re.compile(VALUED_COLUMN % b"[%c-Z]" % (widest[0] + 1))
    # Four letters or more is past Excel's last column, XFD: any such is caught.
    letters = b"[A-Z]{4,8}" if width == 4 else b"[A-Z]{%d}" % width
    return re.compile(VALUED_COLUMN % letters)


def _column_key(letters: bytes) -> tuple[int, bytes]:
    return len(letters), letters


def _attributes(text: bytes) -> dict[str, str]:
    found = {}
    for match in ATTRIBUTE.finditer(text):
        name = match.group(1).decode("utf-8", "replace").rpartition(":")[2]
        value = match.group(2) if match.group(2) is not None else match.group(3)
        found[name] = value.decode("utf-8", "replace")
    return found


def _merged(ref: str) -> SheetFeature:
    match = CELL_REF.match(ref)
    if not match:
        return SheetFeature("merged-cells", ref, None, None)
    return SheetFeature("merged-cells", ref, int(match.group(2)), match.group(1))


def _columns(attributes: dict[str, str]) -> SheetFeature:
    # One <col> can hide a run (min..max); Excel writes 10..16384 to hide
    # everything right of the table, so runs stay runs.
    first: int = _number(attributes.get("min"), 1)
    last: int = _number(attributes.get("max"), first)
    ref = column_letter(first) if first == last else f"{column_letter(first)}:{column_letter(last)}"
    return SheetFeature("hidden-column", ref, None, column_letter(first))


def _number(text: str | None, default: T) -> int | T:
    # Sheets have at most 1,048,576 rows; a longer "number" is junk, not a row.
    return int(text) if text and text.isdigit() and len(text) <= 9 else default


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


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" → 1, "AA" → 27, "" → 0."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index
