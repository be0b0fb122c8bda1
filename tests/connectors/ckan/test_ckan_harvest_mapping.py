"""The CKAN harvest's pure parts on recorded package dicts (the shape BODIK ODCS's
package_search answers): which packages are taken and why not, their metadata in our terms,
the provenance extras, and the filter query the options make."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from portal.connectors.ckan.config import HarvestOptions, allowed_hosts, site_url
from portal.connectors.ckan.mapping import (
    Candidate,
    Provenance,
    lgcode_of,
    metadata_of,
    provenance,
    select,
    unchanged,
)
from portal.coverage.harvest_rules import Note
from portal.settings import Settings
from portal.standards import Registry


def recorded(**changes: Any) -> dict[str, Any]:
    """A package as BODIK ODCS answers package_search (trimmed to what the harvest reads)."""
    package: dict[str, Any] = {
        "id": "0b9d8a4e-5a9b-4c3e-9a51-6f2d7f6f0d11",
        "name": "222143-event",
        "title": "藤枝市 イベント一覧",
        "notes": "藤枝市のイベント情報です。",
        "license_id": "cc-by",
        "maintainer": "藤枝市 企画政策課",
        "maintainer_email": "kikaku@city.fujieda.example.jp",
        "metadata_modified": "2026-05-01T09:30:12.345678",
        "organization": {"name": "fujieda-city", "title": "藤枝市"},
        "tags": [{"name": "自治体標準ODS"}, {"name": "イベント"}, {"name": "観光"}],
        "extras": [{"key": "frequency", "value": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"}],
        "resources": [
            {"name": "説明", "format": "PDF", "url": "https://odcs.bodik.jp/files/readme.pdf"},
            {"name": "イベント一覧", "format": "CSV", "url": "https://odcs.bodik.jp/files/222143_event.csv"},
        ],
    }  # fmt: skip
    package.update(changes)
    return package


@pytest.fixture
def registry(settings: Settings) -> Registry:
    return Registry(settings.datasets_dir)


def test_a_tagged_open_package_with_a_csv_is_taken_with_its_standard(registry: Registry) -> None:
    taken = select(recorded(), registry)
    assert isinstance(taken, Candidate)
    assert taken.definition is not None and taken.definition.title_ja == "イベント一覧"
    assert taken.csv["url"] == "https://odcs.bodik.jp/files/222143_event.csv"
    assert taken.licence == "cc-by"


def test_an_untagged_package_is_taken_for_its_csv_header_to_decide(registry: Registry) -> None:
    taken = select(recorded(tags=[]), registry)
    assert isinstance(taken, Candidate) and taken.definition is None


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"license_id": "other-closed"}, "licence-not-open", "other-closed"),
        ({"license_id": ""}, "licence-not-open", "オープンライセンスではない"),
        ({"license_id": "odc-odbl"}, "licence-not-stated", "odc-odbl"),
        ({"resources": [{"format": "PDF", "url": "https://odcs.bodik.jp/a.pdf"}]}, "no-csv", "CSV"),
    ],
)
def test_a_package_not_taken_says_why_in_both_languages(
    registry: Registry, changes: dict[str, Any], code: str, words: str
) -> None:
    refused = select(recorded(**changes), registry)
    assert isinstance(refused, Note) and refused.code == code
    assert words in refused.en + refused.ja
    assert refused.ja != refused.en


def test_metadata_is_the_sources_own_and_the_markers_are_not_keywords(registry: Registry) -> None:
    package = recorded()
    taken = select(package, registry)
    assert isinstance(taken, Candidate) and taken.definition is not None
    given = metadata_of(package, taken, taken.definition)
    assert given.title == "藤枝市 イベント一覧"
    assert given.description == "藤枝市のイベント情報です。"
    assert given.department == "藤枝市 企画政策課"
    assert given.license == "cc-by"
    assert given.keywords == ("観光",)
    assert given.update_frequency == "monthly"


def test_a_licence_spelled_otherwise_is_stated_in_our_spelling(registry: Registry) -> None:
    package = recorded(license_id="CC-BY-4.0")
    taken = select(package, registry)
    assert isinstance(taken, Candidate) and taken.definition is not None
    assert metadata_of(package, taken, taken.definition).license == "cc-by"


def test_the_metadata_mapping_reads_a_field_from_an_extra(registry: Registry) -> None:
    package = recorded(extras=[{"key": "担当部署", "value": "藤枝市 観光課"}])
    taken = select(package, registry)
    assert isinstance(taken, Candidate) and taken.definition is not None
    given = metadata_of(package, taken, taken.definition, {"department": "担当部署"})
    assert given.department == "藤枝市 観光課"


def test_whose_data_from_the_extras_else_the_organization_table() -> None:
    ours = recorded(extras=[{"key": "portal_lgcode", "value": "222127"}])
    assert lgcode_of(ours, {"fujieda-city": "222143"}) == "222127"
    assert lgcode_of(recorded(), {"fujieda-city": "222143"}) == "222143"
    assert lgcode_of(recorded(), {}) is None


def test_provenance_round_trips_through_the_extras_with_the_sources_validation() -> None:
    package = recorded(extras=[{"key": "portal_validation", "value": "invalid: 3 errors"}])
    moment = datetime(2026, 5, 2, 1, 2, 3, tzinfo=UTC)
    made = provenance(package, "https://odcs.bodik.jp", package["resources"][1]["url"],
                      b"ID\n1\n", moment, "bodik")  # fmt: skip
    extras = made.to_extras()
    assert {
        "key": "portal_source_url",
        "value": "https://odcs.bodik.jp/dataset/222143-event",
    } in extras
    assert {"key": "portal_source_validation", "value": "invalid: 3 errors"} in extras
    assert {"key": "portal_harvested_at", "value": "2026-05-02T01:02:03+00:00"} in extras
    assert Provenance.from_package({"extras": extras}) == made


def test_a_package_without_provenance_reads_as_none() -> None:
    assert Provenance.from_package(recorded()) is None
    assert (
        Provenance.from_package({"extras": [{"key": "portal_harvested_at", "value": "x"}]}) is None
    )


def test_unchanged_only_for_the_same_source_version() -> None:
    package = recorded()
    made = provenance(package, "https://odcs.bodik.jp", "u", b"", datetime.now(UTC), "bodik")
    ours = {"extras": made.to_extras()}
    assert unchanged(ours, package)
    assert not unchanged(ours, recorded(metadata_modified="2026-06-01T00:00:00"))
    assert not unchanged(ours, recorded(id="another"))
    assert not unchanged(None, package)


def test_the_filter_query_ands_every_condition_and_quotes_values() -> None:
    options = HarvestOptions(organizations=["fujieda-city", "yaizu-city"], tags=['自治体"標準'],
                             modified_since=datetime(2026, 1, 1), fq="res_format:CSV")  # fmt: skip
    assert options.filter_query() == (
        'organization:("fujieda-city" OR "yaizu-city") AND tags:("自治体\\"標準") AND '
        "metadata_modified:[2026-01-01T00:00:00Z TO *] AND (res_format:CSV)"
    )
    assert HarvestOptions().filter_query() == ""


def test_options_refuse_a_code_that_is_not_six_digits_and_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="6-digit"):
        HarvestOptions(lgcodes={"fujieda-city": "2221"})
    with pytest.raises(ValidationError, match="organisations"):
        HarvestOptions.model_validate({"organisations": ["x"]})


def test_the_allowed_hosts_are_the_ckan_and_the_resource_hosts() -> None:
    options = HarvestOptions(resource_hosts=["Files.Example.jp"])
    assert site_url("https://odcs.bodik.jp/api/3/action/") == "https://odcs.bodik.jp"
    assert allowed_hosts("https://odcs.bodik.jp/api/3/action", options) == [
        "odcs.bodik.jp", "files.example.jp"
    ]  # fmt: skip
