"""The CKAN harvest connector against the real CKAN of scripts/ckan-up.sh: datasets published
there by the test (organizations named with this run's suffix) are harvested into an embedded
portal — what arrives (names, titles, licence, rows, provenance on the page), what is skipped
and why, an oversized CSV refused, an invalid one kept as a draft, and a re-harvest that
writes nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest
from fastapi.testclient import TestClient

from portal.composition import Portal
from portal.connectors.base import ConnectorConfig, ExchangeItem, ExchangeReport
from portal.connectors.ckan import PLUGIN
from portal.connectors.intake import drafts
from portal.settings import Settings
from tests.integration.conftest import purge
from tests.integration.test_coverage_harvest import FUJI, FUJIEDA, NUMAZU, SHIMADA, YAIZU, Fill

pytestmark = pytest.mark.ckan

MISHIMA = "222062"
STANDARD_TAGS = ["自治体標準ODS", "イベント"]


@pytest.fixture
def fill(ckan: ckanapi.RemoteCKAN, suffix: str, tmp_path: Path) -> Iterator[Fill]:
    filling = Fill(ckan, suffix, tmp_path)
    yield filling
    purge(ckan, suffix)


def other_csv(fill: Fill, lgcode: str, name: str, text: str, *, tags: list[str]) -> str:
    """A package whose CSV is `text` (not a standard dataset, or too big)."""
    org = fill.organization(lgcode)
    package = fill.ckan.action.package_create(
        name=f"{lgcode}-{name}-{fill.suffix}", title=f"{name} {lgcode}", owner_org=org,
        license_id="cc-by", tags=[{"name": t} for t in tags])  # fmt: skip
    path = fill.folder / f"{lgcode}_{name}.csv"
    path.write_text(text, encoding="utf-8")
    with path.open("rb") as upload:
        fill.ckan.action.resource_create(package_id=package["id"], name=path.name,
                                         format="CSV", upload=upload)  # fmt: skip
    return str(package["name"])


@pytest.fixture
def source(fill: Fill) -> dict[str, str]:
    """One dataset in every state the harvest tells apart, by what it should become."""
    return {
        "tagged": fill.dataset(YAIZU, tags=STANDARD_TAGS),
        "untagged": fill.dataset(FUJIEDA, tags=[]),  # its CSV header says what it is
        "invalid": fill.dataset(SHIMADA, tags=STANDARD_TAGS, broken=True),
        "closed": fill.dataset(NUMAZU, tags=STANDARD_TAGS, licence="other-closed"),
        "not-standard": other_csv(fill, FUJI, "budget", "科目,金額\n土木費,100\n", tags=[]),
        "too-big": other_csv(
            fill, MISHIMA, "big", "ID,名称\n" + "1,x\n" * 40_000, tags=STANDARD_TAGS
        ),  # fmt: skip
    }


@pytest.fixture
def portal(settings: Settings) -> Iterator[Portal]:
    opened = Portal.open(settings, "embedded")
    yield opened
    opened.close()


def connector_for(fill: Fill) -> object:
    organizations = [f"{code}-{fill.suffix}" for code in (YAIZU, FUJIEDA, SHIMADA, NUMAZU, FUJI, MISHIMA)]  # fmt: skip
    config = ConnectorConfig(
        name="neighbours", kind="ckan", endpoints={"ckan": os.environ["CKAN_URL"]},
        options={"organizations": organizations, "max_csv_bytes": 100_000},
    )  # fmt: skip
    return PLUGIN.make(config)


def by_source(report: ExchangeReport) -> dict[str, ExchangeItem]:
    return {item.dataset: item for item in report.items}


def test_harvest_imports_the_open_standard_datasets_with_provenance(
    fill: Fill, source: dict[str, str], portal: Portal, settings: Settings
) -> None:
    connector = connector_for(fill)
    items = by_source(connector.pull(portal))  # type: ignore[attr-defined]
    assert {k: items[v].outcome for k, v in source.items()} == {
        "tagged": "published", "untagged": "published", "invalid": "draft",
        "closed": "skipped", "not-standard": "skipped", "too-big": "failed",
    }  # fmt: skip
    assert "other-closed" in items[source["closed"]].message
    assert "オープンライセンスではない" in items[source["closed"]].detail["message_ja"]
    assert "not a standard dataset" in items[source["not-standard"]].message
    assert items[source["too-big"]].detail["code"] == "outbound-too-large"
    assert "100000" in items[source["too-big"]].message

    tagged = portal.catalogue.package_show(f"{YAIZU}-event")
    assert tagged is not None
    assert tagged["title"] == f"イベント一覧 {YAIZU}"
    assert tagged["license_id"] == "cc-by"
    extras = {e["key"]: e["value"] for e in tagged["extras"]}
    ckan_url = os.environ["CKAN_URL"].rstrip("/")
    assert extras["portal_source_url"] == f"{ckan_url}/dataset/{source['tagged']}"
    assert extras["portal_source_name"] == source["tagged"]
    assert extras["portal_harvested_by"] == "neighbours"
    assert extras["portal_validation"] == "valid"
    assert int(extras["portal_rows"]) == items[source["tagged"]].detail["rows"] > 0
    assert portal.catalogue.package_show(f"{FUJIEDA}-event") is not None
    assert portal.catalogue.package_show(f"{SHIMADA}-event") is None  # invalid: not published
    (kept,) = drafts(portal, "neighbours")
    assert kept["valid"] is False and kept["errors"] > 0

    page = page_client(settings, portal).get(f"/datasets/{YAIZU}-event")
    assert page.status_code == 200
    assert f'href="{ckan_url}/dataset/{source["tagged"]}"' in page.text
    assert "収集元" in page.text


def page_client(settings: Settings, portal: Portal) -> TestClient:
    from portal.server import create_app

    return TestClient(create_app(settings, portal))


def test_a_reharvest_of_unchanged_datasets_writes_nothing(
    fill: Fill, source: dict[str, str], portal: Portal
) -> None:
    connector = connector_for(fill)
    connector.pull(portal)  # type: ignore[attr-defined]
    writes = portal.catalogue.writes
    again = by_source(connector.pull(portal))  # type: ignore[attr-defined]
    assert portal.catalogue.writes == writes
    assert {k: again[v].outcome for k, v in source.items() if k in ("tagged", "untagged", "invalid")} == {
        "tagged": "unchanged", "untagged": "unchanged", "invalid": "unchanged"}  # fmt: skip
    assert len(drafts(portal, "neighbours")) == 1
