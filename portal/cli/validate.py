"""`portal validate FILE`: check a file against the standard."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from portal.cli.state import output_file, state
from portal.errors import PortalError
from portal.validation import Options, validate
from portal.validation.render import print_text, to_html, to_json
from portal.workspace import Workspace


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def validate_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (any encoding), xlsx, xls or ods.")],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset key (aed, legacy/aed); detected if not given.")
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="text, json or html.")] = Format.text,
    out: Annotated[
        Path | None, typer.Option(help="Write the report here instead of printing it.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="Sheet name or 0-based index (spreadsheets).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Force the CSV encoding (cp932, utf-8, …).")
    ] = None,
    lgcode: Annotated[
        str | None, typer.Option(help="全国地方公共団体コード of the publisher.")
    ] = None,
) -> None:
    """Validate a file against its standard dataset; exit 0 valid, 1 not valid, 2 unreadable."""
    st = state(ctx)
    sheet_arg: str | int | None = int(sheet) if sheet and sheet.isdigit() else sheet
    options = Options(dataset=dataset, sheet=sheet_arg, encoding=encoding, lgcode=lgcode)
    try:
        report = validate(file, Workspace.of(st.settings), options)
    except PortalError as exc:
        exc.exit_code = 2  # 1 means "the file is not valid"; anything that stops us is 2
        raise
    if format is Format.text:
        if out is None:
            print_text(report, st.out)
        else:
            with output_file(out) as fh:
                print_text(report, Console(file=fh, width=160))
    else:
        text = to_json(report) if format is Format.json else to_html(report)
        if out is None:
            typer.echo(text)
        else:
            with output_file(out) as fh:
                fh.write(text)
    if out is not None:
        st.err.print(f"report written to {out} ({'valid' if report.valid else 'not valid'})")
    raise typer.Exit(0 if report.valid else 1)
