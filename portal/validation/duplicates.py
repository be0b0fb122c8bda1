"""Exact duplicate rows: a row the same as an earlier one, cell for cell.

Rows are remembered by their hash, not their text, and only so many of them: memory stays
bounded whatever the file's size (a 10-million-row file is validated in a fixed ceiling).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import ne

# Rows remembered (a hash and a row number each, about 100 bytes): every municipal list and
# most statistics tables are far shorter. Past it, a row is still compared with the ones
# remembered, and is not remembered itself.
MAX_ROWS_REMEMBERED = 200_000


class DuplicateRows:
    def __init__(self, limit: int = MAX_ROWS_REMEMBERED) -> None:
        self.limit = limit
        self.first_of: dict[int, int] = {}  # hash of a row's cells → its row number

    def check(
        self, numbers: Sequence[int], rows: Sequence[Sequence[str | None]]
    ) -> list[tuple[int, int]]:
        """(row, the earlier row it repeats) for each duplicate in this chunk, in order.
        Two different rows sharing a 64-bit hash are too unlikely to matter in one file."""
        hashes = list(map(hash, map(tuple, rows)))
        seen = self.first_of
        if len(seen) < self.limit:
            firsts = list(map(seen.setdefault, hashes, numbers))  # C speed: no loop per row
        else:
            firsts = list(map(seen.get, hashes, numbers))
        return [
            (numbers[i], firsts[i]) for i in compress(range(len(numbers)), map(ne, firsts, numbers))
        ]
