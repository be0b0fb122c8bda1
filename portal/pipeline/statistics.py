"""Statistics-table shapes: a population table's columns read by their names.

A statistics section's table names its columns by age band and sex (0～4歳 男, 男0-4歳,
人口男, 総数（人）); population_by_area_age names them 0-4歳の男性, 男性, 総人口. A name
is read as an age band, one sex word and nothing else but fillers and units (the words
are data: portal/mapping/statistics.yaml). A name with anything more (日本人男, 外国人女)
is another count and is not read: a wrong mapping is worse than none.

What cannot be mapped is said instead (`notes`): an age band's total column (the standard
has none), bands other than the standard's 5-year ones (they need a recipe `sum:`), a
table whose rows are the age bands (one row per area is needed), years without a day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

STATISTICS_FILE = Path(__file__).resolve().parents[1] / "mapping" / "statistics.yaml"

TOTAL = "総数"
_DASHES = str.maketrans(dict.fromkeys("~〜～ー－‐−–—", "-"))
_RANGE = re.compile(r"(\d{1,3})歳?(?:-|_|to)(\d{1,3})歳?")
_OVER = re.compile(r"(\d{1,3})歳?(?:以上|-|\+|over|andover)(?!\d)")
_SINGLE = re.compile(r"(\d{1,3})歳")
_AGE_WORD = re.compile(r"^age|age$|^年齢|年齢$")
_YEAR_ONLY = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*年(度)?$")
LONG_TABLE_SHARE = 0.6  # a column whose values are mostly age bands: the rows are bands
YEAR_ONLY_SHARE = 0.8  # a column of years without month or day (令和5年)


@dataclass(frozen=True)
class Vocabulary:
    sexes: dict[str, list[str]]
    whole_area: dict[str, str]
    fillers: list[str]
    units: list[str]
    age_field: str

    @property
    def words(self) -> list[tuple[str, str]]:
        """(word, sex) pairs, longest first, so that female is tried before male."""
        pairs = [(w.casefold(), sex) for sex, words in self.sexes.items() for w in words]
        return sorted(pairs, key=lambda p: -len(p[0]))

    @property
    def filler(self) -> re.Pattern[str]:
        words = sorted((re.escape(f.casefold()) for f in self.fillers), key=len, reverse=True)
        return re.compile(f"(?:{'|'.join(words)}|の|_|-|・)*")

    @property
    def unit(self) -> re.Pattern[str]:
        words = "|".join(re.escape(u.casefold()) for u in self.units)
        return re.compile(rf"\((?:{words})\)$")


@lru_cache(maxsize=2)
def vocabulary(path: Path = STATISTICS_FILE) -> Vocabulary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Vocabulary(**{k: data[k] for k in Vocabulary.__dataclass_fields__})


@dataclass(frozen=True)
class Reading:
    """What a column name says: an age band (0-4歳, 85歳以上, or None) and a sex."""

    band: str | None
    sex: str  # 男性, 女性 or 総数
    single_age: bool = False  # 0歳, 1歳 … (one-year columns)


def _text(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold().translate(_DASHES)
    return re.sub(r"\s+", "", text)


def _band(text: str) -> tuple[str | None, bool, str]:
    """The age band in `text`, whether it is a single year, and the text without it."""
    for pattern, single in ((_RANGE, False), (_OVER, False), (_SINGLE, True)):
        found = pattern.search(text)
        if found:
            rest = _AGE_WORD.sub("", text[: found.start()] + "|" + text[found.end() :])
            if single:
                return f"{found.group(1)}歳", True, rest
            if pattern is _RANGE:
                return f"{int(found.group(1))}-{int(found.group(2))}歳", False, rest
            return f"{int(found.group(1))}歳以上", False, rest
    return None, False, text


def without_unit(label: str) -> str:
    """A column name without its unit in brackets at the end (世帯数（世帯） → 世帯数)."""
    text = unicodedata.normalize("NFKC", label).strip()
    found = vocabulary().unit.search(text.casefold())
    return text[: found.start()] if found and found.start() > 0 else label


def read_label(label: str, v: Vocabulary | None = None) -> Reading | None:
    """The (age band, sex) a column name says, or None when it says anything else."""
    v = v or vocabulary()
    text = v.unit.sub("", _text(label))
    band, single, rest = _band(text)
    filler = v.filler
    totals = {w for w, sex in v.words if sex == TOTAL}
    for word, sex in v.words:
        at = rest.find(word)
        if at < 0:
            continue
        pieces = (rest[:at] + "|" + rest[at + len(word) :]).split("|")
        # 総数男 (the 総数 section's male column) is male, 総数計 its total: a total word may
        # stand beside the sex word.
        if all(filler.fullmatch(p) or p in totals for p in pieces):
            return Reading(band, sex, single)
    return None


def field_for(reading: Reading, fields: Iterable[str], v: Vocabulary | None = None) -> str | None:
    """The standard field a reading goes to, if the dataset has it."""
    v = v or vocabulary()
    names = set(fields)
    if reading.band is None:
        name = v.whole_area.get(reading.sex)
    elif reading.sex == TOTAL:
        return None  # the standard has no total per age band
    else:
        name = v.age_field.format(band=reading.band, sex=reading.sex)
    return name if name in names else None


def match_by_reading(columns: Sequence[str], fields: Sequence[str]) -> dict[str, tuple[str, str]]:
    """field → (column, why) for the columns whose names read as a field of `fields`. A
    field two columns read as (総数 and 人口総数) takes neither: which is right cannot be said."""
    v = vocabulary()
    found: dict[str, list[tuple[str, str]]] = {}
    for column in columns:
        reading = read_label(column, v)
        name = field_for(reading, fields, v) if reading else None
        if reading and name:
            band = f"age {reading.band}, " if reading.band else ""
            found.setdefault(name, []).append((column, f"{band}{reading.sex}"))
    return {name: cols[0] for name, cols in found.items() if len(cols) == 1}


def is_age_band(value: str) -> bool:
    """A cell naming an age band (0～4歳, 85歳以上): the rows of a long table. 歳 must be
    written: 1-15 is as likely a 番地 as an age band."""
    text = _text(value)
    if "歳" not in text:
        return False
    band, _, rest = _band(text)
    return band is not None and vocabulary().filler.fullmatch(rest.replace("|", "")) is not None


def is_year_only(value: str) -> bool:
    """A year without month or day (令和5年, 平成30年度, H30年)."""
    return bool(_YEAR_ONLY.match(unicodedata.normalize("NFKC", value).strip()))


class _Column(Protocol):
    name: str
    values: list[str]


def long_table_column(columns: Iterable[_Column]) -> str | None:
    """The column whose values are mostly age bands (年齢: 0～4歳, 5～9歳 …), if any."""
    for column in columns:
        filled = [v for v in column.values if v]
        if filled and sum(map(is_age_band, filled)) >= LONG_TABLE_SHARE * len(filled):
            return column.name
    return None


def notes(columns: Sequence[_Column], fields: Sequence[str], used: set[str]) -> list[str]:
    """What a statistics table holds that suggest cannot map, in plain words (for the
    recipe's header and the terminal). Empty unless the dataset has population counts."""
    v = vocabulary()
    if v.whole_area[TOTAL] not in fields:
        return []
    out: list[str] = []
    long = long_table_column(columns)
    if long is not None:
        out.append(
            f"the rows are age bands (column {long}): the standard has one row per area with the "
            "bands as columns (0-4歳の男性 …), so no count was mapped; turn the table round first"
        )
    readings = [(c.name, read_label(c.name, v)) for c in columns if c.name not in used]
    totals = [name for name, r in readings if r and r.band and r.sex == TOTAL]
    if totals and long is None:
        out.append(
            f"age-band totals ({_some(totals)}) have no field (the standard has male and female "
            "per band): left unused"
        )
    other = [name for name, r in readings if r and r.band and r.sex != TOTAL]
    if other and long is None:
        out.append(
            f"age columns {_some(other)} are not the standard's 5-year bands (0-4歳 … 85歳以上): "
            "add them up into the band they belong to with a recipe `sum:` column"
        )
    for column in columns:
        filled = [x for x in column.values if x]
        if filled and sum(map(is_year_only, filled)) >= YEAR_ONLY_SHARE * len(filled):
            out.append(
                f"column {column.name} holds years without a day ({filled[0]}): a date field "
                "needs year, month and day — give the survey's reference date as a constant"
            )
    return out


def _some(names: Sequence[str], shown: int = 3) -> str:
    return ", ".join(names[:shown]) + (f" … ({len(names)} columns)" if len(names) > shown else "")
