"""A dataset published with its department's metadata shows it everywhere the public looks:
the API's dataset answer, DCAT (dct:publisher, dcat:contactPoint as a vCard,
dct:accrualPeriodicity, dcat:keyword) and the dataset page (Japanese, and English)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS

from portal.server import create_app
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MONTHLY = URIRef("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
METADATA = """
metadata:
  description: 市の主な行事の予定です。
  department: 生涯学習課
  contact_phone: "054-626-1139"
  contact_email: gakushu@city.example.jp
  contact_url: https://city.example.jp/form/event
  update_frequency: monthly
  keywords: [行事, 生涯学習]
"""
WITH = "222127-event"  # the event recipe, with the block above
WITHOUT = "222127-aed"  # a recipe with no metadata


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("metadata")
    for name in ("event-cp932.yaml", "event-cp932.csv"):
        shutil.copy(TEST_DATA / "convert" / name, root / name)
    recipe = root / "event-cp932.yaml"
    recipe.write_text(recipe.read_text(encoding="utf-8") + METADATA, encoding="utf-8")
    settings = build_catalogue(root, [recipe, TEST_DATA / "convert" / "aed-with-title.yaml"])
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_api_answers_the_metadata(client: TestClient) -> None:
    answer = client.get(f"/api/v1/datasets/{WITH}").json()["metadata"]
    assert answer["department"] == "生涯学習課"
    assert answer["contact_phone"] == "054-626-1139"
    assert answer["contact_email"] == "gakushu@city.example.jp"
    assert answer["contact_url"] == "https://city.example.jp/form/event"
    assert answer["update_frequency"] == "monthly" and answer["update_frequency_ja"] == "毎月"
    assert answer["update_frequency_uri"] == str(MONTHLY)
    assert answer["keywords"] == ["行事", "生涯学習"]
    assert answer["description"] == "市の主な行事の予定です。"


def test_a_dataset_without_metadata_answers_no_department(client: TestClient) -> None:
    answer = client.get(f"/api/v1/datasets/{WITHOUT}").json()["metadata"]
    assert set(answer) <= {"title", "description", "license"}


def test_dcat_has_the_contact_point_and_frequency(client: TestClient) -> None:
    graph = Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    dataset = next(s for s in graph.subjects(DCTERMS.identifier, Literal(WITH)))
    assert graph.value(dataset, DCTERMS.accrualPeriodicity) == MONTHLY
    assert graph.value(dataset, DCTERMS.publisher) is not None
    keywords = {str(k) for k in graph.objects(dataset, DCAT.keyword)}
    assert {"行事", "生涯学習"} <= keywords
    card = graph.value(dataset, DCAT.contactPoint)
    assert card is not None
    assert graph.value(card, VCARD.fn) == Literal("生涯学習課", lang="ja")
    assert graph.value(card, VCARD.hasEmail) == URIRef("mailto:gakushu@city.example.jp")
    assert graph.value(card, VCARD.hasTelephone) == URIRef("tel:+81-54-626-1139")
    assert graph.value(card, VCARD.hasURL) == URIRef("https://city.example.jp/form/event")
    other = next(s for s in graph.subjects(DCTERMS.identifier, Literal(WITHOUT)))
    assert graph.value(other, DCAT.contactPoint) is None
    assert graph.value(other, DCTERMS.accrualPeriodicity) is None


def test_the_dataset_page_shows_department_contact_and_frequency(client: TestClient) -> None:
    page = client.get(f"/datasets/{WITH}?lang=ja").text
    assert "担当課" in page and "生涯学習課" in page
    assert 'href="mailto:gakushu@city.example.jp"' in page and "054-626-1139" in page
    assert "更新頻度" in page and "毎月" in page
    english = client.get(f"/datasets/{WITH}?lang=en").text
    assert "Update frequency" in english and "monthly" in english
    assert "担当課" not in client.get(f"/datasets/{WITHOUT}?lang=ja").text
