"""An upload's recipe: made by suggest, shown as the mapping form, edited one field at a time
or replaced whole, and checked as `portal convert` checks one (portal.pipeline.recipe).

The recipe is the same YAML `portal convert` reads, its source the upload's file beside it
(`source/<name>`), so a downloaded recipe converts the same file on a clerk's machine."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from portal.errors import Location
from portal.localgov import Directory
from portal.pipeline import recipe as recipes
from portal.pipeline import recipe_yaml
from portal.pipeline.guards import RecipeProblem
from portal.pipeline.normalizers import REGISTRY
from portal.pipeline.suggest import Suggestion
from portal.standards import Registry
from portal.submissions.errors import MappingEditInvalid, SourceNotUpload
from portal.submissions.files import RECIPE_FILE, SOURCE_DIR
from portal.submissions.views import FieldMapping, Mapping, MappingEdit, Normaliser, NormaliserInfo

SUGGESTED_FIELDS = "fields"  # suggested[...]: field -> {confidence, reason}
SOURCE_COLUMNS = "columns"  # suggested[...]: the upload's header
DOUBTS = "doubts"  # suggested[...]: [{en, ja}] what a person must know about the dataset chosen


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def from_suggestion(suggestion: Suggestion, folder: Path, lgcode: str | None) -> str:
    """The suggested recipe's YAML, with suggest's comments (why each match, what to check).
    `lgcode`: the uploader's municipality, when suggest found no publisher in the file."""
    if suggestion.lgcode is None and lgcode is not None:
        suggestion.lgcode, suggestion.lgcode_reason = lgcode, "the uploading organization"
    return suggestion.to_yaml(folder)


def suggested(suggestion: Suggestion) -> dict[str, Any]:
    """What the mapping form shows beside the recipe: each match's confidence and reason,
    the source's columns in their order, and the doubts about the dataset (a kind of table
    the reference lacks, candidates too close to call)."""
    fields = {m.field: {"confidence": round(m.confidence, 2), "reason": m.reason}
              for m in suggestion.matches}  # fmt: skip
    doubts = [{"en": en, "ja": ja} for en, ja in suggestion.doubts]
    return {SUGGESTED_FIELDS: fields, SOURCE_COLUMNS: list(suggestion.samples), DOUBTS: doubts}


def check(folder: Path, text: str, registry: Registry, directory: Directory,
          source: Path) -> recipes.Recipe:  # fmt: skip
    """Write `text` as the upload's recipe and load it as `portal convert` would (422
    recipe-invalid naming the line); its source must be the upload's own file. No source
    roots: an upload's recipe reads nothing outside its folder."""
    path = write(folder, text)
    recipe = recipes.load(path, registry, directory, ())
    if recipe.source.resolve() != source.resolve():
        line = recipe.line("source", "path")
        raise SourceNotUpload(Location(file=RECIPE_FILE, line=line), line=line,
                              expected=f"{SOURCE_DIR}/{source.name}", found=recipe.source.name)  # fmt: skip
    return recipe


def write(folder: Path, text: str) -> Path:
    path = folder / RECIPE_FILE
    path.write_text(text, encoding="utf-8")
    return path


def data_of(text: str) -> dict[str, Any]:
    """A checked recipe's data (its text was loaded by `check` before it was kept)."""
    try:
        data, _ = recipe_yaml.parse(text)
    except (RecipeProblem, yaml.YAMLError):  # not reached for a kept recipe
        return {}
    return data if isinstance(data, dict) else {}


def mapping(text: str, registry: Registry, suggestion: dict[str, Any]) -> Mapping:
    """The recipe as the form shows it: every field of the standard dataset, in order."""
    data = data_of(text)
    target, columns = data.get("target", {}), data.get("columns") or {}
    constants, ids = data.get("constants") or {}, data.get("ids") or {}
    definition = registry.get(target.get("dataset", ""))
    scored = suggestion.get(SUGGESTED_FIELDS, {})
    fields = []
    for name in definition.field_names:
        spec = columns.get(name) or {}
        sources = spec.get("from") or spec.get("sum") or _marked_columns(spec)
        fields.append(FieldMapping(
            field=name, required=name in definition.required_fields,
            sources=[sources] if isinstance(sources, str) else list(sources),
            join=spec.get("join", ""),
            constant=None if name not in constants else str(constants[name]),
            normalize=[_step(n) for n in spec.get("normalize", [])],
            numbered=ids.get("field") == name,
            confidence=scored.get(name, {}).get("confidence"),
            reason=scored.get(name, {}).get("reason", ""),
        ))  # fmt: skip
    header = list(suggestion.get(SOURCE_COLUMNS, []))
    used = {s for f in fields for s in f.sources}
    return Mapping(dataset=definition.key, dataset_title=definition.title_ja,
                   lgcode=str(target.get("lgcode", "")), fields=fields, source_columns=header,
                   unused_columns=[c for c in header if c not in used])  # fmt: skip


def _marked_columns(spec: dict[str, Any]) -> list[str]:
    """The columns of a `marked:` field (実施サービス from 訪問介護 ○ …), shown as its sources."""
    columns = (spec.get("marked") or {}).get("columns") or []
    return [str(c) for c in columns]  # a list, or a mapping column → label (its keys)


def _step(entry: str | dict[str, Any]) -> Normaliser:
    if isinstance(entry, str):
        return Normaliser(name=entry)
    ((name, option),) = entry.items()
    return Normaliser(name=str(name), option=option)


def check_edit(edit: MappingEdit, current: Mapping) -> None:
    """What the recipe's own check cannot see: a field of this dataset, columns of this file."""
    fields = [f.field for f in current.fields]
    if edit.field not in fields:
        raise MappingEditInvalid(
            detail=f"'{edit.field}' is not a field of {current.dataset}",
            detail_ja=f"「{edit.field}」は {current.dataset_title} の項目ではありません",
        )
    unknown = [s for s in edit.sources if s not in current.source_columns]
    if edit.kind == "column" and (not edit.sources or unknown):
        shown = ", ".join(unknown) or "(none)"
        raise MappingEditInvalid(
            detail=f"{edit.field}: the file has no column {shown}; its columns: "
            + ", ".join(current.source_columns),
            detail_ja=f"{edit.field}: ファイルに列「{shown}」はありません。列: "
            + "、".join(current.source_columns),
        )
    if edit.kind == "constant" and not (edit.constant or "").strip():
        raise MappingEditInvalid(
            detail=f"{edit.field}: a constant needs a value",
            detail_ja=f"{edit.field}: 固定値を入力してください",
        )


def edited(text: str, edit: MappingEdit) -> str:
    """The recipe with one field's mapping replaced (its comments are not kept: the form's
    edit is structured; suggest's confidence stays in the database)."""
    data = data_of(text)
    columns = dict(data.get("columns") or {})
    constants = dict(data.get("constants") or {})
    old = columns.pop(edit.field, {})
    constants.pop(edit.field, None)
    steps = old.get("normalize", []) if edit.normalize is None else [
        n.name if n.option is None else {n.name: n.option} for n in edit.normalize]  # fmt: skip
    if edit.kind == "column":
        column: dict[str, Any] = {
            "from": edit.sources[0] if len(edit.sources) == 1 else edit.sources
        }
        if edit.join:
            column["join"] = edit.join
        if steps:
            column["normalize"] = steps
        columns[edit.field] = column
    elif edit.kind == "constant":
        constants[edit.field] = edit.constant or ""
    data["columns"], data["constants"] = columns, constants
    if not constants:
        del data["constants"]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 16)


def normaliser_infos() -> list[NormaliserInfo]:
    return [NormaliserInfo(name=name, help=spec.help, option_schema=spec.option)
            for name, spec in sorted(REGISTRY.items())]  # fmt: skip
