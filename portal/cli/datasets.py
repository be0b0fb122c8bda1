"""`portal datasets …`: the standard datasets the portal knows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from portal.cli.state import state
from portal.standards import Registry
from portal.standards.build import build
from portal.standards.specbook import import_workbook

app = typer.Typer(help="The standard datasets (schemas and metadata under datasets/).")

MARKS = {
    "required": "◎ 必須",
    "recommended": "○ 推奨",
    "optional": "任意",
    "not-required": "-",
    "unknown": "?",
}


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List every standard dataset: key, number, title, version, field and required counts."""
    st = state(ctx)
    registry = Registry(st.settings.datasets_dir)
    rows = [
        {
            "key": d.key,
            "number": d.number,
            "title_ja": d.title_ja,
            "version": d.version,
            "revision": d.meta.get("spec_revision", ""),
            "basis": d.basis,
            "fields": len(d.fields),
            "required": len(d.required_fields),
        }
        for d in registry.all()
    ]
    if as_json:
        st.out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"標準データセット / standard datasets ({len(rows)})")
    for col in ("key", "number", "title_ja", "version", "basis", "fields", "required"):
        table.add_column(col, justify="right" if col in ("fields", "required") else "left")
    for r in rows:
        version = r["version"] + (f" {r['revision']}" if r["revision"] != "unknown" else "")
        table.add_row(
            r["key"],
            r["number"],
            r["title_ja"],
            version,
            r["basis"],
            str(r["fields"]),
            str(r["required"]),
        )
    st.out.print(table)


@app.command()
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Dataset key, e.g. aed or legacy/aed.")],
    version: Annotated[
        str, typer.Option(help="current or legacy (same as legacy/KEY).")
    ] = "current",
) -> None:
    """Show a dataset's fields with their requirement (◎/○) and format."""
    st = state(ctx)
    d = Registry(st.settings.datasets_dir).get(key, version)
    st.out.print(f"[bold]{d.title_ja}[/] ({d.title_en}) — {d.key}, {d.number}, {d.version}")
    st.out.print(f"basis: {d.basis} — {d.meta.get('basis_note', '')}")
    st.out.print(
        f"file name: {d.meta.get('file_name', '')}   tags: {', '.join(d.meta.get('tags', []))}"
    )
    notes = d.meta.get("field_notes", {})
    table = Table()
    for col in ("#", "field", "区分", "type", "constraints", "形式 (spec)", "note"):
        table.add_column(col)
    for i, f in enumerate(d.fields, start=1):
        constraints = {k: v for k, v in f.get("constraints", {}).items() if k != "required"}
        table.add_row(
            str(i),
            f["name"],
            MARKS.get(f.get("requirement", "unknown"), "?"),
            f["type"] + (f"/{f['format']}" if "format" in f else ""),
            json.dumps(constraints, ensure_ascii=False) if constraints else "",
            f.get("spec_format", ""),
            "inferred" if f["name"] in notes else "",
        )
    st.out.print(table)
    if notes:
        st.out.print(f"[dim]inferred: see field_notes in {d.key}/dataset.yaml[/]")


@app.command("build")
def build_(
    ctx: typer.Context,
    reference: Annotated[
        Path | None, typer.Option(help="Reference folder (default: PORTAL_REFERENCE_DIR).")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Also overwrite definitions imported from a workbook.")
    ] = False,
) -> None:
    """Regenerate datasets/ from the reference files (fields.csv, datasets.csv)."""
    st = state(ctx)
    results = build(reference or st.settings.reference_dir, st.settings.datasets_dir, force)
    changed = [r for r in results if r.status != "unchanged"]
    for r in changed:
        st.out.print(f"{r.status:>10}  {r.key}  ({r.fields} fields, {r.required} required)")
    st.out.print(
        f"{len(results)} definitions in {st.settings.datasets_dir}: "
        f"{len(changed)} written or kept, {len(results) - len(changed)} unchanged"
    )


@app.command("import-spec")
def import_spec(
    ctx: typer.Context,
    workbook: Annotated[Path, typer.Argument(help="The Digital Agency's 定義書 workbook (.xlsx).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report changes without writing.")
    ] = False,
    revision: Annotated[
        str | None, typer.Option(help="Spec revision (default: the date in the file name).")
    ] = None,
) -> None:
    """Update the schemas from the official 定義書 workbook and report what changed."""
    st = state(ctx)
    report = import_workbook(workbook, st.settings.datasets_dir, dry_run=dry_run, revision=revision)
    for line in report.lines():
        st.out.print(line, highlight=False)
