"""portal.localgov.towns: a city's 町字マスター CSV read as the registry publishes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.errors import ConfigInvalid
from portal.localgov.towns import load_towns, town_key

ENGLISH = """lg_code,machiaza_id,machiaza_type,pref,city,oaza_cho,chome,koaza,ablt_date
221309,0012003,2,静岡県,浜松市中央区,鍛冶町,三丁目,,
221309,0020000,1,静岡県,浜松市中央区,雄踏町宇布見,,,
221309,0020101,3,静岡県,浜松市中央区,雄踏町宇布見,,山崎,
221309,0030000,1,静岡県,浜松市中央区,消えた町,,,2020-01-01
"""
# The registry's earlier files, in cp932 with Japanese headers
JAPANESE = """全国地方公共団体コード,町字id,町字区分コード,都道府県名,市区町村名,大字・町名,丁目名,小字名
222143,0001000,1,静岡県,藤枝市,岡出山,,
222143,0002001,2,静岡県,藤枝市,瀬古,一丁目,
"""


def folder_with(tmp_path: Path, **files: tuple[str, str]) -> Path:
    folder = tmp_path / "towns"
    folder.mkdir()
    for name, (text, encoding) in files.items():
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def test_english_and_japanese_headers(tmp_path: Path) -> None:
    towns = load_towns(
        folder_with(
            tmp_path,
            mt_town_city221309=(ENGLISH, "utf-8-sig"),
            mt_town_city222143=(JAPANESE, "cp932"),
        )
    )
    assert towns.has("221309") and towns.has("222143") and not towns.has("222127")
    assert towns.find("221309", "鍛冶町3丁目") is not None  # 三丁目 = 3丁目
    assert towns.find("221309", "雄踏町宇布見字山崎") is not None  # 字 as written in addresses
    assert towns.find("221309", "消えた町") is None  # abolished
    found = towns.find("222143", "瀬古１丁目")
    assert found is not None and found.machiaza_id == "0002001" and found.name == "瀬古一丁目"
    assert towns.by_id("222143", "0001000") is not None
    near = towns.closest("221309", "鍜冶町3丁目")  # 鍜 for 鍛
    assert near is not None and near.name == "鍛冶町三丁目"


def test_no_folder_no_lists(tmp_path: Path) -> None:
    assert not load_towns(None).by_lgcode
    assert not load_towns(tmp_path / "absent").by_lgcode


def test_a_file_that_is_not_a_town_master_is_named(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, shelters=("名称,住所\n体育館,焼津市本町1\n", "utf-8"))
    with pytest.raises(ConfigInvalid) as caught:
        load_towns(folder)
    assert "shelters.csv" in caught.value.message_en and "lg_code" in caught.value.message_en


def test_town_key_folds_what_people_vary() -> None:
    assert town_key("大字小川字新地") == town_key("小川新地")
    assert town_key("鰯ヶ島") == town_key("鰯ケ島")
    assert town_key("駅北十二丁目") == town_key("駅北１２丁目")
