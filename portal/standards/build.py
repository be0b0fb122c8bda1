"""Compose dataset definitions (schema.json + dataset.yaml) from the reference files.

For each standard dataset the current version takes its field list and order
from the best source present (spec sheet > headers of published files > the
legacy list as a fallback) and each field's format from the best row that
names it. Whatever was not read from the spec is recorded as a note.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frictionless import Field

from portal.standards import field_rules
from portal.standards.definition import Definition
from portal.standards.reference import (
    OBSERVED_FILE,
    RefDataset,
    RefField,
    field_files,
    read_datasets,
    read_fields,
    reference_map,
)

LAYOUT_PREFERENCE = ("spec", "implementation", "observed-header", "observed-file")
# Kinds whose labels date the spec revision they copy (an implementation's label dates its
# own commit, not the spec's).
REVISION_KINDS = ("spec", "partial-spec")
CURRENT_TAG = "自治体標準ODS"
LEGACY_TAG = "推奨データセット"

BASIS_NOTES = {
    "spec": "field list, order, 区分 and 形式 read from a copy of the spec sheet",
    "implementation": "field list and order from the layout a CMS exports, saying it follows the "
    "standard (not the spec sheet; which revision it follows is inferred); 区分 (requirement) not "
    "read, so nothing is enforced as required",
    "observed-header": "field list and order from headers of real published files; "
    "区分 (requirement) not read, so nothing is enforced as required",
    "observed-file": "field list and order from one published file said to follow the "
    "standard; 区分 (requirement) not read",
    "legacy-fallback": "no current layout found; the legacy 推奨データセット field list is used "
    "until the 定義書 is imported (`portal datasets import-spec`)",
    "legacy": "the legacy 推奨データセット (基本編), from a structured copy of its definitions; "
    "it tells required fields apart but not recommended from optional",
    "none": "no field list is known; import the 定義書 workbook to fill it",
}


REQUIREMENT_NOT_READ = {
    "observed-header": "区分 not read (the field list comes from published files): not enforced",
    "implementation": "区分 not read (the field list comes from a CMS's export layout): "
    "not enforced",
}


@dataclass(frozen=True)
class Context:
    """What composing one field may consult besides its own row."""

    version: str  # "current" | "legacy"
    same_dataset: list[RefField]
    spec_by_name: dict[str, RefField]
    rules: field_rules.FieldRules
    # Spec rows that carry an English key, by field name: the standard gives common fields
    # (名称, 緯度, 所在地_連結表記 …) one key across its sheets, so a field whose own row has
    # none borrows it, with a note (only the 公衆トイレ sheet's keys were read so far).
    key_en_by_name: dict[str, RefField] = field(default_factory=dict)
    additions: dict[str, str] = field(default_factory=dict)  # file → basis (reference_map.yaml)


def compose_all(reference_dir: Path) -> list[Definition]:
    base = reference_dir / "standard-datasets"
    datasets = read_datasets(base / "datasets.csv")
    fields = read_fields(OBSERVED_FILE)
    additions: dict[str, str] = {}  # file name → its basis, for the files read besides fields.csv
    for source in field_files():
        fields += read_fields(base / source.name, columns=source.columns)
        if source.basis:
            additions[source.name] = source.basis
    by_slug: dict[str, list[RefField]] = defaultdict(list)
    for f in fields:
        by_slug[f.slug].append(f)
    spec_by_name: dict[str, RefField] = {}
    key_en_by_name: dict[str, RefField] = {}
    for f in sorted(fields, key=lambda f: f.spec_version, reverse=True):
        if f.kind == "spec":
            spec_by_name.setdefault(f.name, f)
            if f.key_en:
                key_en_by_name.setdefault(f.name, f)
    rules = field_rules.load()
    out = []
    for ds in datasets:
        rows = by_slug.get(ds.slug, [])
        current = Context("current", rows, spec_by_name, rules, key_en_by_name, additions)
        out.append(compose_current(ds, rows, current))
        legacy = [r for r in rows if r.kind == "legacy"]
        if legacy:
            out.append(compose_legacy(ds, legacy, Context("legacy", rows, spec_by_name, rules)))
    return out


def _layout(rows: list[RefField]) -> tuple[str, list[RefField]]:
    for kind in LAYOUT_PREFERENCE:
        of_kind = [r for r in rows if r.kind == kind]
        if of_kind:
            return kind, _largest_version(of_kind)
    legacy = [r for r in rows if r.kind == "legacy"]
    return ("legacy-fallback", _largest_version(legacy)) if legacy else ("none", [])


def _largest_version(rows: list[RefField]) -> list[RefField]:
    by_version: dict[str, list[RefField]] = defaultdict(list)
    for r in rows:
        by_version[r.spec_version].append(r)
    best = max(by_version.values(), key=len, default=[])
    return sorted(best, key=lambda r: r.order)


def compose_current(ds: RefDataset, rows: list[RefField], ctx: Context) -> Definition:
    basis, layout = _layout(rows)
    revision = "unknown"
    dated = layout and basis in REVISION_KINDS
    if dated and (m := re.search(r"(\d{4}-\d{2}-\d{2})", layout[0].spec_version)):
        revision = m.group(1)
    meta = _meta(ds, "current", basis, revision)
    if difference := _layout_difference(layout, rows):
        meta["layout_difference"] = difference
    if layout and layout[0].file in ctx.additions:
        meta["layout_file"] = f"{layout[0].file}: {ctx.additions[layout[0].file]}"
        meta["coverage_note"] = (
            f"the current layout comes from {layout[0].file}, read after the coverage above was written"
        )
    definition = _definition(ds.slug, meta, layout, ctx)
    if layout and layout[0].file in ctx.additions:
        _add_observations(definition, layout)
    return definition


def _add_observations(definition: Definition, layout: list[RefField]) -> None:
    """A field note of what the reference row says about this field alone (its notes less
    the opening every row of the layout shares): the additions record what the file showed."""
    shared = os.path.commonprefix([r.notes for r in layout])
    rests = [r.notes[len(shared) :] for r in layout]
    if not all(not rest or rest.startswith("; ") for rest in rests):
        shared = shared[: max(shared.rfind("; "), 0)]  # back to the last whole part
    notes = definition.meta["field_notes"]
    for row in layout:
        own = row.notes[len(shared) :].removeprefix(";").strip()
        if own:
            notes.setdefault(row.name, {})["observed"] = own


def _layout_difference(layout: list[RefField], rows: list[RefField]) -> str:
    """How the layout chosen differs from another current field list of the dataset that
    lost to it (the 45 columns a CMS exports against the 42 of published files)."""
    if not layout:
        return ""
    chosen = layout[0].spec_version
    others = [r for r in rows if r.kind in ("observed-header", "observed-file")]
    other = _largest_version([r for r in others if r.spec_version != chosen] or [])
    if not other:
        return ""
    names, other_names = [r.name for r in layout], [r.name for r in other]
    added = [n for n in names if n not in other_names]
    lacked = [n for n in other_names if n not in names]
    if not added and not lacked:
        return ""
    return (
        f"chosen over {other[0].spec_version} ({len(other_names)} columns): "
        f"adds {', '.join(added) or 'nothing'}; lacks {', '.join(lacked) or 'nothing'}"
    )


def compose_legacy(ds: RefDataset, rows: list[RefField], ctx: Context) -> Definition:
    meta = _meta(ds, "legacy", "legacy", "v1 (pre-2021)")
    return _definition(f"legacy/{ds.slug}", meta, _largest_version(rows), ctx)


def _definition(key: str, meta: dict[str, Any], layout: list[RefField], ctx: Context) -> Definition:
    fields, notes = [], {}
    for row in layout:
        descriptor, field_notes = compose_field(row, ctx)
        fields.append(descriptor)
        if field_notes:
            notes[row.name] = field_notes
    if layout:
        meta["layout_source"] = layout[0].spec_version
    meta["sources"] = _sources(meta.pop("dataset_sources"), layout)
    meta["field_notes"] = notes
    return Definition(key=key, meta=meta, schema={"fields": fields})


def _meta(ds: RefDataset, version: str, basis: str, revision: str) -> dict[str, Any]:
    extra = reference_map()["datasets"].get(ds.slug, {})
    file_name, file_note = _file_name(ds, extra)
    tag = extra.get("bodik_tag")
    meta: dict[str, Any] = {
        "slug": ds.slug,
        "version": version,
        "title_ja": ds.title_ja,
        "title_en": extra.get("title_en", ds.slug),
        "number": ds.number if version == "current" else ds.legacy_number,
        "legacy_number": ds.legacy_number if version == "current" else None,
        "spec_revision": revision,
        "basis": basis,
        "basis_note": BASIS_NOTES[basis],
        "coverage": ds.coverage,
        "file_name": file_name,
        "file_name_note": file_note,
        "tags": [CURRENT_TAG if version == "current" else LEGACY_TAG, tag] if tag else [],
        "bodik_api": extra.get("bodik_api", ds.slug),
        "dataset_sources": ds.sources,
    }
    return {k: v for k, v in meta.items() if v is not None}


def _file_name(ds: RefDataset, extra: dict[str, Any]) -> tuple[str, str | None]:
    m = re.search(r"\[団体コード\]_([a-z_]+)", ds.file_name_convention)
    if m:
        uncertain = re.search(r"uncertain|not confirmed", ds.file_name_convention)
        return f"{{lgcode}}_{m.group(1)}.csv", ds.file_name_convention if uncertain else None
    stem = extra.get("file_stem", ds.slug)
    note = extra.get("file_stem_note", "not confirmed: the slug is used as the file-name stem")
    return f"{{lgcode}}_{stem}.csv", note


def _sources(dataset_sources: str, layout: list[RefField]) -> list[str]:
    seen = [dataset_sources]
    for r in layout:
        if r.source not in seen:
            seen.append(r.source)
    return seen


def compose_field(row: RefField, ctx: Context) -> tuple[dict[str, Any], dict[str, str]]:
    """One Table Schema field and the notes on what was inferred for it."""
    fmt_row, fmt_note = _format_row(row, ctx)
    spec_format = fmt_row.spec_format if fmt_row else ""
    shape = ctx.rules.shape(row.name, spec_format)
    descriptor: dict[str, Any] = {"name": row.name}
    if row.gloss_en:
        descriptor["description"] = row.gloss_en
    descriptor.update(shape.descriptor)
    notes: dict[str, str] = {}
    if fmt_note or fmt_row is None:
        notes["format"] = fmt_note or _rule_note(shape)
    constraints = descriptor.setdefault("constraints", {})
    if shape.rule == "enumeration" and ctx.version == "current" and fmt_row is not row:
        allowed = " / ".join(constraints.pop("enum", []))
        notes["format"] = (
            notes.get("format", "") + f"; the legacy version allowed only {allowed}: not enforced"
        )
    requirement, req_note = _requirement(row, ctx)
    if req_note:
        notes["requirement"] = req_note
    if requirement == "required":
        constraints["required"] = True
    if not constraints:
        del descriptor["constraints"]
    descriptor["requirement"] = requirement
    if shape.rule != "text":
        descriptor["kind"] = shape.rule
    _add_custom(descriptor, row, fmt_row)
    if "example" in descriptor and not _example_fits(descriptor):
        # A Table Schema example must be a valid value (Frictionless checks it); a CMS's demo
        # value (2024/2/1 in a date field) is not one.
        notes["example"] = (
            f"the reference's example {descriptor.pop('example')!r} does not fit the field's "
            "format: left out"
        )
    if "key_en" not in descriptor and (borrowed := _borrowed_key_en(row, ctx)):
        descriptor["key_en"] = borrowed.key_en
        notes["key_en"] = (
            f"English key not read for this dataset; taken from the {borrowed.slug} spec sheet "
            "(same field name)"
        )
    return descriptor, notes


def _example_fits(descriptor: dict[str, Any]) -> bool:
    """Whether the example reads as the field's type, as Frictionless checks it (its constraints
    are not checked: the spec's 記入例 use placeholders such as ○○カイカン)."""
    field_ = Field.from_descriptor({k: v for k, v in descriptor.items() if k in TYPE_KEYS})
    _, problems = field_.read_cell(descriptor["example"])
    return not problems


TYPE_KEYS = ("name", "type", "format")


def _borrowed_key_en(row: RefField, ctx: Context) -> RefField | None:
    """The spec row of another dataset whose English key this field shares (current only:
    the legacy 推奨データセット had no English keys)."""
    if ctx.version != "current":
        return None
    other = ctx.key_en_by_name.get(row.name)
    return other if other is not None and other.slug != row.slug else None


def _format_row(row: RefField, ctx: Context) -> tuple[RefField | None, str]:
    """The row whose 形式 describes this field, and a note when it is not the field's own."""
    read_kinds = ("legacy",) if ctx.version == "legacy" else ("spec", "partial-spec")
    if row.spec_format and row.kind in read_kinds:
        return row, ""
    same = [r for r in ctx.same_dataset if r.name == row.name and r.spec_format]
    for r in same:
        if r.kind in read_kinds:
            return r, ""
    if ctx.version == "current":
        for r in same:
            if r.kind == "legacy":
                return (
                    r,
                    f"形式 not read for the current version; taken from the legacy 推奨データセット ({r.spec_format})",
                )
    other = ctx.spec_by_name.get(row.name)
    if other is not None:
        return (
            other,
            f"形式 not read for this dataset; taken from the {other.slug} spec sheet ({other.spec_format})",
        )
    return None, ""


def _rule_note(shape: field_rules.Shape) -> str:
    if shape.matched_on == "name":
        return f"形式 not read; inferred from the field name (rule: {shape.rule})"
    return "形式 not read; kept as free text"


def _requirement(row: RefField, ctx: Context) -> tuple[str, str]:
    if ctx.version == "legacy" or row.kind == "legacy":
        value = "required" if row.requirement == "required" else "not-required"
        note = "" if ctx.version == "legacy" else "区分 taken from the legacy 推奨データセット"
        return value, note
    if row.kind == "spec" and row.requirement in ("required", "recommended", "optional"):
        return row.requirement, ""
    legacy_required = any(
        r.name == row.name and r.kind == "legacy" and r.requirement == "required"
        for r in ctx.same_dataset
    )
    note = REQUIREMENT_NOT_READ.get(row.kind, REQUIREMENT_NOT_READ["observed-header"])
    if legacy_required:
        note += "; the legacy 推奨データセット required it"
    return "unknown", note


def _add_custom(descriptor: dict[str, Any], row: RefField, fmt_row: RefField | None) -> None:
    own = fmt_row if fmt_row is not None else row
    if own.spec_format:
        descriptor["spec_format"] = own.spec_format
    example = row.example or (fmt_row.example if fmt_row else "")
    if example:
        descriptor["example"] = example
    key_en = row.key_en or (fmt_row.key_en if fmt_row is row else "")
    if key_en:
        descriptor["key_en"] = key_en


@dataclass(frozen=True)
class BuildResult:
    key: str
    status: str  # created | updated | unchanged | kept (imported from a workbook)
    fields: int
    required: int


def build(reference_dir: Path, datasets_dir: Path, force: bool = False) -> list[BuildResult]:
    """Regenerate every definition under `datasets_dir` from the reference.

    A definition imported from the official 定義書 (`basis: workbook`) is better
    than anything the reference can give, so it is kept unless `force`.
    """
    results = []
    for definition in compose_all(reference_dir):
        status = ""
        if not force and (datasets_dir / definition.key).is_dir():
            existing = Definition.read(datasets_dir, definition.key)
            if existing.basis == "workbook":
                definition, status = existing, "kept (imported from a workbook)"
        status = status or definition.write(datasets_dir)
        results.append(
            BuildResult(
                definition.key, status, len(definition.fields), len(definition.required_fields)
            )
        )
    return results
