"""Addresses through suggest and convert (issue 13): 所在地_全国地方公共団体コード per row, and no
address text lost — what the split cannot place stays in 所在地_連結表記 and is reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.localgov import load
from portal.pipeline import convert
from portal.pipeline.normalizers import REGISTRY, Context, NormalizeError
from portal.pipeline.suggest import suggest
from portal.settings import Settings
from portal.validation import Report
from portal.workspace import Workspace

DIRECTORY = load()
SHELTERS = """施設名,住所,電話番号
焼津市総合体育館,静岡県焼津市保福島1044,054-627-2411
藤枝市民体育館,静岡県藤枝市瀬古1-3-1,054-643-1111
大井川体育館,焼津市下江留1515,054-622-4113
焼津駅北集会所,焼津市駅北5丁目5丁目2-11,054-000-0000
"""


def convert_suggested(
    tmp_path: Path, settings: Settings, text: str, dataset: str
) -> tuple[list[dict[str, str]], Report]:
    source = tmp_path / "hinanbasho.csv"
    source.write_text(text, encoding="utf-8")
    workspace = Workspace.of(settings)
    suggestion = suggest(source, workspace.registry, workspace.directory, dataset=dataset)
    recipe = tmp_path / "hinanbasho.recipe.yaml"
    recipe.write_text(suggestion.to_yaml(tmp_path), encoding="utf-8")
    result = convert(recipe, workspace, tmp_path / "out")
    with result.files["csv"].open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh)), result.report


def test_shelters_of_two_cities_get_their_own_code_and_no_text_is_lost(
    tmp_path: Path, settings: Settings
) -> None:
    rows, report = convert_suggested(tmp_path, settings, SHELTERS, "evacuation_space")
    assert [r["所在地_全国地方公共団体コード"] for r in rows] == [
        "222127",
        "222143",
        "222127",
        "222127",
    ]
    assert [r["所在地_市区町村"] for r in rows] == ["焼津市", "藤枝市", "焼津市", "焼津市"]
    assert {r["全国地方公共団体コード"] for r in rows} == {"222127"}  # the publisher stays one
    doubled = rows[3]
    assert doubled["所在地_連結表記"] == "静岡県焼津市駅北5丁目5丁目2-11"
    assert (doubled["所在地_町字"], doubled["所在地_番地以下"]) == ("駅北5丁目", "2-11")
    unplaced = [f for f in report.findings.kept() if f.code == "address-unplaced"]
    assert [(f.row, f.field) for f in unplaced] == [(5, "所在地_連結表記")]
    assert "5丁目" in unplaced[0].message_ja
    codes = {f.code for f in report.findings.kept()}
    assert "lgcode-address-mismatch" not in codes
    # a code made from the address column is no misfit of that column's values
    assert "mapping-implausible" not in codes


def address(value: str, option: object, publisher: str = "222127") -> str:
    return REGISTRY["address"].fn(value, option, Context(DIRECTORY, DIRECTORY.get(publisher)))


def test_lgcode_part() -> None:
    assert address("静岡県藤枝市瀬古1-3-1", "lgcode") == "222143"
    assert address("駅北5丁目2-11", "lgcode") == "222127"  # no municipality: the publisher's
    # a designated city's ward: the ward's code, as the standard's own example (011088)
    assert address("北海道札幌市厚別区青葉町1丁目1-1", "lgcode", "011002") == "011088"


def test_lgcode_part_refuses_a_name_no_prefecture_settles() -> None:
    with pytest.raises(NormalizeError) as caught:
        address("府中市府川町315", "lgcode", "222127")
    assert "府中市" in caught.value.reason_en and "都道府県名" in caught.value.reason_ja


def test_unplaced_text_goes_to_the_building_only_when_asked() -> None:
    text = "焼津市駅北5丁目5丁目2-11駅北ビル"
    assert address(text, "building") == "駅北ビル"
    assert address(text, {"part": "building", "unplaced": True}) == "5丁目\u3000駅北ビル"
    assert address(text, "unplaced") == "5丁目"
    assert address(text, "full") == "静岡県焼津市駅北5丁目5丁目2-11駅北ビル"
