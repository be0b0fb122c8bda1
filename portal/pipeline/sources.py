"""Which source column a recipe means: by name, and by occurrence when two share a name.

Department tables repeat a name (two 電話番号 columns: the office's and the night line's).
Taking the first silently would publish the wrong number, so a name that occurs more than
once must say which: `電話番号#2`, or `{column: 電話番号, occurrence: 2}`. A column whose
whole name really is `電話番号#2` is still found by that name first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.layout import normalise_label
from portal.pipeline.guards import RecipeProblem

_OCCURRENCE = re.compile(r"(?P<name>.+?)\s*#\s*(?P<n>[0-9]{1,3})")
CLOSE_MATCHES = 3  # "did you mean" suggestions shown for a misspelt column


@dataclass(frozen=True)
class SourceRef:
    """A source column as the recipe names it; `occurrence` is 1-based when given."""

    name: str
    occurrence: int | None = None

    @property
    def base(self) -> str:
        """The name without a `#2` occurrence suffix: what the header holds."""
        if self.occurrence is None and (m := _OCCURRENCE.fullmatch(self.name)):
            return m["name"]
        return self.name

    def __str__(self) -> str:
        return self.name if self.occurrence is None else f"{self.name}#{self.occurrence}"

    @classmethod
    def of(cls, spec: Any) -> SourceRef:
        """From a recipe's `from` item: a name (`電話番号#2` allowed) or {column, occurrence}."""
        if isinstance(spec, dict):
            return cls(str(spec["column"]), int(spec["occurrence"]))
        return cls(str(spec))


class HeaderIndex:
    """The positions of each (normalised) column name of a source header."""

    def __init__(self, header: Sequence[str]) -> None:
        self.header = list(header)
        self.positions: dict[str, list[int]] = {}
        for i, label in enumerate(header):
            if label.strip():
                self.positions.setdefault(normalise_label(label), []).append(i)

    def position(self, ref: SourceRef) -> int:
        """The 0-based position of `ref`; RecipeProblem when it is missing or ambiguous."""
        name, occurrence = ref.name, ref.occurrence
        found = self.positions.get(normalise_label(name))
        if found is None and occurrence is None and (m := _OCCURRENCE.fullmatch(name)):
            name, occurrence = m["name"], int(m["n"])
            found = self.positions.get(normalise_label(name))
        if found is None:
            raise self._missing(str(ref))
        if occurrence is None:
            if len(found) > 1:
                raise self._ambiguous(name, found)
            return found[0]
        if not 1 <= occurrence <= len(found):
            raise RecipeProblem(
                f"the source has {len(found)} column(s) named '{name}', not {occurrence}",
                f"元の表の「{name}」列は{len(found)}列で、{occurrence}番目はありません",
            )
        return found[occurrence - 1]

    def _missing(self, written: str) -> RecipeProblem:
        names = [h for h in self.header if h.strip()]
        close = difflib.get_close_matches(written, names, n=CLOSE_MATCHES, cutoff=0.5)
        shown = ", ".join(names)
        hint_en = f" Did you mean {', '.join(close)}?" if close else ""
        hint_ja = f"（{'、'.join(close)} ですか？）" if close else ""
        return RecipeProblem(
            f"the source has no column '{written}';{hint_en} its columns are: {shown}",
            f"元の表に列「{written}」がありません{hint_ja}。列: {shown}",
        )

    @staticmethod
    def _ambiguous(name: str, found: list[int]) -> RecipeProblem:
        where = ", ".join(str(p + 1) for p in found)
        choices = " or ".join(f"{name}#{i}" for i in range(1, len(found) + 1))
        return RecipeProblem(
            f"the source has {len(found)} columns named '{name}' (columns {where}); "
            f"say which: {choices} (or {{column: {name}, occurrence: 2}})",
            f"元の表には「{name}」という列が{len(found)}つあります（{where}列目）。"
            f"どれかを書いてください: {choices.replace(' or ', '、')}"
            f"（または {{column: {name}, occurrence: 2}}）",
        )
