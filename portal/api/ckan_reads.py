"""The CKAN read actions beyond datasets and organizations: resource_show, tag_list,
license_list and package_autocomplete, answered as CKAN 2.12 answers them; and the Shaper
each action's answer goes through (portal/api/ckan_shape.py)."""

from __future__ import annotations

from typing import Any

from portal.api import ckan_shape
from portal.api.ckan_params import Action, ActionParamInvalid, bool_param, int_param
from portal.catalogue.base import Package
from portal.catalogue.licences import licences
from portal.composition import Portal
from portal.errors import PortalError

AUTOCOMPLETE_LIMIT = 10  # CKAN's default for package_autocomplete


class ResourceMissing(PortalError):
    code = "resource-not-found"
    status = 404
    template_en = "Not found: there is no resource {id}"
    template_ja = "リソース {id} はありません"
    hint_en = "use a resource id as package_show lists it"
    hint_ja = "package_show が示すリソースの id を指定してください"


def shaper(svc: Portal, root: str) -> ckan_shape.Shaper:
    organizations = {o["name"]: o for o in svc.catalogue.organizations()}
    return ckan_shape.Shaper(root, organizations, lambda package: _rows_loaded(svc, package))


def _rows_loaded(svc: Portal, package: Package) -> bool:
    """Whether the dataset's rows are in the rows store at its published content (what
    datastore_search serves)."""
    try:
        svc.rows_of(package)
    except PortalError:
        return False
    return True


def _required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise ActionParamInvalid(param=name, problem="Missing value")
    return str(value)


def resource_show(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return a resource of a public dataset, as package_show lists it.

    :param id: the resource's id
    """
    wanted = _required(params, "id")
    for package in svc.catalogue.public_packages():
        for resource in package.get("resources", []):
            if resource.get("id") == wanted:
                shown = shaper(svc, root).package(package)
                return next(r for r in shown["resources"] if r["id"] == wanted)
    raise ResourceMissing(id=wanted)


def tag_list(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """The tags of the public datasets; `query` (or `q`) keeps those whose names hold it."""
    query = str(params.get("query") or params.get("q") or "")
    names = sorted({t["name"] for p in svc.catalogue.public_packages() for t in p.get("tags", [])})
    names = [n for n in names if query.lower() in n.lower()]
    if bool_param(params, "all_fields"):
        return [{k: v for k, v in ckan_shape.tag({"name": n}).items()
                 if k in ("id", "name", "vocabulary_id")} for n in names]  # fmt: skip
    return names


def license_list(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Return the licences the portal publishes under (open licences only)."""
    return [found.ckan_entry() for found in licences().values()]


def package_autocomplete(svc: Portal, params: dict[str, Any], root: str) -> Any:
    """Datasets whose name or title holds `q` (CKAN asks its Solr's n-grams; a substring
    here), as {name, title, match_field, match_displayed}."""
    q = _required(params, "q")
    limit = int_param(params, "limit", AUTOCOMPLETE_LIMIT, 1000)
    lower = q.lower()
    out = []
    for package in svc.catalogue.public_packages():
        name, title = package["name"], str(package.get("title") or "")
        if lower not in name.lower() and lower not in title.lower():
            continue
        by_name = lower in name.lower()
        out.append({"name": name, "title": title, "match_field": "name" if by_name else "title",
                    "match_displayed": name if by_name else f"{title} ({name})"})  # fmt: skip
    return out[:limit]


READ_ACTIONS: dict[str, Action] = {
    f.__name__: f for f in (resource_show, tag_list, license_list, package_autocomplete)
}
