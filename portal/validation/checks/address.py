"""Address checks: an address's parts against its full form (and, with issue 13, what the
split could not place, 町字 against the known ones, 町字ID)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from portal.normalize import is_ditto
from portal.validation.checks.base import Columns, Issue, RowCheck
from portal.validation.checks.rows import address_key


class AddressParts(RowCheck):
    """所在地_連結表記 begins with its parts (都道府県, 市区町村, 町字, 番地以下) joined."""

    name = "address-parts"
    columns = ("full", "parts")

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        full_f, parts_f = self.spec["full"], list(self.spec["parts"])
        for i in range(len(rows)):
            full = cols[full_f][i]
            parts = [cols[p][i] or "" for p in parts_f]
            joined = "".join(p.strip() for p in parts)
            if not full or not parts[-1].strip() or any(is_ditto(p) for p in parts):
                continue  # a 〃 in a part is reported on its own; the join would only echo it
            if address_key(full).startswith(address_key(joined)):
                continue
            yield i, full_f, Issue("address-parts-mismatch", params={"joined": joined})
