"""Which column of a file is which field of the standard, and how that was decided.

frictionless takes the columns by position: a file whose columns are the standard's in
another order, or under other names, had its population counts checked as 調査年月日
("an Excel date serial number"). Here a column is matched by its name first — the exact
name, the name but for width and punctuation, a legacy 推奨 name, a known synonym, an
English name (portal.pipeline.matching's tables, read-only) — and only a field no name found takes the
column at its own position, if that column is still free and the columns matched by name
around it are in their places. Every finding about a column matched by position alone says
so (validate.py); the report lists how each column was matched.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from portal.layout import normalise_label

# How a column was matched, best first, with the words the report uses (en, ja).
EXACT, LOOSE, LEGACY, SYNONYM = "exact", "name", "legacy", "synonym"
ENGLISH, POSITION = "english", "position"
HOW_WORDS = {
    EXACT: ("its name", "列名"),
    LOOSE: ("its name but for width and punctuation", "列名（全角半角・記号の違いのみ）"),
    LEGACY: ("a legacy 推奨 name", "旧推奨データセットの列名"),
    SYNONYM: ("a known other name", "よく使われる別名"),
    ENGLISH: ("an English name", "英語の列名"),
    POSITION: ("its position only", "位置のみ"),
}


@dataclass(frozen=True)
class ColumnMap:
    """For each field of the standard, the file column feeding it (0-based) and how."""

    header: tuple[str, ...]
    names: tuple[str, ...]  # the standard's field names
    sources: tuple[int | None, ...]
    hows: tuple[str | None, ...]

    @property
    def in_place(self) -> bool:
        """Every column where frictionless would look for it: the positional reading."""
        return self.sources == positional(len(self.header), len(self.names))

    @cached_property
    def moved(self) -> frozenset[int]:
        """The fields whose columns are out of the standard's order among the columns present:
        all but the longest run in order. A column only shifted by a missing or an extra one
        before it is in order (missing-label and extra-label say why it shifted)."""
        present = [(j, s) for j, s in enumerate(self.sources) if s is not None]
        kept = _longest_increasing([s for _, s in present])
        return frozenset(j for i, (j, _) in enumerate(present) if i not in kept)

    def field_of(self, column: int) -> int | None:
        return next((j for j, s in enumerate(self.sources) if s == column), None)

    def by_position(self, field: str) -> int | None:
        """The column that feeds `field` by its position alone, if it does."""
        j = self.names.index(field) if field in self.names else -1
        return self.sources[j] if j >= 0 and self.hows[j] == POSITION else None

    def to_list(self) -> list[dict[str, Any]]:
        """One entry per file column: its label, the field it feeds (or null) and how."""
        out = []
        for c, label in enumerate(self.header):
            j = self.field_of(c)
            how = self.hows[j] if j is not None else None
            out.append({"column": c + 1, "label": label,
                        "field": self.names[j] if j is not None else None, "how": how,
                        "moved": j in self.moved})  # fmt: skip
        return out


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes of a longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # index of the smallest tail of each length
    before: list[int | None] = []
    for i, v in enumerate(values):
        k = bisect_left([values[t] for t in tails], v)
        before.append(tails[k - 1] if k else None)
        tails[k : k + 1] = [i]
    out, at = set(), tails[-1] if tails else None
    while at is not None:
        out.add(at)
        at = before[at]
    return out


def positional(width: int, fields: int) -> tuple[int | None, ...]:
    return tuple(j if j < width else None for j in range(fields))


def match_header(
    header: Sequence[str], names: Sequence[str], english: Mapping[str, Sequence[str]] | None = None
) -> ColumnMap:
    """Each field's column: by name (exact, loose, legacy, synonym, English), then by position;
    `english` may add names per field (the standard's English keys)."""
    sources, hows = match_names(header, names, english)
    by_name = {s: s == j for j, s in enumerate(sources) if s is not None}  # column: in place?
    for j in range(min(len(names), len(header))):
        if sources[j] is None and j not in by_name and _anchored(j, by_name):
            sources[j], hows[j] = j, POSITION
    return ColumnMap(tuple(header), tuple(names), tuple(sources), tuple(hows))


def match_names(
    header: Sequence[str], names: Sequence[str], english: Mapping[str, Sequence[str]] | None = None
) -> tuple[list[int | None], list[str | None]]:
    """Each field's column found by its name alone (exact, loose, legacy, synonym, English:
    portal/mapping/english.yaml and `english`) and how; a field no name finds has None."""
    labels = [h.strip() for h in header]
    sources: list[int | None] = [None] * len(names)
    hows: list[str | None] = [None] * len(names)
    exact: dict[str, list[int]] = {}
    for c, label in enumerate(labels):
        exact.setdefault(normalise_label(label), []).append(c)
    for j, name in enumerate(names):
        under = exact.get(normalise_label(name))
        if under and len(under) == 1:
            sources[j], hows[j] = under[0], EXACT
    named = [c for c, label in enumerate(labels) if label]
    if sorted(s for s in sources if s is not None) == named:
        # Every column under a field's own name (a standard file, and every converted one):
        # no column is left for the other stages, so the name tables, the converter's package
        # and its YAML (~1 s at first use) are not needed.
        return sources, hows
    sources, hows = [None] * len(names), [None] * len(names)
    # Imported here: portal.pipeline (its package imports the converter) imports portal.validation.
    from portal.pipeline.matching import loose_key
    from portal.pipeline.profile import tables

    t = tables()
    stages: list[tuple[str, Callable[[str], Iterable[str]], Callable[[str], str]]] = [
        (EXACT, lambda f: [f], normalise_label),
        (LOOSE, lambda f: [f], loose_key),
        (LEGACY, lambda f: t.legacy.get(f, []), normalise_label),
        (SYNONYM, lambda f: t.synonyms.get(f, []), loose_key),
        (ENGLISH, lambda f: [*(english or {}).get(f, []), *t.english.get(f, [])], loose_key),
    ]
    taken: set[int] = set()
    for how, wanted, key in stages:
        columns: dict[str, list[int]] = {}
        for c, label in enumerate(labels):
            if label:
                columns.setdefault(key(label), []).append(c)
        for j, name in enumerate(names):
            if sources[j] is None:
                found = _first_free(columns, [key(other) for other in wanted(name)], taken)
                if found is not None:
                    sources[j], hows[j] = found, how
                    taken.add(found)
    return sources, hows


def _anchored(column: int, in_place: dict[int, bool]) -> bool:
    """Whether the position of a column says anything: the nearest columns matched by name on
    either side (or the edge of the table) are where the standard puts them. In a file whose
    columns are moved, the field at a column's position is a guess (a second 電話番号 is not
    所在地_都道府県 because it stands where that field would)."""
    left = max((c for c in in_place if c < column), default=None)
    right = min((c for c in in_place if c > column), default=None)
    return all(in_place[c] for c in (left, right) if c is not None)


def _first_free(
    columns: dict[str, list[int]], wanted: Sequence[str], taken: set[int]
) -> int | None:
    """The first column with a wanted key (in the order they are wanted) not yet feeding a
    field (of a repeated name, the next)."""
    for key in wanted:
        free = next((c for c in columns.get(key, ()) if c not in taken), None)
        if free is not None:
            return free
    return None


def english_keys(fields: Iterable[Mapping[str, object]]) -> dict[str, list[str]]:
    """The standard's English key of each field that has one (datasets/<slug>/schema.json)."""
    return {str(f["name"]): [str(f["key_en"])] for f in fields if f.get("key_en")}
