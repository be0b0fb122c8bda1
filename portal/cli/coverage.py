"""`portal coverage …`: which standard datasets each municipality publishes, valid and fresh
(portal.coverage), as a table, CSV or JSON; and the DX office's exemptions (not-applicable).
Exemptions are audited as `cli:<OS user>`, as `portal users` changes are."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from portal.cli.state import CliState, state
from portal.cli.users import who
from portal.composition import Portal
from portal.coverage import model
from portal.coverage.model import SYMBOLS, CellState, Coverage
from portal.coverage.records import check_exemption
from portal.errors import PortalError

app = typer.Typer(
    help="Coverage of the standard datasets per municipality: missing, invalid, stale.",
    invoke_without_command=True,
)
# How a state reads in a terminal: a symbol that survives without colour, and a colour.
COLOURS = {CellState.VALID: "green", CellState.INVALID: "red", CellState.STALE: "yellow",
           CellState.MISSING: "bright_black", CellState.NOT_APPLICABLE: "blue"}  # fmt: skip
LEGEND = ("○ 公開・有効 published-valid  × 要修正 published-invalid  △ 更新切れ stale  "
          "－ 未公開 missing  ／ 対象外 not-applicable")  # fmt: skip


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.callback()
def coverage(
    ctx: typer.Context,
    output: Annotated[Format, typer.Option("--format", help="table, csv or json.")] = Format.table,
    org: Annotated[
        list[str] | None,
        typer.Option("--org", help="Only this municipality (6-digit code); repeat for more."),
    ] = None,
    region: Annotated[
        Path | None,
        typer.Option("--region", help="A region file: harvest the neighbours' catalogues instead."),
    ] = None,
) -> None:
    """Show coverage: each municipality × standard dataset, with % covered (= published-valid)."""
    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    portal = Portal.open(st.settings)
    sources: list[dict[str, Any]] = []
    try:
        wanted = [_known(portal, code) for code in org or []]
        if region is None:
            found = model.local_coverage(portal, organizations=wanted)
        else:
            found, sources = _harvested(portal, region)
    finally:
        portal.close()
    if wanted:
        found = model.only(found, wanted)
    _show(st, found, output, sources)


def _harvested(portal: Portal, region: Path) -> tuple[Coverage, list[dict[str, Any]]]:
    """The region's coverage (a "region" snapshot recorded) and each source's report."""
    from portal.coverage.harvest import harvest_region

    done = harvest_region(
        region,
        portal.registry,
        portal.directory,
        store=portal.store,
        validators_dir=portal.settings.validators_dir,
    )
    return done.coverage, done.to_dict()["sources"]


def _known(portal: Portal, code: str) -> str:
    try:
        return portal.directory.lookup(code.strip()).lgcode
    except PortalError as exc:
        exc.exit_code = 2  # unusable input
        raise


def _show(st: CliState, found: Coverage, output: Format, sources: list[dict[str, Any]]) -> None:
    if output == Format.json:
        shown = model.to_json(found) | ({"sources": sources} if sources else {})
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    elif output == Format.csv:
        typer.echo(model.to_csv(found), nl=False)
    else:
        st.out.print(_table(found))
        st.out.print(LEGEND, highlight=False)
        for source in sources:  # what each catalogue of the region answered
            st.out.print(_source_line(source), highlight=False)


def _source_line(source: dict[str, Any]) -> str:
    state_en, state_ja = (("read", "取得済み") if source["finished"] else
                          ("incomplete", "途中まで") if source["reached"] else ("unreachable", "接続不可"))  # fmt: skip
    notes = "; ".join(str(n.get("message_en", n)) for n in source["notes"])
    return (f"{source['id']} {source['url']}: {state_en} / {state_ja}, "
            f"{source['datasets_counted']}/{source['datasets_seen']} datasets counted"
            + (f" — {notes}" if notes else ""))  # fmt: skip


def _table(found: Coverage) -> Table:
    table = Table(title=f"coverage / カバレッジ ({found.at:%Y-%m-%d %H:%M} UTC)")
    table.add_column("lgcode")
    table.add_column("団体 / organization")
    table.add_column("%", justify="right")
    for dataset in found.datasets:
        table.add_column(dataset.number, justify="center")
    by_org = found.percent_by_organization()
    for organization in found.organizations:
        cells = [found.cell(organization.lgcode, d.key) for d in found.datasets]
        marks = [f"[{COLOURS[c.state]}]{SYMBOLS[c.state]}[/]" for c in cells]
        table.add_row(organization.lgcode, organization.name,
                      _percent(by_org[organization.lgcode]), *marks)  # fmt: skip
    by_dataset = found.percent_by_dataset()
    table.add_section()
    table.add_row(
        "", "% / 標準データセット別", "", *(_percent(by_dataset[d.key]) for d in found.datasets)
    )
    return table


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


@app.command()
def exempt(
    ctx: typer.Context,
    lgcode: Annotated[str, typer.Argument(help="The municipality's 6-digit code.")],
    dataset: Annotated[
        str, typer.Argument(help="The standard dataset's key, e.g. public_wireless_lan.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it does not apply (shown on the page).")
    ],
) -> None:
    """Mark a standard dataset not applicable to a municipality, with the reason (DX office)."""
    st = state(ctx)
    portal = Portal.open(st.settings)
    try:
        lgcode = _known(portal, lgcode)
        check_exemption(portal.registry, portal.directory, lgcode, dataset, reason)
        done = model.set_exemption(portal.store, lgcode, dataset, reason, who())
    finally:
        portal.close()
    st.out.print(f"{lgcode} {dataset}: not applicable / 対象外にしました ({done.reason})",
                 highlight=False)  # fmt: skip
