"""How far a sheet reaches in calamine's dense grid, and the limit on it.

calamine holds a sheet as one dense grid spanning its values (about 32 bytes
a cell). One stray value far away, in XFD1048576, makes it allocate half a
terabyte, and a failed allocation in Rust aborts the whole process: no
exception, exit 134. So the extent is measured before calamine opens a
sheet, from the same XML, and a sheet past the limit is refused.

For xlsx, features.py follows calamine's reading of the sheet XML; this
module holds the extent, reads references as calamine does, and words the
refusal.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.formats.base import Limits, unreadable

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# calamine counts rows and columns in 32 bits: a longer reference is at least FAR away.
MAX_ROW_DIGITS = 10
MAX_COLUMN_LETTERS = 7
FAR = 1 << 32
DIGITS = "0123456789"
# References are measured in batches with C-speed string operations: per cell, Python is too slow.
BATCH = 1 << 14
ASCII_LETTERS = string.ascii_letters.encode()
ASCII_DIGITS = string.digits.encode()


@dataclass
class Extent:
    """The furthest row and column holding a value (1-based, counted from A1)."""

    last_row: int = 0
    last_column: int = 0
    # The cells that set last_row and last_column, as (row, column).
    lowest: tuple[int, int] | None = None
    rightmost: tuple[int, int] | None = None

    @property
    def cells(self) -> int:
        """The size of the grid calamine will allocate for the sheet (an upper bound)."""
        return self.last_row * self.last_column

    def add(self, row: int, column: int) -> None:
        if row > self.last_row:
            self.last_row, self.lowest = row, (row, column)
        if column > self.last_column:
            self.last_column, self.rightmost = column, (row, column)

    def add_refs(self, refs: list[str]) -> None:
        """Add valued cells given by their r ("B7"), as calamine reads them.

        Done on a batch with C-speed string operations (per cell, Python is
        too slow for a million cells): the rows are the digit runs, the
        columns the letter runs, so the maxima are those of every well-formed
        reference; what else turns up comes from references calamine refuses
        (it then reads nothing), so it may count or not.
        """
        text = " ".join(refs).encode("ascii", "replace")
        try:
            rows = list(map(int, text.translate(None, ASCII_LETTERS).split()))
        except ValueError:  # a run of more than 4,300 digits, or junk
            rows = [position[0] for position in map(cell_position, refs) if position]
        if rows:
            lowest = max(rows)
            index = rows.index(lowest) if len(rows) == len(refs) else None
            self.add_far(min(lowest, FAR), refs, index)
        runs = [run for run in set(text.translate(None, ASCII_DIGITS).split()) if run.isalpha()]
        if runs:
            widest = max(runs, key=lambda run: column_number(run.decode().upper()))
            self.add_far_column(column_number(widest.decode().upper()), refs, widest)

    def add_far(self, row: int, refs: list[str], index: int | None) -> None:
        if row <= self.last_row:
            return
        position = cell_position(refs[index]) if index is not None else None
        self.add(row, position[1] if position is not None else 1)

    def add_far_column(self, column: int, refs: list[str], letters: bytes) -> None:
        if column <= self.last_column:
            return
        text = letters.decode()
        ref = next((r for r in refs if r.rstrip(DIGITS) == text), None)
        position = cell_position(ref) if ref is not None else None
        self.add(position[0] if position is not None else 1, column)

    def far_cells(self) -> list[str]:
        """The references of the cells that stretch the sheet, as a clerk would type them."""
        refs = [cell_ref(*cell) for cell in (self.lowest, self.rightmost) if cell is not None]
        return list(dict.fromkeys(refs))


def fast_row_number(r: str) -> int | None:
    """row_number(), faster for the usual all-digit r."""
    try:
        # Much faster than row_number() for the usual all-digit r; where int() is laxer
        # (" 5", "5_0", "５"), calamine refuses the file anyway.
        return int(r) or None
    except ValueError:
        return row_number(r)


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a reference such as "XFD1048576", read as calamine reads it.

    Letters of either case, then digits; None for what calamine refuses. A
    number too big for calamine's 32-bit counters comes back as FAR.
    """
    split = len(ref.rstrip(DIGITS))
    letters, digits = ref[:split], ref[split:]
    if not digits or not letters.isascii() or not letters.isalpha():
        return None
    row = int(digits) if len(digits) <= MAX_ROW_DIGITS else FAR
    if row == 0:
        return None
    return row, column_number(letters.upper())


def row_number(ref: str) -> int | None:
    """The row of a <row r> value (calamine also takes "B5" there, as row 5)."""
    split = len(ref.rstrip(DIGITS))
    letters, digits = ref[:split], ref[split:]
    if not digits or (letters and not (letters.isascii() and letters.isalpha())):
        return None
    row = int(digits) if len(digits) <= MAX_ROW_DIGITS else FAR
    return row or None


@lru_cache(maxsize=1 << 12)
def column_number(letters: str) -> int:
    """ "A" → 1, "AA" → 27; FAR for more letters than calamine can count."""
    if len(letters) > MAX_COLUMN_LETTERS:
        return FAR
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


def check_extent(path: Path, sheet: str, extent: Extent, limits: Limits) -> None:
    """Refuse a sheet with a value outside Excel's grid or a grid past the limit."""
    far = extent.far_cells()
    stray, stray_ja = " and ".join(far), "、".join(far)
    if extent.last_row > EXCEL_ROWS or extent.last_column > EXCEL_COLUMNS:
        raise unreadable(
            path,
            f"a value in {stray} lies outside Excel's sheet (A1:XFD1048576)",
            f"セル {stray_ja} の値が Excel のシートの範囲（A1:XFD1048576）の外にあります",
            sheet=sheet,
            hint="the file was not written by a spreadsheet program or is damaged; "
            "copy the table to a new sheet in Excel and save it again",
            hint_ja="表計算ソフトで作られたファイルではないか、壊れています。"
            "Excel で表を新しいシートにコピーして保存し直してください",
        )
    if extent.cells <= limits.max_sheet_cells:
        return
    corner = cell_ref(extent.last_row, extent.last_column)
    size = f"{extent.last_row:,} rows × {extent.last_column:,} columns"
    size_ja = f"{extent.last_row:,} 行 × {extent.last_column:,} 列"
    raise unreadable(
        path,
        f"the sheet's used range reaches {corner} ({size}), more than the limit of "
        f"{limits.max_sheet_cells:,} cells, because of the "
        f"{'values' if len(far) > 1 else 'value'} in {stray}",
        f"セル {stray_ja} に値があるため、シートの使用範囲が {corner}（{size_ja}）まであり、"
        f"上限の {limits.max_sheet_cells:,} セルを超えています",
        sheet=sheet,
        hint=f"delete the stray {'cells' if len(far) > 1 else 'cell'} at {stray} "
        "(Ctrl+End jumps to the last used cell) or copy the table to a new sheet",
        hint_ja=f"{stray_ja} にある不要なセルを削除するか（Ctrl+End で最後のセルに移動できます）、"
        "表を新しいシートにコピーしてください",
    )
