"""The DCAT catalogue as DCAT clients read it: it conforms to DCAT-AP 3.0.1 (the SEMIC shapes,
validated with pyshacl, in Turtle and in JSON-LD), and ckanext-dcat's RDF harvester finds in it
each dataset's licence, a CKAN name, the resources' descriptions and media types — read here
with the properties and rules ckanext-dcat 2.4 applies (profiles/euro_dcat_ap_base.py and
base.py), as far as they can be without CKAN."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate
from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SH

from portal.server import create_app
from portal.settings import Settings
from tests.conftest import TEST_DATA

SHAPES_DIR = TEST_DATA / "dcat-ap-3.0.1"
SHAPES = ["dcat-ap-SHACL.ttl", "ranges.ttl"]
FORMATS = [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld")]
# CKAN's own licence register (ckan/model/license.py), which ckanext-dcat matches a
# distribution's dct:license against, by URL and then by dct:title.
CKAN_LICENCES = {"http://www.opendefinition.org/licenses/cc-by": "cc-by",
                 "http://www.opendefinition.org/licenses/cc-by-sa": "cc-by-sa",
                 "http://www.opendefinition.org/licenses/cc-zero": "cc-zero",
                 "Creative Commons Attribution": "cc-by",
                 "Creative Commons Attribution Share-Alike": "cc-by-sa",
                 "Creative Commons CCZero": "cc-zero"}  # fmt: skip


def shapes() -> Graph:
    """The release's shapes and range shapes as one graph. Five sh:property links in the
    release point at shapes it never describes (no triples at all); pyshacl refuses such a
    link as a malformed shape, so those links are dropped — every described shape is kept."""
    missing = [name for name in SHAPES if not (SHAPES_DIR / name).is_file()]
    assert not missing, f"{SHAPES_DIR} lacks {missing}: see its README.md for where they come from"
    graph = Graph()
    for name in SHAPES:
        graph.parse(SHAPES_DIR / name, format="turtle")
    for node, shape in list(graph.subject_objects(SH.property)):
        if (shape, None, None) not in graph:
            graph.remove((node, SH.property, shape))
    return graph


def violations(report: Graph) -> list[str]:
    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        path, focus = report.value(result, SH.resultPath), report.value(result, SH.focusNode)
        out.append(f"{focus} {path}: {report.value(result, SH.resultMessage)}")
    return sorted(out)


@pytest.mark.parametrize(("path", "fmt"), FORMATS)
def test_the_catalogue_conforms_to_dcat_ap_3(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    data = Graph().parse(data=response.text, format=fmt)
    conforms, report, _ = validate(data, shacl_graph=shapes(), inference="none")
    assert violations(report) == [] and conforms
    catalogue = next(data.subjects(RDF.type, DCAT.Catalog))
    assert {o.language for o in data.objects(catalogue, DCTERMS.description)} == {"ja", "en"}  # type: ignore[attr-defined]
    # the recommended properties the demo datasets can have are there
    aed = URIRef(str(catalogue).removesuffix("/catalog") + "/datasets/272248-aed")
    for term in (DCAT.theme, DCTERMS.spatial, DCTERMS.language, DCTERMS.publisher):
        assert data.value(aed, term) is not None, term


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
