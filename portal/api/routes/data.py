"""Rows and files: /api/v1/datasets/{name}/rows, downloads, /api/v1/standard/{slug}/rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from portal.api.cp932 import WRITER_VERSION as CP932_WRITER_VERSION
from portal.api.cp932 import cp932_response, excel_utf8_response
from portal.api.gzipped import GZIP_DIR, accepts_gzip, gzip_file_response, vary
from portal.api.limits import cache_headers, etag_for, not_modified, rate_limiter
from portal.api.openapi import answers, media
from portal.api.routes.catalogue import modified
from portal.catalogue.embedded import EmbeddedCatalogue
from portal.catalogue.versions import archived_file, current_file_url
from portal.composition import Portal
from portal.errors import PortalError
from portal.present import PortalDep
from portal.rows import MAX_LIMIT, BadQuery, run
from portal.rows import Query as RowQuery
from portal.rows.query import MAX_CURSOR, MAX_TEXT, OPS
from portal.standards import Definition

router = APIRouter(prefix="/api/v1", tags=["data"])
RESERVED = {
    "q",
    "sort",
    "fields",
    "limit",
    "offset",
    "cursor",
    "lgcode",
    "lat",
    "lon",
    "distance",
    "api_key",
    "lang",
    "filters",
}
ROWS_DOC = """Rows of the dataset, as JSON. Filter on any field: `?種別=消火栓`, `?総人口__gte=1000`,
`?ID__in=1,2,3`, `?名称__like=公園` (operators: eq, ne, gt, gte, lt, lte, in, like), or the same
as one JSON object as CKAN's datastore_search takes it: `filters={"名称__like":"公園"}` (a list
means `in`) — easier to URL-encode when field names are Japanese. `q` finds text
in any text field; `sort=-総人口,名称` sorts (minus: descending); `fields=名称,緯度,経度` selects;
`limit` (≤ 1000) and `offset` (≤ 10000) page; for deeper paging follow `next` (a cursor).
At most 50 filters, 500 values in one `__in`, 1000 characters in `q` or one value."""
MAX_FILTERS_JSON = 10_000  # characters of the `filters` JSON object
MAX_FILE_ID = 128  # characters of a resource id in /files/ (they are UUIDs)
MAX_FILE_NAME = 255  # characters of a file name in /files/
Latitude = Annotated[float | None, Query(ge=-90, le=90, description="Degrees, with lon.")]
Longitude = Annotated[float | None, Query(ge=-180, le=180, description="Degrees, with lat.")]
Distance = Annotated[float | None, Query(gt=0, le=100_000, description="Metres from lat/lon.")]


class FormatMissing(PortalError):
    code = "format-not-published"
    status = 404
    template_en = "the dataset {name} has no {format} file"
    template_ja = "データセット {name} には {format} ファイルがありません"


class FileMissing(PortalError):
    code = "file-not-found"
    status = 404
    template_en = "there is no published file {filename} under {resource_id}"
    template_ja = "公開ファイル {resource_id}/{filename} はありません"


def heavy(request: Request) -> None:
    """The routes that read many rows are rate-limited per client."""
    rate_limiter(request).take(request)


Heavy = Depends(heavy)


def _scalar(value: object) -> bool:
    return isinstance(value, (str, int, float))


def _json_filters(text: str) -> list[tuple[str, str | list[str]]]:
    try:  # a bounded text: json's recursion (deep nesting) and time stay small
        given = json.loads(text) if len(text) <= MAX_FILTERS_JSON else None
    except (ValueError, RecursionError):
        given = None
    if not isinstance(given, dict) or not all(
        _scalar(v) or (isinstance(v, list) and all(map(_scalar, v))) for v in given.values()
    ):
        raise BadQuery(
            detail="filters must be a JSON object of values or lists of values, at most "
            f'{MAX_FILTERS_JSON:,} characters, such as {{"名称__like": "公園", "ID": ["1", "2"]}}',
            detail_ja=f"filters は {MAX_FILTERS_JSON:,} 文字以内の、値か値のリストの JSON オブジェクトで"
            '指定してください（{"名称__like": "公園", "ID": ["1", "2"]} など）',
        )
    return [
        (f"{k}__in" if isinstance(v, list) and "__" not in k else k,
         [str(x) for x in v] if isinstance(v, list) else str(v))
        for k, v in given.items()
    ]  # fmt: skip


def parse_filters(request: Request) -> list[tuple[str, str, Any]]:
    out: list[tuple[str, str, Any]] = []
    items: list[tuple[str, str | list[str]]] = [
        (k, v) for k, v in request.query_params.multi_items() if k not in RESERVED
    ]
    for text in request.query_params.getlist("filters"):
        items += _json_filters(text)
    for key, value in items:
        name, _, op = key.partition("__")
        op = op or "eq"
        if op not in OPS:
            raise BadQuery(detail=f"unknown operator '{op}' in '{key}'; use {', '.join(OPS)}",
                           detail_ja=f"「{key}」の演算子「{op}」は使えません（{', '.join(OPS)}）")  # fmt: skip
        if op == "in" and isinstance(value, str):
            value = value.split(",")
        elif op != "in" and isinstance(value, list):
            raise BadQuery(detail=f"'{key}' takes one value; a list goes with __in",
                           detail_ja=f"「{key}」には値を一つ指定してください（複数なら __in）")  # fmt: skip
        out.append((name, op, value))
    return out


def parse_sort(sort: str) -> list[tuple[str, bool]]:
    return [(s.lstrip("-"), s.startswith("-")) for s in sort.split(",") if s.strip()]


@dataclass
class RowParams:
    """The query parameters both rows routes take (field filters are read from the rest)."""

    q: Annotated[str | None, Query(max_length=MAX_TEXT)] = None
    sort: str = ""
    fields: str = ""
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100
    offset: Annotated[int, Query(ge=0)] = 0
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR)] = None

    def query(self, request: Request, definition: Definition, **scope: Any) -> RowQuery:
        return RowQuery.of(
            definition, filters=parse_filters(request), q=self.q, sort=parse_sort(self.sort),
            select=[f for f in self.fields.split(",") if f] or None,
            limit=self.limit, offset=self.offset, cursor=self.cursor, **scope,
        )  # fmt: skip


def page_url(request: Request, cursor: str) -> str:
    params = [
        (k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "offset")
    ]
    return str(request.url.replace_query_params(**dict(params), cursor=cursor))


@router.get(
    "/datasets/{name}/rows",
    summary="Query the dataset's rows",
    operation_id="dataset_rows",
    description=ROWS_DOC,
    dependencies=[Heavy],
    responses=answers(304, 400, 404, 429),
)
def rows(
    request: Request,
    name: str,
    svc: PortalDep,
    params: Annotated[RowParams, Depends()],
) -> Response:
    package = svc.package(name)
    definition, loaded = svc.rows_of(package)
    etag = etag_for(loaded.content_hash, request.url.query)
    if (cached := not_modified(request, etag, modified(package))) is not None:
        return cached
    query = params.query(request, definition, datasets=[name])
    body = _page(request, svc, query, dataset=name)
    return JSONResponse(body, headers=cache_headers(etag, modified(package)))


def _page(request: Request, svc: Portal, query: RowQuery, **head: str) -> dict[str, Any]:
    page = run(svc.rows, query)
    return {**head, "standard": query.key, "total": page.total, "limit": query.limit, "offset": query.offset,
            "next": page_url(request, page.next_cursor) if page.next_cursor else None,
            "fields": query.select or query.fields, "rows": page.rows}  # fmt: skip


@router.get(
    "/standard/{slug}/rows",
    summary="Rows of one standard dataset across every municipality",
    operation_id="standard_rows",
    description="Filters, `q`, `sort`, `fields` and paging as on a dataset's rows; `lgcode`, "
    "or `lat`, `lon` and `distance` (nearest first), choose where.",
    dependencies=[Heavy],
    responses=answers(400, 404, 429),
)
def standard_rows(
    request: Request,
    slug: str,
    svc: PortalDep,
    params: Annotated[RowParams, Depends()],
    lgcode: Annotated[
        str | None, Query(description="Only these municipalities (comma-separated codes).")
    ] = None,
    lat: Latitude = None,
    lon: Longitude = None,
    distance: Distance = None,
) -> dict[str, Any]:
    definition = svc.registry.get(slug)  # the rows of every dataset loaded in its layout
    near = None
    if (lat is None) != (lon is None) or (distance is not None and lat is None):
        raise BadQuery(
            detail="lat, lon and distance go together",
            detail_ja="lat・lon・distance は一緒に指定してください",
        )
    if lat is not None and lon is not None:
        near = (lat, lon, distance or 1000.0)
    lgcodes = lgcode.split(",") if lgcode else None
    query = params.query(request, definition, lgcodes=lgcodes, near=near)
    return _page(request, svc, query)


@router.get(
    "/datasets/{name}/download.{fmt}",
    summary="Download the dataset (csv, json, geojson)",
    operation_id="dataset_download",
    dependencies=[Heavy],
    response_class=Response,
    responses={
        200: {"content": media("text/csv", "application/json", "application/geo+json")},
        **answers(304, 400, 404, 422, 429),
    },
)
def download(
    request: Request,
    name: str,
    fmt: Literal["csv", "json", "geojson"],
    svc: PortalDep,
    encoding: Annotated[
        Literal["utf-8", "cp932"], Query(description="utf-8 (canonical) or cp932 for Excel.")
    ] = "utf-8",
    unmappable: Literal["error", "replace"] = "error",
    bom: Annotated[
        bool,
        Query(description="CSV in UTF-8 with a BOM, formula-like cells quoted: opens in Excel."),
    ] = False,
) -> Response:
    package = svc.package(name)
    definition, loaded = svc.rows_of(package)
    excel = fmt == "csv" and encoding == "utf-8" and bom
    writer = CP932_WRITER_VERSION if encoding == "cp932" or excel else ""
    gzip = accepts_gzip(request)  # each encoding its own ETag (portal/api/gzipped.py)
    etag = etag_for(loaded.content_hash, fmt, encoding, unmappable, writer, excel,
                    *(["gzip"] if gzip else []))  # fmt: skip
    if (cached := not_modified(request, etag, modified(package))) is not None:
        cached.headers["Vary"] = "Accept-Encoding"
        return cached
    stem = definition.file_name(loaded.lgcode).removesuffix(".csv")
    filename = f"{stem}.{fmt}" if encoding == "utf-8" else f"{stem}_cp932.{fmt}"
    headers = vary({**cache_headers(etag, modified(package)),
                    "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})  # fmt: skip
    if excel:
        return excel_utf8_response(svc.published_csv(package, loaded), headers)
    tag = etag.strip('"')
    send = _sender(svc, f"{name}.{fmt}.{tag}" if gzip else None)
    if fmt == "csv" and encoding == "utf-8":
        return send(svc.published_csv(package, loaded), "text/csv; charset=utf-8", headers)
    if fmt == "csv":
        return cp932_response(svc.published_csv(package, loaded), unmappable == "replace", headers)
    return _resource(svc, package, fmt, headers, send)


Send = Callable[[FilePath, str, dict[str, str]], Response]


def _sender(svc: Portal, gzip_key: str | None) -> Send:
    """How a published file is sent: as it is, or (`gzip_key`: the client takes gzip) its
    gzip copy kept under that key."""
    if gzip_key is None:
        return lambda path, media, headers: FileResponse(path, media_type=media, headers=headers)
    folder = svc.settings.data_dir / GZIP_DIR
    return lambda path, media, headers: gzip_file_response(path, folder, gzip_key, media, headers)


def _resource(svc: Portal, package: dict[str, Any], fmt: str, headers: dict[str, str],
              send: Send) -> Response:  # fmt: skip
    wanted = {"json": "JSON", "geojson": "GeoJSON"}[fmt]
    resource = next(
        (
            r
            for r in package.get("resources", [])
            if r.get("format") == wanted and not r["name"].startswith("datapackage")
        ),
        None,
    )
    if resource is None:
        raise FormatMissing(name=package["name"], format=wanted)
    media = "application/geo+json" if fmt == "geojson" else "application/json"
    local = svc.catalogue.local_file(resource)
    if local is not None:
        return send(local, media, headers)
    return Response(svc.catalogue.resource_bytes(resource), media_type=media, headers=headers)


files = APIRouter(tags=["files"])


ResourceId = Annotated[str, Path(pattern="^[0-9A-Za-z_-]+$", max_length=MAX_FILE_ID)]
FileName = Annotated[str, Path(max_length=MAX_FILE_NAME)]
FILES_DOC = """`/files/{dataset}/{file}` is the stable address a resource's `url` gives: it always
serves the current version's file (a harvested copy's link keeps working after a republish).
`/files/{resource id}/{file}` is one version's resource; once that version's files are removed,
it redirects (301) to the stable address."""


@files.get(
    "/files/{resource_id}/{filename}",
    summary="A published file: the current version's, or one resource's (embedded catalogue)",
    description=FILES_DOC,
    operation_id="file",
    response_class=FileResponse,
    responses={
        200: {"content": media("*/*")},
        301: {"description": "Moved to the stable URL"},
        **answers(400, 404),
    },  # fmt: skip
)
def file(resource_id: ResourceId, filename: FileName, svc: PortalDep) -> Response:
    path = svc.catalogue.local_file({"id": resource_id, "name": filename})
    if path is None:
        path = _current_file(svc, resource_id, filename)
    if path is not None:
        return FileResponse(path)
    catalogue = svc.catalogue
    moved = catalogue.replaced_by(resource_id) if isinstance(catalogue, EmbeddedCatalogue) else None
    if moved is not None and _current_file(svc, moved, filename) is not None:
        return RedirectResponse(current_file_url(moved, filename), status_code=301)
    raise FileMissing(resource_id=resource_id, filename=filename)


def _current_file(svc: Portal, name: str, filename: str) -> FilePath | None:
    """The file named `filename` of the public dataset `name`'s current version."""
    package = svc.catalogue.public_show(name)
    resource = next(
        (r for r in (package or {}).get("resources", []) if r.get("name") == filename), None
    )
    return svc.catalogue.local_file(resource) if resource is not None else None


@files.get(
    "/files/{name}/versions/{number}/{filename}",
    summary="A file of one version of the dataset, as it was published",
    operation_id="version_file",
    response_class=FileResponse,
    responses={200: {"content": media("*/*")}, **answers(400, 404)},
)
def version_file(name: ResourceId, number: int, filename: FileName, svc: PortalDep) -> FileResponse:
    svc.package(name)  # 404 for a dataset the public cannot see
    path = archived_file(svc.store, svc.versions_dir, name, number, filename)
    if path is None:
        raise FileMissing(resource_id=f"{name}/versions/{number}", filename=filename)
    return FileResponse(path)
