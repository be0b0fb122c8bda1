"""`portal datasets import-spec`: update definitions from the official 定義書.

The workbook is read whole before anything is written, so a broken sheet
leaves every definition as it was.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.standards import field_rules
from portal.standards.definition import Definition
from portal.standards.registry import Registry
from portal.standards.workbook import SpecRow, SpecSheet, read_sheets

COMPARED = ("type", "format", "constraints", "missingValues")


@dataclass
class DatasetChange:
    key: str
    sheet: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reordered: bool = False
    requirement: list[tuple[str, str, str]] = field(default_factory=list)
    format: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.reordered or self.requirement or self.format)


@dataclass
class ImportReport:
    workbook: Path
    revision: str
    dry_run: bool
    changes: list[DatasetChange] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would be updated" if self.dry_run else "updated"
        out = [f"{self.workbook.name} (revision {self.revision}):"]
        for c in self.changes:
            out.append(f"  {c.key} ← {c.sheet}: {verb if c.changed else 'unchanged'}")
            out += [f"    + {n}" for n in c.added] + [f"    - {n}" for n in c.removed]
            if c.reordered:
                out.append("    ~ field order")
            out += [f"    区分 {n}: {a} → {b}" for n, a, b in c.requirement]
            out += [f"    形式 {n}: {a} → {b}" for n, a, b in c.format]
        out += [f"  skipped {s}: {why}" for s, why in self.skipped]
        n = sum(c.changed for c in self.changes)
        out.append(
            f"{n} dataset(s) {verb}, {len(self.changes) - n} unchanged, {len(self.skipped)} sheet(s) skipped"
        )
        return out


def import_workbook(
    path: Path, datasets_dir: Path, dry_run: bool = False, revision: str | None = None
) -> ImportReport:
    sheets, skipped = read_sheets(path)
    registry = Registry(datasets_dir)
    report = ImportReport(
        path, revision or _revision_from_name(path.name), dry_run, skipped=skipped
    )
    titles = {_title_key(d.title_ja): d for d in registry.all() if d.version == "current"}
    updates: list[Definition] = []
    for sheet in sheets:
        existing = titles.get(_title_key(sheet.title))
        if existing is None:
            report.skipped.append((sheet.sheet, f"no standard dataset is titled {sheet.title}"))
            continue
        updated = _apply(existing, sheet, path.name, report.revision)
        change = diff(existing, updated, sheet.sheet)
        report.changes.append(change)
        if change.changed:
            updates.append(updated)
    if not dry_run:
        for definition in updates:
            definition.write(datasets_dir)
    return report


def _title_key(title: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", title))


def _revision_from_name(name: str) -> str:
    m = re.search(r"(20\d{2})(\d{2})(\d{2})", name)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else "unknown"


def _apply(existing: Definition, sheet: SpecSheet, book: str, revision: str) -> Definition:
    rules = field_rules.load()
    fields, notes = [], {}
    for row in sheet.rows:
        descriptor = field_descriptor(row, rules)
        fields.append(descriptor)
        if not row.spec_format:
            shape = rules.shape(row.name)
            notes[row.name] = {"format": f"形式 blank in the 定義書; inferred (rule: {shape.rule})"}
    meta = copy.deepcopy(existing.meta)
    meta.update(
        spec_revision=revision,
        basis="workbook",
        basis_note=f"read from the 定義書 workbook {book}, sheet {sheet.sheet}",
        sources=[f"{book} sheet {sheet.sheet}"],
        field_notes=notes,
    )
    return Definition(key=existing.key, meta=meta, schema={"fields": fields})


def field_descriptor(row: SpecRow, rules: field_rules.FieldRules) -> dict[str, Any]:
    shape = rules.shape(row.name, row.spec_format)
    descriptor: dict[str, Any] = {"name": row.name, **copy.deepcopy(shape.descriptor)}
    if row.requirement == "required":
        descriptor.setdefault("constraints", {})["required"] = True
    descriptor["requirement"] = row.requirement
    if shape.rule != "text":
        descriptor["kind"] = shape.rule
    for key, value in (
        ("spec_format", row.spec_format),
        ("example", row.example),
        ("key_en", row.key_en),
        ("description_ja", row.description),
    ):
        if value:
            descriptor[key] = value
    return descriptor


def diff(old: Definition, new: Definition, sheet: str) -> DatasetChange:
    change = DatasetChange(key=old.key, sheet=sheet)
    before = {f["name"]: f for f in old.fields}
    after = {f["name"]: f for f in new.fields}
    change.added = [n for n in after if n not in before]
    change.removed = [n for n in before if n not in after]
    kept_old = [n for n in before if n in after]
    kept_new = [n for n in after if n in before]
    change.reordered = kept_old != kept_new
    for name in kept_new:
        a, b = before[name], after[name]
        if a.get("requirement") != b.get("requirement"):
            change.requirement.append((name, a.get("requirement", "?"), b.get("requirement", "?")))
        shape_a = {k: a.get(k) for k in COMPARED}
        shape_b = {k: b.get(k) for k in COMPARED}
        if shape_a != shape_b:
            change.format.append((name, _summary(a), _summary(b)))
    return change


def _summary(f: dict[str, Any]) -> str:
    text = f["type"] + (f"/{f['format']}" if "format" in f else "")
    extra = {k: v for k, v in f.get("constraints", {}).items() if k != "required"}
    return text + (f" {extra}" if extra else "")
