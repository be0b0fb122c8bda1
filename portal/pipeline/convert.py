"""`convert()`: a recipe's source table → the standard dataset's files, validated."""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from portal.errors import PortalError
from portal.formats import SourceInfo
from portal.formats.layout_reader import HeaderRowBeyond, Layout, TableRead, data_rows, read_table
from portal.pipeline import plausible
from portal.pipeline import recipe as recipes
from portal.pipeline.choice import Context as Said
from portal.pipeline.choice import datasets_named
from portal.pipeline.guards import RecipeProblem, check_stem
from portal.pipeline.normalizers import Context
from portal.pipeline.profile import profile_columns
from portal.pipeline.transform import Outcome, Transformer, rows_of
from portal.pipeline.writers import DatasetWriter
from portal.standards import Definition, Registry
from portal.validation import Report, StreamValidator
from portal.validation.catalogue import Finding
from portal.validation.render import to_html, to_json
from portal.workspace import Workspace

CHUNK = 5_000
# Source rows whose values the mapping-plausibility check looks at (the first ones): enough to
# tell a column of ○ from a column of codes, few enough to cost nothing on a big file.
SAMPLE_ROWS = 1_000
# A conversion allocates a few containers per row (the rows of each chunk) and keeps almost none:
# with the default threshold (700) the cycle collector ran thousands of times over every
# long-lived object (the local government directory, the caches), a fifth of a CSV's
# conversion time. Collections are made rarer while rows stream, and the objects alive when
# the conversion starts are left out of them (gc.freeze).
GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = gc.get_threshold()


class ConversionRejected(PortalError):
    """`--strict`: rows were left out or values could not be read; nothing was written."""

    code = "conversion-rejected"
    status = 422
    template_en = "{count} problem(s) in the source with --strict: {first}; nothing was written"
    template_ja = (
        "--strict 指定のため中止しました（{count}件、最初: {first_ja}）。何も書き出していません"
    )
    hint_en = "fix the source or the recipe, or run without --strict to see them in the report"
    hint_ja = "元の表かレシピを直すか、--strict なしで実行してレポートを確認してください"


@dataclass
class Conversion:
    recipe: recipes.Recipe
    definition: Definition
    source: SourceInfo
    layout: Layout
    outcome: Outcome
    files: dict[str, Path]
    report: Report
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "recipe": self.recipe.path.name,
            "dataset": self.definition.key,
            "lgcode": self.recipe.lgcode,
            "source": {
                "file": str(self.source.path),
                "format": self.source.format,
                "encoding": self.source.encoding,
                "sheet": self.source.sheet,
            },
            "layout": {
                "header_row": self.layout.header_row,
                "notes": [{"en": en, "ja": ja} for en, ja in self.layout.notes()],
            },
            "rows_in": self.outcome.rows_in,
            "rows_out": self.outcome.rows_out,
            "skipped": [
                {"row": s.row, "reason_en": s.reason_en, "reason_ja": s.reason_ja}
                for s in self.outcome.skipped
            ],
            "unread": [
                {
                    "row": u.row,
                    "field": u.field,
                    "value": u.value,
                    "reason_en": u.reason_en,
                    "reason_ja": u.reason_ja,
                    "action": u.action,
                }
                for u in self.outcome.unread
            ],
            "files": {k: p.name for k, p in self.files.items()},
            "valid": self.report.valid,
            "validation": {"errors": self.report.errors, "warnings": self.report.warnings},
            "seconds": round(self.seconds, 3),
        }


def convert(
    recipe_path: Path,
    workspace: Workspace,
    out_dir: Path | None = None,
    *,
    bom: bool = False,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Conversion:
    started = time.perf_counter()
    registry, directory = workspace.registry, workspace.directory
    recipe = recipes.load(recipe_path, registry, directory, workspace.source_roots)
    definition = registry.get(recipe.dataset)
    stem = recipe.stem or definition.file_name(recipe.lgcode).removesuffix(".csv")
    try:  # the recipe's own stem is checked on load; this one may come from a definition
        check_stem(stem)
    except RecipeProblem as problem:
        raise recipe.problem(("target", "stem"), problem) from None
    out_dir = out_dir or workspace.converted_dir / recipe.path.stem
    ctx = Context(directory=directory, publisher=directory.get(recipe.lgcode))
    with _read(recipe) as table, _fewer_collections():
        layout = table.layout
        transformer = Transformer(recipe, definition, layout.names, ctx)
        data = data_rows(table.rows, layout)
        writer = DatasetWriter(out_dir, stem, definition, bom=bom)
        checker = StreamValidator(workspace, definition, recipe.lgcode, f"{stem}.csv")
        try:
            sample = _write(transformer, data, (writer, checker), progress)
            transformer.outcome.sort()
            if strict and (transformer.outcome.skipped or transformer.outcome.unread):
                raise _rejected(transformer.outcome)
        except BaseException:
            writer.abandon()
            raise
        files = writer.finish(_package_extra(recipe, table.info))
        info = table.info
    report = checker.finish()
    found = _implausible(recipe, (definition, registry), layout.names, sample, ctx)
    found += plausible.named_otherwise(
        datasets_named(registry, _said(recipe, info, layout)), definition
    )
    report.findings.extend(found)
    conversion = Conversion(
        recipe, definition, info, layout, transformer.outcome, files, report, 0.0
    )
    _write_reports(conversion, out_dir, stem)
    conversion.seconds = time.perf_counter() - started
    return conversion


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Rarer cycle collections for the time rows stream; the first conversion in of several
    running at once sets it, the last out restores the threshold as it found it."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(GC_THRESHOLD, *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)
                gc.unfreeze()


@contextmanager
def _read(recipe: recipes.Recipe) -> Iterator[TableRead]:
    """The recipe's source table, read as the recipe says; a header_row past the file is
    reported at the recipe's line."""
    known = {s for c in recipe.columns.values() for s in c.sources} | {
        f.column for f in recipe.filters
    }
    try:
        with read_table(
            recipe.source,
            sheet=recipe.sheet,
            encoding=recipe.encoding,
            known=known,
            header_row=recipe.header_row,
            header_rows=recipe.header_rows,
            header_join=recipe.header_join,
        ) as read:
            yield read
    except HeaderRowBeyond as beyond:
        raise _header_beyond(recipe, beyond) from None


def _header_beyond(recipe: recipes.Recipe, beyond: HeaderRowBeyond) -> recipes.RecipeInvalid:
    return recipe.error(
        ("source", "header_row"), beyond.params["detail"], beyond.params["detail_ja"]
    )


def _write(
    transformer: Transformer,
    rows: Iterator[tuple[int, list[str]]],
    sinks: tuple[DatasetWriter, StreamValidator],
    progress: Callable[[int], None] | None,
) -> list[list[str]]:
    """Each chunk of standard rows goes to the files and to the validator; returns the
    first SAMPLE_ROWS source rows, for the plausibility check."""
    writer, checker = sinks
    sample: list[list[str]] = []
    while batch := list(islice(rows, CHUNK)):
        if len(sample) < SAMPLE_ROWS:
            sample += (r for _, r in batch[: SAMPLE_ROWS - len(sample)])
        columns = transformer.columns([n for n, _ in batch], [r for _, r in batch])
        out = rows_of(columns)
        writer.write(out, columns)
        checker.add(out)
        if progress:
            progress(len(batch))
    return sample


def _implausible(
    recipe: recipes.Recipe,
    target: tuple[Definition, Registry],
    header: list[str],
    sample: list[list[str]],
    ctx: Context,
) -> list[Finding]:
    """`mapping-implausible`: the mapping does not look like the dataset (a wrong dataset).
    A table of no rows has no values to judge: its header is the validator's."""
    definition, registry = target
    if not sample:
        return []
    # str(): a source may be a reference to the second of two same-named columns (電話番号#2)
    mapping = {
        name: [str(s) for s in column.sources]
        for name, column in recipe.columns.items()
        if not _address_code(column.normalize)
    }
    profiles = profile_columns(header, sample, ctx.directory)
    used = [str(f.column) for f in recipe.filters]
    return plausible.check(mapping, profiles, definition, used, registry.all())


def _said(recipe: recipes.Recipe, info: SourceInfo, layout: Layout) -> Said:
    """What the file says about itself besides its columns: name, sheet, title rows."""
    sheet = info.sheet if info.format != "csv" else None
    return Said(recipe.source.name, sheet, tuple(layout.title_texts))


def _address_code(normalize: Sequence[tuple[str, Any]]) -> bool:
    """Whether the field is the code of the address's municipality ({address: lgcode}): its
    values are codes made from the address column, so judging that column's values against
    the field's kind (codes) would call a right mapping implausible."""
    return any(
        name == "address"
        and (option == "lgcode" or isinstance(option, dict) and option.get("part") == "lgcode")
        for name, option in normalize
    )


def _rejected(outcome: Outcome) -> ConversionRejected:
    first_en = first_ja = ""
    if outcome.skipped:
        s = outcome.skipped[0]
        first_en, first_ja = (
            f"row {s.row} left out ({s.reason_en})",
            f"{s.row}行目を除外（{s.reason_ja}）",
        )
    elif outcome.unread:
        u = outcome.unread[0]
        first_en, first_ja = (
            f"row {u.row} {u.field} '{u.value}': {u.reason_en}",
            f"{u.row}行目 {u.field}「{u.value}」: {u.reason_ja}",
        )
    return ConversionRejected(
        count=len(outcome.skipped) + len(outcome.unread), first=first_en, first_ja=first_ja
    )


def _package_extra(recipe: recipes.Recipe, info: SourceInfo) -> dict[str, Any]:
    return {
        "sources": [{"title": info.path.name}],
        "portal": {"recipe": recipe.path.name, "lgcode": recipe.lgcode, "dataset": recipe.dataset}
        | ({"metadata": recipe.metadata.to_dict()} if not recipe.metadata.empty else {}),
    }


def _write_reports(conversion: Conversion, out_dir: Path, stem: str) -> None:
    (out_dir / f"{stem}.validation.json").write_text(to_json(conversion.report), encoding="utf-8")
    (out_dir / f"{stem}.validation.html").write_text(to_html(conversion.report), encoding="utf-8")
    (out_dir / f"{stem}.conversion.json").write_text(
        json.dumps(conversion.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    conversion.files["validation"] = out_dir / f"{stem}.validation.json"
    conversion.files["validation_html"] = out_dir / f"{stem}.validation.html"
    conversion.files["conversion"] = out_dir / f"{stem}.conversion.json"
