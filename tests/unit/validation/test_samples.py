"""Real municipal files: the defects their README names appear at the right rows.

Expected rows were found in the raw files with plain string tests (see the
samples README, "Quirks by file"), not by running the validator.
"""

from __future__ import annotations

import pytest

from portal.settings import Settings
from portal.validation import Options, Report, validate
from portal.workspace import Workspace
from tests.conftest import SAMPLES_DIR


def run(settings: Settings, name: str) -> Report:
    return validate(SAMPLES_DIR / name, Workspace.of(settings), Options(per_group=None))


def rows(report: Report, code: str, field: str | None) -> list[int | None]:
    return sorted(f.row for f in report.findings.kept() if (f.code, f.field) == (code, field))  # type: ignore[type-var]


def test_fire_hydrant_inconsistent_address_and_trailing_spaces(settings: Settings) -> None:
    r = run(settings, "fire_hydrant/yaizu_fire_water.csv")
    assert r.dataset == "fire_hydrant" and r.rows == 37
    assert rows(r, "address-parts-mismatch", "所在地_連結表記") == [35]  # ID 135
    assert rows(r, "surrounding-space", "所在地_連結表記") == [31, 33, 36, 37, 38]
    assert rows(r, "surrounding-space", "所在地_番地以下") == [31, 36, 37, 38]


def test_event_excel_damage_dates_and_local_column(settings: Settings) -> None:
    r = run(settings, "event/yaizu_event.csv")
    every_row = list(range(2, 15))
    assert rows(r, "corporate-number-scientific", "法人番号") == every_row
    assert rows(r, "date-format", "開始日") == every_row
    assert (
        next(f.fix for f in r.findings.kept() if f.code == "date-format" and f.row == 2)
        == "2026-04-02"
    )
    (extra,) = [f for f in r.findings.kept() if f.code == "extra-label"]
    assert extra.value == "イベントジャンル" and extra.field_number == 80


def test_cultural_property_serial_dates_kanji_in_kana_line_breaks(settings: Settings) -> None:
    r = run(settings, "cultural_property/ichikawa_bunkazai.csv")
    serials = [f for f in r.findings.kept() if f.code == "excel-serial-date"]
    assert len(serials) == 32 and {f.field for f in serials} == {"文化財指定日"}
    assert next(f.fix for f in serials if f.value == "22196") == "1960-10-07"
    assert rows(r, "katakana-kanji", "名称_カナ") == [32]  # 二ホン… with the kanji 二
    assert rows(r, "line-break-in-cell", "種類") == [4, 26]
    assert rows(r, "line-break-in-cell", "所有者等") == [4]
    assert rows(r, "column-empty", "ID") == [None]


def test_care_service_two_numbers_in_one_cell(settings: Settings) -> None:
    r = run(settings, "care_service/ichikawa_care.csv")
    assert rows(r, "not-a-number", "定員") == [3, 5, 6]  # 40/12, 25/12


def test_wireless_lan_empty_ids_and_hyphenated_postcodes(settings: Settings) -> None:
    r = run(settings, "public_wireless_lan/ichikawa_wifi.csv")
    assert rows(r, "column-empty", "ID") == [None]
    postcodes = rows(r, "postcode-format", "郵便番号")
    assert len(postcodes) == 44 and 10 not in postcodes  # row 10 has no postcode
    assert next(f.fix for f in r.findings.kept() if f.code == "postcode-format") == "2728501"
    assert rows(r, "publisher-name", "地方公共団体名")[:2] == [2, 3]  # 市川市 → 千葉県市川市


def test_public_toilet_height_kind(settings: Settings) -> None:
    r = run(settings, "public_toilet/yaizu_toilet.csv")
    assert rows(r, "enum", "高度の種別") == [14, 15, 17, 19, 20]  # 階, not 階数
    assert not r.valid


def test_legacy_aed(settings: Settings) -> None:
    r = run(settings, "aed/yaizu_aed_legacy.csv")
    assert (r.dataset, r.version) == ("legacy/aed", "legacy")
    assert rows(r, "legacy-layout", None) == [None]
    assert rows(r, "surrounding-space", "住所") == [56, 61]
    assert rows(r, "halfwidth-kana", "名称") == [12, 13]
    assert r.valid  # only warnings


def test_legacy_preschool_dash_instead_of_long_vowel(settings: Settings) -> None:
    r = run(settings, "preschool/yaizu_preschool_legacy.csv")
    (label,) = [f for f in r.findings.kept() if f.code == "incorrect-label"]
    assert (
        label.value == "都道府県コ―ド又は市区町村コ―ド"
        and label.fix == "都道府県コード又は市区町村コード"
    )
    assert rows(r, "katakana-dash", "名称_カナ") == [27, 28, 31, 34, 35]


def test_tourism_image_paths_are_not_urls(settings: Settings) -> None:
    r = run(settings, "tourism/ichikawa_keikan100.csv")
    assert rows(r, "url-invalid", "画像") == list(range(2, 14))


@pytest.mark.parametrize(
    ("name", "layout"),
    [("evacuation_space/suita_gsi_kinkyu.csv", "gsi-evacuation-space"),
     ("evacuation_shelter/sakai_gsi_hinanjo.csv", "gsi-evacuation-shelter")],
)  # fmt: skip
def test_gsi_layouts_need_conversion(settings: Settings, name: str, layout: str) -> None:
    r = run(settings, name)
    assert r.dataset is None and not r.valid
    assert r.detection["layout"] == layout and r.detection["resembles"] == "evacuation_space"
    (finding,) = r.findings.kept()
    assert finding.code == "needs-conversion" and "国土地理院" in finding.message_ja
