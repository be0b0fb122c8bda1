"""The same fq on a real CKAN's Solr and on the embedded catalogue, over the same datasets:
the portal's package_search facade on CKAN (which passes fq to CKAN) and the portal on its
embedded catalogue must keep the same datasets. Names carry this run's suffix; only what the
run published is compared (the shared CKAN holds others' datasets)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.workspace import Workspace
from tests.api.conftest import RECIPES
from tests.conftest import DATASETS_DIR, REFERENCE_DIR
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan

FQ = [
    "organization:272248-{s}",
    "organization:272248-{s} OR organization:272051-{s}",  # ckanext-harvest's include filter
    "(organization:272248-{s} OR organization:272051-{s})",
    "-organization:222127-{s} -organization:272248-{s}",  # its exclude filter
    "organization:272248-{s} organization:272051-{s}",
    "organization:(272248-{s} OR 272051-{s})",
    "organization:(272248-{s} 272051-{s})",
    "metadata_modified:[NOW-1DAY TO *]",
    "metadata_modified:[* TO NOW-1DAY]",
    "metadata_modified:[NOW/DAY-1DAY TO NOW/DAY+1DAY}",
    "metadata_modified:{NOW-1HOUR TO NOW+1HOUR]",
    "metadata_modified:[2000-01-01T00:00:00Z TO 2001-01-01T00:00:00Z]",
    "metadata_created:[2000-01-01T00:00:00.123456Z TO *]",
    "organization:272051-{s} OR organization:272248-{s} metadata_modified:[NOW-1DAY TO *]",
    'tags:"要修正"',
    "tags:要修正 AND organization:222127-{s}",
    "NOT tags:要修正",
    "-tags:要修正 AND -organization:222127-{s}",
    "(-tags:要修正)",
    "name:272248-aed-{s} OR (-organization:222127-{s})",
    "+organization:222127-{s} -name:222127-aed-{s}",
    "name:2722*",
    "name:222127-???-{s}",
    "name:[272051 TO 272248-aed-{s}]",
    "name:{272051-aed-{s} TO 272248-aed-{s}}",
    "license_id:cc-by AND res_format:GeoJSON",
    "res_format:GeoJSON OR res_format:HTML",
    "(organization:222127-{s} AND tags:要修正) OR name:272051-aed-{s}",
    "*:* -organization:272248-{s}",
    "organization:272248-{s}^2",
]


def _publish(settings: Settings, root: Path) -> None:
    publisher = Portal.open(settings).publisher()
    for recipe in [
        r for r in RECIPES if "population" not in r.stem
    ]:  # CKAN refuses its tag 地域・年齢別人口
        publish_recipe(recipe, publisher, Workspace.of(settings), Options(allow_invalid=True),
                       staging=root / recipe.stem)  # fmt: skip


@pytest.fixture(scope="module")
def both(ckan: ckanapi.RemoteCKAN, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, TestClient, str]]:  # fmt: skip
    """The portal on CKAN and the portal on its embedded catalogue, the same datasets in each."""
    suffix = os.urandom(4).hex()
    root = tmp_path_factory.mktemp("fq")
    names = {"package_name": "{lgcode}-{slug}-" + suffix, "organization": "{lgcode}-" + suffix}
    base = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR, rate_limit=0, **names)  # type: ignore[arg-type]
    on_ckan = base.model_copy(update={"catalogue": "ckan", "data_dir": root / "ckan",
                                      "ckan_url": os.environ["CKAN_URL"],
                                      "ckan_api_token": os.environ["CKAN_API_TOKEN"]})  # fmt: skip
    embedded = base.model_copy(update={"catalogue": "embedded", "data_dir": root / "embedded"})
    try:
        _publish(on_ckan, root / "staging-ckan")
        _publish(embedded, root / "staging-embedded")
        yield TestClient(create_app(on_ckan)), TestClient(create_app(embedded)), suffix
    finally:
        purge(ckan, suffix)


def _names(client: TestClient, fq: str, suffix: str) -> list[str]:
    answer = client.get("/api/3/action/package_search", params={"fq": fq, "rows": 1000})
    assert answer.status_code == 200, answer.text
    return sorted(
        p["name"] for p in answer.json()["result"]["results"] if p["name"].endswith(suffix)
    )


@pytest.mark.parametrize("fq", FQ)
def test_fq_keeps_what_ckan_keeps(both: tuple[TestClient, TestClient, str], fq: str) -> None:
    on_ckan, embedded, suffix = both
    query = fq.replace("{s}", suffix)
    assert _names(embedded, query, suffix) == _names(on_ckan, query, suffix)
