"""`convert()`: a recipe's source table → the standard dataset's files, validated."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from portal.errors import InputUnreadable, Location, PortalError
from portal.formats import SourceInfo, open_table
from portal.layout import HEAD_ROWS, find_header, is_blank, is_sparse, is_subheader, join_header
from portal.localgov import load as load_directory
from portal.pipeline import recipe as recipes
from portal.pipeline.guards import RecipeProblem, check_stem
from portal.pipeline.normalizers import Context
from portal.pipeline.transform import Outcome, Transformer
from portal.pipeline.writers import DatasetWriter
from portal.settings import Settings
from portal.standards import Definition, Registry
from portal.validation import Report, StreamValidator
from portal.validation.render import to_html, to_json

CHUNK = 5_000


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
class Layout:
    header_row: int
    header_rows: int
    header: list[str]
    title_rows: list[int] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    note_rows: list[int] = field(default_factory=list)

    def notes(self) -> list[tuple[str, str]]:
        out = []
        if self.title_rows:
            out.append(
                (
                    f"rows {_span(self.title_rows)} taken as a title",
                    f"{_span(self.title_rows)}行目はタイトルとして読み飛ばしました",
                )
            )
        if self.header_rows > 1:
            rows = list(range(self.header_row, self.header_row + self.header_rows))
            out.append(
                (
                    f"rows {_span(rows)} joined into one header",
                    f"{_span(rows)}行目の見出しを1行にまとめました",
                )
            )
        if self.blank_rows:
            out.append(
                (
                    f"blank rows skipped: {_list(self.blank_rows)}",
                    f"空行を読み飛ばしました: {_list(self.blank_rows)}行目",
                )
            )
        if self.note_rows:
            out.append(
                (
                    ("rows {} are notes" if len(self.note_rows) > 1 else "row {} is a note").format(
                        _span(self.note_rows)
                    )
                    + " under the table, skipped",
                    f"{_span(self.note_rows)}行目は表の下の注記のため読み飛ばしました",
                )
            )
        return out


def _span(rows: list[int]) -> str:
    return (
        f"{rows[0]}–{rows[-1]}"
        if len(rows) > 1 and rows[-1] - rows[0] == len(rows) - 1
        else _list(rows)
    )


def _list(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10]))
    return shown + (f" … ({len(rows)} rows)" if len(rows) > 10 else "")


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
    settings: Settings,
    out_dir: Path | None = None,
    *,
    bom: bool = False,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Conversion:
    started = time.perf_counter()
    registry, directory = Registry(settings.datasets_dir), load_directory()
    recipe = recipes.load(recipe_path, registry, directory, settings.source_roots)
    definition = registry.get(recipe.dataset)
    stem = recipe.stem or definition.file_name(recipe.lgcode).removesuffix(".csv")
    try:  # the recipe's own stem is checked on load; this one may come from a definition
        check_stem(stem)
    except RecipeProblem as problem:
        raise recipe.problem(("target", "stem"), problem) from None
    out_dir = out_dir or settings.data_dir / "converted" / recipe.path.stem
    ctx = Context(directory=directory, publisher=directory.get(recipe.lgcode))
    with open_table(recipe.source, sheet=recipe.sheet, encoding=recipe.encoding) as table:
        rows = iter(table.rows())
        head = list(islice(rows, HEAD_ROWS))
        layout = _layout(recipe, head)
        transformer = Transformer(recipe, definition, layout.header, ctx)
        first = layout.header_row + layout.header_rows
        data = _data_rows(chain(head[first - 1 :], rows), first, len(layout.header), layout)
        writer = DatasetWriter(out_dir, stem, definition, bom=bom)
        checker = StreamValidator(settings, definition, recipe.lgcode, f"{stem}.csv")
        try:
            _write(transformer, data, (writer, checker), progress)
            transformer.outcome.sort()
            if strict and (transformer.outcome.skipped or transformer.outcome.unread):
                raise _rejected(transformer.outcome)
        except BaseException:
            writer.abandon()
            raise
        files = writer.finish(_package_extra(recipe, table.info))
        info = table.info
    report = checker.finish()
    conversion = Conversion(
        recipe, definition, info, layout, transformer.outcome, files, report, 0.0
    )
    _write_reports(conversion, out_dir, stem)
    conversion.seconds = time.perf_counter() - started
    return conversion


def _layout(recipe: recipes.Recipe, head: list[list[str]]) -> Layout:
    if recipe.header_row:
        header_row = recipe.header_row
        if header_row > len(head):
            raise _header_beyond(recipe, header_row, len(head))
        titles = [i + 1 for i in range(header_row - 1) if not is_blank(head[i])]
    else:
        known = {s for c in recipe.columns.values() for s in c.sources} | {
            f.column for f in recipe.filters
        }
        found = find_header(head, known)
        if found.header_row == 0:
            raise InputUnreadable(Location(file=recipe.source.name), detail="no table found: every row is empty",
                                  detail_ja="表が見つかりません（すべての行が空です）")  # fmt: skip
        header_row, titles = found.header_row, found.title_rows
    rows = recipe.header_rows
    if (
        rows == 1
        and header_row < len(head)
        and is_subheader(head[header_row - 1], head[header_row])
    ):
        rows = 2
    parts = head[header_row - 1 : header_row - 1 + rows]
    header = join_header(parts, recipe.header_join) if rows > 1 else [c.strip() for c in parts[0]]
    return Layout(header_row, rows, header, titles)


def _header_beyond(recipe: recipes.Recipe, header_row: int, seen: int) -> recipes.RecipeInvalid:
    """header_row past the rows read for the header: the file is shorter, or the header is
    deeper than the HEAD_ROWS in which a header is looked for."""
    if seen < HEAD_ROWS:
        en, ja = f"the file has only {seen} rows", f"ファイルは {seen} 行しかありません"
    else:
        en, ja = (
            f"a header is read from the first {HEAD_ROWS} rows",
            f"見出し行は先頭 {HEAD_ROWS} 行から探します",
        )
    return recipe.error(
        ("source", "header_row"),
        f"header_row is {header_row}, but {en}; give the row number of the column names",
        f"header_row が {header_row} ですが、{ja}。列名の行の番号を指定してください",
    )


def _data_rows(
    rows: Iterator[list[str]], first: int, width: int, layout: Layout
) -> Iterator[tuple[int, list[str]]]:
    """Data rows with their numbers; blank rows skipped and notes under the table held back
    (both recorded in `layout`, so the report lists every row that was not read)."""
    held: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows, start=first):
        if is_sparse(row, width):
            held.append((number, row))
            continue
        for n, r in held:
            if is_blank(r):
                layout.blank_rows.append(n)
            else:
                yield n, r
        held = []
        yield number, row
    layout.blank_rows += [n for n, r in held if is_blank(r)]
    layout.note_rows += [n for n, r in held if not is_blank(r)]


def _write(
    transformer: Transformer,
    rows: Iterator[tuple[int, list[str]]],
    sinks: tuple[DatasetWriter, StreamValidator],
    progress: Callable[[int], None] | None,
) -> None:
    """Each chunk of standard rows goes to the files and to the validator."""
    writer, checker = sinks
    while batch := list(islice(rows, CHUNK)):
        out = transformer.chunk([n for n, _ in batch], [r for _, r in batch])
        writer.write(out)
        checker.add(out)
        if progress:
            progress(len(batch))


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
        "portal": {"recipe": recipe.path.name, "lgcode": recipe.lgcode, "dataset": recipe.dataset},
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
