"""An xlsx's shared strings are copied into every cell that shows them: bound the copies.

A sheet refers to a shared string by its number (<c t="s"><v>0</v></c>),
so a megabyte-long string costs the file a few bytes per cell. calamine
gives each such cell its own copy of the string (and python-calamine
another, as a Python str): 3,000 cells of one 1 MB string are 6 GB, from an
18 KB file, and enough of them abort the process. So the text the chosen
sheet would hold is counted first: cheaply as (cells showing a shared
string) × (the longest string), and only when that is over the limit
exactly, cell by cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers import expat

from portal.formats.base import Limits, unreadable
from portal.formats.spreadsheet.archive import ZIP_ERRORS, open_zip
from portal.formats.spreadsheet.parts import PartsUnclear, XlsxParts

SCAN_CHUNK = 1 << 20


def check_shared_text(path: Path, sheet: str, shared_values: int, limits: Limits) -> None:
    """Refuse a sheet whose cells would copy more shared-string text than the limit."""
    if not shared_values:
        return
    budget = limits.max_sheet_text_chars
    try:
        with open_zip(path) as archive:
            parts = XlsxParts(archive)
            lengths = _string_lengths(archive, parts.shared_strings())
            if shared_values * max(lengths, default=0) <= budget:
                return
            part = parts.sheet(sheet)
            total = _sheet_text(archive, part, lengths) if part is not None else 0
    except (expat.ExpatError, PartsUnclear, *ZIP_ERRORS) as err:
        raise unreadable(
            path,
            f"the file cannot be read as an Excel (.xlsx) workbook; its shared strings are "
            f"damaged ({err})",
            f"Excel (.xlsx) のブックとして読めません。共有文字列が壊れています（{err}）",
            sheet=sheet,
        ) from None
    if total > budget:
        raise unreadable(
            path,
            f"the sheet's cells repeat shared strings to {total:,} characters of text, more "
            f"than the limit of {budget:,}",
            f"シートのセルが共有文字列を繰り返し、文字数が {total:,} 字になり、上限の "
            f"{budget:,} 字を超えています",
            sheet=sheet,
            hint="save the workbook again in Excel, or copy the table to a new file",
            hint_ja="Excel でブックを保存し直すか、表を新しいファイルにコピーしてください",
        )


class _Lengths:
    """The length of each shared string (all the text inside each <si>), in order."""

    def __init__(self) -> None:
        self.lengths: list[int] = []
        self.depth = 0  # inside an <si> when > 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if self.depth:
            self.depth += 1
        elif _local(tag) == "si":
            self.depth = 1
            self.lengths.append(0)

    def end(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def text(self, data: str) -> None:
        if self.depth:
            self.lengths[-1] += len(data)


class _SheetText:
    """The characters of shared strings a sheet's cells show, each counted per cell."""

    def __init__(self, lengths: list[int]) -> None:
        self.lengths = lengths
        self.shared = False
        self.in_value = False
        self.digits: list[str] = []
        self.total = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            self.shared = attributes.get("t") == "s"
        elif local == "v" and self.shared:
            self.in_value = True
            self.digits.clear()

    def end(self, tag: str) -> None:
        if self.in_value and _local(tag) == "v":
            self.in_value = False
            index = "".join(self.digits).strip()
            # calamine refuses a cell whose number names no string: it then reads nothing.
            if index.isascii() and index.isdigit() and len(index) <= 10:
                if int(index) < len(self.lengths):
                    self.total += self.lengths[int(index)]

    def text(self, data: str) -> None:
        if self.in_value and len(self.digits) < 64:
            self.digits.append(data)


def _string_lengths(archive: zipfile.ZipFile, member: str | None) -> list[int]:
    counter = _Lengths()
    if member is not None:
        _stream(archive, member, counter)
    return counter.lengths


def _sheet_text(archive: zipfile.ZipFile, member: str, lengths: list[int]) -> int:
    counter = _SheetText(lengths)
    _stream(archive, member, counter)
    return counter.total


def _stream(archive: zipfile.ZipFile, member: str, handler: _Lengths | _SheetText) -> None:
    parser = expat.ParserCreate()
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.buffer_text = True
    with archive.open(member) as f:
        while chunk := f.read(SCAN_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _no_doctype(*_: object) -> None:
    raise PartsUnclear("a document type declaration, which workbooks never have")


def _local(tag: str) -> str:
    return tag.partition(":")[2] or tag
