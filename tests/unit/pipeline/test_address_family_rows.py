"""The addresses family of the messy corpus (tests/data/messy/addresses/), row by row: what the
corpus format cannot say — each row's 所在地_全国地方公共団体コード and parts after
`recipe suggest` + `convert`, as a person reading the addresses knows them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.pipeline import convert
from portal.pipeline.suggest import suggest
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

FAMILY = TEST_DATA / "messy" / "addresses"
PARTS = (
    "所在地_全国地方公共団体コード",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
)


def converted(name: str, tmp_path: Path, settings: Settings) -> list[tuple[str, ...]]:
    workspace = Workspace.of(settings)
    suggestion = suggest(FAMILY / f"{name}.csv", workspace.registry, workspace.directory)
    recipe = tmp_path / f"{name}.recipe.yaml"
    recipe.write_text(suggestion.to_yaml(tmp_path), encoding="utf-8")
    result = convert(recipe, workspace, tmp_path / "out")
    with result.files["csv"].open(encoding="utf-8-sig") as fh:
        return [tuple(row[p] for p in PARTS) for row in csv.DictReader(fh)]


def test_shelters_in_the_next_city(tmp_path: Path, settings: Settings) -> None:
    rows = converted("fuji_shelter_next_city", tmp_path, settings)
    assert [(code, city) for code, city, *_ in rows] == [
        ("222101", "富士市"),
        ("222101", "富士市"),
        ("222101", "富士市"),
        ("222101", "富士市"),
        ("222071", "富士宮市"),  # 大富士中学校 and the 総合体育館 are across the border
        ("222071", "富士宮市"),
        ("222101", "富士市"),
    ]


def test_wards_and_buildings_with_and_without_a_space(tmp_path: Path, settings: Settings) -> None:
    assert converted("niigata_wifi_building_space", tmp_path, settings) == [
        ("151033", "新潟市中央区", "学校町通1番町", "602番地1", "本館1階"),
        ("151033", "新潟市中央区", "万代1丁目", "6-1", "バスセンタービル2階"),
        ("151033", "新潟市中央区", "花園1丁目", "96-47", "CoCoLo南館1階"),
        ("151017", "新潟市北区", "東栄町1丁目", "1-14", ""),
        ("151025", "新潟市東区", "下木戸1丁目", "4-1", "東区役所2階"),
        ("151033", "新潟市中央区", "一番堀通町", "3-2", "りゅーとぴあ1階"),
    ]


def test_kanji_lot_numbers_are_the_block(tmp_path: Path, settings: Settings) -> None:
    rows = converted("ueda_facility_kanji_banchi", tmp_path, settings)
    assert [(town, block) for _, _, town, block, _ in rows] == [
        ("大手一丁目", "十一番十六号"),
        ("上丸子", "千六百十二番地"),
        ("真田町長", "七千百七十八番地一"),
        ("武石沖", "二百四十九番地一"),
        ("材木町一丁目", "二番四十七号"),
        ("二の丸", "六二六三番地"),
        ("天神三丁目", "十五番十五号"),
    ]


@pytest.mark.parametrize(
    ("name", "row", "expected"),
    [
        ("okazaki_aed_doubled_chome", 3, ("232025", "岡崎市", "若宮町2丁目", "1番地1", "")),
        (
            "okazaki_aed_doubled_chome",
            6,
            ("232025", "岡崎市", "高隆寺町字峠", "1番地", "岡崎中央総合公園内"),
        ),
        ("kasama_toilet_oaza", 3, ("082163", "笠間市", "大字池野辺字北山", "2345番地", "")),
        ("hakodate_facility_no_pref", 0, ("012025", "函館市", "東雲町", "4番13号", "")),
    ],
)
def test_one_row(
    name: str, row: int, expected: tuple[str, ...], tmp_path: Path, settings: Settings
) -> None:
    assert converted(name, tmp_path, settings)[row] == expected
