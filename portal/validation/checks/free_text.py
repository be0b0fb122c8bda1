"""Free text where the standard writes a notation: 曜日 fields (月火水木金), age fields (0歳～5歳)
and dates given as a year alone (令和5年, R5, 平成30年度, 2023).

The words clerks use (平日, 年中無休) are data: free_text.yaml, beside this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.validation.checks.base import CellContext, Issue, cell_check

DATA_FILE = Path(__file__).with_name("free_text.yaml")
SEPARATORS = "・、,，/／ 　"
RANGE_MARKS = "～〜~-－‐−ー"
# 除く: "土日祝を除く", "（日曜・祝日除く）" — the days named before it are taken away.
EXCEPT = re.compile(r"[(（]?([^()（）]*?)を?除く[)）]?")
# A year alone: an era with its year (令和5年, R5, 平成元年度) or a Western year (2023, 2023年度).
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
ERA_YEAR = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHR])\.?(元|\d{1,2})(?:年度?|\.)?")
# 4 digits in a date field are read as a year between these, not as an Excel serial number
# (serials 1900–2099 are days in 1905, which no list of facilities or events holds).
WESTERN_YEAR = re.compile(r"((?:19|20)\d\d)(?:年度?)?")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


def _folded(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).upper()
    return re.sub(r"\s+", "", text)


# --- 曜日 --------------------------------------------------------------------------------


def _plain_days(text: str) -> list[str] | None:
    """The days of a value written as day letters (月火水木金, 月曜日～金曜日, 月・水・金, 土日祝),
    in order; None if anything else is in it."""
    order: list[str] = _data()["weekday_days"]
    text = re.sub("祝祭日|祝日", "祝", text).replace("曜日", "").replace("曜", "")
    days: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in order:
            days.append(char)
        elif char in RANGE_MARKS and days and i + 1 < len(text) and text[i + 1] in order[:7]:
            start, end = order.index(days[-1]), order.index(text[i + 1])
            days += order[start + 1 : end] if start < end else []
        elif char not in SEPARATORS:
            return None
        i += 1
    return days or None


def _days_with_words(text: str) -> list[str] | None:
    """Days of a value that uses words for them (平日, 毎日), or None."""
    words: dict[str, str] = _data()["weekday_words"]
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, words[word])
    return _plain_days(text)


def _canonical(days: set[str]) -> str:
    return "".join(d for d in _data()["weekday_days"] if d in days)


def weekday_fix(value: str) -> str | None:
    """The day letters a free-text 曜日 value stands for, when it can be read."""
    text = _folded(value)
    found = EXCEPT.search(text)
    if found is None:
        days = _days_with_words(text)
        return _canonical(set(days)) if days else None
    excluded = _days_with_words(found.group(1))
    rest = (text[: found.start()] + text[found.end() :]).strip(SEPARATORS)
    included = _days_with_words(rest) if rest else list(_data()["weekday_days"][:7])
    if not excluded or not included:
        return None
    return _canonical(set(included) - set(excluded)) or None


@cell_check("weekday")
def weekday(value: str, ctx: CellContext) -> list[Issue]:
    if _plain_days(_folded(value)) is not None:
        return []
    fix = weekday_fix(value)
    return [
        Issue(
            "weekday-free-text",
            fix=fix,
            params={
                "fix_en": f" (here: {fix})" if fix else "",
                "fix_ja": f"（この値なら {fix}）" if fix else "",
            },
        )
    ]


# --- 年齢 --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _age_number() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(_data()["age_units"], key=len, reverse=True))
    return re.compile(rf"\d+(\.\d+)?({units})")


@cell_check("age")
def age(value: str, ctx: CellContext) -> list[Issue]:
    if _age_number().search(unicodedata.normalize("NFKC", value)):
        return []
    return [Issue("age-free-text")]


# --- a year alone in a date field ----------------------------------------------------------


def year_only(value: str) -> int | None:
    """The Western year of a date written as a year alone (令和5年 → 2023), else None."""
    text = _folded(value)
    era = ERA_YEAR.fullmatch(text)
    if era:
        name = ERA_LETTERS.get(era.group(1), era.group(1))
        number = 1 if era.group(2) == "元" else int(era.group(2))
        return ERAS[name] + number - 1 if number >= 1 else None
    western = WESTERN_YEAR.fullmatch(text)
    return int(western.group(1)) if western else None
