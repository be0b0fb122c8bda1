"""Regular expressions a recipe supplies (`replace`, filter `matches`), run by RE2.

Python's `re` backtracks: `^(a+)+$` on 34 a's and a b never returns. RE2 runs in time
linear in the text and refuses what needs backtracking (backreferences, lookarounds), so
no recipe can stall a conversion. RE2's \\d \\s \\w are ASCII; the README says so.

google-re2's own `sub()` decodes the replacement as `unicode_escape` and garbles Japanese
(様 becomes æ§\\x98), so replacements are expanded here: \\1…\\99 and \\g<name> insert a
group, \\\\ \\n \\t \\r are a backslash, newline, tab and return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2

from portal.pipeline.guards import RecipeProblem

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every refused pattern to stderr
_ESCAPE = re.compile(r"\\(?:g<([^>]*)>|([0-9]{1,2})|(.)|$)", re.DOTALL)
_CHARACTER_ESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
_UNSUPPORTED = [  # what RE2 refuses that Python users write, said plainly
    ("invalid perl operator: (?=", "lookahead (?=…) is not supported", "先読み (?=…) は使えません"),
    ("invalid perl operator: (?!", "lookahead (?!…) is not supported", "否定先読み (?!…) は使えません"),
    ("invalid perl operator: (?<", "lookbehind (?<=…) (?<!…) is not supported", "後読み (?<=…) (?<!…) は使えません"),
]  # fmt: skip
_BACKREFERENCE = re.compile(r"invalid escape sequence: \\[1-9]")


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """The compiled RE2 pattern; RecipeProblem if RE2 cannot take it."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args else str(exc)
    en = ja = reason
    for start, en_, ja_ in _UNSUPPORTED:
        if reason.startswith(start):
            en, ja = en_, ja_
    if _BACKREFERENCE.match(reason):
        en, ja = "backreferences (\\1) are not supported", "後方参照（\\1 など）は使えません"
    shown = pattern if len(pattern) <= 80 else pattern[:79] + "…"
    raise RecipeProblem(
        f"'{shown}' is not a regular expression the portal can run (RE2 syntax): {en}",
        f"「{shown}」は使える正規表現ではありません（RE2 の書き方）: {ja}",
    )


@dataclass(frozen=True)
class Group:
    """\\1 or \\g<name> in a replacement."""

    ref: int | str


@dataclass(frozen=True)
class Replacement:
    """A `with:` text cut into literal pieces and group references."""

    pieces: tuple[str | Group, ...]

    def expand(self, match: Any) -> str:
        return "".join(p if isinstance(p, str) else (match.group(p.ref) or "") for p in self.pieces)


@lru_cache(maxsize=256)
def replacement(pattern: str, template: str) -> Replacement:
    """`template` checked against the groups of `pattern`; RecipeProblem if it names a missing one."""
    regex = compile_pattern(pattern)
    pieces: list[str | Group] = []
    last = 0
    for m in _ESCAPE.finditer(template):
        pieces.append(template[last : m.start()])
        last = m.end()
        name, number, char = m.groups()
        if name is None and number is None:  # \n, \\, … or a backslash at the end
            pieces.append(_character(template, char or ""))
            continue
        group: str | int = int(number) if number else int(name) if name.isdigit() else name
        if group not in regex.groupindex if isinstance(group, str) else group > regex.groups:
            raise RecipeProblem(
                f"'with: {template}' refers to group {group}, which the pattern does not have",
                f"「with: {template}」のグループ {group} はパターンにありません",
            )
        pieces.append(Group(group))
    pieces.append(template[last:])
    return Replacement(tuple(p for p in pieces if p != ""))


def _character(template: str, char: str) -> str:
    if char in _CHARACTER_ESCAPES:
        return _CHARACTER_ESCAPES[char]
    if char.isascii() and char.isalnum() or not char:
        what = f"unknown escape \\{char}" if char else "a lone \\ at the end"
        raise RecipeProblem(
            f"'with: {template}': {what}; write \\\\ for a backslash",
            f"「with: {template}」: \\{char} は使えません。バックスラッシュそのものは \\\\ と書いてください",
        )
    return char  # \- \. … : the character itself, as in Python


def substitute(pattern: str, template: str, value: str) -> str:
    """Every match of `pattern` in `value` replaced by `template` (checked by `replacement`)."""
    expand = replacement(pattern, template).expand
    return str(compile_pattern(pattern).sub(expand, value))


def search(pattern: str, value: str) -> bool:
    return compile_pattern(pattern).search(value) is not None
