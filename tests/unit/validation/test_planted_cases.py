"""Every planted file in tests/data/validate gives exactly the findings written beside it.

The expectations (`<case>.expected.json`) are written by hand in
tests/data/validate/make_cases.py: code, row and field of each finding, and the
mechanical fix where there is one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.settings import Settings
from portal.validation import Options, validate
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

CASES = sorted((TEST_DATA / "validate").glob("*.expected.json"))


def source_of(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(p for p in expected.parent.glob(stem + ".*") if not p.name.endswith(".json"))


@pytest.mark.parametrize(
    "expected_file", CASES, ids=[p.name.removesuffix(".expected.json") for p in CASES]
)
def test_planted_case(expected_file: Path, settings: Settings) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    report = validate(source_of(expected_file), Workspace.of(settings), Options(per_group=None))
    assert report.dataset == expected["dataset"]
    got = {(f.code, f.row, f.field): f for f in report.findings.kept()}
    want = {(x["code"], x["row"], x["field"]): x for x in expected["findings"]}
    assert sorted(got, key=str) == sorted(want, key=str)
    for key, x in want.items():
        if "fix" in x:
            assert got[key].fix == x["fix"], key
    assert report.valid == (not any(f.is_error for f in got.values()))


def test_the_corpus_covers_every_code_it_claims() -> None:
    codes = {
        x["code"] for p in CASES for x in json.loads(p.read_text(encoding="utf-8"))["findings"]
    }
    assert len(CASES) >= 60 and len(codes) >= 50
