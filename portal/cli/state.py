"""What every command receives from the `portal` callback."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import typer
from rich.console import Console

from portal.settings import Settings


@dataclass
class CliState:
    settings: Settings
    out: Console
    err: Console


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj


def console(stderr: bool = False) -> Console:
    """A console that does not squeeze tables to 80 columns when output is piped."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 200)
