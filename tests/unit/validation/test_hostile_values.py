"""Values a careless or hostile file holds, as the clerk sees them in `portal validate`:
a count too large to store, invisible characters, cells a spreadsheet would run as formulas.
The planted files are in tests/data/validate (make_cases.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from portal.cli import main
from tests.conftest import TEST_DATA

CASES = TEST_DATA / "validate"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, datasets_copy: Path) -> None:
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(datasets_copy))


def validate(capsys: pytest.CaptureFixture[str], case: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["validate", str(CASES / case), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["errors"]


def test_a_count_beyond_64_bits_is_an_error_naming_cell_and_bound(capsys) -> None:
    code, findings = validate(capsys, "count-overflow.csv")
    assert code == 1  # not valid: it can no longer be published as valid
    (finding,) = findings
    assert (finding["code"], finding["row"], finding["severity"]) == (
        "number-out-of-range",
        2,
        "error",
    )
    for message in (finding["message_ja"], finding["message_en"]):
        assert "男性トイレ総数" in message and "99999999999999999999999" in message
        assert "999,999,999" in message  # the documented maximum of a count
    assert "セルの値を確認" in finding["message_ja"] and "check the cell" in finding["message_en"]


def test_a_number_beyond_64_bits_is_an_error_in_any_numeric_field(capsys) -> None:
    code, findings = validate(capsys, "measure-overflow.csv")
    assert code == 1 and [f["code"] for f in findings] == ["number-out-of-range"]
    assert "9,223,372,036,854,775,807" in findings[0]["message_en"]


def test_a_superscript_digit_in_a_count_is_a_finding_not_an_internal_error(capsys) -> None:
    code, findings = validate(capsys, "count-superscript-digit.csv")
    assert code == 1 and [(f["code"], f["value"]) for f in findings] == [("not-a-number", "²")]


def test_an_invisible_character_inside_a_name_is_reported_with_a_real_fix(capsys) -> None:
    code, findings = validate(capsys, "bom-inside-name.csv")
    assert code == 0  # a warning: the file is still valid
    (finding,) = findings
    assert finding["value"] == "千里\ufeff南公園" and finding["fix"] == "千里南公園"
    assert "U+FEFF" in finding["message_ja"] and "見えない文字" in finding["message_ja"]


def test_a_bom_at_the_end_is_fixed_by_removing_it(capsys) -> None:
    _, findings = validate(capsys, "bom-after-name.csv")
    assert [(f["code"], f["fix"]) for f in findings] == [("surrounding-space", "千里南公園")]


def test_a_formula_like_cell_is_a_warning_saying_what_a_spreadsheet_does(capsys) -> None:
    code, findings = validate(capsys, "formula-hyperlink.csv")
    assert code == 0
    (finding,) = findings
    assert finding["code"] == "formula-like-cell" and finding["severity"] == "warning"
    assert "「=」で始まる" in finding["message_ja"] and "数式" in finding["message_ja"]
    assert "'" in finding["message_en"]  # tells the clerk what the Excel download does
