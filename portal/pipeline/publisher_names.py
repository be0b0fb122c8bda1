"""Local governments named in words: a name column's value (焼津市, 静岡県焼津市, 榛原郡吉田町,
堺市堺区), the title rows above a table, a file or sheet name (焼津市_AED一覧.xlsx), and a code
in a file name (222127_aed.csv). The vocabularies are portal/mapping/publisher.yaml.

Decisions:
- A designated city's ward counts as its city everywhere (堺市堺区 → 271403 堺市): the city
  publishes, a ward is not a 地方公共団体 of its own.
- A name held by several bodies (府中市: 東京都 and 広島県; 森町; 中央区) is settled only by a
  prefecture: the row's prefecture column, one written in the same text, or the prefecture
  every other name of the file is in. Unsettled, it names nobody.
- In free text the longest name at each position wins (大津市, not 津市), left to right. A
  text naming one municipality names it; a prefecture and a municipality in it, the
  municipality; a prefecture alone, the prefecture; several municipalities, all of them (the
  caller decides). A 町/村 name written bare (no prefecture or 郡 before it) is too often a
  町字 (栄町, 錦町): it counts only when the text names no 市/区 and no qualified name.
- ヶ/ヵ are read as ケ (both spellings are in use; the list writes ケ).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.errors import PortalError
from portal.layout import normalise_label
from portal.localgov import Directory, LocalGov

VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "mapping" / "publisher.yaml"

_FOLD = str.maketrans({"ヶ": "ケ", "ヵ": "ケ"})
_SPACES = re.compile(r"[\s\u3000]+")
_SHORTEST_NAME = 2  # 津市, 堺市: no body's name is shorter
_TOWN_KINDS = frozenset({"town", "village"})


@dataclass(frozen=True)
class Vocabulary:
    """portal/mapping/publisher.yaml, its names as column_key() writes them."""

    code_columns: frozenset[str]
    prefecture_columns: frozenset[str]
    municipality_columns: frozenset[str]
    file_name_patterns: tuple[re.Pattern[str], ...]


def column_key(name: str) -> str:
    """A column name as the vocabulary is compared: width, spaces, dashes and case ignored."""
    return normalise_label(name).casefold()


@lru_cache(maxsize=2)
def vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))

    def keys(name: str) -> frozenset[str]:
        return frozenset(column_key(str(n)) for n in data[name])

    return Vocabulary(
        code_columns=keys("code_columns"),
        prefecture_columns=keys("prefecture_columns"),
        municipality_columns=keys("municipality_columns"),
        file_name_patterns=tuple(re.compile(p) for p in data["file_name_patterns"]),
    )


def as_city(gov: LocalGov, directory: Directory) -> LocalGov:
    """A designated city's ward → the city (堺市堺区 → 堺市); any other body as it is."""
    if gov.kind != "ward":
        return gov
    return directory.by_name(gov.prefecture, gov.name[: gov.name.find("市") + 1]) or gov


class Names:
    """Every body's name → the bodies it may mean (wards as their cities)."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.prefectures: dict[str, LocalGov] = {}
        self.bodies: dict[str, list[LocalGov]] = {}
        self.with_prefecture: set[str] = set()  # 静岡県森町: names written after their prefecture
        for gov in directory:
            if gov.kind == "prefecture":
                self.prefectures[_fold(gov.name)] = gov
                continue
            city = as_city(gov, directory)
            names = [gov.name, gov.prefecture + gov.name]
            self.with_prefecture.add(_fold(gov.prefecture + gov.name))
            if gov.kind == "ward":  # 堺区 alone too (北区 alone is several)
                names.append(gov.name[gov.name.find("市") + 1 :])
            for name in map(_fold, names):
                bodies = self.bodies.setdefault(name, [])
                if city not in bodies:
                    bodies.append(city)
        self.longest = max(map(len, [*self.bodies, *self.prefectures]))

    def prefecture(self, text: str) -> LocalGov | None:
        return self.prefectures.get(_fold(_SPACES.sub("", text)))

    def municipality(self, text: str, prefecture: str | None = None) -> LocalGov | None:
        """The body a name column's value names: 焼津市, 静岡県焼津市, 榛原郡吉田町, 堺市堺区, a
        prefecture alone; None when unknown or several bodies bear the name."""
        name = _fold(_SPACES.sub("", text))
        if gov := self.prefectures.get(name):
            return gov
        for pref in self.prefectures:  # a prefecture written in front settles the name
            if name.startswith(pref) and len(name) > len(pref):
                prefecture, name = self.prefectures[pref].name, name[len(pref) :]
                break
        if name not in self.bodies and "郡" in name[:-1]:  # 榛原郡吉田町 → 吉田町
            name = name[name.index("郡") + 1 :]
        return _settled(self.bodies.get(name, []), prefecture)

    def named_in(self, text: str) -> list[LocalGov]:
        """The bodies a free text names (a title row, a file name): see the module's rules."""
        found, prefectures = self._scan(_fold(text))
        wanted = prefectures[0].name if len(prefectures) == 1 else None
        strong: list[LocalGov] = []
        weak: list[LocalGov] = []
        for candidates, qualified in found:
            gov = _settled(candidates, wanted)
            bare_town = not qualified and gov is not None and gov.kind in _TOWN_KINDS
            into = weak if bare_town else strong
            if gov is not None and gov not in into:
                into.append(gov)
        if strong or weak:
            return strong or weak
        return prefectures if len(prefectures) == 1 else []

    def _scan(self, text: str) -> tuple[list[tuple[list[LocalGov], bool]], list[LocalGov]]:
        """Names at each position, the longest first, left to right without overlaps; each
        with whether a prefecture or a 郡 is written right before it."""
        found: list[tuple[list[LocalGov], bool]] = []
        prefectures: list[LocalGov] = []
        i = 0
        after = False  # the last word was a prefecture or a 郡
        while i < len(text):
            for size in range(min(self.longest, len(text) - i), _SHORTEST_NAME - 1, -1):
                word = text[i : i + size]
                if word in self.bodies:
                    found.append((self.bodies[word], after or word in self.with_prefecture))
                elif word in self.prefectures:
                    if self.prefectures[word] not in prefectures:
                        prefectures.append(self.prefectures[word])
                else:
                    continue
                after, i = word in self.prefectures, i + size
                break
            else:
                after, i = text[i] == "郡", i + 1
        return found, prefectures

    def in_file_name(self, file_name: str) -> tuple[LocalGov | None, str]:
        """The body a file name's code names (222127_aed.csv), and that code as written."""
        stem = Path(file_name).stem
        for pattern in vocabulary().file_name_patterns:
            for m in pattern.finditer(stem):
                try:
                    code = self.directory.repair(m["code"])
                except PortalError:
                    continue
                return as_city(self.directory.lookup(code), self.directory), m["code"]
        return None, ""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def _settled(candidates: list[LocalGov], prefecture: str | None) -> LocalGov | None:
    if prefecture is not None:
        candidates = [g for g in candidates if g.prefecture == prefecture]
    return candidates[0] if len(candidates) == 1 else None


@lru_cache(maxsize=4)
def names(directory: Directory) -> Names:
    """The index for a directory (built once: about 2,000 bodies)."""
    return Names(directory)
