"""Turn source rows into standard rows, as a recipe says; nothing is dropped silently.

Every row left out (a filter, a value that could not be read with
`on_error: skip-row`) is recorded with its source row number and the reason;
every value a normaliser could not read is recorded too (and kept as it was,
unless the recipe says otherwise) so the validator reports it.

Rows are processed a chunk at a time, column by column: each distinct value of
a column is normalised once, as in the validator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress

from portal.normalize import is_ditto, strip_spaces
from portal.pipeline.computed import Computation, Deduplicator
from portal.pipeline.guards import RecipeProblem
from portal.pipeline.normalizers import PASSES_EMPTY, REGISTRY, Context, NormalizeError
from portal.pipeline.patterns import search
from portal.pipeline.recipe import Filter, Recipe
from portal.pipeline.recipe_columns import Column
from portal.pipeline.sources import HeaderIndex, SourceRef
from portal.standards import Definition

Verdict = tuple[str, NormalizeError | None]  # the output value, and why the input could not be read


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

    def sort(self) -> None:
        self.skipped.sort(key=lambda s: s.row)
        self.unread.sort(key=lambda u: u.row)  # stable: fields stay in recipe order within a row


# Distinct values remembered per column. Most columns repeat a few values, but a column of
# names or ids is all distinct: past this many the memory is given back, so a 1 GB file converts
# in the same memory as a small one (issue 17: flat memory).
CACHE_LIMIT = 50_000
# Normalisers that never refuse a value: a chain of only these runs over a column's new values
# a step at a time, without the per-value bookkeeping of a step that may fail.
TOTAL = frozenset({"trim", "halfwidth", "kana_widen", "platform_chars", "list", "default"})


@dataclass
class _Field:
    column: Column
    positions: list[int]
    cache: dict[str, str] = field(default_factory=dict)  # source value → output value
    errors: dict[str, NormalizeError] = field(default_factory=dict)  # the values not read
    previous: str = ""  # for fill_down, carried across chunks
    computation: Computation | None = None  # sum, expr, marked

    def learn(self, distinct: set[str], ctx: Context) -> None:
        """Normalise the values not seen yet, each once."""
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
            self.errors.clear()
        cache, errors, column = self.cache, self.errors, self.column
        new = list(distinct.difference(cache))
        if all(name in TOTAL for name, _ in column.normalize):
            cache.update(zip(new, _apply_total(column, new, ctx), strict=True))
            return
        for value in new:
            cache[value], error = _apply(column, value, ctx)
            if error is not None:
                errors[value] = error


class Transformer:
    def __init__(
        self, recipe: Recipe, definition: Definition, header: Sequence[str], ctx: Context
    ) -> None:
        self.recipe = recipe
        self.fields = definition.field_names
        self.ctx = ctx
        self.width = len(header)
        self.outcome = Outcome()
        index = HeaderIndex(header)
        self.mapped = {name: self._field(index, name, col) for name, col in recipe.columns.items()}
        _share_caches([f for f in self.mapped.values() if f.computation is None])
        self.filters: list[tuple[Filter, int, dict[str, bool]]] = [
            (f, self._position(index, ("filters", str(i), "column"), SourceRef(f.column)), {})
            for i, f in enumerate(recipe.filters)
        ]
        self.deduplicator = (
            Deduplicator(recipe.dedupe, self.fields) if recipe.dedupe is not None else None
        )
        self.count = 0

    def _field(self, index: HeaderIndex, name: str, col: Column) -> _Field:
        path = ("columns", name, col.kind)
        positions = [self._position(index, path, ref) for ref in col.refs]
        computation = Computation(col.compute) if col.compute is not None else None
        return _Field(col, positions, computation=computation)

    def _position(self, index: HeaderIndex, path: tuple[str, ...], ref: SourceRef) -> int:
        try:
            return index.position(ref)
        except RecipeProblem as problem:
            raise self.recipe.problem(path, problem) from None

    def chunk(self, numbers: Sequence[int], rows: Sequence[list[str]]) -> list[list[str]]:
        """Standard rows (in the standard's field order) for a chunk of source rows."""
        return rows_of(self.columns(numbers, rows))

    def columns(self, numbers: Sequence[int], rows: Sequence[list[str]]) -> list[Sequence[str]]:
        """The standard's columns (in its field order) for a chunk of source rows, without
        the rows left out: the writers take columns, so they need not be transposed back."""
        self.outcome.rows_in += len(rows)
        width = self.width
        padded = [r if len(r) == width else (r + [""] * width)[:width] for r in rows]
        columns = list(zip(*padded, strict=True)) if padded else []
        keep = [True] * len(rows)
        self._filter(numbers, columns, keep)
        out: dict[str, Sequence[str]] = {}
        for name, mapped in self.mapped.items():
            out[name] = self._values(mapped, numbers, columns, keep)
        n = len(rows)
        for name, value in self.recipe.constants.items():
            out.setdefault(name, [value] * n)
        blank = [""] * n
        standard = [out.get(f, blank) for f in self.fields]
        if self.deduplicator is not None:
            self._dedupe(self.deduplicator, standard, numbers, keep)
        if not all(keep):
            standard = [list(compress(column, keep)) for column in standard]
            numbers = list(compress(numbers, keep))
        if self.recipe.ids:
            self._ids(standard, numbers)
        self.outcome.rows_out += len(numbers)
        return standard

    def _filter(
        self, numbers: Sequence[int], columns: list[tuple[str, ...]], keep: list[bool]
    ) -> None:
        for f, position, verdicts in self.filters:
            for i, value in enumerate(columns[position] if columns else ()):
                ok = verdicts.get(value)
                if ok is None:
                    ok = verdicts[value] = _keeps(f, value)
                if not ok and keep[i]:
                    keep[i] = False
                    reason = f.reason or f"filter on {f.column}"
                    self.outcome.skipped.append(
                        Skipped(numbers[i], reason, f.reason or f"{f.column} の条件で除外")
                    )

    def _values(
        self,
        mapped: _Field,
        numbers: Sequence[int],
        columns: list[tuple[str, ...]],
        keep: list[bool],
    ) -> Sequence[str]:
        col = mapped.column
        kept: dict[int, str] = {}  # computed values that could not be made: what the cell gets
        if mapped.computation is not None:
            raw: Sequence[str] = self._computed(
                mapped, mapped.computation, numbers, columns, keep, kept
            )
        elif len(mapped.positions) == 1:
            raw = columns[mapped.positions[0]] if columns else ()
        else:
            raw = [
                col.join.join(parts)
                for parts in zip(*(columns[p] for p in mapped.positions), strict=True)
            ]
        if col.fill_down:
            raw = self._fill_down(mapped, raw)
        if not col.normalize:
            return _put_back(raw, kept)  # taken as it is
        distinct = set(raw)
        mapped.learn(distinct, self.ctx)
        if mapped.errors and not distinct.isdisjoint(mapped.errors):
            self._unread(mapped, raw, numbers, keep)
        return _put_back(list(map(mapped.cache.__getitem__, raw)), kept)

    def _computed(
        self,
        mapped: _Field,
        computation: Computation,
        numbers: Sequence[int],
        columns: list[tuple[str, ...]],
        keep: list[bool],
        kept: dict[int, str],
    ) -> list[str]:
        """A sum, expr or marked column's values; a row whose value could not be made is
        recorded (as a normaliser's unread value is) and left blank for the normalisers."""
        parts = [columns[p] for p in mapped.positions] if columns else [()] * len(mapped.positions)
        values, problems = computation.values(parts)
        col = mapped.column
        action = {"keep": "kept", "empty": "emptied", "skip-row": "row skipped"}[col.on_error]
        for i, problem in problems.items():
            values[i] = ""
            if not keep[i]:
                continue
            kept[i] = problem.value if col.on_error == "keep" else ""
            self.outcome.unread.append(
                Unread(numbers[i], col.field, problem.value, problem.en, problem.ja, action)
            )
            if col.on_error == "skip-row":
                keep[i] = False
                self.outcome.skipped.append(
                    Skipped(numbers[i], f"{col.field}: {problem.en}", f"{col.field}: {problem.ja}")
                )
        return values

    def _fill_down(self, mapped: _Field, raw: Sequence[str]) -> list[str]:
        out = []
        for value in raw:
            if value.strip() and not is_ditto(value.strip()):
                mapped.previous = value
            out.append(mapped.previous if not value.strip() or is_ditto(value.strip()) else value)
        return out

    def _unread(
        self, mapped: _Field, raw: Sequence[str], numbers: Sequence[int], keep: list[bool]
    ) -> None:
        col = mapped.column
        action = {"keep": "kept", "empty": "emptied", "skip-row": "row skipped"}[col.on_error]
        errors = mapped.errors
        for i, value in enumerate(raw):
            error = errors.get(value)
            if error is None or not keep[i]:
                continue
            self.outcome.unread.append(
                Unread(numbers[i], col.field, value, error.reason_en, error.reason_ja, action)
            )
            if col.on_error == "skip-row":
                keep[i] = False
                self.outcome.skipped.append(
                    Skipped(
                        numbers[i],
                        f"{col.field}: {error.reason_en}",
                        f"{col.field}: {error.reason_ja}",
                    )
                )

    def _dedupe(
        self,
        deduplicator: Deduplicator,
        standard: list[Sequence[str]],
        numbers: Sequence[int],
        keep: list[bool],
    ) -> None:
        rows = [list(compress(c, keep)) for c in standard] if not all(keep) else standard
        kept_numbers = list(compress(numbers, keep))
        at = [i for i, k in enumerate(keep) if k]  # chunk index of each kept row
        for j, first in deduplicator.duplicates(rows, kept_numbers):
            keep[at[j]] = False
            self.outcome.skipped.append(
                Skipped(
                    kept_numbers[j],
                    f"duplicate of row {first} (same {deduplicator.which_en})",
                    f"{first}行目と重複（{deduplicator.which_ja}が同じ）",
                )
            )

    def _ids(self, columns: list[Sequence[str]], numbers: Sequence[int]) -> None:
        if not self.recipe.ids:
            return
        name, template = self.recipe.ids
        position = self.fields.index(name)
        ids = list(columns[position])
        for i, number in enumerate(numbers):
            self.count += 1
            if not ids[i]:
                ids[i] = template.format(row=number, n=self.count, lgcode=self.recipe.lgcode)
        columns[position] = ids


def rows_of(columns: Sequence[Sequence[str]]) -> list[list[str]]:
    """Columns of equal length → rows."""
    return list(map(list, zip(*columns, strict=True)))


def _apply(column: Column, raw: str, ctx: Context) -> Verdict:
    value = raw
    for name, option in column.normalize:
        if not value and name not in PASSES_EMPTY:
            continue
        try:
            value = REGISTRY[name].fn(value, option, ctx)
        except NormalizeError as exc:
            return ("" if column.on_error == "empty" else raw), exc
    return value, None


def _share_caches(fields: list[_Field]) -> None:
    """Columns normalised the same way (a table's many count columns, all `[integer]`) share
    one cache: a value seen in one is not normalised again for the next."""
    by_chain: dict[str, _Field] = {}
    for f in fields:
        first = by_chain.setdefault(repr((f.column.normalize, f.column.on_error)), f)
        f.cache, f.errors = first.cache, first.errors


def _apply_total(column: Column, values: list[str], ctx: Context) -> list[str]:
    """`_apply` over many values, for a chain of normalisers that never refuse one."""
    for name, option in column.normalize:
        if name == "trim":  # the commonest, called without its adapter
            values = list(map(strip_spaces, values))
            continue
        fn = REGISTRY[name].fn
        passes_empty = name in PASSES_EMPTY
        values = [fn(v, option, ctx) if v or passes_empty else v for v in values]
    return values


def _put_back(values: Sequence[str], kept: dict[int, str]) -> Sequence[str]:
    if not kept:
        return values
    out = list(values)
    for i, value in kept.items():
        out[i] = value
    return out


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
    return search(str(f.value), v)  # RE2: checked when the recipe was loaded
