"""The part of an address after its municipality: 町字, 番地以下, 建物名等(方書), and the text
none of them can hold (issue 13). The decisions are in portal/normalize/address.py's docstring."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal.normalize.text import strip_spaces

_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DASH_CHARS = "\\-－ー‐‑‒–—―−ｰ"
_DASHES = str.maketrans(dict.fromkeys(_DASH_CHARS.replace("\\", ""), "-"))
_DIGIT = "0-9０-９"
_KANJI_NUM = "〇一二三四五六七八九十百千"
# The 町字 run stops at numbers, spaces, brackets and list separators.
_NAME_RUN = re.compile(rf"[^{_DIGIT}\s\u3000（(［\[「、，,;；]*")
# From the start of a run of numerals only: tried from each numeral of a long run
# (一一一…) the search took time quadratic in the run.
_KANJI_CHOME = re.compile(rf"(?<![{_KANJI_NUM}])[{_KANJI_NUM}]+丁目")
_TOWN_PART = re.compile(
    rf"[{_DIGIT}]+(丁目|丁(?=[{_DIGIT}\s\u3000{_DASH_CHARS}]|$)|条|線|地割|番町)"
)
_SPACED_CHOME = re.compile(rf"[\s\u3000]+([{_DIGIT}{_KANJI_NUM}]+丁目)")
_LIST_SEPARATOR = re.compile(rf"^[^{_DIGIT}（(]*[、，,;；]")
# Words that qualify a place without numbering it: they end the 町字.
_MARKER_IN_TOWN = re.compile(r"地先|地内|付近|周辺|一帯|の一部$|ほか$")
_NUM = rf"[{_DIGIT}]+"
_BLOCK = re.compile(rf"{_NUM}(?:(?:[{_DASH_CHARS}]|番地の?|番の?|号の?|の){_NUM})*(?:番地|番|号)?")
_KNUM = rf"[{_KANJI_NUM}]+"
_KANJI_BLOCK = re.compile(rf"{_KNUM}(?:番地|番|号)(?:の?{_KNUM}(?:番地|番|号)?)*")
# A kanji lot number inside the 町字 run: "三千八百八番地", "八番の二"; not "四番町".
_KANJI_LOT = re.compile(rf"(?<![{_KANJI_NUM}]){_KNUM}(?:番地|番の?(?={_KNUM}))")
# A 丁目 written again right after the 町字's own: "駅北5丁目5丁目2-11".
_DOUBLED_CHOME = re.compile(
    rf"[\s\u3000]*[{_DIGIT}{_KANJI_NUM}]+丁目?(?=[{_DIGIT}{_KANJI_NUM}{_DASH_CHARS}\s\u3000]|$)"
)
# A dash between a 丁目 and its block: "駅北5丁目-2-11".
_DASH_BEFORE_BLOCK = re.compile(rf"[\s\u3000]*[{_DASH_CHARS}]+(?=[\s\u3000]*[{_DIGIT}])")
# What comes first in a remainder that is numbering, not a building's name.
_NUMBERING_REST = re.compile(rf"[{_DASH_CHARS}]+|丁目|番地|番|号")
# A postcode written before the address: "〒425-0028 ".
_POSTCODE = re.compile(rf"〒?[\s\u3000]*[{_DIGIT}]{{3}}[{_DASH_CHARS}]?[{_DIGIT}]{{4}}[\s\u3000]*")


@dataclass(frozen=True)
class Unplaced:
    """Text of the address that no part holds, and the part it stood before ("": the end)."""

    text: str
    before: str


def _town_run(text: str, pos: int) -> tuple[str, bool]:
    """The non-numeric run at `pos`, cut after a kanji 丁目 or before a marker; True if cut."""
    run = _NAME_RUN.match(text, pos)
    found = run.group() if run else ""
    chome = _KANJI_CHOME.search(found)
    if chome:
        return found[: chome.end()], True
    lot = _KANJI_LOT.search(found)
    if lot:
        found = found[: lot.start()]  # "小川三千八百八番地": the lot is the block's
    marker = _MARKER_IN_TOWN.search(found)
    if marker:
        return found[: marker.start()], True
    return found, lot is not None


def _town(text: str) -> tuple[str, int]:
    """町字 at the start of `text` and where it ends."""
    town, done = _town_run(text, 0)
    pos = len(town)
    while not done:
        part = _TOWN_PART.match(text, pos)
        if part is None:
            # "青葉町 一丁目": the 丁目 still belongs to the 町字; the space does not.
            spaced = _SPACED_CHOME.match(text, pos)
            if spaced:
                town, pos = town + spaced.group(1), spaced.end()
            break
        town, pos = town + part.group(), part.end()
        if part.group(1) in ("丁目", "丁"):
            break
        more, done = _town_run(text, pos)  # "西" in 北1条西2丁目
        town, pos = town + more, pos + len(more)
    return town.translate(_WIDE_DIGITS), pos


@dataclass
class Rest:
    """What follows the municipality, split."""

    town: str = ""
    block: str = ""
    building: str = ""
    spaced: bool = False
    unplaced: list[Unplaced] = field(default_factory=list)


def _block(text: str, start: int, town: str) -> tuple[str, int]:
    """番地以下 at `start` (arabic, or kanji after a kanji 丁目 or as a kanji lot) and its end."""
    block = _BLOCK.match(text, start)
    if block is None and (town.endswith("丁目") or _KANJI_LOT.match(text, start)):
        block = _KANJI_BLOCK.match(text, start)
    if block is None:
        return "", start
    return block.group().translate(_WIDE_DIGITS).translate(_DASHES), block.end()


def split_rest(text: str) -> Rest:
    """町字, 番地以下, 建物名等, whether a space preceded the building, and the unplaced text."""
    if _LIST_SEPARATOR.match(text):
        return Rest(building=text)
    out = Rest()
    out.town, pos = _town(text)
    while out.town.endswith(("丁目", "丁")) and (again := _DOUBLED_CHOME.match(text, pos)):
        out.unplaced.append(Unplaced(strip_spaces(again.group()), "block"))
        pos = again.end()
    if out.town.endswith(("丁目", "丁")) and (dash := _DASH_BEFORE_BLOCK.match(text, pos)):
        out.unplaced.append(Unplaced(strip_spaces(dash.group()), "block"))  # "5丁目-2-11"
        pos = dash.end()
    start = pos + len(text[pos:]) - len(text[pos:].lstrip(" \u3000"))
    number, end = _block(text, start, out.town)
    if number:
        out.block, pos = number, end
    rest = text[pos:]
    building = rest.strip(" \u3000")
    if _NUMBERING_REST.match(building):
        out.unplaced.append(Unplaced(building, ""))  # "-", "丁目2-11": numbers, not a name
    else:
        out.building = building
        out.spaced = bool(building) and rest[:1] in (" ", "\u3000")
    return out


def postcode(source: str) -> tuple[list[Unplaced], str]:
    """A postcode written before the address ("〒425-0028 静岡県…"): unplaced, and the rest."""
    found = _POSTCODE.match(source)
    if found is None or not found.group().startswith("〒") and not found.group()[-1:].isspace():
        return [], source
    return [Unplaced(strip_spaces(found.group()), "prefecture")], source[found.end() :]
