"""The portal's metadata on a dataset, typed: read from what the catalogue holds, written
back as exactly the extras the catalogue was given, and read without fuss from a dataset
someone else published."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.catalogue.meta import PortalMeta, Validation
from portal.catalogue.publish import Options, publish
from portal.composition import Portal
from portal.pipeline import convert
from portal.search.extras import SEARCH_EXTRAS
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

QUIET = Options(sleep=lambda s: None, who="test-clerk", allow_invalid=True)


def published(recipe: Path, settings: Settings, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The dataset as the catalogue holds it after `portal publish`, and its folder."""
    folder = convert(recipe, Workspace.of(settings), tmp_path / recipe.stem).files["csv"].parent
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    result = publish(folder, publisher, QUIET)
    shown = catalogue.package_show(result.plan.name)
    assert shown is not None
    return shown, folder


def portal_extras(package: dict[str, Any]) -> list[dict[str, str]]:
    extras: list[dict[str, str]] = package["extras"]
    return [e for e in extras if e["key"] not in SEARCH_EXTRAS]


def report_stats(folder: Path) -> dict[str, Any]:
    report = next(folder.glob("*.validation.json"))
    stats: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))["stats"]
    return stats


def test_a_published_dataset_reads_back_typed_and_writes_the_same_extras(
    settings: Settings, tmp_path: Path
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    shown, folder = published(TEST_DATA / "convert" / "event-cp932.yaml", settings, tmp_path)
    meta = PortalMeta.from_package(shown)
    assert (meta.standard, meta.standard_version, meta.lgcode) == ("event", "current", "222127")
    event = Registry(settings.datasets_dir).get("event")
    assert (
        meta.standard_number == event.number and meta.spec_revision == event.meta["spec_revision"]
    )
    assert not meta.legacy
    assert meta.validation == Validation(valid=True, errors=0)
    assert meta.rows == report_stats(folder)["rows"] and meta.rows > 0
    assert meta.published_by == shown["owner_org"]  # the organization, never the clerk
    assert meta.published_at is not None
    assert before <= meta.published_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert meta.content_hash and len(meta.content_hash) == 64
    # key for key, value for value, in order; the search's own extras are not the portal's meta
    assert meta.to_extras() == portal_extras(shown)


def test_a_dataset_published_with_errors_says_how_many(settings: Settings, tmp_path: Path) -> None:
    shown, folder = published(TEST_DATA / "api" / "aed-suita.yaml", settings, tmp_path)
    errors = report_stats(folder)["errors"]
    meta = PortalMeta.from_package(shown)
    assert errors > 0 and meta.validation == Validation(valid=False, errors=errors)
    assert meta.validation_text == f"invalid: {errors} errors"
    assert meta.to_extras() == portal_extras(shown)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("valid", Validation(valid=True, errors=0)),
        ("invalid: 3 errors", Validation(valid=False, errors=3)),
        ("invalid: 1 errors", Validation(valid=False, errors=1)),  # as the portal writes one
        ("invalid: 1 error", Validation(valid=False, errors=1)),
        ("invalid", Validation(valid=False, errors=None)),  # invalid, count not given
        ("invalid: ３ errors", None),  # not ASCII digits: not the portal's
        ("Valid", None),
        ("", None),
        (None, None),
    ],
)
def test_the_validation_status_and_its_error_count(
    text: str | None, status: Validation | None
) -> None:
    assert Validation.parse(text) == status


def test_the_validation_status_is_written_as_the_portal_always_wrote_it() -> None:
    assert Validation.of(True, 0).text == "valid"
    assert Validation.of(False, 2).text == "invalid: 2 errors"
    assert Validation.of(True, 5) == Validation(valid=True, errors=0)


FOREIGN = {  # a dataset harvested from another CKAN: its own extras, none of the portal's
    "name": "bodik-aed",
    "extras": [
        {"key": "spatial", "value": '{"type": "Point"}'},
        {"key": "issued", "value": "2020"},
    ],
}


@pytest.mark.parametrize(
    "package",
    [
        FOREIGN,
        {"name": "no-extras"},
        {"name": "null-extras", "extras": None},
        {"name": "extras-as-dict", "extras": {"portal_standard": "aed"}},
        {"name": "odd-entries", "extras": [None, "portal_rows", {"key": "portal_rows"},
                                           {"key": 3, "value": "x"}, {"value": "x"}]},
    ],
)  # fmt: skip
def test_a_dataset_the_portal_did_not_publish_has_no_portal_metadata(
    package: dict[str, Any],
) -> None:
    meta = PortalMeta.from_package(package)
    assert meta == PortalMeta()
    assert meta.to_extras() == []


def test_unreadable_values_read_as_unknown_and_the_rest_is_kept() -> None:
    package = {"extras": [
        {"key": "portal_standard", "value": "aed"},
        {"key": "portal_rows", "value": "²"},  # isdigit() but not a number int() reads
        {"key": "portal_published_at", "value": "yesterday"},
        {"key": "portal_validation", "value": "checked"},
        {"key": "portal_content_hash", "value": 12},  # not a string: CKAN never sends one
        {"key": "portal_standard_version", "value": "legacy v1 (pre-2021)"},
    ]}  # fmt: skip
    meta = PortalMeta.from_package(package)
    assert meta.standard == "aed" and meta.legacy and meta.spec_revision == "v1 (pre-2021)"
    assert (meta.rows, meta.published_at, meta.validation, meta.content_hash) == (None,) * 4


def test_a_publish_time_without_an_offset_is_read_as_utc() -> None:
    package = {"extras": [{"key": "portal_published_at", "value": "2026-04-01T09:00:00"}]}
    assert PortalMeta.from_package(package).published_at == datetime(2026, 4, 1, 9, tzinfo=UTC)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
EXTRA = st.fixed_dictionaries(
    {"key": st.sampled_from(["portal_rows", "portal_validation", "portal_published_at",
                             "portal_standard_version", "portal_lgcode"]) | st.text(max_size=8),
     "value": st.text(max_size=30) | JSON},
)  # fmt: skip


@given(st.dictionaries(st.text(max_size=8), JSON, max_size=4), st.lists(EXTRA | JSON, max_size=6))
def test_any_package_reads_without_an_error(package: dict[str, Any], listed: list[Any]) -> None:
    meta = PortalMeta.from_package({**package, "extras": listed})
    assert all(isinstance(e["value"], str) for e in meta.to_extras())
