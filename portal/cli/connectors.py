"""`portal connectors …`: the connectors of PORTAL_CONNECTORS_DIR (one YAML file each) — list
them, check one's endpoints and secrets, pull from or push to its platform, and list the
drafts it kept (files that failed validation: never published). A bad file stops here with
exit 2, naming the file and the field."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from portal.cli.state import CliState, state
from portal.composition import Portal
from portal.connectors.base import Connector, ExchangeReport
from portal.connectors.intake import drafts
from portal.connectors.registry import connector_named, load_connectors

app = typer.Typer(help="Exchange data with other platforms (ORDEN, NGSI brokers, CKAN).",
                  no_args_is_help=True)  # fmt: skip
NameArg = Annotated[str, typer.Argument(help="The connector's name (its YAML file's name).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _open(st: CliState, name: str) -> tuple[Portal, Connector]:
    connector = connector_named(load_connectors(st.settings, strict=True), name)
    return Portal.open(st.settings), connector


@app.command("list")
def list_connectors(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the configured connectors: name, kind, enabled, endpoints, mapped datasets."""
    st = state(ctx)
    found = load_connectors(st.settings, strict=True)
    rows: list[dict[str, Any]] = [{"name": c.config.name, "kind": c.config.kind, "enabled": c.config.enabled,
             "endpoints": c.config.endpoints, "datasets": [e.dataset for e in c.config.ids]}
            for c in found.values()]  # fmt: skip
    if as_json:
        st.out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        st.err.print(
            "no connectors (PORTAL_CONNECTORS_DIR unset or empty) / コネクタの設定はありません"
        )
        return
    table = Table("name", "kind", "enabled", "endpoints", "datasets")
    for row in rows:
        table.add_row(row["name"], row["kind"], "yes" if row["enabled"] else "no",
                      " ".join(row["endpoints"].values()), ", ".join(row["datasets"]))  # fmt: skip
    st.out.print(table)


@app.command("check")
def check(ctx: typer.Context, name: NameArg, as_json: JsonOpt = False) -> int:
    """Check a connector: its endpoints answer, its secrets are set, its datasets exist."""
    st = state(ctx)
    portal, connector = _open(st, name)
    try:
        report = connector.check(portal)
    finally:
        portal.close()
    if as_json:
        st.out.print_json(report.model_dump_json())
    else:
        for item in report.items:
            mark = "[green]ok[/]" if item.ok else "[red]NG[/]"
            st.out.print(f"{mark}  {item.what}  {item.message}", highlight=False)
    return 0 if report.ok else 1


@app.command("pull")
def pull(ctx: typer.Context, name: NameArg, as_json: JsonOpt = False) -> int:
    """Pull from the platform: new versions taken in (published when valid, else drafts)."""
    st = state(ctx)
    portal, connector = _open(st, name)
    try:
        report = connector.pull(portal)
    finally:
        portal.close()
    return _show(st, report, as_json)


@app.command("push")
def push(
    ctx: typer.Context,
    name: NameArg,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Only this dataset; repeat for more.")
    ] = None,
    as_json: JsonOpt = False,
) -> int:
    """Push our validated datasets (all mapped ones, or --dataset) to the platform."""
    st = state(ctx)
    portal, connector = _open(st, name)
    try:
        report = connector.push(portal, list(dataset) if dataset else None)
    finally:
        portal.close()
    return _show(st, report, as_json)


@app.command("drafts")
def list_drafts(ctx: typer.Context, name: NameArg, as_json: JsonOpt = False) -> None:
    """List the drafts a connector kept: files that failed validation, with their report."""
    st = state(ctx)
    portal, connector = _open(st, name)
    try:
        kept = drafts(portal, connector.config.name)
    finally:
        portal.close()
    if as_json:
        st.out.print_json(json.dumps(kept, ensure_ascii=False))
        return
    if not kept:
        st.err.print(f"{name}: no drafts / 下書きはありません")
        return
    table = Table("key", "dataset", "errors", "warnings", "folder")
    for d in kept:
        table.add_row(
            d["key"], d["dataset"], str(d["errors"]), str(d["warnings"]), d["draft"] or ""
        )
    st.out.print(table)


def _show(st: CliState, report: ExchangeReport, as_json: bool) -> int:
    if as_json:
        st.out.print_json(report.model_dump_json())
    else:
        for item in report.items:
            st.out.print(f"{item.outcome:<10} {item.dataset}  {item.message}", highlight=False)
    return 1 if report.failed else 0
