"""English-keyed tables: the standard's key_en and common English spellings map the
columns (portal/mapping/english.yaml), precision first."""

from __future__ import annotations

from pathlib import Path

from portal.localgov import Directory
from portal.pipeline.suggest import Suggestion, suggest
from portal.standards import Registry


def sources(s: Suggestion) -> dict[str, list[str]]:
    return {m.field: m.sources for m in s.matches}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


AED = """id,name,name_kana,address,lat,lng,tel,website,remarks
1,磐田市役所,イワタシヤクショ,静岡県磐田市国府台3番地1,34.7179,137.8514,0538-37-2111,https://www.city.iwata.shizuoka.jp/,1階ロビー
2,磐田市立総合病院,イワタシリツソウゴウビョウイン,静岡県磐田市大久保512番地3,34.7440,137.8722,0538-38-5000,,救急外来
3,竜洋支所,リュウヨウシショ,静岡県磐田市岡729番地1,34.6802,137.8297,0538-66-1111,,玄関
"""


def test_english_names_map_an_aed_list(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    s = suggest(write(tmp_path, "aed.csv", AED), registry, directory, dataset="aed")
    found = sources(s)
    assert found["名称"] == ["name"]
    assert found["名称_カナ"] == ["name_kana"]  # name never takes name_kana
    assert found["所在地_連結表記"] == ["address"]
    assert (found["緯度"], found["経度"]) == (["lat"], ["lng"])
    assert found["電話番号"] == ["tel"]
    assert found["URL"] == ["website"]
    assert found["備考"] == ["remarks"]
    assert s.unused_columns == []


POPULATION = """prefName,cityName,area_code,area_name,total,male,female,households
静岡県,浜松市,001,中央区中央一丁目,2310,1102,1208,1320
静岡県,浜松市,002,中央区中央二丁目,1980,950,1030,1105
静岡県,浜松市,003,中央区中央三丁目,1544,760,784,840
"""


def test_english_population_table_maps_counts_without_crossing(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = write(tmp_path, "population.csv", POPULATION)
    s = suggest(path, registry, directory, dataset="population_by_area_age")
    found = sources(s)
    assert found["総人口"] == ["total"]
    assert found["男性"] == ["male"]
    assert found["女性"] == ["female"]
    assert found["世帯数"] == ["households"]
    assert found["地域名"] == ["area_name"]
    assert found["地域コード"] == ["area_code"]
    assert found["地方公共団体名"] == ["prefName", "cityName"]  # 静岡県 + 浜松市


TOILET_KEYS = """name,totalMaleToilet,totalFemaleToilet,westernStyleFemaleToilet
中央公園トイレ,3,4,2
駅前トイレ,2,3,1
"""


def test_a_standard_key_whose_words_contradict_its_field_is_not_trusted(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    # The reference gives westernStyleFemaleToilet to 男女共用トイレ総数 (unisex): a
    # women's column must not become the unisex count.
    path = write(tmp_path, "toilet.csv", TOILET_KEYS)
    s = suggest(path, registry, directory, dataset="public_toilet")
    found = sources(s)
    assert found["男性トイレ総数"] == ["totalMaleToilet"]
    assert found["女性トイレ総数"] == ["totalFemaleToilet"]
    assert "男女共用トイレ総数" not in found
    assert "westernStyleFemaleToilet" in s.unused_columns


def test_contact_remark_spelt_three_ways(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    for spelling in ["連絡先備考", "連絡先備考_その他SNSなど", "連絡先備考（その他、SNSなど）"]:
        text = (
            f"名称,所在地_連結表記,{spelling}\n中央公園,静岡県焼津市本町2丁目16番32号,@yaizu_city\n"
        )
        path = write(tmp_path, "contact.csv", text)
        s = suggest(path, registry, directory, dataset="public_facility")
        assert sources(s)["連絡先備考（その他、SNSなど）"] == [spelling], spelling
