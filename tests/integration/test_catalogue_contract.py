"""The catalogue contract: the same behaviour on the embedded catalogue and on a real CKAN."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from portal.catalogue import Catalogue, PackageChanged
from portal.catalogue.base import extras
from portal.catalogue.publish import InvalidNotPublished, Options, Publisher, plan, publish
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA
from tests.integration.conftest import variant

QUIET = Options(sleep=lambda s: None, who="test-clerk")


def test_create_then_read_back(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    suffix: str,
) -> None:
    result = publish(converted, publisher, QUIET)
    assert result.action == "create"
    name = f"222127-event-{suffix}"
    shown = catalogue.package_show(name)
    assert shown is not None
    assert shown["title"] == "イベント一覧（静岡県焼津市）" and shown["license_id"] == "cc-by"
    assert shown["organization"]["name"] == f"222127-{suffix}"
    assert {t["name"] for t in shown["tags"]} == {"自治体標準ODS", "イベント"}
    meta = extras(shown)
    assert meta["portal_standard"] == "event" and meta["portal_lgcode"] == "222127"
    assert meta["portal_validation"] == "valid"
    assert meta["portal_published_by"] == f"222127-{suffix}"  # the organization, not the clerk
    assert meta["portal_content_hash"] == result.plan.digest
    names = [r["name"] for r in shown["resources"]]
    assert names == [
        "222127_event.csv",
        "222127_event.json",
        "222127_event.geojson",
        "datapackage.json",
        "222127_event.validation.html",
    ]
    csv_resource = shown["resources"][0]
    assert csv_resource["format"] == "CSV"
    assert catalogue.resource_bytes(csv_resource) == (converted / "222127_event.csv").read_bytes()
    assert name in catalogue.package_list()


def test_republishing_the_same_content_writes_nothing(
    publisher: Publisher, catalogue: Catalogue, converted: Path, publish_settings: Settings
) -> None:
    publish(converted, publisher, QUIET)
    before = catalogue.writes
    again = publish(converted, publisher, QUIET)
    assert again.action == "unchanged" and again.writes == 0 and catalogue.writes == before


def test_changed_content_updates_in_place(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    tmp_path: Path,
    suffix: str,
) -> None:
    first = publish(converted, publisher, QUIET)
    changed = variant(converted, tmp_path / "changed", extra_row=True)
    second = publish(changed, publisher, QUIET)
    assert second.action == "update" and second.plan.digest != first.plan.digest
    shown = catalogue.package_show(f"222127-event-{suffix}")
    assert shown is not None and shown["id"] == first.result["id"]  # type: ignore[index]
    assert "陶芸作品展（追加）" in catalogue.resource_bytes(shown["resources"][0]).decode("utf-8")
    assert len(shown["resources"]) == 5  # replaced, not added to


def test_dry_run_plans_and_writes_nothing(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    suffix: str,
) -> None:
    result = publish(converted, publisher, Options(dry_run=True, sleep=lambda s: None))
    assert result.action == "create" and result.writes == 0
    assert catalogue.package_show(f"222127-event-{suffix}") is None


def test_delete(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    suffix: str,
) -> None:
    publish(converted, publisher, QUIET)
    catalogue.package_delete(f"222127-event-{suffix}")
    assert catalogue.package_show(f"222127-event-{suffix}") is None
    assert f"222127-event-{suffix}" not in catalogue.package_list()
    assert publish(converted, publisher, QUIET).action == "create"  # and back


def test_an_invalid_dataset_is_refused_unless_allowed_and_then_marked(
    publisher: Publisher,
    catalogue: Catalogue,
    publish_settings: Settings,
    tmp_path: Path,
    suffix: str,
) -> None:
    folder = (
        convert(
            TEST_DATA / "convert" / "aed-with-title.yaml",
            Workspace.of(publish_settings),
            tmp_path / "aed",
        )
        .files["csv"]
        .parent
    )
    with pytest.raises(InvalidNotPublished):
        publish(folder, publisher, QUIET)
    assert catalogue.package_show(f"222127-aed-{suffix}") is None
    publish(folder, publisher, Options(allow_invalid=True, sleep=lambda s: None))
    shown = catalogue.package_show(f"222127-aed-{suffix}")
    assert shown is not None and "要修正" in {t["name"] for t in shown["tags"]}
    assert extras(shown)["portal_validation"] == "invalid: 2 errors" and shown["notes"].startswith(
        "【要修正】"
    )


def test_a_stale_write_is_refused_and_changes_nothing(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    tmp_path: Path,
    suffix: str,
) -> None:
    publish(converted, publisher, QUIET)
    stale = plan(converted, publisher).current
    changed = variant(converted, tmp_path / "changed", extra_row=True)
    publish(changed, publisher, QUIET)  # someone else publishes meanwhile
    after = catalogue.package_show(f"222127-event-{suffix}")
    the_plan = plan(converted, publisher)
    with pytest.raises(PackageChanged):
        catalogue.package_put(the_plan.package, the_plan.files, stale)
    assert catalogue.package_show(f"222127-event-{suffix}") == after


def test_ten_concurrent_publishes_of_different_datasets(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    tmp_path: Path,
    suffix: str,
) -> None:
    codes = [
        "221007",
        "221309",
        "222038",
        "222054",
        "222062",
        "222071",
        "222089",
        "222097",
        "222101",
        "222119",
    ]  # ten cities of 静岡県
    folders = [variant(converted, tmp_path / code, lgcode=code) for code in codes]
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda f: publish(f, publisher, QUIET), folders))
    assert [r.action for r in results] == ["create"] * 10
    for code in codes:
        shown = catalogue.package_show(f"{code}-event-{suffix}")
        assert shown is not None and len(shown["resources"]) == 5, code


def test_harvesters_find_standard_datasets_by_tag(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    suffix: str,
) -> None:
    publish(converted, publisher, QUIET)
    found = [p["name"] for p in catalogue.package_search(fq={"tags": "自治体標準ODS"})]
    assert f"222127-event-{suffix}" in found


def test_history_is_recorded(
    publisher: Publisher,
    catalogue: Catalogue,
    converted: Path,
    tmp_path: Path,
    suffix: str,
) -> None:

    publish(converted, publisher, QUIET)
    publish(variant(converted, tmp_path / "v2", extra_row=True), publisher, QUIET)
    name = f"222127-event-{suffix}"
    log = publisher.log.entries(name)
    assert [(e["action"], e["outcome"], e["who"]) for e in log] == [
        ("update", "done", "test-clerk"),
        ("create", "done", "test-clerk"),
    ]
    assert log[0]["content_hash"] != log[1]["content_hash"] and log[0]["valid"] == 1
    remote = catalogue.history(name)
    assert len(remote) >= 2  # the catalogue's own record (CKAN's activity stream)
    json.dumps(remote)
