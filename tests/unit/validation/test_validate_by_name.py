"""`validate --dataset` on a file whose headers differ: columns matched by name before
position, the report says how, and nothing is claimed about a column matched by position
alone without saying so (issue 13). Files: tests/data/messy/honest/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from portal.settings import Settings
from portal.validation import Options, Report, validate
from portal.validation.render import print_text, to_html, to_json
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

HONEST = TEST_DATA / "messy" / "honest"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.of(Settings(data_dir=tmp_path_factory.mktemp("data")))


def _validate(workspace: Workspace, name: str, dataset: str) -> Report:
    return validate(HONEST / name, workspace, Options(dataset=dataset, per_group=None))


def _text(report: Report) -> str:
    console = Console(record=True, width=200)
    print_text(report, console)
    return console.export_text()


def test_other_names_in_another_order_are_matched_by_name(workspace: Workspace) -> None:
    report = _validate(workspace, "morioka_jinko_other_headers.csv", "population_by_area_age")
    kept = report.findings.kept()
    # Read by position, 人口総数 (column 4) was checked as 調査年月日: "'705' … is not a valid date".
    assert [f for f in kept if f.row is not None] == []
    columns = json.loads(to_json(report))["detection"]["columns"]
    assert {(c["label"], c["field"], c["how"]) for c in columns} >= {
        ("基準日", "調査年月日", "synonym"),
        ("人口総数", "総人口", "synonym"),
        ("団体コード", "全国地方公共団体コード", "synonym"),
        ("備考", "備考", "exact"),
    }
    moved = [f.message_en for f in kept if f.code == "column-order"]
    assert "column 7 '基準日' is '調査年月日', the standard's column 4" in " ".join(moved)
    assert "7列目 基準日 → 調査年月日" in _text(report)


def test_a_finding_on_a_column_matched_by_position_alone_says_so(workspace: Workspace) -> None:
    report = _validate(workspace, "fukui_aed_position_only.csv", "aed")
    kana = [f for f in report.findings.kept() if f.code == "katakana-hiragana"]
    assert [(f.row, f.field) for f in kana] == [(4, "名称_カナ")]
    assert kana[0].message_en.endswith(
        "[column 5 '列5' was taken as '名称_カナ' by its position alone: its name does not say "
        "it is this field]"
    )
    assert "5列目「列5」は位置だけで「名称_カナ」と見なしました" in kana[0].message_ja
    on_position = [f for f in report.findings.kept() if f.field in ("名称_カナ", "設置位置")]
    assert on_position and all("by its position alone" in f.message_en for f in on_position)
    assert "5列目 列5 → 名称_カナ: 位置のみで対応" in _text(report)
    assert "「列5」→ 名称_カナ：位置のみで対応" in to_html(report)


def test_a_column_matched_by_its_name_says_nothing_of_position(workspace: Workspace) -> None:
    report = _validate(workspace, "fukui_aed_position_only.csv", "aed")
    named = [f for f in report.findings.kept() if f.field == "名称"]
    assert not any("position" in f.message_en for f in named)


def test_duplicate_column_names_name_both_positions(workspace: Workspace) -> None:
    report = _validate(workspace, "utsunomiya_aed_two_phones.csv", "aed")
    duplicate = [f for f in report.findings.kept() if f.code == "duplicate-label"]
    assert [(f.field_number, f.value) for f in duplicate] == [(10, "電話番号")]
    assert "(columns 9 and 10)" in duplicate[0].message_en
    assert "（9列目と10列目）" in duplicate[0].message_ja
    # The second 電話番号 is not checked as the field standing at its position.
    assert [f for f in report.findings.kept() if f.row is not None] == []
    columns = json.loads(to_json(report))["detection"]["columns"]
    assert [(c["column"], c["field"]) for c in columns if c["label"] == "電話番号"] == [
        (9, "電話番号"),
        (10, None),
    ]


def test_the_standard_layout_is_read_as_before(workspace: Workspace) -> None:
    path = TEST_DATA / "messy" / "standard" / "kanazawa_fire_hydrant.csv"
    report = validate(path, workspace, Options(dataset="fire_hydrant"))
    columns = report.detection["columns"]
    assert all(c["how"] == "exact" and not c["moved"] for c in columns) and report.valid
    assert "→" not in _text(report)  # no column to explain


def test_a_file_under_the_standards_names_needs_no_name_tables(tmp_path: Path) -> None:
    """Every field under its own name (a standard file, every converted one): validating it
    loads neither the converter's package nor its name tables (~1 s at first use)."""
    source = tmp_path / "aed.csv"
    source.write_text("全国地方公共団体コード,ID,名称\n222127,1,市役所\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from portal.settings import Settings\n"
        "from portal.validation import Options, validate\n"
        "from portal.workspace import Workspace\n"
        f"validate(Path({str(source)!r}), Workspace.of(Settings()), Options(dataset='aed'))\n"
        "print('portal.pipeline' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
