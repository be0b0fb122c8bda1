"""The shape of a table as frictionless sees it: labels, blank rows, short and long rows.

Rules (bench/FRICTIONLESS-SEMANTICS.md §b, §c): columns map by position (unless a
ColumnMap says which column feeds which field: by name first, see column_map.py); a
schema field without a label is not checked at all; a label without a schema
field becomes an untyped column named after it; a row is blank when every
expected cell is a missing value for its field (for the evacuation hazard flags
"" is a value, so a row of empty cells is not blank there); a short row gets
`required` (if the field is required) and `missing-cell` for each absent cell; a
long row gets `extra-cell` for each surplus cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frictionless import Schema

from portal.validation.catalogue import Finding
from portal.validation.column_map import POSITION, ColumnMap, positional

Make = Callable[..., Finding]
REQUIRED_NOTE = 'constraint "required" is "True"'


def _dedupe(names: list[str], taken: set[str]) -> list[str]:
    """frictionless names an extra column after its label, adding 2, 3, … on a clash."""
    out = []
    for name in names:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}{n}", n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


@dataclass
class Frame:
    labels: list[str]  # the header cells, stripped as frictionless strips them
    names: list[str]  # the schema's field names
    checked: int  # schema fields that have a label (and so are checked)
    expected: list[str]  # per column of the file: the field it feeds, or its own (extra) name
    missing: list[frozenset[str]]  # each expected field's missing values
    required: list[bool]
    columns: ColumnMap  # which column feeds which field, and how that was decided

    @classmethod
    def build(cls, header: list[str], schema: Schema, columns: ColumnMap | None = None) -> Frame:
        """Columns by position as frictionless takes them, unless `columns` says otherwise."""
        labels = [h.strip() for h in header]
        names = [f.name for f in schema.fields]
        if columns is None:
            sources = positional(len(labels), len(names))
            hows = tuple(POSITION if s is not None else None for s in sources)
            columns = ColumnMap(tuple(header), tuple(names), sources, hows)
        feeds = {s: j for j, s in enumerate(columns.sources) if s is not None}
        extra = iter(_dedupe([lb for c, lb in enumerate(labels) if c not in feeds], set(names)))
        default = frozenset(schema.missing_values)
        fields = [schema.fields[feeds[c]] if c in feeds else None for c in range(len(labels))]
        return cls(
            labels,
            names,
            len(feeds),
            [f.name if f is not None else next(extra) for f in fields],
            [
                frozenset(f.missing_values)
                if f is not None and f.has_defined("missing_values")
                else default
                for f in fields
            ],  # fmt: skip
            [f is not None and bool(f.constraints.get("required")) for f in fields],
            columns,
        )

    @property
    def plain(self) -> bool:
        """The file's columns are the schema's, in its order: rows need no rearranging."""
        return self.columns.in_place and len(self.labels) == len(self.names)

    def labelled(self, index: int) -> bool:
        """Whether the schema field at `index` has a column in the file (and is checked)."""
        return self.columns.sources[index] is not None

    def label_of(self, index: int, raw: Sequence[str]) -> str | None:
        source = self.columns.sources[index]
        return raw[source] if source is not None and source < len(raw) else None

    def label_findings(self, make: Make, raw: list[str]) -> list[Finding]:
        out = self._duplicates(make)
        duplicate = {f.field_number for f in out}
        sources, hows = self.columns.sources, self.columns.hows
        for c, label in enumerate(self.labels):
            if self.columns.field_of(c) is None and c + 1 not in duplicate:
                out.append(make("extra-label", field_number=c + 1, value=label))
        for j, name in enumerate(self.names):
            source = sources[j]
            if source is None:
                out.append(make("missing-label", field=name, field_number=j + 1))
            elif source + 1 not in duplicate:
                out += self._label_finding(make, raw, j, source, hows[j])
        return out

    def _label_finding(
        self, make: Make, raw: list[str], j: int, source: int, how: str | None
    ) -> list[Finding]:
        label, name = self.labels[source], self.names[j]
        where = {"field": name, "field_number": source + 1}
        if not label:
            return [make("blank-label", **where)]
        out = []
        if label != name:
            out.append(make("incorrect-label", value=label, fix=name, **where))
        elif raw[source] != label:
            out.append(make("surrounding-space", value=raw[source], fix=label, **where))
        if j in self.columns.moved:
            out.append(make("column-order", value=label, position=j + 1, **where))
        return out

    def _duplicates(self, make: Make) -> list[Finding]:
        """A name used twice: one finding on each later column, naming the first's position."""
        out, seen = [], dict[str, int]()
        for c, label in enumerate(self.labels):
            if label and label in seen:
                j = self.columns.field_of(c)
                out.append(make(
                    "duplicate-label", value=label, field=self.names[j] if j is not None else None,
                    field_number=c + 1, note=f"columns {seen[label]} and {c + 1}",
                    columns_ja=f"{seen[label]}列目と{c + 1}列目",
                ))  # fmt: skip
            seen.setdefault(label, c + 1)
        return out

    def is_blank(self, row: Sequence[str]) -> bool:
        """frictionless's blank row: every expected cell absent or a missing value."""
        missing = self.missing
        return all(j >= len(row) or row[j] in missing[j] for j in range(len(self.expected)))

    def shape_findings(
        self,
        number: int,
        row: Sequence[str],
        make: Make,
        generic_required: Callable[[int, str], Finding],
    ) -> list[Finding]:
        """Findings for a row whose length is not the number of expected fields."""
        out: list[Finding] = []
        width = len(self.expected)
        for j in range(width, len(row)):
            out.append(make("extra-cell", row=number, field_number=j + 1, value=row[j]))
        for j in range(len(row), width):
            name = self.expected[j]
            if self.required[j]:
                out.append(generic_required(number, name))
            out.append(make("missing-cell", row=number, field=name, field_number=j + 1))
        return out

    def schema_cells(self, row: Sequence[str]) -> list[Any]:
        """The row as the schema's columns: labelled ones from the file, the others None."""
        width = len(row)
        return [row[s] if s is not None and s < width else None for s in self.columns.sources]
