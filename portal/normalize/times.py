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


def parse_time_range(text: str) -> tuple[str, str] | None:
    """("HH:MM", "HH:MM") for a single range such as "8時30分　～　17時15分".

    None unless the text is exactly one range: "9:00-12:00, 13:00-17:00" or
    an open "9:00～" cannot be stored as one start and one end.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    parts = _RANGE_SEPARATOR.split(text)
    if len(parts) != 2:
        return None
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start is None or end is None:
        return None
    return start, end
