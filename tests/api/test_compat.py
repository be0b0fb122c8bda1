"""The compatibility routes with real clients over a real socket: ckanapi (library and CLI),
the requests ckanext-harvest's CKAN harvester makes, a BODIK WAPI map client, DCAT readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from portal.catalogue.base import FileSpec
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings

ALL = {"222127-aed", "222127-event", "222127-public-facility", "272051-aed", "272248-aed",
       "272248-population-by-area-age"}  # fmt: skip


@pytest.fixture(scope="module")
def remote(server: str) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(server, user_agent="portal-tests")


def test_ckanapi_lists_and_shows(remote: ckanapi.RemoteCKAN) -> None:
    assert set(remote.action.package_list()) == ALL
    package = remote.action.package_show(id="272248-aed")
    assert package["title"] == "AED設置箇所一覧（大阪府摂津市）"
    assert package["organization"]["name"] == "272248"
    csv = next(r for r in package["resources"] if r["format"] == "CSV")
    body = httpx.get(csv["url"]).content.decode("utf-8")  # absolute, downloadable
    assert body.splitlines()[1].startswith("272248,1,大阪府摂津市,摂津市役所")
    assert remote.action.status_show()["api_version"] == 3


def test_ckanapi_errors_become_its_exceptions(remote: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_search(rows="many")
    with pytest.raises(ckanapi.CKANAPIError):
        remote.action.package_create(name="x")  # read-only


def test_ckanapi_search_with_facets(remote: ckanapi.RemoteCKAN) -> None:
    found = remote.action.package_search(q="AED", fq='organization:"272248"', facet="true",
                                         **{"facet.field": '["tags", "organization"]'})  # fmt: skip
    assert [p["name"] for p in found["results"]] == ["272248-aed"]
    assert found["search_facets"]["organization"]["items"] == [
        {"name": "272248", "display_name": "272248", "count": 1}
    ]
    everything = remote.action.package_search(rows=2, start=0, sort="name asc",
                                              facet="true", **{"facet.field": '["tags"]'})  # fmt: skip
    assert everything["count"] == 6
    assert [p["name"] for p in everything["results"]] == ["222127-aed", "222127-event"]
    assert everything["facets"]["tags"]["自治体標準ODS"] == 6
    assert everything["facets"]["tags"]["要修正"] == 2


def test_ckanapi_organizations(remote: ckanapi.RemoteCKAN) -> None:
    assert remote.action.organization_list() == ["222127", "272051", "272248"]
    orgs = remote.action.organization_list(all_fields=True)
    assert {o["name"]: o["title"] for o in orgs}["272051"] == "大阪府吹田市"
    shown = remote.action.organization_show(id="272248", include_datasets=True)
    assert shown["package_count"] == 2
    assert {p["name"] for p in shown["packages"]} == {"272248-aed", "272248-population-by-area-age"}
    current = remote.action.current_package_list_with_resources(limit=100)
    assert {p["name"] for p in current} == ALL and all(p["resources"] for p in current)


def test_ckanapi_cli_dumps_every_dataset(server: str, tmp_path: Path) -> None:
    out = tmp_path / "dump.jsonl"
    ckanapi_cli = Path(sys.executable).with_name("ckanapi")
    # Its worker processes start `ckanapi` again by name, so the venv must be on PATH.
    env = {**os.environ, "PATH": f"{ckanapi_cli.parent}:{os.environ.get('PATH', '')}"}
    subprocess.run([str(ckanapi_cli), "dump", "datasets", "--all", "-q", "-O", str(out), "-r", server],
                   check=True, timeout=120, env=env)  # fmt: skip
    dumped = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {d["name"] for d in dumped} == ALL


def test_harvester_gather_requests(server: str) -> None:
    """The gather stage of ckanext-harvest's CKANHarvester: package_search paged by 100,
    sorted by id, since the last harvest, with an organization excluded."""
    api = f"{server}/api/3/action/package_search"
    params = {"rows": "100", "start": "0", "sort": "id asc",
              "fq": "metadata_modified:[2020-01-01T00:00:00.000000Z TO *] -organization:222127"}  # fmt: skip
    result = httpx.get(api, params=params).json()["result"]
    ids = [p["id"] for p in result["results"]]
    assert ids == sorted(ids) and result["count"] == 3
    assert {p["organization"]["name"] for p in result["results"]} == {"272051", "272248"}
    later = {**params, "fq": "metadata_modified:[2999-01-01T00:00:00.000000Z TO *]"}
    assert httpx.get(api, params=later).json()["result"]["count"] == 0
    org = httpx.get(f"{server}/api/3/action/organization_show", params={"id": "272051"}).json()
    assert org["success"] and org["result"]["title"] == "大阪府吹田市"


def test_wapi_as_a_map_app_reads_it(server: str) -> None:
    # As the BODIK map apps do: features with [lon, lat] and name/address properties.
    data = httpx.get(f"{server}/wapi/aed", params={"select_type": "geometry", "maxResults": "10",
                     "lat": "34.777180", "lon": "135.562210", "distance": "1000"}).json()  # fmt: skip
    features = data["resultsets"]["features"]
    assert data["metadata"]["totalCount"] == len(features) == 4
    first = features[0]
    assert first["geometry"]["coordinates"] == [135.56221, 34.77718]
    assert first["properties"]["name"] == "摂津市役所"
    assert first["properties"]["address"] == "大阪府摂津市三島1-1-1"
    assert first["properties"]["municipalityName"] == "大阪府摂津市"


def test_wapi_lists_and_filters(server: str) -> None:
    assert {"apiname": "aed", "description": "AED設置箇所一覧"} in httpx.get(
        f"{server}/wapi/api/list"
    ).json()
    organs = httpx.get(f"{server}/wapi/aed/organization").json()
    assert [o["organ_code"] for o in organs] == ["222127", "272051", "272248"]
    by_name = httpx.get(
        f"{server}/wapi/aed", params={"municipalityName": "大阪府吹田市", "maxResults": 3}
    ).json()
    assert by_name["metadata"]["totalCount"] == 8 and len(by_name["resultsets"]["features"]) == 3
    by_code = httpx.get(
        f"{server}/wapi/aed", params={"municipalityCode": "27224", "offset": 4}
    ).json()
    assert [f["properties"]["ID"] for f in by_code["resultsets"]["features"]] == ["5"]
    config = httpx.get(f"{server}/wapi/config/aed").json()
    assert config["mapping"]["name"] == "名称"
    unknown = httpx.get(f"{server}/wapi/no_such_api")
    assert unknown.status_code == 404 and unknown.json()["error"]["message_ja"]


@pytest.mark.parametrize(
    ("path", "fmt"), [("/catalog.jsonld", "json-ld"), ("/catalog.ttl", "turtle")]
)
def test_dcat(server: str, path: str, fmt: str) -> None:
    response = httpx.get(server + path)
    assert response.status_code == 200
    g = Graph().parse(data=response.text, format=fmt)
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 6
    aed = next(d for d in datasets if str(d).endswith("/datasets/272248-aed"))
    # titled in Japanese and in English (a DCAT reader picks its language)
    assert "AED設置箇所一覧（大阪府摂津市）" in {str(t) for t in g.objects(aed, DCTERMS.title)}
    urls = {str(g.value(dist, DCAT.downloadURL)) for dist in g.objects(aed, DCAT.distribution)}
    assert any(u.endswith("/272248_aed.csv") for u in urls) and len(urls) == 5
    assert str(g.value(aed, DCTERMS.conformsTo)).endswith("/api/v1/standards/aed")
    assert httpx.get(str(g.value(aed, DCTERMS.conformsTo))).json()["slug"] == "aed"


ODD_NAMES = ["集計 2026 <速報>.csv", 'say "hi" {x}|^`.json']


@pytest.fixture(scope="module")
def odd_catalogue(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A catalogue holding files whose names are not URL-safe (spaces, <>, quotes, braces)."""
    root = tmp_path_factory.mktemp("odd")
    settings = api_settings.model_copy(update={"data_dir": root / "var", "database_url": None})
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    catalogue.organization_ensure("272248", "大阪府摂津市")
    (root / "file.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    files = [FileSpec(name=n, path=root / "file.csv", format="CSV", mimetype="text/csv")
             for n in ODD_NAMES]  # fmt: skip
    catalogue.package_put({"name": "272248-odd-names", "title": "名前の変わったファイル",
                           "owner_org": "272248", "license_id": "cc-by"}, files, None)  # fmt: skip
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("path", "fmt"), [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld")]
)
def test_dcat_quotes_file_names_into_iris(odd_catalogue: TestClient, path: str, fmt: str) -> None:
    response = odd_catalogue.get(path)
    assert response.status_code == 200, response.text[:300]
    g = Graph().parse(data=response.text, format=fmt)
    urls = sorted(str(u) for u in g.objects(None, DCAT.downloadURL))
    assert len(urls) == 2 and all(" " not in u and "<" not in u and '"' not in u for u in urls)
    for url in urls:  # each IRI is the file's URL: fetching it gives the file
        fetched = odd_catalogue.get(url)
        assert fetched.status_code == 200 and fetched.text == "a,b\n1,2\n", url
