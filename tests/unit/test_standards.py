"""The standard datasets held as data under datasets/."""

from __future__ import annotations

import csv
import filecmp
from collections import Counter
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from portal.errors import DatasetNotFound
from portal.standards import Registry
from portal.standards.build import build
from tests.conftest import DATASETS_DIR, SAMPLES_DIR


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(DATASETS_DIR)


@pytest.fixture(scope="module")
def reference_rows(reference_dir: Path) -> list[dict[str, str]]:
    with (reference_dir / "standard-datasets" / "fields.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_committed_definitions_are_what_the_build_generates(reference_dir, tmp_path) -> None:
    out = tmp_path / "datasets"
    build(reference_dir, out)
    cmp = filecmp.dircmp(out, DATASETS_DIR, ignore=["README.md"])
    stack, differing = [cmp], []
    while stack:
        c = stack.pop()
        differing += [f"{c.left}/{n}" for n in c.diff_files + c.left_only + c.right_only]
        stack += c.subdirs.values()
    assert differing == [], "run `portal datasets build` and commit datasets/"


def test_every_dataset_of_the_reference_has_a_folder(reference_dir, registry) -> None:
    with (reference_dir / "standard-datasets" / "datasets.csv").open(encoding="utf-8") as fh:
        slugs = [r["slug"] for r in csv.DictReader(fh)]
    current = [d.slug for d in registry.all() if d.version == "current"]
    assert sorted(current) == sorted(slugs)
    assert registry.get("aed").number == "A-08"
    assert registry.get("bus_information").fields == []


def test_legacy_versions_are_separate(registry, reference_rows) -> None:
    with_legacy = {
        r["dataset_slug"] for r in reference_rows if r["spec_version"].startswith("legacy")
    }
    legacy = {d.slug for d in registry.all() if d.version == "legacy"}
    assert legacy == with_legacy and len(legacy) == 14
    assert registry.get("aed", "legacy").key == "legacy/aed"
    assert registry.get("legacy/aed").field_names[:2] == ["都道府県コード又は市区町村コード", "NO"]


def test_unknown_key_is_a_clear_error(registry) -> None:
    with pytest.raises(DatasetNotFound) as err:
        registry.get("toilets")
    assert err.value.status == 404 and "toilets" in err.value.message_ja


def test_every_schema_passes_frictionless_validation(registry) -> None:
    for d in registry.all():
        report = Schema.validate_descriptor(d.schema)
        assert report.valid, (d.key, [e.message for e in report.errors])


def test_layout_follows_the_preference_current_then_observed_then_legacy(
    registry, reference_rows
) -> None:
    labels: dict[str, set[str]] = {}
    for r in reference_rows:
        labels.setdefault(r["dataset_slug"], set()).add(r["spec_version"])
    chosen = {
        d.slug: d.meta.get("layout_source", "") for d in registry.all() if d.version == "current"
    }
    assert chosen["public_toilet"] == "current_2026-08-01"
    assert chosen["evacuation_space"].startswith("current_rev_unknown(2021+")
    assert chosen["aed"] == "current (observed header)"  # not the 7-field partial copy
    # the current layout of one real file (fields-additions-2026-12.csv), not the legacy list
    assert chosen["hospital"].startswith("current (observed header; code comment")
    assert chosen["event"] == "current (observed header)"  # from the 焼津市 sample header
    for slug, label in chosen.items():
        if any(v.startswith("current_") and "Tokushima" not in v for v in labels.get(slug, ())):
            assert label.startswith("current_"), slug


def test_required_counts_match_the_reference(registry, reference_rows) -> None:
    required = Counter(
        (r["dataset_slug"], r["spec_version"])
        for r in reference_rows
        if r["requirement"] == "required"
    )
    checked = 0
    for d in registry.all():
        if "layout_source" not in d.meta:
            continue
        assert len(d.required_fields) == required[(d.slug, d.meta["layout_source"])], d.key
        checked += 1
    assert checked == 29  # 15 current layouts (A-01…A-15) and 14 legacy
    assert registry.get("public_toilet").required_fields == ["名称", "所在地_連結表記", "設置位置"]
    assert len(registry.get("evacuation_space").required_fields) == 13


def test_field_formats(registry) -> None:
    toilet = {f["name"]: f for f in registry.get("public_toilet").fields}
    assert toilet["全国地方公共団体コード"]["constraints"]["pattern"] == "[0-9]{6}"
    assert toilet["車椅子使用者用トイレ有無"]["constraints"]["enum"] == ["有", "無"]
    assert toilet["利用開始時間"]["constraints"]["pattern"].startswith("([01][0-9]|2[0-3]):")
    assert toilet["男性トイレ総数"]["type"] == "integer"
    assert toilet["緯度"]["constraints"] == {"minimum": 20.0, "maximum": 46.0}
    assert toilet["高度の種別"]["constraints"]["enum"] == ["階数", "標高", "地表高"]
    assert "ァ" in toilet["名称_カナ"]["constraints"]["pattern"]
    preschool = {f["name"]: f for f in registry.get("legacy/preschool").fields}
    assert "認可外保育所" in preschool["種別"]["constraints"]["enum"]
    assert preschool["認可等年月日"]["type"] == "date"


def test_inferred_requirements_and_formats_are_noted(registry) -> None:
    aed = registry.get("aed")
    notes = aed.meta["field_notes"]
    assert "legacy 推奨データセット required it" in notes["名称"]["requirement"]
    assert "legacy" in notes["設置位置"]["format"]
    assert aed.required_fields == []  # 区分 never read for AED: nothing is guessed
    toilet = registry.get("public_toilet")
    assert "名称" not in toilet.meta["field_notes"]  # read from the spec: no note
    assert registry.get("hospital").basis == "observed-file"  # fields-additions-2026-12.csv


def test_metadata(registry) -> None:
    aed = registry.get("aed")
    assert aed.title_ja == "AED設置箇所一覧"
    assert aed.meta["tags"] == ["自治体標準ODS", "AED設置箇所"]
    assert registry.get("legacy/aed").meta["tags"] == ["推奨データセット", "AED設置箇所"]
    assert aed.file_name("272248") == "272248_aed.csv"
    assert registry.get("evacuation_space").file_name("272248") == "272248_evacuation_space.csv"
    assert registry.get("public_toilet").meta["spec_revision"] == "2026-08-01"


def test_hazard_flags_are_required_but_blank_means_no(registry, tmp_path) -> None:
    fields = registry.get("evacuation_space").fields
    flags = [f for f in fields if f["name"].startswith("災害種別_")]
    schema = {"fields": flags}
    names = [f["name"] for f in flags]
    path = tmp_path / "flags.csv"
    path.write_text(
        ",".join(names)
        + "\n"
        + ",".join(["1"] + [""] * 7)
        + "\n"
        + ",".join(["2"] + [""] * 7)
        + "\n",
        encoding="utf-8",
    )
    report = Resource(
        path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema)
    ).validate()
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[3, "災害種別_洪水", "constraint-error"]]


@pytest.mark.parametrize(
    ("sample", "key"),
    [
        ("public_toilet/yaizu_toilet.csv", "public_toilet"),
        ("public_wireless_lan/ichikawa_wifi.csv", "public_wireless_lan"),
        ("care_service/ichikawa_care.csv", "care_service"),
        ("cultural_property/ichikawa_bunkazai.csv", "cultural_property"),
        ("fire_hydrant/yaizu_fire_water.csv", "fire_hydrant"),
        ("aed/yaizu_aed_legacy.csv", "legacy/aed"),
        ("public_facility/yaizu_facility_legacy.csv", "legacy/public_facility"),
    ],
)
def test_real_files_headers_are_the_schema_field_names(registry, sample: str, key: str) -> None:
    with (SAMPLES_DIR / sample).open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == registry.get(key).field_names
