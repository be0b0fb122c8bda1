"""`portal`: the command line, a thin layer over the library.

Every command builds nothing itself: it calls a library function with the
settings made once in the callback, and prints its result.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Annotated

import typer

from portal.cli.render import render_error
from portal.cli.state import CliState, console
from portal.settings import load_settings

# The clerk's commands need neither the catalogue, the database nor the server: they get an
# app of their own, so that `portal validate` does not import all of the portal (56 MiB and
# a second at start, more than validating a municipal file takes).
LIGHT = ("validate", "convert", "recipe")


def _new_app() -> typer.Typer:
    made = typer.Typer(
        name="portal",
        help="Open-data portal for Japanese municipalities (自治体標準オープンデータセット).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    made.callback()(_root)
    return made


def light_app() -> typer.Typer:
    """`portal validate`, `portal convert`, `portal recipe …` alone."""
    from portal.cli.convert import convert_command, recipe_app
    from portal.cli.validate import validate_command

    made = _new_app()
    made.add_typer(recipe_app, name="recipe")
    made.command("validate")(validate_command)
    made.command("convert")(convert_command)
    return made


@lru_cache(maxsize=1)
def full_app() -> tuple[typer.Typer, dict[str, typer.Typer]]:
    """Every command, and the groups by name."""
    from portal.cli import (
        connectors,
        coverage,
        datasets,
        db,
        jobs,
        localgov,
        rows,
        subscriptions,
        users,
    )
    from portal.cli.convert import convert_command, recipe_app
    from portal.cli.publish import catalogue_app, history_command, publish_command
    from portal.cli.serve import serve_command
    from portal.cli.validate import validate_command
    from portal.cli.worker import worker_command

    made = _new_app()
    groups = {
        "datasets": datasets.app,
        "recipe": recipe_app,
        "catalogue": catalogue_app,
        "localgov": localgov.app,
        "db": db.app,
        "rows": rows.app,
        "users": users.app,
        "coverage": coverage.app,
        "connectors": connectors.app,
        "subscriptions": subscriptions.app,
        "jobs": jobs.app,
    }
    for name, group in groups.items():
        made.add_typer(group, name=name)
    made.command("validate")(validate_command)
    made.command("convert")(convert_command)
    made.command("publish")(publish_command)
    made.command("history")(history_command)
    made.command("serve")(serve_command)
    made.command("worker")(worker_command)
    made.command("audit")(users.audit_command)
    # Typer's help lists only the groups; the epilog lists every command under them.
    made.info.epilog = "\n\n".join(f"{line}: {doc}" for line, doc in _commands(made, groups))
    return made, groups


def commands() -> list[tuple[str, str]]:
    """(command line, first line of its help) for every command."""
    return _commands(*full_app())


def _commands(made: typer.Typer, groups: dict[str, typer.Typer]) -> list[tuple[str, str]]:
    out = []
    for command in made.registered_commands:
        assert command.callback is not None
        doc = (command.callback.__doc__ or "").strip().splitlines()[0]
        out.append((f"portal {command.name}", doc))
    for group_name, group in groups.items():
        for command in group.registered_commands:
            callback = command.callback
            assert callback is not None
            name = command.name or callback.__name__.replace("_", "-")
            doc = (callback.__doc__ or "").strip().splitlines()[0]
            out.append((f"portal {group_name} {name}", doc))
    return out


def _root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")
    ] = False,
) -> None:
    settings = load_settings()
    if debug:
        settings = settings.model_copy(update={"debug": True})
    ctx.obj = CliState(settings=settings, out=console(), err=console(stderr=True))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `portal` script; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    err = console(stderr=True)
    try:
        chosen = light_app() if args and args[0] in LIGHT else full_app()[0]
        result = chosen(args=args, prog_name="portal", standalone_mode=False)
    except typer.Abort:
        err.print("aborted / 中止しました")
        return 1
    except typer.TyperException as exc:  # usage errors: the parser's own message, exit 2
        exc.show()  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", 2))
    except Exception as exc:
        return render_error(exc, err, debug="--debug" in args)
    return result if isinstance(result, int) else 0
