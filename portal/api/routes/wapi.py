"""BODIK WAPI-compatible routes, so apps written for wapi.bodik.jp work unchanged.

Shapes as existing clients read them: `/{apiname}` answers
`{"metadata": {"totalCount", …}, "resultsets": {"features": [{"properties", "geometry"}]}}`
for both `select_type=data` and `geometry`; `/organization` lists `{organ_code, organ_name}`;
`/api/list` lists `{apiname, description}`. Properties carry the standard's fields plus
BODIK's normalised names (name, address, telephoneNumber, lat, lon, municipalityCode,
municipalityName).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from portal.api.openapi import answers, follow
from portal.api.routes.data import Distance, Latitude, Longitude, heavy
from portal.catalogue.meta import PortalMeta
from portal.composition import Portal
from portal.errors import DatasetNotFound
from portal.present import PortalDep
from portal.rows import Query as RowQuery
from portal.rows import run
from portal.rows.query import MAX_TEXT
from portal.standards import Definition

router = APIRouter(prefix="/wapi", tags=["BODIK WAPI compatible"])
NORMALISED = {
    "name": "名称",
    "address": "所在地_連結表記",
    "telephoneNumber": "電話番号",
    "lat": "緯度",
    "lon": "経度",
}
LEGACY_ADDRESS = "住所"


def _apis(svc: Portal) -> dict[str, Definition]:
    return {
        str(d.meta.get("bodik_api", d.slug)): d
        for d in svc.registry.all()
        if d.version == "current" and d.fields
    }


def _organizations(svc: Portal, packages: list[dict[str, Any]]) -> list[dict[str, str]]:
    codes = sorted({PortalMeta.from_package(p).lgcode or "" for p in packages} - {""})
    return [
        {"organ_code": c, "organ_name": body.full_name}
        for c in codes
        if (body := svc.directory.get(c))
    ]


FIRST = "$response.body#/0/apiname"  # the first apiname listed, for links


@router.get(
    "/api/list",
    summary="Available apinames",
    operation_id="wapi_api_list",
    responses={
        **answers(),
        **follow(
            search=("wapi_search", {"apiname": FIRST}),
            config=("wapi_config", {"apiname": FIRST}),
            organizations=("wapi_api_organizations", {"apiname": FIRST}),
        ),
    },
)
def api_list(svc: PortalDep) -> list[dict[str, str]]:
    published = {PortalMeta.from_package(p).standard for p in svc.published()}
    return [
        {"apiname": api, "description": d.title_ja}
        for api, d in _apis(svc).items()
        if d.slug in published
    ]


@router.get(
    "/organization",
    summary="Every municipality that publishes something",
    operation_id="wapi_organizations",
    responses=answers(),
)
def organizations(svc: PortalDep) -> list[dict[str, str]]:
    return _organizations(svc, svc.published())


def _definition(svc: Portal, apiname: str) -> Definition:
    found = _apis(svc).get(apiname)
    if found is None:
        raise DatasetNotFound(key=apiname)
    return found


@router.get(
    "/config/{apiname}",
    summary="Fields of an apiname and how BODIK's names map to them",
    operation_id="wapi_config",
    responses=answers(404),
)
def config(apiname: str, svc: PortalDep) -> dict[str, Any]:
    d = _definition(svc, apiname)
    mapping = {k: v for k, v in NORMALISED.items() if v in d.field_names}
    return {
        "apiname": apiname,
        "description": d.title_ja,
        "fields": d.field_names,
        "mapping": mapping,
    }


@router.get(
    "/{apiname}/organization",
    summary="Municipalities that publish this apiname",
    operation_id="wapi_api_organizations",
    responses=answers(404),
)
def api_organizations(apiname: str, svc: PortalDep) -> list[dict[str, str]]:
    return _organizations(svc, svc.published(_definition(svc, apiname).slug))


@router.get(
    "/{apiname}",
    summary="Search one apiname across municipalities",
    operation_id="wapi_search",
    dependencies=[Depends(heavy)],
    responses=answers(400, 404, 429),
)
def search(
    request: Request,
    apiname: str,
    svc: PortalDep,
    select_type: Literal["data", "geometry"] = "data",
    maxResults: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    lat: Latitude = None,
    lon: Longitude = None,
    distance: Distance = None,
    municipalityCode: str | None = None,
    municipalityName: str | None = None,
    name: Annotated[str | None, Query(max_length=MAX_TEXT, description="Part of 名称.")] = None,
) -> dict[str, Any]:
    d = _definition(svc, apiname)
    packages = svc.published(d.slug, with_rows=True)
    lgcodes = _municipalities(svc, packages, municipalityCode, municipalityName)
    filters = [("名称", "like", name)] if name and "名称" in d.field_names else []
    near = (lat, lon, distance or 1000.0) if lat is not None and lon is not None else None
    query = RowQuery.of(
        d, lgcodes=lgcodes, filters=filters, limit=maxResults, offset=offset, near=near
    )
    page = run(svc.rows, query) if lgcodes != [] else None
    features = [_feature(r, apiname, svc) for r in (page.rows if page else [])]
    if select_type == "geometry":
        features = [f for f in features if f["geometry"]]
    metadata = {"apiname": apiname, "select_type": select_type, "totalCount": page.total if page else 0,
                "maxResults": maxResults, "offset": offset}  # fmt: skip
    return {"metadata": metadata, "resultsets": {"type": "FeatureCollection", "features": features}}


def _municipalities(
    svc: Portal, packages: list[dict[str, Any]], code: str | None, name: str | None
) -> list[str] | None:
    if not code and not name:
        return None
    wanted = set()
    for c in sorted({PortalMeta.from_package(p).lgcode or "" for p in packages}):
        body = svc.directory.get(c)
        if body and (
            (code and code in (c, c[:5])) or (name and name in (body.name, body.full_name))
        ):
            wanted.add(c)
    return sorted(wanted)


def _feature(row: dict[str, Any], apiname: str, svc: Portal) -> dict[str, Any]:
    props = {k: v for k, v in row.items() if not k.startswith("_")}
    for alias, field_name in NORMALISED.items():
        props.setdefault(alias, row.get(field_name))
    if props.get("address") is None and LEGACY_ADDRESS in row:
        props["address"] = row[LEGACY_ADDRESS]
    body = svc.directory.get(row.get("_lgcode", ""))
    props.update(
        apiname=apiname,
        municipalityCode=row.get("_lgcode"),
        municipalityName=body.full_name if body else None,
    )
    if "_distance_m" in row:
        props["distance"] = row["_distance_m"]
    lat, lon = row.get("緯度"), row.get("経度")
    geometry = (
        {"type": "Point", "coordinates": [lon, lat]}
        if isinstance(lat, float) and isinstance(lon, float)
        else None
    )
    return {"type": "Feature", "geometry": geometry, "properties": props}
