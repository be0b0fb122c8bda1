"""ckanext-harvest's CKAN harvester (1.6.3, in a real CKAN 2.12) harvesting a running portal
(issue 18): every dataset arrives with its name, title, licence, organization, tags and
resource URLs that answer — with and without `remote_orgs: create`, with the source URL
ending in `/` or not, with organization include/exclude filters — and the links still work
after the portal republishes a dataset and CKAN harvests again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
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
    purge_names,
    republish_with_a_new_row,
    require_harvesters,
    run_harvest,
)
from tests.integration.served_demo import served_demo

pytestmark = pytest.mark.ckan


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with served_demo(tmp_path_factory.mktemp("harvest-ckan")) as served:
        yield served


@pytest.fixture
def harvester(ckan: ckanapi.RemoteCKAN, demo: tuple[str, Settings]) -> ckanapi.RemoteCKAN:
    require_harvesters(ckan)
    purge_names(ckan, portal_packages(demo[0]))
    return ckan


def assert_arrived(remote: list[dict[str, Any]], local: list[dict[str, Any]],
                   owner: str | None, outcome: dict[str, Any]) -> None:  # fmt: skip
    """Every remote (portal) dataset is in `local` (CKAN) as it was: `owner` is the local
    organization (None: the portal's own, as remote_orgs: create makes it)."""
    here = {p["name"]: p for p in local}
    missing = sorted({p["name"] for p in remote} - here.keys())
    assert not missing, (missing, outcome["errors"][:5])
    for theirs in remote:
        ours = here[theirs["name"]]
        assert ours["title"] == theirs["title"]
        assert ours["license_id"] == theirs["license_id"], theirs["name"]
        assert ours["organization"]["name"] == (owner or theirs["organization"]["name"]), (
            theirs["name"], outcome["warnings"][:5])  # fmt: skip
        assert {t["name"] for t in ours["tags"]} == {t["name"] for t in theirs["tags"]}
        assert len(ours["resources"]) == len(theirs["resources"])
    assert broken_links(local) == []
    assert outcome["errors"] == []


@pytest.mark.parametrize(
    ("config", "slash"),
    [({}, ""), ({}, "/"), ({"remote_orgs": "create"}, ""), ({"remote_orgs": "create"}, "/")],
    ids=["default", "default-slash", "remote-orgs", "remote-orgs-slash"],
)
def test_every_dataset_arrives(
    harvester: ckanapi.RemoteCKAN, demo: tuple[str, Settings], config: dict[str, Any], slash: str
) -> None:
    base, _settings = demo
    remote = portal_packages(base)
    suffix = uuid.uuid4().hex[:8]
    with harvest_source(harvester, f"portal-{suffix}", base + slash, "ckan",
                        f"harvest-{suffix}", config) as source:  # fmt: skip
        try:
            outcome = run_harvest(harvester, source)
            owner = None if config else f"harvest-{suffix}"
            assert_arrived(remote, harvested(harvester, source["id"]), owner, outcome)
        finally:
            purge_names(harvester, remote)


@pytest.mark.parametrize("which", ["include", "exclude"])
def test_organization_filters_gather_what_they_name(
    harvester: ckanapi.RemoteCKAN, demo: tuple[str, Settings], which: str
) -> None:
    base, _settings = demo
    remote = portal_packages(base)
    orgs = sorted({p["organization"]["name"] for p in remote})
    chosen = max(orgs, key=lambda o: sum(p["organization"]["name"] == o for p in remote))
    expected = [p for p in remote if (p["organization"]["name"] == chosen) == (which == "include")]
    suffix = uuid.uuid4().hex[:8]
    config = {f"organizations_filter_{which}": [chosen]}
    with harvest_source(harvester, f"portal-{suffix}", base, "ckan", f"harvest-{suffix}",
                        config) as source:  # fmt: skip
        try:
            outcome = run_harvest(harvester, source)
            local = harvested(harvester, source["id"])
            assert sorted(p["name"] for p in local) == sorted(p["name"] for p in expected), (
                outcome["errors"][:5])  # fmt: skip
            assert_arrived(expected, local, f"harvest-{suffix}", outcome)
        finally:
            purge_names(harvester, remote)


def test_links_work_after_a_republish_and_a_new_harvest(
    harvester: ckanapi.RemoteCKAN, demo: tuple[str, Settings], tmp_path: Path
) -> None:
    base, settings = demo
    remote = portal_packages(base)
    suffix = uuid.uuid4().hex[:8]
    with harvest_source(harvester, f"portal-{suffix}", base, "ckan", f"harvest-{suffix}",
                        {"remote_orgs": "create"}) as source:  # fmt: skip
        try:
            run_harvest(harvester, source)
            before = {p["name"]: p for p in harvested(harvester, source["id"])}
            changed = remote[0]["name"]
            new_csv = republish_with_a_new_row(settings, changed, tmp_path)
            # the copy CKAN holds until its next harvest: its links answer with the new data
            assert broken_links(list(before.values())) == []
            csv_url = next(r["url"] for r in before[changed]["resources"] if r["format"] == "CSV")
            assert httpx.get(csv_url, follow_redirects=True).content == new_csv
            outcome = run_harvest(harvester, source)
            assert_arrived(portal_packages(base), harvested(harvester, source["id"]), None, outcome)
            assert outcome["stats"].get("updated", 0) >= 1, outcome
        finally:
            purge_names(harvester, remote)
