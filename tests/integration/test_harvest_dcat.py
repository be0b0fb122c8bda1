"""ckanext-dcat's RDF harvester (2.4.4, in a real CKAN 2.12) harvesting the portal's DCAT
catalogue (issue 18), as Turtle and as JSON-LD: every dataset arrives with a real name (not
`__`), its title, licence, tags and resource URLs that answer."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import ckanapi
import httpx
import pytest

from portal.settings import Settings
from tests.integration.harvesting import (
    broken_links,
    harvest_source,
    harvested,
    portal_packages,
    require_harvesters,
    run_harvest,
)
from tests.integration.served_demo import served_demo

pytestmark = pytest.mark.ckan
CKAN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,99}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with served_demo(tmp_path_factory.mktemp("harvest-dcat")) as served:
        yield served


def by_resource_urls(packages: list[dict[str, Any]]) -> dict[frozenset[str], dict[str, Any]]:
    """Datasets keyed by their resources' URLs: what both sides share, whatever the names."""
    return {frozenset(r["url"] for r in p["resources"]): p for p in packages}


@pytest.mark.parametrize("document", ["catalog.ttl", "catalog.jsonld"])
def test_every_dataset_arrives_from_the_dcat_catalogue(
    ckan: ckanapi.RemoteCKAN, demo: tuple[str, Settings], document: str
) -> None:
    require_harvesters(ckan)
    base, _settings = demo
    remote = portal_packages(base)
    suffix = uuid.uuid4().hex[:8]
    with harvest_source(ckan, f"dcat-{suffix}", f"{base}/{document}", "dcat_rdf",
                        f"dcat-{suffix}") as source:  # fmt: skip
        outcome = run_harvest(ckan, source)
        published = httpx.get(f"{base}/{document}").text
        local = harvested(ckan, source["id"])
        assert outcome["errors"] == [] and len(local) == len(remote), outcome
        ours = by_resource_urls(local)
        for url_set, theirs in by_resource_urls(remote).items():
            here = ours.get(url_set)
            assert here is not None, (theirs["name"], sorted(url_set)[:2])
            assert CKAN_NAME.fullmatch(here["name"]) and not here["name"].startswith("_"), here[
                "name"
            ]
            # dct:title in Japanese and English: the harvester takes CKAN's default locale's
            assert here["title"] == theirs["title"] or here["title"] in published, here["title"]
            assert here.get("license_id"), (theirs["name"], "no licence")
            assert here["organization"]["name"] == f"dcat-{suffix}"
            assert {t["name"] for t in here["tags"]} == {t["name"] for t in theirs["tags"]}
        assert broken_links(local) == []
