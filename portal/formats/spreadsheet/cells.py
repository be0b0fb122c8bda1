"""A spreadsheet cell's value as the text a clerk sees, so every format yields strings.

The aim is the text a CSV export of the same sheet would hold, written the
way the standard wants it: dates as YYYY-MM-DD, times as HH:MM, numbers
without a spurious ".0".
"""

from __future__ import annotations

import datetime as dt
import math

CellValue = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta | None

# Excel keeps 15 significant digits; more is binary noise from formulas
# (=0.1+0.2 is stored as 0.30000000000000004 and shown as 0.3).
EXCEL_DIGITS = 15


def cell_text(value: CellValue) -> str:
    """The cell as a string; strings are returned unchanged, spaces and all."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    # bool before int and datetime before date: each is a subclass of the other.
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return datetime_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return clock_text(value.hour, value.minute, value.second + value.microsecond / 1e6)
    if isinstance(value, dt.timedelta):
        return duration_text(value)
    return str(value)


def number_text(value: float) -> str:
    """ "123" for an integral float, else the shortest text that reads back the same."""
    if not math.isfinite(value):
        return repr(value)
    value = float(f"{value:.{EXCEL_DIGITS}g}")
    if value.is_integer():
        return str(int(value))
    return repr(value)


def datetime_text(value: dt.datetime) -> str:
    """ "YYYY-MM-DD" at midnight, else "YYYY-MM-DDTHH:MM:SS"."""
    # Excel stores times as fractions of a day; calamine's conversion can land
    # a microsecond short of the second that was typed.
    value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if value.time() == dt.time(0, 0):
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")


def clock_text(hours: int, minutes: int, seconds: float) -> str:
    """ "HH:MM", or "HH:MM:SS" when the seconds are not zero; hours may pass 24."""
    total = round(hours * 3600 + minutes * 60 + seconds)
    hh, rest = divmod(total, 3600)
    mm, ss = divmod(rest, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}" if ss else f"{hh:02d}:{mm:02d}"


def duration_text(value: dt.timedelta) -> str:
    """Durations (cells formatted [h]:mm) as "HH:MM", hours counted past 24."""
    seconds = value.total_seconds()
    sign = "-" if seconds < 0 else ""
    return sign + clock_text(0, 0, abs(seconds))
