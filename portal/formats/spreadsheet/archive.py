"""xlsx and ods files are ZIP archives: what kind a ZIP is, and whether it is safe to open.

The zip-bomb check reads only the central directory, so it runs before
calamine (or anything else) decompresses a byte.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from portal.errors import InputUnreadable
from portal.formats.base import Limits, megabytes, unreadable
from portal.formats.spreadsheet.parts import PartsUnclear, XlsxParts

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Small members may compress well for honest reasons (a sheet of empty
# strings); only a big member that compresses absurdly well is a bomb.
BOMB_MEMBER_BYTES = 10 << 20
# What reading a damaged or odd archive raises: CRC and header mismatches,
# bad deflate data, truncation, encrypted members, members that are missing.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
)
WORKBOOK = "xl/workbook.xml"


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, or an error a clerk can act on if it is damaged."""
    try:
        return zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise damaged_zip(path) from None


def damaged_zip(path: Path) -> InputUnreadable:
    return unreadable(
        path,
        "the file starts like a ZIP archive (as .xlsx files do) but is damaged or incomplete",
        "ファイルは ZIP 形式（.xlsx など）のようですが、壊れているか途中で切れています",
        hint="save the workbook again in Excel and upload the new file",
        hint_ja="Excel でブックを保存し直し、そのファイルをアップロードしてください",
    )


def zip_kind(path: Path) -> str | None:
    """ "xlsx", "ods" or None for a ZIP archive that is neither."""
    with open_zip(path) as archive:
        names = set(archive.namelist())
        if WORKBOOK in names:
            return "xlsx"
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            try:
                mimetype = archive.read(info) if info.file_size <= 200 else b""
            except ZIP_ERRORS:
                raise damaged_zip(path) from None
            if mimetype.strip() == ODS_MIMETYPE:
                return "ods"
    return None


def check_not_bomb(path: Path, limits: Limits) -> None:
    """Refuse an archive that would unpack to far more than it weighs."""
    with open_zip(path) as archive:
        infos = archive.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size <= BOMB_MEMBER_BYTES:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_zip_ratio:
            raise unreadable(
                path,
                f"zip bomb: the part '{info.filename}' unpacks to {megabytes(info.file_size)}, "
                f"{ratio:,.0f} times its packed size",
                f"ZIP 爆弾の疑い: 内部ファイル「{info.filename}」が展開すると "
                f"{megabytes(info.file_size)}（圧縮時の {ratio:,.0f} 倍）になります",
                hint="this is not an ordinary workbook; save the table again in Excel",
                hint_ja="通常のブックではありません。Excel で表を保存し直してください",
            )
    if total > limits.max_unzipped_bytes:
        raise unreadable(
            path,
            f"zip bomb or oversized workbook: it unpacks to {megabytes(total)}, more than "
            f"the limit of {megabytes(limits.max_unzipped_bytes)}",
            f"ZIP 爆弾または大きすぎるブック: 展開すると {megabytes(total)} になり、"
            f"上限 {megabytes(limits.max_unzipped_bytes)} を超えます",
            hint="split the table into smaller files",
            hint_ja="表を複数のファイルに分けてください",
        )


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive member holding the XML of the sheet named `sheet` in an xlsx (see parts.py)."""
    return XlsxParts(archive).sheet(sheet)


def check_shared_strings(path: Path, limits: Limits) -> None:
    """Refuse an xlsx whose parts are unclear, or whose shared strings claim an absurd count.

    calamine reserves room for the count an xlsx declares (<sst uniqueCount>)
    before it reads a string: "100000000000" is 2.4 TB, and the failed
    allocation aborts the process. No workbook has more strings than the
    cells a sheet may hold.
    """
    with open_zip(path) as archive:
        try:
            declared = XlsxParts(archive).unique_strings()
        except (PartsUnclear, expat.ExpatError, *ZIP_ERRORS) as err:
            raise unreadable(
                path,
                f"the file cannot be read as an Excel (.xlsx) workbook; its structure is "
                f"damaged or unusual ({err})",
                f"Excel (.xlsx) のブックとして読めません。ファイルの構成が壊れているか、"
                f"通常と異なります（{err}）",
                hint="open it in Excel, save it again as .xlsx and upload the new file",
                hint_ja="Excel で開いて .xlsx で保存し直し、そのファイルをアップロードしてください",
            ) from None
    if declared > limits.max_sheet_cells:
        raise unreadable(
            path,
            f"the workbook declares {declared:,} shared strings, more than the limit of "
            f"{limits.max_sheet_cells:,}",
            f"ブックの共有文字列が {declared:,} 個と宣言されており、上限の "
            f"{limits.max_sheet_cells:,} 個を超えています",
            hint="open it in Excel, save it again as .xlsx and upload the new file",
            hint_ja="Excel で開いて .xlsx で保存し直し、そのファイルをアップロードしてください",
        )
