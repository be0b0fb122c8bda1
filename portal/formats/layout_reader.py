"""`read_table()`: one way to read a department's table, for validate, convert and suggest.

Opens the file, finds the header under any title rows (or takes the recipe's
header_row), joins a two-row or merged header into one name per column, and hands
back the rows under it. `data_rows()` then skips blank rows and the notes under the
table, recording both in the layout so that a report can list every row not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from portal.errors import InputUnreadable, Location
from portal.formats.base import Limits, SourceInfo, Table
from portal.formats.registry import open_table
from portal.layout import (
    HEAD_ROWS,
    find_header,
    is_blank,
    is_sparse,
    is_subheader,
    is_type_row,
    join_header,
)


class HeaderRowBeyond(InputUnreadable):
    """The header row asked for is past the rows read for the header: the file is
    shorter, or the header is deeper than the HEAD_ROWS in which a header is looked for."""

    def __init__(self, location: Location, header_row: int, seen: int) -> None:
        if seen < HEAD_ROWS:
            en, ja = f"the file has only {seen} rows", f"ファイルは {seen} 行しかありません"
        else:
            en = f"a header is read from the first {HEAD_ROWS} rows"
            ja = f"見出し行は先頭 {HEAD_ROWS} 行から探します"
        super().__init__(
            location,
            detail=f"header_row is {header_row}, but {en}; give the row number of the column names",
            detail_ja=f"header_row が {header_row} ですが、{ja}。列名の行の番号を指定してください",
        )
        self.header_row, self.seen = header_row, seen


@dataclass
class Layout:
    header_row: int  # 1-based: the first header row
    header_rows: int  # how many rows the header takes (2 for a two-row or merged header)
    header: list[str]  # one name per column; a one-row header as written, cells not stripped
    title_rows: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)  # filled in by data_rows()
    note_rows: list[int] = field(default_factory=list)  # filled in by data_rows()
    # The words of the title rows (their non-blank cells joined by a space), one per title
    # row: a table's title often names the dataset or the municipality (「令和6年 ○○市 介護…」).
    title_texts: list[str] = field(default_factory=list)
    # LinkData's rows about the columns right under the header (#object_type_xsd,
    # #property_context …): skipped, so that `string` and `Assertion` never become data.
    type_rows: list[int] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """The column names without the spaces around them."""
        return [c.strip() for c in self.header]

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows + len(self.type_rows)

    @property
    def width(self) -> int:
        """Columns up to the last named one."""
        named = [i for i, label in enumerate(self.header) if label.strip()]
        return named[-1] + 1 if named else 0

    def notes(self) -> list[tuple[str, str]]:
        """What was read around the table, in English and Japanese, for a conversion report."""
        out = []
        if self.title_rows and all(t.startswith("#") for t in self.title_texts):
            span = _span(self.title_rows)
            out.append((f"rows {span} are LinkData's table parameters (#LINK, #attribution_name …), skipped",
                        f"{span}行目は LinkData の表の設定（#LINK、#attribution_name など）のため読み飛ばしました"))  # fmt: skip
        elif self.title_rows:
            span = _span(self.title_rows)
            out.append(
                (f"rows {span} taken as a title", f"{span}行目はタイトルとして読み飛ばしました")
            )
        if self.header_rows > 1:
            span = _span(list(range(self.header_row, self.first_data_row)))
            out.append(
                (f"rows {span} joined into one header", f"{span}行目の見出しを1行にまとめました")
            )
        if self.type_rows:
            span = _span(self.type_rows)
            out.append((f"rows {span} under the header describe the columns (LinkData #object_type_xsd, #property_context …), skipped",
                        f"{span}行目は列の型や文脈を記した行（LinkData の #object_type_xsd、#property_context など）のため読み飛ばしました"))  # fmt: skip
        if self.blank_rows:
            rows = _list(self.blank_rows)
            out.append((f"blank rows skipped: {rows}", f"空行を読み飛ばしました: {rows}行目"))
        if self.note_rows:
            span = _span(self.note_rows)
            what = f"rows {span} are notes" if len(self.note_rows) > 1 else f"row {span} is a note"
            out.append((f"{what} under the table, skipped", f"{span}行目は表の下の注記のため読み飛ばしました"))  # fmt: skip
        return out


def _span(rows: list[int]) -> str:
    consecutive = len(rows) > 1 and rows[-1] - rows[0] == len(rows) - 1
    return f"{rows[0]}–{rows[-1]}" if consecutive else _list(rows)


def _list(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10]))
    return shown + (f" … ({len(rows)} rows)" if len(rows) > 10 else "")


@dataclass
class TableRead:
    table: Table  # for its info and the spreadsheet features (merged cells, hidden rows…)
    layout: Layout
    body: list[list[str]]  # the rows under the header among the first HEAD_ROWS read
    rest: Iterator[list[str]]  # the rows after those

    @property
    def info(self) -> SourceInfo:
        return self.table.info

    @property
    def rows(self) -> Iterator[list[str]]:
        """Every row under the header, from layout.first_data_row on."""
        return chain(self.body, self.rest)


@contextmanager
def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - frozen, so one shared default is safe
    known: Iterable[str] = (),
    header_row: int | None = None,
    header_rows: int = 1,
    header_join: str = "",
) -> Iterator[TableRead]:
    """The table in `path`. `known` names help find the header under title rows;
    `header_row`/`header_rows`/`header_join` are a recipe's overrides (header_rows=1
    still joins a second row that plainly continues the header)."""
    with open_table(path, sheet=sheet, encoding=encoding, limits=limits) as table:
        rows = iter(table.rows())
        head = list(islice(rows, HEAD_ROWS))
        layout = locate(head, Location(file=path.name), known, header_row, header_rows, header_join)
        yield TableRead(table, layout, head[layout.first_data_row - 1 :], rows)


def locate(
    head: Sequence[Sequence[str]],
    where: Location,
    known: Iterable[str] = (),
    header_row: int | None = None,
    header_rows: int = 1,
    header_join: str = "",
) -> Layout:
    """Where the table sits among the first rows of a file."""
    if header_row:
        if header_row > len(head):
            raise HeaderRowBeyond(where, header_row, len(head))
        titles = [i + 1 for i in range(header_row - 1) if not is_blank(head[i])]
        single = [c or "" for c in head[header_row - 1]]
    else:
        found = find_header(head, known)
        if found.header_row == 0:
            raise InputUnreadable(where, detail="no table found: every row is empty",
                                  detail_ja="表が見つかりません（すべての行が空です）")  # fmt: skip
        header_row, titles, single = found.header_row, found.title_rows, found.header
    if header_rows == 1 and header_row < len(head) and not is_type_row(head[header_row]):
        if is_subheader(head[header_row - 1], head[header_row]):
            header_rows = 2
    texts = [" ".join(c.strip() for c in head[i - 1] if c and c.strip()) for i in titles]
    types = _type_rows(head, header_row + header_rows)
    if header_rows == 1:
        return Layout(header_row, 1, single, titles, title_texts=texts, type_rows=types)
    parts = head[header_row - 1 : header_row - 1 + header_rows]
    header = join_header(parts, header_join)
    return Layout(header_row, header_rows, header, titles, title_texts=texts, type_rows=types)


def _type_rows(head: Sequence[Sequence[str]], first: int) -> list[int]:
    """The LinkData rows about the columns that follow the header from row `first` on."""
    rows: list[int] = []
    while first + len(rows) <= len(head) and is_type_row(head[first + len(rows) - 1]):
        rows.append(first + len(rows))
    return rows


def data_rows(rows: Iterable[list[str]], layout: Layout) -> Iterator[tuple[int, list[str]]]:
    """The data rows with their numbers; blank rows skipped and notes under the table held
    back (both recorded in `layout`). A note-like row followed by data is data."""
    held: list[tuple[int, list[str]]] = []
    width = len(layout.header)
    for number, row in enumerate(rows, start=layout.first_data_row):
        if is_sparse(row, width):
            held.append((number, row))
            continue
        for n, r in held:
            if is_blank(r):
                layout.blank_rows.append(n)
            else:
                yield n, r
        held = []
        yield number, row
    layout.blank_rows += [n for n, r in held if is_blank(r)]
    layout.note_rows += [n for n, r in held if not is_blank(r)]
