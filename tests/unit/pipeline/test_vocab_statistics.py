"""Statistics tables → population_by_area_age: column names read as age band and sex,
right or absent (a wrong mapping is worse than none), and what cannot be mapped said."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from portal.localgov import Directory
from portal.pipeline.statistics import notes, read_label
from portal.pipeline.suggest import Suggestion, suggest
from portal.standards import Registry

POPULATION = "population_by_area_age"


def sources(s: Suggestion) -> dict[str, list[str]]:
    return {m.field: m.sources for m in s.matches}


@pytest.mark.parametrize(
    ("label", "band", "sex"),
    [
        ("0～4歳男", "0-4歳", "男性"),
        ("男0-4歳", "0-4歳", "男性"),
        ("女 5〜9", "5-9歳", "女性"),
        ("85歳以上女", "85歳以上", "女性"),
        ("female_0_4", "0-4歳", "女性"),
        ("人口男", None, "男性"),
        ("総数（人）", None, "総数"),
        ("総数男", None, "男性"),
        ("0～4歳計", "0-4歳", "総数"),
    ],
)
def test_names_read_as_band_and_sex(label: str, band: str | None, sex: str) -> None:
    reading = read_label(label)
    assert reading is not None and (reading.band, reading.sex) == (band, sex)


@pytest.mark.parametrize("label", ["日本人男", "外国人女", "世帯数", "年齢", "男女比", "転入者数"])
def test_other_counts_are_not_read(label: str) -> None:
    assert read_label(label) is None


def write_wide(path: Path) -> Path:
    """A two-row header: each band over 計・男・女, as statistics sections print it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["令和6年10月1日現在 町丁別年齢別人口（岡崎市）"])
    ws.append(["町丁名", "世帯数", "総数", None, None, "0～4歳", None, None, "5～9歳", None, None])
    ws.append([None, None, "計", "男", "女", "計", "男", "女", "計", "男", "女"])
    ws.append(["康生町", 120, 230, 110, 120, 10, 4, 6, 12, 7, 5])
    ws.append(["籠田町", 98, 201, 99, 102, 8, 5, 3, 9, 4, 5])
    ws.append(["伝馬通1丁目", 143, 260, 125, 135, 11, 6, 5, 13, 6, 7])
    wb.save(path)
    return path


def test_wide_age_table_maps_every_band_and_leaves_the_band_totals(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    s = suggest(write_wide(tmp_path / "okazaki.xlsx"), registry, directory, dataset=POPULATION)
    found = sources(s)
    assert found["地域名"] == ["町丁名"]
    assert found["世帯数"] == ["世帯数"]
    assert (found["総人口"], found["男性"], found["女性"]) == (["総数計"], ["総数男"], ["総数女"])
    assert found["0-4歳の男性"] == ["0～4歳男"]
    assert found["5-9歳の女性"] == ["5～9歳女"]
    assert sorted(s.unused_columns) == ["0～4歳計", "5～9歳計"]


LONG = """年齢,総数,男,女
総数,316512,156201,160311
0～4歳,10812,5530,5282
5～9歳,12488,6420,6068
10～14歳,13590,6968,6622
85歳以上,17557,5504,12053
"""


def test_a_table_whose_rows_are_age_bands_maps_no_count(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    s = suggest(path, registry, directory, dataset=POPULATION)
    assert not {"総人口", "男性", "女性"} & set(sources(s))  # 男 of 0～4歳 is no area's 男性


def test_block_numbers_are_no_age_bands(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    # 1-15 in 所在地_番地以下 looks like an age band without 歳: the counts must stay mapped.
    path = tmp_path / "toilet.csv"
    path.write_text(
        "名称,所在地_番地以下,男性トイレ総数,女性トイレ総数\n"
        "中央公園トイレ,1-15,2,3\n駅前トイレ,2-70,1,2\n八幡山公園トイレ,1-20,2,2\n",
        encoding="utf-8",
    )
    found = sources(suggest(path, registry, directory, dataset="public_toilet"))
    assert found["男性トイレ総数"] == ["男性トイレ総数"]
    assert found["女性トイレ総数"] == ["女性トイレ総数"]


def test_units_in_brackets_do_not_hide_a_name(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "町丁名,世帯数（世帯）,総数（人）,男（人）,女（人）,うち外国人（人）\n"
        "1条通1丁目,88,131,66,65,2\n1条通2丁目,102,150,71,79,0\n",
        encoding="utf-8",
    )
    found = sources(suggest(path, registry, directory, dataset=POPULATION))
    assert found["世帯数"] == ["世帯数（世帯）"]
    assert (found["総人口"], found["男性"], found["女性"]) == (
        ["総数（人）"],
        ["男（人）"],
        ["女（人）"],
    )
    assert "うち外国人（人）" not in {s for v in found.values() for s in v}


class Column:
    def __init__(self, name: str, values: list[str]) -> None:
        self.name, self.values = name, values


def test_what_cannot_be_mapped_is_said(registry: Registry) -> None:
    fields = registry.get(POPULATION).field_names
    columns = [Column("年次", ["平成30年", "令和元年"]), Column("男85～89", ["3", "4"]),
               Column("0～4歳計", ["10", "9"])]  # fmt: skip
    said = " ".join(notes(columns, fields, used=set()))
    assert "column 年次 holds years without a day (平成30年)" in said
    assert "男85～89 are not the standard's 5-year bands" in said and "`sum:`" in said
    assert "age-band totals (0～4歳計) have no field" in said
    assert notes(columns, registry.get("aed").field_names, used=set()) == []


def test_suggest_says_what_it_left_unmapped(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = tmp_path / "fine.csv"
    path.write_text(
        "町名,男女計,男,女,男80～84,男85～89,男90以上,女80～84,女85～89,女90以上\n"
        "大手1丁目,300,140,160,5,3,1,7,5,3\n大手2丁目,280,130,150,4,2,1,6,4,2\n",
        encoding="utf-8",
    )
    s = suggest(path, registry, directory, dataset=POPULATION)
    assert sources(s)["80-84歳の男性"] == ["男80～84"]
    assert "85歳以上の男性" not in sources(s)  # a sum of two columns: said, not guessed
    said = " ".join(s.notes)
    assert "男85～89, 男90以上, 女85～89 … (4 columns) are not the standard's 5-year bands" in said
