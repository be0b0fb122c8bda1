"""`portal db …`: the portal's own database (PORTAL_DATABASE_URL) and its schema."""

from __future__ import annotations

import typer
from rich.console import Console

from portal.cli.state import state
from portal.store import Status, Store

app = typer.Typer(help="The portal's own database (PORTAL_DATABASE_URL): schema migrations.")


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Apply the pending schema migrations (take a backup first)."""
    st = state(ctx)
    store = Store.open(st.settings.effective_database_url)
    try:
        before = store.status()
        after = store.upgrade()
    finally:
        store.close()
    if before.pending:
        st.out.print(
            f"upgraded {after.url}: {_revision(before)} → {_revision(after)}"
            f" ({len(before.pending)} migration(s): {', '.join(before.pending)})"
            f" / スキーマを更新しました",
            highlight=False,
        )
    else:
        st.out.print(
            f"{after.url} is up to date at {_revision(after)} / スキーマは最新です",
            highlight=False,
        )


@app.command()
def status(ctx: typer.Context) -> None:
    """Show the database's schema revision and the migrations not yet applied."""
    st = state(ctx)
    store = Store.open(st.settings.effective_database_url)
    try:
        current = store.status()
    finally:
        store.close()
    _print_status(st.out, current)


def _print_status(out: Console, status: Status) -> None:
    out.print(f"database: {status.url}", highlight=False)
    out.print(f"current:  {_revision(status)}", highlight=False)
    out.print(f"head:     {', '.join(status.heads)}", highlight=False)
    if status.unknown:
        out.print(
            f"state:    newer than this portal ({', '.join(status.unknown)} unknown):"
            " run the portal version that migrated it / このポータルより新しいスキーマです",
            highlight=False,
        )
    elif not status.current and not status.empty:
        out.print(
            f"state:    tables ({', '.join(status.tables[:5])}) but no portal schema revision:"
            " not the portal's database / ポータルのデータベースではありません",
            highlight=False,
        )
    elif status.pending:
        out.print(
            f"pending:  {', '.join(status.pending)}: run `portal db upgrade`"
            " / 未適用の移行があります",
            highlight=False,
        )
    else:
        out.print("state:    up to date / 最新です", highlight=False)


def _revision(status: Status) -> str:
    return ", ".join(status.current) or "none"
