"""Times of day and opening-hour ranges, repaired to the standard's hh:mm.

Decisions:
- "0900" is rejected: without a separator it may be a count or a code.
- Seconds are accepted only when they are ":00" (Excel's "9:00:00"); other
  seconds would be lost in hh:mm.
- 24:00 is allowed (closing at midnight); anything later is not.
- 午前/午後 take hours 0–11 only. 午前12時 and 午後12時 are read both as noon and
  as midnight in Japanese usage, so they are rejected rather than guessed.
- 9時半 means 09:30.
- A range is returned in the order written; an end before its start is not
  an error here (events can run past midnight or over several days).
- A range may end in まで (午後2時から午後4時まで). An end without 午前/午後 after a
  午後 start is afternoon too (午後1時～3時 is 13:00–15:00, as everyone reads it); after a
  午前 start it is taken as written unless it would come before the start (午前9時～3時:
  15:00 or a typo?), which is refused.
- "24時間" (and 終日, 24時間営業/利用可能/開放/対応) is a whole day, 00:00–24:00, but only
  when the caller asks (`all_day=True`): the standard's time field allows 24:00 as a
  closing time (RULES §7, field_rules.yaml `time`), and a recipe says so with
  `{time_start: {all_day: true}}`, so a column where 24時間 means something else is not
  silently filled.
"""

from __future__ import annotations

import re
import unicodedata

_NOON = "正午"
_TIME = re.compile(
    r"(?P<ampm>午前|午後)?\s*(?P<hour>\d{1,2})\s*"
    r"(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"|時(?:\s*(?P<kminute>\d{1,2})\s*分|\s*(?P<half>半))?)"
)
# NFKC has already turned ～ into ~ and － into -; 〜 (U+301C), the dashes,
# the minus sign and ー (a long-vowel mark typed for a dash) survive it.
# Spaces before the separator are matched only from the start of their run: tried
# from every space of a long run, the pattern took time quadratic in the run.
_RANGE_SEPARATOR = re.compile(r"(?:(?<!\s)\s+)?(?:[~〜\-‐‑‒–—―−ー]|から)\s*")
_UNTIL = "まで"
_AMPM = ("午前", "午後")
# The whole-day spellings read with all_day=True (after NFKC: ２４ is 24).
_ALL_DAY = frozenset(
    f"{day}{what}"
    for day in ("24時間", "終日")
    for what in ("", "営業", "利用可能", "利用可", "開放", "対応", "使用可能", "使用可")
)
ALL_DAY = ("00:00", "24:00")


def _clock(hour: int, minute: int) -> str | None:
    if minute > 59 or hour > 24 or (hour == 24 and minute != 0):
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_time(text: str) -> str | None:
    """A time of day as "HH:MM", or None: `parse_time("午後5時30分") == "17:30"`."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text == _NOON:
        return "12:00"
    match = _TIME.fullmatch(text)
    if match is None or match["second"] not in (None, "00"):
        return None
    hour = int(match["hour"])
    if match["half"]:
        minute = 30
    else:
        minute = int(match["minute"] or match["kminute"] or 0)
    if match["ampm"]:
        if hour > 11:
            return None
        hour += 12 if match["ampm"] == "午後" else 0
    return _clock(hour, minute)


def parse_time_range(text: str, *, all_day: bool = False) -> tuple[str, str] | None:
    """("HH:MM", "HH:MM") for a single range such as "8時30分　～　17時15分".

    None unless the text is exactly one range: "9:00-12:00, 13:00-17:00" or
    an open "9:00～" cannot be stored as one start and one end. `all_day=True`
    reads 24時間 / 終日 as ("00:00", "24:00").
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if all_day and text in _ALL_DAY:
        return ALL_DAY
    parts = _RANGE_SEPARATOR.split(text.removesuffix(_UNTIL).rstrip())
    if len(parts) != 2:
        return None
    first, last = parts[0].strip(), parts[1].strip()
    start, end = parse_time(first), parse_time(last)
    if start is None or end is None:
        return None
    if first.startswith(_AMPM) and not last.startswith(_AMPM) and last != _NOON:
        return _after(first.startswith("午後"), start, end)
    return start, end


def _after(afternoon: bool, start: str, end: str) -> tuple[str, str] | None:
    """The end of 午後1時～3時 (13:00–15:00) or 午前9時～11時; None for 午前9時～3時."""
    hour = int(end[:2])
    if afternoon and hour <= 11:
        end = f"{hour + 12:02d}{end[2:]}"
    # 午前9時～3時 (15:00, or a typo for 13時?) and 午後1時～12時 are not guessed.
    return (start, end) if end >= start else None
