"""Maps: the points behind every map (/map/points.geojson) and the map of one standard
dataset across every municipality (/map?standard=aed), with "near me" by the browser's
geolocation or by a typed place. The dataset page's map is its template
(_dataset_map.html) over the same points; the script is bundled from portal/web/js."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from portal.composition import Portal
from portal.present import PortalDep, base
from portal.rows.query import BadQuery
from portal.settings import Settings
from portal.standards import Definition
from portal.web.map_points import Place, PlaceNotFound, columns, geojson, mappable, place, points
from portal.web.pages import render

router = APIRouter(include_in_schema=False)
DISTANCES = (500, 1000, 2000, 5000, 10_000, 30_000)  # metres a resident may choose
DEFAULT_DISTANCE = 2000
NEAREST_LISTED = 50  # rows the page lists under a "near me" map (the map draws them all)
Latitude = Annotated[float | None, Query(ge=-90, le=90)]
Longitude = Annotated[float | None, Query(ge=-180, le=180)]
Distance = Annotated[int, Query(gt=0, le=100_000)]


def _settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def _limit(request: Request) -> None:
    """The points read many rows: rate-limited as the rows API is (the app's one limiter)."""
    limiter = getattr(request.app.state, "limiter", None)
    if limiter is not None:
        limiter.take(request)


def _near(lat: float | None, lon: float | None, distance: int) -> tuple[float, float, float] | None:
    if (lat is None) != (lon is None):
        raise BadQuery(
            detail="lat and lon go together", detail_ja="lat と lon は一緒に指定してください"
        )
    return None if lat is None or lon is None else (lat, lon, float(distance))


@router.get("/map/points.geojson")
def map_points(
    request: Request,
    svc: PortalDep,
    dataset: str | None = None,
    standard: str | None = None,
    lat: Latitude = None,
    lon: Longitude = None,
    distance: Distance = DEFAULT_DISTANCE,
) -> JSONResponse:
    """A dataset's points, or a standard's across municipalities (near lat/lon if given)."""
    if (dataset is None) == (standard is None):
        raise BadQuery(detail="give either dataset or standard",
                       detail_ja="dataset か standard のどちらか一つを指定してください")  # fmt: skip
    _limit(request)
    root = base(request)
    if dataset is not None:
        package = svc.package(dataset)
        definition, _ = svc.rows_of(package)
        mappable(definition, package.get("title") or dataset)
        found = points(svc, definition, root, datasets=[dataset])
    else:
        definition = svc.registry.get(str(standard))
        found = points(svc, definition, root, near=_near(lat, lon, distance))
    settings = _settings(request)
    body = geojson(found, settings.map_tiles, settings.map_attribution)
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request,
    svc: PortalDep,
    standard: str | None = None,
    place_text: Annotated[str | None, Query(alias="place", max_length=200)] = None,
    lat: Latitude = None,
    lon: Longitude = None,
    distance: Distance = DEFAULT_DISTANCE,
) -> HTMLResponse:
    if not standard:
        return render(request, "map.html", choices=standards_with_points(svc), standard=None)
    definition = svc.registry.get(standard)
    mappable(definition, definition.title_ja)
    where: Place | None = None
    problem: dict[str, Any] | None = None
    candidates: list[Any] = []
    if place_text:
        try:
            found = place(place_text, svc.directory)
        except PlaceNotFound as exc:  # the page again, the form with what to type
            problem = exc.to_dict()
        else:
            if isinstance(found, Place):
                where = found
            else:
                candidates = found
    elif lat is not None and lon is not None:
        where = Place(lat, lon, f"{lat}, {lon}")
    context = page_context(svc, request, definition, where, distance)
    status = 400 if problem else 200
    return render(request, "map.html", status, standard=definition, problem=problem,
                  candidates=candidates, place=place_text or "", **context)  # fmt: skip


def page_context(svc: Portal, request: Request, definition: Definition, where: Place | None,
                 distance: int) -> dict[str, Any]:  # fmt: skip
    """The map's data URL, and the nearest rows listed beside it when a place is known."""
    query: dict[str, Any] = {"standard": definition.key}
    nearest: list[dict[str, Any]] = []
    if where is not None:
        query.update(lat=where.lat, lon=where.lon, distance=distance)
        found = points(svc, definition, base(request), near=(where.lat, where.lon, distance))
        nearest = [f["properties"] for f in found.features[:NEAREST_LISTED]]
        for listed in nearest:
            listed["municipality"] = _municipality(svc, listed.get("lgcode"))
    return {"points_url": "/map/points.geojson?" + urlencode(query), "where": where,
            "nearest": nearest, "distance": distance, "distances": DISTANCES}  # fmt: skip


def _municipality(svc: Portal, lgcode: object) -> str:
    found = svc.directory.get(str(lgcode)) if lgcode else None
    return found.full_name if found else str(lgcode or "")


def standards_with_points(svc: Portal) -> list[dict[str, Any]]:
    """The standards a map can be drawn of: with 緯度/経度 and rows loaded, in spec order."""
    loaded: dict[str, list[Any]] = defaultdict(list)
    for dataset in svc.rows.all_loaded():
        loaded[dataset.key].append(dataset)
    out = []
    for definition in svc.registry.all():
        held = loaded.get(definition.key)
        if not held or columns(definition) is None:
            continue
        out.append({"key": definition.key, "title_ja": definition.title_ja,
                    "title_en": definition.title_en, "number": definition.number,
                    "municipalities": len({d.lgcode for d in held}),
                    "rows": sum(d.rows for d in held)})  # fmt: skip
    return out
