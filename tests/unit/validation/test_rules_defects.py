"""Issue 13's rules on the planted defects of tests/data/messy/defects (expected files written
by hand in make_defects.py): every planted defect is reported on its row and field, and the
new rules report nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.settings import Settings
from portal.validation import Options, Report, validate
from portal.validation.duplicates import DuplicateRows
from portal.workspace import Workspace
from tests.conftest import SAMPLES_DIR, TEST_DATA

FAMILY = TEST_DATA / "messy" / "defects"
CASES = sorted(FAMILY.glob("*.expected.yaml"))
NEW_CODES = {
    "duplicate-row", "kana-mismatch", "weekday-free-text", "age-free-text", "date-year-only",
    "coordinates-far", "total-mismatch", "surrounding-space",
}  # fmt: skip


def run(path: Path, settings: Settings, dataset: str | None = None) -> Report:
    return validate(path, Workspace.of(settings), Options(dataset=dataset, per_group=None))


def expected_of(case: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(case.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("case", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_every_planted_defect_and_nothing_else(case: Path, settings: Settings) -> None:
    expected = expected_of(case)
    report = run(case.with_name(case.name.split(".")[0] + ".csv"), settings, expected["dataset"])
    got = {(f.code, f.row, f.field) for f in report.findings.kept() if f.code in NEW_CODES}
    planted = {(d["code"], d["row"], d.get("field")) for d in expected["defects"]}
    assert got == planted
    codes = {f.code for f in report.findings.kept()}
    assert set(expected["validate"]["findings"]) <= codes
    assert not set(expected["validate"].get("absent", [])) & codes


def test_the_family_is_big_enough() -> None:
    datasets = {expected_of(c)["dataset"] for c in CASES}
    publishers = {expected_of(c)["publisher"] for c in CASES}
    defects = [d for c in CASES for d in expected_of(c)["defects"]]
    assert len(CASES) >= 6 and len(datasets) >= 6 and len(publishers) >= 6 and len(defects) >= 25


def findings(report: Report, code: str) -> list[Any]:
    return [f for f in report.findings.kept() if f.code == code]


def test_a_point_outside_the_prefecture_is_an_error_inside_a_warning(settings: Settings) -> None:
    report = run(FAMILY / "kurume_aed.csv", settings, "aed")
    osaka, kitakyushu = findings(report, "coordinates-far")
    assert (osaka.row, osaka.severity) == (3, "error")
    assert "福岡県の外" in osaka.message_ja and "大阪府大阪市" in osaka.message_ja
    assert "outside 福岡県" in osaka.message_en
    assert (kitakyushu.row, kitakyushu.severity) == (5, "warning")
    assert "外" not in kitakyushu.message_ja and "30km超" in kitakyushu.message_ja
    assert not report.valid


def test_free_text_days_get_the_letters_they_mean(settings: Settings) -> None:
    report = run(FAMILY / "funabashi_preschool.csv", settings, "preschool")
    assert [(f.value, f.fix) for f in findings(report, "weekday-free-text")] == [
        ("平日", "月火水木金"),
        ("土日祝を除く", "月火水木金"),
    ]
    assert "月火水木金" in findings(report, "weekday-free-text")[0].message_ja
    (age,) = findings(report, "age-free-text")
    assert age.value == "未就学児" and "0歳～5歳" in age.message_ja


def test_a_year_alone_is_not_a_date_nor_an_excel_serial(settings: Settings) -> None:
    report = run(FAMILY / "nagaoka_event.csv", settings, "event")
    years = findings(report, "date-year-only")
    assert [(f.row, f.value) for f in years] == [(3, "R6"), (4, "2024"), (4, "令和6年度")]
    assert all(f.severity == "error" and "月と日" in f.message_ja for f in years)
    assert "2024" in years[0].message_en and "a month and day" in years[0].message_en
    assert not findings(report, "excel-serial-date")


def test_a_kana_names_the_row_it_belongs_to(settings: Settings) -> None:
    report = run(FAMILY / "fujieda_public_toilet.csv", settings, "public_toilet")
    (kana,) = findings(report, "kana-mismatch")
    assert kana.severity == "warning" and "7行目の「玉露の里トイレ」" in kana.message_ja


def test_totals_of_a_population_table(settings: Settings) -> None:
    report = run(FAMILY / "ogaki_population.csv", settings, "population_by_area_age")
    total, men = findings(report, "total-mismatch")
    assert (total.field, total.value) == ("総人口", "754") and "745" in total.message_ja
    assert (men.field, men.row) == ("男性", 5) and "2411" in men.message_ja


def test_a_duplicate_names_the_first(settings: Settings) -> None:
    report = run(FAMILY / "ogaki_population.csv", settings, "population_by_area_age")
    (dup,) = findings(report, "duplicate-row")
    assert dup.row == 8 and "4行目" in dup.message_ja and "row 4" in dup.message_en


def test_duplicates_remembered_within_a_bound() -> None:
    seen = DuplicateRows(limit=2)
    assert seen.check([2, 3, 4], [["a"], ["b"], ["c"]]) == []
    assert len(seen.first_of) == 3  # the chunk that reached the bound was still remembered
    assert seen.check([5, 6, 7], [["a"], ["d"], ["d"]]) == [(5, 2)]  # "d" no longer remembered
    assert len(seen.first_of) == 3


KANA_SAMPLES = [
    "public_toilet/yaizu_toilet.csv", "public_wireless_lan/ichikawa_wifi.csv",
    "cultural_property/ichikawa_bunkazai.csv", "care_service/ichikawa_care.csv",
    "tourism/ichikawa_keikan100.csv", "aed/yaizu_aed_legacy.csv",
    "preschool/yaizu_preschool_legacy.csv", "public_facility/yaizu_facility_legacy.csv",
    "event/yaizu_event.csv",
]  # fmt: skip


@pytest.mark.parametrize("name", KANA_SAMPLES)
def test_no_false_alarms_on_real_files(name: str, settings: Settings) -> None:
    report = run(SAMPLES_DIR / name, settings)
    new = {"kana-mismatch", "duplicate-row", "weekday-free-text", "age-free-text"}
    assert [f for f in report.findings.kept() if f.code in new] == []


def test_a_prefectures_list_is_judged_by_the_prefecture_alone(
    settings: Settings, tmp_path: Path
) -> None:
    # The same AEDs published by 福岡県 itself: a point 70 km from the prefectural office is
    # still inside its prefecture (no finding); 大阪市役所's point is outside it (error).
    text = (FAMILY / "kurume_aed.csv").read_text(encoding="utf-8").replace("402036", "400009")
    path = tmp_path / "fukuoka_aed.csv"
    path.write_text(text, encoding="utf-8")
    (osaka,) = findings(run(path, settings, "aed"), "coordinates-far")
    assert (osaka.row, osaka.severity) == (3, "error") and "福岡県の外" in osaka.message_ja
