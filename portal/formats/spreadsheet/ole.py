"""Checks on an .xls file before calamine reads it, so that a damaged file cannot kill the process.

calamine trusts the sizes written in an .xls file: a stream length in the
Compound File directory, the row count of a DIMENSIONS record or the column
of a cell become allocations, and an absurd one aborts the whole process
(Rust's allocation failure cannot be caught). One flipped byte in a real
file was enough in testing. This module reads the Compound File (OLE2)
container far enough to find the Workbook stream and walks its BIFF8
records, refusing any size or position that no real workbook can have,
and any sheet whose cells span more than the limit: calamine reads every
sheet of an .xls when it opens it, each into a dense grid.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from pathlib import Path

from portal.formats.base import Limits, unreadable
from portal.formats.spreadsheet.extent import Extent, check_extent

ENDOFCHAIN, FREESECT = 0xFFFFFFFE, 0xFFFFFFFF
HEADER_DIFAT = 109
MINI_SECTOR = 64
MINI_CUTOFF = 4096
WORKBOOK_NAMES = ("Workbook", "Book")
MAX_ROWS = 65536
MAX_COLUMNS = 256
DIMENSIONS, SST, BOUNDSHEET, EOF = 0x0200, 0x00FC, 0x0085, 0x000A
MULRK, MULBLANK = 0x00BD, 0x00BE
# Cell records with the row at offset 0 and the column at offset 2: Formula, Number,
# Label, BoolErr, Rk, LabelSst, Blank, RString.
CELL_RECORDS = {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0201, 0x00D6}


class Damaged(Exception):
    """Internal: the reason a file is refused."""


def check_xls(path: Path, limits: Limits) -> None:
    """Raise InputUnreadable unless the file is a Compound File whose sizes all make sense."""
    try:
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            stream = workbook_stream(data)
            sheets = check_records(stream) if stream is not None else []
    except (Damaged, struct.error, IndexError, ValueError, OverflowError) as err:
        raise unreadable(
            path,
            f"the file cannot be read as an Excel 97-2003 (.xls) workbook; it is damaged ({err})",
            f"Excel 97-2003（.xls）のブックとして読めません。ファイルが壊れています（{err}）",
            hint="open it in Excel, save it again as .xlsx and upload the new file",
            hint_ja="Excel で開いて .xlsx で保存し直し、そのファイルをアップロードしてください",
        ) from None
    except OSError as err:
        raise unreadable(
            path,
            f"the file cannot be read ({err.strerror or err})",
            f"ファイルを読み込めません（{err.strerror or err}）",
        ) from None
    for name, extent in sheets:
        check_extent(path, name, extent, limits)


def workbook_stream(data: mmap.mmap) -> bytes | None:
    """The Workbook stream's bytes, or None when there is none (calamine then says so itself)."""
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:
        raise Damaged("bad sector size")
    size = 1 << shift
    sectors = (len(data) - size) // size  # the header takes the first sector's place
    dir_count, fat_count, dir_start = struct.unpack_from("<III", data, 40)
    mini_fat_start, mini_fat_count, difat_start, difat_count = struct.unpack_from("<IIII", data, 60)
    if max(dir_count, fat_count, mini_fat_count, difat_count) > sectors:
        raise Damaged("header counts more sectors than the file has")
    file = _Sectors(data, size, sectors)
    fat = file.fat(_fat_sector_ids(file, difat_start, difat_count))
    directory = b"".join(file.read(i) for i in file.chain(dir_start, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    found = next((e for e in entries if _entry_name(e) in WORKBOOK_NAMES and e[66] == 2), None)
    if found is None:
        return None
    # calamine reads the root entry (the mini stream) and the Workbook stream.
    root = entries[0]
    if max(_entry_size(root, size), _entry_size(found, size)) > len(data):
        raise Damaged("a stream is longer than the file")
    start, length = struct.unpack_from("<I", found, 116)[0], _entry_size(found, size)
    if length >= MINI_CUTOFF:
        return b"".join(file.read(i) for i in file.chain(start, fat))[:length]
    root_start = struct.unpack_from("<I", root, 116)[0]
    mini_stream = b"".join(file.read(i) for i in file.chain(root_start, fat))
    mini_fat = file.fat(list(file.chain(mini_fat_start, fat)))
    mini = _Sectors(mini_stream, MINI_SECTOR, len(mini_stream) // MINI_SECTOR, header=0)
    return b"".join(mini.read(i) for i in mini.chain(start, mini_fat))[:length]


def check_records(stream: bytes) -> list[tuple[str, Extent]]:
    """Walk the BIFF8 records from the start and from every sheet's offset; each sheet's extent."""
    sheets = []
    for kind, body in _records(stream, 0, to_end=True):
        if kind == BOUNDSHEET:
            sheets.append((struct.unpack_from("<I", body)[0], _sheet_name(body)))
        _check_record(kind, body, len(stream))
    # Sheets are normally laid out one after another, but calamine starts at
    # each sheet's offset, so a file that lies about them is walked that way too.
    extents = []
    for position, name in sheets:
        if position >= len(stream):
            raise Damaged("a sheet starts past the end of the workbook")
        extent = Extent()
        for kind, body in _records(stream, position, to_end=False):
            _check_record(kind, body, len(stream))
            if kind in CELL_RECORDS and len(body) >= 4:
                row, column = struct.unpack_from("<HH", body)
                extent.add(row + 1, column + 1)
            elif kind in (MULRK, MULBLANK) and len(body) >= 6:
                row, last = (
                    struct.unpack_from("<H", body)[0],
                    struct.unpack_from("<H", body, len(body) - 2)[0],
                )
                extent.add(row + 1, last + 1)
        extents.append((name, extent))
    return extents


def _check_record(kind: int, body: bytes, stream_length: int) -> None:
    if kind == DIMENSIONS and len(body) in (10, 14):
        _check_dimensions(body)
    elif kind == SST and len(body) >= 8:
        unique = struct.unpack_from("<i", body, 4)[0]
        # Every string takes at least three bytes, so more than this cannot be there.
        if not 0 <= unique <= stream_length // 3:
            raise Damaged(f"the shared string table claims {unique:,} strings")
    elif kind in CELL_RECORDS and len(body) >= 4:
        _check_column(struct.unpack_from("<H", body, 2)[0])
    elif kind in (MULRK, MULBLANK) and len(body) >= 6:
        _check_column(struct.unpack_from("<H", body, len(body) - 2)[0])


def _check_dimensions(body: bytes) -> None:
    # calamine sizes the sheet from this record: (last - first) in unsigned
    # arithmetic, so a first row past the last wraps round to four billion.
    layout = "<IIHH" if len(body) == 14 else "<HHHH"
    first_row, end_row, first_column, end_column = struct.unpack_from(layout, body)
    if end_row > MAX_ROWS or end_column > MAX_COLUMNS:
        raise Damaged(f"the sheet claims {end_row:,} rows × {end_column:,} columns")
    if end_row >= 1 and end_column >= 1 and (first_row > end_row or first_column > end_column):
        raise Damaged("the sheet's first cell lies past its last")


def _check_column(column: int) -> None:
    if column >= MAX_COLUMNS:
        raise Damaged(f"a cell sits in column {column + 1:,}, past the last column of an .xls")


def _records(stream: bytes, position: int, to_end: bool) -> Iterator[tuple[int, bytes]]:
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        if kind == EOF and not to_end:
            return
        position += 4 + length


class _Sectors:
    """Fixed-size sectors of a Compound File (or of its mini stream), read with bounds checks."""

    def __init__(self, data: bytes | mmap.mmap, size: int, count: int, header: int = 1) -> None:
        self.data, self.size, self.count, self.header = data, size, count, header

    def read(self, sector: int) -> bytes:
        if sector >= self.count:
            raise Damaged("a sector number points past the end of the file")
        offset = (sector + self.header) * self.size
        return bytes(self.data[offset : offset + self.size])

    def fat(self, sector_ids: list[int]) -> list[int]:
        table: list[int] = []
        for sector in sector_ids:
            table.extend(struct.unpack(f"<{self.size // 4}I", self.read(sector)))
        return table

    def chain(self, start: int, fat: list[int]) -> Iterator[int]:
        sector, seen = start, 0
        while sector != ENDOFCHAIN:
            if sector >= len(fat) or seen > self.count:
                raise Damaged("a sector chain is broken or loops")
            yield sector
            sector, seen = fat[sector], seen + 1


def _fat_sector_ids(file: _Sectors, start: int, count: int) -> list[int]:
    """Where the FAT's sectors are: 109 in the header, the rest in a chain of DIFAT sectors."""
    ids = list(struct.unpack_from(f"<{HEADER_DIFAT}I", file.data, 76))
    sector = start
    for _ in range(count):
        block = struct.unpack(f"<{file.size // 4}I", file.read(sector))
        ids.extend(block[:-1])
        sector = block[-1]
    return [i for i in ids if i != FREESECT]


def _sheet_name(body: bytes) -> str:
    """A BOUNDSHEET record's name: a count, a flag (UTF-16 or Latin-1), the characters."""
    if len(body) < 8:
        return ""
    count, wide = body[6], body[7] & 1
    text = body[8 : 8 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", errors="replace")


def _entry_name(entry: bytes) -> str:
    length = min(struct.unpack_from("<H", entry, 64)[0], 64)
    return entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")


def _entry_size(entry: bytes, sector_size: int) -> int:
    # Version 3 files (512-byte sectors) keep only the low 32 bits; the rest may be junk.
    low, high = struct.unpack_from("<II", entry, 120)
    return low if sector_size == 512 else low | high << 32
