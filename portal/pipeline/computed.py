"""Columns a recipe computes from several source columns, and rows it drops as duplicates.

- `sum: [男, 女]` / `expr: "男 + 女"` (portal.pipeline.expressions): a cell that is not a
  number is never read as 0: the row's value is "unread" with the reason (the conversion
  report lists it; `on_error` says what the output cell gets). A blank part is unread
  too, unless the recipe says `blank: zero`; a row whose parts are all blank gives a blank
  (a heading or subtotal row without numbers). 1,234, full-width digits, a unit after the
  number (40人) and △/▲ for minus (Japanese statistics) are read.
- `marked: {columns: [訪問介護, 通所介護], mark: ○}`: the names of the columns marked, `;`
  between them (the standard's list separator). A cell is marked when it is the mark (any
  yes: ○ ◯ 〇 ● 有 あり 1 … when no mark is given), not marked when blank or a no (× 無
  なし 0 …); anything else (△, 休止中) is unread rather than guessed.
- `dedupe`: a row whose key fields (every field, or the ones named) are the same as an
  earlier row's is left out and listed with the earlier row's number. Rows whose key
  fields are all blank are kept: blanks say nothing about being the same thing. Memory
  grows with the rows (a 16-byte digest per distinct key), so it is off unless asked.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from portal.normalize.lists import SEPARATOR
from portal.normalize.yesno import NO, YES, to_yes_no
from portal.pipeline.expressions import Expression
from portal.pipeline.sources import SourceRef

# Decimal places written when a result is not whole and the recipe gives no `round`:
# enough for any ratio a table publishes, and the precision of the standard's coordinates.
DEFAULT_PLACES = 6
CACHE_LIMIT = 50_000  # distinct cells remembered per computed column (as transform.py)
_NUMBER = re.compile(r"([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*[^0-9\s]*")
_MINUS_SIGNS = ("△", "▲")  # 統計表: △5 is −5


@dataclass(frozen=True)
class Problem:
    """Why a row's computed value could not be made; `value` is the source text at fault."""

    value: str
    en: str
    ja: str


def read_number(text: str) -> Decimal | None:
    """12, 1,234, １２, 40人, △5 → a Decimal; None for anything else (不明, -, 12/3)."""
    half = unicodedata.normalize("NFKC", text).strip()
    sign = ""
    if half.startswith(_MINUS_SIGNS):
        sign, half = "-", half[1:].lstrip()
    match = _NUMBER.fullmatch(half)
    if match is None or (sign and match[1]):
        return None
    return Decimal(sign + match[1] + match[2].replace(",", "") + (match[3] or ""))


def format_number(value: Decimal, places: int | None) -> str:
    if places is None and value.as_tuple().exponent == 0 and not value.is_signed():
        return str(value)  # the common case: a whole, non-negative sum
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    elif value != value.to_integral_value():
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -DEFAULT_PLACES:
            value = value.quantize(Decimal(1).scaleb(-DEFAULT_PLACES), ROUND_HALF_UP)
    text = format(value, "f")
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


@dataclass(frozen=True)
class Arithmetic:
    """`sum:` or `expr:`; `blank` is "unread" or "zero", `places` the `round:` option."""

    expression: Expression
    blank: str = "unread"
    places: int | None = None

    @property
    def refs(self) -> list[SourceRef]:
        return self.expression.columns


@dataclass(frozen=True)
class Marked:
    """`marked:` the source columns, the label written for each, and the marks (None: any yes)."""

    refs: list[SourceRef]
    labels: list[str]
    marks: frozenset[str] | None = None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass
class Computation:
    """A computed column at work: its spec and the cells already read."""

    spec: Arithmetic | Marked
    cache: dict[str, Decimal | str | None] = field(default_factory=dict)

    def values(self, parts: Sequence[Sequence[str]]) -> tuple[list[str], dict[int, Problem]]:
        """The column's values for a chunk (`parts`: the source columns, in `refs` order) and
        the problem of each row (by index in the chunk) whose value could not be made."""
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()
        if isinstance(self.spec, Marked):
            return self._marked(self.spec, parts)
        return self._arithmetic(self.spec, parts)

    def _arithmetic(
        self, spec: Arithmetic, parts: Sequence[Sequence[str]]
    ) -> tuple[list[str], dict[int, Problem]]:
        out: list[str] = []
        problems: dict[int, Problem] = {}
        evaluate, places = spec.expression.evaluate, spec.places
        # column by column first: each distinct cell is read once, as in transform.py
        numbers = [list(map(self._number, part)) for part in parts]
        for i, row in enumerate(zip(*numbers, strict=True)):
            if None in row:
                problem = self._problem(spec, [part[i] for part in parts], row)
                if problem is None:
                    out.append("")  # a row with no numbers at all: nothing to compute
                    continue
                row = tuple(Decimal(0) if n is None else n for n in row)
                if problem.en:
                    problems[i] = problem
                    out.append(problem.value)
                    continue
            try:
                out.append(format_number(evaluate(row), places))
            except ArithmeticError:  # 0 in a divisor
                problems[i] = Problem("", "division by zero", "0 で割ることになります")
                out.append("")
        return out, problems

    @staticmethod
    def _problem(
        spec: Arithmetic, cells: list[str], row: tuple[Decimal | None, ...]
    ) -> Problem | None:
        """Why a row with an unreadable part has no value; None for a row of blanks, and an
        empty Problem when the blanks count as zero (the value can be made)."""
        if not any(c.strip() for c in cells):
            return None
        for ref, cell, number in zip(spec.refs, cells, row, strict=True):
            if number is None and (cell.strip() or spec.blank != "zero"):
                return _not_a_number(str(ref), cell)
        return Problem("", "", "")

    def _number(self, cell: str) -> Decimal | None:
        if cell not in self.cache:
            self.cache[cell] = read_number(cell)
        cached = self.cache[cell]
        return cached if isinstance(cached, Decimal) else None

    def _marked(
        self, spec: Marked, parts: Sequence[Sequence[str]]
    ) -> tuple[list[str], dict[int, Problem]]:
        out: list[str] = []
        problems: dict[int, Problem] = {}
        for i, cells in enumerate(zip(*parts, strict=True)):
            items = []
            for ref, label, cell in zip(spec.refs, spec.labels, cells, strict=True):
                verdict = self._mark(spec, cell)
                if verdict == YES:
                    items.append(label)
                elif verdict is None and i not in problems:
                    problems[i] = _not_a_mark(spec, str(ref), cell)
            out.append(problems[i].value if i in problems else SEPARATOR.join(items))
        return out, problems

    def _mark(self, spec: Marked, cell: str) -> str | None:
        """YES when marked, NO when not, None when the cell says neither."""
        if cell not in self.cache:
            folded = _folded(cell)
            answer = to_yes_no(folded) if folded else NO
            if spec.marks is not None:
                answer = YES if folded in spec.marks else (NO if answer == NO else None)
            self.cache[cell] = answer
        cached = self.cache[cell]
        return cached if isinstance(cached, str) else None


def _not_a_number(name: str, cell: str) -> Problem:
    if not cell.strip():
        return Problem(
            cell,
            f"{name} is blank: the value needs every part (blank: zero counts blanks as 0)",
            f"{name} が空欄です。計算にはすべての値が必要です（空欄を 0 とするには blank: zero）",
        )
    return Problem(
        cell, f"{name}: '{cell}' is not a number", f"{name}: 「{cell}」は数値ではありません"
    )


def _not_a_mark(spec: Marked, name: str, cell: str) -> Problem:
    marks = "/".join(sorted(spec.marks)) if spec.marks is not None else "○"
    return Problem(
        cell,
        f"{name}: '{cell}' is neither the mark {marks} nor blank or ×",
        f"{name}: 「{cell}」は印（{marks}）でも空欄・×でもありません",
    )


@dataclass(frozen=True)
class Dedupe:
    """`dedupe:` the standard fields that make two rows the same (empty: every field)."""

    fields: tuple[str, ...] = ()


class Deduplicator:
    def __init__(self, spec: Dedupe, field_names: Sequence[str]) -> None:
        self.positions = [field_names.index(f) for f in spec.fields] or list(
            range(len(field_names))
        )
        self.which_en = ", ".join(spec.fields) if spec.fields else "every field"
        self.which_ja = "、".join(spec.fields) if spec.fields else "すべての項目"
        self.seen: dict[bytes, int] = {}

    def duplicates(
        self, columns: Sequence[Sequence[str]], numbers: Sequence[int]
    ) -> list[tuple[int, int]]:
        """(index in the chunk, the earlier row's number) of each row already seen."""
        keys = zip(*(columns[p] for p in self.positions), strict=True)
        found = []
        for i, key in enumerate(keys):
            if not any(key):
                continue
            digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=16).digest()
            first = self.seen.setdefault(digest, numbers[i])
            if first != numbers[i]:
                found.append((i, first))
        return found
