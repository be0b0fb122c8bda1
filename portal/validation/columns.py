"""A column as the validator sees it, and how a chunk's values are sorted before judging:
which are clean already (shared between columns judged alike), which a screen picks out, and
where the bad ones are."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.validation.catalogue import Finding
from portal.validation.checks import CellCheck
from portal.validation.checks.base import SCREENS

# A field's keys that only document it: frictionless's reader and our checks never read them.
DOCUMENTARY = frozenset({"name", "title", "description", "example"})


@dataclass
class Column:
    index: int
    name: str
    descriptor: dict[str, Any]
    read: Callable[[Any], tuple[Any, dict[str, str] | None]]
    checks: list[CellCheck]
    unique: bool
    cache: dict[str, tuple[Finding, ...]] = field(default_factory=dict)  # values with a finding
    # Values without one; one set for the columns judged alike (the same type, constraints
    # and checks: eleven count columns share what each found clean).
    clean: set[str] = field(default_factory=set)
    missing: frozenset[str] = frozenset({""})
    first_seen: dict[str, int] = field(default_factory=dict)
    cast: dict[str, str] = field(default_factory=dict)
    last_value: str | None = None  # the last value that was not a ditto mark (〃)
    has_data: bool = False
    screen: re.Pattern[str] | None = None  # values not matching it cannot fail our checks
    screen_by_char: bool = False  # the screen matches a value only at a character it matches alone
    hot_chars: set[str] = field(default_factory=set)  # characters the screen matches alone
    cold_chars: set[str] = field(default_factory=set)  # characters it does not match alone
    needs_read: bool = True  # False when frictionless cannot object to any value (plain text)

    @property
    def kind(self) -> str | None:
        return self.descriptor.get("kind")


def share_clean_values(columns: list[Column], check_names: list[list[str]]) -> None:
    """One set of clean values for the columns whose verdicts cannot differ: everything
    that judges a value (type, format, constraints, missing values, kind, checks) alike; only
    the name and the words about the field, which no check reads, may differ."""
    shared: dict[str, set[str]] = {}
    for col, names in zip(columns, check_names, strict=True):
        alike = {k: v for k, v in col.descriptor.items() if k not in DOCUMENTARY}
        key = json.dumps(
            [alike, names, sorted(col.missing), col.unique], sort_keys=True, default=str
        )
        col.clean = shared.setdefault(key, col.clean)


def suspects(col: Column, values: set[str]) -> set[str]:
    """The values the column's screen picks out. A column of codes has a new value on every
    row; when the screen matches only at one character, the chunk's characters are screened
    first (a few dozen) and only values holding a character it matches are searched."""
    assert col.screen is not None
    search = col.screen.search
    if col.screen_by_char:
        chars = set("".join(values)) - col.cold_chars
        if not chars <= col.hot_chars:
            new = chars - col.hot_chars
            hot = set(filter(search, new))
            col.hot_chars |= hot
            col.cold_chars |= new - hot
        hot = chars & col.hot_chars
        if not hot:
            return set()
        values = {v for v in values if not hot.isdisjoint(v)}
    return set(filter(search, values))


def positions(values: Sequence[str | None], wanted: set[str]) -> list[int]:
    """Where the wanted values are, in order; `index` scans at C speed, a few values are wanted."""
    out: list[int] = []
    for value in wanted:
        i = -1
        try:
            while True:
                i = values.index(value, i + 1)
                out.append(i)
        except ValueError:
            pass
    return sorted(out)


def last_filled(values: Sequence[str | None], default: str | None) -> str | None:
    for value in reversed(values):
        if value:
            return value
    return default


def screen(check_names: list[str]) -> re.Pattern[str] | None:
    """One regex for all of a column's checks, if every one of them has a screen."""
    if any(name not in SCREENS for name in check_names):
        return None
    return re.compile("|".join(f"(?:{SCREENS[name].pattern})" for name in check_names))


def read_value(col: Column, value: str) -> tuple[Any, dict[str, str]]:
    """frictionless's verdict on one value; a value that crashes it (e.g. "sNaN" against a
    numeric minimum: decimal.InvalidOperation) is a type error, not an exception."""
    try:
        value_cast, notes = col.read(value)
    except (ArithmeticError, ValueError, TypeError):
        return None, {"type": f'type is "{col.descriptor["type"]}/default"'}
    return value_cast, notes or {}
