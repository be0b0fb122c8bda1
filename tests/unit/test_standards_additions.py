"""The reference's December 2026 additions (fields-additions-2026-12.csv, SOURCES.md S24/S25)
merged by `portal datasets build`: the current 医療機関一覧 of one real file and the
オープンデータ一覧 a CMS exports, each with its basis noted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.errors import DefinitionInvalid, ReferenceNotFound
from portal.standards import Registry
from portal.standards.build import build
from tests.conftest import DATASETS_DIR

ADDITIONS = "fields-additions-2026-12.csv"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(DATASETS_DIR)


def test_hospital_is_the_42_columns_of_the_observed_file(registry: Registry) -> None:
    hospital = registry.get("hospital")
    names = hospital.field_names
    assert len(names) == 42 and names[:4] == [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "名称",
    ]
    assert {"所在地_連結表記", "災害拠点分類", "状況", "画像_ライセンス"} <= set(names)
    assert "住所" not in names and "NO" not in names  # the legacy list no longer stands in
    assert hospital.basis == "observed-file" and hospital.required_fields == []
    assert ADDITIONS in hospital.meta["layout_file"]
    notes = hospital.meta["field_notes"]
    assert "「、」" in notes["診療科目"]["observed"]  # what the file showed, against the legacy ;
    assert "区分 not read" in notes["名称"]["requirement"]
    assert "legacy 推奨データセット required it" in notes["名称"]["requirement"]


def test_opendata_list_is_the_45_columns_a_cms_exports(registry: Registry) -> None:
    listing = registry.get("opendata_list")
    names = listing.field_names
    assert len(names) == 45 and names[-1] == "ファイル_著作権表記"
    assert names.index("データセット_作成者") == names.index("データセット_対象期間") + 1
    assert names.index("ファイル_ID") + 1 == names.index("ファイル_タイトル")
    assert "ファイル_形式" in names and "ファイル形式" not in names
    assert listing.basis == "implementation"
    assert "CMS" in listing.meta["basis_note"]
    assert listing.meta["spec_revision"] == "unknown"  # the label dates the CMS, not the spec
    assert "lacks ファイル形式" in listing.meta["layout_difference"]
    assert "CMS's export layout" in listing.meta["field_notes"]["データセット_ID"]["requirement"]


def test_no_other_dataset_takes_its_layout_from_the_additions(registry: Registry) -> None:
    from_additions = sorted(d.key for d in registry.all() if "layout_file" in d.meta)
    assert from_additions == ["hospital", "opendata_list"]
    assert registry.get("legacy/hospital").field_names[:2] == [
        "都道府県コード又は市区町村コード",
        "NO",
    ]


def _reference_copy(reference_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "reference"
    shutil.copytree(reference_dir / "standard-datasets", copy / "standard-datasets")
    return copy


def test_a_reference_without_the_additions_is_a_clear_error(
    reference_dir: Path, tmp_path: Path
) -> None:
    copy = _reference_copy(reference_dir, tmp_path)
    (copy / "standard-datasets" / ADDITIONS).unlink()
    with pytest.raises(ReferenceNotFound) as err:
        build(copy, tmp_path / "datasets")
    assert ADDITIONS in err.value.message_en


def test_an_unknown_label_in_the_additions_stops_the_build(
    reference_dir: Path, tmp_path: Path
) -> None:
    copy = _reference_copy(reference_dir, tmp_path)
    path = copy / "standard-datasets" / ADDITIONS
    text = path.read_text(encoding="utf-8").replace("current? (shirasagi", "draft (shirasagi")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionInvalid) as err:
        build(copy, tmp_path / "datasets")
    assert "unknown spec_version label" in err.value.message_en
