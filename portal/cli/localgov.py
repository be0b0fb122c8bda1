"""`portal localgov …`: 全国地方公共団体コード lookups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from portal.cli.state import state
from portal.localgov import load
from portal.localgov.build import build

app = typer.Typer(help="Local government codes (全国地方公共団体コード).")


@app.command()
def lookup(ctx: typer.Context, code: str = typer.Argument(..., help="6-digit code.")) -> None:
    """Check a 6-digit code (check digit) and show the body it belongs to."""
    body = load().lookup(code)
    state(ctx).out.print(
        f"{body.lgcode}  {body.full_name}  ({body.name_kana}, {body.kind})  "
        f"{body.lat:.6f},{body.lng:.6f}  {body.url}",
        highlight=False,
    )


@app.command()
def repair(ctx: typer.Context, value: str = typer.Argument(..., help="A damaged code.")) -> None:
    """Restore a 5-digit or zero-stripped code to the existing 6-digit one."""
    code = load().repair(value)
    body = load().lookup(code)
    state(ctx).out.print(f"{value} → {code}  {body.full_name}", highlight=False)


@app.command("build")
def build_(
    ctx: typer.Context,
    source: Annotated[
        Path | None, typer.Option(help="localgov.csv (default: under PORTAL_REFERENCE_DIR).")
    ] = None,
) -> None:
    """Rebuild the packaged code list from the reference CSV (checks every check digit)."""
    st = state(ctx)
    result = build(source or st.settings.reference_dir / "localgov" / "localgov.csv")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.kinds.items()))
    st.out.print(f"{result.rows} local governments written to {result.path} ({kinds})")
