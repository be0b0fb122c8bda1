"""Row checks: values in one row that must agree with each other or with the municipality."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import compress, repeat
from operator import ne

from portal.localgov import LocalGov
from portal.normalize import haversine_km, in_japan, looks_swapped, parse_date
from portal.validation.checks.base import Columns, Issue, RowCheck
from portal.validation.checks.kana_reading import KanaReading as KanaReading  # registers it
from portal.validation.checks.prefecture import Outside, Prefectures

DASH_LIKE = str.maketrans({"－": "-", "ー": "-", "−": "-", "‐": "-", "―": "-", "ｰ": "-"})


def address_key(text: str) -> str:
    """An address as compared: width, spaces, dash look-alikes and ヶ/ケ ignored."""
    norm = unicodedata.normalize("NFKC", text).translate(DASH_LIKE)
    return re.sub(r"\s+", "", norm).replace("ヶ", "ケ").replace("ｹ", "ケ")


def _float(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        return None


class Coordinates(RowCheck):
    """Swapped latitude/longitude, both the same, or a point far from the municipality."""

    name = "coordinates"
    columns = ("latitude", "longitude")
    optional = ("site_code",)
    _bounds: Prefectures | None = None

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        lat_f, lon_f = self.spec["latitude"], self.spec["longitude"]
        site = cols.get(self.spec.get("site_code") or "", [None] * len(rows))
        cache: dict[tuple[str | None, str | None, str | None], list[tuple[str, Issue]]] = {}
        for i in range(len(rows)):
            key = (cols[lat_f][i], cols[lon_f][i], site[i])
            if key not in cache:
                cache[key] = self._issues(*key)
            for field_name, issue in cache[key]:
                yield i, field_name, issue

    def _issues(
        self, lat_s: str | None, lon_s: str | None, site: str | None
    ) -> list[tuple[str, Issue]]:
        lat, lon = _float(lat_s), _float(lon_s)
        if lat is None or lon is None:
            return []
        lat_f, lon_f = self.spec["latitude"], self.spec["longitude"]
        shown = {"latitude": lat_s, "longitude": lon_s}
        if lat == lon:  # one was copied over the other; the longitude is then outside Japan
            return [(lon_f, Issue("coordinates-same", params=shown))]
        if looks_swapped(lat, lon):
            return [
                (lat_f, Issue("coordinates-swapped", fix=lon_s, params=shown)),
                (lon_f, Issue("coordinates-swapped", fix=lat_s, params=shown)),
            ]
        if not in_japan(lat, lon):
            return []  # the range constraints report it
        return self._far(lat, lon, site, shown)

    def _far(
        self, lat: float, lon: float, site: str | None, shown: dict[str, str | None]
    ) -> list[tuple[str, Issue]]:
        office = self._office(site)
        if office is None:
            return []
        limit = float(self.spec.get("max_distance_km", 30))
        km = haversine_km(lat, lon, office.lat, office.lng)
        # A prefecture's list spans the prefecture: only a point outside it is worth a word.
        if km <= limit and office.kind != "prefecture":
            return []
        outside = self._prefectures().outside(lat, lon, office.prefecture)
        if outside is None and (km <= limit or office.kind == "prefecture"):
            return []
        params = {
            **shown,
            "distance_km": f"{km:.1f}",
            "max_distance_km": f"{limit:g}",
            "name": office.full_name,
            **_outside_words(outside, limit),
        }
        issue = Issue("coordinates-far", params=params, severity="error" if outside else None)
        return [(self.spec["latitude"], issue)]

    def _prefectures(self) -> Prefectures:
        if self._bounds is None:
            self._bounds = Prefectures(self.ctx.directory)
        return self._bounds

    def _office(self, site: str | None) -> LocalGov | None:
        if site:
            body = self.ctx.directory.get(site.strip())
            if body is not None:
                return body
        return self.ctx.publisher


def _outside_words(outside: Outside | None, limit: float) -> dict[str, str]:
    if outside is None:
        return {"outside_en": f" (more than {limit:g} km)", "outside_ja": f"（{limit:g}km超）"}
    near = outside.nearest
    return {
        "outside_en": f", outside {outside.prefecture} (the nearest office is "
        f"{near.full_name}'s, {outside.nearest_km:.1f} km away)",
        "outside_ja": f"。{outside.prefecture}の外です（最も近い庁舎は{near.full_name}、"
        f"{outside.nearest_km:.1f}km）",
    }


class LgcodeAddress(RowCheck):
    """所在地_全国地方公共団体コード names the municipality the address is in."""

    name = "lgcode-address"
    columns = ("code", "address")

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        code_f, addr_f = self.spec["code"], self.spec["address"]
        agrees: dict[tuple[str | None, str | None], bool] = {}
        for i in range(len(rows)):
            code, address = cols[code_f][i], cols[addr_f][i]
            body = self.ctx.directory.get((code or "").strip())
            if body is None or not address:
                continue
            key = (code, address)
            if key not in agrees:
                agrees[key] = within(address, body)
            if agrees[key]:
                continue
            yield (
                i,
                code_f,
                Issue(
                    "lgcode-address-mismatch", params={"name": body.full_name, "address": address}
                ),
            )


def within(address: str, body: LocalGov) -> bool:
    """Whether an address lies in the body: with or without the prefecture, 郡 allowed."""
    key = address_key(address)
    prefecture = address_key(body.prefecture)
    if body.kind == "prefecture":
        return key.startswith(prefecture)
    if key.startswith(prefecture):
        key = key[len(prefecture) :]
    key = re.sub(r"^[^市区町村]{1,6}郡", "", key)
    return key.startswith(address_key(body.name))


class Publisher(RowCheck):
    """地方公共団体名 is the name of the body with that 全国地方公共団体コード."""

    name = "publisher"
    columns = ("code", "name")

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        code_f, name_f = self.spec["code"], self.spec["name"]
        pairs = list(zip(cols[code_f], cols[name_f], strict=True))
        # Each distinct (code, name) is judged once: a table repeats a few bodies many times.
        wrong = {pair: body for pair in set(pairs) if (body := self._disagrees(*pair))}
        if not wrong:
            return
        for i, pair in enumerate(pairs):
            body = wrong.get(pair)
            if body is not None:
                params = {"lgcode": body.lgcode}
                yield i, name_f, Issue("publisher-name", fix=body.full_name, params=params)

    def _disagrees(self, code: str | None, name: str | None) -> LocalGov | None:
        """The body the code names, when the name is not its name."""
        body = self.ctx.directory.get((code or "").strip())
        if body is None or not name or address_key(name) == address_key(body.full_name):
            return None
        return body


class Total(RowCheck):
    """A total equals the sum of its parts (公衆トイレ counts; 総人口 = 男性 + 女性; see
    validators/datasets/). Rows where the total or a part is empty or not a count are left
    to the cell checks."""

    name = "total"
    columns = ("total", "parts")

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        total_f, parts_f = self.spec["total"], list(self.spec["parts"])
        # Column by column at C speed: each distinct value is read once, a missing count
        # becomes a sum no total can equal, rows are compared with map.
        totals = _counts(cols[total_f])
        sums = list(map(sum, zip(*(_counts(cols[p]) for p in parts_f), strict=True)))
        # Many parts (18 age groups) are shown as the first and the last.
        shown = "+".join(parts_f) if len(parts_f) <= 4 else f"{parts_f[0]}+…+{parts_f[-1]}"
        for i in compress(range(len(rows)), map(ne, totals, sums)):
            if totals[i] >= 0 <= sums[i]:
                params = {"parts": shown, "sum": str(sums[i])}
                yield i, total_f, Issue("total-mismatch", params=params)


# A count that is missing or unreadable: far below any sum of real counts (each at most 18
# digits, a few dozen parts), so a sum holding one stays negative.
NOT_A_COUNT = -(10**30)


# Counts longer than this are left out of sums (the cell checks say they are too big); it
# also keeps int() far from Python's limit on digits.
COUNT_DIGITS = 18


def _counts(values: Sequence[str | None]) -> list[int]:
    """Each value as a count, NOT_A_COUNT where it is not half-width digits; judged once per
    distinct value, at C speed (filter, map), as a bench-sized file has thousands of them."""
    distinct: Iterable[str] = filter(None, set(values))
    digits = list(filter(str.isdigit, filter(str.isascii, distinct)))  # not "²", "１", " 1"
    counts = list(compress(digits, map(COUNT_DIGITS.__ge__, map(len, digits))))
    table: dict[str | None, int] = dict(zip(counts, map(int, counts), strict=True))
    return list(map(table.get, values, repeat(NOT_A_COUNT)))


class DateOrder(RowCheck):
    """An end date is not before its start date."""

    name = "date-order"
    columns = ("start", "end")

    def run(self, rows: Sequence[int], cols: Columns) -> Iterator[tuple[int, str, Issue]]:
        start_f, end_f = self.spec["start"], self.spec["end"]
        for i in range(len(rows)):
            start, end = _day(cols[start_f][i]), _day(cols[end_f][i])
            if start and end and end < start:
                params = {"start_field": start_f, "start": start.isoformat()}
                yield i, end_f, Issue("date-order", params=params)


def _day(text: str | None) -> date | None:
    parsed = parse_date(text or "")
    if parsed is None or not parsed.exact:
        return None
    return date.fromisoformat(parsed.iso)
