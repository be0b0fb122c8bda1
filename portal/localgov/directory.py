"""The list of every local government (package data built from the reference)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.errors import LocalGovCodeInvalid, LocalGovCodeNotFound
from portal.localgov import codes

DATA_FILE = Path(__file__).with_name("localgov.csv")
COLUMNS = ("lgcode", "prefecture", "name", "name_kana", "kind", "lat", "lng", "url")
KINDS = ("prefecture", "city", "ward", "special_ward", "town", "village")


@dataclass(frozen=True)
class LocalGov:
    lgcode: str
    prefecture: str
    name: str
    name_kana: str
    kind: str
    lat: float
    lng: float
    url: str

    @property
    def full_name(self) -> str:
        """Name as 地方公共団体名 writes it: 大阪府摂津市, or 大阪府 for a prefecture."""
        return self.name if self.kind == "prefecture" else self.prefecture + self.name


class Directory:
    """Lookups over the local government list."""

    def __init__(self, rows: list[LocalGov]) -> None:
        self._by_code = {r.lgcode: r for r in rows}
        self._by_name = {(r.prefecture, r.name): r for r in rows}

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[LocalGov]:
        return iter(self._by_code.values())

    def get(self, code: str) -> LocalGov | None:
        return self._by_code.get(code)

    def lookup(self, code: str) -> LocalGov:
        """The body with this 6-digit code; raises if malformed or unknown."""
        codes.validate(code)
        found = self._by_code.get(code)
        if found is None:
            raise LocalGovCodeNotFound(value=code)
        return found

    def by_name(self, prefecture: str, name: str) -> LocalGov | None:
        return self._by_name.get((prefecture, name))

    def repair(self, value: object) -> str:
        """The existing code a damaged value stands for (5-digit, zero-stripped, float…)."""
        text = codes.clean(value)
        existing = [c for c in codes.candidates(text) if c in self._by_code]
        if len(existing) == 1:
            return existing[0]
        if len(existing) > 1:
            raise LocalGovCodeInvalid(
                value=text,
                reason_en=f"it could be {' or '.join(existing)}; write the 6-digit code",
                reason_ja=f"{' か '.join(existing)} のどちらか判断できません。6桁で記入してください",
            )
        if len(text) == 6 and codes.is_valid(text):
            raise LocalGovCodeNotFound(value=text)
        raise LocalGovCodeInvalid(
            value=text,
            reason_en="no existing code can be made from it",
            reason_ja="既存のコードに修復できません",
        )


def read_rows(path: Path) -> list[LocalGov]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            LocalGov(
                lgcode=r["lgcode"],
                prefecture=r["prefecture"],
                name=r["name"],
                name_kana=r["name_kana"],
                kind=r["kind"],
                lat=float(r["lat"]),
                lng=float(r["lng"]),
                url=r["url"],
            )
            for r in csv.DictReader(fh)
        ]


@lru_cache(maxsize=4)
def load(path: Path = DATA_FILE) -> Directory:
    """The directory from package data; read once per process (it never changes at run time)."""
    return Directory(read_rows(path))
