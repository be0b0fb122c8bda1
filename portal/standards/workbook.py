"""Read the Digital Agency's 定義書 workbook: one sheet per dataset.

Layout (RULES.md §0): sheets named like `13.公衆トイレ一覧`; a header row with
項目No, 項目名, 区分, 説明, 形式, 記入例, an English key, 共通語彙基盤 …; field
rows below it (row 4 onwards in 定義書A). 区分 is ◎ (required), ○ or 〇
(recommended) or blank (optional).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from portal.errors import Location, WorkbookInvalid

SHEET_NAME = re.compile(r"^\s*(\d{1,2})\s*[.．]\s*(.+?)\s*$")
HEADER_SCAN_ROWS = 10
MARKS = {
    "◎": "required",
    "必須": "required",
    "○": "recommended",
    "〇": "recommended",
    "推奨": "recommended",
    "": "optional",
    "任意": "optional",
}
# Canonical header → how it may be written (after NFKC and removing spaces/dots).
HEADERS = {
    "no": ("項目no", "項目番号", "no"),
    "name": ("項目名",),
    "mark": ("区分",),
    "description": ("説明",),
    "format": ("形式",),
    "example": ("記入例", "例"),
}


@dataclass(frozen=True)
class SpecRow:
    row: int
    name: str
    requirement: str
    description: str
    spec_format: str
    example: str
    key_en: str


@dataclass
class SpecSheet:
    sheet: str
    number: str
    title: str
    rows: list[SpecRow] = field(default_factory=list)


def _norm(value: Any) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return re.sub(r"[\s.]", "", text).lower()


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def open_workbook(path: Path) -> Any:
    if not path.is_file():
        raise WorkbookInvalid(
            detail=f"{path}: file not found", detail_ja=f"{path}: ファイルが見つかりません"
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise WorkbookInvalid(
            detail=f"{path}: not an .xlsx workbook ({exc})",
            detail_ja=f"{path}: .xlsx 形式のブックではありません",
        ) from None


def read_sheets(path: Path) -> tuple[list[SpecSheet], list[tuple[str, str]]]:
    """Dataset sheets and (sheet, reason) for every sheet that is not one."""
    book = open_workbook(path)
    sheets, skipped = [], []
    try:
        for ws in book.worksheets:
            m = SHEET_NAME.match(ws.title)
            if not m:
                skipped.append(
                    (ws.title, "not a dataset sheet (name is not like 13.公衆トイレ一覧)")
                )
                continue
            sheet = SpecSheet(sheet=ws.title, number=m.group(1).zfill(2), title=m.group(2))
            sheet.rows = _read_rows(path, ws)
            sheets.append(sheet)
    finally:
        book.close()
    return sheets, skipped


def _header(path: Path, ws: Any) -> tuple[int, dict[str, int]]:
    for r, values in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
        normed = [_norm(v) for v in values]
        if "項目名" not in normed:
            continue
        cols = {}
        for key, spellings in HEADERS.items():
            for i, text in enumerate(normed):
                if text in spellings and key not in cols:
                    cols[key] = i
        missing = [k for k in ("name", "mark", "format") if k not in cols]
        if missing:
            raise _error(
                path,
                ws.title,
                r,
                None,
                f"header row lacks {missing}",
                "見出し行に必要な列がありません",
            )
        cols["key_en"] = _key_en_column(normed, cols)
        return r, cols
    raise _error(
        path,
        ws.title,
        None,
        None,
        "no header row with 項目名 in the first 10 rows",
        "先頭10行に「項目名」の見出し行がありません",
    )


def _key_en_column(normed: list[str], cols: dict[str, int]) -> int:
    for i, text in enumerate(normed):
        if re.search(r"english|英語|英字|key", text):
            return i
    after = cols.get("example", -1) + 1
    if 0 < after < len(normed) and not re.match(r"共通語彙|gif", normed[after]):
        return after
    return -1


def _read_rows(path: Path, ws: Any) -> list[SpecRow]:
    header_row, cols = _header(path, ws)
    rows: list[SpecRow] = []
    seen: dict[str, int] = {}

    def get(values: tuple[Any, ...], key: str) -> str:
        i = cols.get(key, -1)
        return _cell(values[i]) if 0 <= i < len(values) else ""

    for r, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
    ):
        if not any(_cell(v) for v in values):
            continue
        name, mark = get(values, "name"), get(values, "mark")
        letter = get_column_letter(cols["name"] + 1)
        if not name:
            raise _error(
                path, ws.title, r, letter, "a field row has no 項目名", "項目名が空の行があります"
            )
        if name in seen:
            raise _error(
                path,
                ws.title,
                r,
                letter,
                f"項目名 '{name}' repeats row {seen[name]}",
                f"項目名「{name}」が {seen[name]} 行目と重複しています",
            )
        if mark not in MARKS:
            raise _error(
                path,
                ws.title,
                r,
                get_column_letter(cols["mark"] + 1),
                f"区分 '{mark}' is not ◎, ○, 〇 or blank",
                f"区分「{mark}」は ◎・○・〇・空欄のいずれでもありません",
            )
        seen[name] = r
        rows.append(
            SpecRow(
                r,
                name,
                MARKS[mark],
                get(values, "description"),
                get(values, "format"),
                get(values, "example"),
                get(values, "key_en"),
            )
        )
    return rows


def _error(
    path: Path, sheet: str, row: int | None, column: str | None, en: str, ja: str
) -> WorkbookInvalid:
    return WorkbookInvalid(
        location=Location(file=path.name, sheet=sheet, row=row, column=column),
        detail=en,
        detail_ja=ja,
    )
