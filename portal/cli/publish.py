"""`portal publish`, `portal catalogue …`, `portal history`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.lookahead import Lookahead
from portal.catalogue.meta import PortalMeta
from portal.catalogue.publish import Options, Published, publish
from portal.catalogue.publish import delete as delete_dataset
from portal.cli.render import render_error
from portal.cli.state import CliState, state
from portal.composition import Portal
from portal.errors import PortalError


class ConfirmationNeeded(PortalError):
    code = "confirmation-needed"
    status = 400
    exit_code = 2
    template_en = (
        "not deleting {name}: deleting needs a confirmation, and there is no terminal to ask on"
    )
    template_ja = (
        "{name} を削除しませんでした: 削除には確認が必要ですが、確認できる端末がありません"
    )
    hint_en = "add --yes to delete without being asked (in scripts), or run it in a terminal"
    hint_ja = "確認なしで削除するには --yes を付けてください（スクリプトなど）。または端末から実行してください"


catalogue_app = typer.Typer(help="The catalogue: embedded, or the CKAN in CKAN_URL.")
Kind = Annotated[
    str | None,
    typer.Option("--catalogue", help="embedded or ckan (default: ckan if CKAN_URL is set)."),
]


def publish_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Folders written by `portal convert`, or recipes (converted first)."),
    ],
    catalogue: Kind = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; write nothing.")
    ] = False,
    allow_invalid: Annotated[
        bool,
        typer.Option(
            "--allow-invalid", help="Publish datasets that failed validation (marked 要修正)."
        ),
    ] = False,
    allow_empty: Annotated[
        bool,
        typer.Option(
            "--allow-empty",
            help="Replace a published dataset that has rows with one that has none.",
        ),
    ] = False,
) -> None:
    """Publish converted datasets: create, update, or leave unchanged (content hashes decide)."""
    st = state(ctx)
    portal = Portal.open(st.settings, catalogue)
    publisher, target = portal.publisher(), portal.catalogue
    failed = 0
    options = Options(dry_run=dry_run, allow_invalid=allow_invalid, allow_empty=allow_empty)
    lookahead = Lookahead.of(paths, publisher)  # the catalogue read together, not per dataset
    with portal.publishing_batch():
        for path in paths:
            try:
                if path.suffix in (".yaml", ".yml"):
                    result = publish_recipe(path, publisher, portal.workspace, options)
                else:
                    result = publish(path, publisher, options, lookahead)
            except PortalError as exc:  # one bad dataset must not stop the others
                failed += 1
                render_error(exc, st.err, debug=st.settings.debug)
                continue
            _print_result(st, result, dry_run)
    summary = f"catalogue: {target.kind} {escape(target.where)}"
    st.out.print(summary + (f"; {failed} not published" if failed else ""), highlight=False)
    raise typer.Exit(1 if failed else 0)


def _print_result(st: CliState, result: Published, dry_run: bool) -> None:
    verb = result.action
    if dry_run and result.action != "unchanged":
        verb = f"would {verb}"
    valid = "" if result.plan.valid else " [red](要修正: published with errors)[/]"
    st.out.print(
        f"{verb:>16}  {escape(result.plan.name)}  ({result.writes} writes, {result.attempts} attempts, "
        f"{result.seconds:.1f} s){valid}",
        highlight=False,
    )
    for note in result.notes:  # e.g. rows not loaded for the API: published, but worth knowing
        st.err.print(f"{'':>16}  [yellow]{escape(note)}[/]", highlight=False)


@catalogue_app.command("list")
def list_(ctx: typer.Context, catalogue: Kind = None) -> None:
    """List the datasets in the catalogue."""
    st = state(ctx)
    target = Portal.open(st.settings, catalogue).catalogue
    table = Table(title=f"{target.kind}: {target.where}")
    for col in ("name", "title", "standard", "validation", "published"):
        table.add_column(col)
    for package in target.package_search(rows=10000):
        meta = PortalMeta.from_package(package)
        table.add_row(package["name"], package.get("title", ""), meta.standard or "",
                      meta.validation_text or "", meta.published_at_text or "")  # fmt: skip
    st.out.print(table)


@catalogue_app.command()
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Dataset name.")],
    catalogue: Kind = None,
) -> None:
    """Show a dataset as the catalogue holds it (JSON)."""
    from portal.catalogue.base import PackageMissing

    st = state(ctx)
    package = Portal.open(st.settings, catalogue).catalogue.package_show(name)
    if package is None:
        raise PackageMissing(name=name)
    typer.echo(json.dumps(package, ensure_ascii=False, indent=2))


@catalogue_app.command()
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Dataset name.")],
    catalogue: Kind = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Delete without asking (needed without a terminal).")
    ] = False,
) -> None:
    """Delete a dataset from the catalogue (asks first; recorded in the publish log)."""
    from portal.catalogue.base import PackageMissing

    st = state(ctx)
    publisher = Portal.open(st.settings, catalogue).publisher()
    target = publisher.catalogue
    if target.package_show(name) is None:
        raise PackageMissing(name=name)
    if not yes and not _confirmed(name, f"{target.kind} {target.where}"):
        st.err.print("not deleted / 削除しませんでした", highlight=False)
        raise typer.Exit(1)
    delete_dataset(name, publisher)  # its rows leave the API with it
    st.out.print(
        f"deleted {escape(name)} from {target.kind} {escape(target.where)}", highlight=False
    )


def _confirmed(name: str, where: str) -> bool:
    """Ask on the terminal; without one (a script, a pipe) refuse rather than guess."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise ConfirmationNeeded(name=name)
    return typer.confirm(f"Delete {name} from {where}? / {name} を削除しますか?", default=False)


def history_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Only this dataset.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 50,
) -> None:
    """List past publishes (who, when, what, result), newest first."""
    st = state(ctx)
    table = Table()
    for col in ("at", "who", "package", "action", "outcome", "valid", "catalogue", "hash"):
        table.add_column(col)
    for e in Portal.open(st.settings).publisher().log.entries(name, limit):
        table.add_row(e["at"], e["who"], e["package"], e["action"], e["outcome"], _validity(e),
                      e["catalogue"], (e["content_hash"] or "")[:12])  # fmt: skip
    st.out.print(table)


def _validity(entry: dict[str, object]) -> str:
    if entry["action"] == "delete":
        return ""  # what was deleted is identified by its hash; its validity is not news
    return "yes" if entry["valid"] else f"no ({entry['errors']} errors)"
