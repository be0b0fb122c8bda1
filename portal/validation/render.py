"""Reports for people: a terminal table (rich) and a standalone HTML page."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from portal.validation.column_map import HOW_WORDS, POSITION
from portal.validation.report import Report

SHOWN_PER_GROUP = 5  # first findings of a group shown in full; the rest are counted


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def print_text(report: Report, console: Console) -> None:
    verdict = "[green]適合 / valid[/]" if report.valid else "[red]要修正 / not valid[/]"
    dataset = (
        f"{report.title_ja} ({report.dataset})" if report.dataset else "— (not a standard layout)"
    )
    console.print(f"[bold]{escape(report.file)}[/]: {verdict}", highlight=False)
    console.print(
        f"dataset {escape(dataset)} · {report.format}"
        + (f" {report.encoding}" if report.encoding else "")
        + f" · header row {report.header_row} · {report.rows} rows · "
        f"{report.errors} errors, {report.warnings} warnings",
        highlight=False,
    )
    for c in matched_columns(report):
        mark = "[yellow]![/] " if c["how"] == POSITION else ""
        console.print(
            f"  {mark}{c['column']}列目 {escape(c['label'])} → {escape(c['field'])}: "
            f"{c['how_ja']} / {c['how_en']}" + (" (順序違い / out of order)" if c["moved"] else ""),
            highlight=False,
        )
    groups = report.findings.ordered_groups()
    if not groups:
        return
    table = Table(show_lines=True)
    for col in ("", "問題 / problem", "件数", "行 / rows", "例 / example", "修正案 / fix"):
        table.add_column(col, overflow="fold")
    for g in groups:
        first = g.findings[0]
        rows = [str(f.row) for f in g.findings[:SHOWN_PER_GROUP] if f.row is not None]
        more = "…" if g.count > len(rows) and rows else ""
        mark = "[red]✗[/]" if g.severity == "error" else "[yellow]![/]"
        table.add_row(
            mark,
            escape(f"{first.code}" + (f"\n{g.field}" if g.field else "")),
            str(g.count),
            ", ".join(rows) + more,
            escape(first.message_ja),
            escape(first.fix or ""),
        )
    console.print(table)


def matched_columns(report: Report) -> list[dict[str, Any]]:
    """The columns not simply where the standard puts them under its name: how each was
    matched to its field (a name, a synonym, or its position alone)."""
    out = []
    for c in report.detection.get("columns", []):
        if c["field"] is not None and (c["how"] != "exact" or c["moved"]):
            en, ja = HOW_WORDS[c["how"]]
            out.append({**c, "how_en": "matched by " + en, "how_ja": ja + "で対応"})
    return out


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")


def to_html(report: Report) -> str:
    """A standalone page (no external assets), grouped by problem; reused by the upload UI."""
    data = report.to_dict()
    groups: list[dict[str, Any]] = []
    for g, group in zip(data["groups"], report.findings.ordered_groups(), strict=True):
        shown = group.findings[:SHOWN_PER_GROUP]
        more_rows = ", ".join(str(f.row) for f in group.findings[SHOWN_PER_GROUP:][:10] if f.row)
        groups.append({**g, "shown": shown, "more_rows": more_rows})
    context = {**data, "n_errors": report.errors, "n_warnings": report.warnings,
               "rows": report.rows, "stats_seconds": data["stats"]["seconds"]}  # fmt: skip
    return _template().render(r=context, groups=groups, matched=matched_columns(report))
