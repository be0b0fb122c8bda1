"""Opening any table file: find out what it really is, then hand it to the plugin for that.

Plugins are found the way frictionless finds its `formats/*`: every package
under portal/formats that exports `PLUGIN` is one, so a new format is a new
folder. The content decides, never the file's name: clerks rename files,
and a .csv that is really an .xlsx (or a ZIP, or a PNG) is common.

Checks every file gets before any plugin sees it: it exists, is not too big,
is not empty, and is not an obviously non-table binary (an image, a PDF).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path
from typing import BinaryIO, cast

import portal.formats
from portal.errors import InputUnreadable
from portal.formats.base import (
    FormatPlugin,
    Limits,
    OpenOptions,
    Table,
    binary_file,
    megabytes,
    unreadable,
)

HEAD_BYTES = 64 << 10
BLANK_CHUNK = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
WHITESPACE = b" \t\r\n\f\v"
# Files people upload by mistake; naming them beats a bare "binary file".
KNOWN_BINARY = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "PNG 画像"),
    (b"\xff\xd8\xff", "a JPEG image", "JPEG 画像"),
    (b"GIF8", "a GIF image", "GIF 画像"),
    (b"%PDF-", "a PDF document", "PDF 文書"),
    (b"\x1f\x8b", "a gzip archive", "gzip 圧縮ファイル"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "7-Zip 圧縮ファイル"),
    (b"Rar!\x1a\x07", "a RAR archive", "RAR 圧縮ファイル"),
)


def formats() -> dict[str, FormatPlugin]:
    """The registered plugins by name, in the order they are asked to sniff a file."""
    return dict(_plugins())


@cache
def _plugins() -> tuple[tuple[str, FormatPlugin], ...]:
    found: list[FormatPlugin] = []
    for module in pkgutil.iter_modules(portal.formats.__path__):
        if module.ispkg:
            package = importlib.import_module(f"{portal.formats.__name__}.{module.name}")
            plugin = getattr(package, "PLUGIN", None)
            if plugin is not None:
                found.append(cast(FormatPlugin, plugin))
    found.sort(key=lambda p: (p.priority, p.name))
    return tuple((plugin.name, plugin) for plugin in found)


def open_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
) -> Table:
    """Open a CSV, TSV, xlsx, xls or ods file as a `Table`.

    `sheet` (name or 0-based index) picks a workbook's sheet, by default the
    first visible one; `encoding` overrides a text file's detected encoding.
    Each applies only to the kind of file it names and is ignored otherwise.
    Anything that cannot be read as a table raises InputUnreadable.
    """
    path = Path(path)
    head = _head(path, limits)
    _refuse_known_binary(path, head)
    options = OpenOptions(sheet=sheet, encoding=encoding, limits=limits)
    for plugin in formats().values():
        fmt = plugin.sniff(path, head)
        if fmt is not None:
            return plugin.open(path, fmt, options)
    if head.startswith(ZIP_MAGIC):
        raise _zip_archive(path)
    raise binary_file(path)


def _head(path: Path, limits: Limits) -> bytes:
    """The first bytes, after making sure the file exists, fits and holds something."""
    try:
        if not path.is_file():
            raise _missing(path)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise _too_big(path, size, limits)
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
            if size == 0 or _blank(f, head):
                raise _empty(path)
    except OSError as err:
        raise unreadable(
            path,
            f"the file cannot be read ({err.strerror or err})",
            f"ファイルを読み込めません（{err.strerror or err}）",
        ) from None
    return head


def _blank(f: BinaryIO, head: bytes) -> bool:
    """True when the file holds nothing but a BOM and whitespace (Excel saves such files)."""
    blank = WHITESPACE
    for bom in BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            # In UTF-16 every whitespace character comes with a NUL.
            blank = WHITESPACE + (b"\x00" if len(bom) == 2 else b"")
            break
    if head.translate(None, blank):
        return False
    while chunk := f.read(BLANK_CHUNK):
        if chunk.translate(None, blank):
            return False
    return True


def _refuse_known_binary(path: Path, head: bytes) -> None:
    for magic, what, what_ja in KNOWN_BINARY:
        if head.startswith(magic):
            raise binary_file(path, what, what_ja)


def _missing(path: Path) -> InputUnreadable:
    if path.exists():
        return unreadable(
            path, "this is not a file (a folder?)", "ファイルではありません（フォルダーですか？）"
        )
    return unreadable(
        path,
        "file not found",
        "ファイルが見つかりません",
        hint="check the file name and folder",
        hint_ja="ファイル名と保存場所を確認してください",
    )


def _too_big(path: Path, size: int, limits: Limits) -> InputUnreadable:
    return unreadable(
        path,
        f"the file is too big: {megabytes(size)}, the limit is {megabytes(limits.max_file_bytes)}",
        f"ファイルが大きすぎます: {megabytes(size)}（上限 {megabytes(limits.max_file_bytes)}）",
        hint="split the table into smaller files",
        hint_ja="表を複数のファイルに分けてください",
    )


def _empty(path: Path) -> InputUnreadable:
    return unreadable(
        path,
        "the file is empty",
        "ファイルが空です",
        hint="check that the right file was chosen and that it was saved with its data",
        hint_ja="正しいファイルを選んだか、データを入れて保存したかを確認してください",
    )


def _zip_archive(path: Path) -> InputUnreadable:
    suffix = path.suffix.lower()
    if suffix and suffix != ".zip":
        en = f"the file is named {suffix} but it is a ZIP archive, not a table"
        ja = f"ファイル名は {suffix} ですが、中身は ZIP 圧縮ファイルで、表ではありません"
    else:
        en, ja = "the file is a ZIP archive, not a table", "ZIP 圧縮ファイルで、表ではありません"
    return unreadable(
        path,
        en,
        ja,
        hint="extract the table (CSV or xlsx) from the archive and upload that file",
        hint_ja="圧縮ファイルから表（CSV または xlsx）を取り出し、そのファイルをアップロードしてください",
    )
