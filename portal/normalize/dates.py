"""Dates as clerks write them: ISO, slashes, kanji, 和暦, compact and Excel serials.

`parse_date` never raises: the validator calls it on every cell and a bad
cell is an answer (None), not an error.

Decisions:
- 和暦 is checked against the real era boundaries, so 平成31年5月1日 and 平成32年
  are rejected instead of being silently turned into 令和 dates.
- 明治1–5年 are lunisolar-calendar dates (Japan adopted the Gregorian calendar
  on 明治6年1月1日), so day-exact 明治 dates before 1873 are rejected: they
  cannot be converted by arithmetic. `wareki_to_year` still converts the year.
- An Excel date exported as a datetime ("2026-04-02 00:00:00") is read as the
  date; any other time of day is not, because it would be dropped silently.
- A weekday in brackets after a date ("2026年4月2日（木）") is accepted only
  when it is the right weekday: a wrong one means the date itself is in doubt.
- 4/2/2026 is April 2 in an American export and 4 February in a European one: it is
  read only when the caller names the order (`order="mdy"` or `"dmy"`); two-digit
  years (4/2/26) never, their century is a guess.
- A year alone (令和5年, 平成30年度, 2023年度) is not a date; `year_only` turns it into
  the first or last day of that year, or of that 年度 (April–March: 平成30年度 is
  2018-04-01 … 2019-03-31). A 和暦 year is cut to its era (令和元年 starts on 2019-05-01);
  a 年度 is not (令和元年度 is 2019-04-01 …, named after the era that ended it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DateParse:
    """A recognised date: `iso` is YYYY-MM-DD, or YYYY-MM when `exact` is False."""

    iso: str
    kind: str
    exact: bool


@dataclass(frozen=True)
class _Era:
    name: str
    letter: str
    first_day: dt.date
    last_day: dt.date | None
    # The first day that a day-exact date may fall on; later than the era's
    # start only for 明治 (see the module docstring).
    first_exact_day: dt.date


_ERAS = (
    _Era("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29), dt.date(1873, 1, 1)),
    _Era("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24), dt.date(1912, 7, 30)),
    _Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7), dt.date(1926, 12, 25)),
    _Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30), dt.date(1989, 1, 8)),
    _Era("令和", "R", dt.date(2019, 5, 1), None, dt.date(2019, 5, 1)),
)
_WEEKDAYS = "月火水木金土日"
# Excel counts 1900-01-01 as day 1 and, copying Lotus 1-2-3, believes in a
# 1900-02-29 (serial 60). From serial 61 on, day 0 is therefore 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_ERA_TOKEN = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])"
_ERA_YEAR = r"\s*(?P<year>\d{1,2}|元)\s*"
_WEEKDAY = r"(?:\s*\((?P<weekday>[月火水木金土日])\))?"
_MIDNIGHT = r"(?:[ T]0{1,2}:00(?::00)?)?"


def _era(token: str) -> _Era | None:
    for era in _ERAS:
        if token in (era.name, era.letter, era.letter.lower()):
            return era
    return None


def wareki_to_year(era: str, year: int) -> int:
    """The western year of a 和暦 year: `wareki_to_year("令和", 5) == 2023`.

    Raises ValueError for an unknown era or a year the era never had
    (year 0, 平成32), because a silently extrapolated year is a wrong year.
    """
    found = _era(era)
    if found is None:
        raise ValueError(f"unknown era {era!r}")
    western = found.first_day.year + year - 1
    if year < 1 or (found.last_day is not None and western > found.last_day.year):
        raise ValueError(f"{found.name} has no year {year}")
    return western


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _era_year(match: re.Match[str]) -> tuple[_Era, int] | None:
    era = _era(match["era"])
    if era is None:
        return None
    year = 1 if match["year"] == "元" else int(match["year"])
    try:
        return era, wareki_to_year(era.name, year)
    except ValueError:
        return None


def _era_date(match: re.Match[str]) -> dt.date | None:
    found = _era_year(match)
    if found is None:
        return None
    era, western = found
    day = _safe_date(western, int(match["month"]), int(match["day"]))
    if day is None or day < era.first_exact_day:
        return None
    if era.last_day is not None and day > era.last_day:
        return None
    return day


def _western_date(match: re.Match[str]) -> dt.date | None:
    return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))


def _era_month(match: re.Match[str]) -> str | None:
    found = _era_year(match)
    if found is None:
        return None
    era, western = found
    return _month_iso(western, int(match["month"]), era)


def _month_iso(year: int, month: int, era: _Era | None = None) -> str | None:
    if not 1 <= month <= 12 or year < 1:
        return None
    if era is not None:
        # The month only has to overlap the era: 平成元年1月 and 令和元年5月 exist.
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last < era.first_exact_day or (era.last_day is not None and first > era.last_day):
            return None
    return f"{year:04d}-{month:02d}"


_DayBuilder = Callable[[re.Match[str]], dt.date | None]
_DAY_FORMATS: tuple[tuple[str, re.Pattern[str], _DayBuilder], ...] = (
    (
        "iso",
        re.compile(rf"(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_MIDNIGHT}"),
        _western_date,
    ),
    (
        "slash",
        re.compile(
            rf"(?P<year>\d{{4}})(?P<sep>[/.])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})"
            rf"{_MIDNIGHT}{_WEEKDAY}"
        ),
        _western_date,
    ),
    (
        "kanji",
        re.compile(
            r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日" + _WEEKDAY
        ),
        _western_date,
    ),
    (
        "wareki",
        re.compile(
            _ERA_TOKEN
            + _ERA_YEAR
            + r"年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
            + _WEEKDAY
        ),
        _era_date,
    ),
    (
        "wareki",
        re.compile(
            _ERA_TOKEN
            + _ERA_YEAR
            + r"(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
            + _WEEKDAY
        ),
        _era_date,
    ),
    (
        "compact",
        re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"),
        _western_date,
    ),
)
_YEAR_MONTH = re.compile(
    r"(?P<year>\d{4})(?:[-/](?P<month>\d{1,2})|\s*年\s*(?P<kmonth>\d{1,2})\s*月)"
)
_ERA_YEAR_MONTH = re.compile(_ERA_TOKEN + _ERA_YEAR + r"年\s*(?P<month>\d{1,2})\s*月")


def _weekday_ok(match: re.Match[str], day: dt.date) -> bool:
    weekday = match.groupdict().get("weekday")
    return weekday is None or _WEEKDAYS[day.weekday()] == weekday


def _from_excel_serial(text: str) -> DateParse | None:
    # The length first: int() refuses more than 4,300 digits, and no serial has 8.
    if len(text) > len(str(_EXCEL_MAX_SERIAL)) or not text.isascii() or not text.isdigit():
        return None
    serial = int(text)
    if not 1 <= serial <= _EXCEL_MAX_SERIAL or serial == _EXCEL_FAKE_LEAP_DAY:
        return None
    offset = serial if serial > _EXCEL_FAKE_LEAP_DAY else serial + 1
    day = _EXCEL_EPOCH + dt.timedelta(days=offset)
    return DateParse(day.isoformat(), "excel-serial", True)


def _year_month(text: str) -> DateParse | None:
    match = _ERA_YEAR_MONTH.fullmatch(text)
    if match:
        iso = _era_month(match)
    elif match := _YEAR_MONTH.fullmatch(text):
        iso = _month_iso(int(match["year"]), int(match["month"] or match["kmonth"]))
    else:
        return None
    return DateParse(iso, "year-month", False) if iso else None


_NUMERIC_DAY_MONTH = re.compile(
    rf"(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<year>\d{{4}}){_MIDNIGHT}"
)
ORDERS = ("mdy", "dmy")
_YEAR_ONLY = re.compile(
    rf"(?:{_ERA_TOKEN}\s*(?P<eyear>\d{{1,2}}|元)|(?P<year>\d{{4}}))\s*(?P<unit>年度|年)?"
)
FISCAL_FIRST_MONTH = 4  # 年度 runs April to March


def _day_month_year(text: str, order: str) -> DateParse | None:
    match = _NUMERIC_DAY_MONTH.fullmatch(text)
    if match is None:
        return None
    a, b = int(match["a"]), int(match["b"])
    month, day = (a, b) if order == "mdy" else (b, a)
    found = _safe_date(int(match["year"]), month, day)
    return DateParse(found.isoformat(), order, True) if found else None


def needs_order(text: str) -> bool:
    """True for 4/2/2026: a day and a month whose order the text does not say."""
    return _NUMERIC_DAY_MONTH.fullmatch(unicodedata.normalize("NFKC", text).strip()) is not None


def parse_year_only(text: str, *, last: bool = False) -> str | None:
    """The first (or `last`) day of a year written alone, as YYYY-MM-DD, or None.

    令和5年 → 2023-01-01; 平成30年度 → 2018-04-01 (last: 2019-03-31); 2023年度 too. A bare
    2023 is not read (it may be a count or an Excel serial); 令和5 and R5 are.
    """
    match = _YEAR_ONLY.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None or (match["year"] and not match["unit"]):
        return None
    era: _Era | None = None
    if match["era"]:
        era = _era(match["era"])
        try:
            number = 1 if match["eyear"] == "元" else int(match["eyear"])
            year = wareki_to_year(match["era"], number)
        except ValueError:
            return None
    else:
        year = int(match["year"])
    if match["unit"] == "年度":
        first = dt.date(year, FISCAL_FIRST_MONTH, 1)
        end = dt.date(year + 1, FISCAL_FIRST_MONTH, 1) - dt.timedelta(days=1)
        return (end if last else first).isoformat()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if era is not None:
        start = max(start, era.first_exact_day)
        end = min(end, era.last_day or end)
        if start > end:  # 明治5年: before the Gregorian calendar
            return None
    return (end if last else start).isoformat()


def parse_date(
    text: str, *, excel_serial: bool = False, order: str | None = None
) -> DateParse | None:
    """Recognise a date cell; None when it is empty or not a real date.

    `excel_serial=True` reads a bare integer as an Excel day number; pass it
    only for columns known to be dates, since 22196 is also a plain count.
    `order="mdy"` or `"dmy"` reads 4/2/2026 (April 2, or 4 February).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    if excel_serial and (serial := _from_excel_serial(text)):
        return serial
    if order is not None and (ordered := _day_month_year(text, order)):
        return ordered
    for kind, pattern, build in _DAY_FORMATS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        day = build(match)
        if day is None or not _weekday_ok(match, day):
            return None
        return DateParse(day.isoformat(), kind, True)
    return _year_month(text)
