"""Who publishes a file, from every piece of evidence: code columns under any name, name
columns, addresses, the file name and the title rows (portal/pipeline/publisher.py), on the
messy corpus's publisher family and on small made-up tables."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path

import pytest
import yaml

from portal.formats.layout_reader import data_rows, read_table
from portal.localgov import Directory, LocalGov
from portal.pipeline.matching import match_columns
from portal.pipeline.profile import profile_columns, tables
from portal.pipeline.publisher import Evidence, municipalities_of, publisher_of
from portal.standards import Registry

FAMILY = Path(__file__).resolve().parents[2] / "data" / "messy" / "publisher"
FILES = sorted(p for p in FAMILY.iterdir() if p.suffix in (".csv", ".xlsx"))


def infer(
    path: Path, registry: Registry, directory: Directory, dataset: str = "aed"
) -> tuple[LocalGov | None, str, Counter[str]]:
    """The publisher, its reason and the rows per municipality, as suggest finds them."""
    t = tables()
    known = t.known_names() | {n for d in registry.all() for n in d.field_names}
    with read_table(path, known=known) as table:
        layout = table.layout
        rows = [row for _, row in islice(data_rows(table.rows, layout), 500)]
        sheet = table.info.sheet if table.info.format != "csv" else None
    profiles = profile_columns(layout.names, rows, directory)
    matches = match_columns(registry.get(dataset), profiles)
    evidence = Evidence(path.name, sheet, layout.title_texts)
    gov, reason = publisher_of(profiles, matches, directory, t, evidence)
    return gov, reason, municipalities_of(profiles, matches, directory, t, evidence)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The corpus family


def test_the_family_has_every_kind_of_evidence() -> None:
    assert len(FILES) >= 8
    expected = [yaml.safe_load(p.with_suffix(".expected.yaml").read_text("utf-8")) for p in FILES]
    assert any(e["publisher"] is None for e in expected)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_publisher_as_the_file_names_it(
    path: Path, registry: Registry, directory: Directory
) -> None:
    expected = yaml.safe_load(path.with_suffix(".expected.yaml").read_text("utf-8"))
    gov, reason, _ = infer(path, registry, directory, expected["dataset"])
    assert (gov.lgcode if gov else None) == expected["publisher"], reason


def test_five_digit_code_in_a_column_called_bangou(
    registry: Registry, directory: Directory
) -> None:
    gov, reason, rows = infer(FAMILY / "higashiosaka_aed_bangou.csv", registry, directory)
    assert gov is not None and gov.full_name == "大阪府東大阪市"
    assert reason == "most common code in 番号 (7 of 7 rows, damaged codes repaired)"
    assert rows == {"272272": 7}


def test_halfwidth_kana_code_column(registry: Registry, directory: Directory) -> None:
    gov, reason, _ = infer(FAMILY / "fujieda_aed_hankaku_code.csv", registry, directory)
    assert gov is not None and gov.lgcode == "222143"
    assert reason.startswith("most common code in ｺｰﾄﾞ (6 of 6 rows")


def test_name_columns(registry: Registry, directory: Directory) -> None:
    gov, reason, _ = infer(FAMILY / "fuchu_aed_prefname_cityname.csv", registry, directory)
    assert gov is not None and gov.full_name == "東京都府中市"  # not 広島県府中市
    assert reason == "most common municipality in prefName + cityName (6 of 6 rows)"
    gov, reason, _ = infer(FAMILY / "mori_aed_todoufuken_shikuchoson.csv", registry, directory)
    assert gov is not None and gov.full_name == "静岡県森町"  # not 北海道森町
    assert reason == "most common municipality in 都道府県名 + 市区町村名 (5 of 5 rows)"
    gov, reason, _ = infer(FAMILY / "shimada_aed_shicho.csv", registry, directory)
    assert gov is not None and gov.lgcode == "222097"
    assert reason == "most common municipality in 市町 (6 of 6 rows)"


def test_file_name_and_title_row(registry: Registry, directory: Directory) -> None:
    _, reason, rows = infer(FAMILY / "222127_aed.csv", registry, directory)
    assert reason == "the file name 222127_aed.csv holds its code 222127; no column names it"
    assert rows == {}
    _, reason, _ = infer(FAMILY / "yaizu_title_row.csv", registry, directory)
    assert reason == "the title row 「焼津市 AED設置箇所一覧」 names it; no column names it"
    _, reason, _ = infer(FAMILY / "aed_settichi.xlsx", registry, directory)
    assert reason == "the sheet name 牧之原市AED設置場所 names it; no column names it"


def test_rows_of_three_municipalities_name_no_publisher(
    registry: Registry, directory: Directory
) -> None:
    gov, reason, rows = infer(FAMILY / "shida_kouiki_three.csv", registry, directory)
    assert gov is None
    assert rows == {"222143": 4, "222127": 3, "222097": 3}
    assert reason == (
        "rows belong to 3 municipalities (藤枝市 4, 焼津市 3, 島田市 3), none in most rows, and "
        "no file name or title row names the publisher: fill in target.lgcode "
        "(220001 if 静岡県 publishes it)"
    )


def test_prefecture_title_over_rows_spanning_its_cities(
    registry: Registry, directory: Directory
) -> None:
    gov, reason, rows = infer(FAMILY / "shizuoka_pref_title.csv", registry, directory)
    assert gov is not None and (gov.lgcode, gov.kind) == ("220001", "prefecture")
    assert len(rows) == 6 and rows["221007"] == 2 and rows["221309"] == 2
    assert reason.startswith(
        "the title row 「静岡県 県有施設AED設置一覧」 names it; rows belong to 6 "
    )
    assert reason.endswith(", all in it")


def test_nothing_names_the_publisher(registry: Registry, directory: Directory) -> None:
    gov, reason, _ = infer(FAMILY / "aed_list_nothing.csv", registry, directory)
    assert gov is None
    assert reason == (
        "no code column, name column, address, file name or title row names it: "
        "fill in target.lgcode"
    )


# Made-up tables: conflicts and limits


def test_code_column_beats_a_title_naming_another_city(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = write(tmp_path, "t.csv", "藤枝市 AED一覧\n名称,市町村コード,緯度,経度\n"
                 "A,222127,34.86,138.32\nB,222127,34.87,138.31\n")  # fmt: skip
    gov, reason, _ = infer(path, registry, directory)
    assert gov is not None and gov.lgcode == "222127"
    assert reason == (
        "most common code in 市町村コード (2 of 2 rows); the title row 「藤枝市 AED一覧」 "
        "names 静岡県藤枝市"
    )


def test_a_facility_across_the_border_does_not_move_the_publisher(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    rows = "".join(f"S{i},静岡県焼津市本町{i}-1\n" for i in range(1, 5))
    path = write(tmp_path, "t.csv", f"名称,住所\n{rows}S9,静岡県藤枝市岡出山1-11-1\n")
    gov, reason, counts = infer(path, registry, directory, "evacuation_space")
    assert gov is not None and gov.lgcode == "222127"
    assert reason.endswith("(4 of 5 rows); rows belong to 2 municipalities (焼津市 4, 藤枝市 1)")
    assert counts == {"222127": 4, "222143": 1}


def test_ward_codes_count_for_their_city(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = write(tmp_path, "t.csv", "名称,団体コード\nA,271411\nB,271462\nC,27141\n")
    gov, reason, counts = infer(path, registry, directory)
    assert gov is not None and gov.full_name == "大阪府堺市"
    assert counts == {"271403": 3}
    assert reason == "most common code in 団体コード (3 of 3 rows, damaged codes repaired)"


def test_numbers_that_are_not_codes_name_nobody(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    serials = "".join(f"{n},施設{n}\n" for n in range(10001, 10011))
    path = write(tmp_path, "t.csv", f"番号,名称\n{serials}")
    gov, _, counts = infer(path, registry, directory)
    assert gov is None and counts == {}


def test_a_name_in_two_prefectures_needs_the_prefecture(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = write(tmp_path, "t.csv", "市町村,名称\n森町,A\n森町,B\n")
    assert infer(path, registry, directory)[0] is None  # 北海道 or 静岡県?
    path = write(tmp_path, "t.csv", "静岡県 AED一覧\n市町村,名称\n森町,A\n森町,B\n")
    gov, reason, counts = infer(path, registry, directory)
    assert gov is not None and gov.lgcode == "224618"
    assert reason.startswith("most common municipality in 市町村 (2 of 2 rows)")
    assert counts == {"224618": 2}


def test_file_name_with_a_date_after_the_code(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    path = write(tmp_path, "272272_food_business_all_20260101.csv", "名称,緯度\nA,34.6\n")
    gov, _, _ = infer(path, registry, directory)
    assert gov is not None and gov.full_name == "大阪府東大阪市"
    path = write(tmp_path, "aed_20260101.csv", "名称,緯度\nA,34.6\n")
    assert infer(path, registry, directory)[0] is None  # a date is no code


def test_title_naming_a_town_as_a_place_keeps_the_city(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    # 栄町 is a town in 千葉県 and a 町字 of many cities: bare, after a city, it is a place.
    path = write(tmp_path, "t.csv", "焼津市 栄町地区 AED一覧\n名称,緯度\nA,34.8\n")
    gov, _, _ = infer(path, registry, directory)
    assert gov is not None and gov.lgcode == "222127"


def test_round_amounts_are_not_prefecture_codes(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    # 10000 → 100005 群馬県, 12000 → 120006 千葉県: a fee column is no code column.
    fees = "大会議室,10000\n中会議室,12000\n小会議室,15000\nホール,20000\n和室,13000\n"
    path = write(tmp_path, "t.csv", f"名称,使用料\n{fees}")
    gov, _, counts = infer(path, registry, directory, "public_facility")
    assert gov is None and counts == {}


def test_a_name_column_that_mostly_names_nobody_gives_way_to_the_addresses(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    rows = "".join(f"S{i},静岡県藤枝市岡出山{i}-1,-\n" for i in range(1, 5))
    path = write(tmp_path, "t.csv", f"名称,住所,市町村\n{rows}S9,静岡県藤枝市前島2-9-1,焼津市\n")
    gov, reason, _ = infer(path, registry, directory, "evacuation_space")
    assert gov is not None and gov.lgcode == "222143"
    assert reason.startswith("most common municipality at the start of 住所")


def test_an_address_column_is_no_prefecture_column(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    # 住所 feeds 所在地_都道府県 through the split; 府中市 is settled by the title's 東京都.
    rows = "A,宮西町2-24,府中市\nB,府中町1-1,府中市\n"
    path = write(tmp_path, "t.csv", f"東京都 AED一覧\n名称,住所,市町村\n{rows}")
    gov, reason, _ = infer(path, registry, directory)
    assert gov is not None and gov.full_name == "東京都府中市"
    assert reason.startswith("most common municipality in 市町村 (2 of 2 rows)")


def test_a_prefectures_list_even_when_one_city_holds_most_rows(
    tmp_path: Path, registry: Registry, directory: Directory
) -> None:
    rows = (
        "".join(f"S{i},静岡市葵区追手町{i}-6\n" for i in range(1, 5)) + "H,浜松市中区中央1-12-1\n"
    )
    path = write(tmp_path, "t.csv", f"静岡県 県有施設一覧\n名称,住所\n{rows}")
    gov, reason, counts = infer(path, registry, directory, "public_facility")
    assert gov is not None and gov.full_name == "静岡県"
    assert counts == {"221007": 4, "221309": 1}
    assert reason == (
        "the title row 「静岡県 県有施設一覧」 names it; rows belong to 2 municipalities "
        "(静岡市 4, 浜松市 1), all in it"
    )
