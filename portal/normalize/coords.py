"""Latitude and longitude: the standard writes decimal degrees with 6 decimals (RULES §6).

Decisions:
- DMS input is accepted with °′″ or 度分秒 marks and an optional hemisphere
  (N/S/E/W before or after, or 北緯/南緯/東経/西経 before); S and W are negative.
  "N34.52.0.9" (dots for every mark) is not accepted: it cannot be told
  apart from a mistyped decimal.
- Values beyond ±180 are rejected; whether a number is a latitude is the
  caller's question (`in_japan`, `looks_swapped`).
- Distances use the IUGG mean Earth radius; at a municipality's scale the
  spherical error (< 0.5 %) is far below the errors being looked for.
"""

from __future__ import annotations

import math
import re
import unicodedata

_EARTH_RADIUS_KM = 6371.0088
_JAPAN_LAT = (20.0, 46.0)
_JAPAN_LON = (122.0, 154.0)

_DECIMAL = re.compile(r"[+-]?\d+(?:\.\d+)?°?")
_NUMBER = r"\d+(?:\.\d+)?"
# NFKC turns ″ into ′′, so both spellings of the seconds mark are listed.
_DMS = re.compile(
    rf"(?P<prefix>[NSEW]|北緯|南緯|東経|西経)?\s*"
    rf"(?P<deg>{_NUMBER})\s*(?:°|度)\s*"
    rf"(?:(?P<min>{_NUMBER})\s*(?:'|′|分)\s*"
    rf"(?:(?P<sec>{_NUMBER})\s*(?:\"|′′|''|秒)\s*)?)?"
    rf"(?P<suffix>[NSEW])?",
    re.IGNORECASE,
)
_NEGATIVE = {"S", "W", "南緯", "西経"}


def _from_dms(match: re.Match[str]) -> float | None:
    if match["prefix"] and match["suffix"]:
        return None
    parts = [match["deg"], match["min"], match["sec"]]
    given = [part for part in parts if part is not None]
    # Only the last part given may carry decimals (34°52.015' but not 34.8°52').
    if any("." in part for part in given[:-1]):
        return None
    degrees, minutes, seconds = (float(part) if part else 0.0 for part in parts)
    if minutes >= 60 or seconds >= 60:
        return None
    value = degrees + minutes / 60 + seconds / 3600
    hemisphere = (match["prefix"] or match["suffix"] or "").upper()
    return -value if hemisphere in _NEGATIVE else value


def parse_coordinate(text: str) -> float | None:
    """Decimal degrees from "34.866918", "３４．８６６９１８" or "34°52'0.9\"N"; else None."""
    text = unicodedata.normalize("NFKC", text).strip()
    if _DECIMAL.fullmatch(text):
        value: float | None = float(text.rstrip("°"))
    elif match := _DMS.fullmatch(text):
        value = _from_dms(match)
    else:
        return None
    if value is None or abs(value) > 180:
        return None
    return value


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def in_japan(lat: float, lon: float) -> bool:
    """Inside the box from 沖ノ鳥島 (20.4°N) to 択捉島, 与那国島 (122.9°E) to 南鳥島 (153.9°E)."""
    return _JAPAN_LAT[0] <= lat <= _JAPAN_LAT[1] and _JAPAN_LON[0] <= lon <= _JAPAN_LON[1]


def looks_swapped(lat: float, lon: float) -> bool:
    """True when the pair only lands in Japan with latitude and longitude exchanged."""
    return in_japan(lon, lat) and not in_japan(lat, lon)


def format_coordinate(value: float) -> str:
    """Six decimals, as in the standard's examples: 34.8669183 → "34.866918"."""
    text = f"{value:.6f}"
    # A tiny negative rounds to "-0.000000", which reads like a hemisphere.
    return "0.000000" if text == "-0.000000" else text
