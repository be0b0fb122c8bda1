"""The spreadsheet plugin: xlsx and ods (ZIP archives) and xls (OLE2), known by their magic bytes."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from portal.formats.base import OpenOptions, Table
from portal.formats.spreadsheet.archive import OLE2_MAGIC, ZIP_MAGIC, zip_kind
from portal.formats.spreadsheet.reader import SpreadsheetTable


class SpreadsheetPlugin:
    """Workbooks read with python-calamine; the file's name is not trusted, its bytes are."""

    name: ClassVar[str] = "spreadsheet"
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "xls", "ods")
    priority: ClassVar[int] = 10

    def sniff(self, path: Path, head: bytes) -> str | None:
        if head.startswith(ZIP_MAGIC):
            return zip_kind(path)
        if head.startswith(OLE2_MAGIC):
            return "xls"
        return None

    def open(self, path: Path, fmt: str, options: OpenOptions) -> Table:
        return SpreadsheetTable(path, fmt, options)


PLUGIN = SpreadsheetPlugin()
