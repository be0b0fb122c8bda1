"""The columnar driver: frictionless's semantics, the standard's rules, one pass.

Rows arrive in chunks and are turned into columns. Each distinct value of a
column is judged once — by frictionless's own cell reader (types and
constraints, exactly as `frictionless validate` judges them) and by the
standard's cell checks — and the verdict is cached, so a 200k-row file with a
few thousand distinct values per column costs a few thousand judgements.
Structure (labels, blank rows, short and long rows, unique IDs) follows
frictionless's rules; row checks compare columns within a row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

from portal.localgov import Directory, LocalGov
from portal.normalize.text import remove_invisible, strip_spaces
from portal.standards import Definition
from portal.validation import catalogue
from portal.validation.catalogue import Finding
from portal.validation.checks import (
    CELL_CHECKS,
    ROW_CHECKS,
    CellContext,
    Issue,
    RowCheck,
    RowContext,
)
from portal.validation.checks.base import by_char
from portal.validation.column_map import ColumnMap
from portal.validation.columns import (
    Column,
    last_filled,
    positions,
    read_value,
    screen,
    share_clean_values,
    suspects,
)
from portal.validation.duplicates import DuplicateRows
from portal.validation.frictionless_verdicts import CONSTRAINT_CODES, frictionless_verdict
from portal.validation.report import Findings
from portal.validation.rulesets import RuleSet
from portal.validation.structure import REQUIRED_NOTE, Frame

# Distinct values whose verdicts a column keeps; past it the cache starts again, so that
# memory does not grow with the rows of a big file (a code or name column is mostly distinct).
CACHE_VALUES = 20_000


class TableValidator:
    """Validates one table against one definition; findings go to `findings`."""

    def __init__(
        self,
        definition: Definition,
        header: list[str],
        ruleset: RuleSet,
        directory: Directory,
        publisher: LocalGov | None,
        findings: Findings,
        columns: ColumnMap | None = None,
    ) -> None:
        self.definition = definition
        self.header = header
        self.ruleset = ruleset
        self.directory = directory
        self.findings = findings
        schema = definition.table_schema
        self.width = len(schema.fields)
        names = [
            ruleset.cell_checks(f.name, definition.fields[i].get("kind"), f.type)
            for i, f in enumerate(schema.fields)
        ]
        self.columns = [
            Column(
                index=i,
                name=f.name,
                descriptor=definition.fields[i],
                read=f.create_cell_reader(),
                checks=[CELL_CHECKS[n] for n in names[i]],
                unique=bool(f.constraints.get("unique")),
                screen=screen(names[i]),
                screen_by_char=by_char(screen(names[i])),
                needs_read=f.type != "string"
                or bool(f.format and f.format != "default")
                or bool(f.constraints),
                missing=frozenset(
                    f.missing_values if f.has_defined("missing_values") else schema.missing_values
                ),
            )
            for i, f in enumerate(schema.fields)
        ]
        share_clean_values(self.columns, names)
        self.frame = Frame.build(header, schema, columns)  # columns: which feeds which field
        self.every_field_checks = [CELL_CHECKS[n] for n in ruleset.every_field]
        ctx = RowContext(directory=directory, publisher=publisher)
        present = set(definition.field_names)
        self.row_checks: list[RowCheck] = []
        for spec in ruleset.row_checks():
            check = ROW_CHECKS[spec["check"]](spec, ctx)
            if set(check.required_fields()) <= present:
                self.row_checks.append(check)
        self.by_name = {c.name: c for c in self.columns}
        self.rows = 0
        self.duplicates = DuplicateRows()

    # Findings

    def _severity(self, issue: Issue) -> str | None:
        """A rule set's override, else the check's verdict, else (None) the catalogue's."""
        return self.ruleset.severity.get(issue.code) or issue.severity

    def _make(self, code: str, **kwargs: Any) -> Finding:
        severity = self.ruleset.severity.get(code)
        return catalogue.make(code, severity=severity, **kwargs)

    # Header

    def check_labels(self) -> None:
        """Labels against the schema by position, as frictionless does."""
        self.findings.extend(self.frame.label_findings(self._make, self.header))

    # Rows

    def check_chunk(self, numbers: Sequence[int], rows: Sequence[list[str]]) -> None:
        pending: dict[tuple[int, str], list[Finding]] = {}
        kept_numbers, kept = self._structure(numbers, rows, pending)
        for number, first in self.duplicates.check(kept_numbers, kept):
            pending.setdefault((number, ""), []).append(
                self._make("duplicate-row", row=number, first=first)
            )
        if kept:
            columns = list(zip(*kept, strict=True))
            for col in self.columns:
                self._column(col, columns[col.index], kept_numbers, pending)
            by_name = {col.name: columns[col.index] for col in self.columns}
            for check in self.row_checks:
                self._row_check(check, kept_numbers, by_name, pending)
        for found in pending.values():
            self.findings.extend(found)

    def _structure(
        self,
        numbers: Sequence[int],
        rows: Sequence[list[str]],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> tuple[list[int], list[Sequence[str | None]]]:
        """Blank, short and long rows; returns the rows to check cell by cell, as schema columns."""
        kept_numbers: list[int] = []
        kept: list[Sequence[str | None]] = []
        frame, width = self.frame, self.width
        plain = frame.plain
        expected, first_missing = (
            len(frame.expected),
            frame.missing[0] if frame.missing else frozenset(),
        )
        self.rows += len(rows)
        if plain and expected and set(map(len, rows)) <= {expected}:
            if first_missing.isdisjoint(map(itemgetter(0), rows)):
                return list(numbers), list(rows)  # the common case: every row full, none blank
        for number, row in zip(numbers, rows, strict=True):
            if plain and len(row) == expected and row[0] not in first_missing:
                kept_numbers.append(number)  # the common case: a full row, not blank
                kept.append(row)
                continue
            if frame.is_blank(row):
                self.findings.add(self._make("blank-row", row=number))
                continue
            if not any(row):
                # Empty cells that a field takes as a value ("" for the hazard flags): not blank
                # for frictionless, which checks the row; still a blank row to a person.
                self.findings.add(self._make("blank-row", row=number))
            if len(row) != len(frame.expected):
                for f in frame.shape_findings(number, row, self._make, self._required_missing):
                    pending.setdefault((number, f.field or ""), []).append(f)
            kept_numbers.append(number)
            kept.append(row if plain and len(row) == width else frame.schema_cells(row))
        return kept_numbers, kept

    def _required_missing(self, number: int, name: str) -> Finding:
        col = self.by_name[name]
        where = {"field": name, "field_number": col.index + 1, "value": None}
        code, params = frictionless_verdict(col.descriptor, col.kind, "required")
        return self._make(
            code, note=REQUIRED_NOTE, type="constraint-error", row=number, **where, **params
        )

    def _column(
        self,
        col: Column,
        values: Sequence[str | None],
        numbers: list[int],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> None:
        bad = self._bad_values(col, values)
        if not col.has_data and any(values):
            col.has_data = True
        if col.unique:
            self._unique(col, values, numbers, pending)
        if not bad:
            col.last_value = last_filled(values, col.last_value)
            return
        ditto = {v for v in bad if any(f.code == "ditto-mark" for f in col.cache[v])}
        if ditto:
            self._place_with_dittos(col, values, numbers, bad, ditto, pending)
            return
        cache, name = col.cache, col.name
        for i in positions(values, bad):
            found = pending.setdefault((numbers[i], name), [])
            found += (dataclasses.replace(t, row=numbers[i]) for t in cache[values[i]])  # type: ignore[index]
        col.last_value = last_filled(values, col.last_value)

    def _bad_values(self, col: Column, values: Sequence[str | None]) -> set[str]:
        """The distinct values of this chunk with a finding, each judged once while cached.
        A column that only our screened checks look at caches only the values its screen
        picks out: a column of codes, one per row, would otherwise cache every row."""
        present = set(values)
        present.discard(None)  # absent cells (short rows) are reported as missing-cell
        texts = cast(set[str], present)
        if col.screen is not None and not col.needs_read:
            texts = suspects(col, texts)
        # Verdicts depend on the value alone: past the limit, values are judged again if seen.
        if len(col.clean) > CACHE_VALUES:
            col.clean.clear()
        if len(col.cache) > CACHE_VALUES:
            col.cache.clear()
        unknown = texts.difference(col.clean)
        if not unknown:
            return unknown
        new = unknown.difference(col.cache)
        if new:
            self._judge_all(col, new)
        return unknown.intersection(col.cache)

    def _place_with_dittos(
        self,
        col: Column,
        values: Sequence[str | None],
        numbers: list[int],
        bad: set[str],
        ditto: set[str],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> None:
        """Findings in row order: a ditto mark's fix is the last value above it."""
        for i, value in enumerate(values):
            if value in bad:
                for template in col.cache[value]:
                    finding = dataclasses.replace(template, row=numbers[i])
                    if finding.code == "ditto-mark":
                        finding = self._ditto(col, finding)
                    pending.setdefault((numbers[i], col.name), []).append(finding)
            if value and value not in ditto:
                col.last_value = value

    def _ditto(self, col: Column, finding: Finding) -> Finding:
        fix = col.last_value
        shown = {"fix_en": f" ({fix})" if fix else "", "fix_ja": f"（{fix}）" if fix else ""}
        return self._make(
            "ditto-mark", row=finding.row, field=col.name, field_number=col.index + 1,
            value=finding.value, fix=fix, type=finding.type, **shown,
        )  # fmt: skip

    def _unique(
        self,
        col: Column,
        values: Sequence[str | None],
        numbers: list[int],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> None:
        """Duplicates compared as frictionless compares them: after casting (1, 01, +1 collide)."""
        seen, casts = col.first_seen, col.cast
        for i, value in enumerate(values):
            if value is None or value in col.missing:
                continue
            key = casts.get(value)
            if key is None:
                key = casts[value] = repr(read_value(col, value)[0])
            first = seen.get(key)
            if first is None:
                seen[key] = numbers[i]
                continue
            finding = self._make(
                "unique-error", row=numbers[i], field=col.name, field_number=col.index + 1, value=value,
                note=f"the same as in the row at position {first}", note_ja=f"{first}行目と同じ",
                type="unique-error",
            )  # fmt: skip
            pending.setdefault((numbers[i], col.name), []).append(finding)

    def _judge_all(self, col: Column, values: set[str]) -> None:
        """Judge values not seen before and cache the verdicts."""
        for value in values:
            verdict = self._judge(col, value)
            if verdict:
                col.cache[value] = verdict
            else:
                col.clean.add(value)

    def _judge(self, col: Column, value: str) -> tuple[Finding, ...]:
        """Everything wrong with one value of one column, rows left blank."""
        _, notes = read_value(col, value)
        issues: list[Issue] = []
        if value != "":
            ctx = CellContext(col.name, col.kind, col.descriptor, self.directory, notes)
            checks = col.checks
            cleaned = remove_invisible(strip_spaces(value))
            if cleaned != value and cleaned and not read_value(col, cleaned)[1]:
                # Only spaces or invisible characters are wrong: `surrounding-space` and
                # `invisible-char` say so; other checks would echo it.
                checks = [c for c in checks if c in self.every_field_checks]
            for check in checks:
                issues += check(value, ctx)
        return tuple(self._merge(col, value, notes, issues))

    def _merge(
        self, col: Column, value: str, notes: dict[str, str], issues: list[Issue]
    ) -> list[Finding]:
        """One finding per problem: ours where it explains frictionless's, frictionless's otherwise."""
        open_types = {("type-error" if k == "type" else "constraint-error"): k for k in notes}
        out: list[Finding] = []
        where: dict[str, Any] = {"field": col.name, "field_number": col.index + 1, "value": value}
        for issue in issues:
            fl_type = next((t for t in catalogue.explains(issue.code) if t in open_types), None)
            note = notes.get(open_types.pop(fl_type), "") if fl_type else issue.note
            severity = "error" if fl_type else self.ruleset.severity.get(issue.code)
            out.append(
                catalogue.make(
                    issue.code,
                    fix=issue.fix,
                    note=note,
                    type=fl_type,
                    severity=severity,
                    **where,
                    **issue.params,
                )
            )
        for fl_type, key in open_types.items():
            code, params = frictionless_verdict(col.descriptor, col.kind, key)
            out.append(self._make(code, note=notes[key], type=fl_type, **where, **params))
        return out

    def _row_check(
        self,
        check: RowCheck,
        numbers: list[int],
        columns: Mapping[str, Sequence[str | None]],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> None:
        for index, field_name, issue in check.run(numbers, columns):
            self._place(index, field_name, issue, columns, numbers, pending)

    def _place(
        self,
        index: int,
        field_name: str,
        issue: Issue,
        columns: Mapping[str, Sequence[str | None]],
        numbers: list[int],
        pending: dict[tuple[int, str], list[Finding]],
    ) -> None:
        """Add a row check's finding, taking the place of the frictionless error it explains."""
        row = numbers[index]
        explained = catalogue.explains(issue.code)
        cell = pending.get((row, field_name), [])
        generic = [f for f in cell if f.type in explained and f.code in CONSTRAINT_CODES.values()]
        fl_type = generic[0].type if generic else None
        if generic:
            cell.remove(generic[0])
        col = self.by_name[field_name]
        finding = catalogue.make(
            issue.code, row=row, field=field_name, field_number=col.index + 1,
            value=columns[field_name][index], fix=issue.fix, note=issue.note, type=fl_type,
            severity="error" if fl_type else self._severity(issue), **issue.params,
        )  # fmt: skip
        pending.setdefault((row, field_name), []).append(finding)

    def finish(self) -> None:
        """Column-wide findings: blank columns, and columns that should not be empty."""
        for col in self.columns:
            label = self.frame.label_of(col.index, self.header)
            where = {"field": col.name, "field_number": col.index + 1}
            if label is not None and not label.strip() and not col.has_data:
                self.findings.add(self._make("blank-column", **where))
            elif (
                self.rows
                and not col.has_data
                and self.frame.labelled(col.index)
                and col.name in self.ruleset.empty_columns
            ):
                self.findings.add(self._make("column-empty", **where))
