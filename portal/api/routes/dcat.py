"""DCAT catalogue (`/catalog.jsonld`, `/catalog.ttl`): one dcat:Dataset per dataset with its
distributions, for aggregators that read DCAT rather than CKAN's API; DCAT-AP 3.0.1, built by
portal.dcat.graph."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portal.api.limits import cache_headers, etag_for, not_modified
from portal.api.openapi import answers, media
from portal.composition import Portal
from portal.dcat.graph import catalogue_graph
from portal.present import PortalDep

router = APIRouter(tags=["DCAT"])
# In the ETag: a client holding an ETag of an earlier profile's output gets the new one.
PROFILE = "dcat-ap-3.0.1"


def _serve(request: Request, svc: Portal, fmt: str, media: str) -> Response:
    packages = svc.catalogue.public_packages()
    # what the graph says besides the packages: the profile, the site and the publisher setting
    said = (PROFILE, str(request.base_url), svc.settings.organization)
    etag = etag_for(fmt, *said, *sorted((p["name"], p.get("metadata_modified")) for p in packages))
    if (cached := not_modified(request, etag)) is not None:
        return cached
    root = str(request.base_url).rstrip("/")
    text = catalogue_graph(svc, root).serialize(format=fmt)
    return Response(text, media_type=media, headers=cache_headers(etag))


@router.get(
    "/catalog.jsonld",
    summary="The catalogue as DCAT (JSON-LD)",
    operation_id="catalog_jsonld",
    response_class=Response,
    responses={200: {"content": media("application/ld+json")}, **answers(304)},
)
def jsonld(request: Request, svc: PortalDep) -> Response:
    return _serve(request, svc, "json-ld", "application/ld+json")


@router.get(
    "/catalog.ttl",
    summary="The catalogue as DCAT (Turtle)",
    operation_id="catalog_ttl",
    response_class=Response,
    responses={200: {"content": media("text/turtle")}, **answers(304)},
)
def turtle(request: Request, svc: PortalDep) -> Response:
    return _serve(request, svc, "turtle", "text/turtle; charset=utf-8")
