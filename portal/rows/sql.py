"""How each back end writes a row query's pieces: a comparison, a sort, a text match, the
distance query's bounding box, and a row read back as the API answers it.

SQLite keeps each cell as typed_value made it (a number, or text where a number would not
read back the same) in one untyped column, and compares as SQLite does: NULL never matches,
numbers before text. PostgreSQL has typed columns, so a cell of a number field is kept
twice: its text as published (what is read back, through the same typed_value, so both
back ends answer alike) and its number, where typed_value made one, beside it (what is
compared, sorted and indexed). The comparisons below give the answers SQLite gives.
"""

from __future__ import annotations

import hashlib
from typing import Any

from portal.rows.base import LAT, LON, quote
from portal.standards.definition import typed_value

NUMERIC_KINDS = ("integer", "number")
PG_NAME_BYTES = 63  # PostgreSQL cuts longer names (NAMEDATALEN - 1): two could become one
# Operators a number cell satisfies against a text value, and a text cell against a number
# (SQLite orders every number before every text).
NUMBER_BELOW_TEXT = ("<", "<=", "!=")
TEXT_ABOVE_NUMBER = (">", ">=", "!=")

Clause = tuple[str, list[Any]]


class Sql:
    """SQLite: one column per field, holding what typed_value made of the cell."""

    param = "?"

    def ident(self, name: str) -> str:
        return quote(name)

    def compare(self, name: str, kind: str, op: str, value: Any) -> Clause:
        return f"{self.ident(name)} {op} ?", [value]

    def member(self, name: str, kind: str, values: list[Any]) -> Clause:
        return f"{self.ident(name)} IN ({', '.join('?' * len(values))})", list(values)

    def contains(self, name: str, kind: str, text: str) -> Clause:
        return f"{self.ident(name)} LIKE ?", [f"%{text}%"]

    def order(self, name: str, kind: str, descending: bool) -> str:
        return f"{self.ident(name)} {'DESC' if descending else 'ASC'}"

    def select(self, names: list[str], kinds: dict[str, str]) -> str:
        return ", ".join(["_id", "_dataset", "_lgcode", *(self.ident(n) for n in names)])

    def record(
        self, row: tuple[Any, ...], names: list[str], kinds: dict[str, str]
    ) -> dict[str, Any]:
        record = {"_dataset": row[1], "_lgcode": row[2]}
        record.update(zip(names, row[3:], strict=True))
        return record

    def box(self, table: str, kinds: dict[str, str], lat: tuple[float, float],
            lon: tuple[float, float]) -> Clause:  # fmt: skip
        """The rows whose coordinates fall in the box (an R*Tree beside the table)."""
        geo = self.ident(table + "__geo")
        return (f"_id IN (SELECT id FROM {geo} WHERE lat1 >= ? AND lat0 <= ? AND lon1 >= ? AND lon0 <= ?)",
                [lat[0], lat[1], lon[0], lon[1]])  # fmt: skip


class PostgresSql(Sql):
    """PostgreSQL: a text column per field, and a number column beside a number field's."""

    param = "%s"

    def ident(self, name: str) -> str:
        return quote(pg_name(name))

    def number(self, name: str) -> str:
        return quote(pg_name(name, "#n"))

    def compare(self, name: str, kind: str, op: str, value: Any) -> Clause:
        text = self.ident(name)
        if kind not in NUMERIC_KINDS:
            return f"{text} {op} %s", [value]
        number = self.number(name)
        if value is None:  # an empty filter value: NULL, which SQLite finds equal to nothing
            return "FALSE", []
        if _is_number(value):
            if op in TEXT_ABOVE_NUMBER:
                return f"({number} {op} %s OR ({number} IS NULL AND {text} IS NOT NULL))", [value]
            return f"{number} {op} %s", [value]
        if op in NUMBER_BELOW_TEXT:
            return f"({number} IS NOT NULL OR {text} {op} %s)", [value]
        return f"({number} IS NULL AND {text} {op} %s)", [value]

    def member(self, name: str, kind: str, values: list[Any]) -> Clause:
        text = self.ident(name)
        if kind not in NUMERIC_KINDS:
            return f"{text} = ANY(%s)", [list(values)]
        numbers = [v for v in values if _is_number(v)]
        texts = [v for v in values if not _is_number(v)]
        array = "bigint[]" if kind == "integer" else "double precision[]"
        number = self.number(name)
        return (f"({number} = ANY(%s::{array}) OR ({number} IS NULL AND {text} = ANY(%s::text[])))",
                [numbers, texts])  # fmt: skip

    def contains(self, name: str, kind: str, text: str) -> Clause:
        # SQLite's LIKE: ASCII letters in either case, no escape character.
        return f"{self.ident(name)} ILIKE %s ESCAPE ''", [f"%{text}%"]

    def order(self, name: str, kind: str, descending: bool) -> str:
        way = "DESC" if descending else "ASC"
        nulls = "NULLS LAST" if descending else "NULLS FIRST"  # SQLite: NULL is the least
        if kind not in NUMERIC_KINDS:
            return f"{self.ident(name)} {way} {nulls}"
        text, number = self.ident(name), self.number(name)
        rank = f"(CASE WHEN {number} IS NOT NULL THEN 1 WHEN {text} IS NOT NULL THEN 2 ELSE 0 END)"
        return f"{rank} {way}, {number} {way}, {text} {way}"

    def record(
        self, row: tuple[Any, ...], names: list[str], kinds: dict[str, str]
    ) -> dict[str, Any]:
        record = {"_dataset": row[1], "_lgcode": row[2]}
        for name, cell in zip(names, row[3:], strict=True):
            kind = kinds.get(name, "string")
            record[name] = typed_value(cell, kind) if cell and kind in NUMERIC_KINDS else cell
        return record

    def box(self, table: str, kinds: dict[str, str], lat: tuple[float, float],
            lon: tuple[float, float]) -> Clause:  # fmt: skip
        """The rows whose coordinates fall in the box (a btree on the two number columns)."""
        if kinds.get(LAT) != "number" or kinds.get(LON) != "number":
            return "FALSE", []  # as SQLite's R*Tree: only cells that are numbers are placed
        return (f"{self.number(LAT)} BETWEEN %s AND %s AND {self.number(LON)} BETWEEN %s AND %s",
                [lat[0], lat[1], lon[0], lon[1]])  # fmt: skip


def pg_name(name: str, suffix: str = "") -> str:
    """A PostgreSQL name for `name` + `suffix`, the same every time: as it is when it fits in
    63 bytes and has no '%' (the driver's placeholder sign); else shortened, with a hash of
    the whole so that two long names sharing a beginning stay two."""
    whole = name + suffix
    if len(whole.encode()) <= PG_NAME_BYTES and "%" not in whole:
        return whole
    digest = "~" + hashlib.sha256(whole.encode()).hexdigest()[:10]
    room = PG_NAME_BYTES - len(digest.encode()) - len(suffix.encode())
    short = name.replace("%", "").encode()[:room].decode(errors="ignore")
    return short + digest + suffix


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
