"""Region mode without a network: how a package of another catalogue is recognised
(BODIK's tags, else its CSV header), which licences count, when it was published, what
compute makes of it; and what a region file may say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portal.catalogue.base import Package
from portal.catalogue.meta import Validation
from portal.coverage.harvest_rules import (
    Judged,
    by_tags,
    csv_resource,
    declared_validation,
    detect_head,
    is_open,
    normalised,
    published_at,
    tags_of,
)
from portal.coverage.model import CellState, compute
from portal.coverage.region import RegionInvalid, read_region
from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.settings import Settings
from portal.standards import Registry
from tests.conftest import TEST_DATA

VALID_EVENT = TEST_DATA / "convert" / "event-cp932.expected.csv"
NOW = datetime(2026, 7, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(Settings().datasets_dir)


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory()


def tagged(*names: str) -> list[str]:
    return tags_of({"tags": [{"name": n} for n in names]})


@pytest.mark.parametrize(
    ("tags", "key"),
    [
        (["自治体標準ODS", "AED設置箇所"], "aed"),
        (["推奨データセット", "AED設置箇所"], "legacy/aed"),
        (["自治体標準ODS", "ＡＥＤ設置箇所 "], "aed"),  # full-width letters, a stray space
        (["自治体標準ODS", "イベント一覧"], "event"),  # its title names it too
        (["自治体標準ODS", "防災", "指定緊急避難場所"], "evacuation_space"),
    ],
)
def test_bodik_tags_name_the_dataset(registry: Registry, tags: list[str], key: str) -> None:
    found = by_tags(tagged(*tags), registry)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "tags",
    [
        ["AED設置箇所"],  # a name without the marker: anyone's AED list
        ["自治体標準ODS"],  # the marker without a name: the header decides
        ["自治体標準ODS", "観光パンフレット"],
        [],
    ],
)
def test_without_both_tags_nothing_is_recognised(registry: Registry, tags: list[str]) -> None:
    assert by_tags(tagged(*tags), registry) is None


@pytest.mark.parametrize("licence", ["cc-by", "CC-BY-4.0", "cc-zero", "cc-by-sa", "odc-by"])
def test_open_licences(licence: str) -> None:
    assert is_open(licence)


@pytest.mark.parametrize("licence", ["other-closed", "notspecified", "cc-nc", "other-nc", ""])
def test_closed_or_unknown_licences_do_not_count(licence: str) -> None:
    assert not is_open(licence)


def test_the_csv_resource_by_format_or_by_url() -> None:
    pdf = {"url": "https://x.jp/a.pdf", "format": "PDF"}
    by_url = {"url": "https://x.jp/files/272248_aed.CSV?dl=1", "format": ""}
    by_format = {"url": "https://x.jp/download/7", "format": " csv "}
    assert csv_resource({"resources": [pdf, by_url]}) == by_url
    assert csv_resource({"resources": [pdf, by_format, by_url]}) == by_format
    assert csv_resource({"resources": [pdf, {"format": "CSV"}]}) is None  # no URL
    assert csv_resource({"resources": "broken"}) is None


def test_a_cut_off_head_is_recognised_from_its_header(registry: Registry) -> None:
    data = VALID_EVENT.read_bytes()
    head = data[: data.index(b"\n") + 40]  # ends inside the first data row
    found = detect_head(head, registry, complete=False).definition
    assert found is not None and found.key == "event"


def test_a_shift_jis_head_with_a_title_row(registry: Registry) -> None:
    text = "焼津市イベント一覧（令和8年6月）\n" + VALID_EVENT.read_text(encoding="utf-8")
    head = text.encode("cp932")[:2000]
    found = detect_head(head, registry, complete=False).definition
    assert found is not None and found.key == "event"


@pytest.mark.parametrize("head", [b"", b"\x00\x01\x02binary", "名前,住所\n".encode()])
def test_a_head_that_is_no_standard_is_not_recognised(registry: Registry, head: bytes) -> None:
    assert detect_head(head, registry, complete=True).definition is None


def test_published_at_the_portals_extra_first_then_the_catalogues_date() -> None:
    portal_made = {
        "metadata_modified": "2026-06-30T10:00:00.123456",
        "extras": [{"key": "portal_published_at", "value": "2024-01-05T09:00:00+09:00"}],
    }
    assert published_at(portal_made) == datetime(2024, 1, 5, tzinfo=UTC)
    other = {"metadata_modified": "2026-06-30T10:00:00.123456"}  # CKAN: UTC, no offset
    assert published_at(other) == datetime(2026, 6, 30, 10, 0, 0, 123456, tzinfo=UTC)
    assert published_at({"metadata_modified": "yesterday"}) is None


def test_what_a_package_declares_of_its_validity() -> None:
    assert declared_validation({"tags": [{"name": "要修正"}]}) == Validation(False, None)
    extra = {"extras": [{"key": "portal_validation", "value": "invalid: 3 errors"}]}
    assert declared_validation(extra) == Validation(False, 3)
    assert declared_validation({"tags": [{"name": "イベント"}]}) is None


def judged_package(registry: Registry, validation: Validation | None, days: int) -> Package:
    peer = {
        "name": "222127-event",
        "title": "イベント一覧",
        "tags": [{"name": "自治体標準ODS"}, {"name": "イベント"}],
        "extras": [{"key": "portal_lgcode", "value": "999999"}],  # theirs is not trusted
    }
    judged = Judged("222127", registry.get("event"), validation, NOW - timedelta(days=days),
                    "https://peer.example.jp/dataset/222127-event")  # fmt: skip
    return normalised(peer, judged)


@pytest.mark.parametrize(
    ("validation", "days", "state"),
    [
        (Validation(True, 0), 10, CellState.VALID),
        (Validation(False, 4), 10, CellState.INVALID),
        (None, 10, CellState.INVALID),  # not validated, nothing declared: not covered
        (Validation(True, 0), 400, CellState.STALE),  # an event list is fresh for 45 days
    ],
)
def test_compute_reads_a_harvested_package(
    registry: Registry,
    directory: Directory,
    validation: Validation | None,
    days: int,
    state: CellState,
) -> None:
    package = judged_package(registry, validation, days)
    coverage = compute([package], registry, directory, [], now=NOW, organizations=["222127"])
    assert coverage.cell("222127", "event").state == state
    assert [o.lgcode for o in coverage.organizations] == ["222127"]


REGION = """name: テスト
sources:
  - id: bodik
    url: https://data.bodik.jp/api/3/action/
  - id: pref
    url: https://ckan.pref.example.jp
    organization: "city-{lgcode}"
municipalities:
  - "222127"
  - lgcode: "222143"
    sources: {pref: fujieda}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "region.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_region_file_names_where_to_look(tmp_path: Path, directory: Directory) -> None:
    region = read_region(write(tmp_path, REGION), directory)
    assert [s.url for s in region.sources] == ["https://data.bodik.jp", "https://ckan.pref.example.jp"]  # fmt: skip
    assert region.lgcodes == ["222127", "222143"]
    assert [(h.lgcode, h.source, h.organization) for h in region.holdings] == [
        ("222127", "bodik", "222127"),
        ("222127", "pref", "city-222127"),
        ("222143", "pref", "fujieda"),
    ]


@pytest.mark.parametrize(
    ("change", "says_en", "says_ja"),
    [
        (('"222143"', '"222144"'), "the check digit should be 3", "検査数字は 3 のはず"),
        (
            ("{pref: fujieda}", "{prefecture: fujieda}"),
            "no source 'prefecture'",
            "取得元「prefecture」",
        ),  # fmt: skip
        (
            ("https://ckan.pref", "ftp://ckan.pref"),
            "is not an http(s) URL",
            "is not an http(s) URL",
        ),  # fmt: skip
        (("name: テスト", "name: [テスト"), "not YAML", "YAML（UTF-8）として読めません"),
        (("  - id: pref", "  - id: bodik"), "two sources have the same id", "同じ id"),
    ],
)
def test_a_wrong_region_file_is_refused_saying_what(
    tmp_path: Path,
    directory: Directory,
    change: tuple[str, str],
    says_en: str,
    says_ja: str,
) -> None:
    path = write(tmp_path, REGION.replace(*change))
    with pytest.raises(RegionInvalid) as raised:
        read_region(path, directory)
    error = raised.value
    assert (error.code, error.exit_code) == ("region-invalid", 2)
    assert str(path) in error.message_en and says_en in error.message_en
    assert says_ja in error.message_ja
    assert "docs/region.example.yaml" in error.to_dict()["hint_ja"]


def test_the_documented_example_reads(directory: Directory) -> None:
    example = Path(__file__).parents[3] / "docs" / "region.example.yaml"
    region = read_region(example, directory)
    assert region.lgcodes and region.sources
