"""CKAN DataStore actions (read-only) over the portal's rows store: datastore_search and
datastore_info, so clients written against CKAN's DataStore read rows unchanged.

A dataset's rows are searched by the id of its CSV resource, as package_show lists it (what
CKAN's DataStore is keyed by). Parameters are read as CKAN reads them (GET: `filters` as a
JSON object, `fields` comma-separated; POST: JSON values); a bad one is CKAN's 409
"Validation Error", an unknown resource its 404 "Not Found Error". What differs from CKAN,
and why, is listed in tests/integration/test_datastore_vs_ckan.py (DIFFERENCES).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from portal.api.ckan_params import Action, ActionParamInvalid, int_param
from portal.catalogue.base import Package
from portal.catalogue.embedded import EmbeddedCatalogue
from portal.composition import Portal
from portal.errors import PortalError
from portal.rows.datastore import ID, ID_TYPE, NATIVE_TYPES, Search, ckan_type, search
from portal.rows.published import csv_resource
from portal.rows.query import MAX_FILTERS, MAX_TEXT, MAX_VALUES
from portal.store.models import Resource

DEFAULT_LIMIT = 100  # CKAN's ckan.datastore.search.rows_default
MAX_LIMIT = 32_000  # CKAN's ckan.datastore.search.rows_max: a larger limit is cut to it
FORMATS = ("objects", "lists", "csv", "tsv")
SEARCH_PATH = "/api/3/action/datastore_search"


class DatastoreResourceMissing(PortalError):
    code = "datastore-resource-not-found"
    status = 404
    template_en = 'Resource "{resource_id}" was not found.'  # CKAN's words
    template_ja = "リソース「{resource_id}」はデータストアにありません"
    hint_en = "use the id of a dataset's CSV resource, as package_show lists it"
    hint_ja = "package_show が示すデータセットの CSV リソースの id を指定してください"


def _resource_package(svc: Portal, resource_id: str) -> Package | None:
    """The public dataset one of whose resources has this id."""
    if isinstance(svc.catalogue, EmbeddedCatalogue):  # indexed: one row of the database
        with svc.store.sessions() as session:
            owner = session.scalar(select(Resource.package_id).where(Resource.id == resource_id))
        return svc.catalogue.public_show(owner) if owner else None
    return next(  # CKAN: its public datasets, as the rest of the Action API reads them
        (p for p in svc.catalogue.public_packages()
         if any(r.get("id") == resource_id for r in p.get("resources", []))), None,
    )  # fmt: skip


def _rows_of(svc: Portal, params: dict[str, Any]) -> tuple[str, Package]:
    """The resource id asked for and its dataset, whose CSV it must be (the only resource
    with rows in the DataStore's sense); a 404 in CKAN's words otherwise. The dataset's
    name is an alias of its CSV resource, as CKAN's DataStore has aliases: unlike the
    resource id, it stays the same when the dataset is republished."""
    resource_id = params.get("resource_id") or params.get("id")
    if not resource_id or not isinstance(resource_id, str):
        raise ActionParamInvalid(param="resource_id", problem="missing value")
    package = _resource_package(svc, resource_id) or svc.catalogue.public_show(resource_id)
    resource = csv_resource(package) if package else None
    if package is None or resource is None or resource_id not in (resource["id"], package["name"]):
        raise DatastoreResourceMissing(resource_id=resource_id[:MAX_TEXT])
    return resource_id, package


def _listed(params: dict[str, Any], name: str) -> list[str] | None:
    """A list parameter: a JSON list (POST) or comma-separated text (GET), as CKAN takes it."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return raw
    raise ActionParamInvalid(param=name, problem="a list of field names, or them comma-separated")


def _known(name: str, known: list[str], param: str) -> str:
    if name not in known:
        raise ActionParamInvalid(param=param, problem=f'invalid value "{name}"')
    return name


def _sort(params: dict[str, Any], known: list[str]) -> list[tuple[str, bool]]:
    """`sort`: "field", "field asc" or "field desc", comma-separated ("名称, 緯度 desc")."""
    out = []
    for clause in _listed(params, "sort") or []:
        name, _, way = (
            clause.rpartition(" ")
            if clause.lower().endswith((" asc", " desc"))
            else (clause, "", "asc")
        )
        out.append((_known(name.strip().strip('"'), known, "sort"), way.lower() == "desc"))
    return out


def _scalar(value: Any, name: str) -> str:
    if isinstance(value, dict | list):
        raise ActionParamInvalid(
            param="filters",
            problem=f"{name}: filter operators are not supported; give a value or a list of values",
        )
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    if len(text) > MAX_TEXT:
        raise ActionParamInvalid(param="filters", problem=f"{name}: over {MAX_TEXT} characters")
    return text


def _object(params: dict[str, Any], name: str) -> dict[str, Any] | None:
    raw = params.get(name)
    if raw is None or raw == "" or isinstance(raw, dict):
        return raw or None
    try:
        given = json.loads(raw) if isinstance(raw, str) and len(raw) <= MAX_TEXT * 10 else None
    except (ValueError, RecursionError):
        given = None
    if not isinstance(given, dict):
        raise ActionParamInvalid(param=name, problem='a JSON object, e.g. {"名称": "市役所"}')
    return given


def _filters(params: dict[str, Any], known: list[str]) -> list[tuple[str, list[Any]]]:
    given = _object(params, "filters") or {}
    if len(given) > MAX_FILTERS:
        raise ActionParamInvalid(param="filters", problem=f"at most {MAX_FILTERS} fields")
    out: list[tuple[str, list[Any]]] = []
    for name, value in given.items():
        if name not in known:
            raise ActionParamInvalid(param="filters", problem=f"Unknown field: {name}")
        values = [_scalar(v, name) for v in (value if isinstance(value, list) else [value])]
        if not values or len(values) > MAX_VALUES:
            raise ActionParamInvalid(param="filters", problem=f"{name}: 1 to {MAX_VALUES} values")
        if name == ID:
            if not all(v.isdigit() for v in values):
                raise ActionParamInvalid(param="filters", problem=f"{ID}: whole numbers")
            out.append((name, [int(v) for v in values]))
            continue
        out.append((name, values))
    return out


def _words(text: Any, param: str) -> list[str]:
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ActionParamInvalid(param=param, problem=f"text of at most {MAX_TEXT} characters")
    return text.split()


def _flag(params: dict[str, Any], name: str, default: bool) -> bool:
    raw = params.get(name, default)
    return str(raw).lower() in ("true", "1", "yes", "on")


def _search_of(svc: Portal, params: dict[str, Any], package: Package) -> Search:
    definition, _ = svc.rows_of(package)
    types = {f["name"]: f["type"] for f in definition.fields}
    known = [ID, *definition.field_names]
    chosen = _listed(params, "fields")
    q = params.get("q")
    s = Search(key=definition.key, dataset=package["name"], types=types,
               select=[_known(n, known, "fields") for n in chosen] if chosen else known,
               filters=_filters(params, known), sort=_sort(params, known),
               limit=int_param(params, "limit", DEFAULT_LIMIT, MAX_LIMIT),
               offset=int_param(params, "offset", 0), distinct=_flag(params, "distinct", False),
               include_total=_flag(params, "include_total", True))  # fmt: skip
    if isinstance(q, dict):
        s.field_words = [
            (_known(n, definition.field_names, "q"), _words(w, "q")) for n, w in q.items()
        ]
    elif q:
        s.words = _words(q, "q")
    if s.distinct and any(n not in s.select for n, _ in s.sort):
        raise ActionParamInvalid(
            param="sort", problem="with distinct, sort only by fields that are returned"
        )
    return s


def _records(rows: list[dict[str, Any]], names: list[str], fmt: str) -> Any:
    if fmt == "objects":
        return rows
    if fmt == "lists":
        return [[r[n] for n in names] for r in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerows([["" if r[n] is None else r[n] for n in names] for r in rows])
    return out.getvalue()


def _links(params: dict[str, Any], limit: int, offset: int) -> dict[str, str]:
    """Where this page starts and the next one is, as CKAN up to 2.11 linked them."""
    given = {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
             for k, v in params.items() if k != "offset"}  # fmt: skip
    links = {"start": f"{SEARCH_PATH}?{urlencode(given)}",
             "next": f"{SEARCH_PATH}?{urlencode({**given, 'offset': offset + limit})}"}  # fmt: skip
    if offset - limit > 0:
        links["prev"] = f"{SEARCH_PATH}?{urlencode({**given, 'offset': offset - limit})}"
    return links


def datastore_search(svc: Portal, params: dict[str, Any], root: str) -> Any:
    resource_id, package = _rows_of(svc, params)
    fmt = str(params.get("records_format", "objects"))
    if fmt not in FORMATS:
        raise ActionParamInvalid(param="records_format", problem=f"one of {', '.join(FORMATS)}")
    s = _search_of(svc, params, package)
    found = search(svc.rows, s)
    result: dict[str, Any] = {"include_total": s.include_total, "limit": s.limit,
                              "records_format": fmt, "resource_id": resource_id}  # fmt: skip
    if params.get("offset") not in (None, ""):
        result["offset"] = s.offset
    for echoed in ("q", "filters", "sort"):
        if params.get(echoed) not in (None, ""):
            result[echoed] = _object(params, echoed) if echoed == "filters" else params[echoed]
    if s.distinct:
        result["distinct"] = True
    result["records"] = _records(found.rows, s.select, fmt)
    result["fields"] = [{"id": n, "type": ID_TYPE if n == ID else ckan_type(s.types[n])}
                        for n in s.select]  # fmt: skip
    if found.total is not None:
        result["total"] = found.total
    result["_links"] = _links(params, s.limit, s.offset)
    return result


def datastore_info(svc: Portal, params: dict[str, Any], root: str) -> Any:
    resource_id, package = _rows_of(svc, params)
    definition, loaded = svc.rows_of(package)
    fields = []
    for f in definition.fields:
        kind = ckan_type(f["type"])
        fields.append({"id": f["name"], "type": kind,
                       "schema": {"native_type": NATIVE_TYPES[kind], "notnull": False,
                                  "index_name": None, "is_index": False, "uniquekey": False}})  # fmt: skip
    real_id = csv_resource(package)["id"]  # type: ignore[index]  # _rows_of checked it
    meta = {"id": real_id, "count": loaded.rows, "table_type": "BASE TABLE",
            "aliases": [package["name"]]}  # fmt: skip
    return {"fields": fields, "meta": meta}


DATASTORE_ACTIONS: dict[str, Action] = {f.__name__: f for f in (datastore_search, datastore_info)}
