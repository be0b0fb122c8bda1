"""Where the table sits in a sheet: title rows above, the header row, notes below.

Department spreadsheets put a title (and a date, a unit, a note) above the
header, and footnotes under the table. The machine-readability rules forbid
both, but the portal must still find the table to say so — and to convert it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HEAD_ROWS = 30  # rows read before deciding where the header is
NOTE_START = re.compile(r"^\s*(※|＊|\*|注|（注|\(注|出典|出所|資料|備考|作成|更新|［注|\[注)")
# LinkData (linkdata.org) and code4japan tables put rows about the columns right under the
# header: the RDF types (#object_type_xsd: string, double …), the contexts
# (#property_context: Assertion …), the language and the properties. They are not data.
TYPE_ROW = re.compile(
    r"^#(property|property_context|object_type_xsd|object_type|object_lang|context|lang)$"
)
DASHES = str.maketrans({"―": "ー", "‐": "ー", "‑": "ー", "–": "ー", "—": "ー"})


def normalise_label(label: str) -> str:
    """A column name as compared with the standard's: width, spaces and dash look-alikes ignored."""
    text = unicodedata.normalize("NFKC", label.replace("\ufeff", "")).translate(DASHES)
    return re.sub(r"\s+", "", text)


def filled(row: Sequence[str | None]) -> int:
    return sum(1 for cell in row if cell and cell.strip())


def is_blank(row: Sequence[str | None]) -> bool:
    return filled(row) == 0


def is_sparse(row: Sequence[str], width: int) -> bool:
    """Blank or a footnote line. Most rows fill their first three cells and are neither,
    which is checked first because this runs on every row of a file."""
    if len(row) > 2 and row[0] and row[1] and row[2]:
        return False
    return is_blank(row) or is_note_row(row, width)


def is_note_row(row: Sequence[str | None], width: int) -> bool:
    """A footnote line under a table: one or two cells, starting with ※/注/出典… or long text."""
    cells = [c for c in row if c and c.strip()]
    if not cells or width < 3 or len(cells) > 2:
        return False
    return bool(NOTE_START.match(cells[0])) or (len(cells) == 1 and len(cells[0]) > 40)


def is_type_row(row: Sequence[str | None]) -> bool:
    """A LinkData row about the columns (#object_type_xsd, #property_context, #lang …)."""
    first = next((c.strip() for c in row if c and c.strip()), "")
    return bool(TYPE_ROW.match(first.casefold()))


@dataclass
class FoundHeader:
    """find_header's answer: the header row among the first rows and the titles above it."""

    header_row: int  # 1-based; 0 when the sheet is empty
    header: list[str]
    title_rows: list[int] = field(default_factory=list)


def find_header(head: Sequence[Sequence[str]], known: Iterable[str] = ()) -> FoundHeader:
    """The header among the first rows: the row naming most known fields, else the first full one."""
    known_set = {normalise_label(k) for k in known}
    counts = [filled(r) for r in head]
    if not any(counts):
        return FoundHeader(header_row=0, header=[])
    best = _by_known_names(head, known_set)
    if best is None:
        widest = max(counts)
        need = max(2, math.ceil(0.6 * widest)) if widest > 1 else 1
        best = next(i for i, n in enumerate(counts) if n >= need)
    titles = [i + 1 for i in range(best) if counts[i]]
    return FoundHeader(header_row=best + 1, header=[c or "" for c in head[best]], title_rows=titles)


def _by_known_names(head: Sequence[Sequence[str]], known: set[str]) -> int | None:
    if not known:
        return None
    # Distinct names: the second row of a two-row header repeats 計・男・女 under every age
    # band and must not outscore the first row's 町丁名, 世帯数, 総数.
    scores = [len({n for c in row if c and (n := normalise_label(c)) in known}) for row in head]
    top = max(scores)
    return scores.index(top) if top >= 3 else None


NUMERIC = re.compile(r"^[\s\d０-９.,，．:：/／\-－+]+$")


def is_subheader(header: Sequence[str], below: Sequence[str]) -> bool:
    """Whether the row under the header continues it (a two-row or merged header).

    The header has gaps (a merged cell spans several columns; its value sits in the
    first) and the row below names those columns, with nothing that looks like data.
    """
    width = max(len(header), len(below))
    gaps = [i for i in range(width) if i >= len(header) or not (header[i] or "").strip()]
    named = [i for i in gaps if i < len(below) and (below[i] or "").strip()]
    data_like = any(c and NUMERIC.match(c) for c in below)
    return bool(named) and filled(below) >= 2 and not data_like


def join_header(rows: Sequence[Sequence[str]], join: str = "") -> list[str]:
    """One name per column from several header rows: a merged cell's name is carried
    to the columns it spans, then the parts are joined top to bottom (男性 + 0-4歳 → 男性0-4歳)."""
    width = max((len(r) for r in rows), default=0)
    filled_rows = []
    for depth, row in enumerate(rows):
        cells = [(row[i] if i < len(row) else "").strip() for i in range(width)]
        if depth < len(rows) - 1:  # a merged cell spans right until the next name
            last = ""
            for i, cell in enumerate(cells):
                last = cell or last
                below = rows[depth + 1][i] if i < len(rows[depth + 1]) else ""
                cells[i] = cell or (last if (below or "").strip() else "")
        filled_rows.append(cells)
    names = []
    for i in range(width):
        parts: list[str] = []
        for row in filled_rows:
            if row[i] and (not parts or parts[-1] != row[i]):
                parts.append(row[i])
        names.append(join.join(parts))
    return names
