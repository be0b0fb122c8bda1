"""Every recipe in pipelines/ converts its real sample file, and what remains is known.

The remaining findings (tests/data/sample-recipes/<recipe>.findings.yaml) are each a
defect in the city's own data, with the reason written beside it. The hand-checked
values below were read off the source files and worked out by hand.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from portal.pipeline import convert
from portal.pipeline.convert import Conversion
from portal.settings import PROJECT_ROOT, Settings
from portal.workspace import Workspace
from tests.conftest import SAMPLES_DIR, TEST_DATA

RECIPES = PROJECT_ROOT / "pipelines"
EXPECTED = TEST_DATA / "sample-recipes"

# Samples with no recipe, and why: the file is tested by `recipe suggest`'s tests instead.
NO_RECIPE = {
    "evacuation_shelter/sakai_gsi_hinanjo.csv": "指定避難所 has no standard dataset in the reference; "
    "publishing it as 指定緊急避難場所 would state that no hazard applies",
}


@pytest.fixture(scope="module")
def conversions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Conversion]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    out = tmp_path_factory.mktemp("converted")
    return {
        p.stem: convert(p, Workspace.of(settings), out / p.stem)
        for p in sorted(RECIPES.glob("*.yaml"))
    }


def _rows(conversion: Conversion) -> dict[str, dict[str, str]]:
    with conversion.files["csv"].open(encoding="utf-8", newline="") as f:
        return {row["ID"]: row for row in csv.DictReader(f)}


def _expand(rows: Any, count: int) -> list[int]:
    # Every sample has its header on row 1, so data rows are 2 … count + 1 in source and output.
    return list(range(2, count + 2)) if rows == "all" else list(rows)


def test_every_sample_file_has_a_recipe_or_a_reason() -> None:
    sources = {
        str((p.parent / yaml.safe_load(p.read_text(encoding="utf-8"))["source"]["path"]).resolve())
        for p in RECIPES.glob("*.yaml")
    }
    samples = {str(p.relative_to(SAMPLES_DIR)) for p in SAMPLES_DIR.glob("*/*.csv")}
    covered = {s for s in samples if str((SAMPLES_DIR / s).resolve()) in sources}
    assert samples - covered == set(NO_RECIPE)
    assert len(covered) == 11


@pytest.mark.parametrize("recipe", sorted(p.stem for p in RECIPES.glob("*.yaml")))
def test_what_remains_after_conversion_is_the_known_defects(
    recipe: str, conversions: dict[str, Conversion]
) -> None:
    c = conversions[recipe]
    expected = yaml.safe_load((EXPECTED / f"{recipe}.findings.yaml").read_text(encoding="utf-8"))
    assert (c.outcome.rows_in, c.outcome.rows_out) == (
        expected["rows"]["in"],
        expected["rows"]["out"],
    )
    assert c.outcome.skipped == []  # no sample recipe leaves a row out

    not_read: dict[tuple[str, str], list[int]] = defaultdict(list)
    for u in c.outcome.unread:
        not_read[(u.field, u.action)].append(u.row)
    assert dict(not_read) == {
        (e["field"], e["action"]): _expand(e["rows"], c.outcome.rows_in)
        for e in expected["not_read"]
    }

    found: dict[tuple[str, str, str | None], list[int | None]] = defaultdict(list)
    for f in c.report.findings.kept():
        found[(f.code, f.severity, f.field)].append(f.row)
    assert dict(found) == {
        (e["code"], e["severity"], e["field"]): _expand(e["rows"], c.outcome.rows_out)
        for e in expected["findings"]
    }
    assert c.report.valid == all(e["severity"] != "error" for e in expected["findings"])
    assert all(e.get("why") for e in expected["not_read"] + expected["findings"])


HAND_CHECKED = [
    # recipe, ID, field, value
    (
        "yaizu_aed",
        "0000000011",
        "名称",
        "ディスカバリーパーク焼津水夢館",
    ),  # half-width kana widened
    ("yaizu_aed", "0000200006", "所在地_連結表記", "静岡県焼津市宗高88"),  # trailing spaces gone
    ("yaizu_aed", "0000200006", "所在地_町字", "宗高"),
    ("yaizu_aed", "0000200006", "所在地_番地以下", "88"),
    ("yaizu_aed", "0000000001", "地方公共団体名", "静岡県焼津市"),  # 都道府県名 + 市区町村名
    ("yaizu_aed", "0000000001", "小児対応設備の有無", "有"),
    ("suita_evacuation_space", "E2720500004201", "全国地方公共団体コード", "272051"),
    ("suita_evacuation_space", "E2720500004201", "所在地_町字", "岸部中"),
    ("suita_evacuation_space", "E2720500004201", "所在地_番地以下", "2-19-1"),
    ("suita_evacuation_space", "E2720500004201", "緯度", "34.777075"),  # 34.777074780556
    ("suita_evacuation_space", "E2720500004201", "災害種別_地震", "1"),
    ("suita_evacuation_space", "E2720500004201", "災害種別_洪水", ""),
    ("suita_evacuation_space", "E2720500004201", "指定避難所との重複", "1"),
    ("ichikawa_cultural_property", "1", "文化財指定日", "1960-10-07"),  # Excel serial 22196
    ("ichikawa_cultural_property", "3", "種類", "建造物;歴史資料"),  # two lines in one cell
    ("ichikawa_cultural_property", "3", "所有者等", "狩野一廣;歴史博物館"),
    ("ichikawa_cultural_property", "1", "地方公共団体名", "千葉県市川市"),
    ("ichikawa_care_service", "9", "所在地_番地以下", "537"),  # 53７ in the source
    ("ichikawa_care_service", "2", "定員", "40/12"),  # source row 3, kept for the clerk
    ("yaizu_event", "18268", "開始日", "2026-04-02"),  # 2026/4/2
    ("yaizu_event", "18268", "開始時間", ""),  # 0:00 = not fixed
    ("yaizu_event", "18269", "開始時間", "10:00"),
    ("yaizu_event", "18268", "法人番号", ""),  # 1.00E+12, lost
    ("yaizu_public_toilet", "13", "高度の種別", "階数"),  # 階
    ("yaizu_fire_hydrant", "101", "所在地_番地以下", "7番11号"),  # "7番11号  "
    ("yaizu_fire_hydrant", "1", "地方公共団体名", "静岡県焼津市"),
    ("yaizu_preschool", "0013010001", "電話番号", "054-624-3668"),  # (054)624-3668
    (
        "yaizu_public_facility",
        "0000010001",
        "所在地_連結表記",
        "静岡県焼津市本町5-6-1",
    ),  # no 静岡県
    ("yaizu_public_facility", "0000010001", "所在地_都道府県", "静岡県"),
    ("ichikawa_tourism", "1", "地方公共団体名", "千葉県市川市"),
    ("ichikawa_wifi", "122033-wifi-001", "郵便番号", "2728501"),  # 272-8501
]


@pytest.mark.parametrize(("recipe", "row_id", "field", "value"), HAND_CHECKED)
def test_hand_checked_values(
    recipe: str, row_id: str, field: str, value: str, conversions: dict[str, Conversion]
) -> None:
    assert _rows(conversions[recipe])[row_id][field] == value


def test_outputs_are_named_by_the_standard_convention(conversions: dict[str, Conversion]) -> None:
    names = {k: Path(c.files["csv"]).name for k, c in conversions.items()}
    assert names["suita_evacuation_space"] == "272051_evacuation_space.csv"
    assert names["yaizu_aed"] == "222127_aed.csv"
    assert names["ichikawa_cultural_property"] == "122033_cultural_property.csv"
