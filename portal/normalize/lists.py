"""Multi-valued cells: the standard separates values with a half-width ";" (RULES §7).

Use these only on fields the standard defines as lists (対象となる町会・自治会,
診療科目, バリアフリー情報…): in free text, "、" is punctuation, not a separator.

Decisions:
- "," and "/" are never separators: "1,000円", URLs and 市川市's
  "通所介護/認知症対応型通所介護" (a service pair, not a list) contain them.
- "，" between digits followed by exactly three digits is a thousands
  separator ("１，０００円"), and "／" between digits is a date or a fraction
  ("４／２"); both are left alone.
- `list_problem` also reports "empty-item" (";;", a leading or trailing ";"),
  which `normalize_list` drops.
"""

from __future__ import annotations

import re

SEPARATOR = ";"

_DIGIT = "[0-9０-９]"
_SEPARATORS = re.compile(
    r"、|；"
    rf"|(?<!{_DIGIT})，|，(?!{_DIGIT}{{3}}(?!{_DIGIT}))"
    rf"|(?<!{_DIGIT})／|／(?!{_DIGIT})"
)
_SPACES = " \t\u3000"


def _unify_separators(text: str) -> str:
    """Every separator a ";", without the spaces around it.

    The spaces are stripped item by item: a pattern with optional spaces on
    both sides of the separator tried every start in a run of spaces, which
    took minutes for a cell of spaces.
    """
    items = _SEPARATORS.sub(SEPARATOR, text).split(SEPARATOR)
    last = len(items) - 1
    for i, item in enumerate(items):
        if i > 0:
            item = item.lstrip(_SPACES)
        items[i] = item.rstrip(_SPACES) if i < last else item
    return SEPARATOR.join(items)


def normalize_list(text: str) -> str:
    """Separators → ";", items stripped, empty items dropped: "A町、 B町；;C町" → "A町;B町;C町"."""
    items = (item.strip(_SPACES) for item in _unify_separators(text).split(SEPARATOR))
    return SEPARATOR.join(item for item in items if item)


def list_problem(text: str) -> str | None:
    """What is wrong with the list's separators, or None.

    "separator": 、，；／ or spaces around ";" used between items.
    "empty-item": ";;", or a ";" at the start or end.
    """
    unified = _unify_separators(text)
    if unified != text:
        return "separator"
    if SEPARATOR in text and any(not item.strip(_SPACES) for item in text.split(SEPARATOR)):
        return "empty-item"
    return None
