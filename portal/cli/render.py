"""The one place the CLI turns an exception into what a person reads."""

from __future__ import annotations

import traceback

from rich.console import Console
from rich.markup import escape

from portal.errors import PortalError


def render_error(exc: BaseException, console: Console, debug: bool = False) -> int:
    """Print `exc` for a person and return the exit code.

    A PortalError is one line in English then Japanese (plus a hint line);
    anything else is an internal error whose traceback only `--debug` shows.
    """
    if debug:
        console.print(escape("".join(traceback.format_exception(exc))), highlight=False)
    if isinstance(exc, PortalError):
        body = exc.to_dict()
        console.print(
            f"[bold red]error[/] {escape(f'[{exc.code}]')}: "
            f"{escape(exc.message_en)} / {escape(exc.message_ja)}",
            highlight=False,
            soft_wrap=True,
        )
        if "hint_en" in body:
            console.print(
                f"  hint: {escape(body['hint_en'])} / {escape(body['hint_ja'])}",
                highlight=False,
                soft_wrap=True,
            )
        return exc.exit_code
    console.print(
        f"[bold red]internal error[/]: {escape(type(exc).__name__)}: {escape(str(exc))} "
        "/ 内部エラーが発生しました (details: portal --debug …)",
        highlight=False,
        soft_wrap=True,
    )
    return 1
