"""`portal subscriptions …`: the admin's side of change notifications — subscriber keys
(issued once, revoked) and the subscriptions made with them, over portal.subscriptions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy import select

from portal.cli.state import state
from portal.store import Store
from portal.subscriptions.models import Subscription
from portal.subscriptions.service import Subscriptions

app = typer.Typer(help="Change notifications: subscriber keys and their webhooks.")


@contextmanager
def subscriptions(ctx: typer.Context) -> Iterator[Subscriptions]:
    settings = state(ctx).settings
    store = Store.open(settings.effective_database_url)
    try:
        store.ensure_current()
        yield Subscriptions(store, settings)
    finally:
        store.close()


@app.command("key-add")
def key_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who holds the key: a group's or a person's name.")],
) -> None:
    """Issue a subscriber key (printed once: only its hash is kept)."""
    with subscriptions(ctx) as found:
        key = found.issue_key(name)
    out = state(ctx).out
    out.print(key, highlight=False, soft_wrap=True)
    state(ctx).err.print(f"{name}: key issued, shown once / 購読者キーを発行しました（表示は一度だけです）",
                         highlight=False)  # fmt: skip


@app.command("keys")
def keys(ctx: typer.Context) -> None:
    """List the subscriber keys in use (prefix, name, issued)."""
    with subscriptions(ctx) as found:
        for prefix, name, created in found.keys():
            state(ctx).out.print(f"{prefix}\t{name}\t{created:%Y-%m-%d}", highlight=False)


@app.command("key-revoke")
def key_revoke(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `keys` shows it.")],
) -> None:
    """Revoke a subscriber key: it stops working and its subscriptions are disabled."""
    with subscriptions(ctx) as found:
        found.revoke_key(prefix)
    state(ctx).out.print(f"{prefix}: revoked / 失効しました", highlight=False)


@app.command("list")
def listing(ctx: typer.Context) -> None:
    """List every subscription: id, target, webhook, enabled, failures in a row."""
    with subscriptions(ctx) as found, found.store.sessions() as session:
        for s in session.scalars(select(Subscription).order_by(Subscription.created)):
            state_text = "enabled" if s.enabled else "disabled"
            state(ctx).out.print(f"{s.id}\t{s.scope}:{s.target}\t{s.url}\t{state_text}\t{s.failures}",
                                 highlight=False)  # fmt: skip
