"""Residents' words on the real CKAN: the facade sends the expanded query to CKAN's Solr (an OR
of quoted phrases in its `text` field) and finds what the embedded catalogue finds — 避難所,
保育園, 消火栓, Wi-Fi, 公園 and 市役所 (a facility's name, from the row_names extra that Solr
copies into `text`), and filters by category (extras_category)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import ckanapi
import pytest
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import PROJECT_ROOT, Settings
from portal.workspace import Workspace
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan
RECIPES = ("suita_evacuation_space", "yaizu_preschool", "yaizu_fire_hydrant", "ichikawa_wifi",
           "yaizu_public_toilet", "yaizu_aed")  # fmt: skip


@pytest.fixture
def facade(
    ckan: ckanapi.RemoteCKAN, publish_settings: Settings, suffix: str
) -> Iterator[TestClient]:
    """The facade over the real CKAN, with the datasets published there under this test's names."""
    settings = publish_settings.model_copy(update={
        "catalogue": "ckan", "ckan_url": os.environ["CKAN_URL"],
        "ckan_api_token": os.environ["CKAN_API_TOKEN"], "rate_limit": 0})  # fmt: skip
    publisher = Portal.open(settings).publisher()
    try:
        for recipe in RECIPES:
            path = PROJECT_ROOT / "pipelines" / f"{recipe}.yaml"
            publish_recipe(path, publisher, Workspace.of(settings), Options(allow_invalid=True))
        yield TestClient(create_app(settings))
    finally:
        purge(ckan, suffix)


def test_residents_words_find_the_datasets_on_ckan(facade: TestClient, suffix: str) -> None:
    def found(**params: str) -> list[str]:
        answer = facade.get("/api/v1/datasets", params={**params, "limit": "100"})
        assert answer.status_code == 200, answer.text
        # the shared CKAN may hold other runs' datasets: this test's end in its suffix
        return [d["name"].removesuffix("-" + suffix) for d in answer.json()["results"]
                if d["name"].endswith(suffix)]  # fmt: skip

    assert found(q="避難所")[0] == "272051-evacuation-space"
    assert found(q="保育園")[0] == "222127-preschool"
    assert found(q="消火栓") == ["222127-fire-hydrant"]
    assert found(q="ＷｉＦｉ") == ["122033-public-wireless-lan"]
    assert {"272051-evacuation-space", "222127-public-toilet"} <= set(found(q="公園"))
    assert "222127-aed" in found(q="市役所")  # 市役所本館, a row's name
    assert found(q="避難所 焼津") == []
    assert sorted(found(category="防災", organization=f"222127-{suffix}")) == [
        "222127-aed", "222127-fire-hydrant"]  # fmt: skip
