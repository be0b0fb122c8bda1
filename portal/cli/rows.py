"""`portal rows …`: the rows store behind the data API, made to match the catalogue."""

from __future__ import annotations

import typer
from rich.markup import escape

from portal.cli.state import CliState, state
from portal.composition import Portal
from portal.rows.sync import Synced

app = typer.Typer(help="The rows store behind the data API (rows, cross-city queries, WAPI).")


@app.command()
def rebuild(ctx: typer.Context) -> None:
    """Reload every published dataset's rows from the catalogue (after a restore, or a new server)."""
    st = state(ctx)
    _print(st, Portal.open(st.settings).sync_rows(rebuild=True))


@app.command()
def sync(ctx: typer.Context) -> None:
    """Load the rows that are missing or stale, drop those of deleted datasets."""
    st = state(ctx)
    _print(st, Portal.open(st.settings).sync_rows())


def _print(st: CliState, done: Synced) -> None:
    for name, error in sorted(done.failed.items()):
        st.err.print(f"not loaded  {escape(name)}: {escape(error.message_en)}", highlight=False)
    st.out.print(
        f"rows: {len(done.loaded)} loaded, {done.current} already current,"
        f" {len(done.dropped)} dropped, {len(done.failed)} failed"
        f" / 読み込み {len(done.loaded)} 件、最新 {done.current} 件、削除 {len(done.dropped)} 件、"
        f"失敗 {len(done.failed)} 件",
        highlight=False,
    )
    if done.failed:
        raise typer.Exit(1)
