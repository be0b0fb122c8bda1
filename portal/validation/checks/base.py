"""What a check is: cell checks look at one value, row checks at several columns of a row.

Built-in checks register themselves by name (like frictionless's format plugins);
the rule sets in validators/*.yaml refer to them by that name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from re import _parser  # type: ignore[attr-defined]  # the stdlib's regex parser
from typing import Any, ClassVar

from portal.localgov import Directory, LocalGov


@dataclass
class Issue:
    """A problem a check found; the engine turns it into a Finding with row and field."""

    code: str
    fix: str | None = None
    note: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    # The check's own verdict on how bad this one is (a point outside the prefecture is an
    # error, one merely far from the office a warning); None: the catalogue's severity.
    severity: str | None = None


@dataclass
class CellContext:
    field: str
    kind: str | None
    descriptor: dict[str, Any]
    directory: Directory
    notes: dict[str, str]  # frictionless's notes for the value: "type" or a constraint name


CellCheck = Callable[[str, CellContext], list[Issue]]
CELL_CHECKS: dict[str, CellCheck] = {}
# A check's screen: a regex that every value it could object to matches. Values that
# match no screen of a column skip its checks (most values of most columns).
SCREENS: dict[str, re.Pattern[str]] = {}


# What a by-character screen may hold around its one character: anchors at the ends, and
# negative lookarounds (nothing around a character alone, so they hold for it too).
_AROUND = {"AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END", "AT_END_STRING"}


def by_char(screen: re.Pattern[str] | None) -> bool:
    """Whether `screen` can match a value only where it matches one of the value's
    characters on its own: each alternative is one character (a class or a literal), with at
    most anchors and negative lookarounds around it. Then a chunk's distinct characters
    screen its values: no character matched alone, no value matched."""
    if screen is None or screen.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
        return False
    return _one_char(_parser.parse(screen.pattern))


def _one_char(items: Any) -> bool:
    if len(items) == 1 and str(items[0][0]) == "BRANCH":
        return all(_one_char(branch) for branch in items[0][1][1])
    if len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        _group, add, remove, inner = items[0][1]
        return not add and not remove and _one_char(inner)
    consuming = 0
    for op, arg in items:
        kind = str(op)
        if kind in ("IN", "LITERAL"):
            consuming += 1
        elif kind == "AT" and str(arg) in _AROUND:
            continue
        elif kind != "ASSERT_NOT":
            return False
    return consuming == 1


def cell_check(
    name: str, screen: str | re.Pattern[str] | None = None
) -> Callable[[CellCheck], CellCheck]:
    def register(fn: CellCheck) -> CellCheck:
        CELL_CHECKS[name] = fn
        if screen is not None:
            SCREENS[name] = re.compile(screen) if isinstance(screen, str) else screen
        return fn

    return register


@dataclass
class RowContext:
    directory: Directory
    publisher: LocalGov | None


Columns = Mapping[str, Sequence[str | None]]


class RowCheck:
    """A check over several columns; `columns` names the parameters that are field names."""

    name: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]] = ()
    ROW_CHECKS: ClassVar[dict[str, type[RowCheck]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        RowCheck.ROW_CHECKS[cls.name] = cls

    def __init__(self, spec: Mapping[str, Any], ctx: RowContext) -> None:
        self.spec = dict(spec)
        self.ctx = ctx

    def fields(self) -> list[str]:
        """Every field this check reads; it runs only when the required ones are present."""
        out: list[str] = []
        for key in self.columns + self.optional:
            value = self.spec.get(key)
            out += value if isinstance(value, list) else [value] if value else []
        return out

    def required_fields(self) -> list[str]:
        out: list[str] = []
        for key in self.columns:
            value = self.spec[key]
            out += value if isinstance(value, list) else [value]
        return out

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        """(index into `rows`, field, issue) for each problem; `rows` are the row numbers."""
        raise NotImplementedError
