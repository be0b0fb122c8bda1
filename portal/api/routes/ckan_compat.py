"""CKAN's read-only Action API, so ckanapi, ckanext-harvest's CKAN harvester and
aggregators read the portal unchanged — also when it runs on the embedded catalogue.

Served at `/api/3/action/{name}` and `/api/action/{name}` (ckanapi posts JSON to the
latter); GET with query parameters or POST with a JSON body, answered as CKAN answers:
`{"help", "success", "result"}`. Resource URLs are made absolute, as CKAN's are.
"""

from __future__ import annotations

import inspect
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from portal.api import ckan_shape
from portal.api.ckan_params import Action, ActionParamInvalid, bool_param, int_param
from portal.api.ckan_reads import READ_ACTIONS, shaper
from portal.api.openapi import answers, follow
from portal.api.routes.datastore import DATASTORE_ACTIONS
from portal.catalogue.base import OrganizationMissing
from portal.catalogue.fq import parse_filter
from portal.catalogue.search import Search
from portal.composition import Portal
from portal.errors import PortalError
from portal.present import PortalDep
from portal.rows.query import MAX_TEXT

router = APIRouter(tags=["CKAN Action API (read-only)"])
MAX_ROWS = 1000


def status_show(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the site's title, CKAN version it answers as, and site URL."""
    status = svc.catalogue.status_show()
    return {**status, "site_url": root, "api_version": 3}


def package_list(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the names of the public datasets.

    :param limit: at most this many (optional)
    :param offset: from this one on (optional)
    """
    names = sorted(p["name"] for p in svc.catalogue.public_packages())
    offset = int_param(params, "offset", 0)
    limit = int_param(params, "limit", len(names))
    return names[offset : offset + limit]


def package_show(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return a dataset with its resources, as CKAN's package_show does.

    :param id: the id or name of the dataset
    """
    name = params.get("id") or params.get("name")
    if not name:
        raise ActionParamInvalid(param="id", problem="missing value")
    return shaper(svc, root).package(svc.package(str(name)))


def _facet_fields(params: dict[str, Any]) -> list[str]:
    raw = params.get("facet.field")
    if not raw:
        return []
    if isinstance(raw, list):
        return [str(f) for f in raw]
    try:
        fields = json.loads(raw)
    except (ValueError, RecursionError):
        raise ActionParamInvalid(
            param="facet.field", problem='a JSON list, e.g. ["tags","organization"]'
        ) from None
    if not isinstance(fields, list):
        raise ActionParamInvalid(param="facet.field", problem="must be a JSON list")
    return [str(f) for f in fields]


def _search_facets(facets: dict[str, dict[str, int]], limit: int) -> dict[str, Any]:
    return {
        field: {
            "title": field,
            "items": [
                {"name": k, "display_name": k, "count": n} for k, n in list(counts.items())[:limit]
            ],
        }
        for field, counts in facets.items()
    }


def package_search(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Search the datasets, as CKAN's package_search does.

    :param q: the words to search for
    :param fq: a Solr filter query (fields: see the README's compatibility section)
    :param rows: at most this many (up to 1000); :param start: from this one on
    :param sort: e.g. ``metadata_modified desc``
    :param facet.field: a JSON list of fields to count, e.g. ``["tags","organization"]``
    """
    for name in ("q", "fq", "sort"):
        if len(str(params.get(name, ""))) > MAX_TEXT:
            raise ActionParamInvalid(param=name, problem=f"longer than {MAX_TEXT} characters")
    fq = str(params.get("fq", ""))
    parse_filter(fq)  # refused alike on both catalogues when it cannot be answered as CKAN does
    facets = _facet_fields(params) if bool_param(params, "facet") or "facet.field" in params else []
    search = Search(q=str(params.get("q", "")), filter_query=fq, rows=int_param(params, "rows", 10, MAX_ROWS),
                    start=int_param(params, "start", 0), sort=str(params.get("sort", "")), facets=facets)  # fmt: skip
    found = svc.catalogue.search(search)
    limit = int_param(params, "facet.limit", 50)
    shape = shaper(svc, root)
    return {
        "count": found["count"],
        "sort": search.sort or "score desc, metadata_modified desc",
        "results": [shape.package(p) for p in found["results"]],
        "facets": found["facets"],
        "search_facets": _search_facets(found["facets"], limit),
    }


def organization_list(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the organizations' names, or their dicts with ``all_fields=true``.

    :param limit: at most this many; :param offset: from this one on
    """
    orgs = sorted(svc.catalogue.organizations(), key=lambda o: o["name"])
    offset, limit = int_param(params, "offset", 0), int_param(params, "limit", MAX_ROWS)
    orgs = orgs[offset : offset + limit]
    if not bool_param(params, "all_fields"):
        return [o["name"] for o in orgs]
    return [ckan_shape.organization(o) for o in orgs]


def organization_show(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return an organization, as CKAN's organization_show does.

    :param id: the id or name of the organization
    :param include_datasets: with its public datasets (optional)
    """
    name = params.get("id") or params.get("name")
    if not name:
        raise ActionParamInvalid(param="id", problem="missing value")
    shape = shaper(svc, root)
    org = next((o for o in map(ckan_shape.organization, shape.organizations.values())
                if str(name) in (o["name"], o["id"])), None)  # fmt: skip
    if org is None:
        raise OrganizationMissing(name=name)
    if bool_param(params, "include_datasets"):
        found = svc.catalogue.search(Search(fq={"organization": org["name"]}, rows=MAX_ROWS))
        org = {**org, "packages": [shape.package(p) for p in found["results"]]}
    return org


def current_package_list_with_resources(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the public datasets with their resources, newest first.

    :param limit: at most this many (up to 1000); :param offset: from this one on
    """
    packages = svc.catalogue.public_packages()  # newest first, as CKAN gives them
    offset, limit = int_param(params, "offset", 0), int_param(params, "limit", MAX_ROWS, MAX_ROWS)
    shape = shaper(svc, root)
    return [shape.package(p) for p in packages[offset : offset + limit]]


class ActionHelpMissing(PortalError):
    code = "action-help-not-found"
    status = 404
    template_en = "Not found: Action function not found"  # CKAN's words
    template_ja = "アクション「{name}」はありません"


def help_show(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the help string of an action: what it answers and which parameters it reads.

    :param name: the action's name
    """
    name = params.get("name")
    if not name:
        raise ActionParamInvalid(param="name", problem="Missing value")
    action = ACTIONS.get(str(name))
    if action is None:
        raise ActionHelpMissing(name=name)
    return inspect.getdoc(action) or f"{name}: as CKAN's action of that name (read-only)."


ACTIONS: dict[str, Action] = (
    {
        f.__name__: f
        for f in (
            status_show,
            package_list,
            package_show,
            package_search,
            organization_list,
            organization_show,
            current_package_list_with_resources,
            help_show,
        )  # fmt: skip
    }
    | READ_ACTIONS
    | DATASTORE_ACTIONS
)


async def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        raw = await request.body()
        if raw.strip():
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError):
                raise ActionParamInvalid(param="body", problem="not JSON") from None
            if not isinstance(body, dict):
                raise ActionParamInvalid(param="body", problem="must be a JSON object")
            params.update(body)
    return params


ActionName = Annotated[
    str, Path(description="A read action.", json_schema_extra={"enum": list(ACTIONS)})
]  # documented as the list; any other name is answered with a 400 that lists them


async def _call(action: ActionName, request: Request, svc: PortalDep) -> JSONResponse:
    name = action
    root = str(request.base_url).rstrip("/")
    help_url = f"{root}/api/3/action/help_show?name={name}"
    if name not in ACTIONS:  # CKAN's answer, word for word (its clients read error.message)
        error = {"__type": "Bad request", "message": f"Action name not known: {name}"}
        return JSONResponse({"help": help_url, "success": False, "error": error}, 400)
    params = await _params(request)
    result = await run_in_threadpool(ACTIONS[name], svc, params, root)
    return JSONResponse({"help": help_url, "success": True, "result": result})


# package_list and organization_list lead to package_show and organization_show.
LINKS = follow(
    package_show=(
        "ckan_action_get",
        {"action": "package_show", "query.id": "$response.body#/result/0"},
    ),
    organization_show=(
        "ckan_action_get",
        {"action": "organization_show", "query.id": "$response.body#/result/0"},
    ),
)
# The POST body: the action's parameters as one JSON object (read by _params, not FastAPI).
BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object", "additionalProperties": True}}}}}  # fmt: skip
for _prefix in ("/api/3/action", "/api/action"):
    for _method in ("GET", "POST"):
        router.add_api_route(
            _prefix + "/{action}",
            _call,
            methods=[_method],
            operation_id=f"ckan_action_{_method.lower()}",
            responses={
                **answers(400, 404, 409, *([413] if _method == "POST" else []), ckan=True),
                **LINKS,
            },
            summary=f"CKAN Action API, read-only ({_method}): " + ", ".join(ACTIONS),
            description="GET with query parameters or POST a JSON object, as CKAN accepts. "
            "Answers `{help, success, result}`; errors `{success: false, error: {__type, message}}`.",
            include_in_schema=_prefix == "/api/3/action",
            openapi_extra=BODY if _method == "POST" else None,
        )
