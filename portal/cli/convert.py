"""`portal convert RECIPE` and `portal recipe suggest SOURCE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from portal.cli.state import CliState, output_file, state
from portal.pipeline import Conversion, convert
from portal.pipeline.suggest import Suggestion
from portal.workspace import Workspace

recipe_app = typer.Typer(help="Conversion recipes (YAML under pipelines/).")
# `recipe suggest`'s exit code when it is not sure which standard dataset the file is: no
# recipe is written, a person must choose (1 is an invalid conversion, 2 unusable input).
MUST_CHOOSE = 3


def convert_command(
    ctx: typer.Context,
    recipe: Annotated[Path, typer.Argument(help="The recipe (YAML).")],
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder (default: PORTAL_DATA_DIR/converted/<recipe>)."),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Write the CSV with a BOM, for Excel users.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail if any row is left out or any value cannot be read."),
    ] = False,
) -> None:
    """Convert a department's table into its standard dataset (CSV, JSON, GeoJSON, datapackage) and validate it."""
    st = state(ctx)
    with _progress(st) as bar:
        task = bar.add_task("converting / 変換中", total=None)
        result = convert(
            recipe,
            Workspace.of(st.settings),
            out,
            bom=bom,
            strict=strict,
            progress=lambda n: bar.advance(task, n),
        )
    _summary(st, result)
    raise typer.Exit(0 if result.report.valid else 1)


def _progress(st: CliState) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=st.err, transient=True, disable=not st.err.is_terminal,
    )  # fmt: skip


def _summary(st: CliState, c: Conversion) -> None:
    out = st.out
    d, o = c.definition, c.outcome
    out.print(
        f"[bold]{escape(c.recipe.path.name)}[/] → {d.key} ({d.title_ja}), {c.recipe.lgcode}",
        highlight=False,
    )
    enc = f", {c.source.encoding}" if c.source.encoding else ""
    sheet = f", sheet {c.source.sheet}" if c.source.sheet else ""
    out.print(
        f"  read   {escape(str(c.source.path))} ({c.source.format}{enc}{sheet}), header row {c.layout.header_row}",
        highlight=False,
    )
    for en, ja in c.layout.notes():
        out.print(f"         {escape(ja)} / {escape(en)}", highlight=False)
    out.print(
        f"  rows   {o.rows_in} read, {o.rows_out} written, {len(o.skipped)} left out",
        highlight=False,
    )
    for s in o.skipped[:10]:
        out.print(
            f"         row {s.row}: {escape(s.reason_ja)} / {escape(s.reason_en)}", highlight=False
        )
    if o.unread:
        out.print(f"  values not read: {len(o.unread)} (the recipe's on_error says what was done)")
        for (name, reason), n in o.unread_counts().most_common(10):
            hits = [u for u in o.unread if (u.field, u.reason_en) == (name, reason)]
            rows = ", ".join(str(u.row) for u in hits[:5])
            out.print(
                f"         {escape(name)}: {escape(reason)} ×{n}, {hits[0].action} (rows {rows}…)",
                highlight=False,
            )
    out.print("  wrote  " + ", ".join(escape(str(p)) for p in c.files.values()), highlight=False)
    verdict = "[green]valid / 適合[/]" if c.report.valid else "[red]not valid / 要修正[/]"
    out.print(f"  check  {verdict}: {c.report.errors} errors, {c.report.warnings} warnings "
              f"(see {escape(c.files['validation_html'].name)})", highlight=False)  # fmt: skip


@recipe_app.command("suggest")
def suggest_command(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="The department's file (CSV, xlsx, xls, ods).")],
    dataset: Annotated[
        str | None, typer.Option(help="Target dataset key; proposed from the file if not given.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the draft recipe here (default: print it).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name or 0-based index.")] = None,
) -> None:
    """Write a draft recipe for a new file: each standard field matched to a column, with
    confidence and reason. When it is not sure which standard dataset the file is, it writes
    nothing, lists the candidates with their evidence and exits 3: choose with --dataset."""
    from portal.pipeline.suggest import suggest

    st = state(ctx)
    workspace = Workspace.of(st.settings)
    sheet_arg: str | int | None = int(sheet) if sheet and sheet.isdigit() else sheet
    result = suggest(
        source, workspace.registry, workspace.directory, dataset=dataset, sheet=sheet_arg
    )
    _say_doubts(st, result)
    if not result.sure:
        _say_candidates(st, result, source)
        raise typer.Exit(MUST_CHOOSE)
    recipe_dir = (out.parent if out else Path.cwd()).resolve()
    text = result.to_yaml(recipe_dir)
    if out is None:
        typer.echo(text)
        return
    with output_file(out) as fh:
        fh.write(text)
    st.err.print(
        f"draft recipe written to {out}: {result.dataset} (score {result.dataset_score:.2f}), "
        f"{len(result.matches)} fields matched, {len(result.unmatched_fields)} unmatched, "
        f"{len(result.unused_columns)} source columns unused — check it, then `portal convert {out}`"
    )


def _say_doubts(st: CliState, s: Suggestion) -> None:
    """What a person must know about the choice, on the terminal (not only in the recipe)."""
    for en, ja in s.doubts:
        st.err.print(
            f"[yellow]要確認[/] {escape(ja)}\n[yellow]check[/]  {escape(en)}", highlight=False
        )


def _say_candidates(st: CliState, s: Suggestion, source: Path) -> None:
    err = st.err
    err.print("[bold]どの標準データセットか確定できません。候補と根拠 / Not sure which standard "
              "dataset this is. The candidates and their evidence:[/]", highlight=False)  # fmt: skip
    for n, c in enumerate(s.candidates, 1):
        err.print(f"  {n}. {c.dataset}  {escape(c.title_ja)}  {c.score:.2f}", highlight=False)
        said = set(s.doubts)  # said above already
        for en, ja in [e for e in zip(c.evidence, c.evidence_ja, strict=True) if e not in said]:
            err.print(f"       - {escape(ja)}\n         {escape(en)}", highlight=False)
    err.print("人が選んでください: --dataset KEY を付けてもう一度実行してください。\n"
              "A person must choose: run again with --dataset KEY, e.g.\n"
              f"  portal recipe suggest {escape(str(source))} --dataset {s.candidates[0].dataset}",
              highlight=False)  # fmt: skip
