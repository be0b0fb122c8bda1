"""Known 町字 per municipality, from アドレス・ベース・レジストリ 町字マスター CSV files a city drops in.

The bundled list of local governments has no 町字, so a 町字 is checked only where a city
supplies its own list: the folder `towns_dir` (PORTAL_TOWNS_DIR; unset: <data dir>/towns)
holding デジタル庁's 町字マスター files as downloaded (mt_town_city<code>.csv, or
mt_town_all.csv / one prefecture's file; any name ending in .csv). Read per row:

    lg_code      6-digit 全国地方公共団体コード of the municipality (a designated city's ward)
    machiaza_id  町字ID, 7 digits (4 for the 大字・町, 3 for the 丁目 or 小字)
    oaza_cho     大字・町名, chome 丁目名, koaza 小字名: the 町字 is the three joined
    ablt_date    廃止日 (optional): an abolished 町字 is not a known one

The older Japanese headers (全国地方公共団体コード, 町字id, 大字・町名, 丁目名, 小字名, 廃止日)
are read too. Other columns are ignored. UTF-8 (with or without BOM), else cp932.

Names are compared as a person reads them: width, spaces, ヶ/ケ/ヵ and the 之/ノ/の variants
folded, 丁目 numbers in kanji or digits alike (一丁目 = 1丁目), and the words 大字/字 left
out ("大字小川字新地" is 小川 + 新地, as the registry writes it).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from portal.errors import ConfigInvalid, Location

TOWNS_DIR = "towns"  # under the data directory when towns_dir is not set
REQUIRED = ("lg_code", "machiaza_id", "oaza_cho")
OPTIONAL = ("chome", "koaza", "ablt_date")
# The registry's older CSVs name the same columns in Japanese.
JAPANESE_HEADERS = {
    "全国地方公共団体コード": "lg_code",
    "町字id": "machiaza_id",
    "町字ID": "machiaza_id",
    "大字・町名": "oaza_cho",
    "丁目名": "chome",
    "小字名": "koaza",
    "廃止日": "ablt_date",
}
# A misspelling is suggested only when this close (difflib's ratio): a one-character slip in
# a 4-character name scores 0.75; two unrelated names of that length stay well under.
CLOSE_ENOUGH = 0.7

_FOLD = str.maketrans({"ヶ": "ケ", "ヵ": "ケ", "之": "ノ", "の": "ノ", "　": "", " ": ""})
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CHOME = re.compile(r"([〇一二三四五六七八九十]+)丁目")


def _arabic(kanji: str) -> str:
    """一 → 1, 十二 → 12, 二十 → 20 (丁目 numbers stay under 100)."""
    if "十" not in kanji:
        return "".join(str(_KANJI_DIGITS[c]) for c in kanji)
    tens, _, ones = kanji.partition("十")
    return str((_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + _KANJI_DIGITS.get(ones, 0))


def town_key(name: str) -> str:
    """A 町字 as compared: folded, 丁目 in digits, 大字/字 left out."""
    text = unicodedata.normalize("NFKC", name).translate(_FOLD)
    text = _CHOME.sub(lambda m: _arabic(m.group(1)) + "丁目", text)
    return text.replace("大字", "").replace("字", "")


@dataclass(frozen=True)
class Town:
    name: str  # oaza_cho + chome + koaza as the registry writes them
    machiaza_id: str


@dataclass
class Towns:
    """The known 町字 of the municipalities that have a list; the others are not checked."""

    by_lgcode: dict[str, dict[str, Town]] = field(default_factory=dict)

    def has(self, lgcode: str | None) -> bool:
        return bool(lgcode) and lgcode in self.by_lgcode

    def find(self, lgcode: str, town: str) -> Town | None:
        return self.by_lgcode.get(lgcode, {}).get(town_key(town))

    def by_id(self, lgcode: str, machiaza_id: str) -> Town | None:
        for known in self.by_lgcode.get(lgcode, {}).values():
            if known.machiaza_id == machiaza_id:
                return known
        return None

    def closest(self, lgcode: str, town: str) -> Town | None:
        """The known 町字 a misspelt one most likely means, if any is close enough."""
        known = self.by_lgcode.get(lgcode, {})
        found = difflib.get_close_matches(town_key(town), list(known), n=1, cutoff=CLOSE_ENOUGH)
        return known[found[0]] if found else None

    def add(self, rows: Iterable[dict[str, str]]) -> None:
        for row in rows:
            if (row.get("ablt_date") or "").strip():
                continue  # abolished: no longer a place to publish
            name = "".join((row.get(k) or "").strip() for k in ("oaza_cho", "chome", "koaza"))
            lgcode = (row.get("lg_code") or "").strip()
            if name and lgcode:
                town = Town(name, (row.get("machiaza_id") or "").strip())
                self.by_lgcode.setdefault(lgcode, {}).setdefault(town_key(name), town)


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932", errors="replace")


def _read(path: Path, into: Towns) -> None:
    try:
        reader = csv.DictReader(_text(path).splitlines())
        header = [JAPANESE_HEADERS.get(h.strip(), h.strip()) for h in reader.fieldnames or []]
    except (OSError, csv.Error) as exc:
        raise ConfigInvalid(location=Location(file=str(path)), detail=str(exc)) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ConfigInvalid(
            location=Location(file=str(path)),
            detail=f"{path.name} is not a 町字マスター CSV: no column {', '.join(missing)} "
            f"(needs {', '.join(REQUIRED)}; {', '.join(OPTIONAL)} optional)",
        )
    reader.fieldnames = header
    into.add(reader)


@lru_cache(maxsize=4)
def _load(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> Towns:
    towns = Towns()
    for name, _mtime, _size in stamp:
        _read(folder / name, towns)
    return towns


def load_towns(folder: Path | None) -> Towns:
    """The 町字 lists in `folder` (none if it is unset or absent); re-read when a file changes."""
    if folder is None or not folder.is_dir():
        return Towns()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load(folder, stamp)


def configured_towns() -> Towns:
    """The lists of the configured folder: towns_dir, else <data dir>/towns.

    Read from the settings here, when a check first needs them, because the validation
    engine's row checks are given only the local-government directory and the publisher."""
    from portal.settings import load_settings

    settings = load_settings()
    folder = settings.towns_dir or settings.data_dir / TOWNS_DIR
    return load_towns(folder)
