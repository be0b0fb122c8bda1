"""Shared types of the format readers: what a table is, where it came from, the limits.

A `Table` hands out rows of strings and nothing else: typing a value is the
validator's job, so a reader never guesses that "007" is a number. Row n of
`rows()` is row n as a spreadsheet application or a text editor numbers it,
because every message to a clerk points at a row they can find.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Protocol

from portal.errors import InputUnreadable, Location


@dataclass
class SourceInfo:
    """What was found out about the file while opening it."""

    path: Path
    format: str  # "csv" | "xlsx" | "xls" | "ods"
    encoding: str | None = None  # CSV only, see portal.formats.csv.encoding for the names
    bom: bool = False
    newline: str | None = None  # the first record terminator seen (CSV only)
    delimiter: str | None = None  # CSV only: "," or "\t"
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SheetFeature:
    """A layout feature the machine-readability rules forbid (found in xlsx only).

    `ref` is "A1:D1" for merged cells, "5" (or "5:9" for a run) for hidden
    rows and "C" (or "C:E") for hidden columns.
    """

    kind: str  # "merged-cells" | "hidden-row" | "hidden-column"
    ref: str
    row: int | None
    column: str | None


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken upload from exhausting the server."""

    max_file_bytes: int = 1 << 30
    max_record_bytes: int = 4 << 20
    max_cell_chars: int = 1 << 20
    max_unzipped_bytes: int = 2 << 30
    max_zip_ratio: int = 200
    # calamine holds a sheet as a dense grid (about 32 bytes a cell) from A1
    # to the last value: one stray value in XFD1048576 would abort the process.
    max_sheet_cells: int = 20_000_000
    # Text a spreadsheet reader copies into every cell a value fills: an .ods
    # repeats a cell over thousands of columns and rows, and <text:s text:c>
    # writes any number of spaces.
    max_sheet_text_chars: int = 256 << 20


@dataclass(frozen=True)
class OpenOptions:
    """What the caller of `open_table` asked for, passed on to the chosen plugin."""

    sheet: str | int | None = None
    encoding: str | None = None
    limits: Limits = field(default_factory=Limits)


class Table(ABC):
    """An opened table file. Use it as a context manager or call `close()`."""

    info: SourceInfo
    features: list[SheetFeature]

    @abstractmethod
    def rows(self) -> Iterator[list[str]]:
        """Every physical row from the top, in order, each cell a string.

        Each call starts again from the first row.
        """

    def close(self) -> None:  # noqa: B027 - a table that holds nothing open needs no override
        """Release the file; rows() must not be called afterwards."""

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class FormatPlugin(Protocol):
    """One folder under portal/formats: claims files by content, then opens them.

    Plugins are asked in ascending `priority`; the first whose `sniff` returns
    a format name opens the file. Magic-byte formats go first, plain text last,
    because almost anything could be text.
    """

    name: ClassVar[str]
    formats: ClassVar[tuple[str, ...]]
    priority: ClassVar[int]

    def sniff(self, path: Path, head: bytes) -> str | None:
        """The format this file is in, or None if it is not one of ours."""
        ...

    def open(self, path: Path, fmt: str, options: OpenOptions) -> Table:
        """Open a file that `sniff` claimed as `fmt`."""
        ...


def unreadable(
    path: Path,
    detail: str,
    detail_ja: str,
    *,
    row: int | None = None,
    sheet: str | None = None,
    hint: str | None = None,
    hint_ja: str | None = None,
) -> InputUnreadable:
    """The error for a file that cannot be read as a table.

    Only the file's name goes into the location: the server's directories are
    nobody's business and mean nothing to the clerk who uploaded the file.
    """
    location = Location(file=path.name, sheet=sheet, row=row)
    if hint is None or hint_ja is None:
        return InputUnreadable(location, detail=detail, detail_ja=detail_ja)
    return InputUnreadable(location, detail=detail, detail_ja=detail_ja, hint=hint, hint_ja=hint_ja)


def binary_file(path: Path, what: str = "", what_ja: str = "") -> InputUnreadable:
    """The error for content that is not text and not a workbook we read."""
    en = f"binary file ({what}), not a table" if what else "binary file, not a table"
    ja = (
        f"バイナリファイル（{what_ja}）で、表として読めません"
        if what_ja
        else "バイナリファイルで、表として読めません"
    )
    return unreadable(path, en, ja)


def megabytes(n: int) -> str:
    """Sizes in messages: clerks think in MB, not bytes."""
    return f"{n / (1 << 20):,.1f} MB"
