"""The CSV plugin: claims anything that looks like text, and is asked last."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from portal.formats.base import OpenOptions, Table
from portal.formats.csv.encoding import UTF8_BOM, UTF16_BOMS, utf16_without_bom
from portal.formats.csv.reader import open_csv


class CsvPlugin:
    """Comma- or tab-separated text in UTF-8, UTF-16, cp932 or EUC-JP, whatever its name."""

    name: ClassVar[str] = "csv"
    formats: ClassVar[tuple[str, ...]] = ("csv",)
    # Last: almost any file could be text, so the magic-byte formats go first.
    priority: ClassVar[int] = 90

    def sniff(self, path: Path, head: bytes) -> str | None:
        if head.startswith((UTF8_BOM, *UTF16_BOMS)) or b"\x00" not in head:
            return "csv"
        return "csv" if utf16_without_bom(head) else None

    def open(self, path: Path, fmt: str, options: OpenOptions) -> Table:
        return open_csv(path, options)


PLUGIN = CsvPlugin()
