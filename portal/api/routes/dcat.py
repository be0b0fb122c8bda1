"""DCAT catalogue (`/catalog.jsonld`, `/catalog.ttl`): one dcat:Dataset per dataset with its
distributions, for aggregators that read DCAT rather than CKAN's API."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from portal.api.limits import cache_headers, etag_for, not_modified
from portal.api.openapi import answers, media
from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.catalogue.metadata import DatasetMetadata
from portal.composition import Portal
from portal.present import PortalDep

router = APIRouter(tags=["DCAT"])
LICENSES = {
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
}
MEDIA = {"CSV": "text/csv", "JSON": "application/json", "GeoJSON": "application/geo+json"}
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# What stays as it is in an IRI: URL delimiters and what is already percent-encoded.
IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def iri(url: str) -> URIRef:
    """A URL as an IRI every RDF syntax can write: what a file name may hold (spaces, <>,
    quotes, braces, non-ASCII letters) percent-encoded as UTF-8; an existing %xx kept."""
    return URIRef(quote(url, safe=IRI_SAFE))


def _dataset(g: Graph, package: Package, root: str) -> URIRef:
    node = iri(f"{root}/datasets/{package['name']}")
    meta = PortalMeta.from_package(package)
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(package["name"])))
    g.add((node, DCTERMS.title, Literal(package.get("title", ""), lang="ja")))
    if package.get("notes"):
        g.add((node, DCTERMS.description, Literal(package["notes"], lang="ja")))
    for key, term in (
        ("metadata_created", DCTERMS.issued),
        ("metadata_modified", DCTERMS.modified),
    ):
        if package.get(key):
            g.add((node, term, Literal(package[key], datatype=XSD.dateTime)))
    for tag in package.get("tags", []):
        g.add((node, DCAT.keyword, Literal(tag["name"], lang="ja")))
    if package.get("license_id") in LICENSES:
        g.add((node, DCTERMS.license, iri(LICENSES[package["license_id"]])))
    g.add((node, DCAT.landingPage, node))
    if meta.standard:
        # The standard's Table Schema as this portal serves it: a URL that resolves.
        g.add((node, DCTERMS.conformsTo, iri(f"{root}/api/v1/standards/{meta.standard}")))
    org = package.get("organization") or {}
    if org.get("name"):
        publisher = iri(f"{root}/organizations/{org['name']}")
        g.add((node, DCTERMS.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, Literal(org.get("title") or org["name"], lang="ja")))
    _department(g, node, DatasetMetadata.from_package(package))
    for resource in package.get("resources", []):
        g.add((node, DCAT.distribution, _distribution(g, resource, root)))
    return node


def _department(g: Graph, node: URIRef, given: DatasetMetadata) -> None:
    """What the department said: dcat:contactPoint (a vCard: 担当課, email, phone, contact
    form) and dct:accrualPeriodicity (the EU frequency URI), when given."""
    if given.frequency:
        g.add((node, DCTERMS.accrualPeriodicity, URIRef(given.frequency.uri)))
    contact = (given.department, given.contact_email, given.contact_phone, given.contact_url)
    if not any(contact):
        return
    card = BNode()
    g.add((node, DCAT.contactPoint, card))
    g.add((card, RDF.type, VCARD.Organization))
    if given.department:
        g.add((card, VCARD.fn, Literal(given.department, lang="ja")))
    if given.contact_email:
        g.add((card, VCARD.hasEmail, iri(f"mailto:{given.contact_email}")))
    if given.contact_phone:
        g.add((card, VCARD.hasTelephone, iri(f"tel:+81-{given.contact_phone.removeprefix('0')}")))
    if given.contact_url:
        g.add((card, VCARD.hasURL, iri(given.contact_url)))


def _distribution(g: Graph, resource: dict[str, str], root: str) -> BNode:
    dist = BNode()
    url = resource.get("url", "")
    url = root + url if url.startswith("/") else url
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(resource.get("name", ""))))
    g.add((dist, DCAT.accessURL, iri(url)))
    g.add((dist, DCAT.downloadURL, iri(url)))
    if resource.get("format"):
        g.add((dist, DCTERMS["format"], Literal(resource["format"])))
        if resource["format"] in MEDIA:
            g.add((dist, DCAT.mediaType, Literal(MEDIA[resource["format"]])))
    if resource.get("size"):
        g.add(
            (dist, DCAT.byteSize, Literal(int(resource["size"]), datatype=XSD.nonNegativeInteger))
        )
    return dist


def catalogue_graph(svc: Portal, root: str) -> Graph:
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)
    catalogue = iri(f"{root}/catalog")
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add(
        (catalogue, DCTERMS.title, Literal(svc.catalogue.status_show().get("site_title", "portal")))
    )
    g.add((catalogue, FOAF.homepage, iri(f"{root}/")))
    for package in svc.catalogue.public_packages():
        g.add((catalogue, DCAT.dataset, _dataset(g, package, root)))
    return g


def _serve(request: Request, svc: Portal, fmt: str, media: str) -> Response:
    packages = svc.catalogue.public_packages()
    etag = etag_for(fmt, *sorted((p["name"], p.get("metadata_modified")) for p in packages))
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
