"""Whether a point lies outside a prefecture, judged from the offices in the directory.

The directory has no prefecture outlines, only the coordinates of every municipality's
office (and of each ward's). A point is taken to be outside prefecture P when
  1. the office nearest to it belongs to another prefecture, and
  2. it is farther than P's bound from every office of P.
P's bound is `SPACING_FACTOR` times the median distance between each office of P and its
nearest neighbour in P (how far apart P's offices are: 2.6 km in 大阪府, 9.7 km in 北海道,
14.8 km in 島根県), and at least `MIN_BOUND_KM`. A point within P's bound of one of P's
offices may be on a remote edge of a large municipality (a mountain of 高山市), so it is never
called outside; points on islands are near their own island's office (condition 1).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from portal.localgov import Directory, LocalGov
from portal.normalize import haversine_km

# A municipality reaches a few times the median spacing of offices from its own office; four
# times keeps the far corners of the largest (高山市, 浜松市: 40-50 km from their office) inside.
SPACING_FACTOR = 4.0
# Dense prefectures (大阪府: a median spacing of 2.6 km) still get this much: a facility just
# across a river from the border is a mistake worth a warning, not an error.
MIN_BOUND_KM = 20.0


@dataclass(frozen=True)
class Outside:
    """A point outside the prefecture: its nearest office, and how far P's nearest is."""

    prefecture: str
    nearest: LocalGov
    nearest_km: float
    own_km: float


class Prefectures:
    """Bounds per prefecture, computed on first use from one directory."""

    def __init__(self, directory: Directory) -> None:
        # Municipalities' and wards' offices: a prefecture's own stands in its capital.
        self.offices = [b for b in directory if (b.lat or b.lng) and b.kind != "prefecture"]
        self.bounds: dict[str, float] = {}

    def bound_km(self, prefecture: str) -> float:
        if prefecture not in self.bounds:
            own = [b for b in self.offices if b.prefecture == prefecture]
            spacing = [
                min(haversine_km(a.lat, a.lng, b.lat, b.lng) for b in own if b is not a)
                for a in own
            ] if len(own) > 1 else [0.0]  # fmt: skip
            self.bounds[prefecture] = max(MIN_BOUND_KM, SPACING_FACTOR * statistics.median(spacing))
        return self.bounds[prefecture]

    def outside(self, lat: float, lon: float, prefecture: str) -> Outside | None:
        """Whether (lat, lon) lies outside `prefecture`; see the module's doc."""
        nearest, nearest_km = None, float("inf")
        own_km = float("inf")
        for body in self.offices:
            km = haversine_km(lat, lon, body.lat, body.lng)
            if km < nearest_km:
                nearest, nearest_km = body, km
            if body.prefecture == prefecture and km < own_km:
                own_km = km
        if nearest is None or nearest.prefecture == prefecture:
            return None
        if own_km <= self.bound_km(prefecture):
            return None
        return Outside(prefecture, nearest, nearest_km, own_km)
