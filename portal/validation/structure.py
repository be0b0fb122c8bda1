"""The shape of a table as frictionless sees it: labels, blank rows, short and long rows.

Rules (bench/FRICTIONLESS-SEMANTICS.md §b, §c): columns map by position; a
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
    expected: list[str]  # expected fields: labelled schema fields, then extra labelled columns
    missing: list[frozenset[str]]  # each expected field's missing values
    required: list[bool]

    @classmethod
    def build(cls, header: list[str], schema: Schema) -> Frame:
        labels = [h.strip() for h in header]
        names = [f.name for f in schema.fields]
        checked = min(len(labels), len(names))
        extra = _dedupe(labels[len(names) :], set(names))
        default = frozenset(schema.missing_values)
        missing = [
            frozenset(f.missing_values) if f.has_defined("missing_values") else default
            for f in schema.fields[:checked]
        ] + [default] * len(extra)
        required = [bool(f.constraints.get("required")) for f in schema.fields[:checked]]
        return cls(
            labels,
            names,
            checked,
            names[:checked] + extra,
            missing,
            required + [False] * len(extra),
        )

    def label_findings(self, make: Make, raw: list[str]) -> list[Finding]:
        out = []
        for i in range(len(self.names), len(self.labels)):
            out.append(make("extra-label", field_number=i + 1, value=self.labels[i]))
        for i in range(len(self.labels), len(self.names)):
            out.append(make("missing-label", field=self.names[i], field_number=i + 1))
        seen: dict[str, int] = {}
        for i in range(self.checked):
            label, name, where = (
                self.labels[i],
                self.names[i],
                {"field": self.names[i], "field_number": i + 1},
            )
            if not label:
                out.append(make("blank-label", **where))
            elif label in seen:
                out.append(
                    make("duplicate-label", value=label, note=f"at position {seen[label]}", **where)
                )
            elif label != name:
                out.append(make("incorrect-label", value=label, fix=name, **where))
            elif raw[i] != label:
                out.append(make("surrounding-space", value=raw[i], fix=label, **where))
            seen.setdefault(label, i + 1)
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
        cells: list[Any] = list(row[: self.checked])
        return cells + [None] * (len(self.names) - len(cells))
