"""Split one address (所在地_連結表記, legacy 住所) into the standard's address block.

The block (RULES §5) is 所在地_都道府県, 所在地_市区町村 (with the 郡 and a
designated city's ward: 札幌市厚別区, 虻田郡洞爺湖町), 所在地_町字,
所在地_番地以下 and 建物名等(方書). The municipality is checked against the
list of local governments; the 町字 cannot be, since the portal does not carry
the アドレス・ベース・レジストリ (ABR), so the town/block split is by form.

Decisions (a municipal data clerk's reading of the published files):
- Prefecture: the text's, else `default_prefecture` (ignored unless it is a
  prefecture's exact name), else the default city's. A name that exists in
  several prefectures (府中市, 伊達市) is resolved only by that prefecture.
  When no prefecture is known, or the default one does not hold the name, a
  name unique in Japan is taken ("名古屋市…" in a 静岡県 file), but only a 市 or
  区 (or a 町村 written with its 郡): a bare 町村 name is too often also a 町字
  (市川市's 町字 北方町 is 岐阜県's 北方町). A prefecture written in the text is
  never overruled. A name nothing settles (府中市 alone, 東京都伊達市) is kept
  as written in `city`, with `lgcode` None, so the validator can point at it.
- Municipality: the longest directory name at the start, or "XX郡" plus a
  town/village name. A designated city followed by its ward gives the ward
  (札幌市厚別区, the ward's lgcode); the city alone gives the city (堺市).
- Without a municipality in the text, `default_city` applies (the publisher's;
  "焼津市", "静岡県焼津市" or "札幌市"). If it is a designated city, a ward
  written alone ("厚別区青葉町…") is read as that city's ward first.
- ケ/ヶ/ヵ, 龍/竜, 檜/桧, 之/ノ/の and a few other variants are folded only to
  match: `city` has the directory's spelling (it names a body; the list is the
  authority), the 郡 and `town` are kept as written (鰯ケ島 and 鰯ヶ島 both
  appear in 焼津市's data and nothing here can say which is right).
- Spaces between prefecture, municipality, 町字 and 番地 are dropped; the
  standard's 連結表記 has none there.
- 町字 is the leading run of non-digits plus an optional "N丁目" (arabic,
  full-width or kanji numerals); 北海道's "N条"/"N線", 岩手県's "N地割" and
  "N丁" (堺市: 熊野町東5丁1-49) are part of it too. Kanji numerals elsewhere
  belong to the name (一色, 三ケ名, 五ケ堀之内). "本町2-16-32" keeps town "本町"
  and block "2-16-32": only the ABR knows whether 2 is a 丁目.
- Digits in `town` are made half-width; kanji numerals are kept (一丁目 and 1丁目
  are both in use, and converting is the ABR's business, not a splitter's).
- 番地以下 is numbers joined by dashes, 番地, 番, 号 and の, kept in the form
  written ("728番地2", "887番地の95", "6番"), with half-width digits and "-"
  for every dash (－ ー ‐ − ― …) between numbers. After a kanji 丁目 a block
  in kanji numerals ("六番一号") is recognised and kept as written.
- Everything after the block is 建物名等(方書), kept as written (half-width
  katakana and full-width spaces included; repairing them is another
  normaliser's job). That includes 地先, の一部, ほか, 他, 付近 and a bracketed
  note: 番地以下 must be a lot number a registry can match, and 市川市's 文化財
  file puts 地先/の一部/ほか in 方書. So "小川3808地先（3803-3番地ほか）" gives
  block "3808" and building "地先（3803-3番地ほか）", and "吉永（官有無番地）"
  gives town "吉永" and building "（官有無番地）". Before any number, 地先,
  地内, 付近, 周辺 and 一帯 (and の一部, ほか at the end) end the 町字
  ("大町地先" → "大町" + "地先"), and so does a bracket.
- A list of places ("河原、稲荷木地先の…", a 、 before any number) is not one
  address: the 町字 stays empty and the text goes to 方書, as 市川市 did.
- `spaced` (a field added to the six asked for, defaulting to False) records
  that the source put a space before the building; `full` then writes one
  full-width space there, as the standard's example does
  (…青葉町一丁目○-○　○○ビル1階), and nothing otherwise. Without it `full`
  could not tell "646-1 A one" from "646-1A one".
- None for a blank text, or when neither a municipality nor a 町字 is found.
  The function never raises.

- Never loses text (issue 13): what the split cannot place in a part is kept in
  `unplaced`, each piece with the part it stood before, and `full` puts it back
  where it was, so 所在地_連結表記 always holds the whole address and the
  validator can report the piece. Unplaced: a second 丁目 after the 町字's
  ("駅北5丁目5丁目2-11": "5丁目"), a dash after the 丁目 ("駅北5丁目-2-11"), a postcode written first ("〒425-0028"), and a
  remainder after the 番地 that starts with a dash or a numbering word ("-",
  "番地", "丁目": numbers, not a building's name).
- 番地 written in kanji after a 町字 without 丁目 ("小川三千八百八番地",
  "小川八番地の二") is the block when it says 番地 or has two numbers (番 + a
  number): "四番町" and "麻布十番" stay names.
- 大字/字 ("大字小川字新地3808") stay in the 町字 as written; the 町字 check
  (portal.localgov.towns) compares without them.

Not handled: 京都市's 通り names (上ル/下ル), and a building glued to a 町字 with
no number between ("坂本笛吹段公園" is one 町字; with a space, "坂本 笛吹段公園",
it is split).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from portal.localgov import Directory, LocalGov
from portal.normalize.address_rest import Unplaced, postcode, split_rest
from portal.normalize.text import strip_spaces

# Folded only for matching municipality names; each pair is one character to
# one character, so an index into the folded text is an index into the source.
_FOLD = str.maketrans(
    {
        "ヶ": "ケ",
        "ヵ": "ケ",
        "龍": "竜",
        "檜": "桧",
        "檮": "梼",
        "鰺": "鯵",
        "嶋": "島",
        "舘": "館",
        "之": "ノ",
        "の": "ノ",
    }
)
# 郡 names are 1–5 characters; a 郡 inside a name (郡山市, 大和郡山市) is tried too
# but loses to the longer direct match.
_GUN = re.compile(r"[^\s0-9０-９郡]{1,5}?郡")
_CITY_KINDS = frozenset({"city", "ward", "special_ward"})
_GUN_KINDS = frozenset({"town", "village"})


PLACES = ("prefecture", "block", "building", "")  # unplaced text stands before one of these


@dataclass(frozen=True)
class AddressParts:
    prefecture: str  # 所在地_都道府県
    city: str  # 所在地_市区町村, with the 郡 or the designated city's ward
    town: str  # 所在地_町字
    block: str  # 所在地_番地以下
    building: str  # 建物名等(方書)
    lgcode: str | None  # the matched municipality (the ward's for a designated city)
    spaced: bool = False  # the source had a space before the building
    unplaced: tuple[Unplaced, ...] = ()  # text no part holds, kept for `full` and findings

    @property
    def full(self) -> str:
        """所在地_連結表記: the parts joined, a full-width space before a spaced building,
        and any unplaced text where it stood, so that nothing written is dropped."""
        gap = "\u3000" if self.spaced and self.building else ""
        pieces = {"prefecture": self.prefecture + self.city + self.town, "block": self.block}
        pieces |= {"building": gap + self.building, "": ""}
        out = ""
        for place in PLACES:
            out += "".join(u.text for u in self.unplaced if u.before == place) + pieces[place]
        return out

    @property
    def unplaced_text(self) -> str:
        """The unplaced pieces as one text for a message ("5丁目", "〒425-0028 / -")."""
        return " / ".join(u.text for u in self.unplaced)


@dataclass(frozen=True)
class _City:
    gov: LocalGov | None  # None: a known name the prefecture cannot settle
    text: str  # 所在地_市区町村 as it will be written
    end: int  # characters of the source it used


class _Index:
    """Municipality names by folded spelling, per prefecture and for all of Japan."""

    def __init__(self, directory: Directory) -> None:
        self.prefectures: list[str] = []
        self.by_pref: dict[str, dict[str, list[LocalGov]]] = {}
        self.nationwide: dict[str, list[LocalGov]] = {}
        for gov in directory:
            if gov.kind == "prefecture":
                self.prefectures.append(gov.name)
                continue
            key = gov.name.translate(_FOLD)
            self.by_pref.setdefault(gov.prefecture, {}).setdefault(key, []).append(gov)
            self.nationwide.setdefault(key, []).append(gov)
        self.longest = max(map(len, self.nationwide), default=0)


@lru_cache(maxsize=4)
def _index(directory: Directory) -> _Index:
    # Built once per directory object: load() is cached, so this is once per process.
    return _Index(directory)


def _longest(
    text: str, table: dict[str, list[LocalGov]], kinds: frozenset[str] | None, limit: int
) -> tuple[int, list[LocalGov]]:
    """The longest name in `table` (of `kinds`) that `text` starts with: its length, its bodies."""
    folded = text.translate(_FOLD)
    for size in range(min(len(folded), limit), 0, -1):
        govs = [g for g in table.get(folded[:size], ()) if kinds is None or g.kind in kinds]
        if govs:
            return size, govs
    return 0, []


def _match(
    text: str, table: dict[str, list[LocalGov]], kinds: frozenset[str] | None, limit: int
) -> tuple[int, str, list[LocalGov]]:
    """The longest match, direct or after "XX郡": characters used, the 郡 as written, bodies."""
    size, govs = _longest(text, table, kinds, limit)
    best = (size, "", govs)
    gun = _GUN.match(text)
    if gun:
        # A written 郡 is evidence enough for a town or village, even nationwide.
        size, govs = _longest(text[gun.end() :], table, _GUN_KINDS, limit)
        if govs and gun.end() + size > best[0]:
            best = (gun.end() + size, gun.group(), govs)
    return best


def _in_prefecture(text: str, prefecture: str, index: _Index) -> _City | None:
    table = index.by_pref.get(prefecture, {})
    size, gun, govs = _match(text, table, None, index.longest)
    return _City(govs[0], gun + govs[0].name, size) if govs else None


def _nationwide(
    text: str, kinds: frozenset[str] | None, settle: bool, index: _Index
) -> _City | None:
    """A name from anywhere in Japan; settled only when unique and `settle` allows it."""
    size, gun, govs = _match(text, index.nationwide, kinds, index.longest)
    if not govs:
        return None
    if settle and len(govs) == 1:
        return _City(govs[0], gun + govs[0].name, size)
    # A known name that no prefecture settles: keep it as written, claim no code.
    return _City(None, text[:size], size)


def _split_prefecture(text: str, index: _Index) -> tuple[str | None, str]:
    for name in index.prefectures:
        if text.startswith(name):
            return name, text[len(name) :].lstrip(" \u3000")
    return None, text


def _resolve_default(prefecture: str | None, city: str | None, index: _Index) -> LocalGov | None:
    """The publisher's municipality ("焼津市", "静岡県焼津市"); None unless it is exactly one body."""
    if not city:
        return None
    own, rest = _split_prefecture(city.strip(), index)
    prefecture = own or prefecture
    if prefecture is not None:
        found = _in_prefecture(rest, prefecture, index)
    else:
        found = _nationwide(rest, None, True, index)
    if found is None or found.gov is None or found.end != len(rest):
        return None
    return found.gov


def _ward_of_default(text: str, default: LocalGov, index: _Index) -> _City | None:
    """A ward written without its designated city: "厚別区青葉町…" when the publisher is 札幌市."""
    if default.kind == "city":
        base = default.name
    elif default.kind == "ward":
        base = default.name[: default.name.rindex("市") + 1]  # 札幌市 of 札幌市厚別区
    else:
        return None
    table = index.by_pref.get(default.prefecture, {})
    size, govs = _longest(base + text, table, frozenset({"ward"}), index.longest)
    if size > len(base) and govs[0].name.startswith(base):
        return _City(govs[0], govs[0].name, size - len(base))
    return None


def _municipality(
    text: str, prefecture: str | None, explicit: bool, default: LocalGov | None, index: _Index
) -> _City | None:
    """The municipality at the start of `text`, else the publisher's (same prefecture only)."""
    if prefecture is not None:
        found = _in_prefecture(text, prefecture, index)
        if found is not None:
            return found
    usable = default is not None and prefecture in (None, default.prefecture)
    if usable and default is not None:
        ward = _ward_of_default(text, default, index)
        if ward is not None:
            return ward
    # Outside the prefecture only a 市/区 (or a 町村 with its 郡) counts; a prefecture
    # written in the text is never overruled, so then the name stays unsettled.
    found = _nationwide(text, _CITY_KINDS, not explicit, index)
    if found is not None:
        return found
    if usable and default is not None:
        return _City(default, default.name, 0)
    return None


def split_address(
    text: str,
    directory: Directory,
    *,
    default_prefecture: str | None = None,
    default_city: str | None = None,
) -> AddressParts | None:
    """The address block of `text`; None if blank or without a municipality and a 町字."""
    if not isinstance(text, str):
        return None
    source = strip_spaces(text)
    if not source:
        return None
    index = _index(directory)
    if default_prefecture not in index.prefectures:
        default_prefecture = None  # a misspelt default must not become the prefecture
    before, source = postcode(source)
    written, rest = _split_prefecture(source, index)
    default = _resolve_default(default_prefecture, default_city, index)
    prefecture = written or default_prefecture or (default.prefecture if default else None)
    city = _municipality(rest, prefecture, written is not None, default, index)
    if city is not None:
        rest = rest[city.end :].lstrip(" \u3000")
    split = split_rest(rest)
    if city is None and not split.town:
        return None
    if city is not None and city.gov is not None:
        prefecture = city.gov.prefecture
    elif city is not None and written is None:
        prefecture = None  # the default prefecture does not hold this name
    return AddressParts(
        prefecture=prefecture or "",
        city=city.text if city else "",
        town=split.town,
        block=split.block,
        building=split.building,
        lgcode=city.gov.lgcode if city and city.gov else None,
        spaced=split.spaced,
        unplaced=tuple(before + split.unplaced),
    )
