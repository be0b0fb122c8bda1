"""Recipes: load, check against recipe.schema.json, and explain mistakes by line.

A clerk edits these files by hand, so every mistake is reported with the
recipe's line number and, where there is a closed list, the valid choices.
A recipe may also come from someone hostile (uploads): what it may read, write and
make is bounded (portal.pipeline.guards, .patterns, .recipe_yaml) before anything runs.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from portal.catalogue.metadata import DatasetMetadata, MetadataInvalid
from portal.errors import Location, PortalError
from portal.localgov import Directory, is_valid
from portal.pipeline import patterns, recipe_yaml
from portal.pipeline.computed import Dedupe
from portal.pipeline.guards import (
    RecipeProblem,
    allowed_roots,
    check_id_template,
    check_stem,
    resolve_source,
)
from portal.pipeline.normalizers import REGISTRY
from portal.pipeline.recipe_columns import Column, ColumnProblem, build_column, build_dedupe
from portal.standards import Definition, Registry

SCHEMA_FILE = Path(__file__).with_name("recipe.schema.json")
OPTIONAL = {"date", "lgcode", "time_start", "time_end"}  # normalisers whose option may be left out


class RecipeInvalid(PortalError):
    code = "recipe-invalid"
    status = 422
    exit_code = 2
    template_en = "{detail}"
    template_ja = "{detail_ja}"
    hint_en = "fix the recipe (see the README: Recipes) and run again"
    hint_ja = "レシピを修正してから、もう一度実行してください（README「レシピ」参照）"


@dataclass
class Filter:
    column: str
    test: str  # equals, not_equals, in, not_in, empty, matches
    value: Any
    reason: str


@dataclass
class Recipe:
    path: Path
    title: str
    source: Path
    sheet: str | int | None
    header_row: int | None
    header_rows: int
    header_join: str
    encoding: str | None
    dataset: str
    lgcode: str
    stem: str | None
    constants: dict[str, str]
    columns: dict[str, Column]
    filters: list[Filter]
    ids: tuple[str, str] | None
    lines: dict[tuple[str, ...], int]  # where each key of the recipe is, for later messages
    metadata: DatasetMetadata = dataclasses.field(default_factory=DatasetMetadata)
    dedupe: Dedupe | None = None

    def line(self, *path: str) -> int | None:
        return self.lines.get(tuple(path))

    def error(self, path: tuple[str, ...], en: str, ja: str) -> RecipeInvalid:
        return RecipeInvalid(
            Location(file=self.path.name, line=self.line(*path)), detail=en, detail_ja=ja
        )

    def problem(self, path: tuple[str, ...], problem: RecipeProblem) -> RecipeInvalid:
        return self.error(path, problem.en, problem.ja)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def _parse(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    if not path.is_file():
        raise RecipeInvalid(
            Location(file=str(path)), detail="recipe not found", detail_ja="レシピが見つかりません"
        )
    try:
        return recipe_yaml.parse(recipe_yaml.read_text(path))
    except RecipeProblem as problem:
        where = Location(file=path.name, line=problem.line)
        raise RecipeInvalid(where, detail=problem.en, detail_ja=problem.ja) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise RecipeInvalid(
            Location(file=path.name, line=row),
            detail=f"not valid YAML: {getattr(exc, 'problem', exc)}",
            detail_ja="YAML として読めません（インデントや「:」の後の空白を確認してください）",
        ) from None


def _schema_error(
    path: Path, error: jsonschema.ValidationError, lines: dict[tuple[str, ...], int]
) -> RecipeInvalid:
    where = tuple(str(p) for p in error.absolute_path)
    dotted = ".".join(where) or "(top level)"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        key = extra[0] if extra else "?"
        en = f"'{key}' is not a key of {dotted}; valid keys: {', '.join(allowed)}"
        ja = f"「{key}」は {dotted} に書けるキーではありません。使えるキー: {', '.join(allowed)}"
        return RecipeInvalid(
            Location(file=path.name, line=lines.get((*where, key), lines.get(where))),
            detail=en,
            detail_ja=ja,
        )
    if error.validator == "required":
        en = f"{dotted}: {error.message}"
        ja = f"{dotted} に必要な項目がありません: {error.message}"
    elif error.validator in ("enum", "const"):
        choices = error.validator_value if error.validator == "enum" else [error.validator_value]
        en = f"{dotted}: '{error.instance}' is not allowed; valid: {', '.join(map(str, choices))}"
        ja = f"{dotted}: 「{error.instance}」は使えません。使える値: {', '.join(map(str, choices))}"
    elif error.validator in ("oneOf", "anyOf") and "description" in error.schema:
        en = f"{dotted}: '{error.instance}' does not fit: {error.schema['description']}"
        ja = f"{dotted} の書き方が正しくありません（「{error.instance}」）: {error.schema['description']}"
    else:
        # a wrong type (sum: 男 instead of a list): the key's own description says what fits
        told = f" ({error.schema['description']})" if "description" in error.schema else ""
        en = f"{dotted}: {error.message}{told}"
        ja = f"{dotted} の書き方が正しくありません: {error.message}{told}"
    return RecipeInvalid(Location(file=path.name, line=lines.get(where)), detail=en, detail_ja=ja)


def load(
    path: Path, registry: Registry, directory: Directory, source_roots: Sequence[Path] = ()
) -> Recipe:
    """Read and check a recipe; raises RecipeInvalid naming the line of the first mistake.

    Its source must be inside the recipe's own folder or one of `source_roots`
    (Settings.source_roots); its output stem is a plain file name.
    """
    data, lines = _parse(path)
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(
        validator.iter_errors(data), key=lambda e: (len(e.absolute_path), str(e.absolute_path))
    )
    if errors:
        raise _schema_error(path, errors[0], lines)
    recipe = _build(path, data, lines, allowed_roots(path, source_roots))
    definition = _check_target(recipe, registry, directory)
    _check_fields(recipe, definition)
    _check_normalizers(recipe)
    _check_bounds(recipe)
    return recipe


def _build(
    path: Path, data: dict[str, Any], lines: dict[tuple[str, ...], int], roots: Sequence[Path]
) -> Recipe:
    src, target = data["source"], data["target"]
    columns = {}
    for name, spec in data["columns"].items():
        try:
            columns[name] = build_column(name, spec)
        except ColumnProblem as problem:
            where = Location(file=path.name, line=lines.get(problem.path))
            raise RecipeInvalid(where, detail=problem.en, detail_ja=problem.ja) from None
    filters = []
    for f in data.get("filters", []):
        test = next(
            k for k in ("equals", "not_equals", "in", "not_in", "empty", "matches") if k in f
        )
        filters.append(Filter(f["column"], test, f[test], f.get("reason", "")))
    ids = data.get("ids")
    return Recipe(
        path=path,
        title=data.get("title", path.stem),
        source=_resolve_source(path, src["path"], lines, roots),
        sheet=src.get("sheet"),
        header_row=src.get("header_row"),
        header_rows=src.get("header_rows", 1),
        header_join=src.get("header_join", ""),
        encoding=src.get("encoding"),
        dataset=target["dataset"],
        lgcode=target["lgcode"],
        stem=target.get("stem"),
        constants={k: str(v) for k, v in (data.get("constants") or {}).items()},
        columns=columns,
        filters=filters,
        ids=(ids["field"], ids["template"]) if ids else None,
        lines=lines,
        metadata=_metadata(path, data.get("metadata"), lines),
        dedupe=build_dedupe(data.get("dedupe")),
    )


def _metadata(path: Path, given: Any, lines: dict[tuple[str, ...], int]) -> DatasetMetadata:
    """The recipe's `metadata:` block, checked; a wrong value names the line of its key."""
    try:
        return DatasetMetadata.parse(given)
    except MetadataInvalid as exc:
        first = exc.fields[0] if exc.fields else ""
        where = Location(
            file=path.name, line=lines.get(("metadata", first), lines.get(("metadata",)))
        )
        raise MetadataInvalid(where, fields=exc.fields, **exc.params) from None


def _resolve_source(
    recipe: Path, pattern: str, lines: dict[tuple[str, ...], int], roots: Sequence[Path]
) -> Path:
    try:
        return resolve_source(recipe, pattern, roots)
    except RecipeProblem as problem:
        where = Location(file=recipe.name, line=lines.get(("source", "path")))
        raise RecipeInvalid(where, detail=problem.en, detail_ja=problem.ja) from None


def _check_target(recipe: Recipe, registry: Registry, directory: Directory) -> Definition:
    if recipe.dataset not in registry:
        keys = [d.key for d in registry.all() if d.fields]
        close = difflib.get_close_matches(recipe.dataset, keys, n=3)
        raise recipe.error(("target", "dataset"), f"unknown dataset '{recipe.dataset}'" + (f"; did you mean {', '.join(close)}?" if close else f"; valid: {', '.join(keys)}"),
                           f"標準データセット「{recipe.dataset}」はありません" + (f"（{'、'.join(close)} ですか？）" if close else ""))  # fmt: skip
    if not is_valid(recipe.lgcode) or directory.get(recipe.lgcode) is None:
        raise recipe.error(("target", "lgcode"), f"'{recipe.lgcode}' is not an existing 全国地方公共団体コード",
                           f"「{recipe.lgcode}」は存在する全国地方公共団体コードではありません")  # fmt: skip
    return registry.get(recipe.dataset)


def _check_fields(recipe: Recipe, definition: Definition) -> None:
    names = definition.field_names
    named = [("columns", f) for f in recipe.columns] + [("constants", f) for f in recipe.constants]
    if recipe.ids:
        named.append(("ids", recipe.ids[0]))
    if recipe.dedupe:
        named += [("dedupe", f) for f in recipe.dedupe.fields]
    for section, name in named:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            path = {"ids": ("ids", "field"), "dedupe": ("dedupe", "fields")}.get(
                section, (section, name)
            )
            raise recipe.error(path, f"'{name}' is not a field of {definition.key}{hint}",
                               f"「{name}」は {definition.title_ja} の項目ではありません" + (f"（{'、'.join(close)} ですか？）" if close else ""))  # fmt: skip


def _check_normalizers(recipe: Recipe) -> None:
    for name, column in recipe.columns.items():
        for i, (norm, option) in enumerate(column.normalize):
            path = ("columns", name, "normalize", str(i))
            spec = REGISTRY.get(norm)
            if spec is None:
                raise recipe.error(path, f"unknown normaliser '{norm}'; valid: {', '.join(sorted(REGISTRY))}",
                                   f"正規化「{norm}」はありません。使えるもの: {', '.join(sorted(REGISTRY))}")  # fmt: skip
            if spec.option is None and option is not None:
                raise recipe.error(
                    path,
                    f"normaliser '{norm}' takes no option",
                    f"正規化「{norm}」にはオプションを付けられません",
                )
            if spec.option is not None:
                if option is None and norm not in OPTIONAL:
                    raise recipe.error(
                        path,
                        f"normaliser '{norm}' needs an option: {spec.help}",
                        f"正規化「{norm}」にはオプションが必要です: {spec.help}",
                    )
                if option is not None:
                    _check_option(recipe, path, norm, option, spec.option)


def _check_option(
    recipe: Recipe, path: tuple[str, ...], norm: str, option: Any, schema_: dict[str, Any]
) -> None:
    """A normaliser's option against its schema; a misspelt key gets the valid ones."""
    try:
        jsonschema.validate(option, schema_)
    except jsonschema.ValidationError as exc:
        known = sorted(exc.schema.get("properties", {}))
        if exc.validator == "additionalProperties" and isinstance(exc.instance, dict):
            key = sorted(set(exc.instance) - set(known))[0]
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise recipe.error(path, f"'{key}' is not an option of '{norm}'{hint}; valid: {', '.join(known)}",
                               f"「{key}」は正規化「{norm}」のオプションではありません。使えるもの: {', '.join(known)}") from None  # fmt: skip
        # oneOf: the sub-schema that came closest says what is wrong ("'street' is not one of …")
        message = (
            jsonschema.exceptions.best_match(exc.context).message if exc.context else exc.message
        )
        raise recipe.error(
            path,
            f"option of '{norm}': {message}",
            f"正規化「{norm}」のオプションが正しくありません: {message}",
        ) from None


def _check_bounds(recipe: Recipe) -> None:
    """What the schema cannot say: a safe output name, IDs of bounded size, regexes RE2 runs."""
    checks: list[tuple[tuple[str, ...], Callable[[], object]]] = []
    if recipe.stem is not None:
        checks.append((("target", "stem"), partial(check_stem, recipe.stem)))
    if recipe.ids:
        checks.append((("ids", "template"), partial(check_id_template, recipe.ids[1])))
    for i, f in enumerate(recipe.filters):
        if f.test == "matches":
            checks.append(
                (("filters", str(i), "matches"), partial(patterns.compile_pattern, str(f.value)))
            )
    for name, column in recipe.columns.items():
        for i, (norm, option) in enumerate(column.normalize):
            if norm == "replace":
                replace = partial(patterns.replacement, option["pattern"], option.get("with", ""))
                checks.append((("columns", name, "normalize", str(i)), replace))
    for path, check in checks:
        try:
            check()
        except RecipeProblem as problem:
            raise recipe.problem(path, problem) from None
