"""mapping-implausible: a conversion into the wrong dataset is never valid (issue 13).

The forced-dataset recipes are in tests/data/messy/honest/ (what `portal recipe suggest
--dataset …` wrote for them); the smaller cases are a mapping and the source's values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.pipeline import convert
from portal.pipeline.plausible import check
from portal.pipeline.profile import profile_columns
from portal.settings import Settings
from portal.validation.catalogue import Finding
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

HONEST = TEST_DATA / "messy" / "honest"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.of(Settings(data_dir=tmp_path_factory.mktemp("data")))


def _implausible(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code == "mapping-implausible"]


def _check(
    workspace: Workspace, dataset: str, rows: list[list[str]], mapping: dict[str, list[str]]
) -> list[Finding]:
    header, body = rows[0], rows[1:]
    profiles = profile_columns(header, body, workspace.directory)
    registry = workspace.registry
    return check(mapping, profiles, registry.get(dataset), others=registry.all())


def test_a_care_list_forced_into_aed_is_not_valid(workspace: Workspace, tmp_path: Path) -> None:
    done = convert(HONEST / "okayama_kaigo_as_aed.recipe.yaml", workspace, tmp_path)
    found = _implausible(done.report.findings.kept())
    assert not done.report.valid and [(f.field, f.value, f.severity) for f in found] == [
        ("小児対応設備の有無", "訪問介護", "error")
    ]
    assert "'訪問介護'" in found[0].message_en and "nothing to do with it" in found[0].message_en
    assert "Choose another dataset" in found[0].message_en
    assert (
        "列「訪問介護」" in found[0].message_ja and "別のデータセットを選ぶ" in found[0].message_ja
    )
    written = json.loads(done.files["conversion"].read_text(encoding="utf-8"))
    assert written["valid"] is False


def test_a_tourism_list_forced_into_aed_is_not_valid(workspace: Workspace, tmp_path: Path) -> None:
    done = convert(HONEST / "nagasaki_kanko_as_aed.recipe.yaml", workspace, tmp_path)
    found = _implausible(done.report.findings.kept())
    assert not done.report.valid
    assert [(f.field, f.value) for f in found] == [("小児対応設備の有無", "駐車場"), (None, None)]
    assert found[1].message_en.startswith(
        "the columns fit 観光施設一覧 (tourism) better: its fields name every column this "
        "conversion uses and also 説明, which AED設置箇所一覧 has no field for"
    )


def test_a_population_table_forced_into_wifi_says_what_is_unused_and_empty(
    workspace: Workspace, tmp_path: Path
) -> None:
    done = convert(HONEST / "toyama_jinko_as_wifi.recipe.yaml", workspace, tmp_path)
    messages = [f.message_en for f in _implausible(done.report.findings.kept())]
    assert not done.report.valid and len(messages) == 3
    assert messages[0].startswith("7 of the file's 8 columns with data feed no field (世帯数, 総数")
    assert messages[1].startswith("the file fills only 1 of the dataset's 24 fields about what")
    assert "(名称)" in messages[1]
    assert "fit 地域・年齢別人口 (population_by_area_age) better" in messages[2]


def test_a_code_or_coordinate_field_fed_other_values(workspace: Workspace) -> None:
    rows = [["名称", "所在地", "メモ"], ["市役所", "静岡県焼津市本町2-16-32", "正面玄関"],
            ["図書館", "静岡県焼津市三ケ名1550", "受付横"]]  # fmt: skip
    found = _check(workspace, "aed", rows, {"名称": ["名称"], "所在地_連結表記": ["所在地"],
                                            "緯度": ["メモ"]})  # fmt: skip
    assert [f.field for f in found] == ["緯度"]
    assert "only 0% of its values are latitudes (e.g. '正面玄関')" in found[0].message_en
    assert "緯度と読めるのは0%だけ" in found[0].message_ja


def test_what_a_real_department_table_has_is_plausible(workspace: Workspace) -> None:
    # A column of its own (担当課), a column named as the field with a broken value (法人番号
    # as Excel wrote it: the validator reports the value), a yes/no column named for the field.
    rows = [["施設名", "住所", "緯度", "経度", "小児用パッド", "法人番号", "担当課"],
            ["市役所", "静岡県焼津市本町2-16-32", "34.8671", "138.3236", "○", "1.00E+12", "総務課"],
            ["図書館", "静岡県焼津市三ケ名1550", "34.8512", "138.3108", "", "1.00E+12", "教育課"]]  # fmt: skip
    mapping = {"名称": ["施設名"], "所在地_連結表記": ["住所"], "緯度": ["緯度"], "経度": ["経度"],
               "小児対応設備の有無": ["小児用パッド"], "法人番号": ["法人番号"]}  # fmt: skip
    assert _check(workspace, "aed", rows, mapping) == []


def test_a_yes_no_column_sharing_a_word_with_the_field_is_plausible(workspace: Workspace) -> None:
    rows = [["名称", "緯度", "経度", "小児対応"], ["市役所", "34.8671", "138.3236", "○"],
            ["図書館", "34.8512", "138.3108", "×"]]  # fmt: skip
    mapping = {
        "名称": ["名称"],
        "緯度": ["緯度"],
        "経度": ["経度"],
        "小児対応設備の有無": ["小児対応"],
    }
    assert _check(workspace, "aed", rows, mapping) == []


def test_another_dataset_naming_more_of_the_columns(workspace: Workspace) -> None:
    rows = [["名称", "設置位置", "緯度", "経度", "電話番号"],
            ["市役所", "1階ロビー", "34.8671", "138.3236", "054-626-1111"],
            ["図書館", "受付横", "34.8512", "138.3108", "054-623-3000"]]  # fmt: skip
    mapping = {"名称": ["名称"], "緯度": ["緯度"], "経度": ["経度"], "電話番号": ["電話番号"]}
    found = _check(workspace, "public_wireless_lan", rows, mapping)
    assert len(found) == 1 and found[0].field is None
    assert "fit AED設置箇所一覧 (aed) better" in found[0].message_en
    assert "also 設置位置, which" in found[0].message_en
    assert _check(workspace, "aed", rows, mapping) == []
