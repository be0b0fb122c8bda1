"""Reading one sheet of an xlsx, xls or ods workbook as rows of strings, via python-calamine.

calamine reads all three formats natively and fast. It loads the chosen
sheet's values into memory at once (Rust-side, as a dense grid); rows are
turned into Python strings one at a time as they are asked for.

calamine trusts the sizes a file states, and some bad ones abort the whole
process rather than raise, so checks run before it sees a file: the
zip-bomb check (xlsx, ods), the parts calamine will read and the count of
shared strings it will reserve room for (xlsx: parts.py, archive.py), the
sheet's extent as calamine will place the cells (xlsx: features.py; ods,
repeats expanded: ods.py) and the Compound File and BIFF sizes and extents
(xls: ole.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from python_calamine import (
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from portal.errors import InputUnreadable
from portal.formats.base import Limits, OpenOptions, SourceInfo, Table, unreadable
from portal.formats.spreadsheet.archive import check_not_bomb, check_shared_strings
from portal.formats.spreadsheet.cells import cell_text
from portal.formats.spreadsheet.extent import check_extent
from portal.formats.spreadsheet.features import scan_xlsx_sheet
from portal.formats.spreadsheet.ods import check_ods
from portal.formats.spreadsheet.ole import check_xls
from portal.formats.spreadsheet.strings import check_shared_text

# How an encrypted (password-protected) xlsx shows itself: Office wraps it in
# an OLE2 file, so it looks like an .xls until this stream name turns up.
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")
SCAN_CHUNK = 1 << 20
CALAMINE_EXTENSIONS = {
    ".xls": "xls",
    ".xla": "xls",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xlam": "xlsx",
    ".xlsb": "xlsb",
    ".ods": "ods",
}
FORMAT_NAMES = {
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
}


class SpreadsheetTable(Table):
    """One sheet of a workbook; `info.sheets` lists them all."""

    def __init__(self, path: Path, fmt: str, options: OpenOptions) -> None:
        if fmt in ("xlsx", "ods"):
            check_not_bomb(path, options.limits)
            if fmt == "ods":
                check_ods(path, options.limits)
            else:
                check_shared_strings(path, options.limits)
        else:
            _check_xls(path, options.limits)
        self._workbook: CalamineWorkbook | None = _load(path, fmt)
        try:
            metas = self._workbook.sheets_metadata
            name = choose_sheet(path, metas, options.sheet)
            self.features = []
            if fmt == "xlsx":
                scan = scan_xlsx_sheet(path, name)
                check_extent(path, name, scan.extent, options.limits)
                check_shared_text(path, name, scan.shared_values, options.limits)
                self.features = scan.features
            self._sheet = _load_sheet(path, fmt, self._workbook, name)
        except BaseException:
            self.close()
            raise
        self.info = SourceInfo(
            path=path,
            format=fmt,
            sheet=name,
            sheets=[m.name for m in metas],
            hidden_sheets=[m.name for m in metas if m.visible != SheetVisibleEnum.Visible],
        )

    def rows(self) -> Iterator[list[str]]:
        if self._workbook is None:
            raise RuntimeError("the table is closed")
        return self._rows(self._sheet)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    @staticmethod
    def _rows(sheet: CalamineSheet) -> Iterator[list[str]]:
        start = sheet.start
        if start is None:
            return
        # python-calamine's iter_rows pads the rows above the used range but
        # not the columns left of it; padding the columns here makes cell i
        # column i+1 and row n sheet row n, as the clerk sees them.
        pad = [""] * start[1]
        for values in sheet.iter_rows():
            yield pad + [v if v.__class__ is str else cell_text(v) for v in values]


def choose_sheet(path: Path, metas: list[SheetMetadata], wanted: str | int | None) -> str:
    """The sheet asked for by name or 0-based index; by default the first visible worksheet."""
    names = [m.name for m in metas]
    if wanted is None:
        for meta in metas:
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
                return meta.name
        if names:
            return names[0]
        raise unreadable(path, "the workbook has no sheets", "ブックにシートがありません")
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if 0 <= wanted < len(names):
            return names[wanted]
    elif wanted in names:
        return wanted
    listed = ", ".join(f"'{n}'" for n in names)
    listed_ja = "、".join(f"「{n}」" for n in names)
    raise unreadable(
        path,
        f"there is no sheet {wanted!r}; the sheets are: {listed}",
        f"シート {wanted!r} はありません。シートは {listed_ja} です",
        hint="give one of the sheet names listed",
        hint_ja="一覧にあるシート名を指定してください",
    )


def _check_xls(path: Path, limits: Limits) -> None:
    try:
        check_xls(path, limits)
    except InputUnreadable:
        if _is_encrypted_ooxml(path):
            raise _password_protected(path) from None
        raise


def _load(path: Path, fmt: str) -> CalamineWorkbook:
    try:
        if CALAMINE_EXTENSIONS.get(path.suffix.lower(), fmt) == fmt:
            return CalamineWorkbook.from_path(path)
        # calamine picks its reader by extension when it knows the extension,
        # so an xlsx named .xls would fail; from a file object it looks at the
        # content instead, at the cost of holding the whole file in memory.
        with path.open("rb") as f:
            return CalamineWorkbook.from_filelike(f)
    except PasswordError:
        raise _password_protected(path) from None
    except BaseException as err:  # calamine raises several kinds for damaged files
        if not _from_calamine(err):
            raise
        if fmt == "xls" and _is_encrypted_ooxml(path):
            raise _password_protected(path) from None
        raise _damaged(path, fmt, err) from None


def _load_sheet(path: Path, fmt: str, workbook: CalamineWorkbook, name: str) -> CalamineSheet:
    try:
        return workbook.get_sheet_by_name(name)
    except PasswordError:
        raise _password_protected(path) from None
    except BaseException as err:  # as in _load: any failure here means a damaged sheet
        if not _from_calamine(err):
            raise
        raise _damaged(path, fmt, err, sheet=name) from None


def _from_calamine(err: BaseException) -> bool:
    """Whether calamine failed on the file, rather than the process being stopped.

    pyo3 turns a Rust panic into PanicException, which derives from
    BaseException so that `except Exception` lets it through; calamine
    panics on some truncated .xls files, and that too means a damaged file.
    """
    return isinstance(err, Exception) or type(err).__name__ == "PanicException"


def _is_encrypted_ooxml(path: Path) -> bool:
    overlap = len(ENCRYPTED_MARKER) - 1
    tail = b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(SCAN_CHUNK):
                if ENCRYPTED_MARKER in tail + chunk:
                    return True
                tail = chunk[-overlap:]
    except OSError:
        return False
    return False


def _password_protected(path: Path) -> InputUnreadable:
    return unreadable(
        path,
        "the workbook is protected with a password",
        "ブックにパスワードが設定されています",
        hint="remove the password (File → Info → Protect Workbook) and upload it again",
        hint_ja="パスワードを解除して（ファイル → 情報 → ブックの保護）からアップロードしてください",
    )


def _damaged(path: Path, fmt: str, err: BaseException, sheet: str | None = None) -> InputUnreadable:
    kind = FORMAT_NAMES.get(fmt, fmt)
    return unreadable(
        path,
        f"the file cannot be read as an {kind} workbook; it is damaged or in another "
        f"format ({type(err).__name__}: {err})",
        f"{kind} のブックとして読めません。壊れているか、別の形式です（{type(err).__name__}: {err}）",
        sheet=sheet,
        hint="open it in Excel, save it again as .xlsx and upload the new file",
        hint_ja="Excel で開いて .xlsx で保存し直し、そのファイルをアップロードしてください",
    )
