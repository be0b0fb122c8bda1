"""Recipe columns computed from several source columns: sum, expr, marked; same-named
columns by occurrence; dedupe. What a clerk sees: the converted CSV, the conversion
report's unread values and left-out rows, and a recipe mistake's line and words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.pipeline import convert
from portal.pipeline.convert import Conversion
from portal.pipeline.recipe import RecipeInvalid
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

CASES = TEST_DATA / "convert"

HEAD = """\
version: 1
source:
  path: table.csv
target:
  dataset: population_by_area_age
  lgcode: "272051"
constants:
  調査年月日: "2026-04-01"
columns:
  地域名: {from: 地区名}
"""
TABLE = "地区名,男,女,世帯数\n岸部北,1203,1198,1032\n岸部中,612,,533\n岸部南,,,\n"


def run(settings: Settings, tmp_path: Path, columns: str, table: str = TABLE) -> Conversion:
    (tmp_path / "table.csv").write_text(table, encoding="utf-8")
    path = tmp_path / "recipe.yaml"
    path.write_text(HEAD + columns, encoding="utf-8")
    return convert(path, Workspace.of(settings), tmp_path / "out")


def column(conversion: Conversion, field: str) -> list[str]:
    with conversion.files["csv"].open(encoding="utf-8", newline="") as f:
        return [row[field] for row in csv.DictReader(f)]


def unread(conversion: Conversion) -> list[tuple[int, str, str, str, str]]:
    return [(u.row, u.field, u.value, u.reason_ja, u.action) for u in conversion.outcome.unread]


def refused(settings: Settings, tmp_path: Path, columns: str, table: str = TABLE) -> RecipeInvalid:
    with pytest.raises(RecipeInvalid) as err:
        run(settings, tmp_path, columns, table)
    return err.value


def test_a_sum_never_reads_a_word_as_zero(settings: Settings, tmp_path: Path) -> None:
    result = convert(CASES / "population-by-nationality.yaml", Workspace.of(settings), tmp_path)
    assert unread(result) == [
        (4, "総人口", "不明", "日本人女: 「不明」は数値ではありません", "kept"),
        (4, "女性", "不明", "日本人女: 「不明」は数値ではありません", "kept"),
        (5, "総人口", "", "外国人男 が空欄です。計算にはすべての値が必要です（空欄を 0 とするには blank: zero）", "kept"),
        (5, "男性", "", "外国人男 が空欄です。計算にはすべての値が必要です（空欄を 0 とするには blank: zero）", "kept"),
    ]  # fmt: skip
    assert not result.report.valid  # 不明 in a count is reported by the validator too


def test_blank_parts_count_as_zero_only_when_the_recipe_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    result = run(settings, tmp_path, "  総人口: {sum: [男, 女], blank: zero}\n")
    # 岸部南 has no numbers at all: a blank, not a 0 nobody counted
    assert column(result, "総人口") == ["2401", "612", ""]
    assert unread(result) == []


def test_arithmetic_rounds_half_up_and_reports_division_by_zero(
    settings: Settings, tmp_path: Path
) -> None:
    table = "地区名,男,女,世帯数\nA,1,2,3\nB,5,0,8\nC,2,1,0\n"
    result = run(
        settings, tmp_path, '  備考: {expr: "(男 + 女) / 世帯数 * 100", round: 1}\n', table
    )
    assert column(result, "備考") == ["100.0", "62.5", ""]
    assert unread(result) == [(4, "備考", "", "0 で割ることになります", "kept")]


def test_a_whole_result_is_written_without_decimals(settings: Settings, tmp_path: Path) -> None:
    table = '地区名,男,女,世帯数\nA,"1,203",１２,10人\nB,△5,2.5,1\n'
    result = run(
        settings, tmp_path, '  総人口: {expr: "男 + 女 * 2"}\n  備考: {sum: [女, 世帯数]}\n', table
    )
    assert column(result, "総人口") == ["1227", "0"]
    assert column(result, "備考") == ["22", "3.5"]


def test_a_row_whose_sum_cannot_be_made_can_be_left_out(settings: Settings, tmp_path: Path) -> None:
    result = run(settings, tmp_path, "  総人口: {sum: [男, 女], on_error: skip-row}\n")
    assert [(s.row, s.reason_ja) for s in result.outcome.skipped] == [
        (
            3,
            "総人口: 女 が空欄です。計算にはすべての値が必要です（空欄を 0 とするには blank: zero）",
        )
    ]
    assert column(result, "地域名") == ["岸部北", "岸部南"]


def test_marked_columns_become_a_list_and_an_unclear_mark_is_reported(
    settings: Settings, tmp_path: Path
) -> None:
    result = convert(CASES / "care-marked-services.yaml", Workspace.of(settings), tmp_path)
    assert unread(result) == [
        (6, "実施サービス", "△", "通所介護: 「△」は印（○）でも空欄・×でもありません", "kept")
    ]


def test_marked_without_a_mark_takes_any_yes_and_labels_can_differ(
    settings: Settings, tmp_path: Path
) -> None:
    table = "地区名,男,女,世帯数\nA,あり,なし,\nB,◯,1,×\n"
    spec = "  備考: {marked: {columns: {男: 男性向け, 女: 女性向け, 世帯数: 世帯}}}\n"
    result = run(settings, tmp_path, spec, table)
    assert column(result, "備考") == ["男性向け", "男性向け;女性向け"]


def test_a_name_used_twice_in_the_header_must_say_which(settings: Settings, tmp_path: Path) -> None:
    table = "地区名,男,男,世帯数\nA,1,2,3\n"
    error = refused(settings, tmp_path, "  男性: {from: 男}\n", table)
    assert error.location is not None and error.location.line == 11
    assert "2 columns named '男' (columns 2, 3)" in error.message_en
    assert "男#1 or 男#2" in error.message_en and "「男」という列が2つ" in error.message_ja
    result = run(settings, tmp_path, "  男性: {from: 男#2}\n  女性: {sum: [男#1, 男#2]}\n", table)
    assert (column(result, "男性"), column(result, "女性")) == (["2"], ["3"])
    error = refused(settings, tmp_path, "  男性: {from: {column: 男, occurrence: 3}}\n", table)
    assert "2 column(s) named '男', not 3" in error.message_en


def test_a_misspelt_column_in_a_sum_names_its_line_and_a_close_name(
    settings: Settings, tmp_path: Path
) -> None:
    error = refused(settings, tmp_path, "  総人口: {sum: [男, 女性]}\n")
    assert error.location is not None and error.location.line == 11
    assert "the source has no column '女性'; Did you mean 女?" in error.message_en


@pytest.mark.parametrize(
    ("spec", "line", "words"),
    [
        ('  総人口: {expr: "男 + * 女"}\n', 11, "expr '男 + * 女': expected a column name or a number at character 5, found '*'"),
        ('  総人口:\n    expr: "(男 + 女"\n', 12, "expected ')' at character 7, found the end"),
        ('  総人口: {expr: "男 女"}\n', 11, "expected an operator (+ - * /) at character 3"),
        ('  総人口: {expr: "__import__(1)"}\n', 11, "expected an operator (+ - * /) at character 11, found '('"),
        ('  総人口: {expr: "男 + 「0-14歳」"}\n', 11, "the source has no column '0-14歳'"),
        ("  総人口: {from: 男, sum: [男, 女]}\n", 11, "one of from, sum, expr, marked (it has from and sum)"),
        ("  総人口: {normalize: [integer]}\n", 11, "say where the value comes from"),
        ("  総人口:\n    from: 男\n    round: 1\n", 13, "'round' applies to sum and expr only"),
        ("  総人口: {sum: [男, 女], fill_down: true}\n", 11, "'fill_down' applies to from only"),
        ("  総人口: {sum: 男}\n", 11, "sum: '男' is not of type 'array' (The sum of these source columns (総人口: {sum: [男, 女]})"),
        ("  総人口: {sum: [男, 女], blank: 0}\n", 11, "'0' is not allowed; valid: unread, zero"),
        ("  調査年月日: {from: 男, normalize: [{date: {ordr: mdy}}]}\n", 11, "'ordr' is not an option of 'date' (did you mean order?); valid: excel_serial, order, year_only"),
        ("  調査年月日: {from: 男, normalize: [{date: {order: ymd}}]}\n", 11, "'ymd' is not one of ['mdy', 'dmy']"),
        ("  総人口: {from: 男}\nfilters:\n  - {column: 地区メイ, equals: x}\n", 13, "the source has no column '地区メイ'; Did you mean 地区名?"),
        ("  総人口: {from: 男}\ndedupe: {fields: [地域メイ]}\n", 12, "'地域メイ' is not a field of population_by_area_age; did you mean 地域名"),
    ],
)  # fmt: skip
def test_recipe_mistakes_name_the_line_and_what_is_wrong(
    settings: Settings, tmp_path: Path, spec: str, line: int, words: str
) -> None:
    error = refused(settings, tmp_path, spec)
    assert error.location is not None and error.location.line == line
    assert words in error.message_en
    assert error.message_ja and error.exit_code == 2


def test_dedupe_leaves_out_repeated_rows_and_lists_them(settings: Settings, tmp_path: Path) -> None:
    result = convert(CASES / "aed-repeated-rows.yaml", Workspace.of(settings), tmp_path)
    assert [(s.row, s.reason_en, s.reason_ja) for s in result.outcome.skipped] == [
        (4, "duplicate of row 2 (same 名称, 設置位置)", "2行目と重複（名称、設置位置が同じ）"),
        (6, "duplicate of row 3 (same 名称, 設置位置)", "3行目と重複（名称、設置位置が同じ）"),
    ]
    assert (result.outcome.rows_in, result.outcome.rows_out) == (5, 3)


def test_dedupe_of_whole_rows_keeps_rows_that_differ_anywhere(
    settings: Settings, tmp_path: Path
) -> None:
    table = "地区名,男,女,世帯数\nA,1,2,3\nA,1,2,3\nA,1,2,4\n,,,\n,,,\n"
    spec = "  男性: {from: 男}\n  女性: {from: 女}\n  世帯数: {from: 世帯数}\ndedupe: true\n"
    result = run(settings, tmp_path, spec, table)
    assert [(s.row, s.reason_en) for s in result.outcome.skipped] == [
        (3, "duplicate of row 2 (same every field)")
    ]
    assert column(result, "世帯数") == ["3", "4"]  # blank rows are not read as data at all
