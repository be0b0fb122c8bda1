"""Local governments' names in Latin letters, for the English pages: 静岡県焼津市 →
"Yaizu City, Shizuoka", from the directory's hiragana reading (name_kana), never from the
kanji (whose readings are ambiguous).

Romanisation is modified Hepburn without macrons, as place names are written in English:
おお/おう → o and うう → u (おおさか → Osaka, とうきょう → Tokyo), ん before b/m/p stays n
(ぐんま → Gunma). pykakasi gives Hepburn with the long vowels spelt out (toukyou); the
long vowels are then shortened here."""

from __future__ import annotations

import re
from functools import cache

import pykakasi

from portal.localgov.directory import Directory, LocalGov

# What a kind of body is called in English, and how its reading ends in kana (the suffix
# is cut from the reading before romanising: やいづし → やいづ → Yaizu).
KIND_WORDS = {"city": "City", "town": "Town", "village": "Village", "ward": "Ward",
              "special_ward": "Ward"}  # fmt: skip
KIND_SUFFIXES = {
    "city": ("し",),
    "town": ("ちょう", "まち"),
    "village": ("むら", "そん"),
    "ward": ("く",),
    "special_ward": ("く",),
}
# A prefecture is named without 都/府/県 (Tokyo, Osaka, Shizuoka); 北海道's どう is part of
# its name (Hokkaido).
PREFECTURE_SUFFIXES = {"都": "と", "府": "ふ", "県": "けん"}
# Long vowels as pykakasi spells them → as English place names write them.
LONG_VOWELS = re.compile(r"o[ou]|uu")


@cache
def _converter() -> pykakasi.kakasi:
    return pykakasi.kakasi()


def romanise(kana: str) -> str:
    """Hiragana in modified Hepburn without macrons, capitalised: おおさか → Osaka."""
    hepburn = "".join(part["hepburn"] for part in _converter().convert(kana))
    short = LONG_VOWELS.sub(lambda m: m.group(0)[0], hepburn)
    return short[:1].upper() + short[1:]


def _without(kana: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if kana.endswith(suffix) and len(kana) > len(suffix):
            return kana[: -len(suffix)]
    return kana


def prefecture_name(body: LocalGov) -> str:
    """The prefecture of a prefecture row: ほっかいどう → Hokkaido, とうきょうと → Tokyo."""
    suffix = PREFECTURE_SUFFIXES.get(body.name[-1:])
    return romanise(_without(body.name_kana, (suffix,) if suffix else ()))


def _prefecture_of(body: LocalGov, directory: Directory) -> LocalGov | None:
    return directory.by_name(body.prefecture, body.prefecture)


def _parent_city(body: LocalGov, directory: Directory) -> LocalGov | None:
    """The designated city a ward belongs to: 札幌市中央区 → 札幌市."""
    for end in range(len(body.name) - 1, 0, -1):
        if body.name[end - 1] == "市":
            city = directory.by_name(body.prefecture, body.name[:end])
            if city is not None:
                return city
    return None


def own_name(body: LocalGov, directory: Directory) -> str:
    """The body's own name with its kind: Yaizu City, Chuo Ward, Tokyo (a prefecture)."""
    if body.kind == "prefecture":
        return prefecture_name(body)
    kana = body.name_kana
    parent = _parent_city(body, directory) if body.kind == "ward" else None
    if parent is not None and kana.startswith(parent.name_kana):
        kana = kana[len(parent.name_kana) :]
    words = f"{romanise(_without(kana, KIND_SUFFIXES.get(body.kind, ())))} {KIND_WORDS.get(body.kind, '')}"
    return words.strip()


def english_name(body: LocalGov, directory: Directory) -> str:
    """The body as an English page names it: "Yaizu City, Shizuoka", "Chiyoda Ward, Tokyo",
    "Chuo Ward, Sapporo City, Hokkaido", "Osaka" (the prefecture)."""
    if body.kind == "prefecture":
        return prefecture_name(body)
    parts = [own_name(body, directory)]
    parent = _parent_city(body, directory) if body.kind == "ward" else None
    if parent is not None:
        parts.append(own_name(parent, directory))
    prefecture = _prefecture_of(body, directory)
    if prefecture is not None:
        parts.append(prefecture_name(prefecture))
    return ", ".join(parts)
