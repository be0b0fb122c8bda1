"""The DCAT catalogue as DCAT clients read it: it conforms to DCAT-AP 3.0.1 (the portal's own
shapes, tests/data/dcat-ap, written from the specification's property tables and validated with
pyshacl, in Turtle and in JSON-LD; each important constraint is shown to catch its breach), and
ckanext-dcat's RDF harvester finds in it each dataset's licence, a CKAN name, the resources'
descriptions and media types — read here with the properties and rules ckanext-dcat 2.4 applies
(profiles/euro_dcat_ap_base.py and base.py), as far as they can be without CKAN. The official
SEMIC shapes are not in the repository: `python -m portal.dcat.check` runs them by hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD
from typer.testing import CliRunner

from portal.dcat.check import check, check_command, load_shapes, violations
from portal.dcat.graph import VCARD
from portal.server import create_app
from portal.settings import Settings
from tests.conftest import TEST_DATA

SHAPES = TEST_DATA / "dcat-ap" / "portal-dcat-ap-3.0.1-shapes.ttl"
FORMATS = [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld")]
# CKAN's own licence register (ckan/model/license.py), which ckanext-dcat matches a
# distribution's dct:license against, by URL and then by dct:title.
CKAN_LICENCES = {"http://www.opendefinition.org/licenses/cc-by": "cc-by",
                 "http://www.opendefinition.org/licenses/cc-by-sa": "cc-by-sa",
                 "http://www.opendefinition.org/licenses/cc-zero": "cc-zero",
                 "Creative Commons Attribution": "cc-by",
                 "Creative Commons Attribution Share-Alike": "cc-by-sa",
                 "Creative Commons CCZero": "cc-zero"}  # fmt: skip


@cache
def shapes() -> Graph:
    graph, dropped = load_shapes([SHAPES])
    assert dropped == 0, "the portal's shapes link no shape they do not describe"
    return graph


def violation_lines(data: Graph) -> list[str]:
    return [f.line() for f in violations(check(data, shapes()))]


@cache
def demo_catalogue(client: TestClient) -> str:
    return client.get("/catalog.ttl").text


@pytest.mark.parametrize(("path", "fmt"), FORMATS)
def test_the_catalogue_conforms_to_dcat_ap_3(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    data = Graph().parse(data=response.text, format=fmt)
    assert violation_lines(data) == []
    catalogue = next(data.subjects(RDF.type, DCAT.Catalog))
    assert {o.language for o in data.objects(catalogue, DCTERMS.description)} == {"ja", "en"}  # type: ignore[attr-defined]
    # the recommended properties the demo datasets can have are there
    aed = URIRef(str(catalogue).removesuffix("/catalog") + "/datasets/272248-aed")
    for term in (DCAT.theme, DCTERMS.spatial, DCTERMS.language, DCTERMS.publisher):
        assert data.value(aed, term) is not None, term


def _first(g: Graph, cls: URIRef, having: URIRef) -> Node:
    return next(s for s in g.subjects(RDF.type, cls) if g.value(s, having) is not None)


def _replace(g: Graph, cls: URIRef, term: URIRef, new: Node | None) -> str:
    """On the first `cls` node that has `term`: its values replaced by `new` (None: dropped).
    Returns the node, as the report names it."""
    node = _first(g, cls, term)
    g.remove((node, term, None))
    if new is not None:
        g.add((node, term, new))
    return str(node)


def _untype(g: Graph, cls: URIRef, term: URIRef, dropped: URIRef) -> str:
    """The first `cls` node's `term` value loses its rdf:type `dropped`."""
    node = _first(g, cls, term)
    g.remove((g.value(node, term), RDF.type, dropped))
    return str(node)


def _untyped_contact_point(g: Graph) -> str:
    """The first dataset gains a contact point that is not typed vcard:Kind."""
    node, card = _first(g, DCAT.Dataset, DCTERMS.title), BNode()
    g.add((node, DCAT.contactPoint, card))
    g.add((card, VCARD.fn, Literal("総務課", lang="ja")))
    return str(node)


BREACHES: dict[str, tuple[Callable[[Graph], str], URIRef]] = {
    "catalogue without dct:description": (
        lambda g: _replace(g, DCAT.Catalog, DCTERMS.description, None), DCTERMS.description),
    "catalogue without dct:publisher": (
        lambda g: _replace(g, DCAT.Catalog, DCTERMS.publisher, None), DCTERMS.publisher),
    "dataset without dct:title": (
        lambda g: _replace(g, DCAT.Dataset, DCTERMS.title, None), DCTERMS.title),
    "dct:format a literal": (
        lambda g: _replace(g, DCAT.Distribution, DCTERMS["format"], Literal("CSV")),
        DCTERMS["format"]),
    "dcat:mediaType a literal": (
        lambda g: _replace(g, DCAT.Distribution, DCAT.mediaType, Literal("text/csv")),
        DCAT.mediaType),
    "dcat:mediaType outside IANA": (
        lambda g: _replace(g, DCAT.Distribution, DCAT.mediaType,
                           URIRef("http://example.org/csv")), DCAT.mediaType),
    "distribution without dcat:accessURL": (
        lambda g: _replace(g, DCAT.Distribution, DCAT.accessURL, None), DCAT.accessURL),
    "landing page not a foaf:Document": (
        lambda g: _untype(g, DCAT.Dataset, DCAT.landingPage, FOAF.Document), DCAT.landingPage),
    "dct:conformsTo not a dct:Standard": (
        lambda g: _untype(g, DCAT.Dataset, DCTERMS.conformsTo, DCTERMS.Standard),
        DCTERMS.conformsTo),
    "publisher without foaf:name": (
        lambda g: _replace(g, FOAF.Agent, FOAF.name, None), FOAF.name),
    "contact point not a vcard:Kind": (_untyped_contact_point, DCAT.contactPoint),
    "language outside the EU table": (
        lambda g: _replace(g, DCAT.Dataset, DCTERMS.language, URIRef("http://lexvo.org/id/iso639-3/jpn")),
        DCTERMS.language),
    "modified an untyped string": (
        lambda g: _replace(g, DCAT.Dataset, DCTERMS.modified, Literal("2025-04-01")),
        DCTERMS.modified),
    "byteSize a string": (
        lambda g: _replace(g, DCAT.Distribution, DCAT.byteSize, Literal("1234", datatype=XSD.string)),
        DCAT.byteSize),
}  # fmt: skip


@pytest.mark.parametrize("breach", list(BREACHES))
def test_the_shapes_catch_each_breach_of_dcat_ap(client: TestClient, breach: str) -> None:
    """The demo catalogue broken in one way: the shapes name the node and the property."""
    data = Graph().parse(data=demo_catalogue(client), format="turtle")
    assert violation_lines(data) == []
    breach_of, term = BREACHES[breach]
    node = breach_of(data)
    found = violation_lines(data)
    assert any(line.startswith(f"Violation: {node} {term}: ") for line in found), found


def test_the_check_command_reports_violations_and_unreadable_files(
    client: TestClient, tmp_path: Path
) -> None:
    """`python -m portal.dcat.check`: 0 for a conformant catalogue, 1 with each violation
    listed, 2 with a bilingual message for a file that is not RDF."""
    good, bad, broken = tmp_path / "good.ttl", tmp_path / "bad.ttl", tmp_path / "broken.ttl"
    good.write_text(demo_catalogue(client), encoding="utf-8")
    data = Graph().parse(good)
    description_lacking = _replace(data, DCAT.Catalog, DCTERMS.description, None)
    bad.write_text(data.serialize(format="turtle"), encoding="utf-8")
    broken.write_text("<a> <b> .", encoding="utf-8")
    runner, shapes_option = CliRunner(), ["--shapes", str(SHAPES)]
    command = typer.Typer(add_completion=False)
    command.command()(check_command)
    ran = runner.invoke(command, [str(good), *shapes_option])
    assert ran.exit_code == 0 and "0 violations" in ran.output, ran.output
    ran = runner.invoke(command, [str(bad), *shapes_option])
    assert ran.exit_code == 1, ran.output
    assert f"Violation: {description_lacking} {DCTERMS.description}" in ran.output
    assert "1 violations" in ran.output
    ran = runner.invoke(command, [str(broken), *shapes_option])
    assert ran.exit_code == 2 and "[rdf-unreadable]" in ran.output, ran.output
    assert "RDF として読めません" in ran.output


def _value(g: Graph, subject: Node, predicate: URIRef, lang: str = "en") -> str:
    """ckanext-dcat's _object_value: the literal in CKAN's default language, else the first
    literal; for an IRI, its rdfs:label if it has one, else the IRI."""
    fallback = ""
    for found in g.objects(subject, predicate):
        if isinstance(found, Literal):
            if found.language == lang:
                return str(found)
            fallback = fallback or str(found)
        else:
            return str(g.value(found, RDFS.label) or found)
    return fallback


def _ckan_name(title: str) -> str:
    """The name ckanext-harvest gives a harvested dataset (CKAN's munge_title_to_name):
    separators become '-', anything but ASCII letters, digits, '-' and '_' is dropped, lower
    case, '-' runs joined and trimmed; shorter than 2 characters, padded with '_'."""
    name = re.sub(r"[ .:/]", "-", title)
    name = re.sub(r"[^a-zA-Z0-9_-]", "", name).lower()
    name = re.sub(r"-+", "-", name).strip("-")
    return name.ljust(2, "_")


def _licence(g: Graph, dataset: Node) -> str:
    """ckanext-dcat's _license: the first distribution whose dct:license is a CKAN licence,
    by URL or by its dct:title; the dataset's own dct:license is not read."""
    for dist in g.objects(dataset, DCAT.distribution):
        found = g.value(dist, DCTERMS.license)
        if found is not None:
            by = CKAN_LICENCES.get(str(found)) or CKAN_LICENCES.get(_value(g, found, DCTERMS.title))
            if by:
                return by
    return ""


@pytest.mark.parametrize(("path", "fmt"), FORMATS)
def test_ckanext_dcat_finds_names_licences_descriptions_and_media_types(
    client: TestClient, path: str, fmt: str
) -> None:
    g = Graph().parse(data=client.get(path).text, format=fmt)
    datasets = {_value(g, d, DCTERMS.identifier): d for d in g.subjects(RDF.type, DCAT.Dataset)}
    names = {key: _ckan_name(_value(g, d, DCTERMS.title)) for key, d in datasets.items()}
    assert names["272248-aed"] == "aed-locations-settsu-city-osaka"
    assert len(set(names.values())) == len(names) and "__" not in names.values(), names
    for key, dataset in datasets.items():
        package = client.get("/api/3/action/package_show", params={"id": key}).json()["result"]
        assert _licence(g, dataset) == package["license_id"], key
        read = {_value(g, d, DCAT.downloadURL): d for d in g.objects(dataset, DCAT.distribution)}
        for resource in package["resources"]:
            dist = read[resource["url"]]
            assert _value(g, dist, DCTERMS.description) == resource.get("description", ""), key
            assert _value(g, dist, DCAT.mediaType) == resource["mimetype"], resource["url"]
    report = next(r for r in package["resources"] if r["format"] == "HTML")
    assert _value(g, read[report["url"]], DCAT.mediaType) == "text/html"


def test_the_organization_setting_is_the_catalogues_publisher(
    api_settings: Settings, client: TestClient
) -> None:
    """A portal run by one city (PORTAL_ORGANIZATION=272248) names that city as the catalogue's
    publisher, and in its description; a harvester holding the ETag from before gets it."""
    settings = api_settings.model_copy(update={"organization": "272248"})
    before = client.get("/catalog.ttl").headers["etag"]
    response = TestClient(create_app(settings)).get(
        "/catalog.ttl", headers={"If-None-Match": before}
    )
    assert response.status_code == 200
    g = Graph().parse(data=response.text, format="turtle")
    catalogue = next(g.subjects(RDF.type, DCAT.Catalog))
    publisher = g.value(catalogue, DCTERMS.publisher)
    assert str(publisher).endswith("/organizations/272248")
    assert Literal("大阪府摂津市", lang="ja") in set(g.objects(publisher, FOAF.name))
    assert any("大阪府摂津市" in str(d) for d in g.objects(catalogue, DCTERMS.description))
