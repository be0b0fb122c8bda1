"""What a map draws: the points of a dataset, or of one standard across every municipality
(nearest first around a place), as GeoJSON features with a name, an address and a link to
the row in the rows API; and the place a resident types (coordinates or a municipality)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

import yaml

from portal.composition import Portal
from portal.errors import PortalError
from portal.localgov.directory import Directory, LocalGov
from portal.rows import MAX_LIMIT, run
from portal.rows import Query as RowQuery
from portal.rows.base import LAT, LON
from portal.standards import Definition

MAX_POINTS = 5000  # markers one map draws (a standard across a whole prefecture, clustered)
NEAR_POINTS = MAX_LIMIT  # the nearest rows a "near me" map draws (one rows query)
MAX_PLACE = 100  # characters of a typed place
# "34.86, 138.32", "34.86 138.32", "34.86、138.32" (full-width digits are read too)
COORDINATES = re.compile(r"^\s*([+-]?\d{1,2}(?:\.\d+)?)\s*[,、\s]\s*([+-]?\d{1,3}(?:\.\d+)?)\s*$")


class MapUnavailable(PortalError):
    code = "map-unavailable"
    status = 404
    template_en = "{what} has no coordinates (緯度, 経度) to draw on a map"
    template_ja = "{what} には地図に描ける座標（緯度・経度）がありません"
    hint_en = "maps are drawn for standard datasets with 緯度 and 経度; see /map for them"
    hint_ja = "地図は緯度・経度のある標準データセットについて表示できます（/map に一覧があります）"


class PlaceNotFound(PortalError):
    code = "place-not-found"
    status = 400
    template_en = "no municipality or coordinates found for '{place}'"
    template_ja = "「{place}」に当たる市区町村・座標が見つかりません"
    hint_en = "type a municipality (焼津市, 静岡県焼津市) or coordinates (34.867, 138.324)"
    hint_ja = "市区町村名（焼津市、静岡県焼津市）か座標（34.867, 138.324）を入力してください"


@cache
def _columns_config() -> dict[str, list[str]]:
    text = resources.files("portal.web").joinpath("maps.yaml").read_text(encoding="utf-8")
    loaded: dict[str, list[str]] = yaml.safe_load(text)
    return loaded


@dataclass(frozen=True)
class Columns:
    """The columns of a standard dataset a marker is made of."""

    name: str | None
    address: str | None
    id: str | None

    @property
    def selected(self) -> list[str]:
        return list(dict.fromkeys(c for c in (self.name, self.address, self.id, LAT, LON) if c))


def columns(definition: Definition) -> Columns | None:
    """The marker's columns, or None when the dataset has no 緯度/経度 (no map)."""
    names = definition.field_names
    if LAT not in names or LON not in names:
        return None
    config = _columns_config()

    def first(key: str) -> str | None:
        return next((c for c in config[key] if c in names), None)

    return Columns(first("name_fields"), first("address_fields"), first("id_fields"))


def mappable(definition: Definition, what: str) -> Columns:
    found = columns(definition)
    if found is None:
        raise MapUnavailable(what=what)
    return found


def row_url(root: str, dataset: str, cols: Columns, row: dict[str, Any]) -> str | None:
    """The row in the rows API: the dataset's rows filtered on the row's identifier."""
    value = row.get(cols.id) if cols.id else None
    if cols.id is None or value in (None, ""):
        return None
    return f"{root}/api/v1/datasets/{quote(dataset)}/rows?{urlencode({cols.id: value})}"


def feature(root: str, cols: Columns, row: dict[str, Any]) -> dict[str, Any] | None:
    """One row as a GeoJSON point (None when its coordinates are missing or not numbers)."""
    lat, lon = row.get(LAT), row.get(LON)
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return None
    dataset = str(row["_dataset"])
    name = row.get(cols.name) if cols.name else None
    properties = {
        "name": name or (row.get(cols.id) if cols.id else None) or "",
        "address": (row.get(cols.address) if cols.address else None) or "",
        "lgcode": row.get("_lgcode"),
        "dataset": dataset,
        "page": f"{root}/datasets/{quote(dataset)}",
        "url": row_url(root, dataset, cols, row),
    }
    if "_distance_m" in row:
        properties["distance_m"] = row["_distance_m"]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}  # fmt: skip


@dataclass
class Points:
    features: list[dict[str, Any]]
    truncated: bool  # more rows than one map draws


def points(
    svc: Portal,
    definition: Definition,
    root: str,
    *,
    datasets: list[str] | None = None,
    near: tuple[float, float, float] | None = None,
) -> Points:
    """The points of `datasets` (every municipality's when None), nearest first around
    `near` (lat, lon, metres), read in pages of the rows store's largest page."""
    cols = mappable(definition, definition.title_ja)
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    more = True
    while more and len(rows) < MAX_POINTS:
        query = RowQuery.of(definition, datasets=datasets, select=cols.selected,
                            limit=MAX_LIMIT, cursor=cursor, near=near)  # fmt: skip
        page = run(svc.rows, query)
        rows += page.rows
        cursor = page.next_cursor
        more = cursor is not None
        if near is not None:  # one page: the nearest NEAR_POINTS
            more = page.total > len(rows)
            break
    found = [f for f in (feature(root, cols, r) for r in rows[:MAX_POINTS]) if f is not None]
    return Points(found, more or len(rows) > MAX_POINTS)


def geojson(found: Points, tiles: str, attribution: str) -> dict[str, Any]:
    """A FeatureCollection; `map` (a foreign member) tells the page's script the base map."""
    return {"type": "FeatureCollection", "features": found.features,
            "truncated": found.truncated, "map": {"tiles": tiles, "attribution": attribution}}  # fmt: skip


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str


def place(text: str, directory: Directory) -> Place | list[LocalGov]:
    """Where a typed place is: coordinates, or the one municipality it names; a list of
    municipalities when it names several (府中市: 東京都 and 広島県)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed or len(typed) > MAX_PLACE:
        raise PlaceNotFound(place=text[:MAX_PLACE])
    if (match := COORDINATES.match(typed)) is not None:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Place(lat, lon, f"{lat}, {lon}")
        raise PlaceNotFound(place=typed)
    found = _municipalities(typed, directory)
    if not found:
        raise PlaceNotFound(place=typed)
    if len(found) > 1:
        return found
    return Place(found[0].lat, found[0].lng, found[0].full_name)


def _municipalities(typed: str, directory: Directory) -> list[LocalGov]:
    """Exact names first (静岡県焼津市, 焼津市), then names that start with it (焼津)."""
    bodies = [g for g in directory if g.kind != "prefecture"]
    exact = [g for g in bodies if typed in (g.full_name, g.name)]
    if exact:
        return exact
    return [g for g in bodies if g.name.startswith(typed) or g.full_name.startswith(typed)][:20]
