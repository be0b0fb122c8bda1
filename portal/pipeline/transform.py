"""Turn source rows into standard rows, as a recipe says; nothing is dropped silently.

Every row left out (a filter, a value that could not be read with
`on_error: skip-row`) is recorded with its source row number and the reason;
every value a normaliser could not read is recorded too (and kept as it was,
unless the recipe says otherwise) so the validator reports it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from portal.layout import normalise_label
from portal.normalize import is_ditto
from portal.pipeline.normalizers import PASSES_EMPTY, REGISTRY, Context, NormalizeError
from portal.pipeline.recipe import Column, Filter, Recipe
from portal.standards import Definition


@dataclass(frozen=True)
class Skipped:
    """A source row that is not in the output, and why."""

    row: int
    reason_en: str
    reason_ja: str


@dataclass(frozen=True)
class Unread:
    """A value a normaliser could not read."""

    row: int
    field: str
    value: str
    reason_en: str
    reason_ja: str
    action: str  # kept | emptied | row skipped


@dataclass
class Outcome:
    skipped: list[Skipped] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    rows_in: int = 0
    rows_out: int = 0

    def unread_counts(self) -> Counter[tuple[str, str]]:
        return Counter((u.field, u.reason_en) for u in self.unread)


class Transformer:
    def __init__(
        self, recipe: Recipe, definition: Definition, header: Sequence[str], ctx: Context
    ) -> None:
        self.recipe = recipe
        self.fields = definition.field_names
        self.ctx = ctx
        self.outcome = Outcome()
        index = _index(header)
        self.sources = {
            name: [self._column(index, name, s, header) for s in col.sources]
            for name, col in recipe.columns.items()
        }
        self.filters = [(f, self._column(index, None, f.column, header)) for f in recipe.filters]
        self.cache: dict[tuple[str, str], tuple[str, NormalizeError | None]] = {}
        self.previous: dict[str, str] = {}  # last value per field, for fill_down
        self.count = 0

    def _column(
        self, index: dict[str, int], field_name: str | None, source: str, header: Sequence[str]
    ) -> int:
        position = index.get(normalise_label(source))
        if position is None:
            path = ("columns", field_name, "from") if field_name else ("filters",)
            shown = ", ".join(h for h in header if h.strip())
            raise self.recipe.error(
                path,
                f"the source has no column '{source}'; its columns are: {shown}",
                f"元の表に列「{source}」がありません。列: {shown}",
            )
        return position

    def rows(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[list[str]]:
        """Standard rows, in the standard's field order."""
        for number, row in rows:
            self.outcome.rows_in += 1
            out = self._row(number, row)
            if out is not None:
                self.outcome.rows_out += 1
                yield out

    def _row(self, number: int, row: list[str]) -> list[str] | None:
        for f, position in self.filters:
            if not _keeps(f, row[position] if position < len(row) else ""):
                reason = f.reason or f"filter on {f.column}"
                self.outcome.skipped.append(
                    Skipped(number, reason, f.reason or f"{f.column} の条件で除外")
                )
                return None
        record = dict(self.recipe.constants)
        for name, column in self.recipe.columns.items():
            value = self._value(number, row, column)
            if value is None:
                return None
            record[name] = value
        self.count += 1
        if self.recipe.ids and not record.get(self.recipe.ids[0]):
            record[self.recipe.ids[0]] = self.recipe.ids[1].format(
                row=number, n=self.count, lgcode=self.recipe.lgcode
            )
        return [record.get(name, "") for name in self.fields]

    def _value(self, number: int, row: list[str], column: Column) -> str | None:
        raw = column.join.join(row[p] if p < len(row) else "" for p in self.sources[column.field])
        if column.fill_down:
            if not raw.strip() or is_ditto(raw.strip()):
                raw = self.previous.get(column.field, raw)
            else:
                self.previous[column.field] = raw
        value, error = self._normalize(column, raw)
        if error is None:
            return value
        action = {"keep": "kept", "empty": "emptied", "skip-row": "row skipped"}[column.on_error]
        self.outcome.unread.append(
            Unread(number, column.field, raw, error.reason_en, error.reason_ja, action)
        )
        if column.on_error == "skip-row":
            self.outcome.skipped.append(
                Skipped(
                    number,
                    f"{column.field}: {error.reason_en}",
                    f"{column.field}: {error.reason_ja}",
                )
            )
            return None
        return raw if column.on_error == "keep" else ""

    def _normalize(self, column: Column, raw: str) -> tuple[str, NormalizeError | None]:
        key = (column.field, raw)
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = _apply(column, raw, self.ctx)
        return hit


def _apply(column: Column, raw: str, ctx: Context) -> tuple[str, NormalizeError | None]:
    value = raw
    for name, option in column.normalize:
        if not value and name not in PASSES_EMPTY:
            continue
        try:
            value = REGISTRY[name].fn(value, option, ctx)
        except NormalizeError as exc:
            return raw, exc
    return value, None


def _index(header: Sequence[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, label in enumerate(header):
        index.setdefault(normalise_label(label), i)
    return index


def _keeps(f: Filter, value: str) -> bool:
    v = value.strip()
    if f.test == "equals":
        return v == str(f.value)
    if f.test == "not_equals":
        return v != str(f.value)
    if f.test == "in":
        return v in {str(x) for x in f.value}
    if f.test == "not_in":
        return v not in {str(x) for x in f.value}
    if f.test == "empty":
        return (v == "") == bool(f.value)
    return re.search(str(f.value), v) is not None
