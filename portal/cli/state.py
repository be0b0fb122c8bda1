"""What every command receives from the `portal` callback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import typer
from rich.console import Console

from portal.errors import OutputUnwritable
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


@contextmanager
def output_file(path: Path) -> Iterator[TextIO]:
    """A file named by --out, its folder made if missing; a failure is a clear error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise OutputUnwritable(path=path, reason=exc.strerror or str(exc)) from None
    with handle:
        yield handle
