"""Cells a spreadsheet program would take for a formula (CSV injection, CWE-1236).

OWASP's CSV-injection guidance: Excel, LibreOffice Calc and Google Sheets read a cell
that begins with = + - @ TAB or CR as a formula, so `=HYPERLINK(…)` or `+cmd|…` in a
published value runs on the machine of whoever opens the download. Excel in a Japanese
locale also turns a leading full-width ＝ ＋ － ＠ into a formula, as it does when they
are typed, so those count too. A plain number (`-1.5`, `+3`) is read as a number, never
as a formula, and is left alone.

The canonical UTF-8 CSV keeps every value exactly as published. The downloads meant
for spreadsheet programs (the CP932 download, `convert --bom`) write such a cell with a
leading `'`, which the spreadsheet takes as "this is text" and does not show; the
validator warns the clerk (`formula-like-cell`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TRIGGERS = "=+-@\t\r＝＋－＠"
TEXT_MARK = "'"  # the spreadsheet's own "what follows is text" prefix
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
SCREEN = re.compile("^[" + re.escape(TRIGGERS) + "]")


def formula_like(value: str) -> bool:
    """True when a spreadsheet program opening the value would evaluate it as a formula.

    A lone sign ("-", "－", a placeholder for "none") has nothing to evaluate and is not one.
    """
    return (
        bool(value)
        and value[0] in TRIGGERS
        and PLAIN_NUMBER.fullmatch(value) is None
        and bool(value.lstrip(TRIGGERS + " \u3000"))
    )


def neutralise(value: str) -> str:
    """The value as a spreadsheet download writes it: formula-like cells marked as text."""
    return TEXT_MARK + value if formula_like(value) else value


def neutralise_row(row: Iterable[str]) -> list[str]:
    return [neutralise(cell) for cell in row]
